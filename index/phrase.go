package index

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// exactPhraseQuery is a quoted phrase in a field that keeps positions:
// documents where the terms stand next to each other, in order. It finds
// and scores what Bleve's match-phrase query does (the same conjunction of
// term searchers, the same scores, the same match locations), and differs
// in the work: Bleve's phrase searcher builds maps of every candidate
// document's term locations to test the phrase, and for a phrase of common
// words, where the conjunction hands over tens of thousands of candidates,
// those maps are a third of the search ("that account" on the bench's
// million rows). This tests the locations in the list the conjunction
// hands over.
type exactPhraseQuery struct {
	Field string
	Terms []string // analysed, one per position
	Boost float64  // 0 means 1
}

// boost is the phrase's boost, 1 when unset.
func (q *exactPhraseQuery) boost() float64 {
	if q.Boost == 0 {
		return 1
	}
	return q.Boost
}

// Searcher implements query.Query.
func (q *exactPhraseQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	if len(q.Terms) == 0 {
		return searcher.NewMatchNoneSearcher(i)
	}
	// One term searcher per position, a repeated term too, as Bleve's
	// phrase searcher has: the score sums them.
	conj, err := termConjunction(ctx, i, q.Field, q.Terms, q.boost(), options)
	if err != nil {
		return nil, err
	}
	field, terms := q.Field, q.Terms
	return searcher.NewFilteringSearcher(ctx, conj, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		found := phraseAt(d.FieldTermLocations, field, terms)
		if len(found) == 0 {
			return false
		}
		// The hit's locations are the phrase's occurrences only, as
		// Bleve's phrase searcher leaves them.
		d.FieldTermLocations = found
		return true
	}), nil
}

// termConjunction is the documents whose field holds every term, one term
// searcher per term with its term vectors: the positions a phrase or a
// proximity filters the hits by. Its score sums the terms' scores.
func termConjunction(ctx context.Context, i bindex.IndexReader, field string, terms []string, boost float64, options search.SearcherOptions) (search.Searcher, error) {
	opts := options
	opts.IncludeTermVectors = true
	subs := make([]search.Searcher, 0, len(terms))
	closeAll := func() {
		for _, s := range subs {
			_ = s.Close()
		}
	}
	for _, t := range terms {
		s, err := searcher.NewTermSearcher(ctx, i, t, field, boost, opts)
		if err != nil {
			closeAll()
			return nil, err
		}
		subs = append(subs, s)
	}
	conj, err := searcher.NewConjunctionSearcher(ctx, i, subs, opts)
	if err != nil {
		closeAll()
		return nil, err
	}
	return conj, nil
}

// phraseAt returns the locations of every occurrence of the phrase terms
// at consecutive positions of field (in one value of the field), term by
// term; nil when there is none. It runs for every candidate document of
// the conjunction, so it allocates only for a match.
func phraseAt(ftls []search.FieldTermLocation, field string, terms []string) []search.FieldTermLocation {
	var out []search.FieldTermLocation
	var buf [8]int
	path := buf[:0]
	for f, first := range ftls {
		// A term repeated in the phrase is listed once per searcher: try
		// each of its locations once.
		if first.Field != field || first.Term != terms[0] || locationAt(ftls[:f], field, terms[0], first.Location) >= 0 {
			continue
		}
		path = append(path[:0], f)
		for k := 1; k < len(terms); k++ {
			next := first.Location
			next.Pos += uint64(k)
			j := locationAt(ftls, field, terms[k], next)
			if j < 0 {
				break
			}
			path = append(path, j)
		}
		if len(path) == len(terms) {
			for _, j := range path {
				out = append(out, ftls[j])
			}
		}
	}
	return out
}

// locationAt returns the index of term's location in field at l's position
// and in l's value of the field; -1 when there is none.
func locationAt(ftls []search.FieldTermLocation, field, term string, l search.Location) int {
	for j := range ftls {
		m := &ftls[j]
		if m.Location.Pos == l.Pos && m.Term == term && m.Field == field && slices.Equal(m.Location.ArrayPositions, l.ArrayPositions) {
			return j
		}
	}
	return -1
}
