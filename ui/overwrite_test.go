package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// earlier is what the investigator's existing file holds.
const earlier = "the investigator's earlier file"

func TestTheReportDialogNeverReplacesAFileSilently(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	today := time.Now().Format(time.DateOnly)

	// A report already beside the case: the dialog proposes a dated name.
	if err := os.WriteFile(defaultReportPath(dir), []byte(earlier), 0o600); err != nil {
		t.Fatal(err)
	}
	menuItem(t, g, "Export report…").Action()
	d := cv.reportDialog
	g.settle(t)
	want := strings.TrimSuffix(defaultReportPath(dir), ".pdf") + "-" + today + ".pdf"
	if d.path.Text != want {
		t.Errorf("with %s taken the dialog proposes %s, want %s", defaultReportPath(dir), d.path.Text, want)
	}

	// Writing over it asks; Esc cancels back to the dialog, nothing written.
	out := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(out, []byte(earlier), 0o600); err != nil {
		t.Fatal(err)
	}
	d.path.SetText(out)
	pressKey(g.win, fyne.KeyReturn) // Export
	if d.replace == nil || !dialogShown(g.win) {
		t.Fatal("exporting over an existing file asked nothing")
	}
	assertShows(t, g.win.Canvas().Overlays().Top(), "Replace report.pdf?")
	pressKey(g.win, fyne.KeyEscape)
	g.settle(t)
	if g.prog.Busy() || !dialogShown(g.win) {
		t.Fatal("Esc on the question wrote the report or closed the report dialog")
	}
	if b, _ := os.ReadFile(out); string(b) != earlier {
		t.Fatal("Esc on the question changed the file")
	}

	// Enter takes the default: a new dated name; the old file stays.
	pressKey(g.win, fyne.KeyReturn) // Export
	pressKey(g.win, fyne.KeyReturn) // Save as report-DATE.pdf
	g.settle(t)
	dated := filepath.Join(filepath.Dir(out), "report-"+today+".pdf")
	if b, err := os.ReadFile(dated); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("the report was not written to %s (%v)", dated, err)
	}
	if b, _ := os.ReadFile(out); string(b) != earlier {
		t.Error("saving under a new name changed the existing file")
	}
	closeTop(g)

	// Replace replaces, on purpose.
	menuItem(t, g, "Export report…").Action()
	d = cv.reportDialog
	d.openAfter.SetChecked(false)
	d.path.SetText(out)
	d.onExport()
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Replace"))
	g.settle(t)
	if b, _ := os.ReadFile(out); !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Error("Replace left the old file")
	}
}

func TestTheExportDialogTakesEscAndNeverReplacesAFileSilently(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	cv.onExportData()
	if !dialogShown(g.win) {
		t.Fatal("no export dialog")
	}
	pressKey(g.win, fyne.KeyEscape)
	if dialogShown(g.win) {
		t.Fatal("Esc left the export dialog open")
	}

	out := filepath.Join(t.TempDir(), "events.csv")
	if err := os.WriteFile(out, []byte(earlier), 0o600); err != nil {
		t.Fatal(err)
	}
	cv.onExportData()
	d := cv.exportDialog
	d.what.SetSelected(exportEvents)
	d.path.SetText(out)
	g.win.Canvas().Focus(d.path)
	pressKey(g.win, fyne.KeyReturn) // Enter in the path field: Export
	if d.replace == nil {
		t.Fatal("exporting over an existing file asked nothing")
	}
	pressKey(g.win, fyne.KeyReturn) // Save as events-DATE.csv
	g.settle(t)
	dated := filepath.Join(filepath.Dir(out), "events-"+time.Now().Format(time.DateOnly)+".csv")
	b, err := os.ReadFile(dated)
	if err != nil || len(strings.Split(strings.TrimSpace(string(b)), "\n")) != 4 {
		t.Fatalf("the export at %s holds %q (%v), want a header and 3 events", dated, b, err)
	}
	if b, _ := os.ReadFile(out); string(b) != earlier {
		t.Error("the export changed the existing file")
	}
}
