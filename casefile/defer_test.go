package casefile_test

import (
	"testing"

	"casebook/casefile"
)

// TestADeferredImportIsSearchableAfterCatchUpOrReopen stores a log without
// indexing it: its rows are in the database at once, the index is behind
// until CatchUp, and a reopened case catches up by itself.
func TestADeferredImportIsSearchableAfterCatchUpOrReopen(t *testing.T) {
	c, dir := newCase(t)
	res, err := c.Import(t.Context(), []string{accessFixture}, casefile.ImportOptions{DeferIndex: true}, nil)
	if err != nil || res[0].Err != nil {
		t.Fatalf("import: %v %v", err, res)
	}
	rows := res[0].Records
	evs, err := c.Events(t.Context(), 1, 0, 1000)
	if err != nil || int64(len(evs)) != rows {
		t.Fatalf("%d events readable from the database, want %d (%v)", len(evs), rows, err)
	}
	if n := searchTotal(t, c); n != 0 {
		t.Fatalf("the index already holds %d items before the catch-up", n)
	}
	if err := c.CatchUp(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	if n := searchTotal(t, c); int64(n) != rows {
		t.Fatalf("after the catch-up the index holds %d items, want %d", n, rows)
	}

	// Deferred again, then closed and reopened: Open catches up.
	res, err = c.Import(t.Context(), []string{transcriptFixture}, casefile.ImportOptions{DeferIndex: true}, nil)
	if err != nil || res[0].Err != nil {
		t.Fatalf("import: %v %v", err, res)
	}
	c2 := reopen(t, c, dir)
	if n := searchTotal(t, c2); int64(n) != rows+res[0].Records {
		t.Fatalf("after reopening the index holds %d items, want %d", n, rows+res[0].Records)
	}
}
