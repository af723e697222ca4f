package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"casebook/casefile"
)

func TestSavedSearchesCanBeRunAndDeletedFromTheirDialog(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	for _, n := range []string{"Beijing admins", "Approvals"} {
		if _, err := c.SaveSearch(t.Context(), n, casefile.Query{Text: "admin", Filters: casefile.Filters{Country: "CN"}}); err != nil {
			t.Fatal(err)
		}
	}
	cv := openTestCase(t, g, c, dir)
	menuItem(t, g, "Saved searches…").Action()
	g.settle(t)
	d := cv.searchesDialog
	if len(d.searches) != 2 {
		t.Fatalf("the dialog lists %d searches", len(d.searches))
	}
	assertShows(t, d.list, "admin · country CN")
	d.list.Select(0)
	name := d.searches[0].Name
	test.Tap(d.delBtn)
	if d.confirm == nil {
		t.Fatal("Delete… asked nothing")
	}
	d.confirm.Confirm()
	g.settle(t)
	left, err := c.SavedSearches(t.Context())
	if err != nil || len(left) != 1 || left[0].Name == name {
		t.Errorf("after deleting %s the case keeps %+v (%v)", name, left, err)
	}
	if len(d.searches) != 1 {
		t.Errorf("the dialog lists %d searches after the delete", len(d.searches))
	}
	if got := nodeText(cv.sources, branchSearches); got != "Saved searches (1)" {
		t.Errorf("the tree reads %q", got)
	}
	d.list.Select(0)
	test.Tap(d.runBtn)
	g.settle(t)
	if cv.results.entry.Text != "admin" || cv.results.filters.filters().Country != "CN" {
		t.Errorf("Run searched %q in %q", cv.results.entry.Text, cv.results.filters.filters().Country)
	}
}
