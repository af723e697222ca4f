package index

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// Analysis of the text, beyond Bleve's English analyzer:
//
//   - Parts: the Unicode word rules keep "tl.zeous.daclitan", "auth.log",
//     "files.example.com" and "q3_summary" as one word each. On the way in
//     the word is indexed whole and, at the same position, each of its
//     parts, so daclitan, auth and example find them; the whole word (and an
//     address, which the tokenizer cuts at the @ into two such words) still
//     matches as written. Queries are not split: "auth.log" asks for the
//     whole word, not for "auth" or "log".
//   - Folding: accents and other diacritics are folded to their ASCII
//     letters (Ángeles → angeles, Müller → muller, ß → ss) in the stemmed
//     text and in the queries against it, so either spelling finds both.
//     The unstemmed field keeps the word as written as well as its folded
//     form, at the same position, and its queries are not folded: a quoted
//     phrase typed without accents finds both spellings, one typed with
//     accents ("Ángeles") only the accented one.
//
// Han, Kana and Hangul pass through both filters unchanged (the CJK field
// has its own analyzer).
const (
	partsFilter    = "casebook_parts"     // adds the parts of dotted and underscored words
	foldFilter     = "casebook_fold"      // folds diacritics, replacing the word
	foldKeepFilter = "casebook_fold_keep" // folds diacritics, keeping the word as written too

	textAnalyzer       = "casebook_text"        // the stemmed text, as indexed
	textQueryAnalyzer  = "casebook_text_query"  // the stemmed text, as queried
	exactQueryAnalyzer = "casebook_exact_query" // the unstemmed text, as queried
)

func init() {
	for name, f := range map[string]analysis.TokenFilter{
		partsFilter: partsTokenFilter{}, foldFilter: foldTokenFilter{}, foldKeepFilter: foldTokenFilter{keep: true},
	} {
		f := f
		if err := registry.RegisterTokenFilter(name, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return f, nil
		}); err != nil {
			panic(err)
		}
	}
}

// analyzerConfigs are the custom analyzers of the mapping, by name.
func analyzerConfigs() map[string]map[string]interface{} {
	custom := func(filters ...string) map[string]interface{} {
		return map[string]interface{}{"type": custom.Name, "tokenizer": unicodetok.Name, "token_filters": filters}
	}
	return map[string]map[string]interface{}{
		textAnalyzer:       custom(en.PossessiveName, partsFilter, lowercase.Name, foldFilter, en.StopName, porter.Name),
		textQueryAnalyzer:  custom(en.PossessiveName, lowercase.Name, foldFilter, en.StopName, porter.Name),
		exactAnalyzer:      custom(partsFilter, lowercase.Name, foldKeepFilter),
		exactQueryAnalyzer: custom(lowercase.Name),
	}
}

// partsTokenFilter follows a word made of parts joined by dots, colons or
// underscores (and holding a letter: 203.0.113.7 and 1.5 stay whole) with
// each of its parts, at the word's position.
type partsTokenFilter struct{}

func (partsTokenFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for k, t := range in {
		parts := wordParts(t.Term)
		if len(parts) == 0 {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, 0, len(in)+len(parts))
			out = append(out, in[:k]...)
		}
		out = append(out, t)
		for _, p := range parts {
			out = append(out, &analysis.Token{
				Start: t.Start + p[0], End: t.Start + p[1], Term: append([]byte(nil), t.Term[p[0]:p[1]]...),
				Position: t.Position, Type: t.Type,
			})
		}
	}
	if out == nil {
		return in
	}
	return out
}

// wordParts returns the byte ranges of the parts of a joined word, nil when
// it is not one.
func wordParts(w []byte) [][2]int {
	joined, letter := false, false
	for i := 0; i < len(w); {
		r, n := utf8.DecodeRune(w[i:])
		i += n
		switch {
		case r == '.' || r == '_' || r == ':':
			joined = true
		case unicode.IsLetter(r):
			letter = true
		}
	}
	if !joined || !letter {
		return nil
	}
	var parts [][2]int
	start := 0
	for i := 0; i <= len(w); {
		r, n := utf8.RuneError, 1
		if i < len(w) {
			r, n = utf8.DecodeRune(w[i:])
		}
		if i == len(w) || r == '.' || r == '_' || r == ':' {
			if i > start {
				parts = append(parts, [2]int{start, i})
			}
			start = i + n
		}
		i += n
	}
	return parts
}

// foldTokenFilter folds diacritics (Bleve's ASCII folding table, applied to
// each word so that byte offsets still point into the original text). With
// keep, a word that changes is indexed both as written and folded.
type foldTokenFilter struct{ keep bool }

var folder = asciifolding.New()

func (f foldTokenFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for k, t := range in {
		folded := foldWord(t.Term)
		if folded == nil {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if !f.keep {
			t.Term = folded
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, 0, len(in)+1)
			out = append(out, in[:k]...)
		}
		out = append(out, t, &analysis.Token{Start: t.Start, End: t.End, Term: folded, Position: t.Position, Type: t.Type})
	}
	if out == nil {
		return in
	}
	return out
}

// foldWord returns w with its diacritics folded, nil when that changes
// nothing (every ASCII word, and Han, Kana and Hangul).
func foldWord(w []byte) []byte {
	i := 0
	for i < len(w) && w[i] < utf8.RuneSelf {
		i++
	}
	if i == len(w) {
		return nil
	}
	folded := folder.Filter(w)
	if bytes.Equal(folded, w) {
		return nil
	}
	return folded
}

// Fold returns s with its diacritics folded to ASCII letters (Müller →
// Muller), as the index matches words.
func Fold(s string) string {
	if f := foldWord([]byte(s)); f != nil {
		return string(f)
	}
	return s
}
