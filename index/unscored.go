package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// unscoredQuery runs Query without scores, term vectors or explanations:
// for what a search leaves out (NOT), where only which documents match
// counts. Bleve builds a NOT clause with the options of the whole search
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
	return q.Query.Searcher(ctx, i, m, opts)
}
