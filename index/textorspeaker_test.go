package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
)

// speakerCorpus is segments by four fictional speakers and events by
// actors, over a small vocabulary that holds the speakers' names too, so
// that words hit the text, the names, or both.
func speakerCorpus() []Doc {
	speakers := []string{"Mia Chen", "Wei Zhang", "Dana Redfern", "Reese Pembrook"}
	vocab := []string{"alpha", "beta", "gamma", "user", "data", "export", "mia", "chen", "dana", "redfern",
		"shanghai", "review", "approval", "e-mail", "zhang", "ledger", "reese", "pembrook", "auth.log", "müller",
		"muller", "that", "that"}
	rng := rand.New(rand.NewPCG(7, 15))
	words := func() string {
		n := 2 + rng.IntN(12)
		w := make([]string, n)
		for i := range w {
			w[i] = vocab[rng.IntN(len(vocab))]
		}
		return strings.Join(w, " ")
	}
	var docs []Doc
	for i := 0; i < 700; i++ {
		if i%3 == 2 {
			docs = append(docs, Doc{ID: fmt.Sprintf("evt-%d", i), Kind: "event", Source: "src-2",
				Actor: speakers[rng.IntN(len(speakers))], Text: words()})
			continue
		}
		docs = append(docs, Doc{ID: fmt.Sprintf("seg-%d", i), Kind: "segment", Source: "src-1",
			Speaker: speakers[rng.IntN(len(speakers))], Text: words()})
	}
	return docs
}

// speakerIndex is an index of speakerCorpus and the extra documents.
func speakerIndex(t *testing.T, extra ...Doc) (*Index, []Doc) {
	t.Helper()
	ix, err := Create(filepath.Join(t.TempDir(), "index"), "case-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	docs := append(speakerCorpus(), extra...)
	if err := ix.Apply(context.Background(), docs, nil, Position{Seq: 1}); err != nil {
		t.Fatal(err)
	}
	return ix, docs
}

// compileAsBefore compiles a query as the compiler does, and again as it
// did before the name shortcut, the exact phrase and the unscored NOT.
func compileAsBefore(t *testing.T, ix *Index, text string) (got, before query.Query) {
	t.Helper()
	n, err := ParseQuery(text)
	if err != nil {
		t.Fatal(err)
	}
	c := &compiler{m: ix.idx.Mapping()}
	if got, err = c.compile(n); err != nil {
		t.Fatal(err)
	}
	if before, err = c.compile(n); err != nil {
		t.Fatal(err)
	}
	return got, plainDisjunctions(before)
}

// plainDisjunctions replaces every textOrSpeaker in a compiled query with
// the disjunction it stands for, and every exact phrase with Bleve's
// match-phrase query, as the compiler built them before: the text, or the
// name as a phrase.
func plainDisjunctions(q query.Query) query.Query {
	switch q := q.(type) {
	case *textOrSpeaker:
		name := query.Query(bleve.NewMatchNoneQuery())
		if len(q.SpeakerTerms) > 0 {
			name = phraseQuery(fieldSpeakerWords, exactQueryAnalyzer, q.Speaker)
		}
		return bleve.NewDisjunctionQuery(plainDisjunctions(q.Text), name)
	case *exactPhraseQuery:
		return blevePhrase(q)
	case *unscoredQuery:
		return plainDisjunctions(q.Query)
	case *query.ConjunctionQuery:
		for i, c := range q.Conjuncts {
			q.Conjuncts[i] = plainDisjunctions(c)
		}
	case *query.DisjunctionQuery:
		for i, d := range q.Disjuncts {
			q.Disjuncts[i] = plainDisjunctions(d)
		}
	case *query.BooleanQuery:
		if q.Must != nil {
			q.Must = plainDisjunctions(q.Must)
		}
		if q.Should != nil {
			q.Should = plainDisjunctions(q.Should)
		}
		if q.MustNot != nil {
			q.MustNot = plainDisjunctions(q.MustNot)
		}
	}
	return q
}

// TestWordsInNoNameFindAndRankAsTheDisjunction compares each query with
// the plain disjunction of text and name it stands for: the same total,
// the same hits in the same order with the same match locations, and
// scores that differ only by one common factor. It also checks that the
// shortcut is taken: a word in no name runs as a term searcher alone.
func TestWordsInNoNameFindAndRankAsTheDisjunction(t *testing.T) {
	ctx := context.Background()
	ix, docs := speakerIndex(t)
	// Reese Pembrook's segments are deleted: the name is in no live
	// document, though its terms stay in the segment files.
	var gone []string
	for _, d := range docs {
		if d.Speaker == "Reese Pembrook" {
			gone = append(gone, d.ID)
		}
	}
	if err := ix.Apply(ctx, nil, gone, Position{Seq: 2}); err != nil {
		t.Fatal(err)
	}

	queries := []string{
		"alpha", "mia", "alpha mia", "dana -redfern", "dana NOT redfern", `"user data"`, `"dana redfern"`,
		`"mia chen" export`, "alpha OR chen", "gamma beta mia", "shanghai zhang", "e-mail", "e-mail dana",
		"reese", "pembrook alpha", `"reese pembrook"`, "ledger -gamma", "approval AND review", "zoë",
		`"alpha beta"~2 mia`, "alpha beta gamma user data",
	}
	for _, text := range queries {
		got, before := compileAsBefore(t, ix, text)
		if compareHits(t, ix, text, got, before, true) == 0 && text != "zoë" {
			t.Errorf("%s: no hit: the query tests nothing", text)
		}
	}

	// The shortcut is taken for a word in no live name, and not for a name.
	adv, err := ix.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c := &compiler{m: ix.idx.Mapping()}
	for word, alone := range map[string]bool{"alpha": true, "reese": true, "mia": false} {
		q := c.textOrSpeaker(c.phrase("text", textQueryAnalyzer, word), word)
		s, err := q.Searcher(ctx, r, ix.idx.Mapping(), search.SearcherOptions{})
		if err != nil {
			t.Fatal(err)
		}
		_, isTerm := s.(*searcher.TermSearcher)
		if isTerm != alone {
			t.Errorf("%s: searcher %T; want the text's term searcher alone: %v", word, s, alone)
		}
		s.Close()
	}
}
