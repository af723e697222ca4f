package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"strconv"
)

// Hit is one search result.
type Hit struct {
	ID    string
	Score float64
	// Matches are the byte ranges of matching terms in the document's text
	// (the text, exact or CJK field, which all hold the same text). The
	// index stores no text itself; callers cut snippets from the record.
	Matches []Span
}

// Span is a byte range [Start, End) in a document's text.
type Span struct{ Start, End int }

// Results is one page of search results.
type Results struct {
	Total  uint64 // exact
	Hits   []Hit
	Facets map[string][]FacetCount
	// CountedWholeAt is set when the search counted the facets of the whole
	// index (no words, no filter) rather than finding them stored: the
	// position the index stood at before the search. A writer that can
	// show nothing was written since may keep them (StoreWholeFacets).
	CountedWholeAt *Position
}

// FacetCount is one value of a facet with its count.
type FacetCount struct {
	Term  string
	Count int
}

// Filter narrows a search to items with these values (each empty one is
// ignored). Values are matched whole, ignoring case.
type Filter struct {
	Kind, Source, Speaker, Actor, Country, Office, Tag, Category string
	Approval                                                     string // "yes" or "no"
	// IP is an address (the items carrying it) or a CIDR prefix (the items
	// carrying an address in it).
	IP string
	// From and To bound the time: YYYY, YYYY-MM, YYYY-MM-DD (whole
	// periods) or RFC 3339 instants, both ends inclusive.
	From, To string
}

// FacetFields are the fields Search can count.
var FacetFields = []string{"kind", "source", "speaker", "actor", "country", "office", "tag", "category", "approval", "ip"}

// facetSize is how many values of a field a facet lists, most frequent first.
const facetSize = 50

// MonthFacet is the name of the per-month histogram facet: terms "YYYY-MM"
// over the span of the hits' times, in order.
const MonthFacet = "month"

// Request is a search.
type Request struct {
	Query  string   // Casebook's query language; empty matches everything
	Filter Filter   // narrows the query
	Size   int      // hits per page (default 20)
	From   int      // offset
	Facets []string // fields to count (see FacetFields), and MonthFacet
	ByTime bool     // sort by time (then id) instead of score
}

// Compile parses and compiles a query with the filter into a Bleve query.
func (ix *Index) Compile(text string, f Filter) (query.Query, error) {
	n, err := ParseQuery(text)
	if err != nil {
		return nil, err
	}
	c := &compiler{m: ix.idx.Mapping()}
	q, err := c.compile(n)
	if err != nil {
		return nil, err
	}
	fq, err := c.filter(f)
	if err != nil {
		return nil, err
	}
	if len(fq) == 0 {
		return q, nil
	}
	// Filters choose, they do not rank: a hit's score is its words' alone
	// (a week's range would otherwise rank a hit by how few events its day
	// has), and every hit of a search without words ranks the same, in the
	// index's order. Unscored, a range of days is one merged postings list.
	filters := &unscoredQuery{Query: bleve.NewConjunctionQuery(fq...)}
	if _, all := n.(*All); all {
		return filters, nil
	}
	return bleve.NewConjunctionQuery(q, filters), nil
}

// FilterError is a filter value the field does not take (a misspelled kind,
// a malformed address or date): refused rather than silently matching nothing.
type FilterError struct {
	Field string
	Err   error
}

func (e *FilterError) Error() string { return e.Field + " filter: " + e.Err.Error() }

// Unwrap returns the reason.
func (e *FilterError) Unwrap() error { return e.Err }

// fieldValue is a filter's value for one keyword field.
type fieldValue struct{ field, v string }

// keywords are f's values of the keyword fields, the empty ones included.
func (f Filter) keywords() []fieldValue {
	return []fieldValue{
		{"kind", f.Kind}, {"source", f.Source}, {"speaker", f.Speaker}, {"actor", f.Actor}, {"country", f.Country},
		{"office", f.Office}, {"tag", f.Tag}, {"category", f.Category}, {"approval", f.Approval},
	}
}

// timeRange is f's date bounds as a range of the time field, both ends
// inclusive; ok is false when f has none.
func (f Filter) timeRange() (r *Range, ok bool) {
	if f.From == "" && f.To == "" {
		return nil, false
	}
	return &Range{Field: "time", Lo: f.From, Hi: f.To, LoIncl: true, HiIncl: true}, true
}

func (c *compiler) filter(f Filter) ([]query.Query, error) {
	var out []query.Query
	for _, kv := range f.keywords() {
		if v := strings.TrimSpace(kv.v); v != "" {
			v, err := enumValue(kv.field, v)
			if err != nil {
				return nil, &FilterError{Field: kv.field, Err: err}
			}
			out = append(out, keywordQuery(kv.field, normalizeKeyword(kv.field, v)))
		}
	}
	if v := strings.TrimSpace(f.IP); v != "" {
		q, ok := ipQuery(v)
		if !ok {
			return nil, &FilterError{Field: "ip", Err: errors.New(ipValueError(v))}
		}
		out = append(out, q)
	}
	if r, ok := f.timeRange(); ok {
		q, err := c.compileRange(r)
		if err != nil {
			return nil, &FilterError{Field: "date", Err: err}
		}
		out = append(out, q)
	}
	return out, nil
}

// Search runs one page of a search. The facets of the whole index come from
// those stored at the index's position, when there are.
func (ix *Index) Search(ctx context.Context, r Request) (Results, error) {
	return ix.search(ctx, r, true)
}

func (ix *Index) search(ctx context.Context, r Request, useStored bool) (Results, error) {
	var stored map[string][]FacetCount
	var before *Position
	if len(r.Facets) > 0 && wholeIndex(r) {
		if useStored {
			stored, _ = ix.cachedFacets(r.Facets)
		}
		if stored != nil {
			r.Facets = nil
		} else if pos, err := ix.Applied(); err == nil {
			before = &pos
		}
	}
	q, err := ix.Compile(r.Query, r.Filter)
	if err != nil {
		return Results{}, err
	}
	size := r.Size
	if size <= 0 {
		size = 20
	}
	req := bleve.NewSearchRequestOptions(q, size, r.From, false)
	req.IncludeLocations = true
	if r.ByTime {
		req.SortByCustom(timeSort(false))
	}
	// A single filter with no words, listed by relevance: the total is in
	// the term dictionary (filtertotal.go), and unscored Bleve stops at the
	// end of the page instead of counting every hit.
	var counted *termTotalQuery
	if len(r.Facets) == 0 && !r.ByTime {
		if ft, ok := singleFilterTerms(r); ok {
			counted = &termTotalQuery{Query: q, ft: ft}
			req.Query = counted
			req.Score = bleve.ScoreNone
		}
	}
	months := false
	var monthNames []string
	for _, f := range r.Facets {
		if f == MonthFacet {
			months = true
			continue
		}
		req.AddFacet(f, bleve.NewFacetRequest(f, facetSize))
	}
	if months {
		fr, names, err := ix.monthFacet(ctx, q)
		if err != nil {
			return Results{}, err
		}
		monthNames = names
		if fr != nil {
			req.AddFacet(MonthFacet, fr)
		}
	}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err == nil && counted != nil && !counted.counted {
		// The postings do not give the total: count the hits.
		req.Query, req.Score = q, ""
		res, err = ix.idx.SearchInContext(ctx, req)
	}
	if err != nil {
		return Results{}, searchErr(r.Query, err)
	}
	out := Results{Total: res.Total, Facets: map[string][]FacetCount{}}
	if counted != nil && counted.counted {
		out.Total = counted.total
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, toHit(h))
	}
	for name, fr := range res.Facets {
		fc := []FacetCount{}
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				fc = append(fc, FacetCount{Term: t.Term, Count: t.Count})
			}
		}
		for _, d := range fr.DateRanges {
			fc = append(fc, FacetCount{Term: d.Name, Count: d.Count})
		}
		if name == MonthFacet {
			fc = fillMonths(fc, monthNames)
		}
		out.Facets[name] = fc
	}
	for _, name := range r.Facets {
		if _, ok := out.Facets[name]; !ok {
			out.Facets[name] = []FacetCount{} // asked for, nothing to count (no times, say)
		}
	}
	if stored != nil {
		out.Facets = stored
	}
	out.CountedWholeAt = before
	return out, nil
}

// fillMonths puts the month counts in order, with the months no hit falls
// in (which Bleve leaves out) counted as zero; when the names are years,
// each month's count goes to its year.
func fillMonths(fc []FacetCount, names []string) []FacetCount {
	got := map[string]int{}
	byYear := len(names) > 0 && len(names[0]) == 4
	for _, f := range fc {
		if byYear && len(f.Term) >= 4 {
			got[f.Term[:4]] += f.Count
			continue
		}
		got[f.Term] = f.Count
	}
	out := make([]FacetCount, 0, len(names))
	for _, n := range names {
		out = append(out, FacetCount{Term: n, Count: got[n]})
	}
	return out
}

func searchErr(q string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("search %q: %w", q, err)
}

func toHit(h *search.DocumentMatch) Hit {
	hit := Hit{ID: h.ID, Score: h.Score}
	for _, field := range []string{"text", fieldExactText, fieldCJK} {
		for _, locs := range h.Locations[field] {
			for _, l := range locs {
				hit.Matches = append(hit.Matches, Span{Start: int(l.Start), End: int(l.End)})
			}
		}
	}
	// Bleve keeps locations in a map by term, and the text and exact fields
	// locate the same words: in order, once each, so that the same search
	// gives the same hit.
	slices.SortFunc(hit.Matches, func(a, b Span) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End)) })
	hit.Matches = slices.Compact(hit.Matches)
	return hit
}

// timeSort orders by time (items without one last), then by id. The time
// terms are fixed-width text, so text order is time order.
func timeSort(desc bool) search.SortOrder {
	return search.SortOrder{
		&search.SortField{Field: "time", Type: search.SortFieldAsString, Missing: search.SortFieldMissingLast, Desc: desc},
		&search.SortDocID{},
	}
}

// maxMonths bounds the histogram; a wider span is counted by year.
const maxMonths = 240

// monthFacet builds the facet of the "month" terms over the span of q's
// hits' times and names the months of the span in order (nil when no hit
// has a time); when the span is longer than maxMonths the names are years,
// and the month counts are summed into them.
func (ix *Index) monthFacet(ctx context.Context, q query.Query) (*bleve.FacetRequest, []string, error) {
	edge := func(desc bool) (time.Time, bool, error) {
		req := bleve.NewSearchRequestOptions(q, 1, 0, false)
		req.SortByCustom(timeSort(desc))
		req.Score = "none"
		res, err := ix.idx.SearchInContext(ctx, req)
		if err != nil || len(res.Hits) == 0 || len(res.Hits[0].Sort) == 0 {
			return time.Time{}, false, err
		}
		t, err := time.Parse(instantLayout, res.Hits[0].Sort[0])
		if err != nil {
			return time.Time{}, false, nil // no time: sorted last
		}
		return t, true, nil
	}
	first, ok, err := edge(false)
	if err != nil || !ok {
		return nil, nil, err
	}
	last, ok, err := edge(true)
	if err != nil || !ok {
		return nil, nil, err
	}
	var names []string
	start := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
	months := (last.Year()-first.Year())*12 + int(last.Month()-first.Month()) + 1
	fr := bleve.NewFacetRequest(fieldMonth, months)
	if months > maxMonths {
		for y := first.Year(); y <= last.Year(); y++ {
			names = append(names, strconv.Itoa(y))
		}
		return fr, names, nil
	}
	for m := 0; m < months; m++ {
		names = append(names, start.AddDate(0, m, 0).Format(monthLayout))
	}
	return fr, names, nil
}

// Count returns how many items a query with the filter matches.
func (ix *Index) Count(ctx context.Context, text string, f Filter) (uint64, error) {
	q, err := ix.Compile(text, f)
	if err != nil {
		return 0, err
	}
	if ft, ok := singleFilterTerms(Request{Query: text, Filter: f}); ok {
		counted := &termTotalQuery{Query: q, ft: ft}
		req := bleve.NewSearchRequestOptions(counted, 1, 0, false)
		req.Score = bleve.ScoreNone
		if _, err := ix.idx.SearchInContext(ctx, req); err != nil {
			return 0, searchErr(text, err)
		}
		if counted.counted {
			return counted.total, nil
		}
	}
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	req.Score = "none"
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return 0, searchErr(text, err)
	}
	return res.Total, nil
}

// streamPage is how many hits SearchAll fetches at a time.
const streamPage = 2000

// SearchAll streams every hit of a search, page by page (search_after, so
// there is no cap on how deep it goes), in time order when r.ByTime and in
// id order otherwise; r.Size, r.From and r.Facets are ignored. fn gets each
// page and the exact total; an error from fn stops the search and is
// returned.
func (ix *Index) SearchAll(ctx context.Context, r Request, fn func(page []Hit, total uint64) error) error {
	q, err := ix.Compile(r.Query, r.Filter)
	if err != nil {
		return err
	}
	order := search.SortOrder{&search.SortDocID{}}
	if r.ByTime {
		order = timeSort(false)
	}
	var after []string
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		req := bleve.NewSearchRequestOptions(q, streamPage, 0, false)
		req.IncludeLocations = true
		req.SortByCustom(order)
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := ix.idx.SearchInContext(ctx, req)
		if err != nil {
			return searchErr(r.Query, err)
		}
		if len(res.Hits) == 0 {
			return nil
		}
		page := make([]Hit, len(res.Hits))
		for i, h := range res.Hits {
			page[i] = toHit(h)
		}
		if err := fn(page, res.Total); err != nil {
			return err
		}
		if len(res.Hits) < streamPage {
			return nil
		}
		next := res.Hits[len(res.Hits)-1].Sort
		if slices.Equal(next, after) {
			return fmt.Errorf("search %q: paging did not advance", r.Query)
		}
		after = next
	}
}
