package casefile

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"casebook/model"
)

// Export formats.
const (
	ExportCSV   = "csv"
	ExportJSONL = "jsonl"
	ExportFtM   = "ftm" // FollowTheMoney entities, one JSON object a line (Aleph's data model)
)

// ExportOptions say what to export and how.
type ExportOptions struct {
	Format string // csv, jsonl or ftm
	// What is evidence, events or search; with Format ftm, all (the whole
	// case) or evidence (the sources and the exhibits alone, the default).
	What  string
	Query Query // for What == "search"
	// Progress, if not nil, receives Stage "export" reports: rows written
	// (of the events in the case, for What == "events"; total unknown else).
	Progress ProgressFunc
}

// record is one exported row: ordered columns and their values.
type record struct {
	cols []string
	vals []string
}

// Export writes evidence, events or a search's hits as CSV or JSON Lines, or
// the case as FollowTheMoney entities: its exhibits (What "evidence") or the
// whole case (What "all", see exportftm.go). It streams: memory does not grow
// with the number of rows.
func (c *Case) Export(ctx context.Context, w io.Writer, opts ExportOptions) (int, error) {
	// An export is recorded in the audit trail, which a read-only case
	// cannot write: say so before writing anything.
	if err := c.refuseUnlessAudited(); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var n int
	var err error
	switch {
	case opts.Format == ExportFtM && opts.What == "all":
		n, err = c.exportFtMAll(ctx, bw, opts.Progress)
	case opts.Format == ExportFtM:
		n, err = c.exportFtM(ctx, bw)
	case opts.What == "all":
		err = fmt.Errorf("export: --what all is the whole case as FollowTheMoney entities (--format ftm), not %q: %w", opts.Format, model.ErrInvalid)
	default:
		var emit func(record) error
		emit, err = recordWriter(bw, opts.Format)
		if err == nil && opts.Progress != nil {
			emit, err = c.countedEmit(ctx, emit, opts)
		}
		if err == nil {
			switch opts.What {
			case "evidence", "":
				n, err = c.exportEvidence(ctx, emit)
			case "events":
				n, err = c.exportEvents(ctx, emit)
			case "search":
				n, err = c.exportSearch(ctx, opts.Query, emit)
			default:
				err = fmt.Errorf("export: nothing called %q (evidence, events or search): %w", opts.What, model.ErrInvalid)
			}
		}
	}
	if err != nil {
		return n, err
	}
	if err := bw.Flush(); err != nil {
		return n, err
	}
	return n, c.store.Audit(ctx, c.Investigator(ctx), "export", map[string]any{"format": opts.Format, "what": opts.What, "rows": n})
}

// countedEmit wraps emit to report the rows written, every 1,000 rows.
func (c *Case) countedEmit(ctx context.Context, emit func(record) error, opts ExportOptions) (func(record) error, error) {
	var total int64
	if opts.What == "events" {
		info, err := c.Info(ctx)
		if err != nil {
			return nil, err
		}
		total = info.Events
	}
	var n int64
	return func(r record) error {
		if n%1000 == 0 {
			opts.Progress.report(Progress{Stage: "export", Done: n, Total: total})
		}
		n++
		return emit(r)
	}, nil
}

// recordWriter returns a function that writes records as CSV (with a header
// from the first record) or as JSON objects, one a line.
func recordWriter(w io.Writer, format string) (func(record) error, error) {
	switch format {
	case ExportCSV:
		cw := csv.NewWriter(w)
		header := false
		return func(r record) error {
			if !header {
				header = true
				if err := cw.Write(r.cols); err != nil {
					return err
				}
			}
			if err := cw.Write(r.vals); err != nil {
				return err
			}
			cw.Flush()
			return cw.Error()
		}, nil
	case ExportJSONL:
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return func(r record) error {
			// An ordered object: build it by hand so columns keep their order.
			var b strings.Builder
			b.WriteByte('{')
			for i, c := range r.cols {
				if i > 0 {
					b.WriteByte(',')
				}
				k, _ := json.Marshal(c)
				v, _ := json.Marshal(r.vals[i])
				b.Write(k)
				b.WriteByte(':')
				b.Write(v)
			}
			b.WriteString("}\n")
			_, err := io.WriteString(w, b.String())
			return err
		}, nil
	}
	return nil, fmt.Errorf("export format %q: want csv, jsonl or ftm: %w", format, model.ErrInvalid)
}

func (c *Case) exportEvidence(ctx context.Context, emit func(record) error) (int, error) {
	ex, err := c.Evidence(ctx)
	if err != nil {
		return 0, err
	}
	cols := []string{"exhibit", "item", "tag", "quote", "note", "citation", "explanation"}
	for _, e := range ex {
		if err := emit(record{cols, []string{e.Exhibit, e.Item, e.Tag, e.Quote, e.Note, e.Citation, e.Explanation}}); err != nil {
			return 0, err
		}
	}
	return len(ex), nil
}

var eventCols = []string{"id", "source", "time", "time_text", "actor", "actor_id", "office", "country", "country_from",
	"ip_country", "ip", "action", "system", "resource", "category", "region", "records", "approval", "approver",
	"approver_country", "purpose", "flags", "row", "line", "offset", "raw"}

func eventValues(e model.Event) []string {
	t := ""
	if !e.Time.IsZero() {
		t = e.Time.UTC().Format(time.RFC3339Nano)
	}
	rec := ""
	if e.RecordCount >= 0 {
		rec = strconv.FormatInt(e.RecordCount, 10)
	}
	return []string{model.ItemID{Kind: model.ItemEvent, N: e.ID}.String(), model.ItemID{Kind: model.ItemSource, N: e.SourceID}.String(),
		t, e.TimeText, e.ActorName, e.ActorID, e.Office, e.Country, e.CountryFrom, e.IPCountry, e.IP, e.Action, e.System,
		e.Resource, e.DataCategory, e.SubjectRegion, rec, e.ApprovalID, e.Approver, e.ApproverCountry, e.Purpose,
		strings.Join(e.Flags, ","), strconv.Itoa(e.Row), strconv.Itoa(e.Line), strconv.FormatInt(e.Offset, 10), e.Raw}
}

func (c *Case) exportEvents(ctx context.Context, emit func(record) error) (int, error) {
	_, maxEvt, err := c.store.MaxIDs(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for lo := int64(1); lo <= maxEvt; {
		evts, err := c.store.EventsInRange(ctx, lo, maxEvt, 5000)
		if err != nil {
			return n, err
		}
		if len(evts) == 0 {
			break
		}
		for _, e := range evts {
			if err := emit(record{eventCols, eventValues(e)}); err != nil {
				return n, err
			}
			n++
		}
		lo = evts[len(evts)-1].ID + 1
	}
	return n, nil
}

func (c *Case) exportSearch(ctx context.Context, q Query, emit func(record) error) (int, error) {
	cols := []string{"id", "kind", "source", "time", "start_ms", "speaker", "actor", "country", "line", "offset", "text"}
	n := 0
	err := c.SearchAll(ctx, q, func(h Hit) error {
		t := ""
		if !h.Time.IsZero() {
			t = h.Time.UTC().Format(time.RFC3339)
		}
		start := ""
		if h.StartMS >= 0 {
			start = strconv.FormatInt(h.StartMS, 10)
		}
		n++
		return emit(record{cols, []string{h.ID, h.Kind, h.SourceID, t, start, h.Speaker, h.Actor, h.Country,
			strconv.Itoa(h.Line), strconv.FormatInt(h.Offset, 10), h.Text}})
	})
	return n, err
}
