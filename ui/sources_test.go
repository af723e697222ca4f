package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casebook/casefile"
)

func TestASourceWithRejectedRowsOffersToListThemAndHelpListsTheFormats(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	src := sourceNamed(t, c, "access.csv")
	cv.sources.selectSource(sourceUID(src))
	g.settle(t)
	test.Tap(buttonLabelled(t, cv.details.content, "Show the 1 rejected row…"))
	g.settle(t)
	top := g.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no rejected rows shown")
	}
	assertShows(t, top, "Rejected rows of "+sourceUID(src)+" (1)")
	assertShows(t, top, "yesterday,E102,Ana Ruiz,Madrid,ES,user_db,PII,EU,7,")
	closeTop(g)

	// A transcript without rejects offers nothing.
	cv.sources.selectSource(sourceUID(sourceNamed(t, c, "meeting.txt")))
	g.settle(t)
	if cv.details.actions.Visible() {
		t.Error("a source without rejected rows offers actions")
	}

	menuItem(t, g, "Formats Casebook reads…").Action()
	top = g.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Help shows no formats")
	}
	assertShows(t, top, "Formats")
	help := formatsHelp()
	for _, f := range casefile.Formats() {
		if !strings.Contains(help, "**"+f.Title+"**") {
			t.Errorf("the formats help does not list %s:\n%s", f.Title, help)
		}
	}
}
