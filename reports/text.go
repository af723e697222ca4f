package reports

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a piece of text with one style.
type span struct {
	text      string
	bold      bool
	italic    bool
	highlight bool // the quote inside its context
	redact    bool // a redaction bar in place of text
}

// token is the unit of line breaking: a word, a space, a CJK character, or a
// redaction bar.
type token struct {
	text    string
	cjk     bool
	space   bool
	redact  bool
	style   span
	width   float64
	newline bool
}

// isCJK reports whether r needs the CJK font: Han, Hiragana, Katakana,
// Hangul, CJK punctuation and full-width forms.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) ||
		(r >= 0x3200 && r <= 0x33FF)
}

// printable drops characters no bundled font has (emoji, controls), so
// nothing prints as a box or a question mark.
func printable(r rune) bool {
	if r == '\n' || r == '\t' {
		return true
	}
	if unicode.IsControl(r) || r == utf8.RuneError {
		return false
	}
	if r >= 0x1F000 || (r >= 0x2600 && r <= 0x27BF) || (r >= 0xFE00 && r <= 0xFE0F) || r == 0x200D {
		return false // emoji and their modifiers
	}
	return true
}

// masker applies pseudonymisation and redaction to text before it is laid out.
type masker struct {
	pseudo *strings.Replacer
	redact []string // lower-cased terms, longest first
}

func newMasker(opts Options, people []string) *masker {
	m := &masker{}
	if opts.Pseudonymise && len(people) > 0 {
		names := append([]string(nil), people...)
		sort.Strings(names)
		labels := map[string]string{}
		var pairs []string
		n := 0
		for _, p := range names {
			p = strings.TrimSpace(p)
			if p == "" || labels[p] != "" {
				continue
			}
			labels[p] = "Employee " + alphaLabel(n)
			n++
		}
		// Longest names first, so "Li Na Zhou" is not replaced as "Li Na".
		sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
		for _, p := range names {
			if l := labels[strings.TrimSpace(p)]; l != "" {
				pairs = append(pairs, p, l)
			}
		}
		m.pseudo = strings.NewReplacer(pairs...)
	}
	for _, r := range opts.Redact {
		if r = strings.TrimSpace(r); r != "" {
			m.redact = append(m.redact, strings.ToLower(r))
		}
	}
	sort.Slice(m.redact, func(i, j int) bool { return len(m.redact[i]) > len(m.redact[j]) })
	return m
}

// alphaLabel gives A, B, …, Z, AA, AB, …
func alphaLabel(n int) string {
	s := ""
	for n >= 0 {
		s = string(rune('A'+n%26)) + s
		n = n/26 - 1
	}
	return s
}

// apply pseudonymises s and cuts it into pieces, marking the redacted ones.
func (m *masker) apply(s string) []piece {
	if m.pseudo != nil {
		s = m.pseudo.Replace(s)
	}
	if len(m.redact) == 0 {
		return []piece{{text: s}}
	}
	var out []piece
	start := 0
	for i := 0; i < len(s); {
		hit := ""
		for _, r := range m.redact {
			if len(s)-i >= len(r) && strings.EqualFold(s[i:i+len(r)], r) {
				hit = r
				break
			}
		}
		if hit == "" {
			_, sz := utf8.DecodeRuneInString(s[i:])
			i += sz
			continue
		}
		if i > start {
			out = append(out, piece{text: s[start:i]})
		}
		out = append(out, piece{text: s[i : i+len(hit)], redacted: true})
		i += len(hit)
		start = i
	}
	if start < len(s) {
		out = append(out, piece{text: s[start:]})
	}
	return out
}

type piece struct {
	text     string
	redacted bool
}

// tokenize turns styled spans into tokens for line breaking.
func (m *masker) tokenize(spans []span) []token {
	var out []token
	for _, sp := range spans {
		if sp.redact {
			out = append(out, token{text: "[redacted]", redact: true, style: sp})
			continue
		}
		for _, p := range m.apply(sp.text) {
			if p.redacted {
				out = append(out, token{text: "[redacted]", redact: true, style: sp})
				continue
			}
			var word strings.Builder
			flush := func() {
				if word.Len() > 0 {
					out = append(out, token{text: word.String(), style: sp})
					word.Reset()
				}
			}
			for _, r := range p.text {
				switch {
				case !printable(r):
				case r == '\n':
					flush()
					out = append(out, token{newline: true, style: sp})
				case unicode.IsSpace(r):
					flush()
					out = append(out, token{text: " ", space: true, style: sp})
				case isCJK(r):
					flush()
					out = append(out, token{text: string(r), cjk: true, style: sp})
				default:
					word.WriteRune(r)
				}
			}
			flush()
		}
	}
	return out
}
