package index

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// blevePhrase is Bleve's match-phrase query for an exact phrase: the
// query the compiler built before exactPhraseQuery.
func blevePhrase(q *exactPhraseQuery) query.Query {
	m := bleve.NewMatchPhraseQuery(strings.Join(q.Terms, " "))
	m.SetField(q.Field)
	m.Analyzer = exactQueryAnalyzer
	if q.Boost != 0 {
		m.SetBoost(q.Boost)
	}
	return m
}

// locations lists a hit's match locations as sorted strings.
func locations(h *search.DocumentMatch) []string {
	var out []string
	for field, tlm := range h.Locations {
		for term, locs := range tlm {
			for _, l := range locs {
				out = append(out, fmt.Sprintf("%s:%s@%d[%d,%d)%v", field, term, l.Pos, l.Start, l.End, l.ArrayPositions))
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestPhrasesFindScoreAndLocateAsBleves compares each exact phrase with
// Bleve's match-phrase query of the same terms, alone and inside a larger
// query: the same total, the same hits in the same order, the same scores
// and the same match locations. The corpus repeats terms, holds dotted
// words (indexed whole and in parts at one position) and accented ones
// (indexed as written and folded at one position).
func TestPhrasesFindScoreAndLocateAsBleves(t *testing.T) {
	ix, _ := speakerIndex(t,
		Doc{ID: "x-1", Kind: "segment", Text: "that that that account"},
		Doc{ID: "x-2", Kind: "segment", Text: "Read auth.log then the log, auth log and auth.log again"},
		Doc{ID: "x-3", Kind: "segment", Text: "Herr Müller said muller data twice: Müller data."},
	)
	c := &compiler{m: ix.idx.Mapping()}
	phrases := []string{
		"user data", "that account", "that that", "that that that", "auth log", "auth.log then", "log and auth",
		"muller data", "müller data", "dana redfern review", "mia chen", "alpha zeta",
	}
	matched := 0
	for _, text := range phrases {
		q := &exactPhraseQuery{Field: fieldExactText, Terms: c.analyze(exactQueryAnalyzer, text)}
		if w := compareHits(t, ix, text, q, blevePhrase(q), false); w > 0 {
			matched++
		}
		half := halfBoost(q)
		compareHits(t, ix, text+" (half boost)", half, blevePhrase(half.(*exactPhraseQuery)), false)
	}
	if matched < len(phrases)-1 {
		t.Errorf("only %d of %d phrases matched anything: the corpus tests too little", matched, len(phrases))
	}
	// Inside larger queries, where Bleve advances the phrase rather than
	// stepping through it, and beside the name shortcut (which moves the
	// scores' common scale).
	for _, text := range []string{`"user data" export`, `"that that" OR "auth log"`, `alpha -"user data"`,
		`"data user" "that that"`, `"müller data" OR mia`, `"that account" that`} {
		got, before := compileAsBefore(t, ix, text)
		if compareHits(t, ix, text, got, before, true) == 0 {
			t.Errorf("%s: no hit: the query tests nothing", text)
		}
	}
}

// compareHits runs two queries with match locations and reports where
// their results differ: the total, the hits' order, their scores (equal,
// or when scaled equal up to one common factor) and their locations. It
// returns the second query's total.
func compareHits(t *testing.T, ix *Index, text string, got, want query.Query, scaled bool) uint64 {
	t.Helper()
	run := func(q query.Query) *bleve.SearchResult {
		req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
		req.IncludeLocations = true
		res, err := ix.idx.Search(req)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		return res
	}
	g, w := run(got), run(want)
	if g.Total != w.Total || len(g.Hits) != len(w.Hits) {
		t.Errorf("%s: %d hits, the reference %d", text, g.Total, w.Total)
		return w.Total
	}
	scale := 1.0
	for i := range g.Hits {
		gh, wh := g.Hits[i], w.Hits[i]
		if i == 0 && scaled {
			scale = gh.Score / wh.Score
		}
		if gh.ID != wh.ID || math.Abs(gh.Score-scale*wh.Score) > 1e-9*math.Abs(gh.Score) {
			t.Errorf("%s: hit %d is %s scoring %g, the reference's %s scoring %g (×%g)", text, i, gh.ID, gh.Score, wh.ID, wh.Score, scale)
			break
		}
		if gl, wl := locations(gh), locations(wh); !slices.Equal(gl, wl) {
			t.Errorf("%s: %s matched at\n%v\nthe reference at\n%v", text, gh.ID, gl, wl)
			break
		}
	}
	return w.Total
}
