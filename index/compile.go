package index

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// parseTimeBound reads a time bound and returns the span of time it names,
// as [start, end): a year (2022), a month (2022-03), a whole day
// (2022-03-31) or an instant (RFC 3339, or a date and time without a zone,
// taken as UTC).
func parseTimeBound(v string) (start, end time.Time, err error) {
	for _, l := range []struct {
		layout string
		step   func(time.Time) time.Time
	}{
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	} {
		if t, err := time.Parse(l.layout, v); err == nil {
			return t, l.step(t), nil
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, v); err == nil {
			t = t.UTC()
			return t, t.Add(time.Nanosecond), nil
		}
	}
	return time.Time{}, time.Time{}, fmt.Errorf("%q is not a date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", v)
}

// timeSpan turns a range of time bounds into [start, end) instants; zero
// means open.
func timeSpan(r *Range) (start, end time.Time, err error) {
	if r.Lo != "" {
		s, e, err := parseTimeBound(r.Lo)
		if err != nil {
			return start, end, err
		}
		start = s
		if !r.LoIncl {
			start = e // after the whole day (or month, or year)
		}
	}
	if r.Hi != "" {
		s, e, err := parseTimeBound(r.Hi)
		if err != nil {
			return start, end, err
		}
		end = e
		if !r.HiIncl {
			end = s // before the day begins
		}
	}
	return start, end, nil
}

// compiler turns a parsed query into a Bleve query for the mapping m.
type compiler struct {
	m mapping.IndexMapping
}

func (c *compiler) analyze(analyzer, text string) []string {
	a := c.m.AnalyzerNamed(analyzer)
	if a == nil {
		return strings.Fields(strings.ToLower(text))
	}
	var out []string
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

func phraseQuery(field, analyzer, text string) query.Query {
	q := bleve.NewMatchPhraseQuery(text)
	q.SetField(field)
	q.Analyzer = analyzer
	return q
}

// phrase matches text as a phrase in field. Text that analyses to a single
// term is a term query instead: the same documents, and Bleve answers it
// several times faster than a one-word phrase (55 ms against 9 ms for a word
// in 143,000 documents).
func (c *compiler) phrase(field, analyzer, text string) query.Query {
	terms := c.analyze(analyzer, text)
	if len(terms) == 1 {
		return termQuery(field, terms[0])
	}
	if field == fieldExactText && analyzer == exactQueryAnalyzer && len(terms) > 1 {
		return &exactPhraseQuery{Field: field, Terms: terms}
	}
	return phraseQuery(field, analyzer, text)
}

func termQuery(field, term string) query.Query {
	q := bleve.NewTermQuery(term)
	q.SetField(field)
	return q
}

func matchAllBut(q query.Query) query.Query {
	b := bleve.NewBooleanQuery()
	b.AddMust(bleve.NewMatchAllQuery())
	exclude(b, q)
	return b
}

// exclude makes b leave out what any of qs matches. The excluded part runs
// unscored (see unscoredQuery).
func exclude(b *query.BooleanQuery, qs ...query.Query) {
	b.MustNot = &unscoredQuery{Query: bleve.NewDisjunctionQuery(qs...)}
}

func (c *compiler) compile(n Node) (query.Query, error) {
	switch n := n.(type) {
	case *All:
		return bleve.NewMatchAllQuery(), nil
	case *And:
		var must, not []query.Query
		for _, k := range n.Children {
			if nn, ok := k.(*Not); ok {
				q, err := c.compile(nn.Child)
				if err != nil {
					return nil, err
				}
				not = append(not, q)
				continue
			}
			q, err := c.compile(k)
			if err != nil {
				return nil, err
			}
			must = append(must, q)
		}
		if len(not) == 0 {
			return bleve.NewConjunctionQuery(must...), nil
		}
		if len(must) == 0 {
			must = append(must, bleve.NewMatchAllQuery())
		}
		b := bleve.NewBooleanQuery()
		b.AddMust(must...)
		exclude(b, not...)
		return b, nil
	case *Or:
		qs := make([]query.Query, 0, len(n.Children))
		for _, k := range n.Children {
			q, err := c.compile(k)
			if err != nil {
				return nil, err
			}
			qs = append(qs, q)
		}
		return bleve.NewDisjunctionQuery(qs...), nil
	case *Not:
		q, err := c.compile(n.Child)
		if err != nil {
			return nil, err
		}
		return matchAllBut(q), nil
	case *Range:
		return c.compileRange(n)
	}
	field := leafField(n)
	if field == "" || field == "text" {
		return c.compileText(n)
	}
	if field == fieldNote {
		return c.compileNote(n)
	}
	return c.compileKeyword(field, n)
}

func leafField(n Node) string {
	switch n := n.(type) {
	case *Term:
		return n.Field
	case *Phrase:
		return n.Field
	case *Wildcard:
		return n.Field
	case *Fuzzy:
		return n.Field
	case *Regexp:
		return n.Field
	}
	return ""
}

// compileText compiles a word, phrase, wildcard, fuzzy term or regular
// expression against the text. Words are stemmed; quoted phrases,
// proximity, wildcards, fuzzy terms and regular expressions use the exact
// (unstemmed, lower-cased) field; Han, Kana and Hangul go to the CJK field.
func (c *compiler) compileText(n Node) (query.Query, error) {
	switch n := n.(type) {
	case *Term:
		if hasCJK(n.Text) {
			return c.phrase(fieldCJK, cjk.AnalyzerName, n.Text), nil
		}
		if strings.Contains(n.Text, "/") {
			// A bare CIDR prefix: the items with an address in it.
			if q, ok := ipQuery(n.Text); ok {
				return q, nil
			}
		}
		var text query.Query
		switch len(c.analyze(textQueryAnalyzer, n.Text)) {
		case 0:
			// Only stop words: look for them as written.
			text = c.phrase(fieldExactText, exactQueryAnalyzer, n.Text)
		case 1:
			// The word in the text, or in the speaker's name: "zuckerberg"
			// finds where he is mentioned and what he said.
			text = c.textOrSpeaker(c.phrase("text", textQueryAnalyzer, n.Text), n.Text)
		default:
			// A word that analyses to several terms ("e-mail"): a phrase,
			// looked for as written in the field that keeps positions
			// (the stemmed one keeps none).
			text = c.textOrSpeaker(c.phrase(fieldExactText, exactQueryAnalyzer, n.Text), n.Text)
		}
		if q, ok := ipQuery(n.Text); ok {
			// A bare address: the items carrying it, and text that
			// mentions it.
			return bleve.NewDisjunctionQuery(q, text), nil
		}
		return text, nil
	case *Phrase:
		field, analyzer := fieldExactText, exactQueryAnalyzer
		if hasCJK(n.Text) {
			field, analyzer = fieldCJK, cjk.AnalyzerName
		}
		if n.Slop < 0 {
			if field == fieldExactText {
				// "Mark Zuckerberg": the phrase, or what the person so named said.
				return c.textOrSpeaker(c.phrase(field, analyzer, n.Text), n.Text), nil
			}
			return c.phrase(field, analyzer, n.Text), nil
		}
		terms := c.analyze(analyzer, n.Text)
		if len(terms) <= 1 {
			return c.phrase(field, analyzer, n.Text), nil
		}
		return &proximityQuery{Field: field, Terms: terms, Slop: n.Slop}, nil
	}
	if q := patternQuery(n, fieldExactText); q != nil {
		return q, nil
	}
	return nil, fmt.Errorf("query: cannot compile %s", n)
}

// textOrSpeaker matches text, or segments whose speaker's name holds the
// words of typed, in order: a name typed in the search box finds what that
// person said. A name typed with diacritics matches only the words of the
// text, as written (the speaker words are folded).
func (c *compiler) textOrSpeaker(text query.Query, typed string) query.Query {
	q := &textOrSpeaker{Text: text}
	if isASCIIOnly(typed) {
		q.Speaker, q.SpeakerTerms = typed, c.analyze(exactQueryAnalyzer, typed)
	}
	return q
}

// patternQuery compiles a wildcard, fuzzy or regular-expression node against
// field; nil for any other node.
func patternQuery(n Node, field string) query.Query {
	switch n := n.(type) {
	case *Wildcard:
		q := bleve.NewWildcardQuery(strings.ToLower(n.Pattern))
		q.SetField(field)
		return q
	case *Fuzzy:
		q := bleve.NewFuzzyQuery(strings.ToLower(n.Text))
		q.SetField(field)
		q.SetFuzziness(n.Distance)
		return q
	case *Regexp:
		q := bleve.NewRegexpQuery(n.Pattern)
		q.SetField(field)
		return q
	}
	return nil
}

// compileKeyword compiles a leaf in a keyword field: whole values,
// lower-cased (country upper-cased). In speaker, actor and office a bare
// word also matches one word of the value (speaker:mia finds "Mia Chen"),
// and a value typed without diacritics matches one written with them. In
// ip a value is an address or a CIDR prefix; kind and approval take only
// their few values.
func (c *compiler) compileKeyword(field string, n Node) (query.Query, error) {
	norm := func(v string) string { return normalizeKeyword(field, v) }
	switch n := n.(type) {
	case *Term:
		if field == fieldIP {
			return c.ipValue(n.Text)
		}
		v, err := enumValue(field, n.Text)
		if err != nil {
			return nil, &QueryError{1, err.Error()}
		}
		q := keywordQuery(field, norm(v))
		if wordFields[field] {
			return bleve.NewDisjunctionQuery(q, phraseQuery(field+"_words", exactQueryAnalyzer, n.Text)), nil
		}
		return q, nil
	case *Phrase:
		if n.Slop >= 0 {
			return nil, &QueryError{1, "proximity (~) works on the text, not on " + field}
		}
		if field == fieldIP {
			return c.ipValue(n.Text)
		}
		v, err := enumValue(field, strings.TrimSpace(n.Text))
		if err != nil {
			return nil, &QueryError{1, err.Error()}
		}
		if field == "speaker" && isASCIIOnly(n.Text) {
			// speaker:"Mike Lee" also finds the label "Mike Lee (Senator, R-Utah)".
			return bleve.NewDisjunctionQuery(keywordQuery(field, norm(v)), phraseQuery(field+"_words", exactQueryAnalyzer, n.Text)), nil
		}
		return keywordQuery(field, norm(v)), nil
	case *Wildcard:
		q := bleve.NewWildcardQuery(norm(n.Pattern))
		q.SetField(field)
		return q, nil
	case *Fuzzy:
		q := bleve.NewFuzzyQuery(norm(n.Text))
		q.SetField(field)
		q.SetFuzziness(n.Distance)
		return q, nil
	case *Regexp:
		q := bleve.NewRegexpQuery(n.Pattern)
		q.SetField(field)
		return q, nil
	}
	return nil, fmt.Errorf("query: cannot compile %s", n)
}

// keywordQuery matches a whole keyword value; in a name field, a value
// typed without diacritics also matches the folded form of one written
// with them ("jorg muller" finds "Jörg Müller"), while one typed with them
// matches only itself.
func keywordQuery(field, v string) query.Query {
	q := termQuery(field, v)
	if wordFields[field] && isASCIIOnly(v) {
		return bleve.NewDisjunctionQuery(q, termQuery(field+foldSuffix, v))
	}
	return q
}

// isASCIIOnly reports whether s has no byte outside ASCII.
func isASCIIOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// ipValue compiles the value of ip: (an address or a CIDR prefix).
func (c *compiler) ipValue(v string) (query.Query, error) {
	q, ok := ipQuery(v)
	if !ok {
		return nil, &QueryError{1, ipValueError(v)}
	}
	return q, nil
}

func (c *compiler) compileRange(r *Range) (query.Query, error) {
	switch r.Field {
	case "time":
		start, end, err := timeSpan(r)
		if err != nil {
			return nil, &QueryError{1, "time: " + err.Error()}
		}
		return timeRangeQuery(start, end), nil
	case "records":
		var lo, hi *float64
		if r.Lo != "" {
			v, err := strconv.ParseFloat(r.Lo, 64)
			if err != nil {
				return nil, &QueryError{1, "records: " + strconv.Quote(r.Lo) + " is not a number"}
			}
			lo = &v
		}
		if r.Hi != "" {
			v, err := strconv.ParseFloat(r.Hi, 64)
			if err != nil {
				return nil, &QueryError{1, "records: " + strconv.Quote(r.Hi) + " is not a number"}
			}
			hi = &v
		}
		if lo == nil && hi == nil {
			// records:[* TO *]: every item that has a count.
			inf := -1e308
			lo = &inf
		}
		li, hiIncl := r.LoIncl, r.HiIncl
		q := bleve.NewNumericRangeInclusiveQuery(lo, hi, &li, &hiIncl)
		q.SetField("records")
		return q, nil
	}
	return nil, &QueryError{1, "ranges need a time or number field, not " + r.Field}
}

// compileNote matches the investigator's notes (one English-analysed field).
func (c *compiler) compileNote(n Node) (query.Query, error) {
	switch n := n.(type) {
	case *Term:
		return c.phrase(fieldNote, textQueryAnalyzer, n.Text), nil
	case *Phrase:
		return c.phrase(fieldNote, textQueryAnalyzer, n.Text), nil
	}
	if q := patternQuery(n, fieldNote); q != nil {
		return q, nil
	}
	return nil, fmt.Errorf("query: cannot compile %s in notes", n)
}

// utcDay is the start of t's UTC day.
func utcDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// timeRangeQuery matches the items whose time is in [start, end) (a zero
// bound is open). Whole days are matched on the "day" terms, a few hundred
// a year; a bound inside a day adds that day's items from start (or up to
// end) on the "time" terms, which sort as text.
func timeRangeQuery(start, end time.Time) query.Query {
	termRange := func(field, lo, hi string) query.Query {
		incl, excl := true, false
		q := bleve.NewTermRangeInclusiveQuery(lo, hi, &incl, &excl)
		q.SetField(field)
		return q
	}
	start, end = start.UTC(), end.UTC()
	if start.IsZero() && end.IsZero() {
		// time:[* TO *]: every item that has a time.
		return termRange(fieldDay, "0000", "")
	}
	// Whole days: from the first day that starts at or after start, up to
	// the day end falls in (exclusive).
	var parts []query.Query
	loDay, hiDay := "", ""
	if !start.IsZero() {
		d := utcDay(start)
		if d.Before(start) {
			d = d.AddDate(0, 0, 1)
			// The rest of start's own day.
			stop := d
			if !end.IsZero() && end.Before(stop) {
				stop = end
			}
			parts = append(parts, termRange("time", timeTerm(start), timeTerm(stop)))
		}
		loDay = d.Format(dayLayout)
	}
	if !end.IsZero() {
		d := utcDay(end)
		hiDay = d.Format(dayLayout)
		if d.Before(end) && (start.IsZero() || !d.Before(start)) {
			// The part of end's own day before end.
			parts = append(parts, termRange("time", timeTerm(d), timeTerm(end)))
		}
	}
	if loDay == "" {
		loDay = "0000"
	}
	if hiDay == "" || loDay < hiDay {
		parts = append(parts, termRange(fieldDay, loDay, hiDay))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return bleve.NewDisjunctionQuery(parts...)
}
