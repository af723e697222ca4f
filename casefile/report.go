package casefile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"casebook/model"
	"casebook/reports"
	"casebook/store"
)

// ReportOptions are the investigator's choices for a report.
type ReportOptions struct {
	Tags         []string  // only these tags' evidence ("" : all)
	Statements   []int64   // only these statements (nil: all)
	Marking      string    // e.g. "CONFIDENTIAL — PREPARED FOR COUNSEL"
	Bates        string    // Bates prefix, "" for none
	Redact       []string  // names and words printed as solid bars
	Pseudonymise bool      // people become Employee A, B, …
	Paper        string    // A4 or Letter
	Date         time.Time // the report's date; zero: today (UTC, midnight)
	// Progress, if not nil, receives Stage "report" reports: step 1 of 2
	// gathers the exhibits, step 2 writes the PDF.
	Progress ProgressFunc
}

// maxSingleEvents is how many event exhibits of one tag are shown one by
// one; beyond it they are one paginated table.
const maxSingleEvents = 12

// WriteReport writes the case's report as a PDF to w and records it in the
// audit trail.
func (c *Case) WriteReport(ctx context.Context, w io.Writer, opts ReportOptions) error {
	// A report is recorded in the audit trail, which a read-only case cannot
	// write: say so before building it.
	if err := c.refuseUnlessAudited(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if opts.Date.IsZero() {
		opts.Date = time.Now().UTC().Truncate(24 * time.Hour)
	}
	opts.Progress.report(Progress{Stage: "report", File: "gathering the exhibits", Done: 0, Total: 2})
	r, err := c.buildReport(ctx, opts)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	opts.Progress.report(Progress{Stage: "report", File: "writing the PDF", Done: 1, Total: 2})
	ro := reports.Options{Marking: opts.Marking, Bates: opts.Bates, Paper: opts.Paper, Date: opts.Date,
		Redact: opts.Redact, Pseudonymise: opts.Pseudonymise}
	if err := reports.Write(w, r, ro); err != nil {
		return err
	}
	return c.store.Audit(ctx, c.Investigator(ctx), "report", map[string]any{"date": opts.Date.Format("2006-01-02"),
		"tags": opts.Tags, "statements": opts.Statements, "bates": opts.Bates, "redactions": len(opts.Redact), "pseudonymise": opts.Pseudonymise,
		"manifest": reports.ManifestDigest(r.Manifest)})
}

// WriteReportFile writes the report to path, atomically: a failed report
// leaves no half-written file.
func (c *Case) WriteReportFile(ctx context.Context, path string, opts ReportOptions) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*.pdf")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := c.WriteReport(ctx, tmp, opts); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// RedactTag marks an item for redaction: reports withhold its content (and
// leave it out of the context around quotes), keeping its exhibit number and
// citation.
const RedactTag = "redact"

// reportBuilder caches what building a report reads more than once.
type reportBuilder struct {
	c        *Case
	ctx      context.Context
	sources  map[int64]model.Source
	segs     map[int64][]model.Segment
	withheld map[string]bool // items tagged RedactTag
	manifest manifestBuilder
}

func (b *reportBuilder) source(id int64) model.Source {
	if s, ok := b.sources[id]; ok {
		return s
	}
	s, _ := b.c.store.Source(b.ctx, id)
	b.sources[id] = s
	return s
}

func (b *reportBuilder) segments(src int64) []model.Segment {
	if s, ok := b.segs[src]; ok {
		return s
	}
	s, _ := b.c.store.SourceSegments(b.ctx, src)
	b.segs[src] = s
	return s
}

func (c *Case) buildReport(ctx context.Context, opts ReportOptions) (reports.Report, error) {
	b := &reportBuilder{c: c, ctx: ctx, sources: map[int64]model.Source{}, segs: map[int64][]model.Segment{}, withheld: map[string]bool{}}
	info, err := c.Info(ctx)
	if err != nil {
		return reports.Report{}, err
	}
	b.manifest.start(info.ID, opts)
	r := reports.Report{Title: info.Title, Investigator: info.Investigator, CaseID: info.ID}
	r.Summary.Segments, r.Summary.Events = info.Segments, info.Events
	srcs, err := c.store.Sources(ctx)
	if err != nil {
		return r, err
	}
	for _, s := range srcs {
		b.sources[s.ID] = s
		switch s.Kind {
		case model.KindTranscript:
			r.Summary.Transcripts++
		case model.KindRecording:
			r.Summary.Recordings++
		default:
			r.Summary.AccessLogs++
		}
		r.Sources = append(r.Sources, reports.Source{ID: model.ItemID{Kind: model.ItemSource, N: s.ID}.String(), Name: s.Name,
			Size: s.Size, SHA256: s.SHA256, ImportedAt: s.ImportedAt, Importer: s.Importer, Encoding: s.Encoding,
			Records: s.Records, Rejects: s.Rejects, Warnings: len(s.Warnings)})
	}
	pol, err := c.Policy(ctx)
	if err != nil {
		return r, err
	}
	months, err := c.store.ForeignByMonth(ctx, pol.Home, pol.Protected)
	if err != nil {
		return r, err
	}
	for _, m := range months {
		r.Summary.ForeignByMonth = append(r.Summary.ForeignByMonth, reports.MonthCount{Month: m.Month, Country: m.Country, N: m.N})
	}
	top, err := c.store.TopForeignActors(ctx, pol.Home, pol.Protected, 10)
	if err != nil {
		return r, err
	}
	for _, a := range top {
		r.Summary.TopActors = append(r.Summary.TopActors, reports.Count{Label: a.Actor, N: a.N})
	}
	if opts.Pseudonymise {
		if r.People, err = c.store.PeopleNames(ctx); err != nil {
			return r, err
		}
	}
	evidence, err := c.store.Evidence(ctx)
	if err != nil {
		return r, err
	}
	for _, t := range evidence {
		if t.Tag == RedactTag || strings.HasPrefix(t.Tag, RedactTag+"/") {
			b.withheld[t.Item.String()] = true
		}
	}
	wantTag := map[string]bool{}
	for _, t := range opts.Tags {
		wantTag[strings.TrimSpace(t)] = true
	}
	byTag := map[string][]store.Tagging{}
	var tagOrder []string
	exhibitOf := map[string]store.Tagging{}
	for _, t := range evidence {
		if t.Tag == RedactTag || strings.HasPrefix(t.Tag, RedactTag+"/") {
			continue // a mark for the report, not a finding
		}
		if _, ok := exhibitOf[t.Item.String()]; !ok {
			exhibitOf[t.Item.String()] = t
		}
		if len(wantTag) > 0 && !wantTag[t.Tag] && !wantTag[strings.SplitN(t.Tag, "/", 2)[0]] {
			continue
		}
		if _, ok := byTag[t.Tag]; !ok {
			tagOrder = append(tagOrder, t.Tag)
		}
		byTag[t.Tag] = append(byTag[t.Tag], t)
	}
	sort.Strings(tagOrder)
	for _, tag := range tagOrder {
		r.Summary.ExhibitsByTag = append(r.Summary.ExhibitsByTag, reports.Count{Label: tag, N: int64(len(byTag[tag]))})
	}
	// Findings: statements first, then tags.
	sts, err := c.store.Statements(ctx)
	if err != nil {
		return r, err
	}
	wantSt := map[int64]bool{}
	for _, id := range opts.Statements {
		wantSt[id] = true
	}
	for _, st := range sts {
		if len(wantSt) > 0 && !wantSt[st.ID] {
			continue
		}
		sec := reports.Section{Title: "Statement: \u201c" + clipWords(st.Words, 12) + "\u201d",
			Intro: []string{fmt.Sprintf("%s, %s%s:", st.Who, st.When, prefixed(", ", st.Where)), "\u201c" + st.Words + "\u201d"}}
		for _, l := range st.Links {
			it, err := model.ParseItemID(l.Item)
			if err != nil {
				continue
			}
			t, ok := exhibitOf[l.Item]
			if !ok {
				t = store.Tagging{QuoteStart: -1}
				t.Item = it
			}
			ex, err := b.exhibit(t)
			if err != nil {
				return r, err
			}
			ex.Role = l.Relation
			if l.Note != "" {
				ex.Note = l.Note
			}
			sec.Exhibits = append(sec.Exhibits, ex)
		}
		r.Sections = append(r.Sections, sec)
	}
	for _, tag := range tagOrder {
		sec := reports.Section{Title: "Tag: " + tag}
		var events []store.Tagging
		for _, t := range byTag[tag] {
			if t.Item.Kind == model.ItemEvent {
				events = append(events, t)
				continue
			}
			ex, err := b.exhibit(t)
			if err != nil {
				return r, err
			}
			sec.Exhibits = append(sec.Exhibits, ex)
		}
		if len(events) <= maxSingleEvents {
			for _, t := range events {
				ex, err := b.exhibit(t)
				if err != nil {
					return r, err
				}
				sec.Exhibits = append(sec.Exhibits, ex)
			}
		} else {
			ex, err := b.eventTable(events)
			if err != nil {
				return r, err
			}
			sec.Exhibits = append(sec.Exhibits, ex)
		}
		r.Sections = append(r.Sections, sec)
	}
	// Appendices.
	r.Methodology = []string{
		fmt.Sprintf("Home jurisdictions: %s. Protected data categories: %s. Approval required: %v.",
			strings.Join(pol.Home, ", "), strings.Join(pol.Protected, ", "), pol.ApprovalRequired),
		"Rules only suggest evidence; every exhibit in this report was confirmed by the investigator. " +
			"Countries come from the logs themselves, else from the case's place table, else from the case's IP-range table and IP databases; no network lookup was made.",
	}
	ipParas, err := c.ipMethodology(ctx)
	if err != nil {
		return r, err
	}
	r.Methodology = append(r.Methodology, ipParas...)
	rules, err := c.store.Rules(ctx)
	if err == nil {
		counts := map[string]int{}
		if sug, err := c.store.Taggings(ctx, store.TaggingFilter{RulesOnly: true}); err == nil {
			for _, s := range sug {
				counts[s.Origin]++
			}
		}
		var enabled []Rule
		for _, ru := range rules {
			if ru.Enabled {
				enabled = append(enabled, ru)
			}
		}
		cov, err := c.RuleCoverage(ctx, enabled)
		if err != nil {
			return r, err
		}
		for _, ru := range enabled {
			cond := ru.Condition
			if cond == "" {
				cond = ru.Kind
			}
			r.Rules = append(r.Rules, reports.Rule{Name: ru.Name, Condition: cond, Parameters: ru.Params, Suggestions: counts[ru.ID],
				Coverage: cov[ru.ID].Short()})
		}
		ctxParas, err := c.contextMethodology(ctx)
		if err != nil {
			return r, err
		}
		r.Methodology = append(r.Methodology, ctxParas...)
	}
	if saved, err := c.store.SavedSearches(ctx); err == nil {
		for _, s := range saved {
			r.Searches = append(r.Searches, reports.NamedQuery{Name: s.Name, Query: s.Query})
		}
	}
	trail, err := c.store.AuditTrail(ctx)
	if err != nil {
		return r, err
	}
	for _, a := range trail {
		if a.Action == "report" || a.Action == "verify" {
			continue // reading the case changes no evidence; leaving them out keeps reports reproducible
		}
		r.Audit = append(r.Audit, reports.AuditLine{Seq: a.Seq, At: a.At, Actor: a.Actor, Action: a.Action, Detail: clipWords(a.Detail, 40)})
	}
	if r.Manifest, err = b.manifest.bytes(); err != nil {
		return r, err
	}
	return r, nil
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

// clipWords keeps the first n words of s.
func clipWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:n], " ") + " …"
}

// runeToByte turns a character offset in s into a byte offset.
func runeToByte(s string, n int) int {
	if n <= 0 {
		return 0
	}
	i := 0
	for pos := range s {
		if i == n {
			return pos
		}
		i++
	}
	return len(s)
}

// exhibit renders one tagging (or a linked item without one) as an exhibit.
func (b *reportBuilder) exhibit(t store.Tagging) (reports.Exhibit, error) {
	ex := reports.Exhibit{Number: store.ExhibitLabel(t.Exhibit), Tag: t.Tag, Note: t.Note, Redacted: b.withheld[t.Item.String()]}
	if t.Exhibit <= 0 {
		ex.Number = "Linked item " + t.Item.String()
	}
	switch t.Item.Kind {
	case model.ItemSegment:
		seg, err := b.c.store.Segment(b.ctx, t.Item.N)
		if err != nil {
			return ex, err
		}
		src := b.source(seg.SourceID)
		ex.Kind = reports.ExhibitQuote
		ex.Speaker, ex.Meeting, ex.TimeCode, ex.Text = seg.Speaker, meetingName(src), segTime(seg), seg.Text
		if t.QuoteStart >= 0 && t.QuoteEnd > t.QuoteStart {
			ex.Start, ex.End = runeToByte(seg.Text, t.QuoteStart), runeToByte(seg.Text, t.QuoteEnd)
		}
		all := b.segments(seg.SourceID)
		for i, s := range all {
			if s.ID != seg.ID {
				continue
			}
			if i > 0 && !b.withheld[model.ItemID{Kind: model.ItemSegment, N: all[i-1].ID}.String()] {
				ex.Before = speakerLine(all[i-1])
			}
			if i+1 < len(all) && !b.withheld[model.ItemID{Kind: model.ItemSegment, N: all[i+1].ID}.String()] {
				ex.After = speakerLine(all[i+1])
			}
		}
		ex.Citation = reports.Citation{File: src.Name, SHA256: src.SHA256, Line: seg.Line, Offset: seg.Offset, TimeCode: segTime(seg),
			PageLine: seg.PageCite(), NoOffset: zipped(src)}
		if err := b.soundCitation(&ex.Citation, seg); err != nil {
			return ex, err
		}
		b.manifest.segment(ex.Number, seg, src, ex.Text[ex.Start:ex.End], ex.Redacted)
	case model.ItemEvent:
		e, err := b.c.store.Event(b.ctx, t.Item.N)
		if err != nil {
			return ex, err
		}
		src := b.source(e.SourceID)
		ex.Kind = reports.ExhibitEvent
		ex.Fields = eventFields(e)
		if ex.Fields, err = b.c.withIPCountrySource(b.ctx, e, ex.Fields); err != nil {
			return ex, err
		}
		if t.Explanation != "" {
			ex.Fields = append([]reports.Field{{Name: "Finding", Value: t.Explanation}}, ex.Fields...)
		}
		ex.Citation = reports.Citation{File: src.Name, SHA256: src.SHA256, Row: e.Row, Line: e.Line, Offset: e.Offset, TimeCode: when(e),
			NoOffset: zipped(src)}
		b.manifest.event(ex.Number, e, src, ex.Redacted)
	case model.ItemSource:
		src := b.source(t.Item.N)
		ex.Kind = reports.ExhibitEvent
		ex.Fields = []reports.Field{{Name: "Source", Value: src.Name}, {Name: "Kind", Value: string(src.Kind)},
			{Name: "Records", Value: strconv.FormatInt(src.Records, 10)}, {Name: "SHA-256", Value: src.SHA256}}
		ex.Citation = reports.Citation{File: src.Name, SHA256: src.SHA256}
		b.manifest.source(ex.Number, src)
	default:
		return ex, errors.New("unknown item kind " + string(t.Item.Kind))
	}
	return ex, nil
}

// zipped says a source is a zip container (.docx, .xlsx): its records have
// no byte offset, only a paragraph or a sheet row, so none is cited.
func zipped(src model.Source) bool {
	return src.Format == "docx" || strings.HasPrefix(src.Format, "xlsx-")
}

// eventTable renders many event exhibits of one tag as one paginated table.
func (b *reportBuilder) eventTable(ts []store.Tagging) (reports.Exhibit, error) {
	ex := reports.Exhibit{Kind: reports.ExhibitEvents, Tag: ts[0].Tag,
		Number:  store.ExhibitLabel(ts[0].Exhibit) + " – " + store.ExhibitLabel(ts[len(ts)-1].Exhibit),
		Header:  []string{"Exhibit", "Time (UTC)", "Actor", "Office", "Country", "Resource", "Records", "Approval", "Row"},
		Weights: []float64{1.1, 1.7, 1.4, 1, 0.8, 2.4, 0.9, 1.5, 0.7}}
	files := map[string]bool{}
	var first model.Source
	for _, t := range ts {
		e, err := b.c.store.Event(b.ctx, t.Item.N)
		if err != nil {
			return ex, err
		}
		src := b.source(e.SourceID)
		if len(files) == 0 {
			first = src
		}
		files[src.Name] = true
		rec := ""
		if e.RecordCount >= 0 {
			rec = strconv.FormatInt(e.RecordCount, 10)
		}
		b.manifest.event(store.ExhibitLabel(t.Exhibit), e, src, b.withheld[t.Item.String()])
		if b.withheld[t.Item.String()] {
			ex.Rows = append(ex.Rows, []string{store.ExhibitLabel(t.Exhibit), "withheld (marked for redaction)", "", "", "", "", "", "", strconv.Itoa(e.Row)})
			continue
		}
		ex.Rows = append(ex.Rows, []string{store.ExhibitLabel(t.Exhibit), when(e), firstNonEmpty(e.ActorName, e.ActorID),
			e.Office, e.Country, e.Resource, rec, firstNonEmpty(e.ApprovalID, "none"), strconv.Itoa(e.Row)})
	}
	ex.Citation = reports.Citation{File: first.Name, SHA256: first.SHA256}
	if len(files) > 1 {
		ex.Note = fmt.Sprintf("Rows come from %d files; each row's file is in the chain of custody.", len(files))
	}
	return ex, nil
}

func when(e model.Event) string {
	if e.Time.IsZero() {
		return e.TimeText
	}
	return e.Time.UTC().Format("2006-01-02 15:04:05")
}

func speakerLine(s model.Segment) string {
	if s.Speaker == "" {
		return s.Text
	}
	return s.Speaker + ": " + s.Text
}

func meetingName(src model.Source) string {
	name := strings.TrimSuffix(src.Name, filepath.Ext(src.Name))
	if src.Title != "" {
		name = src.Title
	}
	if src.Describes != "" && !strings.Contains(name, src.Describes) {
		name = src.Describes + " " + name
	}
	return name
}

func eventFields(e model.Event) []reports.Field {
	rec := ""
	if e.RecordCount >= 0 {
		rec = strconv.FormatInt(e.RecordCount, 10)
	}
	who := e.ActorName
	if e.ActorID != "" {
		who = strings.TrimSpace(who + " (" + e.ActorID + ")")
	}
	country := e.Country
	if e.CountryFrom != "" && e.CountryFrom != "source" {
		country += " (from the " + e.CountryFrom + " table)"
	}
	return []reports.Field{
		{Name: "Time", Value: when(e) + " UTC"}, {Name: "As written", Value: e.TimeText}, {Name: "Actor", Value: who},
		{Name: "Office", Value: e.Office}, {Name: "Country", Value: country}, {Name: "IP", Value: e.IP},
		{Name: "Action", Value: e.Action}, {Name: "System", Value: e.System}, {Name: "Resource", Value: e.Resource},
		{Name: "Data category", Value: e.DataCategory}, {Name: "Subject region", Value: e.SubjectRegion},
		{Name: "Records", Value: rec}, {Name: "Approval", Value: firstNonEmpty(e.ApprovalID, "none")},
		{Name: "Approver", Value: strings.TrimSpace(e.Approver + " " + prefixed("", e.ApproverCountry))},
		{Name: "Purpose", Value: e.Purpose}, {Name: "Flags", Value: strings.Join(e.Flags, ", ")}, {Name: "Raw row", Value: e.Raw},
	}
}
