package casefile_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"casebook/bench/gen"
	"casebook/casefile"
	"casebook/model"
)

// besideQueries are searches whose totals a reader beside the writer must
// give exactly as the writer does (text, a field, an address, everything).
var besideQueries = []string{"*", "approval", "country:CN", "kind:segment", "kind:event AND NOT country:US"}

func counts(t *testing.T, c *casefile.Case) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	for _, q := range besideQueries {
		n, err := c.Count(t.Context(), casefile.Query{Text: q})
		if err != nil {
			t.Fatalf("count %q: %v", q, err)
		}
		out[q] = n
	}
	return out
}

func openBeside(t *testing.T, dir string) *casefile.Case {
	t.Helper()
	r, err := casefile.OpenReadOnly(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("open beside the writer: %v", err)
	}
	if !r.ReadingBeside() {
		t.Fatal("the case is held by a writer, yet the reader does not say it reads beside one")
	}
	if ro, why := r.ReadOnly(); !ro || why == "" {
		t.Fatalf("a reader beside a writer must be read-only with a reason, got %v %q", ro, why)
	}
	return r
}

// TestReadBesideAWriter: while one Case holds the case folder (the writer:
// an import in another terminal, the window), another opens it read-only
// and searches, exports and reports instead of being refused. Its index is
// a copy of what the writer had persisted when it opened, and stays whole
// while the writer goes on indexing and merging segments beneath it.
func TestReadBesideAWriter(t *testing.T) {
	ctx := t.Context()
	w, dir := newCase(t)
	importOK(t, w, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	before := counts(t, w)
	if before["*"] == 0 || before["country:CN"] == 0 || before["kind:segment"] == 0 {
		t.Fatalf("the fixtures should give segments and CN events: %v", before)
	}

	r1 := openBeside(t, dir)
	if got := counts(t, r1); !equalCounts(got, before) {
		t.Fatalf("reader beside the writer counts %v, the writer %v", got, before)
	}
	if n, err := r1.IndexBehind(ctx); err != nil || n != 0 {
		t.Fatalf("index behind: %d, %v; want 0", n, err)
	}

	// The writer stores a larger log without indexing it: a reader opened
	// now reads the new records from the database but searches the index
	// as the writer left it, and says how far behind that is.
	data := t.TempDir()
	const rows = 20000
	if err := gen.Write(data, gen.Config{Meetings: 1, Cues: 1, LogRows: rows, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	importOK(t, w, casefile.ImportOptions{DeferIndex: true}, filepath.Join(data, "access_logs.csv"))
	r2 := openBeside(t, dir)
	if n, err := r2.IndexBehind(ctx); err != nil || n != rows {
		t.Fatalf("index behind after a deferred import of %d rows: %d, %v", rows, n, err)
	}
	if got := counts(t, r2); !equalCounts(got, before) {
		t.Fatalf("the copy should hold what the writer's index held: %v, want %v", got, before)
	}
	infoW, err := w.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	info2, err := r2.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info2.Events != infoW.Events || info2.Segments != infoW.Segments {
		t.Fatalf("the reader's database shows %d events, the writer's %d", info2.Events, infoW.Events)
	}

	// The writer catches up (twenty batches, merged as they come) while
	// r2 keeps searching its copy.
	var wg sync.WaitGroup
	var catchErr error
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		catchErr = w.CatchUp(context.Background(), nil)
	}()
	for searching := true; searching; {
		select {
		case <-done:
			searching = false
		default:
		}
		if got := counts(t, r2); !equalCounts(got, before) {
			t.Fatalf("while the writer indexed, the reader's copy changed: %v, want %v", got, before)
		}
	}
	wg.Wait()
	if catchErr != nil {
		t.Fatalf("catch-up beside a reader: %v", catchErr)
	}
	after := counts(t, w)
	if after["*"] != before["*"]+rows {
		t.Fatalf("after the catch-up the writer finds %d items, want %d", after["*"], before["*"]+rows)
	}
	r3 := openBeside(t, dir)
	if got := counts(t, r3); !equalCounts(got, after) {
		t.Fatalf("a reader opened after the catch-up counts %v, the writer %v", got, after)
	}

	// Exports and reports are on record: their audit entries go into the
	// trail the writer keeps too.
	var csv bytes.Buffer
	n, err := r3.Export(ctx, &csv, casefile.ExportOptions{Format: "csv", What: "search", Query: casefile.Query{Text: "country:CN"}})
	if err != nil || uint64(n) != after["country:CN"] {
		t.Fatalf("export beside the writer: %d rows, %v; want %d", n, err, after["country:CN"])
	}
	pdf := filepath.Join(t.TempDir(), "report.pdf")
	if err := r3.WriteReportFile(ctx, pdf, casefile.ReportOptions{}); err != nil {
		t.Fatalf("report beside the writer: %v", err)
	}
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("the report is not a PDF: %v", err)
	}
	trail, err := w.AuditTrail(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail[max(len(trail)-2, 0):] {
		actions = append(actions, e.Action)
	}
	if len(actions) != 2 || actions[0] != "export" || actions[1] != "report" {
		t.Fatalf("the trail should end with the reader's export and report, ends with %v", actions)
	}
	if v, err := w.Verify(ctx, nil); err != nil || !v.OK {
		t.Fatalf("verify after the reader's audit entries: %+v, %v", v.Problems, err)
	}

	// Every other change is refused.
	if _, err := r3.AddNote(ctx, model.ItemID{Kind: model.ItemEvent, N: 1}, "not here", false); !errors.Is(err, casefile.ErrReadOnly) {
		t.Fatalf("a note from a reader beside the writer: %v, want ErrReadOnly", err)
	}
	if err := r2.CatchUp(ctx, nil); !errors.Is(err, casefile.ErrReadOnly) {
		t.Fatalf("a catch-up of a reader's copy: %v, want ErrReadOnly", err)
	}

	// Closing removes the copies; one a crashed reader left is swept by
	// the next open.
	for _, r := range []*casefile.Case{r1, r2, r3} {
		if err := r.Close(); err != nil {
			t.Fatalf("close reader: %v", err)
		}
	}
	readers := filepath.Join(dir, "index.readers")
	if _, err := os.Stat(readers); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the readers' copies are still there after they closed: %v", err)
	}
	left := filepath.Join(readers, "999999-crashed")
	if err := os.MkdirAll(filepath.Join(left, "index", "store"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(left, "reader.lock"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	w.Close()
	w2, err := casefile.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the copy a crashed reader left was not swept: %v", err)
	}
}

func equalCounts(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
