package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"casebook/index"
)

// The facets of the whole index, once counted and stored, are what a fresh
// count gives, and they are used only at the position they were counted at:
// after one more document the listing counts again and shows it.
func TestStoredWholeFacetsAreUsedOnlyAtTheirPosition(t *testing.T) {
	ctx := context.Background()
	ix, err := index.Create(filepath.Join(t.TempDir(), "index"), "case-1")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	countries := []string{"DE", "FR", "IE", "DE", "US", "DE"}
	var docs []index.Doc
	for i, c := range countries {
		docs = append(docs, index.Doc{ID: fmt.Sprintf("evt-%d", i+1), Kind: "event", Country: c, Actor: "ana",
			Text: "viewed record", Time: time.Date(2024, time.Month(1+i%3), 5, 0, 0, 0, 0, time.UTC)})
	}
	if err := ix.Apply(ctx, docs, nil, index.Position{Seq: 1}); err != nil {
		t.Fatal(err)
	}
	all := index.Request{Size: 5, Facets: append(append([]string{}, index.FacetFields...), index.MonthFacet)}
	counted, err := ix.Search(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	if counted.CountedWholeAt == nil || *counted.CountedWholeAt != (index.Position{Seq: 1}) {
		t.Fatalf("a first listing says it counted at %v, want 1/0", counted.CountedWholeAt)
	}
	if got := facet(counted, "country", "DE"); got != 3 {
		t.Fatalf("country DE counted %d, want 3", got)
	}
	if err := ix.CountWholeFacets(ctx); err != nil {
		t.Fatal(err)
	}
	stored, err := ix.Search(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	if stored.CountedWholeAt != nil {
		t.Error("the listing counted again although the facets were stored at this position")
	}
	if !reflect.DeepEqual(stored.Facets, counted.Facets) || stored.Total != counted.Total || len(stored.Hits) != len(counted.Hits) {
		t.Errorf("stored facets differ from a count:\n%v\n%v", stored.Facets, counted.Facets)
	}
	// A filtered search never takes them.
	de, err := ix.Search(ctx, index.Request{Facets: []string{"country"}, Filter: index.Filter{Country: "DE"}})
	if err != nil {
		t.Fatal(err)
	}
	if de.CountedWholeAt != nil || len(de.Facets["country"]) != 1 || de.Facets["country"][0].Count != 3 {
		t.Errorf("filtered to DE: facets %v (counted whole at %v)", de.Facets, de.CountedWholeAt)
	}
	more := index.Doc{ID: "evt-7", Kind: "event", Country: "DE", Actor: "ben", Text: "exported", Time: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}
	if err := ix.Apply(ctx, []index.Doc{more}, nil, index.Position{Seq: 2}); err != nil {
		t.Fatal(err)
	}
	after, err := ix.Search(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	if after.CountedWholeAt == nil {
		t.Error("the listing took facets stored before the last write")
	}
	if got := facet(after, "country", "DE"); got != 4 {
		t.Errorf("country DE after one more: %d, want 4", got)
	}
	if got := facet(after, "actor", "ben"); got != 1 {
		t.Errorf("actor ben after one more: %d, want 1", got)
	}
	if got := facet(after, index.MonthFacet, "2024-05"); got != 1 {
		t.Errorf("month 2024-05 after one more: %d, want 1", got)
	}
}

func facet(r index.Results, name, term string) int {
	for _, f := range r.Facets[name] {
		if f.Term == term {
			return f.Count
		}
	}
	return 0
}
