package casefile

import (
	"context"
	"path/filepath"
	"testing"

	"casebook/bench/gen"
	"casebook/index"
)

// The whole-case facets the window lists on opening: counted once after a
// bulk catch-up and taken from the index after that, equal to counts of
// each value made by searches filtering two fields, and counted again (and kept) once
// an import has moved the index on.
func TestWholeCaseFacetsAreKeptAndFollowTheCase(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	if err := gen.Write(data, gen.Config{Meetings: 1, Cues: 1, LogRows: bulkBacklog, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "case")
	c, err := Create(ctx, dir, CreateOptions{Title: "facets"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Import(ctx, []string{filepath.Join(data, "access_logs.csv")}, ImportOptions{DeferIndex: true}, nil)
	if err != nil || res[0].Err != nil {
		t.Fatalf("import: %v %v", err, res)
	}
	c.Close()
	c, err = Open(ctx, dir, nil) // the catch-up of bulkBacklog events, which counts them
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	all := index.Request{Facets: append(append([]string{}, index.FacetFields...), index.MonthFacet)}
	first, err := c.idx.Search(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	if first.CountedWholeAt != nil {
		t.Fatal("the listing after a bulk catch-up counted the facets again")
	}
	whole, err := c.Search(ctx, Query{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if whole.Total != bulkBacklog {
		t.Fatalf("%d hits, want %d", whole.Total, bulkBacklog)
	}
	for _, f := range []struct {
		name string
		set  func(*Filters, string)
	}{
		{"country", func(q *Filters, v string) { q.Country = v }},
		{"category", func(q *Filters, v string) { q.Category = v }},
		{"actor", func(q *Filters, v string) { q.Actor = v }},
	} {
		if len(whole.Facets[f.name]) == 0 {
			t.Fatalf("no %s facet: %v", f.name, whole.Facets)
		}
		for _, fc := range whole.Facets[f.name] {
			// With the kind as a second filter (every such hit is an
			// event), so the count is made by the index, not taken
			// from the kept facets as a single filter's would be.
			q := Query{Filters: Filters{Kind: "event"}}
			f.set(&q.Filters, fc.Term)
			n, err := c.Count(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if int(n) != fc.Count {
				t.Errorf("%s %s: the kept facet says %d, a filtered count %d", f.name, fc.Term, fc.Count, n)
			}
		}
	}
	// Four more events: the index moves on, the next listing counts them.
	if res, err := c.Import(ctx, []string{filepath.Join("testdata", "access.csv")}, ImportOptions{}, nil); err != nil || res[0].Err != nil {
		t.Fatalf("second import: %v %v", err, res)
	}
	after, err := c.Search(ctx, Query{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	kind := func(r Results) int {
		for _, f := range r.Facets["kind"] {
			if f.Term == "event" {
				return f.Count
			}
		}
		return 0
	}
	if kind(after) != bulkBacklog+4 || after.Total != bulkBacklog+4 {
		t.Errorf("after four more events: kind facet %d, total %d, want %d", kind(after), after.Total, bulkBacklog+4)
	}
	// That count was kept: the next listing takes it.
	again, err := c.idx.Search(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	if again.CountedWholeAt != nil {
		t.Error("a listing counted afresh was not kept for the next")
	}
}
