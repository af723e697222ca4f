package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casebook/internal/ftmcheck"
	"casebook/model"
)

// closeTop closes the topmost dialog.
func closeTop(g *harness) {
	if top := g.win.Canvas().Overlays().Top(); top != nil {
		top.Hide()
		g.win.Canvas().Overlays().Remove(top)
	}
}

func TestExportDataWritesEventsAsCSVAndTheCurrentSearchAsJSONLines(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	menuItem(t, g, "Export data (CSV, JSON Lines, FollowTheMoney)…").Action()
	d := cv.exportDialog
	if d == nil {
		t.Fatal("Export data… opened no dialog")
	}
	if !strings.HasSuffix(d.path.Text, "case-evidence.csv") {
		t.Errorf("the dialog proposes %q", d.path.Text)
	}
	d.what.SetSelected(exportEvents)
	if !strings.HasSuffix(d.path.Text, "case-events.csv") {
		t.Errorf("for events the dialog proposes %q", d.path.Text)
	}
	out := filepath.Join(t.TempDir(), "events.csv")
	d.path.SetText(out)
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Export"))
	g.settle(t)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no export written: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 4 || !strings.Contains(lines[1], "Wei Zhang") {
		t.Errorf("the events export holds %d lines, want a header and 3 events:\n%s", len(lines), b)
	}
	if d.written != "Wrote 3 rows to "+out+"." {
		t.Errorf("the export says %q", d.written)
	}
	closeTop(g)

	// The current search, as JSON Lines.
	searchFor(t, g, cv, "admin")
	cv.onExportData()
	d = cv.exportDialog
	d.format.SetSelected(formatJSONL)
	d.what.SetSelected(d.what.Options[2])
	if !strings.Contains(d.what.Options[2], "“admin”") {
		t.Errorf("the search choice reads %q", d.what.Options[2])
	}
	out = filepath.Join(t.TempDir(), "admin.jsonl")
	d.path.SetText(out)
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Export"))
	g.settle(t)
	b, err = os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(string(b)), "\n")
	if uint64(len(lines)) != cv.results.total {
		t.Errorf("the search export holds %d lines, the search %d hits", len(lines), cv.results.total)
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &row); err != nil || row["id"] == nil {
		t.Errorf("the first line %q is not a hit as JSON (%v)", lines[0], err)
	}
	trail, _ := c.AuditTrail(t.Context())
	if n := countAudit(trail, "export"); n != 2 {
		t.Errorf("the audit trail records %d exports, want 2", n)
	}
}

func countAudit(trail []model.AuditEntry, action string) int {
	n := 0
	for _, a := range trail {
		if a.Action == action {
			n++
		}
	}
	return n
}

// TestExportDataAsFollowTheMoneyWritesTheWholeCase: the FtM choice exports
// the whole case (every event, not the exhibits alone), valid against the
// vendored FtM model.
func TestExportDataAsFollowTheMoneyWritesTheWholeCase(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	cv.onExportData()
	d := cv.exportDialog
	d.format.SetSelected(formatFtM)
	if !d.what.Disabled() || !strings.HasSuffix(d.path.Text, "case-ftm.ftm.json") {
		t.Errorf("FtM: the choice of what is enabled (%v) or the path is %q", !d.what.Disabled(), d.path.Text)
	}
	out := filepath.Join(t.TempDir(), "case.ftm.json")
	d.path.SetText(out)
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Export"))
	g.settle(t)
	f, err := os.Open(out)
	if err != nil {
		t.Fatalf("no export written: %v", err)
	}
	defer f.Close()
	m, err := ftmcheck.Load(filepath.Join("..", "testdata", "ftm", "defaultModel.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := m.Check(f)
	for _, p := range got.Problems {
		t.Error(p)
	}
	info, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got.Schemata["Event"] != int(info.Events) || info.Events == 0 {
		t.Errorf("%d Events for the case's %d events", got.Schemata["Event"], info.Events)
	}
	if want := fmt.Sprintf("Wrote %d entities to %s.", got.Entities, out); d.written != want {
		t.Errorf("the export says %q, want %q", d.written, want)
	}
}
