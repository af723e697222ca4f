package ui

import (
	"fmt"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// findBar is Find in this transcript (Ctrl+F while the Reader shows): a
// field, previous and next, and how many places were found, above the
// segments. Every place found is marked in its row; the current one is
// selected, so the details show its segment whole.
type findBar struct {
	v     *readerView
	entry *findEntry
	count *widget.Label
	prev  *widget.Button
	next  *widget.Button
	box   *fyne.Container

	// Touched on the UI goroutine only.
	hits []findHit // in the transcript's order
	at   int       // the current place, -1 before the first step
}

// findHit is one place found: a row of the reader and a byte range of its
// segment's text.
type findHit struct {
	row  int
	span [2]int
}

func newFindBar(v *readerView) *findBar {
	f := &findBar{v: v, at: -1}
	f.entry = newFindEntry(f)
	f.entry.SetPlaceHolder("Find in this transcript")
	f.entry.OnChanged = func(string) { f.search(); f.step(0) }
	f.count = widget.NewLabel("")
	// The buttons leave the keyboard in the field, so Enter and Esc go on
	// working after a click.
	f.prev = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { f.step(-1); f.focus() })
	f.next = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { f.step(1); f.focus() })
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), f.close)
	for _, b := range []*widget.Button{f.prev, f.next, closeBtn} {
		b.Importance = widget.LowImportance
	}
	f.box = container.NewBorder(nil, nil, nil, container.NewHBox(f.count, f.prev, f.next, closeBtn), f.entry)
	f.box.Hide()
	f.update()
	return f
}

// show opens the bar and gives its field the keyboard, its text selected
// so typing replaces it.
func (f *findBar) show() {
	f.box.Show()
	f.v.content.Refresh()
	f.focus()
	f.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	f.search()
	f.v.list.Refresh()
}

// focus gives the field the keyboard.
func (f *findBar) focus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(f.entry); c != nil {
		c.Focus(f.entry)
	}
}

// close hides the bar and its marks and gives the segments the keyboard.
func (f *findBar) close() {
	f.box.Hide()
	f.v.content.Refresh()
	f.hits, f.at = nil, -1
	f.update()
	f.v.fitRows()
	f.v.list.Refresh()
	if c := fyne.CurrentApp().Driver().CanvasForObject(f.v.list); c != nil {
		c.Focus(f.v.list)
	}
}

// reset empties the bar for another transcript.
func (f *findBar) reset() {
	f.hits, f.at = nil, -1
	f.update()
}

// search finds the field's text in every segment; the current place is
// unset until a step.
func (f *findBar) search() {
	f.hits, f.at = nil, -1
	if f.box.Visible() && f.entry.Text != "" {
		for row, s := range f.v.segs {
			for _, sp := range foldIndexAll(s.Text, f.entry.Text) {
				f.hits = append(f.hits, findHit{row: row, span: sp})
			}
		}
	}
	f.update()
	f.v.fitRows() // found words are bold, and wider
	f.v.list.Refresh()
}

// step moves to the next place found (dir 1), the previous (-1), or the
// first at or after the selected segment (0), round the ends, and selects
// its segment.
func (f *findBar) step(dir int) {
	n := len(f.hits)
	if n == 0 {
		return
	}
	switch {
	case f.at < 0 || dir == 0:
		from := max(f.v.list.selectedRow(), 0)
		f.at = sort.Search(n, func(i int) bool { return f.hits[i].row >= from })
		if dir < 0 {
			f.at--
		}
		f.at = (f.at + n) % n
	default:
		f.at = (f.at + dir + n) % n
	}
	f.update()
	f.v.selectRow(f.hits[f.at].row)
}

// update says how many places were found and which is current.
func (f *findBar) update() {
	switch {
	case f.entry.Text == "":
		f.count.SetText("")
	case len(f.hits) == 0:
		f.count.SetText("Not found")
	case f.at < 0:
		f.count.SetText(plural(int64(len(f.hits)), "place"))
	default:
		f.count.SetText(fmt.Sprintf("%d of %d", f.at+1, len(f.hits)))
	}
	if len(f.hits) == 0 {
		f.prev.Disable()
		f.next.Disable()
	} else {
		f.prev.Enable()
		f.next.Enable()
	}
}

// marksOf returns the places found in a row and the current one when it
// is in that row.
func (f *findBar) marksOf(row int) (found [][2]int, current [2]int) {
	i := sort.Search(len(f.hits), func(i int) bool { return f.hits[i].row >= row })
	for ; i < len(f.hits) && f.hits[i].row == row; i++ {
		found = append(found, f.hits[i].span)
		if i == f.at {
			current = f.hits[i].span
		}
	}
	return found, current
}

// findEntry is the find bar's field: the find keys of keyBindings (Enter,
// ↑, ↓, Esc) step through the places or close the bar; other keys type.
type findEntry struct {
	widget.Entry
	f *findBar
}

func newFindEntry(f *findBar) *findEntry {
	e := &findEntry{f: f}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey runs a find key, or types.
func (e *findEntry) TypedKey(k *fyne.KeyEvent) {
	var mod fyne.KeyModifier
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		mod = d.CurrentKeyModifiers()
	}
	if b, ok := bindingMod(whereFind, k.Name, mod); ok {
		b.find(e.f)
		return
	}
	e.Entry.TypedKey(k)
}
