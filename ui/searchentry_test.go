package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"casebook/model"
)

// From the keyboard alone: a query typed and Enter, ↓ goes to the hits
// (the first selected, the list has the keyboard), ↓ again moves on, and
// Enter opens that hit in context — no Tab through the filters between.
func TestDownFromTheSearchFieldGoesToTheHitsAndEnterOpensOne(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	cv.tabs.Select(cv.searchTab)
	g.win.Canvas().Focus(cv.results.entry)
	searchFor(t, g, cv, "")
	if len(cv.results.hits) < 2 {
		t.Fatalf("%d hits for everything", len(cv.results.hits))
	}
	cv.results.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if got := g.win.Canvas().Focused(); got != cv.results.list {
		t.Fatalf("after ↓ in the search field the keyboard is with %T, want the hits", got)
	}
	if cv.results.list.selectedRow() != 0 || cv.details.value("ID") != cv.results.hits[0].ID {
		t.Fatalf("after ↓ row %d is selected and the details show %q, want the first hit %s",
			cv.results.list.selectedRow(), cv.details.value("ID"), cv.results.hits[0].ID)
	}
	cv.results.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	second := cv.results.hits[1]
	cv.results.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	g.settle(t)
	id, err := model.ParseItemID(second.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := cv.readerTab
	if id.Kind == model.ItemEvent {
		want = cv.logTab
	}
	if cv.tabs.Selected() != want || cv.details.value("ID") != second.ID {
		t.Errorf("Enter on the second hit %s shows the %s tab with %q in the details", second.ID, cv.tabs.Selected().Text,
			cv.details.value("ID"))
	}
	// With no hits, ↓ leaves the keyboard in the field.
	cv.tabs.Select(cv.searchTab)
	searchFor(t, g, cv, "zzzznothingzzzz")
	g.win.Canvas().Focus(cv.results.entry)
	cv.results.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if g.win.Canvas().Focused() != cv.results.entry {
		t.Error("↓ with no hits took the keyboard from the search field")
	}
}
