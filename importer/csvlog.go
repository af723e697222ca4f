package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"casebook/model"
)

// The headed access-log CSV (or TSV): one access event per row, columns
// placed into roles by their header names, or by --map role=column.

func init() {
	Register(Format{
		Name:    "csv-accesslog",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "Access log as CSV/TSV with a header row",
		Detect:  detectCSVLog,
		Parse:   parseCSVLog,
	})
}

// Roles are the event fields a column can fill.
var Roles = []string{
	"time", "actor", "actor_id", "office", "country", "ip", "action", "system", "resource",
	"category", "region", "records", "approval", "approver", "approver_country", "purpose",
}

// roleAliases maps normalized header names to roles.
var roleAliases = map[string]string{
	"time": "time", "timestamp": "time", "ts": "time", "eventtime": "time", "event_time": "time", "datetime": "time",
	"date": "time", "accessed_at": "time", "access_time": "time", "event_ts": "time", "created_at": "time", "when": "time",
	"actor": "actor", "employee": "actor", "employee_name": "actor", "user": "actor", "username": "actor", "user_name": "actor",
	"name": "actor", "staff": "actor", "principal": "actor", "who": "actor",
	"actor_id": "actor_id", "employee_id": "actor_id", "emp_id": "actor_id", "user_id": "actor_id", "userid": "actor_id", "uid": "actor_id", "staff_id": "actor_id",
	"office": "office", "location": "office", "site": "office", "office_location": "office", "city": "office",
	"country": "country", "office_country": "country", "country_code": "country", "office_cc": "country", "cc": "country", "geo_country": "country",
	"ip": "ip", "ip_address": "ip", "source_ip": "ip", "sourceipaddress": "ip", "client_ip": "ip", "src_ip": "ip", "callerip": "ip",
	"action": "action", "operation": "action", "event": "action", "activity": "action", "verb": "action", "method": "action", "event_name": "action",
	"system": "system", "application": "system", "app": "system", "service": "system", "tool": "system",
	"resource": "resource", "table": "resource", "dataset": "resource", "object": "resource", "target": "resource", "database": "resource",
	"category": "category", "data_category": "category", "data_type": "category", "datatype": "category", "field": "category", "fields": "category", "data_class": "category",
	"region": "region", "subject_region": "region", "user_region": "region", "data_region": "region", "subject_country": "region",
	"records": "records", "record_count": "records", "rows": "records", "count": "records", "num_records": "records", "row_count": "records", "users_affected": "records",
	"approval": "approval", "approval_id": "approval", "ticket": "approval", "ticket_id": "approval", "approval_ticket": "approval", "justification_ticket": "approval",
	"approver": "approver", "approved_by": "approver", "approver_name": "approver",
	"approver_country": "approver_country", "approver_cc": "approver_country", "approver_location": "approver_country",
	"purpose": "purpose", "reason": "purpose", "justification": "purpose", "business_purpose": "purpose",
}

func normHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
	h = strings.NewReplacer(" ", "_", "-", "_", ".", "_").Replace(h)
	return h
}

// sniffDelimiter picks the delimiter that splits the first line into the most
// fields consistently with the second.
func sniffDelimiter(head []byte) rune {
	lines := bytes.SplitN(head, []byte{'\n'}, 3)
	best, bestN := ',', 0
	for _, d := range []byte{',', '\t', ';', '|'} {
		n := bytes.Count(lines[0], []byte{d})
		if n > bestN && (len(lines) < 2 || len(bytes.TrimSpace(lines[1])) == 0 || bytes.Count(lines[1], []byte{d}) >= n) {
			best, bestN = rune(d), n
		}
	}
	return best
}

func detectCSVLog(name string, head []byte) int {
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	first, _, _ := bytes.Cut(head, []byte{'\n'})
	d := sniffDelimiter(head)
	cols := strings.Split(strings.TrimRight(string(first), "\r"), string(d))
	if len(cols) < 3 {
		return 0
	}
	roles := map[string]bool{}
	for _, c := range cols {
		if r, ok := roleAliases[normHeader(strings.Trim(c, `"`))]; ok {
			roles[r] = true
		}
	}
	if !roles["time"] || len(roles) < 3 {
		return 0
	}
	score := 40 + 5*len(roles)
	if roles["actor"] || roles["actor_id"] {
		score += 10
	}
	return min(score, 95)
}

// columnMap places header columns into roles: explicit --map entries first,
// then header-name aliases.
func columnMap(name string, header []string, explicit map[string]string) (map[string]int, error) {
	idx := map[string]int{}
	byName := map[string]int{}
	for i, h := range header {
		byName[normHeader(h)] = i
	}
	for role, col := range explicit {
		if !validRole(role) {
			return nil, Errorf(name, 0, "unknown role %q in mapping (roles: %s)", role, strings.Join(Roles, ", "))
		}
		i, ok := byName[normHeader(col)]
		if !ok {
			if n, err := strconv.Atoi(col); err == nil && n >= 1 && n <= len(header) {
				i, ok = n-1, true
			}
		}
		if !ok {
			return nil, Errorf(name, 1, "mapping %s=%s: no such column (columns: %s)", role, col, strings.Join(header, ", "))
		}
		idx[role] = i
	}
	for i, h := range header {
		r, ok := roleAliases[normHeader(h)]
		if !ok {
			continue
		}
		if _, taken := idx[r]; taken {
			continue
		}
		used := false
		for _, j := range idx {
			used = used || j == i
		}
		if !used {
			idx[r] = i
		}
	}
	if _, ok := idx["time"]; !ok {
		return nil, Errorf(name, 1, "no time column found (columns: %s); map one with --map time=COLUMN", strings.Join(header, ", "))
	}
	return idx, nil
}

func validRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// trackReader remembers the bytes read since the last mark, so the raw text
// of each CSV record can be cut out exactly.
type trackReader struct {
	r    io.Reader
	base int64 // offset of win[0]
	win  []byte
}

func (t *trackReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.win = append(t.win, p[:n]...)
	return n, err
}

// cut returns the bytes in [from, to) and forgets everything before to.
func (t *trackReader) cut(from, to int64) []byte {
	lo, hi := from-t.base, to-t.base
	if lo < 0 || hi > int64(len(t.win)) || lo > hi {
		return nil
	}
	return t.win[lo:hi]
}

func (t *trackReader) forget(to int64) {
	k := to - t.base
	if k <= 0 || k > int64(len(t.win)) {
		return
	}
	n := copy(t.win, t.win[k:])
	t.win = t.win[:n]
	t.base = to
}

func parseCSVLog(ctx context.Context, in Input, sink Sink) (Meta, error) {
	dr, enc, err := DecodedReader(in.R)
	if err != nil {
		return Meta{}, Errorf(in.Name, 0, "read: %v", err)
	}
	bom := int64(BOMLen(enc))
	lim := &lineLimitReader{r: dr, max: in.Opts.LineLimit(), name: in.Name}
	br := bufio.NewReaderSize(lim, 64<<10)
	head, _ := br.Peek(4096)
	delim := sniffDelimiter(head)
	tr2 := &trackReader{r: br}
	cr := csv.NewReader(tr2)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Meta{}, Errorf(in.Name, 0, "empty file")
		}
		return Meta{}, csvErr(in.Name, err)
	}
	header = append([]string(nil), header...)
	cols, err := columnMap(in.Name, header, in.Opts.Map)
	if err != nil {
		return Meta{}, err
	}
	loc := in.Opts.Location()
	get := func(rec []string, role string) string {
		i, ok := cols[role]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	row := 0
	start := cr.InputOffset()
	tr2.forget(start)
	for {
		if row%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		line, _ := cr.FieldPos(0)
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrFieldCount)) {
			// A stray quote inside an unquoted field spoils one row, not the file.
			end := cr.InputOffset()
			raw := validRaw(tr2.cut(start, end))
			tr2.forget(end)
			start = end
			row++
			if err := sink.Reject(Rejection{Line: pe.StartLine, Row: row, Raw: raw, Reason: pe.Err.Error()}); err != nil {
				return Meta{}, err
			}
			continue
		}
		if err != nil {
			return Meta{}, csvErr(in.Name, err)
		}
		line, _ = cr.FieldPos(0)
		end := cr.InputOffset()
		raw := strings.TrimRight(string(tr2.cut(start, end)), "\r\n")
		tr2.forget(end)
		row++
		off := start + bom
		start = end
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			row--
			continue // blank line
		}
		e := &model.Event{Row: row, Line: line, Offset: off, Raw: raw, RecordCount: -1}
		e.TimeText = get(rec, "time")
		t, terr := ParseTime(e.TimeText, loc)
		if terr != nil {
			if err := sink.Reject(Rejection{Line: line, Row: row, Raw: raw, Reason: fmt.Sprintf("time %q: %v", e.TimeText, terr)}); err != nil {
				return Meta{}, err
			}
			continue
		}
		e.Time = t
		e.ActorName = get(rec, "actor")
		e.ActorID = get(rec, "actor_id")
		e.Office = get(rec, "office")
		e.Country = strings.ToUpper(get(rec, "country"))
		e.IP = get(rec, "ip")
		e.Action = get(rec, "action")
		e.System = get(rec, "system")
		e.Resource = get(rec, "resource")
		e.DataCategory = get(rec, "category")
		e.SubjectRegion = strings.ToUpper(get(rec, "region"))
		if s := get(rec, "records"); s != "" {
			v, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
			if err != nil {
				sink.Warn(line, fmt.Sprintf("row %d: record count %q is not a number", row, s))
			} else {
				e.RecordCount = v
			}
		}
		e.ApprovalID = get(rec, "approval")
		e.Approver = get(rec, "approver")
		e.ApproverCountry = strings.ToUpper(get(rec, "approver_country"))
		e.Purpose = get(rec, "purpose")
		if !utf8.ValidString(e.Raw) {
			e.Raw = strings.ToValidUTF8(e.Raw, "\uFFFD")
		}
		if err := sink.Event(e); err != nil {
			return Meta{}, err
		}
	}
	if row == 0 {
		return Meta{}, Errorf(in.Name, 0, "no data rows after the header")
	}
	var missing []string
	for _, r := range []string{"actor", "country", "resource", "approval"} {
		if _, ok := cols[r]; !ok {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		sink.Warn(0, "no column placed for: "+strings.Join(missing, ", ")+" (use --map ROLE=COLUMN)")
	}
	return Meta{Encoding: enc, TimeZone: loc.String()}, nil
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Errorf(name, pe.StartLine, "%v", pe.Err)
	}
	var ie *Error
	if errors.As(err, &ie) {
		return ie
	}
	return Errorf(name, 0, "%v", err)
}

// lineLimitReader fails once more than max bytes pass without a line end, so
// a single enormous row cannot exhaust memory.
type lineLimitReader struct {
	r    io.Reader
	max  int
	run  int
	line int
	name string
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.run = 0
			l.line++
			continue
		}
		l.run++
		if l.run > l.max {
			return 0, Errorf(l.name, l.line+1, "line longer than the %d-byte limit", l.max)
		}
	}
	return n, err
}
