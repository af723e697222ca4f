package casefile

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"casebook/importer"
	"casebook/model"
)

// importedWith is how a file was read, recorded with its source so that
// verify --deep can read the original again exactly the same way.
type importedWith struct {
	Format  string            `json:"format"`
	Kind    model.SourceKind  `json:"kind,omitempty"`
	TZ      string            `json:"tz,omitempty"`
	Map     map[string]string `json:"map,omitempty"`
	Date    string            `json:"date,omitempty"`
	MaxLine int               `json:"max_line,omitempty"`
	Year    int               `json:"year,omitempty"`
	// DateOrder is --date-order ("dmy", "mdy"), "" when the values decided.
	DateOrder string `json:"date_order,omitempty"`
	// NoHeader: the first row of a delimited log was data.
	NoHeader bool `json:"no_header,omitempty"`
}

// recordOptions renders the options an import used as the JSON kept with its source.
func recordOptions(format string, o ImportOptions) string {
	w := importedWith{Format: format, Kind: o.Kind, Map: o.Map, Date: o.Date, MaxLine: o.MaxLine, Year: o.Year, DateOrder: o.DateOrder,
		NoHeader: o.NoHeader}
	if o.TZ != nil {
		w.TZ = o.TZ.String()
	}
	b, _ := json.Marshal(w)
	return string(b)
}

// options turns recorded options back into import options.
func (w importedWith) options() (ImportOptions, error) {
	o := ImportOptions{Format: w.Format, Kind: w.Kind, Map: w.Map, Date: w.Date, MaxLine: w.MaxLine, Year: w.Year, DateOrder: w.DateOrder,
		NoHeader: w.NoHeader}
	if w.TZ != "" {
		loc, err := time.LoadLocation(w.TZ)
		if err != nil {
			return o, err
		}
		o.TZ = loc
	}
	return o, nil
}

// DeepReport is what verify --deep found by parsing every original again.
type DeepReport struct {
	Sources  int      // originals parsed again
	Records  int64    // records compared field by field
	Indexed  int64    // index documents compared with what their records give
	Problems []string // stored records that differ from what their original says
	Notes    []string // differences explained by a newer importer, sources that could not be parsed again
}

// deepLimit bounds the differences named per source.
const deepLimit = 20

// verifyDeep parses each original again with the options it was imported
// with and compares every record, field by field, with the stored one.
func (c *Case) verifyDeep(ctx context.Context, srcs []model.Source, progress ProgressFunc) (DeepReport, error) {
	var rep DeepReport
	en, err := c.newEnricher(ctx)
	if err != nil {
		return rep, err
	}
	for i, src := range srcs {
		progress.report(Progress{Stage: "verify --deep", File: src.Name, Done: int64(i), Total: int64(len(srcs))})
		if err := c.deepSource(ctx, src, en, &rep); err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			return rep, fmt.Errorf("verify --deep src-%d (%s): %w", src.ID, src.Name, err)
		}
		rep.Sources++
	}
	return rep, nil
}

func (c *Case) deepSource(ctx context.Context, src model.Source, en *enricher, rep *DeepReport) error {
	if src.Kind == model.KindRecording {
		return c.deepRecording(ctx, src, rep)
	}
	sid := model.ItemID{Kind: model.ItemSource, N: src.ID}
	recorded, err := c.store.SourceOptions(ctx, src.ID)
	if err != nil {
		return err
	}
	var w importedWith
	if recorded == "" {
		// Imported before options were recorded: the format and zone the source names.
		w = importedWith{Format: src.Format, TZ: src.TimeZone}
	} else if err := json.Unmarshal([]byte(recorded), &w); err != nil {
		return fmt.Errorf("its recorded import options cannot be read: %w", err)
	}
	opts, err := w.options()
	if err != nil {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s (%s): not parsed again: %v", sid, src.Name, err))
		return nil
	}
	format, err := importer.Lookup(w.Format)
	if err != nil {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s (%s): not parsed again: this Casebook has no format %q", sid, src.Name, w.Format))
		return nil
	}
	path := filepath.Join(c.dir, originalPath(src.SHA256))
	head, err := readHead(path)
	if err != nil {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s (%s): original cannot be read: %v", sid, src.Name, cleanOSError(err)))
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var body io.Reader = f
	_, _, gz := importer.DecompressedHead(src.Name, head)
	if gz {
		if body, _, _, err = importer.Decompress(src.Name, head, f); err != nil {
			return err
		}
	}
	cmp := &deepSink{ctx: ctx, c: c, src: src, en: en}
	if src.Kind == model.KindTranscript {
		if cmp.segs, err = c.store.SourceSegments(ctx, src.ID); err != nil {
			return err
		}
	}
	_, perr := format.Parse(ctx, importer.Input{Name: src.Name, R: body, Size: src.Size, Opts: parserOptions(opts),
		Reopen: reopener(openFile(path), src.Name, head, gz)}, cmp)
	if cmp.err != nil {
		return cmp.err
	}
	if perr != nil {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s (%s): parsing it again failed: %v", sid, src.Name, perr))
		return nil
	}
	if err := cmp.finish(); err != nil {
		return err
	}
	rep.Records += cmp.compared
	if cmp.enriched > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s (%s): %d fields filled at import from the case's place and IP tables (country, IP country, flags) differ from what today's tables give: the tables changed since the import; the seals vouch for the stored values",
			sid, src.Name, cmp.enriched))
	}
	if len(cmp.diffs) == 0 {
		return nil
	}
	if now := format.ImporterID(); now != src.Importer {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s (%s): imported by %s, parsed again by %s, which reads it differently (%d differences, first: %s): a newer importer, not an edit",
			sid, src.Name, src.Importer, now, cmp.ndiff, cmp.diffs[0]))
		return nil
	}
	for _, d := range cmp.diffs {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s (%s, %s)", d, sid, src.Name))
	}
	if cmp.ndiff > len(cmp.diffs) {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s (%s): %d more differences", sid, src.Name, cmp.ndiff-len(cmp.diffs)))
	}
	return nil
}

// deepSink receives the records of an original parsed again and compares
// each with the stored record in the same position.
type deepSink struct {
	ctx      context.Context
	c        *Case
	src      model.Source
	en       *enricher
	segs     []model.Segment // a transcript's stored segments
	evts     []model.Event   // the current batch of a log's stored events
	lastEvt  int64
	nSeg     int
	nEvt     int
	compared int64
	enriched int // fields filled from the place and IP tables that today's tables fill differently
	diffs    []string
	ndiff    int
	err      error
}

func (d *deepSink) differ(format string, a ...any) {
	d.ndiff++
	if len(d.diffs) < deepLimit {
		d.diffs = append(d.diffs, fmt.Sprintf(format, a...))
	}
}

func (d *deepSink) Segment(g *model.Segment) error {
	if d.nSeg >= len(d.segs) {
		d.nSeg++
		d.differ("the original has a segment %d (line %d) that the case does not hold", g.Seq, g.Line)
		return nil
	}
	s := d.segs[d.nSeg]
	d.nSeg++
	d.compared++
	id := model.ItemID{Kind: model.ItemSegment, N: s.ID}
	start, end := g.StartMS, g.EndMS
	if start < 0 {
		start = -1
	}
	if end < 0 {
		end = -1
	}
	for _, f := range []struct {
		name      string
		have, got any
	}{{"text", s.Text, g.Text}, {"speaker", s.Speaker, g.Speaker}, {"start", s.StartMS, start}, {"end", s.EndMS, end},
		{"seq", s.Seq, g.Seq}, {"line", s.Line, g.Line}, {"offset", s.Offset, g.Offset}, {"length", s.Length, g.Length},
		{"page", s.PageCite(), g.PageCite()}} {
		if f.have != f.got {
			d.differ("%s: %s is %s in the case, %s in the original (line %d)", id, f.name, quoteField(f.have), quoteField(f.got), g.Line)
			return nil
		}
	}
	return nil
}

func (d *deepSink) Event(e *model.Event) error {
	if d.nEvt >= len(d.evts) {
		more, err := d.c.store.SourceEvents(d.ctx, d.src.ID, d.lastEvt, 2000)
		if err != nil {
			d.err = err
			return err
		}
		d.evts, d.nEvt = more, 0
		if len(more) == 0 {
			d.differ("the original has a row %d (line %d) that the case does not hold", e.Row, e.Line)
			return nil
		}
	}
	s := d.evts[d.nEvt]
	d.nEvt++
	d.lastEvt = s.ID
	d.compared++
	d.en.apply(e)
	if e.RecordCount < 0 {
		e.RecordCount = -1
	}
	id := model.ItemID{Kind: model.ItemEvent, N: s.ID}
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	for _, f := range []struct {
		name      string
		have, got any
	}{{"raw", s.Raw, e.Raw}, {"time", ts(s.Time), ts(e.Time)}, {"time text", s.TimeText, e.TimeText},
		{"actor", s.ActorName, e.ActorName}, {"actor id", s.ActorID, e.ActorID}, {"office", s.Office, e.Office},
		{"ip", s.IP, e.IP}, {"action", s.Action, e.Action}, {"system", s.System, e.System},
		{"resource", s.Resource, e.Resource}, {"category", s.DataCategory, e.DataCategory},
		{"region", s.SubjectRegion, e.SubjectRegion}, {"records", s.RecordCount, e.RecordCount},
		{"approval", s.ApprovalID, e.ApprovalID}, {"approver", s.Approver, e.Approver},
		{"approver country", s.ApproverCountry, e.ApproverCountry}, {"purpose", s.Purpose, e.Purpose},
		{"row", s.Row, e.Row}, {"line", s.Line, e.Line}, {"offset", s.Offset, e.Offset},
		{"country", s.Country, e.Country}, {"country from", s.CountryFrom, e.CountryFrom},
		{"ip country", s.IPCountry, e.IPCountry}, {"flags", strings.Join(s.Flags, ","), strings.Join(e.Flags, ",")}} {
		if f.have == f.got {
			continue
		}
		switch f.name {
		case "country", "country from", "ip country", "flags":
			if e.CountryFrom != "source" || f.name == "ip country" || f.name == "flags" {
				// Filled from the case's place and IP tables, which may have
				// changed since the import: the seals prove these fields.
				d.enriched++
				continue
			}
		}
		d.differ("%s: %s is %s in the case, %s in the original (row %d, line %d)", id, f.name, quoteField(f.have), quoteField(f.got), e.Row, e.Line)
		return nil
	}
	return nil
}

func (d *deepSink) Warn(int, string) {}

func (d *deepSink) Reject(importer.Rejection) error { return nil }

// finish names the stored records the original no longer yields.
func (d *deepSink) finish() error {
	if d.src.Kind == model.KindTranscript {
		for _, s := range d.segs[min(d.nSeg, len(d.segs)):] {
			d.differ("%s: the case holds it, the original does not yield it", model.ItemID{Kind: model.ItemSegment, N: s.ID})
		}
		return nil
	}
	rest := d.evts[d.nEvt:]
	for {
		for _, s := range rest {
			d.differ("%s: the case holds it, the original does not yield it", model.ItemID{Kind: model.ItemEvent, N: s.ID})
			d.lastEvt = s.ID
		}
		more, err := d.c.store.SourceEvents(d.ctx, d.src.ID, d.lastEvt, 2000)
		if err != nil || len(more) == 0 {
			return err
		}
		rest = more
	}
}

// quoteField renders a field value for a one-line message.
func quoteField(v any) string {
	s, ok := v.(string)
	if !ok {
		return fmt.Sprint(v)
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return strconv.Quote(s)
}
