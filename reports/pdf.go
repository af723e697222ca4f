package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"casebook/assets"
)

const (
	fontSans = "sans"
	fontCJK  = "cjk"
	margin   = 18.0
	bodySize = 10.0
	lineH    = 5.0
)

// tocEntry is a heading and the page it starts on.
type tocEntry struct {
	title string
	level int
	page  int
}

// doc is one rendering pass.
type doc struct {
	pdf        *gofpdf.Fpdf
	r          Report
	opts       Options
	mask       *masker
	toc        []tocEntry // filled as headings are written
	tocPages   []int      // from the first pass
	totalPages int        // from the first pass (0 in the first pass)
}

// Write renders the report as a PDF to w. The same Report and Options give
// the same bytes.
func Write(w io.Writer, r Report, opts Options) error {
	if opts.Date.IsZero() {
		return fmt.Errorf("report: a date is needed (it fixes the PDF's dates, so output is reproducible)")
	}
	if opts.BatesStart <= 0 {
		opts.BatesStart = 1
	}
	// First pass: learn the page of every heading and the page count.
	first, err := render(r, opts, nil, 0)
	if err != nil {
		return err
	}
	pages := make([]int, len(first.toc))
	for i, e := range first.toc {
		pages[i] = e.page
	}
	second, err := render(r, opts, pages, first.pdf.PageNo())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := second.pdf.Output(&buf); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func render(r Report, opts Options, tocPages []int, total int) (*doc, error) {
	size := "A4"
	if strings.EqualFold(opts.Paper, "letter") {
		size = "Letter"
	}
	pdf := gofpdf.New("P", "mm", size, "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(opts.Date)
	pdf.SetModificationDate(opts.Date)
	pdf.SetCreator("Casebook", true)
	pdf.SetProducer("Casebook", true)
	pdf.SetTitle(r.Title, true)
	pdf.SetAuthor(r.Investigator, true)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin)
	if len(r.Manifest) > 0 {
		pdf.SetAttachments([]gofpdf.Attachment{{Content: r.Manifest, Filename: ManifestName,
			Description: "what each exhibit cites, for casebook verify-report"}})
	}
	pdf.SetCellMargin(0) // text runs are measured exactly; a cell margin would push each run into the next
	pdf.AddUTF8FontFromBytes(fontSans, "", assets.SansRegular)
	pdf.AddUTF8FontFromBytes(fontSans, "B", assets.SansBold)
	pdf.AddUTF8FontFromBytes(fontSans, "I", assets.SansOblique)
	pdf.AddUTF8FontFromBytes(fontCJK, "", assets.CJK)
	d := &doc{pdf: pdf, r: r, opts: opts, mask: newMasker(opts, r.People), tocPages: tocPages, totalPages: total}
	pdf.SetHeaderFunc(d.header)
	pdf.SetFooterFunc(d.footer)
	d.cover()
	d.tableOfContents()
	d.summary()
	for _, s := range r.Sections {
		d.section(s)
	}
	d.appendices()
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return d, nil
}

func (d *doc) pageW() float64  { w, _ := d.pdf.GetPageSize(); return w }
func (d *doc) pageH() float64  { _, h := d.pdf.GetPageSize(); return h }
func (d *doc) textW() float64  { return d.pageW() - 2*margin }
func (d *doc) bottom() float64 { return d.pageH() - margin - 6 }

// bates is the stamp of page n.
func (d *doc) bates(n int) string {
	return fmt.Sprintf("%s-%06d", d.opts.Bates, d.opts.BatesStart+n-1)
}

func (d *doc) header() {
	if d.pdf.PageNo() == 1 {
		return
	}
	d.pdf.SetY(8)
	d.setFont(false, false, false, 7.5)
	d.pdf.SetTextColor(90, 90, 90)
	d.line(margin, 8, d.textW(), []span{{text: d.r.Title}}, "L")
	if d.opts.Marking != "" {
		d.line(margin, 8, d.textW(), []span{{text: d.opts.Marking, bold: true}}, "R")
	}
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.SetY(margin)
}

func (d *doc) footer() {
	y := d.pageH() - 12
	d.pdf.SetTextColor(90, 90, 90)
	n := d.pdf.PageNo()
	of := "?"
	if d.totalPages > 0 {
		of = fmt.Sprint(d.totalPages)
	}
	d.line(margin, y, d.textW(), []span{{text: fmt.Sprintf("Page %d of %s", n, of)}}, "C")
	if d.opts.Bates != "" {
		d.line(margin, y, d.textW(), []span{{text: d.bates(n), bold: true}}, "R")
	}
	d.line(margin, y, d.textW(), []span{{text: "Casebook · case " + short(d.r.CaseID, 8)}}, "L")
	d.pdf.SetTextColor(0, 0, 0)
}

func short(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func (d *doc) setFont(cjk, bold, italic bool, size float64) {
	if cjk {
		d.pdf.SetFont(fontCJK, "", size)
		return
	}
	style := ""
	if bold {
		style = "B"
	} else if italic {
		style = "I"
	}
	d.pdf.SetFont(fontSans, style, size)
}

// measure sets each token's width at the given size.
func (d *doc) measure(toks []token, size float64) {
	for i := range toks {
		t := &toks[i]
		if t.newline {
			continue
		}
		d.setFont(t.cjk, t.style.bold || t.redact, t.style.italic, size)
		t.width = d.pdf.GetStringWidth(t.text)
		if t.redact {
			t.width += 2
		}
	}
}

// A token wider than a whole line may break after its punctuation before it
// is ever cut between letters: preferably after a separator (a CSV row's or
// JSON value's ",", ":" …), else inside a part ("APR-2022-" / "00168").
const (
	breakAfterSeparator = ",;:|&=)]}"
	breakAfterJoiner    = "-/_.\\?"
)

// wrap breaks tokens, measured at size, into lines no wider than w. Lines
// break at spaces; a token wider than a whole line breaks after its
// punctuation (splitToken), and only where no such break fits, between two
// characters. A token that fits on a line is never split.
func (d *doc) wrap(toks []token, w, size float64) [][]token {
	var lines [][]token
	var cur []token
	x := 0.0
	flush := func() {
		for len(cur) > 0 && cur[len(cur)-1].space {
			cur = cur[:len(cur)-1]
		}
		lines = append(lines, cur)
		cur, x = nil, 0
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.newline:
			flush()
			continue
		case t.space && len(cur) == 0:
			continue
		case x+t.width <= w:
			cur = append(cur, t)
			x += t.width
			continue
		case t.space:
			flush() // the space the line broke at is not printed
			continue
		case t.width <= w || t.cjk || t.redact:
			// It fits on a line of its own (or cannot be split): start one.
			if len(cur) > 0 {
				flush()
			}
			cur = append(cur, t)
			x += t.width
			continue
		}
		// A token wider than a whole line: the piece that fits here.
		head, rest, ok := d.splitToken(t, w-x, size, len(cur) == 0)
		if !ok { // no break fits on this line: try again on an empty one
			flush()
			i--
			continue
		}
		cur = append(cur, head)
		flush()
		toks[i] = rest
		i--
	}
	if len(cur) > 0 {
		flush()
	}
	return lines
}

// splitToken splits t so that its head is no wider than avail: after the
// last separator that fits, unless that leaves most of the line empty and a
// joiner fits later (see breakAfterSeparator); or, only when alone (the
// line is empty and no punctuation fits), after the last character that
// fits. ok is false when the token should rather start on the next line.
func (d *doc) splitToken(t token, avail, size float64, alone bool) (head, rest token, ok bool) {
	d.setFont(false, t.style.bold, t.style.italic, size)
	rs := []rune(t.text)
	fit, sep, join := 0, 0, 0 // how many runes fit; up to the last separator, joiner that fits
	used, sepW := 0.0, 0.0
	for n := 1; n < len(rs); n++ {
		used += d.pdf.GetStringWidth(string(rs[n-1]))
		if used > avail {
			break
		}
		fit = n
		switch {
		case strings.ContainsRune(breakAfterSeparator, rs[n-1]):
			sep, sepW = n, used
		case strings.ContainsRune(breakAfterJoiner, rs[n-1]):
			join = n
		}
	}
	brk := sep
	if sep == 0 || (sepW < avail/2 && join > sep) {
		brk = max(sep, join)
	}
	if brk == 0 {
		if !alone {
			return t, t, false
		}
		brk = max(1, fit)
	}
	head, rest = t, t
	head.text, rest.text = string(rs[:brk]), string(rs[brk:])
	head.width = d.pdf.GetStringWidth(head.text)
	rest.width = d.pdf.GetStringWidth(rest.text)
	return head, rest, true
}

// drawTokens writes one line of tokens starting at (x, y).
func (d *doc) drawTokens(x, y, h float64, toks []token, size float64) {
	for _, t := range toks {
		d.pdf.SetXY(x, y)
		switch {
		case t.redact:
			d.setFont(false, true, false, size*0.85)
			d.pdf.SetFillColor(0, 0, 0)
			d.pdf.SetTextColor(255, 255, 255)
			d.pdf.CellFormat(t.width, h, t.text, "", 0, "C", true, 0, "")
			d.pdf.SetTextColor(0, 0, 0)
		case t.space:
		default:
			d.setFont(t.cjk, t.style.bold, t.style.italic, size)
			if t.style.highlight {
				d.pdf.SetFillColor(255, 236, 140)
				d.pdf.SetTextColor(120, 0, 0)
				d.pdf.CellFormat(t.width, h, t.text, "", 0, "L", true, 0, "")
				d.pdf.SetTextColor(0, 0, 0)
			} else {
				d.pdf.CellFormat(t.width, h, t.text, "", 0, "L", false, 0, "")
			}
		}
		if t.style.highlight && t.space {
			d.pdf.SetFillColor(255, 236, 140)
			d.pdf.Rect(x, y, t.width, h, "F")
		}
		x += t.width
	}
}

// line writes spans on one line at y within [x, x+w], aligned L, C or R,
// cutting what does not fit.
func (d *doc) line(x, y, w float64, spans []span, align string) {
	size, _ := d.pdf.GetFontSize()
	toks := d.mask.tokenize(spans)
	d.measure(toks, size)
	var fit []token
	used := 0.0
	for _, t := range toks {
		if t.newline {
			t = token{text: " ", space: true, style: t.style}
			d.measure([]token{t}, size)
		}
		if used+t.width > w {
			break
		}
		fit = append(fit, t)
		used += t.width
	}
	switch align {
	case "C":
		x += (w - used) / 2
	case "R":
		x += w - used
	}
	d.drawTokens(x, y, size*0.45, fit, size)
}

// para writes spans as a wrapped paragraph at the left margin plus indent,
// breaking pages as needed.
func (d *doc) para(spans []span, size, indent float64) {
	toks := d.mask.tokenize(spans)
	d.measure(toks, size)
	h := size * 0.5
	for _, ln := range d.wrap(toks, d.textW()-indent, size) {
		d.need(h)
		d.drawTokens(margin+indent, d.pdf.GetY(), h, ln, size)
		d.pdf.SetXY(margin, d.pdf.GetY()+h)
	}
}

// text writes a plain paragraph.
func (d *doc) text(s string) {
	d.para([]span{{text: s}}, bodySize, 0)
	d.pdf.Ln(1.5)
}

// need starts a new page when less than h is left on this one.
func (d *doc) need(h float64) {
	if d.pdf.GetY()+h > d.bottom() {
		d.pdf.AddPage()
	}
}

// heading writes a numbered heading and records it for the contents.
func (d *doc) heading(title string, level int) {
	size := 15.0
	if level > 0 {
		size = 12
	}
	if level == 0 {
		d.pdf.AddPage()
	} else {
		d.need(20)
		d.pdf.Ln(2)
	}
	if level == 0 {
		d.toc = append(d.toc, tocEntry{title: title, level: level, page: d.pdf.PageNo()})
	}
	d.pdf.Bookmark(title, level, -1)
	d.para([]span{{text: title, bold: true}}, size, 0)
	d.pdf.Ln(2)
}

func (d *doc) cover() {
	d.pdf.AddPage()
	d.pdf.SetY(60)
	if d.opts.Marking != "" {
		d.pdf.SetTextColor(160, 0, 0)
		d.para([]span{{text: d.opts.Marking, bold: true}}, 12, 0)
		d.pdf.SetTextColor(0, 0, 0)
		d.pdf.Ln(6)
	}
	d.para([]span{{text: d.r.Title, bold: true}}, 22, 0)
	d.pdf.Ln(8)
	rows := [][2]string{
		{"Investigator", d.r.Investigator},
		{"Date", d.opts.Date.UTC().Format("2 January 2006")},
		{"Case", d.r.CaseID},
		{"Sources", countOf(int64(d.r.Summary.Transcripts), "transcript", "transcripts") + ", " +
			countOf(int64(d.r.Summary.AccessLogs), "access log", "access logs") + recordingsCount(d.r.Summary.Recordings)},
	}
	if d.opts.Bates != "" {
		rows = append(rows, [2]string{"Bates range", d.bates(1) + " – " + d.bates(max(d.totalPages, 1))})
	}
	for _, r := range rows {
		y := d.pdf.GetY()
		d.setFont(false, true, false, 11)
		d.line(margin, y, 40, []span{{text: r[0], bold: true}}, "L")
		d.setFont(false, false, false, 11)
		d.line(margin+42, y, d.textW()-42, []span{{text: r[1]}}, "L")
		d.pdf.SetY(y + 7)
	}
	d.pdf.SetY(d.pageH() - 60)
	d.para([]span{{text: "Every exhibit in this report cites the source file, its SHA-256, and the line or row it comes from. " +
		"The chain of custody in the appendix lists every source as imported. Generated by Casebook, offline.", italic: true}}, 9, 0)
}

func (d *doc) tableOfContents() {
	d.pdf.AddPage()
	d.para([]span{{text: "Contents", bold: true}}, 15, 0)
	d.pdf.Ln(3)
	entries := d.plannedHeadings()
	for i, e := range entries {
		page := "…"
		if i < len(d.tocPages) {
			page = fmt.Sprint(d.tocPages[i])
		}
		d.need(6)
		y := d.pdf.GetY()
		indent := float64(e.level) * 6
		d.setFont(false, e.level == 0, false, 10)
		d.line(margin+indent, y, d.textW()-indent-15, []span{{text: e.title, bold: e.level == 0}}, "L")
		d.line(margin, y, d.textW(), []span{{text: page}}, "R")
		d.pdf.SetY(y + 6)
	}
}

// plannedHeadings lists the headings the report will have, in order; the
// second pass fills in their pages.
func (d *doc) plannedHeadings() []tocEntry {
	e := []tocEntry{{title: "1. Summary"}}
	for i, s := range d.r.Sections {
		e = append(e, tocEntry{title: fmt.Sprintf("%d. %s", i+2, s.Title)})
	}
	n := len(d.r.Sections) + 2
	for _, a := range []string{"Chain of custody", "Methodology", "Audit summary"} {
		e = append(e, tocEntry{title: fmt.Sprintf("%d. Appendix: %s", n, a)})
		n++
	}
	return e
}

// when formats a time for the report.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// recordingsCount adds the recordings to the title page's count of sources, when there are any.
func recordingsCount(n int) string {
	if n == 0 {
		return ""
	}
	return ", " + countOf(int64(n), "recording", "recordings")
}
