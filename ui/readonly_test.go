package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

func TestAReadOnlyCaseShowsABannerAndDisablesEveryChange(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	before, err := c.AuditTrail(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	g.openCaseWith(dir, true) // File → Open case read-only…
	g.settle(t)
	cv := g.cv
	if cv == nil {
		t.Fatal("the case did not open read-only")
	}
	t.Cleanup(func() { _ = g.closeCase() })
	if cv.banner == nil || !cv.banner.Visible() ||
		!strings.HasPrefix(cv.banner.Text, "Read-only: opened for reading only — changes are refused") {
		t.Fatalf("the banner reads %v", cv.banner)
	}
	assertShows(t, g.win.Content(), cv.banner.Text)

	// The toolbar's and the menu's changes are disabled; reading is not.
	for _, label := range []string{"Import files…", "Reindex", "Export report…"} {
		if b := buttonLabelled(t, cv.content, label); !b.Disabled() {
			t.Errorf("the toolbar's %s is enabled", label)
		}
	}
	if b := buttonLabelled(t, cv.content, "Verify case"); b.Disabled() {
		t.Error("Verify case is disabled in a read-only case")
	}
	for _, label := range []string{"Import files…", "Import a folder…", "Reindex", "Tag the selection…", "Run rules",
		"Export report…", "Export data (CSV, JSON Lines, FollowTheMoney)…"} {
		if !menuItem(t, g, label).Disabled {
			t.Errorf("the menu's %s is enabled", label)
		}
	}
	if menuItem(t, g, "Pack case for hand-over…").Disabled || menuItem(t, g, "Search").Disabled {
		t.Error("packing or searching is disabled in a read-only case")
	}
	if !cv.review.runBtn.Disabled() || !cv.stmts.newBtn.Disabled() || !cv.results.saveBtn.Disabled() {
		t.Error("Run rules, New statement… or Save search is enabled")
	}

	// Search works; the hit's Tag… and Note… are disabled.
	searchFor(t, g, cv, "admin")
	if cv.results.total == 0 {
		t.Fatal("search finds nothing in the read-only case")
	}
	cv.results.list.Select(0)
	g.settle(t)
	if !cv.details.tagBtn.Disabled() || !cv.details.noteBtn.Disabled() {
		t.Error("Tag… or Note… is enabled on a hit of a read-only case")
	}
	cv.tabs.Select(cv.statementsTab)
	g.settle(t)
	if !cv.stmts.supportBtn.Disabled() {
		t.Error("linking evidence to a statement is enabled")
	}

	// Keys and drops that would change it are refused with the reason.
	cv.onTag()
	top := g.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Ctrl+T in a read-only case said nothing")
	}
	assertShows(t, top, "This case is read-only")
	top.Hide()
	g.win.Canvas().Overlays().Remove(top)
	drop(g, writeTemp(t, "more.txt", "Mia Chen: one more line\n"))
	g.settle(t)
	if g.prog.Busy() || cv.preparing {
		t.Error("a drop on a read-only case started an import")
	}

	// A speaker can be read about, not merged.
	if got := nodeText(cv.sources, branchSpeakers); got != "Speakers (2)" {
		t.Errorf("the speakers branch of the read-only case reads %q", got)
	}
	cv.sources.tree.Select(branchSpeakers + facetSep + "Wei Zhang")
	g.settle(t)
	if len(cv.speakerButtons) != 3 || cv.details.title.Text != "Wei Zhang" {
		t.Fatalf("picking Wei Zhang shows %q with %d actions", cv.details.title.Text, len(cv.speakerButtons))
	}
	for _, b := range cv.speakerButtons {
		if b, ok := b.(*widget.Button); ok && b.Text != "Search their lines" && !b.Disabled() {
			t.Errorf("the speaker's %s is enabled", b.Text)
		}
	}

	// Settings are shown, not saved.
	cv.onSettings()
	g.settle(t)
	if d := cv.settings; d == nil || !d.changeButtons[0].Disabled() || !strings.Contains(d.status.Text, "Read-only") {
		t.Error("the settings of a read-only case can be saved")
	}
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Close"))

	// Nothing was written; closing enables the menu again.
	if err := g.closeCase(); err != nil {
		t.Fatal(err)
	}
	if menuItem(t, g, "Import files…").Disabled {
		t.Error("the menu stays disabled after the read-only case closed")
	}
	ro, err := casefile.OpenReadOnly(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, err := ro.AuditTrail(t.Context())
	ro.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("the audit trail grew from %d to %d entries while the case was read-only", len(before), len(after))
	}
	g.openCase(dir)
	g.settle(t)
	if g.cv == nil || g.cv.readOnly != "" || g.cv.banner != nil {
		t.Fatal("the case did not open writable again")
	}
}
