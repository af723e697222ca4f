package importer

import (
	"context"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"casebook/model"
)

// Linux audit logs (/var/log/audit/audit.log, ausearch --raw): one record
// per line, "type=T msg=audit(EPOCH.mmm:SERIAL): key=value …", optionally
// led by "node=HOST" and, since audit 2.8, followed by a GS byte (0x1d) and
// the enriched values (UID="alice" AUID="alice"). User-space records wrap
// their values in msg='…', which is read as key=value too. Values that
// auditd hex-encodes (exe, comm, name, cmd, acct, proctitle …) are decoded.
//
// Each line is one event, even when several records share a serial (a
// SYSCALL with its EXECVE, CWD and PATH records): the counts stay exact and
// the serial (in TimeText, "EPOCH.mmm:SERIAL") ties them together.
//
// Time comes from the audit(...) stamp; the actor is the login uid (auid)
// unless it is unset (4294967295 or -1), then the account (acct), then the
// uid, by name when the record was enriched; the resource is the unit, exe,
// comm, cmd or name; the IP is addr, hostname, src or laddr when it is an
// address; the action is the record type with op= and res= ("USER_LOGIN
// login failed"), or the syscall and its outcome.

func init() {
	Register(Format{
		Name:    "auditd",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "Linux audit log (auditd: type=… msg=audit(…): key=value)",
		Detect:  detectAuditd,
		Parse:   parseAuditd,
	})
}

// auditLine matches the head of an audit record: node, type, stamp, rest.
var auditLine = regexp.MustCompile(`^(?:node=(\S+) )?type=([A-Za-z0-9_\[\]]+) msg=audit\((\d{1,12})(?:\.(\d{1,9}))?:(\d+)\):? ?(.*)$`)

// auditTypeOnly is a record line without a stamp (type=UNKNOWN[1329] msg=?).
var auditTypeOnly = regexp.MustCompile(`^(?:node=\S+ )?type=\S+`)

func detectAuditd(name string, head []byte) int {
	lines := logHeadLines(head, 20)
	if len(lines) == 0 {
		return 0
	}
	hits := 0
	for _, l := range lines {
		if auditLine.MatchString(l) {
			hits++
		}
	}
	if hits == 0 || hits*10 < len(lines)*6 {
		return 0
	}
	return min(90+6*hits/len(lines), 96)
}

// auditUnset are the values of an id that was never set.
var auditUnset = map[string]bool{"4294967295": true, "-1": true, "unset": true, "": true, "?": true}

// auditHexKeys are the fields auditd writes in hex when they hold a space,
// a quote or a control character.
var auditHexKeys = map[string]bool{
	"exe": true, "comm": true, "name": true, "cmd": true, "acct": true, "proctitle": true, "cwd": true,
	"path": true, "key": true, "vm": true, "old-chardev": true, "new-chardev": true, "data": true,
}

func parseAuditd(ctx context.Context, in Input, sink Sink) (Meta, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return Meta{}, err
	}
	lr, err := NewLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	events := 0
	rows, err := eachRecordLine(ctx, lr, func(l Line, row int, invalid bool) error {
		raw := validRaw([]byte(l.Text))
		if invalid {
			return sink.Reject(Rejection{Line: l.No, Row: row, Raw: raw, Reason: "invalid UTF-8"})
		}
		e, reason := auditEvent(strings.TrimRight(l.Text, "\r"))
		if reason != "" {
			return sink.Reject(Rejection{Line: l.No, Row: row, Raw: raw, Reason: reason})
		}
		e.Row, e.Line, e.Offset, e.Raw = row, l.No, l.Offset, raw
		events++
		return sink.Event(e)
	})
	if err != nil {
		return Meta{}, err
	}
	if rows > 0 && events == 0 {
		return Meta{}, Errorf(in.Name, 1, "not an audit log: no line reads as type=… msg=audit(EPOCH:SERIAL): …")
	}
	return Meta{Encoding: lr.Encoding(), TimeZone: "UTC"}, nil
}

// auditEvent reads one audit record; reason says why it is not one.
func auditEvent(s string) (*model.Event, string) {
	m := auditLine.FindStringSubmatch(s)
	if m == nil {
		if auditTypeOnly.MatchString(s) {
			return nil, "audit record without a msg=audit(EPOCH:SERIAL) stamp: no time"
		}
		return nil, "not an audit record (type=… msg=audit(EPOCH:SERIAL): …)"
	}
	node, typ, secs, frac, serial, rest := m[1], m[2], m[3], m[4], m[5], m[6]
	sec, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return nil, "time " + quote(secs) + " is not a number"
	}
	ns := 0
	if frac != "" {
		ns, _ = strconv.Atoi(frac + strings.Repeat("0", 9-len(frac)))
	}
	t := time.Unix(sec, int64(ns)).UTC()
	if t.Year() < minYear || t.Year() > maxYear {
		return nil, "time " + quote(secs) + " is out of range"
	}
	stamp := secs
	if frac != "" {
		stamp += "." + frac
	}
	e := &model.Event{Time: t, TimeText: stamp + ":" + serial, RecordCount: -1}
	body, enriched, _ := strings.Cut(rest, "\x1d")
	kv, words := auditKV(body)
	names, _ := auditKV(enriched)

	e.System = "auditd"
	if node != "" {
		e.System = node
	}
	// The actor: login uid, then account, then uid.
	for _, k := range []string{"auid", "acct", "uid"} {
		v := kv[k]
		if auditUnset[v] || (k == "acct" && v == "(unknown)") {
			continue
		}
		e.ActorName = v
		if k != "acct" {
			e.ActorID = v
			if n := names[strings.ToUpper(k)]; n != "" && !auditUnset[n] {
				e.ActorName = n
			}
		}
		break
	}
	switch {
	case kv["unit"] != "":
		e.Resource = kv["unit"]
	case typ == "EXECVE":
		e.Resource = auditArgs(kv)
	case typ == "PROCTITLE" && kv["proctitle"] != "":
		e.Resource = kv["proctitle"]
	default:
		for _, k := range []string{"exe", "comm", "cmd", "name", "path"} {
			if v := kv[k]; v != "" && v != "?" && v != "(null)" {
				e.Resource = v
				break
			}
		}
	}
	for _, k := range []string{"addr", "hostname", "src", "laddr", "saddr"} {
		if ip := ipOnly(kv[k]); ip != "" {
			e.IP = ip
			break
		}
	}
	// The action: the type, then what the record says was done.
	act := []string{typ}
	switch {
	case typ == "SYSCALL" && kv["syscall"] != "":
		act = append(act, kv["syscall"])
		if kv["success"] == "no" {
			act = append(act, "failed")
		}
	case typ == "AVC":
		act = append(act, auditAVC(words, kv)...)
	}
	if op := kv["op"]; op != "" && op != "?" {
		act = append(act, op)
	}
	switch kv["res"] {
	case "success", "1", "yes":
		act = append(act, "success")
	case "failed", "0", "no", "fail":
		act = append(act, "failed")
	}
	e.Action = strings.Join(act, " ")
	if k := kv["key"]; k != "" && k != "(null)" {
		e.Purpose = "key " + k
	}
	return e, ""
}

// auditArgs joins the arguments of an EXECVE record (argc, a0, a1 …),
// decoding those auditd wrote in hex.
func auditArgs(kv map[string]string) string {
	n, err := strconv.Atoi(kv["argc"])
	if err != nil || n <= 0 {
		return ""
	}
	var args []string
	for i := 0; i < min(n, 256); i++ {
		a, ok := kv["a"+strconv.Itoa(i)]
		if !ok {
			break
		}
		args = append(args, auditUnhex(a))
	}
	return cutText(strings.Join(args, " "), 1000)
}

// auditAVC names an AVC denial: "denied read" (SELinux) or "DENIED ptrace"
// (AppArmor).
func auditAVC(words []string, kv map[string]string) []string {
	if a := kv["apparmor"]; a != "" {
		return []string{a, kv["operation"]}
	}
	var out []string
	for i, w := range words {
		if w == "denied" || w == "granted" {
			out = append(out, w)
			for _, p := range words[i+1:] {
				if p == "{" {
					continue
				}
				if p == "}" || p == "for" {
					break
				}
				out = append(out, p)
			}
			break
		}
	}
	return out
}

// auditKV reads key=value pairs: values unquoted, "double-quoted", or
// 'single-quoted' (msg='…', whose own pairs are read as well, after the
// outer ones, without replacing them). Hex-encoded values of auditHexKeys
// are decoded. words are the bare tokens ("avc:", "denied", "{", "read").
func auditKV(s string) (map[string]string, []string) {
	kv := map[string]string{}
	var words []string
	var inner []string
	for i := 0; i < len(s); {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		j := i
		for j < len(s) && s[j] != '=' && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		if j >= len(s) || s[j] != '=' {
			words = append(words, s[i:j])
			i = j
			continue
		}
		key := s[i:j]
		j++
		var val string
		quoted := false
		switch {
		case j < len(s) && (s[j] == '"' || s[j] == '\''):
			q := s[j]
			end := strings.IndexByte(s[j+1:], q)
			if end < 0 {
				val, i = s[j+1:], len(s)
			} else {
				val, i = s[j+1:j+1+end], j+2+end
			}
			quoted = true
			if q == '\'' {
				inner = append(inner, val)
				continue
			}
		default:
			k := j
			for k < len(s) && s[k] != ' ' && s[k] != '\t' {
				k++
			}
			val, i = s[j:k], k
		}
		if !quoted && auditHexKeys[key] {
			val = auditUnhex(val)
		}
		if _, dup := kv[key]; !dup {
			kv[key] = val
		}
	}
	for _, in := range inner {
		m, w := auditKV(in)
		for k, v := range m {
			if _, dup := kv[k]; !dup {
				kv[k] = v
			}
		}
		words = append(words, w...)
	}
	return kv, words
}

// auditUnhex decodes v when it is auditd's hex encoding of printable text
// (even length, upper-case hex digits); otherwise v is returned unchanged.
func auditUnhex(v string) string {
	if len(v) < 2 || len(v)%2 != 0 {
		return v
	}
	for _, c := range v {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return v
		}
	}
	b, err := hex.DecodeString(v)
	if err != nil || !utf8.Valid(b) {
		return v
	}
	// proctitle and cmd separate arguments with NUL bytes.
	for i, c := range b {
		if c == 0 {
			b[i] = ' '
		}
	}
	s := strings.TrimSpace(string(b))
	for _, r := range s {
		if !unicode.IsPrint(r) && r != '\t' {
			return v
		}
	}
	if s == "" {
		return v
	}
	return s
}
