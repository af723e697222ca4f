package reports

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

func (d *doc) summary() {
	d.heading("1. Summary", 0)
	s := d.r.Summary
	d.text(fmt.Sprintf("The case holds %s (%s) and %s (%s).",
		countOf(int64(s.Transcripts), "transcript", "transcripts"), countOf(s.Segments, "segment", "segments"),
		countOf(int64(s.AccessLogs), "access log", "access logs"), countOf(s.Events, "event", "events")))
	if s.Recordings > 0 {
		d.text(fmt.Sprintf("It also holds %s; a quote from a transcript paired with its recording cites the span where it is heard.",
			countOf(int64(s.Recordings), "sound recording", "sound recordings")))
	}
	if len(s.ExhibitsByTag) > 0 {
		d.heading("Exhibits by tag", 1)
		var rows [][]string
		for _, c := range s.ExhibitsByTag {
			rows = append(rows, []string{c.Label, fmt.Sprint(c.N)})
		}
		d.table([]string{"Tag", "Exhibits"}, []float64{3, 1}, rows, 9)
	}
	if len(d.r.Rules) > 0 {
		d.heading("Rules run", 1)
		var rows [][]string
		for _, r := range d.r.Rules {
			rows = append(rows, []string{r.Name, r.Condition, r.Parameters, fmt.Sprint(r.Suggestions), r.Coverage})
		}
		d.table([]string{"Rule", "Condition", "Parameters", "Suggestions", "Could judge"}, []float64{2, 3.2, 2.2, 1.3, 3}, rows, 8)
	}
	if len(s.ForeignByMonth) > 0 {
		d.heading("Foreign accesses per month, by country", 1)
		d.chart(s.ForeignByMonth)
	}
	if len(s.TopActors) > 0 {
		d.heading("Top actors", 1)
		var rows [][]string
		for _, c := range s.TopActors {
			rows = append(rows, []string{c.Label, fmt.Sprint(c.N)})
		}
		d.table([]string{"Actor", "Foreign accesses"}, []float64{3, 1}, rows, 9)
	}
}

// palette colours the countries of the chart.
var palette = [][3]int{{214, 39, 40}, {31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127}}

// chart draws a stacked bar chart of counts per month and country, with axis
// labels and a legend, using gofpdf's drawing primitives.
func (d *doc) chart(data []MonthCount) {
	months := map[string]bool{}
	countries := map[string]int64{}
	cell := map[[2]string]int64{}
	for _, m := range data {
		months[m.Month] = true
		countries[m.Country] += m.N
		cell[[2]string{m.Month, m.Country}] += m.N
	}
	ms := sortedKeys(months)
	cs := make([]string, 0, len(countries))
	for c := range countries {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool {
		if countries[cs[i]] != countries[cs[j]] {
			return countries[cs[i]] > countries[cs[j]]
		}
		return cs[i] < cs[j]
	})
	var top int64
	for _, m := range ms {
		var t int64
		for _, c := range cs {
			t += cell[[2]string{m, c}]
		}
		top = max(top, t)
	}
	top = niceCeil(top)
	const chartH = 70.0
	d.need(chartH + 30)
	x0, y0 := margin+14, d.pdf.GetY()+4
	w := d.textW() - 14 - 30
	// Axes and grid.
	d.pdf.SetDrawColor(120, 120, 120)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(x0, y0, x0, y0+chartH)
	d.pdf.Line(x0, y0+chartH, x0+w, y0+chartH)
	d.setFont(false, false, false, 7)
	for i := 0; i <= 4; i++ {
		v := top * int64(i) / 4
		y := y0 + chartH - chartH*float64(i)/4
		d.pdf.SetDrawColor(225, 225, 225)
		if i > 0 {
			d.pdf.Line(x0, y, x0+w, y)
		}
		d.line(margin, y-1.5, 12, []span{{text: fmt.Sprint(v)}}, "R")
	}
	bw := w / float64(max(len(ms), 1))
	for i, m := range ms {
		x := x0 + float64(i)*bw + bw*0.15
		y := y0 + chartH
		for ci, c := range cs {
			n := cell[[2]string{m, c}]
			if n == 0 || top == 0 {
				continue
			}
			h := chartH * float64(n) / float64(top)
			col := palette[ci%len(palette)]
			d.pdf.SetFillColor(col[0], col[1], col[2])
			d.pdf.Rect(x, y-h, bw*0.7, h, "F")
			y -= h
		}
		d.setFont(false, false, false, 6.5)
		d.line(x0+float64(i)*bw, y0+chartH+1, bw, []span{{text: m}}, "C")
	}
	// Axis titles and legend.
	d.setFont(false, false, true, 7)
	d.line(x0, y0+chartH+6, w, []span{{text: "month", italic: true}}, "C")
	d.line(margin, y0-4, 40, []span{{text: "accesses", italic: true}}, "L")
	lx, ly := x0+w+4, y0
	for ci, c := range cs {
		col := palette[ci%len(palette)]
		d.pdf.SetFillColor(col[0], col[1], col[2])
		d.pdf.Rect(lx, ly+float64(ci)*5, 3, 3, "F")
		d.setFont(false, false, false, 7)
		d.line(lx+4, ly+float64(ci)*5-0.3, 22, []span{{text: fmt.Sprintf("%s (%d)", c, countries[c])}}, "L")
	}
	d.pdf.SetY(y0 + chartH + 12)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v int64) int64 {
	if v <= 4 {
		return 4
	}
	p := int64(1)
	for p*10 < v {
		p *= 10
	}
	for _, m := range []int64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func (d *doc) section(s Section) {
	idx := 2
	for i := range d.r.Sections {
		if d.r.Sections[i].Title == s.Title {
			idx = i + 2
			break
		}
	}
	d.heading(fmt.Sprintf("%d. %s", idx, s.Title), 0)
	for _, p := range s.Intro {
		d.text(p)
	}
	if len(s.Exhibits) == 0 {
		d.para([]span{{text: "No evidence has been linked to this yet.", italic: true}}, 9.5, 0)
	}
	for _, e := range s.Exhibits {
		d.exhibit(e)
	}
}

func (d *doc) exhibit(e Exhibit) {
	d.need(30)
	title := e.Number
	if e.Tag != "" {
		title += " · " + e.Tag
	}
	if e.Role != "" {
		title += " · " + e.Role
	}
	d.pdf.SetFillColor(238, 242, 248)
	y := d.pdf.GetY()
	d.pdf.Rect(margin, y, d.textW(), 6.5, "F")
	d.setFont(false, true, false, 10)
	d.line(margin+1.5, y+1, d.textW()-3, []span{{text: title, bold: true}}, "L")
	d.pdf.SetY(y + 8)
	kind := e.Kind
	if e.Redacted {
		kind = ""
		d.para([]span{{text: "Content withheld: the item is marked for redaction. "}, {redact: true}}, 9.5, 2)
	}
	switch kind {
	case ExhibitQuote:
		meta := strings.Join(nonEmpty(e.Speaker, e.Meeting, e.TimeCode), " · ")
		d.para([]span{{text: meta, italic: true}}, 8.5, 2)
		d.pdf.Ln(1)
		if e.Before != "" {
			d.pdf.SetTextColor(110, 110, 110)
			d.para([]span{{text: e.Before}}, 9, 4)
			d.pdf.SetTextColor(0, 0, 0)
		}
		d.para(quoteSpans(e), 10, 4)
		if e.After != "" {
			d.pdf.SetTextColor(110, 110, 110)
			d.para([]span{{text: e.After}}, 9, 4)
			d.pdf.SetTextColor(0, 0, 0)
		}
	case ExhibitEvent:
		d.fieldTable(e.Fields)
	case ExhibitEvents:
		d.table(e.Header, e.Weights, e.Rows, 7.5)
	}
	if e.Note != "" {
		d.para([]span{{text: "Note: ", bold: true}, {text: e.Note}}, 9, 2)
	}
	d.pdf.SetTextColor(70, 70, 70)
	cite := citation(e.Citation)
	if e.Kind == ExhibitEvents && !e.Redacted && e.Citation.Row == 0 && e.Citation.Line == 0 && slices.Contains(e.Header, "Row") {
		cite += ", rows as numbered in the table's Row column"
	}
	d.para([]span{{text: "Source: ", bold: true}, {text: cite}}, 8, 2)
	if c := e.Citation; c.ByHand != "" {
		d.para([]span{{text: "Transcribed by hand: ", bold: true}, {text: c.ByHand}}, 8, 2)
	}
	if c := e.Citation; c.SoundFile != "" {
		d.para([]span{{text: "Heard in: ", bold: true}, {text: c.SoundFile + ", sha256 " + c.SoundSHA256 + ", " + c.SoundSpan}}, 8, 2)
	}
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.Ln(4)
}

// fieldTable writes name/value pairs, wrapping long values.
func (d *doc) fieldTable(fields []Field) {
	for _, f := range fields {
		if f.Value == "" {
			continue
		}
		toks := d.mask.tokenize([]span{{text: f.Value}})
		d.measure(toks, 9)
		lines := d.wrap(toks, d.textW()-48, 9)
		h := 4.6
		d.need(h * float64(max(1, len(lines))))
		y := d.pdf.GetY()
		d.setFont(false, true, false, 9)
		d.line(margin+2, y, 44, []span{{text: f.Name, bold: true}}, "L")
		for i, ln := range lines {
			if i > 0 {
				d.need(h)
			}
			d.drawTokens(margin+48, d.pdf.GetY(), h, ln, 9)
			d.pdf.SetY(d.pdf.GetY() + h)
		}
		if len(lines) == 0 {
			d.pdf.SetY(y + h)
		}
	}
	d.pdf.Ln(1)
}

func quoteSpans(e Exhibit) []span {
	text := e.Text
	start, end := e.Start, e.End
	if start < 0 || end > len(text) || start >= end {
		start, end = 0, len(text)
	}
	prefix := ""
	if e.Speaker != "" {
		prefix = e.Speaker + ": "
	}
	return []span{{text: prefix, bold: true}, {text: text[:start]}, {text: text[start:end], highlight: true, bold: true}, {text: text[end:]}}
}

func nonEmpty(v ...string) []string {
	var out []string
	for _, s := range v {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// citation renders where an exhibit comes from: the file, its hash, and
// the row, line and byte it starts at, as far as they are known.
func citation(c Citation) string {
	parts := []string{c.File, "sha256 " + short(c.SHA256, 16) + "…"}
	if c.Row > 0 {
		parts = append(parts, fmt.Sprintf("row %d", c.Row))
	}
	if c.Line > 0 {
		parts = append(parts, fmt.Sprintf("line %d", c.Line))
	}
	if c.hasOffset() {
		parts = append(parts, fmt.Sprintf("byte %d", c.Offset))
	}
	if c.PageLine != "" {
		parts = append(parts, "Tr. "+c.PageLine)
	}
	if c.TimeCode != "" {
		parts = append(parts, "at "+c.TimeCode)
	}
	return strings.Join(parts, ", ")
}

// hasOffset reports whether the citation's byte offset is known: a source
// with byte positions, and an offset past 0 or a record on the file's first
// line (a row further down cannot start at byte 0; an importer that gives no
// offset leaves 0 there).
func (c Citation) hasOffset() bool {
	return !c.NoOffset && (c.Offset > 0 || c.Line == 1)
}

func (d *doc) appendices() {
	n := len(d.r.Sections) + 2
	d.heading(fmt.Sprintf("%d. Appendix: Chain of custody", n), 0)
	d.text("Every source as imported: the file's SHA-256 was computed over the exact bytes read and the original is kept, read-only, in the case folder under that hash.")
	for _, s := range d.r.Sources {
		d.need(26)
		d.para([]span{{text: s.ID + "  " + s.Name, bold: true}}, 9.5, 0)
		// The full hash on one line, small enough never to wrap.
		d.para([]span{{text: "SHA-256 ", bold: true}, {text: s.SHA256}}, 7.5, 2)
		d.fieldTable([]Field{
			{"Size", countOf(s.Size, "byte", "bytes")},
			{"Imported at", when(s.ImportedAt)},
			{"Importer", s.Importer},
			{"Encoding", s.Encoding},
			{"Records", fmt.Sprintf("%d (rejected rows: %d, warnings: %d)", s.Records, s.Rejects, s.Warnings)},
		})
	}
	if len(d.r.Manifest) > 0 {
		d.need(20)
		d.text("Attached to this PDF is " + ManifestName + ": for each exhibit, the item, its source's SHA-256, its place in the original and the SHA-256 of the record as sealed at import. With the case or its pack, casebook verify-report checks every exhibit against the record and the original's bytes.")
		d.para([]span{{text: "Manifest SHA-256 ", bold: true}, {text: ManifestDigest(d.r.Manifest)}}, 7.5, 2)
	}
	n++
	d.heading(fmt.Sprintf("%d. Appendix: Methodology", n), 0)
	for _, p := range d.r.Methodology {
		d.text(p)
	}
	if len(d.r.Searches) > 0 {
		d.heading("Saved searches", 1)
		var rows [][]string
		for _, q := range d.r.Searches {
			rows = append(rows, []string{q.Name, q.Query})
		}
		d.table([]string{"Name", "Query"}, []float64{1, 3}, rows, 8.5)
	}
	n++
	d.heading(fmt.Sprintf("%d. Appendix: Audit summary", n), 0)
	d.text("The case's audit trail is append-only and hash-chained; \u201ccasebook verify\u201d recomputes the chain. Reading the case (verifying, reporting) is recorded there too but not listed here, so the same case gives the same report.")
	var rows [][]string
	for _, a := range d.r.Audit {
		rows = append(rows, []string{fmt.Sprint(a.Seq), when(a.At), a.Actor, a.Action, a.Detail})
	}
	d.table([]string{"#", "At", "By", "Action", "Detail"}, []float64{0.5, 2.2, 1.5, 1.1, 4.5}, rows, 7.5)
}
