package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"casebook/model"
)

// PostgreSQL csvlog with pgaudit records. Every line of a csvlog is a CSV
// record (23 columns up to PostgreSQL 12, more since); pgaudit writes its
// audit trail into the message column as "AUDIT: SESSION,…" or "AUDIT:
// OBJECT,…", itself a CSV record (audit type, statement id, substatement
// id, class, command, object type, object name, statement, parameter)
// quoted inside the outer one. Only AUDIT records become events; ordinary
// server lines are skipped and counted in one warning.

func init() {
	Register(Format{
		Name:    "pgaudit",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "PostgreSQL csvlog with pgaudit AUDIT records",
		Detect:  detectPgaudit,
		Parse:   parsePgaudit,
	})
}

// pgCSVLine is how every csvlog record starts: a timestamp with a zone.
var pgCSVLine = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? [A-Za-z+\-0-9]+,("[^"]*")?,("[^"]*")?,\d+,`)

// csvlog columns used here.
const (
	pgTime, pgUser, pgDB, pgFrom, pgMessage = 0, 1, 2, 4, 13
	pgMinCols                               = 14
)

func detectPgaudit(name string, head []byte) int {
	lines := logHeadLines(head, 5)
	hits := 0
	for _, l := range lines {
		if pgCSVLine.MatchString(l) {
			hits++
		}
	}
	if hits == 0 || hits*2 < len(lines) {
		return 0
	}
	if headHas(head, `,"AUDIT: SESSION,`, `,"AUDIT: OBJECT,`) > 0 {
		return 95
	}
	return 45 // a csvlog whose audit records may come later
}

func parsePgaudit(ctx context.Context, in Input, sink Sink) (Meta, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return Meta{}, err
	}
	rows, enc, err := newCSVRows(in)
	if err != nil {
		return Meta{}, err
	}
	rows.cr.Comma = ','
	loc := in.Opts.Location()
	skipped, firstSkipped := 0, 0
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		r, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Meta{}, err
		}
		raw := rawText(r.raw)
		reason := r.reason
		if reason == "" && len(r.fields) < pgMinCols {
			if n == 0 {
				return Meta{}, Errorf(in.Name, r.line, "not a PostgreSQL csvlog: %d columns, a csvlog has at least 23", len(r.fields))
			}
			reason = fmt.Sprintf("row has %d columns, a csvlog row has at least 23", len(r.fields))
		}
		if reason == "" {
			msg := r.fields[pgMessage]
			if !strings.HasPrefix(msg, "AUDIT: ") {
				skipped++
				if firstSkipped == 0 {
					firstSkipped = r.line
				}
				continue
			}
			e := &model.Event{Row: r.row, Line: r.line, Offset: r.off, Raw: raw, RecordCount: -1}
			reason = fillPgaudit(e, r.fields, msg)
			if reason == "" {
				e.TimeText = strings.TrimSpace(r.fields[pgTime])
				t, terr := ParseTime(e.TimeText, loc)
				if terr == nil {
					e.Time = t
					if err := sink.Event(e); err != nil {
						return Meta{}, err
					}
					continue
				}
				reason = "time " + quote(e.TimeText) + ": " + terr.Error()
			}
		}
		if err := sink.Reject(Rejection{Line: r.line, Row: r.row, Raw: raw, Reason: reason}); err != nil {
			return Meta{}, err
		}
	}
	if rows.row == 0 {
		return Meta{}, Errorf(in.Name, 0, "empty file")
	}
	if skipped > 0 {
		sink.Warn(firstSkipped, fmt.Sprintf("%d ordinary server lines (not AUDIT records) skipped", skipped))
	}
	return Meta{Encoding: enc, TimeZone: loc.String()}, nil
}

// fillPgaudit reads the outer csvlog fields and the nested AUDIT record.
func fillPgaudit(e *model.Event, f []string, msg string) string {
	ar := csv.NewReader(strings.NewReader(strings.TrimPrefix(msg, "AUDIT: ")))
	ar.LazyQuotes = true
	ar.FieldsPerRecord = -1
	a, err := ar.Read()
	if err != nil || len(a) < 5 {
		return "AUDIT record does not read as audit type, statement id, substatement id, class, command, …"
	}
	get := func(i int) string {
		if i < len(a) {
			return strings.TrimSpace(a[i])
		}
		return ""
	}
	e.ActorName = strings.TrimSpace(f[pgUser])
	from := strings.TrimSpace(f[pgFrom])
	if from != "" && from != "[local]" {
		if h, _, ok := strings.Cut(from, ":"); ok && !strings.Contains(from, "::") && strings.Count(from, ":") == 1 {
			from = h
		}
		e.IP = cleanIP(from)
	}
	e.System = "postgresql"
	if db := strings.TrimSpace(f[pgDB]); db != "" {
		e.System += ":" + db
	}
	e.Action = get(3) + "/" + get(4) // class/command, e.g. READ/SELECT
	e.Resource = get(6)
	if e.Resource == "" {
		e.Resource = get(5)
	}
	e.Purpose = get(7) // the statement
	return ""
}
