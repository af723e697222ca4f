package index

import (
	"context"
	"sort"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// proximityQuery is "a b c"~N: documents whose Field holds every term with
// at most Slop other words in the smallest stretch of text that contains
// them all, in any order. It runs as a conjunction of the terms (with term
// vectors) whose hits are kept only when the positions fit.
type proximityQuery struct {
	Field string
	Terms []string // analysed terms
	Slop  int
}

// Searcher implements query.Query.
func (q *proximityQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	terms := dedupe(q.Terms)
	conj, err := termConjunction(ctx, i, q.Field, terms, 1.0, options)
	if err != nil {
		return nil, err
	}
	field, slop := q.Field, q.Slop
	return searcher.NewFilteringSearcher(ctx, conj, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		return withinSlop(d.FieldTermLocations, field, terms, slop)
	}), nil
}

func dedupe(ts []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// withinSlop reports whether some stretch of the field holds every term
// with at most slop other positions in it.
func withinSlop(locs []search.FieldTermLocation, field string, terms []string, slop int) bool {
	idx := make(map[string]int, len(terms))
	for k, t := range terms {
		idx[t] = k
	}
	type occ struct {
		pos  uint64
		term int
	}
	var occs []occ
	for _, l := range locs {
		if l.Field != field {
			continue
		}
		if k, ok := idx[l.Term]; ok {
			occs = append(occs, occ{l.Location.Pos, k})
		}
	}
	sort.Slice(occs, func(a, b int) bool { return occs[a].pos < occs[b].pos })
	// The smallest window over occs holding every term (two pointers).
	need := len(terms)
	count := make([]int, need)
	have := 0
	lo := 0
	for hi := range occs {
		if count[occs[hi].term] == 0 {
			have++
		}
		count[occs[hi].term]++
		for have == need {
			width := int(occs[hi].pos-occs[lo].pos) + 1
			if width-need <= slop {
				return true
			}
			count[occs[lo].term]--
			if count[occs[lo].term] == 0 {
				have--
			}
			lo++
		}
	}
	return false
}
