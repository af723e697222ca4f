package index

import (
	"context"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// A search with no words and one filter whose hits are one term's postings
// (an actor, a country, a category...) or a run of whole days' postings (a
// date range from one day to another) has its exact total in the term
// dictionary: the live documents of each posting list, summed. Each item
// has one value of a keyword field per term and one day, so the lists are
// disjoint. The page is then the first hits in the index's order — every
// hit of a search without words ranks the same — which Bleve finds without
// scoring and stops at, instead of counting a fifth of the case one hit at
// a time: the bench's actor filter at ten million rows counted 10,000 hits
// for 1.5 ms, and a week's date range 150,000 for 13.7 ms.

// filterTerms is the single filter of a search with no words whose hits are
// the union of disjoint postings: terms of field (a keyword value, or the
// days of a range). fold, when set, is the folded field the filter also
// looks in (names matched without diacritics); the total stands only when
// that field does not hold the term.
type filterTerms struct {
	field string
	term  string // the value; "" with days set
	// days, for a date range: the "day" terms from lo up to hi, inclusive
	// (hi "" for an open end).
	days   bool
	lo, hi string
	fold   string
}

// singleFilterTerms returns the filterTerms of r, or ok false when r has
// words, more than one filter, or a filter whose hits are not such a union
// (an IP, a date range with a bound inside a day).
func singleFilterTerms(r Request) (filterTerms, bool) {
	if !unscored(r.Query) {
		return filterTerms{}, false
	}
	f := r.Filter
	var out filterTerms
	n := 0
	for _, kv := range f.keywords() {
		v := strings.TrimSpace(kv.v)
		if v == "" {
			continue
		}
		n++
		v, err := enumValue(kv.field, v)
		if err != nil {
			return filterTerms{}, false // Compile refuses it
		}
		term := normalizeKeyword(kv.field, v)
		out = filterTerms{field: kv.field, term: term}
		if wordFields[kv.field] && isASCIIOnly(term) {
			out.fold = kv.field + foldSuffix
		}
	}
	if strings.TrimSpace(f.IP) != "" {
		return filterTerms{}, false
	}
	if r, ok := f.timeRange(); ok {
		n++
		start, end, err := timeSpan(r)
		if err != nil || !wholeDay(start) || !wholeDay(end) {
			return filterTerms{}, false
		}
		out = filterTerms{field: fieldDay, days: true, lo: "0000"}
		if !start.IsZero() {
			out.lo = start.UTC().Format(dayLayout)
		}
		if !end.IsZero() {
			if !end.After(start) {
				return filterTerms{}, false // an empty span: let the search say 0
			}
			out.hi = end.UTC().AddDate(0, 0, -1).Format(dayLayout)
		}
	}
	return out, n == 1
}

// wholeDay reports whether t is open (zero) or the start of a UTC day.
func wholeDay(t time.Time) bool {
	return t.IsZero() || utcDay(t).Equal(t)
}

// termTotalQuery runs Query and, from the snapshot its search reads, counts
// the live documents of ft's postings into total; counted is false when
// they do not give the total (the folded field holds the term).
type termTotalQuery struct {
	Query   query.Query
	ft      filterTerms
	total   uint64
	counted bool
}

// Searcher implements query.Query.
func (q *termTotalQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	total, ok, err := q.ft.count(ctx, i)
	if err != nil {
		return nil, err
	}
	q.total, q.counted = total, ok
	return q.Query.Searcher(ctx, i, m, options)
}

// count sums the live documents of the terms' postings in the snapshot i.
func (ft filterTerms) count(ctx context.Context, i bindex.IndexReader) (uint64, bool, error) {
	postings := func(field, term string) (uint64, error) {
		r, err := i.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			return 0, err
		}
		n := r.Count()
		return n, r.Close()
	}
	var terms []string
	if !ft.days {
		terms = []string{ft.term}
	} else {
		hi := ft.hi
		if hi == "" {
			hi = "9999-12-31"
		}
		d, err := i.FieldDictRange(ft.field, []byte(ft.lo), []byte(hi))
		if err != nil {
			return 0, false, err
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return 0, false, err
			}
			if e == nil {
				break
			}
			terms = append(terms, e.Term)
		}
		if err := d.Close(); err != nil {
			return 0, false, err
		}
	}
	var total uint64
	for _, t := range terms {
		if ft.fold != "" {
			n, err := postings(ft.fold, t)
			if err != nil || n > 0 {
				return 0, false, err
			}
		}
		n, err := postings(ft.field, t)
		if err != nil {
			return 0, false, err
		}
		total += n
	}
	return total, true, nil
}
