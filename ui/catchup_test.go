package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casebook/casefile"
)

// bigAccessLog is a fictional access log of n rows in the fixture's format.
func bigAccessLog(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("timestamp,employee_id,employee_name,office,office_country,resource,data_category,subject_region,record_count,approval_id\n")
	for i := range n {
		fmt.Fprintf(&b, "2024-04-%02dT%02d:%02d:00Z,E%d,Person %d,Beijing,CN,us_users.phone,PII,US,%d,\n",
			1+i%28, i%24, i%60, 2000+i%40, i%40, 1+i%700)
	}
	return writeTemp(t, "big-access.csv", b.String())
}

func TestABackgroundIndexedImportFillsTheAccessLogAtOnceAndSearchCatchesUpWithAStatus(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	before, err := c.Count(t.Context(), casefile.Query{})
	if err != nil {
		t.Fatal(err)
	}
	const rows = 9000
	log := bigAccessLog(t, rows)

	cv.startImportWith([]string{log}, false, true) // "Index for search in the background" ticked
	g.pumpUntil(t, func() bool { return cv.idx.running })
	if !cv.idx.box.Visible() || !strings.HasPrefix(cv.idx.text.Text,
		"Indexing 0% — search results are incomplete until it finishes; the access-log table is complete.") {
		t.Errorf("after the import the strip reads %q", cv.idx.text.Text)
	}
	if r := cv.importResults; r == nil || !strings.Contains(r.summary.Text, "Search is being indexed in the background") {
		t.Error("the import results do not say search is indexed in the background")
	}
	// The rows are in the case, and the access-log table reads them, at once.
	src := sourceNamed(t, c, "big-access.csv")
	if src.Records != rows {
		t.Fatalf("the log has %d records, want %d", src.Records, rows)
	}
	if evs, err := c.AccessLogEvents(t.Context(), src.ID, "records", true, rows-1, 10); err != nil || len(evs) != 1 {
		t.Errorf("the access-log table's last row: %d rows, %v", len(evs), err)
	}

	// Half-way, the strip counts, and search sees part of the log.
	g.pumpUntil(t, func() bool {
		return strings.HasPrefix(cv.idx.text.Text, "Indexing ") && !strings.HasPrefix(cv.idx.text.Text, "Indexing 0%")
	})
	if !strings.Contains(cv.idx.text.Text, "of 9,000 items)") {
		t.Errorf("half-way the strip reads %q", cv.idx.text.Text)
	}
	if n, err := c.Count(t.Context(), casefile.Query{}); err != nil || n >= before+rows {
		t.Errorf("half-way search finds %d items (%v), want fewer than %d", n, err, before+rows)
	}
	capture(t, g.win, "indexing")

	g.settle(t)
	if cv.idx.running || cv.idx.box.Visible() {
		t.Errorf("the strip stays after the catch-up: %q", cv.idx.text.Text)
	}
	if n, err := c.Count(t.Context(), casefile.Query{}); err != nil || n != before+rows {
		t.Errorf("after the catch-up search finds %d items (%v), want %d", n, err, before+rows)
	}
	if cv.results.total != before+rows {
		t.Errorf("the search tab lists %d items after the catch-up, want %d", cv.results.total, before+rows)
	}
}

func TestIndexingInTheBackgroundCanBeCancelledAndResumedAndStopsWhenTheCaseCloses(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	// Above the size limit a drop indexes in the background by itself.
	old := deferIndexAbove
	deferIndexAbove = 10
	t.Cleanup(func() { deferIndexAbove = old })
	drop(g, writeTemp(t, "later.txt", "Mia Chen: The export ran again on Sunday\nWei Zhang: It did.\n"))
	g.settle(t)
	if r := cv.importResults; r == nil || !strings.Contains(r.summary.Text, "indexed in the background") {
		t.Errorf("a drop above the size limit was not indexed in the background: %v", r.summary.Text)
	}
	if cv.idx.box.Visible() {
		t.Errorf("the strip stays after the catch-up: %q", cv.idx.text.Text)
	}
	if n, _ := c.Count(t.Context(), casefile.Query{Text: "sunday"}); n != 1 {
		t.Errorf("after the catch-up sunday finds %d, want 1", n)
	}

	// A catch-up that takes its time: cancel it, then resume.
	started := 0
	cv.catchUp = func(ctx context.Context, p casefile.ProgressFunc) error {
		started++
		p(casefile.Progress{Stage: "index", Done: 45, Total: 100})
		<-ctx.Done()
		return fmt.Errorf("update index: %w", ctx.Err())
	}
	cv.startCatchUp()
	g.pumpUntil(t, func() bool { return strings.HasPrefix(cv.idx.text.Text, "Indexing 45%") })
	want := "Indexing 45% — search results are incomplete until it finishes; the access-log table is complete. (45 of 100 items)"
	if cv.idx.text.Text != want || cv.idx.bar.Value != 45 {
		t.Errorf("the strip reads %q at %v", cv.idx.text.Text, cv.idx.bar.Value)
	}
	cv.onVerify()
	if top := g.win.Canvas().Overlays().Top(); top == nil || g.prog.Busy() {
		t.Error("Verify case ran while the index was catching up")
	} else {
		assertShows(t, top, "Indexing in the background")
		top.Hide()
		g.win.Canvas().Overlays().Remove(top)
	}
	test.Tap(cv.idx.cancelBtn)
	g.settle(t)
	if cv.idx.running || !cv.idx.resumeBtn.Visible() || cv.idx.cancelBtn.Visible() ||
		!strings.HasPrefix(cv.idx.text.Text, "Indexing stopped — search results stay incomplete") {
		t.Errorf("after Cancel the strip reads %q (resume shown %v)", cv.idx.text.Text, cv.idx.resumeBtn.Visible())
	}
	cv.catchUp = c.CatchUp
	test.Tap(cv.idx.resumeBtn)
	g.settle(t)
	if cv.idx.box.Visible() || cv.idx.running {
		t.Errorf("after Resume the strip reads %q", cv.idx.text.Text)
	}

	// Closing the case stops a catch-up still running.
	cv.catchUp = func(ctx context.Context, p casefile.ProgressFunc) error {
		started++
		<-ctx.Done()
		return ctx.Err()
	}
	cv.startCatchUp()
	if err := g.closeCase(); err != nil {
		t.Fatal(err)
	}
	g.settle(t) // would time out if the catch-up went on
	if started != 2 {
		t.Errorf("the slow catch-up started %d times, want 2", started)
	}
}
