package ui

import (
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// The widths of a reader row's columns before its text: the time (none
// when the transcript has no times), the marks of tags and notes, and the
// speaker. The text takes the rest, wrapped.
const (
	readerTimeW    = 64
	readerMarkW    = 44
	readerSpeakerW = 150
)

// readerRow lays a reader row out in columns; it asks the reader whether
// the time column shows.
type readerRow struct{ v *readerView }

func (l readerRow) widths() columns {
	if l.v.timed {
		return columns{readerTimeW, readerMarkW, readerSpeakerW}
	}
	return columns{0, readerMarkW, readerSpeakerW}
}

// Layout places the time, the marks, the speaker and the text.
func (l readerRow) Layout(objs []fyne.CanvasObject, size fyne.Size) { l.widths().Layout(objs, size) }

// MinSize is one line of the row.
func (l readerRow) MinSize(objs []fyne.CanvasObject) fyne.Size { return l.widths().MinSize(objs) }

// textWidth is the width a row's text is wrapped at in a list width wide:
// the text column less its insets.
func (l readerRow) textWidth(width float32) float32 {
	w := width
	for _, c := range l.widths() {
		w -= c + theme.Padding()
	}
	return w - 2*theme.InnerPadding()
}

// newReaderRow builds a row: the time, the marks (a tag, a note), the
// speaker in bold and the text, wrapped.
func (v *readerView) newReaderRow() fyne.CanvasObject {
	speaker := truncLabel("")
	speaker.TextStyle.Bold = true
	text := widget.NewRichText()
	text.Wrapping = fyne.TextWrapWord
	tag := widget.NewIcon(theme.NewPrimaryThemedResource(theme.RadioButtonCheckedIcon()))
	note := widget.NewIcon(theme.DocumentCreateIcon())
	tag.Hide()
	note.Hide()
	marks := container.NewHBox(tag, note)
	return container.New(readerRow{v}, widget.NewLabel(""), marks, speaker, text)
}

// showMarks shows a row's marks: a dot when the segment is tagged, a
// pencil when it has notes.
func showMarks(marks *fyne.Container, m casefile.SegmentMark) {
	for i, on := range []bool{m.Tags > 0, m.Notes > 0} {
		if on {
			marks.Objects[i].Show()
		} else {
			marks.Objects[i].Hide()
		}
	}
	marks.Refresh()
}

// readerWrap holds the reader's list and fits each row's height to its
// text wrapped at the list's width, whenever the width or the rows change.
type readerWrap struct{ v *readerView }

// Layout fits the rows to a new width, then lays the list out.
func (l readerWrap) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != l.v.wrapWidth {
		l.v.wrapWidth = size.Width
		l.v.fitRows()
	}
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

// MinSize is the list's.
func (l readerWrap) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// fitRows sets each row's height to its text wrapped at the list's width.
// Fyne lays the whole list out again after each height set, so the list
// shows no rows while they are set, and keeps its place.
func (v *readerView) fitRows() {
	if v.wrapWidth <= 0 {
		return
	}
	width := readerRow{v}.textWidth(v.wrapWidth)
	one := widget.NewRichTextWithText("a")
	two := widget.NewRichTextWithText("a\nb")
	line := two.MinSize().Height - one.MinSize().Height
	base := max(v.newReaderRow().MinSize().Height, one.MinSize().Height)
	off := v.list.GetScrollOffset()
	v.fitting = true
	for i, s := range v.segs {
		found, current := v.find.marksOf(i)
		h := base + float32(wrappedLines(s.Text, width, v.widths)-1)*line
		if marks := slices.Concat(v.marks[s.ID], found); len(marks) > 0 || len(v.quotes[s.ID]) > 0 {
			// Marked words are bold, quoted words italic, and Fyne wraps
			// text of several styles run by run: measure such a row as it
			// is drawn.
			rt := widget.NewRichText(markedText(s.Text, marks, current, v.quotes[s.ID], false)...)
			rt.Wrapping = fyne.TextWrapWord
			rt.Resize(fyne.NewSize(width+2*theme.InnerPadding(), base))
			h = max(base, rt.MinSize().Height)
		}
		if i < len(v.heights) && v.heights[i] == h {
			continue
		}
		v.list.SetItemHeight(i, h)
		if i < len(v.heights) {
			v.heights[i] = h
		} else {
			v.heights = append(v.heights, h)
		}
	}
	v.fitting = false
	v.list.Refresh()
	v.list.ScrollToOffset(off)
}

// wrappedLines is how many lines plain text takes wrapped at width as Fyne
// wraps words. widths caches the widths of words measured. Measuring word
// by word is exact for text of one style and about a hundred times faster
// than laying out a rich text.
func wrappedLines(text string, width float32, widths map[string]float32) int {
	size := theme.TextSize()
	measure := func(w string) float32 {
		if n, ok := widths[w]; ok {
			return n
		}
		n := fyne.MeasureText(w, size, fyne.TextStyle{}).Width
		widths[w] = n
		return n
	}
	space := measure(" ")
	lines, x := 1, float32(0)
	start := -1
	word := func(from, to int) {
		ww := measure(text[from:to])
		switch {
		case x == 0:
			x = ww
		case x+space+ww > width:
			lines++
			x = ww
		default:
			x += space + ww
		}
		if width > 0 && ww > width { // a word wider than the line is broken
			extra := int(math.Ceil(float64(ww/width))) - 1
			lines += extra
			x = ww - float32(extra)*width
		}
	}
	for i, r := range text {
		if unicode.IsSpace(r) {
			if start >= 0 {
				word(start, i)
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		word(start, len(text))
	}
	return lines
}

// readerTitle is the reader's heading: the transcript, its segments, and
// how many carry tags and notes.
func readerTitle(name string, segs int, marks map[int64]casefile.SegmentMark) string {
	var tagged, noted int
	for _, m := range marks {
		if m.Tags > 0 {
			tagged++
		}
		if m.Notes > 0 {
			noted++
		}
	}
	parts := []string{name + " — " + plural(int64(segs), "segment")}
	if tagged > 0 {
		parts = append(parts, thousands(int64(tagged))+" tagged")
	}
	if noted > 0 {
		parts = append(parts, thousands(int64(noted))+" with notes")
	}
	return strings.Join(parts, " · ")
}

// setMark shows a segment's tags and notes as counted again after they
// changed (the details load them whenever an item is shown).
func (v *readerView) setMark(seg int64, m casefile.SegmentMark) {
	if v.flags[seg] == m || v.segs == nil {
		return
	}
	i := v.indexOf(seg)
	if i < 0 {
		return
	}
	if v.flags == nil {
		v.flags = map[int64]casefile.SegmentMark{}
	}
	if m == (casefile.SegmentMark{}) {
		delete(v.flags, seg)
	} else {
		v.flags[seg] = m
	}
	v.title.SetText(readerTitle(v.source.Name, len(v.segs), v.flags))
	v.list.RefreshItem(i)
}

// reloadQuotes fetches the quotes of the transcript shown again when seg is
// one of its segments (a tagging may have added or taken away a quote) and
// fits the rows again when they changed.
func (v *readerView) reloadQuotes(seg int64) {
	if v.segs == nil || v.indexOf(seg) < 0 {
		return
	}
	gen, id, segs := v.gen, v.source.ID, v.segs
	v.bg.spawn(func() {
		quotes, err := v.src.SegmentQuotes(context.Background(), id)
		v.bg.do(func() {
			if err != nil || gen != v.gen {
				return
			}
			q := quoteBytes(segs, quotes)
			if maps.EqualFunc(q, v.quotes, func(a, b [][2]int) bool { return slices.Equal(a, b) }) {
				return
			}
			v.quotes = q
			v.play.marksChanged() // the loudness strip marks the quotes too
			v.fitRows()
			v.list.Refresh()
		})
	})
}
