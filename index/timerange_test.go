package index_test

import (
	"context"
	"slices"
	"sort"
	"testing"

	"casebook/index"
)

// TestTimeRangesAtEveryPrecision checks ranges whose bounds fall inside a
// day, on midnight, open, exclusive and inclusive, against items placed on
// either side of each bound: time ranges are matched as whole days plus the
// partial days at either end.
func TestTimeRangesAtEveryPrecision(t *testing.T) {
	docs := []index.Doc{
		{ID: "evt-1", Kind: "event", Text: "a", Time: day("2022-01-12T09:00:00Z")},
		{ID: "evt-2", Kind: "event", Text: "a", Time: day("2022-01-12T12:00:00Z")},
		{ID: "evt-3", Kind: "event", Text: "a", Time: day("2022-01-12T23:59:59Z")},
		{ID: "evt-4", Kind: "event", Text: "a", Time: day("2022-01-13T00:00:00Z")},
		{ID: "evt-5", Kind: "event", Text: "a", Time: day("2022-01-13T10:30:00Z")},
		{ID: "evt-6", Kind: "event", Text: "a", Time: day("2022-01-15T12:00:00Z")},
		{ID: "evt-7", Kind: "event", Text: "a", Time: day("1999-05-01T00:00:00Z")},
		{ID: "evt-8", Kind: "event", Text: "a"}, // no time
	}
	ix := newTestIndex(t, docs)
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"time:[2022-01-12T10:00:00Z TO 2022-01-13T10:30:00Z]", []string{"evt-2", "evt-3", "evt-4", "evt-5"}},
		{"time:[2022-01-12T10:00:00Z TO 2022-01-13T10:30:00Z}", []string{"evt-2", "evt-3", "evt-4"}},
		{"time:{2022-01-12T09:00:00Z TO *}", []string{"evt-2", "evt-3", "evt-4", "evt-5", "evt-6"}},
		{"time:[2022-01-12T09:30:00Z TO 2022-01-12T23:00:00Z]", []string{"evt-2"}},
		{"time:[* TO 2022-01-12T09:00:00Z}", []string{"evt-7"}},
		{"time:[* TO 2022-01-12T09:00:00Z]", []string{"evt-1", "evt-7"}},
		{"time:[2022-01-13 TO 2022-01-13]", []string{"evt-4", "evt-5"}},
		{"time:[2022-01-12T12:00:00Z TO 2022-01-14]", []string{"evt-2", "evt-3", "evt-4", "evt-5"}},
		{"time:[* TO *]", []string{"evt-1", "evt-2", "evt-3", "evt-4", "evt-5", "evt-6", "evt-7"}},
		{"time:2022-01", []string{"evt-1", "evt-2", "evt-3", "evt-4", "evt-5", "evt-6"}},
		{"time:1999", []string{"evt-7"}},
		{"time:2022-01-12T12:00:00Z", []string{"evt-2"}},
	} {
		res, err := ix.Search(context.Background(), index.Request{Query: c.q, Size: 100})
		if err != nil {
			t.Errorf("%s: %v", c.q, err)
			continue
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		sort.Strings(got)
		if !slices.Equal(got, c.want) || int(res.Total) != len(c.want) {
			t.Errorf("%s: %v (total %d), want %v", c.q, got, res.Total, c.want)
		}
	}
	// Sorted by time, items without one last, across years.
	res, err := ix.Search(context.Background(), index.Request{Query: "kind:event", ByTime: true, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, h := range res.Hits {
		order = append(order, h.ID)
	}
	if want := []string{"evt-7", "evt-1", "evt-2", "evt-3", "evt-4", "evt-5", "evt-6", "evt-8"}; !slices.Equal(order, want) {
		t.Errorf("by time: %v, want %v", order, want)
	}
	// A span of more than twenty years is counted by year.
	res, err = ix.Search(context.Background(), index.Request{Query: "kind:event", Facets: []string{index.MonthFacet}})
	if err != nil {
		t.Fatal(err)
	}
	years := res.Facets[index.MonthFacet]
	if len(years) != 24 || years[0] != (index.FacetCount{Term: "1999", Count: 1}) || years[23] != (index.FacetCount{Term: "2022", Count: 6}) {
		t.Errorf("year histogram: %v", years)
	}
}
