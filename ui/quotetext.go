package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// quoteText shows a segment's words in the details so the investigator can
// quote by selecting: the mouse or Shift with the arrow keys selects, Copy
// and Select all work, and nothing typed, cut or pasted changes the words
// (they are the record). Tag… then quotes the selected words.
type quoteText struct {
	widget.Entry
	text string // the words as the record has them
}

// newQuoteText makes the field, wrapping words.
func newQuoteText() *quoteText {
	q := &quoteText{}
	q.MultiLine = true
	q.Wrapping = fyne.TextWrapWord
	q.ExtendBaseWidget(q)
	// A change that gets past the key handlers below (the context menu's
	// Paste or Cut, an Undo) is put back at once.
	q.OnChanged = func(s string) {
		if s != q.text {
			q.SetText(q.text)
		}
	}
	return q
}

// set shows text, with nothing selected.
func (q *quoteText) set(text string) {
	q.text = text
	q.SetText(text)
	q.CursorRow, q.CursorColumn = 0, 0
	q.Refresh()
}

// movingKeys are the keys that move the cursor (and, with Shift held,
// extend the selection) without changing the words.
var movingKeys = map[fyne.KeyName]bool{
	fyne.KeyLeft: true, fyne.KeyRight: true, fyne.KeyUp: true, fyne.KeyDown: true,
	fyne.KeyHome: true, fyne.KeyEnd: true, fyne.KeyPageUp: true, fyne.KeyPageDown: true,
}

// TypedRune ignores typing: the words cannot be changed here.
func (q *quoteText) TypedRune(rune) {}

// TypedKey moves the cursor and the selection; Esc and Enter go to a dialog
// shown over the window, as with no field focused; other keys are ignored.
func (q *quoteText) TypedKey(k *fyne.KeyEvent) {
	if movingKeys[k.Name] {
		q.Entry.TypedKey(k)
		return
	}
	dialogKey(canvasOf(q), k.Name, 0, false)
}

// TypedShortcut copies and selects all; the window's own shortcuts (Ctrl+T
// tags the selection) reach the window; cut, paste, undo and redo, which
// would change the words, do nothing.
func (q *quoteText) TypedShortcut(s fyne.Shortcut) {
	switch s.(type) {
	case *fyne.ShortcutCopy, *fyne.ShortcutSelectAll:
		q.Entry.TypedShortcut(s)
	case *desktop.CustomShortcut:
		if c, ok := canvasOf(q).(fyne.Shortcutable); ok {
			c.TypedShortcut(s)
		}
	}
}

// selection is the selected words as a range of characters (runes) of the
// text, which is how a quote is stored; ok is false when nothing is
// selected. Fyne tells the selected text and where the cursor is, which is
// one end of the selection: the range is the one that ends or starts there
// and holds the selected text.
func (q *quoteText) selection() (start, end int, ok bool) {
	sel := []rune(q.SelectedText())
	if len(sel) == 0 {
		return 0, 0, false
	}
	text := []rune(q.text)
	holds := func(at int) bool {
		return at >= 0 && at+len(sel) <= len(text) && string(text[at:at+len(sel)]) == string(sel)
	}
	at := q.CursorTextOffset()
	switch {
	case holds(at - len(sel)):
		return at - len(sel), at, true
	case holds(at):
		return at, at + len(sel), true
	}
	return 0, 0, false
}

// AcceptsTab is false: Tab moves on to the next field, as in a label.
func (q *quoteText) AcceptsTab() bool { return false }
