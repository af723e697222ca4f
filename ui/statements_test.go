package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestAStatementMadeInTheFormListsTheHitLinkedAsContradicting(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	searchFor(t, g, cv, "admin")
	if len(cv.results.hits) == 0 {
		t.Fatal("no hits for admin")
	}
	hit := cv.results.hits[0]
	cv.results.list.Select(0)
	g.settle(t)

	cv.tabs.Select(cv.statementsTab)
	g.settle(t)
	assertShows(t, cv.stmts.content, "No statements yet. Record a claim with New statement…, then link evidence to it.")
	if !cv.stmts.contra.Disabled() {
		t.Error("linking is offered before there is a statement")
	}

	test.Tap(cv.stmts.newBtn)
	f := cv.stmts.form
	if f == nil {
		t.Fatal("New statement… opened no form")
	}
	f.when.SetText("14 January")
	if f.when.Validate() == nil {
		t.Error("the form takes a date that is not YYYY-MM-DD")
	}
	f.who.SetText("Company spokesperson")
	f.when.SetText("2024-03-05")
	f.words.SetText("No US user data was ever accessed from China.")
	f.where.SetText("Press release")
	f.dlg.Submit()
	g.settle(t)

	if len(cv.stmts.statements) != 1 || cv.stmts.selected != cv.stmts.statements[0].ID {
		t.Fatalf("after the form the tab lists %d statements with %d selected, want the new one selected",
			len(cv.stmts.statements), cv.stmts.selected)
	}
	assertShows(t, cv.stmts.list, "Company spokesperson · 2024-03-05 · Press release")
	assertShows(t, cv.stmts.list, "0 supporting · 0 contradicting")
	if cv.stmts.contra.Disabled() {
		t.Fatal("…as contradicting is disabled with a statement and a hit selected")
	}

	cv.stmts.note.SetText("the log shows Beijing")
	test.Tap(cv.stmts.contra)
	g.settle(t)

	assertShows(t, cv.stmts.links, hit.ID)
	assertShows(t, cv.stmts.links, "contradicts")
	assertShows(t, cv.stmts.links, "the log shows Beijing")
	assertShows(t, cv.stmts.list, "0 supporting · 1 contradicting")
	assertShows(t, cv.stmts.content, "Linked items (1)")

	st, err := c.Statements(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 1 || st[0].Who != "Company spokesperson" || st[0].When != "2024-03-05" {
		t.Fatalf("the case has statements %+v, want the one from the form", st)
	}
	if l := st[0].Links; len(l) != 1 || l[0].Item != hit.ID || l[0].Relation != "contradicts" || l[0].Note != "the log shows Beijing" {
		t.Errorf("the case links %+v, want %s as contradicting with the note", l, hit.ID)
	}
}

// Record selection as statement… drafts the statement from the selected
// transcript segment, its citation carried in Where, and links the segment
// to it (issue 21).
func TestASegmentIsRecordedAsAStatementWithItsCitation(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	searchFor(t, g, cv, "approval")
	idx := -1
	for i, h := range cv.results.hits {
		if h.Kind == "segment" {
			idx = i
			break
		}
	}
	if idx < 0 {
		t.Fatal("no segment among the hits for approval")
	}
	hit := cv.results.hits[idx]
	cv.tabs.Select(cv.statementsTab)
	g.settle(t)
	if !cv.stmts.recordBtn.Disabled() {
		t.Error("Record selection as statement… is offered with nothing selected")
	}
	cv.results.list.Select(idx)
	g.settle(t)
	if cv.stmts.recordBtn.Disabled() {
		t.Fatal("Record selection as statement… is disabled with a segment selected")
	}
	test.Tap(cv.stmts.recordBtn)
	g.settle(t)
	f := cv.stmts.form
	if f == nil {
		t.Fatal("no form opened")
	}
	if f.who.Text != hit.Speaker || f.words.Text != hit.Text || !strings.Contains(f.where.Text, "meeting.txt") ||
		!strings.Contains(f.where.Text, "line ") || !strings.Contains(f.where.Text, hit.ID) {
		t.Fatalf("draft who %q words %q where %q", f.who.Text, f.words.Text, f.where.Text)
	}
	f.dlg.Submit()
	g.settle(t)
	st, err := c.Statements(t.Context())
	if err != nil || len(st) != 1 {
		t.Fatalf("statements %+v, %v", st, err)
	}
	if st[0].Who != hit.Speaker || st[0].Words != hit.Text || len(st[0].Links) != 1 || st[0].Links[0].Item != hit.ID ||
		st[0].Links[0].Relation != "supports" {
		t.Errorf("recorded %+v", st[0])
	}
}
