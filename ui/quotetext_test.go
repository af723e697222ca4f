package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// pressKeys types keys into a focused widget as the keyboard would.
func pressKeys(w fyne.Focusable, keys ...fyne.KeyName) {
	for _, k := range keys {
		w.TypedKey(&fyne.KeyEvent{Name: k})
	}
}

// quotedWords are the words of a reader row drawn in the quote's style.
func quotedWords(segs []widget.RichTextSegment) []string {
	return styledRuns(segs, func(st widget.RichTextStyle) bool { return st == quoteStyle })
}

// Quote by selecting: a segment opened in the reader shows its words in the
// details; Shift with the arrow keys selects some of them; Tag… fills the
// quote with the selection, shows the words it quotes, and the tagging
// quotes exactly them. The reader then marks the quoted words in the row.
func TestSelectingWordsInTheDetailsQuotesThemWhenTagging(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	segs, err := c.Segments(t.Context(), sourceNamed(t, c, "meeting.txt").ID)
	if err != nil || len(segs) < 2 {
		t.Fatalf("segments: %v %d", err, len(segs))
	}
	seg := segs[1]
	item := model.ItemID{Kind: model.ItemSegment, N: seg.ID}
	cv.openInContext(item, nil)
	g.settle(t)
	if s, ok := cv.reader.selectedSegment(); !ok || s.ID != seg.ID {
		t.Fatalf("the reader shows segment %+v, want %s", s, item)
	}
	q := cv.details.quote
	if !q.Visible() || q.Text != seg.Text {
		t.Fatalf("the details show the words %q (visible %v), want the segment's %q", q.Text, q.Visible(), seg.Text)
	}
	if _, _, ok := cv.details.quoteSelection(); ok {
		t.Error("a selection before anything was selected")
	}

	// Nothing typed, cut or pasted changes the record's words.
	g.win.Canvas().Focus(q)
	q.TypedRune('x')
	pressKeys(q, fyne.KeyBackspace, fyne.KeyDelete, fyne.KeyReturn)
	q.TypedShortcut(&fyne.ShortcutPaste{Clipboard: g.win.Clipboard()})
	q.TypedShortcut(&fyne.ShortcutCut{Clipboard: g.win.Clipboard()})
	if q.Text != seg.Text {
		t.Fatalf("typing into the words changed them to %q", q.Text)
	}

	// From the fourth character, Shift+→ eight times selects eight.
	const from, n = 4, 8
	if len([]rune(seg.Text)) < from+n {
		t.Fatalf("segment %q is too short", seg.Text)
	}
	pressKeys(q, fyne.KeyHome)
	for range from {
		pressKeys(q, fyne.KeyRight)
	}
	q.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	for range n {
		pressKeys(q, fyne.KeyRight)
	}
	q.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	words := string([]rune(seg.Text)[from : from+n])
	if a, b, ok := cv.details.quoteSelection(); !ok || a != from || b != from+n {
		t.Fatalf("selecting %q gives the range %d:%d (%v), want %d:%d", q.SelectedText(), a, b, ok, from, from+n)
	}
	// Selected backwards (Shift+← from the end), the range is the same.
	pressKeys(q, fyne.KeyHome)
	for range from + n {
		pressKeys(q, fyne.KeyRight)
	}
	q.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	for range n {
		pressKeys(q, fyne.KeyLeft)
	}
	q.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	if a, b, ok := cv.details.quoteSelection(); !ok || a != from || b != from+n || q.SelectedText() != words {
		t.Fatalf("selecting backwards gives %q at %d:%d (%v), want %q at %d:%d", q.SelectedText(), a, b, ok, words, from, from+n)
	}

	menuItem(t, g, "Tag the selection…").Action()
	g.settle(t)
	d := cv.tagDialog
	if d == nil || d.sel.item != item {
		t.Fatalf("no tag dialog for %s", item)
	}
	if d.quoteStart.Text != "4" || d.quoteEnd.Text != "12" {
		t.Errorf("the quote is filled as %s:%s, want the selection 4:12", d.quoteStart.Text, d.quoteEnd.Text)
	}
	if d.quoted.Text != "“"+words+"”" {
		t.Errorf("the dialog shows the quote as %q, want %q", d.quoted.Text, words)
	}
	d.tag.SetText("key-quote")
	d.form.Submit()
	g.settle(t)

	ex, err := c.Evidence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ex, func(e casefile.Exhibit) bool { return e.Item == item.String() })
	if i < 0 || ex[i].Quote != words {
		t.Fatalf("the evidence %+v does not quote %q from %s", ex, words, item)
	}
	row := cv.reader.indexOf(seg.ID)
	rt := markedText(seg.Text, nil, [2]int{}, cv.reader.quotes[seg.ID], false)
	if got := quotedWords(rt); row < 0 || len(got) != 1 || got[0] != strings.TrimSpace(words) {
		t.Errorf("the reader marks %q as quoted in row %d, want %q", got, row, words)
	}
}

// Offsets typed by hand still quote, and the dialog shows the words they
// quote or why they quote none.
func TestTypedQuoteOffsetsShowTheWordsTheyQuote(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	openTestCase(t, g, c, dir)
	segs, err := c.Segments(t.Context(), sourceNamed(t, c, "meeting.txt").ID)
	if err != nil || len(segs) == 0 {
		t.Fatalf("segments: %v %d", err, len(segs))
	}
	seg := segs[0]
	d := newTagDialog(c, g.bg, g.win, selection{item: model.ItemID{Kind: model.ItemSegment, N: seg.ID}, text: seg.Text}, nil)
	if d.quoted.Text != "The whole segment." {
		t.Errorf("with no offsets the dialog says %q", d.quoted.Text)
	}
	d.quoteStart.SetText("2")
	d.quoteEnd.SetText("6")
	if want := "“" + string([]rune(seg.Text)[2:6]) + "”"; d.quoted.Text != want {
		t.Errorf("2:6 shows %q, want %q", d.quoted.Text, want)
	}
	d.quoteEnd.SetText("1")
	if !strings.Contains(d.quoted.Text, "start below its end") {
		t.Errorf("2:1 shows %q, want why it quotes nothing", d.quoted.Text)
	}
	d.quoteEnd.SetText("100000")
	if !strings.Contains(d.quoted.Text, "characters") {
		t.Errorf("an end past the text shows %q", d.quoted.Text)
	}
}

// Spaces end runs, and after the first run each word is a run of its own
// led by a zero-width space, so Fyne moves a word that does not fit the
// line to the next line instead of breaking inside it, or moving a whole
// run when part of it fits.
func TestMarkedRowsEndRunsWithSpacesAndLeadLaterWordsWithAZeroWidthSpace(t *testing.T) {
	segs := markedText("Data admin can read every table", [][2]int{{5, 10}}, [2]int{}, [][2]int{{11, 19}}, false)
	var got []string
	for _, s := range segs {
		got = append(got, s.(*widget.TextSegment).Text)
	}
	z := string(zeroWidthSpace)
	want := []string{"Data ", z + "admin ", z + "can ", z + "read ", z + "every ", z + "table"}
	if !slices.Equal(got, want) {
		t.Errorf("runs %q, want %q", got, want)
	}
	if s := segs[2].(*widget.TextSegment); s.Style != quoteStyle {
		t.Errorf("the quoted word has the style %+v, want the quote's", s.Style)
	}
	if q := quotedWords(segs); !slices.Equal(q, []string{"can read"}) {
		t.Errorf("the quote reads %q, want can read", q)
	}
}
