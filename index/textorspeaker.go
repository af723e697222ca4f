package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// fieldSpeakerWords holds the words of a segment's speaker label, folded
// and unstemmed, so that a name typed in the search box finds what that
// person said.
const fieldSpeakerWords = "speaker_words"

// textOrSpeaker is a word or phrase looked for in the text or in the
// speaker's name: the disjunction of Text and the phrase of Speaker in
// speaker_words. "zuckerberg" finds where he is mentioned and what he said.
//
// Most words of a search are in no speaker's name, and the disjunction
// costs Bleve a merge and a scorer call on every hit of the text side: on
// the bench's 100 queries over a million rows, about a fifth of the search
// time. So the searcher first looks the name's terms up in the snapshot it
// searches. When one of them is in no document the name side cannot match,
// and the text side runs alone at half its boost: the disjunction scores a
// hit that matched one of its two clauses at half the clause's score (its
// coordination factor), so the hits, their total and their order are the
// same. Only the scores' common scale moves: Bleve normalises every score
// of a query by the weights of all its terms, and the absent term no
// longer counts.
type textOrSpeaker struct {
	Text query.Query // a term or phrase query on a text field

	// Speaker is the text as typed; SpeakerTerms its terms as
	// speaker_words' query analyzer gives them. Empty when the words cannot
	// match a name (the speaker words are folded to ASCII).
	Speaker      string
	SpeakerTerms []string
}

// Searcher implements query.Query.
func (q *textOrSpeaker) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	inNames, err := allTermsPresent(ctx, i, fieldSpeakerWords, q.SpeakerTerms)
	if err != nil {
		return nil, err
	}
	if inNames {
		return q.disjunction().Searcher(ctx, i, m, options)
	}
	return halfBoost(q.Text).Searcher(ctx, i, m, options)
}

// disjunction is the query textOrSpeaker answers when the name's terms are
// there: the text, or the name.
func (q *textOrSpeaker) disjunction() *query.DisjunctionQuery {
	var name query.Query
	if len(q.SpeakerTerms) == 1 {
		// One word: a term query, several times faster than a one-word
		// phrase, and the same documents.
		name = termQuery(fieldSpeakerWords, q.SpeakerTerms[0])
	} else {
		name = phraseQuery(fieldSpeakerWords, exactQueryAnalyzer, q.Speaker)
	}
	return bleve.NewDisjunctionQuery(q.Text, name)
}

// allTermsPresent reports whether every term is in some live document's
// field in the reader's snapshot; false for no terms.
func allTermsPresent(ctx context.Context, i bindex.IndexReader, field string, terms []string) (bool, error) {
	if len(terms) == 0 {
		return false, nil
	}
	for _, t := range terms {
		r, err := i.TermFieldReader(ctx, []byte(t), field, false, false, false)
		if err != nil {
			return false, fmt.Errorf("look %s:%q up: %w", field, t, err)
		}
		n := r.Count()
		if err := r.Close(); err != nil {
			return false, fmt.Errorf("look %s:%q up: %w", field, t, err)
		}
		if n == 0 {
			return false, nil
		}
	}
	return true, nil
}

// halfBoost returns a copy of q scored at half its boost. The compiler
// hands textOrSpeaker a term or an exact phrase; anything else (a phrase
// whose text analysed to no term) is kept in a disjunction with nothing,
// which Bleve scores the same way.
func halfBoost(q query.Query) query.Query {
	switch q := q.(type) {
	case *query.TermQuery:
		c := *q
		c.SetBoost(q.Boost() / 2)
		return &c
	case *exactPhraseQuery:
		c := *q
		c.Boost = q.boost() / 2
		return &c
	}
	return bleve.NewDisjunctionQuery(q, bleve.NewMatchNoneQuery())
}
