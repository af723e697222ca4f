package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// doubleTapWindow is how soon a second tap on the same row opens it.
const doubleTapWindow = 400 * time.Millisecond

// itemList is a virtualised list whose rows open: a second tap on the
// selected row within doubleTapWindow, or Enter, runs onOpen (Fyne's list
// knows no double tap). Its selection is the keyboard's cursor: ↑ and ↓,
// Page Up and Page Down, Home and End move it, so the details follow the
// keys. Fyne's own focus cursor is not used: it would keep a row of its
// own that taps on the rows (which the list's rows take here) never move.
type itemList struct {
	widget.List

	onOpen func(widget.ListItemID) // nil: rows do not open

	// self is the widget that takes the keyboard when a row is tapped: the
	// list, or the widget that embeds it.
	self fyne.Focusable

	// Touched on the UI goroutine only.
	cur     widget.ListItemID // the selected row, -1 when none
	lastTap widget.ListItemID
	lastAt  time.Time
}

// newItemList makes a list of length rows, made by create and filled by
// update, as widget.NewList does.
func newItemList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *itemList {
	l := &itemList{}
	l.setUp(length, create, update)
	l.ExtendBaseWidget(l)
	return l
}

// setUp fills the list's callbacks; a widget embedding the list calls it
// and then ExtendBaseWidget with itself, and sets self.
func (l *itemList) setUp(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) {
	l.self = l
	l.cur, l.lastTap = -1, -1
	l.Length = length
	l.CreateItem = func() fyne.CanvasObject { return newTapRow(l, create()) }
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		r := o.(*tapRow)
		r.id = id
		update(id, r.child)
	}
}

// Select selects a row and scrolls it into view.
func (l *itemList) Select(id widget.ListItemID) {
	if id < 0 || l.Length == nil || id >= l.Length() {
		return
	}
	l.cur = id
	l.List.Select(id)
}

// Unselect drops the selection of a row.
func (l *itemList) Unselect(id widget.ListItemID) {
	if id == l.cur {
		l.cur = -1
	}
	l.List.Unselect(id)
}

// UnselectAll drops the selection.
func (l *itemList) UnselectAll() {
	l.cur = -1
	l.List.UnselectAll()
}

// selectedRow is the selected row, -1 when none.
func (l *itemList) selectedRow() widget.ListItemID {
	if l.Length == nil || l.cur >= l.Length() {
		return -1
	}
	return l.cur
}

// open opens the selected row.
func (l *itemList) open() {
	if id := l.selectedRow(); id >= 0 && l.onOpen != nil {
		l.onOpen(id)
	}
}

// tapped selects a tapped row and gives the list the keyboard; a second
// tap on it soon after opens it.
func (l *itemList) tapped(id widget.ListItemID) {
	// The canvas knows the outer widget, not the list embedded in it.
	if o, ok := l.self.(fyne.CanvasObject); ok {
		if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil {
			c.Focus(l.self)
		}
	}
	now := time.Now()
	again := id == l.lastTap && id == l.cur && now.Sub(l.lastAt) <= doubleTapWindow
	if id == l.selectedRow() && l.OnSelected != nil {
		// Fyne's list says nothing of a tap on the selected row; the
		// details may have moved on (a search without it cleared them).
		l.OnSelected(id)
	}
	l.Select(id)
	if again {
		l.lastTap = -1
		l.open()
		return
	}
	l.lastTap, l.lastAt = id, now
}

// TypedKey runs the list keys of keyBindings: the arrow and page keys
// move the selection, Enter opens the selected row.
func (l *itemList) TypedKey(e *fyne.KeyEvent) {
	if b, ok := binding(whereList, e.Name); ok {
		b.list(l)
	}
}

// move moves the selection by n rows (from before the first when none is
// selected and n > 0, from after the last when n < 0), stopping at the ends.
func (l *itemList) move(n int) {
	if l.Length == nil || l.Length() == 0 {
		return
	}
	cur := l.selectedRow()
	if cur < 0 && n < 0 {
		cur = l.Length()
	}
	l.Select(max(0, min(l.Length()-1, cur+n)))
}

// moveTo selects the first row (at < 0) or the last (at > 0).
func (l *itemList) moveTo(at int) {
	if l.Length == nil || l.Length() == 0 {
		return
	}
	if at < 0 {
		l.Select(0)
	} else {
		l.Select(l.Length() - 1)
	}
}

// TypedRune ignores typing: the list has no type-ahead.
func (l *itemList) TypedRune(rune) {}

// FocusGained keeps Fyne's focus cursor off: the selection is the cursor.
func (l *itemList) FocusGained() {}

// FocusLost keeps Fyne's focus cursor off.
func (l *itemList) FocusLost() {}

// tapRow holds a row's content and takes the row's taps, so the list can
// tell a second tap on the same row (Fyne's row selects and says no more).
// Buttons and checks in the row take their own taps.
type tapRow struct {
	widget.BaseWidget
	list  *itemList
	id    widget.ListItemID
	child fyne.CanvasObject
}

func newTapRow(l *itemList, child fyne.CanvasObject) *tapRow {
	r := &tapRow{list: l, id: -1, child: child}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer shows the row's content.
func (r *tapRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.child) }

// Tapped selects the row, or opens it when tapped twice.
func (r *tapRow) Tapped(*fyne.PointEvent) {
	if r.id >= 0 {
		r.list.tapped(r.id)
	}
}
