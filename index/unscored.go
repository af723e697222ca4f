package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// unscoredQuery runs Query without scores, term vectors or explanations:
// for what a search leaves out (NOT) and for filters, where only which
// documents match counts. Bleve builds a NOT clause with the options of the whole search
// and never uses its scores (they are not part of any hit's score nor of
// the query's norm); unscored, a disjunction of terms, such as a word in
// the text or in a speaker's name, becomes one merged postings list
// (Bleve's "unadorned" disjunction), which the search advances past each
// candidate hit for a fraction of the cost: "dana -redfern" over the
// bench's million rows asks it 53,000 times.
type unscoredQuery struct {
	Query query.Query
}

// Searcher implements query.Query.
func (q *unscoredQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	opts := options
	opts.Score = "none"
	opts.IncludeTermVectors = false
	opts.Explain = false
	s, err := q.Query.Searcher(ctx, i, m, opts)
	if err != nil {
		return nil, err
	}
	return weightless{s}, nil
}

// weightless is a searcher that takes no part in the query's norm, so
// that the scores of what is scored beside it (a query's words beside
// its filters) are the scores they have alone, not scaled by its weight.
type weightless struct{ search.Searcher }

// Weight implements search.Searcher: nothing to add to the norm.
func (weightless) Weight() float64 { return 0 }

// SetQueryNorm implements search.Searcher: it scores nothing.
func (weightless) SetQueryNorm(float64) {}
