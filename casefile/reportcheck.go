package casefile

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"casebook/model"
	"casebook/reports"
	"casebook/store"
)

// manifestFormat names the layout of a report's manifest.
const manifestFormat = "casebook-report-manifest/1"

// reportManifest is what a report attaches about its exhibits, so that a
// reader with the case (or its pack) can check each one.
type reportManifest struct {
	Format string `json:"format"`
	Case   string `json:"case"`
	Date   string `json:"date"`
	// Transformed: names or words were redacted or pseudonymised, so the
	// printed text is not the record's and is not compared with it.
	Transformed bool              `json:"transformed,omitempty"`
	Exhibits    []manifestExhibit `json:"exhibits"`
}

// manifestExhibit is one exhibit as the report cites it.
type manifestExhibit struct {
	Exhibit string `json:"exhibit"`
	Item    string `json:"item"`
	Source  string `json:"source"`
	SHA256  string `json:"sha256"`
	Line    int    `json:"line,omitempty"`
	Row     int    `json:"row,omitempty"`
	Offset  int64  `json:"offset"`
	// Record is the SHA-256 of the record's fields as sealed at import.
	Record string `json:"record,omitempty"`
	// Quote is the words the report prints from a segment, or the raw line of an event.
	Quote string `json:"quote,omitempty"`
	// Printed are values that must appear on the report's pages.
	Printed  []string `json:"printed,omitempty"`
	Withheld bool     `json:"withheld,omitempty"`
}

// manifestBuilder gathers the manifest while a report is built.
type manifestBuilder struct {
	m    reportManifest
	seen map[string]bool
}

func (mb *manifestBuilder) start(caseID string, opts ReportOptions) {
	mb.m = reportManifest{Format: manifestFormat, Case: caseID, Date: opts.Date.Format("2006-01-02"),
		Transformed: len(opts.Redact) > 0 || opts.Pseudonymise}
	mb.seen = map[string]bool{}
}

func (mb *manifestBuilder) add(e manifestExhibit) {
	if k := e.Exhibit + " " + e.Item; !mb.seen[k] {
		mb.seen[k] = true
		mb.m.Exhibits = append(mb.m.Exhibits, e)
	}
}

func srcID(id int64) string { return model.ItemID{Kind: model.ItemSource, N: id}.String() }

func (mb *manifestBuilder) segment(exhibit string, g model.Segment, src model.Source, quote string, withheld bool) {
	if quote == "" {
		quote = g.Text
	}
	mb.add(manifestExhibit{Exhibit: exhibit, Item: model.ItemID{Kind: model.ItemSegment, N: g.ID}.String(),
		Source: srcID(src.ID), SHA256: src.SHA256, Line: g.Line, Offset: g.Offset,
		Record: hex.EncodeToString(store.SegmentDigest(&g)), Quote: quote, Printed: []string{quote}, Withheld: withheld})
}

func (mb *manifestBuilder) event(exhibit string, e model.Event, src model.Source, withheld bool) {
	var printed []string
	for _, v := range []string{firstNonEmpty(e.ActorName, e.ActorID), e.Resource} {
		if v != "" {
			printed = append(printed, v)
		}
	}
	mb.add(manifestExhibit{Exhibit: exhibit, Item: model.ItemID{Kind: model.ItemEvent, N: e.ID}.String(),
		Source: srcID(src.ID), SHA256: src.SHA256, Line: e.Line, Row: e.Row, Offset: e.Offset,
		Record: hex.EncodeToString(store.EventDigest(&e)), Quote: e.Raw, Printed: printed, Withheld: withheld})
}

func (mb *manifestBuilder) source(exhibit string, src model.Source) {
	mb.add(manifestExhibit{Exhibit: exhibit, Item: srcID(src.ID), Source: srcID(src.ID), SHA256: src.SHA256})
}

func (mb *manifestBuilder) bytes() ([]byte, error) {
	if mb.m.Exhibits == nil {
		mb.m.Exhibits = []manifestExhibit{}
	}
	return json.MarshalIndent(mb.m, "", " ")
}

// ExhibitCheck is the outcome for one exhibit of a report.
type ExhibitCheck struct {
	Exhibit  string
	Item     string
	OK       bool
	Problems []string
	Notes    []string
}

// ReportCheck is the outcome of CheckReport.
type ReportCheck struct {
	OK       bool
	Manifest string   // the SHA-256 of the report's manifest
	Case     string   // the case id the report was written from
	Problems []string // about the report as a whole
	Notes    []string
	Exhibits []ExhibitCheck
}

// CheckReport checks a PDF report written by Casebook against this case: the
// manifest attached to it is the one its pages cite; each exhibit's record is
// still the one sealed at import and the one the report quoted; the original
// still has its SHA-256 and holds the record's words at the cited offset; and
// the pages print what the manifest records.
func (c *Case) CheckReport(ctx context.Context, pdf []byte) (ReportCheck, error) {
	var out ReportCheck
	back, err := reports.Read(pdf)
	if err != nil {
		return out, fmt.Errorf("read the report: %w", err)
	}
	if back.Manifest == nil {
		return out, errors.New("the report carries no Casebook manifest (written by an older Casebook, or not by Casebook)")
	}
	var m reportManifest
	if err := json.Unmarshal(back.Manifest, &m); err != nil || m.Format != manifestFormat {
		return out, fmt.Errorf("the report's manifest cannot be read (%v)", err)
	}
	out.Manifest, out.Case = reports.ManifestDigest(back.Manifest), m.Case
	pages := squeezeSpace(strings.Join(back.Pages, "\n"))
	if !strings.Contains(pages, squeezeSpace("Manifest SHA-256 "+out.Manifest)) {
		out.Problems = append(out.Problems, "the manifest attached to the PDF is not the one its pages cite (the attachment or the pages were edited)")
	}
	info, err := c.Info(ctx)
	if err != nil {
		return out, err
	}
	if m.Case != info.ID {
		out.Problems = append(out.Problems, fmt.Sprintf("the report was written from case %s, this is case %s", m.Case, info.ID))
	}
	if m.Transformed {
		out.Notes = append(out.Notes, "the report redacts or pseudonymises names and words: its pages are not compared with the records, the manifest is")
	}
	var cited []int64
	for _, ex := range m.Exhibits {
		if id, err := model.ParseItemID(ex.Source); err == nil {
			cited = append(cited, id.N)
		}
	}
	seals, err := c.store.VerifySealsOf(ctx, cited)
	if err != nil {
		return out, err
	}
	sealed := map[string][]string{}
	for _, f := range seals.Findings {
		sealed[f.Item.String()] = append(sealed[f.Item.String()], f.Problem)
	}
	originals := map[string]string{}
	for _, ex := range m.Exhibits {
		ec := c.checkExhibit(ctx, ex, m.Transformed, pages, sealed, originals)
		ec.OK = len(ec.Problems) == 0
		out.Exhibits = append(out.Exhibits, ec)
	}
	out.OK = len(out.Problems) == 0
	for _, ec := range out.Exhibits {
		out.OK = out.OK && ec.OK
	}
	return out, nil
}

func (c *Case) checkExhibit(ctx context.Context, ex manifestExhibit, transformed bool, pages string, sealed map[string][]string, originals map[string]string) ExhibitCheck {
	ec := ExhibitCheck{Exhibit: ex.Exhibit, Item: ex.Item}
	bad := func(format string, a ...any) { ec.Problems = append(ec.Problems, fmt.Sprintf(format, a...)) }
	item, err := model.ParseItemID(ex.Item)
	if err != nil {
		bad("the manifest names no item (%q)", ex.Item)
		return ec
	}
	sid, err := model.ParseItemID(ex.Source)
	if err != nil {
		bad("the manifest names no source (%q)", ex.Source)
		return ec
	}
	src, err := c.store.Source(ctx, sid.N)
	if err != nil {
		bad("its source %s is not in this case", ex.Source)
		return ec
	}
	if src.SHA256 != ex.SHA256 {
		bad("its source %s has SHA-256 %s… in the case, the report cites %.12s…", ex.Source, src.SHA256[:12], ex.SHA256)
	}
	if _, ok := originals[src.SHA256]; !ok {
		originals[src.SHA256] = c.checkOriginal(src)
	}
	if p := originals[src.SHA256]; p != "" {
		bad("%s", p)
	}
	for _, p := range sealed[ex.Source] {
		bad("%s: %s", ex.Source, p)
	}
	for _, p := range sealed[ex.Item] {
		bad("%s %s", ex.Item, p)
	}
	var digest, words string
	var length int
	switch item.Kind {
	case model.ItemSegment:
		g, err := c.store.Segment(ctx, item.N)
		if err != nil {
			bad("%s is no longer in the case", ex.Item)
			return ec
		}
		digest, words, length = hex.EncodeToString(store.SegmentDigest(&g)), g.Text, int(g.Length)
		if !strings.Contains(g.Text, ex.Quote) {
			bad("the quote the report prints is not in %s's words", ex.Item)
		}
	case model.ItemEvent:
		e, err := c.store.Event(ctx, item.N)
		if err != nil {
			bad("%s is no longer in the case", ex.Item)
			return ec
		}
		digest, words, length = hex.EncodeToString(store.EventDigest(&e)), e.Raw, len(e.Raw)
	case model.ItemSource:
		return ec
	}
	if digest != ex.Record {
		bad("%s differs from the record the report quoted (changed in the case after the report was written)", ex.Item)
	}
	if src.Kind == model.KindRecording {
		// Typed by hand while listening: the words are in the record, sealed
		// in their transcribe entry, not in the recording's bytes.
		ec.Notes = append(ec.Notes, "typed by hand from the recording: its words are checked against their seal, not against the recording's bytes (its SHA-256 is)")
	} else if note := c.wordsAtOffset(src, ex.Offset, length, words); note != "" {
		if strings.HasPrefix(note, "!") {
			bad("%s", note[1:])
		} else {
			ec.Notes = append(ec.Notes, note)
		}
	}
	if !transformed && !ex.Withheld {
		for _, p := range ex.Printed {
			if !strings.Contains(pages, squeezeSpace(p)) {
				bad("the PDF does not print %s, which the manifest records for it (the PDF was edited)", quoteField(p))
			}
		}
	}
	return ec
}

// wordsAtOffset checks that the original holds the record's words, in order,
// from the cited offset. A problem starts with "!"; anything else is a note.
func (c *Case) wordsAtOffset(src model.Source, offset int64, length int, text string) string {
	switch src.Encoding {
	case "", "utf-8", "utf-8-bom", "ascii":
	default:
		return fmt.Sprintf("the original is %s text: the words at byte %d are not compared (its SHA-256 is)", src.Encoding, offset)
	}
	if strings.HasSuffix(strings.ToLower(src.Name), ".gz") || strings.HasSuffix(strings.ToLower(src.Name), ".docx") ||
		strings.HasSuffix(strings.ToLower(src.Name), ".xlsx") {
		return "the original is compressed: the words at the offset are not compared (its SHA-256 is)"
	}
	f, err := os.Open(filepath.Join(c.dir, originalPath(src.SHA256)))
	if err != nil {
		return "!the original cannot be read"
	}
	defer f.Close()
	span := int64(length)*4 + 4096
	if span > 1<<20 {
		span = 1 << 20
	}
	buf := make([]byte, span)
	n, err := f.ReadAt(buf, offset)
	if err != nil && !errors.Is(err, io.EOF) {
		return "!the original cannot be read at the cited offset"
	}
	if !wordsInOrder(strings.ToLower(string(buf[:n])), strings.ToLower(text)) {
		return fmt.Sprintf("!the original does not hold the record's words at byte %d", offset)
	}
	return ""
}

// wordsInOrder reports whether every word (run of letters and digits) of
// want appears in hay in the same order; markup between them is allowed.
func wordsInOrder(hay, want string) bool {
	pos := 0
	for _, w := range strings.FieldsFunc(want, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		i := strings.Index(hay[pos:], w)
		if i < 0 {
			return false
		}
		pos += i + len(w)
	}
	return true
}

func squeezeSpace(s string) string { return strings.Join(strings.Fields(s), "") }
