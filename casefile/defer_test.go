package casefile_test

import (
	"path/filepath"
	"testing"

	"casebook/casefile"
	"casebook/index"
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

// TestOpenToStoreLeavesTheIndexBehind stores two logs with deferred imports,
// the second through OpenToStore: the index is not brought in step in
// between, and the next Open indexes both at once.
func TestOpenToStoreLeavesTheIndexBehind(t *testing.T) {
	c, dir := newCase(t)
	res, err := c.Import(t.Context(), []string{accessFixture}, casefile.ImportOptions{DeferIndex: true}, nil)
	if err != nil || res[0].Err != nil {
		t.Fatalf("import: %v %v", err, res)
	}
	c.Close()
	c2, err := casefile.OpenToStore(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	res2, err := c2.Import(t.Context(), []string{transcriptFixture}, casefile.ImportOptions{DeferIndex: true}, nil)
	if err != nil || res2[0].Err != nil {
		t.Fatalf("import: %v %v", err, res2)
	}
	c2.Close()
	ix, err := index.Open(filepath.Join(dir, "index"), caseID(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	n, err := ix.DocCount()
	ix.Close()
	if err != nil || n != 0 {
		t.Fatalf("the index holds %d documents after two deferred imports (%v), want 0", n, err)
	}
	c3, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c3.Close()
	if got := searchTotal(t, c3); int64(got) != res[0].Records+res2[0].Records {
		t.Fatalf("after opening: %d items searchable, want %d", got, res[0].Records+res2[0].Records)
	}
}
