package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// The import dialog's Preview… reads the chosen files as the import would
// and says what would be stored and rejected, storing nothing.
func TestImportPreviewShowsWhatWouldBeStoredAndStoresNothing(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	v := openTestCase(t, g, c, dir)
	before, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	purview, err := filepath.Abs(filepath.Join("..", "importer", "testdata", "m365", "lumora_purview_export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "lumora_bad.csv")
	os.WriteFile(bad, []byte("Date,User,IP,Action\nsoon,mira.okafor,203.0.113.5,read\n"), 0o600)

	p := &importPicker{v: v}
	p.add(purview)
	p.add(bad)
	var preview *widget.Button
	for _, o := range test.LaidOutObjects(g.win.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Preview…" {
			preview = b
		}
	}
	if preview == nil {
		t.Fatal("the import dialog has no Preview… button")
	}
	test.Tap(preview)
	g.pumpUntil(t, func() bool { return v.dryRunText != nil })
	text := v.dryRunText.Text
	for _, want := range []string{
		"read as m365-audit: 6 records would be stored, 0 rows rejected",
		"FileDownloaded",
		"read as csv-accesslog: 0 records would be stored, 1 row rejected",
		`row 1: time "soon": not a time Casebook can read`,
		"would not be imported",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}
	after, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if after.Sources != before.Sources || after.Events != before.Events {
		t.Errorf("the preview stored something: %+v → %+v", before, after)
	}
}

// The mapping dialog asks how dates such as 05/10/2025 read; the choice
// is the import's --date-order.
func TestMappingDialogDateOrderReadsAmbiguousDates(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	log := writeTemp(t, "lumora_badge.csv", "stamp,emp,door\n05/10/2025 09:15,mira.okafor,R&D-2\n06/10/2025 17:40,tomas.reyes,R&D-2\n")
	drop(g, log)
	g.settle(t)
	d := cv.mapDialog
	if d == nil {
		t.Fatal("no mapping dialog for a log with unknown columns")
	}
	top := g.win.Canvas().Overlays().Top()
	assertShows(t, top, "Dates such as 05/10/2025")
	d.roles["time"].SetSelected("stamp")
	d.roles["actor"].SetSelected("emp")
	d.dates.SetSelected(dateOrderChoices[1])
	test.Tap(buttonLabelled(t, top, "Import with this mapping"))
	g.settle(t)
	src := sourceNamed(t, c, "lumora_badge.csv")
	if src.Records != 2 {
		t.Fatalf("imported %d records, want 2", src.Records)
	}
	res, err := c.Search(t.Context(), casefile.Query{Text: "actor:mira.okafor", Limit: 5})
	if err != nil || res.Total != 1 || res.Hits[0].Time.Format("2006-01-02 15:04") != "2025-10-05 09:15" {
		t.Fatalf("day-first import: %v %+v", err, res.Hits)
	}
}
