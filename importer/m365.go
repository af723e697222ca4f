package importer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"unicode/utf8"

	"casebook/model"
)

// Microsoft 365 audit records: the Purview (Unified Audit Log) search
// export and what Search-UnifiedAuditLog writes, as CSV or JSON.
//
//   - CSV: the Purview portal's "RecordId, CreationDate, RecordType,
//     Operation, UserId, AuditData, AssociatedAdminUnits, …", the older
//     portal's "CreationDate, UserIds, Operations, AuditData" and
//     Export-Csv's "RecordType","CreationDate","UserIds","Operations",
//     "AuditData","ResultIndex",…. AuditData is a JSON object in a cell.
//   - JSON (an array, JSON Lines or pretty-printed objects): the same
//     records with AuditData as a string or an object (ConvertTo-Json of
//     the cmdlet's output), or the audit records themselves as the
//     Management Activity API and extraction tools write them
//     (CreationTime, Id, Operation, Workload, UserId, ClientIP, …).
//
// Every AuditData key is a field named "AuditData.Key" (nested keys
// dotted, array elements by index) that --map can place; the record's
// whole text (up to m365RawLimit) is the event's Raw, which the index
// searches, so a value anywhere in AuditData is found. The fields:
//
//	time     AuditData.CreationTime (UTC, unambiguous), else CreationTime,
//	         else CreationDate (which Search-UnifiedAuditLog writes in the
//	         session's zone and culture: "9/20/2023 4:05:03 AM")
//	actor    UserId / UserIds, else AuditData.UserId; actor_id AuditData.UserKey
//	action   Operation / Operations, else AuditData.Operation
//	ip       ClientIP, ClientIPAddress, ActorIpAddress (ports, brackets and
//	         IPv4-in-IPv6 prefixes removed)
//	resource ObjectId, else SourceFileName, else SiteUrl
//	system   Workload
//	category RecordType
//
// The activity log that Microsoft Defender for Cloud Apps exports (the
// SharePoint and OneDrive file-access report: "Event ID, Category,
// Description, User, User Principle Name, App, Device, Location, Date, IP
// address, User agent, Organizations") is read by the same parser with its
// own columns: time Date, actor User Principle Name (else User), action
// Description, category Category, system App, country Location, ip IP
// address, resource the address named in the Description.

func init() {
	Register(Format{
		Name:    "m365-audit",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "Microsoft 365 audit log (Purview / Unified Audit Log export, CSV or JSON)",
		Detect:  detectM365,
		Parse:   parseM365,
	})
}

// m365RawLimit is how much of a record is kept as its Raw text: enough for
// the AuditData of nearly every record whole, so its fields are searchable.
const m365RawLimit = maxField

// m365Keys are the keys each role is read from, first found wins. Keys
// are matched without regard to case, at the top level or under AuditData.
var m365Keys = map[string][]string{
	"time":     {"auditdata.creationtime", "creationtime", "creationdate"},
	"actor":    {"userid", "userids", "auditdata.userid"},
	"actor_id": {"auditdata.userkey", "userkey"},
	"action":   {"operation", "operations", "auditdata.operation"},
	"ip": {"auditdata.clientip", "auditdata.clientipaddress", "auditdata.actoripaddress",
		"clientip", "clientipaddress", "actoripaddress"},
	"resource": {"auditdata.objectid", "objectid", "auditdata.sourcefilename", "sourcefilename",
		"auditdata.siteurl", "siteurl"},
	"system":   {"auditdata.workload", "workload"},
	"category": {"recordtype", "auditdata.recordtype"},
}

// mdcaKeys are the columns of the Defender for Cloud Apps activity log.
var mdcaKeys = map[string][]string{
	"time":     {"date"},
	"actor":    {"user principle name", "user principal name", "user"},
	"action":   {"description"},
	"category": {"category"},
	"system":   {"app"},
	"country":  {"location"},
	"ip":       {"ip address"},
	"resource": {"description.url"},
}

// mdcaHeader reports whether a CSV header is the Defender for Cloud Apps
// activity log's.
func mdcaHeader(cols []string) bool {
	has := map[string]bool{}
	for _, c := range cols {
		has[roleKey(c)] = true
	}
	return has["eventid"] && has["description"] && has["date"] && has["ipaddress"] && has["app"] &&
		(has["userprinciplename"] || has["userprincipalname"])
}

// m365CSVHeader reports whether a CSV header is an audit log export's:
// AuditData beside CreationDate, Operation(s) and UserId(s).
func m365CSVHeader(cols []string) bool {
	has := map[string]bool{}
	for _, c := range cols {
		has[roleKey(c)] = true
	}
	return has["auditdata"] && (has["creationdate"] || has["creationtime"]) &&
		(has["operation"] || has["operations"]) && (has["userid"] || has["userids"])
}

// m365Record reports whether a flattened JSON object is an audit record:
// one with AuditData and a CreationDate, or the audit record itself
// (CreationTime, Operation, Workload and RecordType or OrganizationId).
func m365Record(flat map[string]string) bool {
	has := func(k string) bool {
		if _, ok := flat[k]; ok {
			return true
		}
		for f := range flat {
			if strings.HasPrefix(f, k+".") {
				return true
			}
		}
		return false
	}
	if has("AuditData") && (has("CreationDate") || has("CreationTime")) {
		return true
	}
	return has("CreationTime") && has("Operation") && has("Workload") && (has("RecordType") || has("OrganizationId"))
}

func detectM365(name string, head []byte) int {
	if IsGzip(head) {
		head, _, _ = DecompressedHead("", head)
	}
	switch firstNonSpace(head) {
	case '{', '[':
		recs := headRecords(head, 20)
		if len(recs) == 0 {
			return 0
		}
		n := 0
		for _, r := range recs {
			if m365Record(r) {
				n++
			}
		}
		if n*10 < len(recs)*9 {
			return 0
		}
		return 93
	}
	cols, _ := headerFields(head)
	switch {
	case m365CSVHeader(cols):
		return 96
	case mdcaHeader(cols):
		return 95
	}
	return 0
}

// m365Fields is one record's fields by lower-cased key, AuditData expanded
// under "auditdata.".
type m365Fields map[string]string

// get returns the first non-empty value of keys.
func (f m365Fields) get(keys []string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(f[k]); v != "" {
			return v
		}
	}
	return ""
}

// m365Expand lower-cases the keys of flat and expands an AuditData held as
// a JSON string. It returns a note when AuditData is there but is not JSON.
func m365Expand(flat map[string]string) (m365Fields, string) {
	out := make(m365Fields, len(flat)+8)
	var audit string
	for k, v := range flat {
		lk := strings.ToLower(k)
		if lk == "auditdata" {
			audit = v
			continue
		}
		out[lk] = v
	}
	if t := strings.TrimSpace(audit); t != "" {
		m, bad := decodeObject([]byte(t))
		if bad != "" {
			out["auditdata"] = audit
			return out, "AuditData is not a JSON object (" + cutText(bad, 80) + ")"
		}
		for k, v := range m {
			out["auditdata."+strings.ToLower(k)] = v
		}
	}
	return out, ""
}

// m365IP is the address in v without a port, brackets or an IPv4-in-IPv6
// prefix; v itself when it is no address.
func m365IP(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if a, err := netip.ParseAddr(v); err == nil {
		return a.Unmap().String()
	}
	if ap, err := netip.ParseAddrPort(v); err == nil {
		return ap.Addr().Unmap().String()
	}
	if t := strings.Trim(v, "[]"); t != v {
		if a, err := netip.ParseAddr(t); err == nil {
			return a.Unmap().String()
		}
	}
	// "203.0.113.9:51234" with an IPv4 and port is handled above; a bare
	// IPv6 followed by a port without brackets cannot be told apart.
	return v
}

// m365Rec is one record read, good or bad, before it becomes an event.
type m365Rec struct {
	fields m365Fields
	note   string // AuditData could not be read (the record still imports)
	raw    []byte
	line   int
	row    int
	off    int64
	bad    string
}

func parseM365(ctx context.Context, in Input, sink Sink) (Meta, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return Meta{}, err
	}
	br := bufio.NewReaderSize(in.R, HeadSize)
	head, _ := br.Peek(HeadSize)
	in.R = br
	var p m365Parser
	p.ctx, p.in, p.sink = ctx, in, sink
	if err := p.mapping(in.Opts.Map); err != nil {
		return Meta{}, err
	}
	p.read = p.csv
	if c := firstNonSpace(head); c == '{' || c == '[' {
		p.read = p.json
	}
	enc, err := p.read(ctx, in, p.add)
	if err != nil {
		return Meta{}, err
	}
	if err := p.flush(); err != nil {
		return Meta{}, err
	}
	if p.notes > 0 {
		sink.Warn(p.noteLine, fmt.Sprintf("%d records have an AuditData that is not JSON (first: %s); their fields come from the other columns", p.notes, p.firstNote))
	}
	p.filler.finish(sink)
	return Meta{Encoding: enc, TimeZone: in.Opts.Location().String()}, nil
}

// m365Parser holds the first records until the time column's reading is
// decided, then turns records into events as they come.
type m365Parser struct {
	ctx       context.Context
	read      func(ctx context.Context, in Input, fn func(m365Rec) error) (string, error) // p.csv or p.json
	mdca      bool                                                                        // the Defender for Cloud Apps activity log
	in        Input
	sink      Sink
	keys      map[string][]string // role -> keys, --map first
	mapped    map[string]string   // the investigator's role=key choices
	buf       []m365Rec
	size      int
	filler    *roleFiller
	notes     int
	firstNote string
	noteLine  int
}

// mapping puts the investigator's role=key choices before the defaults.
func (p *m365Parser) mapping(m map[string]string) error {
	p.mapped = m
	p.setDefaults(m365Keys)
	for role, key := range m {
		if !validRole(role) {
			return Errorf(p.in.Name, 0, "unknown role %q in mapping (roles: %s)", role, strings.Join(Roles, ", "))
		}
		k := strings.ToLower(strings.TrimSpace(key))
		p.keys[role] = []string{k, "auditdata." + k}
	}
	return nil
}

// setDefaults makes defaults the keys of the roles the investigator did
// not map.
func (p *m365Parser) setDefaults(defaults map[string][]string) {
	keys := map[string][]string{}
	for r, ks := range defaults {
		keys[r] = ks
	}
	for r := range p.mapped {
		keys[r] = p.keys[r]
	}
	p.keys = keys
}

// urlIn returns the first http(s) address written in s, "" when none.
func urlIn(s string) string {
	i := strings.Index(s, "https://")
	if i < 0 {
		i = strings.Index(s, "http://")
	}
	if i < 0 {
		return ""
	}
	u := s[i:]
	if j := strings.IndexAny(u, " \t\"'<>"); j >= 0 {
		u = u[:j]
	}
	return u
}

func (p *m365Parser) add(r m365Rec) error {
	if p.filler != nil {
		return p.handle(r)
	}
	p.buf = append(p.buf, r)
	p.size += len(r.raw)
	if len(p.buf) >= sampleRows || p.size >= sampleBytes {
		return p.flush()
	}
	return nil
}

// flush decides how the time field is read from the held records and
// turns them into events.
func (p *m365Parser) flush() error {
	if p.filler == nil {
		var times []string
		for _, r := range p.buf {
			if r.fields != nil {
				times = append(times, r.fields.get(p.keys["time"]))
			}
		}
		g := RoleGuess{Placed: map[string]Placement{"time": {Column: 0, Header: "CreationTime", Confidence: 1, By: "name"}}}
		p.filler = newRoleFiller(g, times, p.in.Opts, p.sink)
		if p.filler.tp.NeedsAllValues() && p.in.Reopen != nil {
			// Numeric dates (a CreationDate without AuditData) that the
			// first records cannot settle: read every record's time once.
			if err := p.firstPass(); err != nil {
				return err
			}
		}
		p.filler.tp.Settled()
	}
	for i, r := range p.buf {
		if err := p.handle(r); err != nil {
			return err
		}
		p.buf[i] = m365Rec{}
	}
	p.buf = nil
	return nil
}

func (p *m365Parser) handle(r m365Rec) error {
	raw := rawTextLimit(r.raw, m365RawLimit)
	reason := r.bad
	if reason == "" {
		if r.note != "" {
			if p.notes == 0 {
				p.firstNote, p.noteLine = fmt.Sprintf("line %d: %s", r.line, r.note), r.line
			}
			p.notes++
		}
		e := &model.Event{Row: r.row, Line: r.line, Offset: r.off, Raw: raw}
		reason = p.filler.fill(e, r.line, func(role string) string { return r.fields.get(p.keys[role]) })
		if reason == "" {
			e.IP = m365IP(r.fields.get(p.keys["ip"]))
			return p.sink.Event(e)
		}
	}
	return p.sink.Reject(Rejection{Line: r.line, Row: r.row, Raw: validRaw(r.raw), Reason: reason})
}

// firstPass shows the time parser the time of every record, read again
// from the start through Input.Reopen, one record at a time.
func (p *m365Parser) firstPass() error {
	again, rc, err := p.in.reread()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = p.read(p.ctx, again, func(r m365Rec) error {
		if r.fields != nil && p.filler.tp.Observe(r.fields.get(p.keys["time"])) {
			return errSettled
		}
		return nil
	})
	if errors.Is(err, errSettled) {
		return nil
	}
	return err
}

// json reads the JSON forms, handing each record to fn.
func (p *m365Parser) json(ctx context.Context, in Input, fn func(m365Rec) error) (string, error) {
	return streamJSON(ctx, in, func(r *jsonRecord) error {
		rec := m365Rec{raw: r.raw, line: r.line, row: r.n, off: r.off, bad: r.bad}
		if r.flat != nil {
			rec.fields, rec.note = m365Expand(r.flat)
		}
		return fn(rec)
	})
}

// csv reads the CSV export: each row's columns by header, its AuditData
// cell expanded, handed to fn.
func (p *m365Parser) csv(ctx context.Context, in Input, fn func(m365Rec) error) (string, error) {
	header, rows, enc, err := openCSV(in)
	if err != nil {
		return "", err
	}
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
	}
	if !p.mdca && !m365CSVHeader(header) && mdcaHeader(header) {
		p.mdca = true
		p.setDefaults(mdcaKeys)
	}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return "", err
			}
		}
		r, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		rec := m365Rec{raw: r.raw, line: r.line, row: r.row, off: r.off, bad: r.reason}
		if rec.bad == "" {
			if len(r.fields) != len(header) {
				rec.bad = fmt.Sprintf("row has %d columns, the header has %d", len(r.fields), len(header))
			} else {
				flat := make(map[string]string, len(header))
				for i, v := range r.fields {
					flat[keys[i]] = v
				}
				rec.fields, rec.note = m365Expand(flat)
				if p.mdca {
					rec.fields["description.url"] = urlIn(rec.fields["description"])
				}
			}
		}
		if err := fn(rec); err != nil {
			return "", err
		}
	}
	if rows.row == 0 {
		return "", Errorf(in.Name, 0, "no data rows after the header")
	}
	return enc, nil
}

// rawTextLimit is b as valid UTF-8 without its line end, cut to n bytes on
// a rune boundary.
func rawTextLimit(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
		for len(b) > 0 && !utf8.RuneStart(b[len(b)-1]) {
			b = b[:len(b)-1]
		}
	}
	return strings.ToValidUTF8(strings.TrimRight(string(b), "\r\n"), "\uFFFD")
}
