package index

import (
	"strings"
)

// Highlighter returns, for a query, a function that finds the query's
// stemmed words in a hit's text: the byte ranges of the text's terms that
// a word of the query (outside NOT) matched in the "text" field. The
// stemmed field keeps no positions, so these matches are found again in
// the record's text, with the analyzer that indexed it; matches in the
// fields that keep positions (phrases, patterns, CJK) come with the hit.
func (ix *Index) Highlighter(q string) func(text string) []Span {
	n, err := ParseQuery(q)
	if err != nil {
		return func(string) []Span { return nil }
	}
	c := &compiler{m: ix.idx.Mapping()}
	words := map[string]bool{}
	textWords(n, false, func(w string) {
		if terms := c.analyze(textQueryAnalyzer, w); len(terms) == 1 {
			words[terms[0]] = true
		}
	})
	a := ix.idx.Mapping().AnalyzerNamed(textAnalyzer)
	return func(text string) []Span {
		if len(words) == 0 || a == nil || text == "" {
			return nil
		}
		var out []Span
		for _, t := range a.Analyze([]byte(text)) {
			if words[string(t.Term)] && t.Start >= 0 && t.End <= len(text) && t.Start < t.End {
				out = append(out, Span{Start: t.Start, End: t.End})
			}
		}
		return out
	}
}

// textWords calls add with every word of the query that is looked for in
// the stemmed text field and not negated.
func textWords(n Node, negated bool, add func(string)) {
	switch n := n.(type) {
	case *And:
		for _, ch := range n.Children {
			textWords(ch, negated, add)
		}
	case *Or:
		for _, ch := range n.Children {
			textWords(ch, negated, add)
		}
	case *Not:
		textWords(n.Child, !negated, add)
	case *Term:
		if !negated && (n.Field == "" || n.Field == "text") && !hasCJK(n.Text) && !strings.Contains(n.Text, "/") {
			add(n.Text)
		}
	}
}
