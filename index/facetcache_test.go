package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
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

// A single filter with no words takes its total from the kept facets and its
// page from the first hits: the same total and the same hits, in the same
// order, as a search the index counts hit by hit — the same filter with a
// second one every hit also passes. The comparison is made on the index
// opened read-only, so that no merge reorders it in between.
func TestASingleFilterWithKeptFacetsAnswersAsACountingSearch(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index")
	ix, err := index.Create(path, "case-1")
	if err != nil {
		t.Fatal(err)
	}
	countries := []string{"DE", "FR", "IE", "US"}
	var docs []index.Doc
	for i := 0; i < 300; i++ {
		docs = append(docs, index.Doc{ID: fmt.Sprintf("evt-%d", i+1), Kind: "event", Source: "src-1", Country: countries[i*i%7%4],
			Category: fmt.Sprintf("cat%d", i%3), Approval: []string{"yes", "no"}[i%2], Text: "viewed record"})
	}
	for i := 0; i < 40; i++ {
		docs = append(docs, index.Doc{ID: fmt.Sprintf("seg-%d", i+1), Kind: "segment", Source: "src-2", Text: "said something"})
	}
	for lo := 0; lo < len(docs); lo += 50 { // several segments, as a real index has
		if err := ix.Apply(ctx, docs[lo:min(lo+50, len(docs))], nil, index.Position{Seq: int64(lo/50 + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.CountWholeFacets(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.MarkReady(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = index.OpenReadOnly(path, "case-1")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, c := range []struct {
		single, also index.Filter
		size, from   int
		query        string
	}{
		{index.Filter{Country: "DE"}, index.Filter{Country: "DE", Kind: "event"}, 7, 0, ""},
		{index.Filter{Country: "de"}, index.Filter{Country: "de", Kind: "event"}, 7, 20, ""},
		{index.Filter{Country: "JP"}, index.Filter{Country: "JP", Kind: "event"}, 7, 0, ""}, // in no document
		{index.Filter{Category: "cat1"}, index.Filter{Category: "cat1", Source: "src-1"}, 20, 0, ""},
		{index.Filter{Approval: "yes"}, index.Filter{Approval: "yes", Kind: "event"}, 5, 140, ""},
		{index.Filter{Kind: "transcript"}, index.Filter{Kind: "transcript", Source: "src-2"}, 10, 0, ""},
		{index.Filter{Source: "src-2"}, index.Filter{Source: "src-2", Kind: "segment"}, 3, 0, "*"},
	} {
		kept, err := ix.Search(ctx, index.Request{Query: c.query, Filter: c.single, Size: c.size, From: c.from})
		if err != nil {
			t.Fatal(err)
		}
		counted, err := ix.Search(ctx, index.Request{Query: c.query, Filter: c.also, Size: c.size, From: c.from})
		if err != nil {
			t.Fatal(err)
		}
		if kept.Total != counted.Total || len(kept.Hits) != len(counted.Hits) {
			t.Errorf("%+v: total %d, %d hits; counted hit by hit: %d, %d", c.single, kept.Total, len(kept.Hits), counted.Total, len(counted.Hits))
			continue
		}
		for k := range kept.Hits {
			if kept.Hits[k].ID != counted.Hits[k].ID {
				t.Errorf("%+v: hit %d is %s; counted hit by hit: %s", c.single, k, kept.Hits[k].ID, counted.Hits[k].ID)
			}
		}
		n, err := ix.Count(ctx, c.query, c.single)
		if err != nil || n != counted.Total {
			t.Errorf("%+v: Count %d (%v), want %d", c.single, n, err, counted.Total)
		}
		want := 0
		for _, d := range docs {
			if (c.single.Country == "" || strings.EqualFold(d.Country, c.single.Country)) &&
				(c.single.Category == "" || d.Category == c.single.Category) &&
				(c.single.Approval == "" || d.Approval == c.single.Approval) &&
				(c.single.Kind == "" || d.Kind == "segment") && (c.single.Source == "" || d.Source == c.single.Source) {
				want++
			}
		}
		if int(kept.Total) != want {
			t.Errorf("%+v: total %d, the documents hold %d", c.single, kept.Total, want)
		}
	}
}
