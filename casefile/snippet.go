package casefile

import (
	"sort"
	"strings"
	"unicode/utf8"

	"casebook/index"
)

// snippetWidth is about how many bytes of context a snippet shows.
const snippetWidth = 220

// snippet cuts the part of text around its first matches and wraps each
// match in « ». Spans are byte ranges in text; ones that do not fit the text
// (a record changed since it was indexed) are ignored.
func snippet(text string, spans []index.Span) string {
	merged := matchSpans(text, spans)
	if len(merged) == 0 {
		return clip(text, snippetWidth)
	}
	from := max(0, merged[0].Start-snippetWidth/3)
	to := min(len(text), from+snippetWidth)
	for !utf8.RuneStart(text[from]) && from > 0 {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	pos := from
	for _, s := range merged {
		if s.Start >= to {
			break
		}
		if s.Start < pos {
			continue
		}
		b.WriteString(text[pos:s.Start])
		b.WriteString("«")
		end := min(s.End, to)
		b.WriteString(text[s.Start:end])
		b.WriteString("»")
		pos = end
	}
	b.WriteString(text[pos:to])
	if to < len(text) {
		b.WriteString("…")
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// matchSpans keeps the spans that fit text, in order, overlapping ones
// joined.
func matchSpans(text string, spans []index.Span) []index.Span {
	var ok []index.Span
	for _, s := range spans {
		if s.Start >= 0 && s.End <= len(text) && s.Start < s.End {
			ok = append(ok, s)
		}
	}
	if len(ok) == 0 {
		return nil
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i].Start < ok[j].Start })
	merged := ok[:1]
	for _, s := range ok[1:] {
		last := &merged[len(merged)-1]
		if s.Start <= last.End {
			last.End = max(last.End, s.End)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// clip returns about the first n bytes of text, on a rune boundary.
func clip(text string, n int) string {
	if len(text) <= n {
		return text
	}
	end := n
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	return text[:end] + "…"
}
