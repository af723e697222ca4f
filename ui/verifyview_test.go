package ui

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	_ "github.com/mattn/go-sqlite3"

	"casebook/casefile"
	"casebook/model"
)

// editCaseDB changes a closed case's database as someone with sqlite3 would.
func editCaseDB(t *testing.T, dir, q string) {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(dir, "case.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func findingsShown(t *testing.T, v *caseView) fyne.CanvasObject {
	t.Helper()
	top := v.g.win.Canvas().Overlays().Top()
	if top == nil || v.findings == nil {
		t.Fatal("no findings dialog")
	}
	return top
}

func TestVerifyShowsTheChangedRecordWithAButtonThatOpensIt(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	editCaseDB(t, dir, `UPDATE events SET country = 'US' WHERE id = 1`)
	c2, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c2.Close() })
	cv := openTestCase(t, g, c2, dir)

	cv.onVerify()
	g.settle(t)
	top := findingsShown(t, cv)
	assertShows(t, top, "evt-1: was changed after the import (its fields differ from the sealed record)")
	test.Tap(buttonLabelled(t, top, "Open evt-1"))
	g.settle(t)
	if cv.sel.item != (model.ItemID{Kind: model.ItemEvent, N: 1}) {
		t.Errorf("Open evt-1 selected %v", cv.sel.item)
	}
	cv.findings.Hide()

	cv.onVerifyDeep()
	g.settle(t)
	top = findingsShown(t, cv)
	if texts := strings.Join(visibleTexts(top), "\n"); !strings.Contains(texts, `evt-1: country is "US" in the case, "CN" in the original`) {
		t.Errorf("--deep does not name the field: %s", texts)
	}
	cv.findings.Hide()
}

func TestARecipientChecksAReportExhibitByExhibitInTheWindow(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	ctx := t.Context()
	if _, err := c.Tag(ctx, model.ItemID{Kind: model.ItemEvent, N: 1}, "foreign-access", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tag(ctx, model.ItemID{Kind: model.ItemSegment, N: 1}, "key-quote", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	if err := c.WriteReport(ctx, &pdf, casefile.ReportOptions{Date: time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(report, pdf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cv := openTestCase(t, g, c, dir)
	cv.checkReport(report)
	g.settle(t)
	top := findingsShown(t, cv)
	assertShows(t, top, "Report verified: all 2 exhibits match the case")
	cv.findings.Hide()

	// The quoted segment is edited in the case after the report was written.
	if err := g.closeCase(); err != nil {
		t.Fatal(err)
	}
	editCaseDB(t, dir, `UPDATE segments SET text = 'Nothing to see here.' WHERE id = 1`)
	c2, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c2.Close() })
	cv = openTestCase(t, g, c2, dir)
	cv.checkReport(report)
	g.settle(t)
	texts := strings.Join(visibleTexts(findingsShown(t, cv)), "\n")
	for _, want := range []string{"Report check found 1 mismatch", "match  EX-0001  evt-1", "MISMATCH  EX-0002  seg-1"} {
		if !strings.Contains(texts, want) {
			t.Errorf("the check does not show %q:\n%s", want, texts)
		}
	}
}
