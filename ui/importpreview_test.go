package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
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
