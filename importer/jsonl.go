package importer

import (
	"context"
	"errors"
	"sort"
	"strings"

	"casebook/model"
)

// JSON Lines (and JSON arrays of objects) as an access log: any objects
// whose keys, flattened to dotted paths ("actor.alternateId"), place into
// roles by DetectRoles or --map role=a.b.c.

func init() {
	Register(Format{
		Name:    "jsonl-accesslog",
		Kind:    model.KindAccessLog,
		Version: 2, // 2: numeric dates that cannot tell their day/month order are refused, not read month first
		Title:   "Access log as JSON Lines or a JSON array of objects",
		Detect:  detectJSONL,
		Parse:   parseJSONL,
	})
}

// keyHeader lists the keys of sample records in a stable order: shallow
// keys first, then alphabetical.
func keyHeader(recs []map[string]string) []string {
	seen := map[string]bool{}
	var keys []string
	for _, r := range recs {
		for k := range r {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		di, dj := strings.Count(keys[i], "."), strings.Count(keys[j], ".")
		if di != dj {
			return di < dj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// keySample aligns records' values with header.
func keySample(header []string, recs []map[string]string) [][]string {
	out := make([][]string, len(recs))
	for i, r := range recs {
		row := make([]string, len(header))
		for j, k := range header {
			row[j] = r[k]
		}
		out[i] = row
	}
	return out
}

func detectJSONL(name string, head []byte) int {
	c := firstNonSpace(head)
	if c != '{' && c != '[' && !IsGzip(head) {
		return 0
	}
	recs := headRecords(head, 20)
	if len(recs) == 0 {
		return 0
	}
	header := keyHeader(recs)
	g := DetectRoles(header, keySample(header, recs))
	byName := 0
	for _, p := range g.Placed {
		if p.By == "name" && p.Confidence >= 0.6 {
			byName++
		}
	}
	if g.Col("time") < 0 || byName < 3 {
		return 0
	}
	score := 45 + 5*byName
	if nameHas(name, ".jsonl", ".ndjson", ".json", ".log") {
		score += 2
	}
	return min(score, 80)
}

func parseJSONL(ctx context.Context, in Input, sink Sink) (Meta, error) {
	// Roles are placed from the first records, which are held until then.
	var buf []*jsonRecord
	var g RoleGuess
	var header []string
	var year *yearClock
	var filler *roleFiller
	placed := false
	size := 0
	place := func() error {
		var good []map[string]string
		for _, r := range buf {
			if r.flat != nil {
				good = append(good, r.flat)
			}
		}
		header = keyHeader(good)
		var err error
		g, err = DetectRolesMapped(header, keySample(header, good), in.Opts.Map)
		if err != nil {
			return Errorf(in.Name, 0, "%v", err)
		}
		if g.Col("time") < 0 && len(good) > 0 {
			return Errorf(in.Name, buf[0].line, "no key placed for: time (keys: %s) — map with --map time=KEY",
				cutText(strings.Join(header, ", "), 300))
		}
		year = splitYear(g, in.Opts, sink)
		var times []string
		if _, ok := g.Placed["time"]; ok {
			for _, r := range good {
				times = append(times, timeCell(g, sampleClock(year), func(c int) string { return r[header[c]] }))
			}
		}
		filler = newRoleFiller(g, times, in.Opts, sink)
		if filler.tp.NeedsAllValues() && in.Reopen != nil {
			// The first records cannot settle the day/month order: read
			// the time of every record once before the first is handled.
			if err := firstPassJSONTimes(ctx, in, g, header, year, filler.tp); err != nil {
				return err
			}
		}
		filler.tp.Settled()
		if len(good) > 0 {
			warnRoles(sink, g)
		}
		placed = true
		return nil
	}
	handle := func(r *jsonRecord) error {
		raw := rawText(r.raw)
		reason := r.bad
		if reason == "" {
			e := &model.Event{Row: r.n, Line: r.line, Offset: r.off, Raw: raw}
			cell := func(c int) string {
				if c < 0 || c >= len(header) {
					return ""
				}
				return strings.TrimSpace(r.flat[header[c]])
			}
			reason = filler.fill(e, r.line, func(role string) string {
				if role == "time" {
					return timeCell(g, year, cell)
				}
				return g.Cell(role, cell)
			})
			if g.TimeNoYear {
				e.TimeText = g.Cell("time", cell)
			}
			if reason == "" {
				return sink.Event(e)
			}
		}
		return sink.Reject(Rejection{Line: r.line, Row: r.n, Raw: raw, Reason: reason})
	}
	flush := func() error {
		if !placed {
			if err := place(); err != nil {
				return err
			}
		}
		for _, r := range buf {
			if err := handle(r); err != nil {
				return err
			}
		}
		buf = nil
		return nil
	}
	enc, err := streamJSON(ctx, in, func(r *jsonRecord) error {
		if placed {
			return handle(r)
		}
		buf = append(buf, r)
		size += len(r.raw)
		if len(buf) >= sampleRows || size >= sampleBytes {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return Meta{}, err
	}
	filler.finish(sink)
	return Meta{Encoding: enc, TimeZone: in.Opts.Location().String()}, nil
}

// errSettled stops a first pass once the day/month order is final.
var errSettled = errors.New("settled")

// firstPassJSONTimes shows tp the time of every record of the file, read
// again through in.Reopen one record at a time, so that the day/month order
// is decided from all the values (see TimeParser).
func firstPassJSONTimes(ctx context.Context, in Input, g RoleGuess, header []string, year *yearClock, tp *TimeParser) error {
	again, rc, err := in.reread()
	if err != nil {
		return err
	}
	defer rc.Close()
	yc := sampleClock(year)
	_, err = streamJSON(ctx, again, func(r *jsonRecord) error {
		if r.flat == nil {
			return nil
		}
		if tp.Observe(timeCell(g, yc, func(c int) string { return strings.TrimSpace(r.flat[header[c]]) })) {
			return errSettled
		}
		return nil
	})
	if errors.Is(err, errSettled) {
		return nil
	}
	return err
}
