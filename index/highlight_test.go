package index_test

import (
	"slices"
	"testing"

	"casebook/index"
)

// The stemmed field keeps no positions: a word's matches are found again in
// the text by the query's highlighter, every form the stemmer joins, never a
// word the query excludes; and a word that analyses to several terms is
// still found (as a phrase in the exact field, whose positions the hit
// carries).
func TestHighlighterMarksTheQuerysWordsInTheText(t *testing.T) {
	docs := []index.Doc{
		{ID: "seg-1", Kind: "segment", Text: "Engineers accessed the tables; access was logged, e-mail was not."},
		{ID: "seg-2", Kind: "segment", Text: "Nobody sent an email about the export."},
	}
	ix := newTestIndex(t, docs)
	marked := func(q, text string) []string {
		var out []string
		for _, s := range ix.Highlighter(q)(text) {
			out = append(out, text[s.Start:s.End])
		}
		return out
	}
	if got := marked("access", docs[0].Text); !slices.Equal(got, []string{"accessed", "access"}) {
		t.Errorf("access marks %q, want accessed and access", got)
	}
	if got := marked("tables NOT access", docs[0].Text); !slices.Equal(got, []string{"tables"}) {
		t.Errorf("tables NOT access marks %q, want only tables", got)
	}
	if got := marked(`"access was" OR speaker:access`, docs[0].Text); len(got) != 0 {
		t.Errorf("a phrase and a field term are not the highlighter's: it marks %q", got)
	}
	if got := ids(t, ix, index.Request{Query: "e-mail"}); !slices.Equal(got, []string{"seg-1"}) {
		t.Errorf("e-mail finds %v, want seg-1 (not the one-word email of seg-2)", got)
	}
	res, err := ix.Search(t.Context(), index.Request{Query: "e-mail", Size: 10})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("e-mail: %v, %v", res.Hits, err)
	}
	var spans []string
	for _, m := range res.Hits[0].Matches {
		spans = append(spans, docs[0].Text[m.Start:m.End])
	}
	slices.Sort(spans) // the hit's matches come term by term, in no set order
	if !slices.Equal(spans, []string{"e", "mail"}) {
		t.Errorf("e-mail's hit carries matches %q, want e and mail", spans)
	}
}
