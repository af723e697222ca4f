package ui

import (
	"context"
	"fmt"
	"slices"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// segmentLoader is what the reader needs from a case.
type segmentLoader interface {
	Segments(ctx context.Context, sourceID int64) ([]model.Segment, error)
	SegmentMarks(ctx context.Context, sourceID int64) (map[int64]casefile.SegmentMark, error)
	SegmentQuotes(ctx context.Context, sourceID int64) (map[int64][][2]int, error)
}

// readerColumns are the widths of a reader row: time and speaker; the text
// takes the rest.
var readerColumns = columns{64, 150}

// readerView shows one transcript's segments in order, in a virtualised
// list, with the words a search matched or Find found marked.
type readerView struct {
	src segmentLoader
	bg  *runner

	title   *widget.Label
	list    *segmentList
	find    *findBar
	play    *playbackBar // the recording the transcript is paired with (ui/playback.go)
	content fyne.CanvasObject

	// Touched on the UI goroutine only.
	source model.Source
	segs   []model.Segment
	gen    int
	marks  map[int64][][2]int             // a segment's words to mark (the search's matches), by segment id
	flags  map[int64]casefile.SegmentMark // the segments carrying tags or notes
	quotes map[int64][][2]int             // the words tagged as quotes, byte ranges by segment id
	timed  bool                           // some segment has a time: the time column shows

	wrapWidth float32            // the list's width the rows are fitted to
	heights   []float32          // each row's height as fitted
	widths    map[string]float32 // words measured for fitting
	fitting   bool               // the rows are being fitted: the list shows none
	want      *readerTarget      // the segment to show once the transcript has loaded

	onSelected func(model.Segment, model.Source)
}

// readerTarget is a segment to select, with the words to mark in it.
type readerTarget struct {
	seg   int64
	marks [][2]int
}

func newReaderView(src segmentLoader, bg *runner) *readerView {
	v := &readerView{src: src, bg: bg, widths: map[string]float32{}}
	v.title = widget.NewLabelWithStyle("Select a transcript on the left to read it.", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.list = newSegmentList(v, v.length, v.createRow, v.updateRow)
	v.list.OnSelected = v.onListSelected
	v.find = newFindBar(v)
	rs, _ := src.(recordingSource)
	v.play = newPlaybackBar(v, rs, bg)
	v.content = container.NewBorder(container.NewVBox(v.title, v.find.box, v.play.box), nil, nil, nil, container.New(readerWrap{v}, v.list))
	return v
}

// load shows a transcript's segments, fetched in a goroutine and applied
// in one call on the UI goroutine. Call it on the UI goroutine.
func (v *readerView) load(s model.Source) {
	v.gen++
	gen := v.gen
	v.source, v.segs, v.marks, v.want, v.flags, v.quotes = s, nil, nil, nil, nil, nil
	v.find.reset()
	v.title.SetText("Loading " + s.Name + "…")
	v.list.UnselectAll()
	v.list.Refresh()
	v.play.load(s)
	v.bg.spawn(func() {
		segs, err := v.src.Segments(context.Background(), s.ID)
		flags, ferr := v.src.SegmentMarks(context.Background(), s.ID)
		if err == nil {
			err = ferr
		}
		quotes, qerr := v.src.SegmentQuotes(context.Background(), s.ID)
		if err == nil {
			err = qerr
		}
		v.bg.do(func() {
			if gen != v.gen {
				return
			}
			if err != nil {
				v.title.SetText("Could not read " + s.Name + ": " + sentence(err))
				return
			}
			v.segs, v.flags, v.timed = segs, flags, false
			v.quotes = quoteBytes(segs, quotes)
			for _, g := range segs {
				v.timed = v.timed || g.StartMS >= 0
			}
			v.title.SetText(readerTitle(s.Name, len(segs), flags))
			v.play.marksChanged()
			v.fitRows()
			v.list.Refresh()
			v.list.ScrollToTop()
			v.find.search()
			v.showWanted()
		})
	})
}

// open shows segment seg of transcript s in context: selected, with the
// segments around it in view and marks (byte ranges of its text) marked.
// The transcript is loaded first when it is not the one shown.
func (v *readerView) open(s model.Source, seg int64, marks [][2]int) {
	if v.source.ID != s.ID {
		v.load(s)
	}
	v.want = &readerTarget{seg: seg, marks: marks}
	if v.segs != nil {
		v.showWanted()
	}
}

// showWanted selects the segment open asked for, once the transcript is
// there.
func (v *readerView) showWanted() {
	w := v.want
	if w == nil {
		return
	}
	v.want = nil
	i := v.indexOf(w.seg)
	if i < 0 {
		v.title.SetText(fmt.Sprintf("%s — %s; %s is not in it", v.source.Name,
			plural(int64(len(v.segs)), "segment"), model.ItemID{Kind: model.ItemSegment, N: w.seg}))
		return
	}
	v.marks = map[int64][][2]int{}
	if len(w.marks) > 0 {
		v.marks[w.seg] = w.marks
	}
	v.fitRows() // marked words are bold, and wider
	v.selectRow(i)
}

// selectRow selects row i with its neighbours in view, telling the details
// even when it was already selected.
func (v *readerView) selectRow(i int) {
	again := v.list.selectedRow() == i
	v.list.Select(i)
	k := halfView(v.list.Size().Height, v.createRow().MinSize().Height+theme.Padding())
	v.list.ScrollTo(min(i+k, len(v.segs)-1))
	v.list.ScrollTo(max(i-k, 0))
	v.list.Refresh()
	if again {
		v.onListSelected(i)
	}
}

// halfView is how many rows of a given height fill half a view of a given
// height (at least 2): scrolling to that many rows after a row and then
// before it leaves the row in the middle of the view.
func halfView(view, row float32) int {
	if row <= 0 {
		return 2
	}
	return max(2, int(view/row)/2)
}

// indexOf finds a segment's row, -1 when the transcript lacks it.
func (v *readerView) indexOf(seg int64) int {
	for i, s := range v.segs {
		if s.ID == seg {
			return i
		}
	}
	return -1
}

// selectedSegment is the segment selected, ok false when none.
func (v *readerView) selectedSegment() (model.Segment, bool) {
	if i := v.list.selectedRow(); i >= 0 && i < len(v.segs) {
		return v.segs[i], true
	}
	return model.Segment{}, false
}

func (v *readerView) length() int {
	if v.fitting {
		return 0
	}
	return len(v.segs)
}

func (v *readerView) createRow() fyne.CanvasObject { return v.newReaderRow() }

func (v *readerView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(v.segs) {
		return
	}
	s := v.segs[id]
	objs := o.(*fyne.Container).Objects
	when := ""
	if s.StartMS >= 0 {
		when = clock(s.StartMS)
	}
	objs[0].(*widget.Label).SetText(v.play.heardMark(s, when))
	showMarks(objs[1].(*fyne.Container), v.flags[s.ID])
	objs[2].(*widget.Label).SetText(s.Speaker)
	rt := objs[3].(*widget.RichText)
	found, current := v.find.marksOf(id)
	rt.Segments = markedText(s.Text, append(v.marks[s.ID], found...), current, v.quotes[s.ID], false)
	rt.Refresh()
}

func (v *readerView) onListSelected(id widget.ListItemID) {
	if id < len(v.segs) && v.onSelected != nil {
		v.onSelected(v.segs[id], v.source)
	}
}

// markLead is about how many characters of a row show before its first
// mark when the row starts further in.
const markLead = 30

// markFrom is how far into a row its first mark may start before the row
// is shown from just before it.
const markFrom = 60

// markedLine is a segment's text on one line as rich text, the byte ranges
// in marks marked and current (when set) marked as the current find. A row
// whose first mark starts far in begins with "…" shortly before it, so the
// mark shows in a row cut at its end.
func markedLine(text string, marks [][2]int, current [2]int) []widget.RichTextSegment {
	return markedText(text, marks, current, nil, true)
}

// markedText is markedLine, with the words tagged as quotes (byte ranges)
// marked too, and the start of a row cut before a far mark only when lead
// is set: a wrapped row shows its whole text.
func markedText(text string, marks [][2]int, current [2]int, quotes [][2]int, lead bool) []widget.RichTextSegment {
	const plain, marked, now, quoted = 0, 1, 2, 3
	kind := func(at int) int {
		if current[1] > current[0] && at >= current[0] && at < current[1] {
			return now
		}
		for _, m := range marks {
			if at >= m[0] && at < m[1] {
				return marked
			}
		}
		for _, q := range quotes {
			if at >= q[0] && at < q[1] {
				return quoted
			}
		}
		return plain
	}
	type run struct {
		kind int
		text []rune
	}
	var runs []run
	var n, first int // runes written; the rune where the first mark starts
	first = -1
	space := true // the last rune written was a space (or none was)
	for at, r := range text {
		if unicode.IsSpace(r) {
			if space {
				continue
			}
			r, space = ' ', true
		} else {
			space = false
		}
		k := kind(at)
		if r == ' ' && len(runs) > 0 {
			k = runs[len(runs)-1].kind // a space ends the run before it
		}
		if k != plain && first < 0 {
			first = n
		}
		if len(runs) == 0 || runs[len(runs)-1].kind != k {
			runs = append(runs, run{kind: k})
		}
		runs[len(runs)-1].text = append(runs[len(runs)-1].text, r)
		n++
	}
	skip := 0
	if lead && first > markFrom {
		skip = first - markLead
	}
	styles := [4]widget.RichTextStyle{widget.RichTextStyleInline,
		{Inline: true, ColorName: theme.ColorNamePrimary, TextStyle: fyne.TextStyle{Bold: true}},
		{Inline: true, ColorName: theme.ColorNameWarning, TextStyle: fyne.TextStyle{Bold: true, Underline: true}},
		quoteStyle}
	var segs []widget.RichTextSegment
	if skip > 0 {
		segs = append(segs, &widget.TextSegment{Text: "…", Style: styles[plain]})
	}
	// Fyne wraps a run that does not start a line badly: one that starts
	// with a space leaves the space on the line and moves all the rest to
	// the next; one whose first word does not fit what is left of the line
	// is broken inside that word ("c/a/n"); and one whose words fit up to
	// just before a space moves whole. So spaces end runs (above), and
	// after the first run each word is a run of its own led by a zero-width
	// space: a word that does not fit then moves to the next line whole.
	for i, r := range runs {
		t := r.text
		if skip >= len(t) {
			skip -= len(t)
			continue
		}
		t, skip = t[skip:], 0
		if len(segs) == 0 || i == 0 {
			segs = append(segs, &widget.TextSegment{Text: string(t), Style: styles[r.kind]})
			continue
		}
		for len(t) > 0 {
			end := slices.Index(t, ' ') + 1
			if end == 0 {
				end = len(t)
			}
			segs = append(segs, &widget.TextSegment{Text: string(zeroWidthSpace) + string(t[:end]), Style: styles[r.kind]})
			t = t[end:]
		}
	}
	if len(segs) == 0 {
		segs = append(segs, &widget.TextSegment{Text: "", Style: styles[plain]})
	}
	return segs
}

// zeroWidthSpace leads each word after a row's first run (see markedText);
// it is not drawn and takes no room.
const zeroWidthSpace = '\u200b'

// quoteStyle marks the words of a segment that a tagging quotes: the
// words the report will print, in the colour of success and in italics.
var quoteStyle = widget.RichTextStyle{Inline: true, ColorName: theme.ColorNameSuccess, TextStyle: fyne.TextStyle{Italic: true}}

// quoteBytes turns quotes, character (rune) ranges of segments' texts as
// taggings store them, into byte ranges of the texts, which is how the
// reader marks words; a range past a text's end is cut at the end.
func quoteBytes(segs []model.Segment, quotes map[int64][][2]int) map[int64][][2]int {
	if len(quotes) == 0 {
		return nil
	}
	out := make(map[int64][][2]int, len(quotes))
	for _, s := range segs {
		for _, q := range quotes[s.ID] {
			out[s.ID] = append(out[s.ID], [2]int{runeByte(s.Text, q[0]), runeByte(s.Text, q[1])})
		}
	}
	return out
}

// runeByte is the byte offset of rune n of text, len(text) past its end.
func runeByte(text string, n int) int {
	for i := range text {
		if n == 0 {
			return i
		}
		n--
	}
	return len(text)
}

// foldIndexAll finds every occurrence of needle in text, ignoring case, as
// byte ranges of text.
func foldIndexAll(text, needle string) [][2]int {
	if needle == "" {
		return nil
	}
	var out [][2]int
	for i := 0; i < len(text); {
		if end, ok := foldPrefix(text[i:], needle); ok {
			out = append(out, [2]int{i, i + end})
			i += end
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return out
}

// foldPrefix reports whether text starts with needle, ignoring case, and
// how many bytes of text that takes.
func foldPrefix(text, needle string) (int, bool) {
	at := 0
	for _, want := range needle {
		if at >= len(text) {
			return 0, false
		}
		got, size := utf8.DecodeRuneInString(text[at:])
		if got != want && !equalFold(got, want) {
			return 0, false
		}
		at += size
	}
	return at, true
}

// equalFold reports whether two runes are the same letter in another case.
func equalFold(a, b rune) bool {
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}
