package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// searchEntry is the search field: it types as any field, and runs the
// search field's keys of keyBindings (↓ goes to the hits), so the
// keyboard goes from a query to its hits without Tab through every filter.
type searchEntry struct {
	widget.Entry
	v *resultsView
}

func newSearchEntry(v *resultsView) *searchEntry {
	e := &searchEntry{v: v}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey runs a search field key, or types.
func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	if b, ok := binding(whereSearch, k.Name); ok {
		b.search(e.v)
		return
	}
	e.Entry.TypedKey(k)
}

// focusHits gives the list of hits the keyboard with a hit selected (the
// first, unless one already is), so ↓, ↑ and Enter work on them at once.
func (v *resultsView) focusHits() {
	if len(v.hits) == 0 {
		return
	}
	if v.list.selectedRow() < 0 {
		v.list.Select(0)
	}
	if c := canvasOf(v.list); c != nil {
		c.Focus(v.list)
	}
}
