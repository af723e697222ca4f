package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// lumoraSSHDNoHeader is a fictional login export without a header row, its
// columns known to no format.
const lumoraSSHDNoHeader = "2022-02-01T08:15:00Z;vagrant;198.51.100.7;login\n" +
	"2022-02-01T08:17:41Z;mira.okafor;203.0.113.5;sudo\n" +
	"2022-02-02T23:48:19Z;vagrant;198.51.100.7;logout\n"

// dropOnTestCase opens the test case in the window and drops a file named
// name holding body on it; the window's goroutines are left to settle.
func dropOnTestCase(t *testing.T, name, body string) (*harness, *casefile.Case, *caseView, string) {
	t.Helper()
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	path := writeTemp(t, name, body)
	drop(g, path)
	return g, c, cv, path
}

// A file whose bytes are in the case already is refused before anything is
// asked about it: no mapping dialog, though its columns are unknown, and
// the results say it is in the case, naming the source.
func TestAFileInTheCaseIsRefusedBeforeTheMappingDialog(t *testing.T) {
	g, c, cv, _ := dropOnTestCase(t, "vendor.csv", vendorLog)
	g.settle(t)
	if cv.mapDialog == nil {
		t.Fatal("a log with unknown columns showed no mapping dialog")
	}
	for role, col := range map[string]string{"time": "when_utc", "actor": "emp"} {
		cv.mapDialog.setRole(role, col)
	}
	cv.mapDialog.submit()
	g.settle(t)
	src := sourceNamed(t, c, "vendor.csv")
	cv.importResults.dlg.Hide()

	// The same bytes under another name, with a new file beside it.
	again := writeTemp(t, "vendor-copy.csv", vendorLog)
	fresh := writeTemp(t, "meeting-2.txt", strings.ReplaceAll(fixtureTranscript, "Mia Chen", "Ana Ruiz"))
	cv.mapDialog = nil
	drop(g, again, fresh)
	g.settle(t)
	if cv.mapDialog != nil {
		t.Fatal("the mapping dialog opened for a file that is in the case already")
	}
	r := cv.importResults
	if r == nil || len(r.results) != 2 {
		t.Fatalf("import results %+v, want two files", r)
	}
	var refused, imported int
	for _, res := range r.results {
		switch {
		case res.File == again && res.Err != nil && strings.Contains(res.Err.Error(), "already in the case as "+sourceUID(src)):
			refused++
		case res.File == fresh && res.Err == nil:
			imported++
		}
	}
	if refused != 1 || imported != 1 {
		t.Errorf("results %+v: want the copy refused naming %s and the transcript imported", r.results, sourceUID(src))
	}
	if !strings.Contains(r.summary.Text, "1 file already in the case") {
		t.Errorf("the summary says %q", r.summary.Text)
	}
	// The results stay until dismissed: after the window settled, the
	// dialog is still the top overlay.
	g.settle(t)
	if !isShown(g, r) {
		t.Error("the import results went away by themselves")
	}

	// Only the copy, alone: the results say so at once, no import runs.
	r.dlg.Hide()
	cv.importResults = nil
	drop(g, again)
	g.settle(t)
	if cv.mapDialog != nil || cv.importResults == nil || len(cv.importResults.results) != 1 ||
		!strings.Contains(cv.importResults.summary.Text, "already in the case") {
		t.Fatalf("a file in the case alone: mapping %v, results %+v", cv.mapDialog != nil, cv.importResults)
	}
}

// isShown reports whether the results dialog is the window's top overlay.
func isShown(g *harness, r *importResults) bool {
	top := g.win.Canvas().Overlays().Top()
	return top != nil && slices.Contains(visibleTexts(top), r.summary.Text)
}

// A log without a header row: the dialog names its columns by position and
// a sample, a chosen column shows in its select, and the import keeps the
// first row.
func TestMappingDialogLabelsColumnsOfAFileWithoutHeader(t *testing.T) {
	g, c, cv, _ := dropOnTestCase(t, "lumora_sshd.csv", lumoraSSHDNoHeader)
	g.settle(t)
	d := cv.mapDialog
	if d == nil {
		t.Fatal("no mapping dialog for a log without a header")
	}
	want := []string{"Column 1 (e.g. 2022-02-01T08:15:00Z)", "Column 2 (e.g. vagrant)", "Column 3 (e.g. 198.51.100.7)", "Column 4 (e.g. login)"}
	if !slices.Equal(d.columns, want) {
		t.Errorf("columns %q, want %q", d.columns, want)
	}
	if got := d.roles["time"].Selected; got != want[0] {
		t.Errorf("time preset to %q, want %q (by its values)", got, want[0])
	}
	if got := cellText(d.table, 0, 1); got != "vagrant" {
		t.Errorf("the table's first row shows %q in column 2, want the file's first row", got)
	}
	if got := columnHeading(d.table, 0); got != "Column 1 → time" {
		t.Errorf("the first column's heading is %q", got)
	}
	top := g.win.Canvas().Overlays().Top()
	assertShows(t, top, mappingIntro(d.pv))
	capture(t, g.win, "mapping-noheader")

	// Choose the actor by its label, as the dropdown offers it: every
	// select shows its choice in full.
	d.roles["actor"].SetSelected(want[1])
	relayoutWindow(g.win)
	for role, sel := range d.roles {
		if !selectFits(&sel.Select) {
			t.Errorf("the select of %s is %v wide, too narrow to show %q", role, sel.Size().Width, sel.Selected)
		}
	}
	test.Tap(buttonLabelled(t, top, "Import with this mapping"))
	g.settle(t)
	src := sourceNamed(t, c, "lumora_sshd.csv")
	if src.Kind != model.KindAccessLog || src.Records != 3 {
		t.Fatalf("imported as %s with %d records, want an access log of 3 (the first row kept)", src.Kind, src.Records)
	}
	evs, err := c.Events(t.Context(), src.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 3 || evs[0].ActorName != "vagrant" || evs[0].Row != 1 || evs[0].Offset != 0 {
		t.Errorf("first event %+v", evs[0])
	}
}

// selectFits reports whether a select is wide enough to show its choice
// without cutting it.
func selectFits(sel *widget.Select) bool {
	// Fyne gives the text the width less the arrow, three inner paddings
	// and less one padding (select.go, selectRenderer.Layout).
	need := fyne.MeasureText(sel.Selected, theme.TextSize(), fyne.TextStyle{}).Width +
		theme.IconInlineSize() + 3*theme.InnerPadding() - theme.Padding()
	return sel.Visible() && sel.Size().Width >= need
}

// Reading the files before an import, and Preview…, show progress with
// Cancel from their start: a folder of large logs takes a while.
func TestImportPreparationAndPreviewShowProgress(t *testing.T) {
	g, _, cv, log := dropOnTestCase(t, "vendor.csv", vendorLog)
	if !g.prog.box.Visible() || !strings.HasPrefix(g.prog.title.Text, "Preparing the import") || g.prog.cancelBtn.Disabled() {
		t.Errorf("while the files are read the panel shows %v %q", g.prog.box.Visible(), g.prog.title.Text)
	}
	g.settle(t)
	if g.prog.box.Visible() || cv.mapDialog == nil {
		t.Fatalf("after reading: panel shown %v, mapping dialog %v", g.prog.box.Visible(), cv.mapDialog != nil)
	}
	cv.mapDialog.dlg.Hide()

	p := &importPicker{v: cv}
	p.add(log)
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Preview…"))
	if !g.prog.box.Visible() || !strings.HasPrefix(g.prog.title.Text, "Previewing") {
		t.Errorf("while previewing the panel shows %v %q", g.prog.box.Visible(), g.prog.title.Text)
	}
	g.settle(t)
	if cv.dryRunText == nil || !strings.Contains(cv.dryRunText.Text, "vendor.csv") {
		t.Errorf("no preview after the job")
	}
}
