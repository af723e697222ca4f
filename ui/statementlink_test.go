package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"casebook/casefile"
)

func TestEvidenceIsLinkedFromInsideTheStatementBySearching(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	st, err := c.AddStatement(t.Context(), "Lumora spokesperson", "2024-03-05", "Nobody holds a master admin role.", "Press release")
	if err != nil {
		t.Fatal(err)
	}
	cv := openTestCase(t, g, c, dir)
	cv.tabs.Select(cv.statementsTab)
	g.settle(t)
	cv.stmts.selectID(st.ID)
	g.settle(t)
	if cv.sel.item.N != 0 {
		t.Fatalf("the details show %s: the test must link with nothing fetched first", cv.sel.item)
	}
	if cv.stmts.findBtn.Disabled() {
		t.Fatal("Find evidence to link… is disabled with a statement selected")
	}

	// Esc leaves without linking.
	test.Tap(cv.stmts.findBtn)
	d := cv.stmts.linkDialog
	if d == nil || g.win.Canvas().Focused() != d.query {
		t.Fatal("the link dialog did not open with its search field focused")
	}
	pressKey(g.win, fyne.KeyEscape)
	if dialogShown(g.win) {
		t.Fatal("Esc left the link dialog open")
	}

	test.Tap(cv.stmts.findBtn)
	d = cv.stmts.linkDialog
	want, err := c.Search(t.Context(), casefile.Query{Text: `"master admin"`, Limit: linkSearchLimit})
	if err != nil || len(want.Hits) == 0 {
		t.Fatalf("the fixture has no hit for \"master admin\" (%v)", err)
	}
	test.Type(d.query, `"master admin"`)
	pressKey(g.win, fyne.KeyReturn) // in the search field: search
	g.settle(t)
	if !dialogShown(g.win) {
		t.Fatal("Enter in the search field closed the dialog instead of searching")
	}
	if len(d.hits) != len(want.Hits) || d.hits[0].ID != want.Hits[0].ID {
		t.Fatalf("the dialog lists %d hits, the case finds %d", len(d.hits), len(want.Hits))
	}
	assertShows(t, g.win.Canvas().Overlays().Top(), `1 hit for "master admin". Pick one, then Link.`)
	if !d.linkBtn.Disabled() {
		t.Error("Link is enabled before a hit is picked")
	}
	d.list.Select(0)
	d.relation.SetSelected(relSupports)
	d.note.SetText("the role the claim denies")
	g.win.Canvas().Unfocus()
	pressKey(g.win, fyne.KeyReturn) // Link
	g.settle(t)
	if dialogShown(g.win) {
		t.Fatal("Enter left the link dialog open")
	}
	all, err := c.Statements(t.Context())
	if err != nil || len(all) != 1 || len(all[0].Links) != 1 {
		t.Fatalf("statements %+v (%v), want one link", all, err)
	}
	l := all[0].Links[0]
	if l.Item != want.Hits[0].ID || l.Relation != relSupports || l.Note != "the role the claim denies" {
		t.Errorf("linked %s as %s with note %q", l.Item, l.Relation, l.Note)
	}
	assertShows(t, cv.stmts.content, "Linked items (1)")
}
