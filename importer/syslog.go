package importer

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"casebook/model"
)

// Syslog: RFC 3164 lines ("Mar  1 10:00:00 host prog[pid]: message",
// optionally with a <PRI>), the ISO-stamped variant rsyslog writes, and RFC
// 5424 ("<34>1 2024-03-01T10:00:00Z host app procid msgid [sd] message").
// RFC 3164 stamps have no year: it comes from Options.Year, else the current
// year, and the importer says which it assumed; a stamp earlier in the year
// than the one before it (December → January) moves to the next year.
// Authentication lines of sshd, sudo and PAM fill the actor, IP and action.

func init() {
	Register(Format{
		Name:    "syslog",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "Syslog (RFC 3164 / RFC 5424), with sshd, sudo and PAM logins",
		Detect:  detectSyslog,
		Parse:   parseSyslog,
	})
}

var (
	// The day is padded to two characters by the standard ("Mar  1") but
	// many senders write one space and one digit ("Nov 2"): both read.
	rfc3164 = regexp.MustCompile(`^(?:<\d{1,3}>)?([A-Z][a-z]{2} (?: ?\d|\d{2}) \d{2}:\d{2}:\d{2}(?:\.\d+)?) (\S+) ([^:\[\s]+)(?:\[(\d+)\])?: ?(.*)$`)
	isoSys  = regexp.MustCompile(`^(?:<\d{1,3}>)?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+\-]\d{2}:\d{2})) (\S+) ([^:\[\s]+)(?:\[(\d+)\])?: ?(.*)$`)
	rfc5424 = regexp.MustCompile(`^<\d{1,3}>\d{1,2} (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(.*)$`)

	// The sshd, sudo and PAM recognisers take any run of blanks between
	// words: real senders write two spaces after the colon or between words.
	sshAccepted = regexp.MustCompile(`^(Accepted|Failed)\s+(\S+)\s+for\s+(?:invalid\s+user\s+)?(\S+)\s+from\s+(\S+)`)
	sshInvalid  = regexp.MustCompile(`^Invalid\s+user\s+(?:(\S+)\s+)?from\s+(\S+)`)
	sshClosed   = regexp.MustCompile(`^(?:Disconnected\s+from|Connection\s+(?:closed|reset)\s+by)\s+(?:(?:invalid\s+|authenticating\s+)?user\s+(\S+)\s+)?(\S+)\s+port`)
	sudoLine    = regexp.MustCompile(`^\s*(\S+)\s+:\s.*?USER=(\S+)\s+;\s+COMMAND=(.*)$`)
	pamAuthFail = regexp.MustCompile(`authentication\s+failure;.*?\brhost=(\S*)(?:\s+user=(\S+))?`)
	pamSession  = regexp.MustCompile(`session\s+(opened|closed)\s+for\s+user\s+(\S+?)(?:\(uid=\d+\))?(?:\s|$)`)
)

func detectSyslog(name string, head []byte) int {
	lines := logHeadLines(head, 20)
	if len(lines) == 0 {
		return 0
	}
	// A blank-indented line after a syslog line continues it (macOS syslogd
	// writes multi-line messages so): it counts neither for nor against.
	hits, counted, prevOK := 0, 0, false
	for _, l := range lines {
		if prevOK && syslogContinuation(l) {
			continue
		}
		counted++
		prevOK = rfc3164.MatchString(l) || isoSys.MatchString(l) || rfc5424.MatchString(l)
		if prevOK {
			hits++
		}
	}
	if hits == 0 || hits*10 < counted*6 {
		return 0
	}
	score := 78 + 10*hits/counted
	if nameHas(name, ".log", "syslog", "auth.log", "secure", "messages") {
		score += 2
	}
	return min(score, 92)
}

// syslogContinuation reports whether a line continues the message of the
// line before: it starts with a tab or space and holds more than blanks.
func syslogContinuation(l string) bool {
	return (strings.HasPrefix(l, "\t") || strings.HasPrefix(l, " ")) && strings.TrimSpace(l) != ""
}

// lineEndBetween returns the line end of lr's file that fills the gap
// bytes between the end of one line and the start of the next line.
func lineEndBetween(lr *LineReader, gap int64) (string, bool) {
	unit := int64(1)
	if lr.wide {
		unit = 2
	}
	switch {
	case gap == 2*unit:
		return "\r\n", true
	case gap == unit && lr.crOnly:
		return "\r", true
	case gap == unit:
		return "\n", true
	}
	return "", false
}

func parseSyslog(ctx context.Context, in Input, sink Sink) (Meta, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return Meta{}, err
	}
	lr, err := NewLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	loc := in.Opts.Location()
	year := in.Opts.Year
	assumed := false
	if year == 0 {
		year = time.Now().In(loc).Year()
	}
	var lastMonth time.Month
	events, row := 0, 0
	// An event waits in pending until the next line shows whether it
	// continues the message (a blank-indented line, joined to Raw with the
	// file's own line end so Raw still reads as the original from Offset).
	var pending *model.Event
	var pendingEnd int64 // offset just past the pending event's last line
	pendingNo := 0       // and that line's number
	flush := func() error {
		if pending == nil {
			return nil
		}
		e := pending
		pending = nil
		return sink.Event(e)
	}
	_, err = eachRecordLine(ctx, lr, func(l Line, _ int, invalid bool) error {
		if pending != nil && !invalid && l.No == pendingNo+1 && syslogContinuation(l.Text) {
			if sep, ok := lineEndBetween(lr, l.Offset-pendingEnd); ok {
				pending.Raw = validRaw([]byte(pending.Raw + sep + l.Text))
				pendingEnd, pendingNo = l.Offset+int64(l.Len), l.No
				return nil
			}
		}
		if err := flush(); err != nil {
			return err
		}
		row++
		raw := validRaw([]byte(l.Text))
		e := &model.Event{Row: row, Line: l.No, Offset: l.Offset, Raw: raw, RecordCount: -1}
		var reason, prog, msg string
		switch m := (matchSyslog{}); {
		case invalid:
			reason = "invalid UTF-8"
		case m.rfc3164(l.Text):
			e.TimeText, e.System, prog, msg = m.t, m.host, m.prog, m.msg
			if in.Opts.Year == 0 && !assumed {
				assumed = true
				sink.Warn(l.No, fmt.Sprintf("syslog times carry no year; assumed %d (give the year with --year)", year))
			}
			t, ok := parseSyslogStamp(strings.Join(strings.Fields(m.t), " "), year, loc)
			if ok && lastMonth == time.December && t.In(loc).Month() == time.January {
				year++
				t, ok = parseSyslogStamp(strings.Join(strings.Fields(m.t), " "), year, loc)
			}
			if !ok {
				reason = "time " + quote(m.t) + " does not read"
				break
			}
			lastMonth = t.In(loc).Month()
			e.Time = t
		case m.iso(l.Text):
			e.TimeText, e.System, prog, msg = m.t, m.host, m.prog, m.msg
			t, terr := ParseTime(m.t, loc)
			if terr != nil {
				reason = "time " + quote(m.t) + ": " + terr.Error()
				break
			}
			e.Time = t
		default:
			reason = "not a syslog line (RFC 3164 or RFC 5424)"
		}
		if reason == "" {
			e.Action = prog
			syslogAuth(e, prog, msg)
			events++
			pending, pendingEnd, pendingNo = e, l.Offset+int64(l.Len), l.No
			return nil
		}
		return sink.Reject(Rejection{Line: l.No, Row: row, Raw: raw, Reason: reason})
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return Meta{}, err
	}
	if row > 0 && events == 0 {
		return Meta{}, Errorf(in.Name, 1, "not a syslog file: no line reads as RFC 3164 or RFC 5424")
	}
	return Meta{Encoding: lr.Encoding(), TimeZone: loc.String()}, nil
}

// matchSyslog holds the parts of a syslog line.
type matchSyslog struct{ t, host, prog, msg string }

func (m *matchSyslog) rfc3164(s string) bool {
	p := rfc3164.FindStringSubmatch(s)
	if p == nil {
		return false
	}
	*m = matchSyslog{p[1], p[2], p[3], p[5]}
	return true
}

func (m *matchSyslog) iso(s string) bool {
	if p := isoSys.FindStringSubmatch(s); p != nil {
		*m = matchSyslog{p[1], p[2], p[3], p[5]}
		return true
	}
	if p := rfc5424.FindStringSubmatch(s); p != nil {
		nilv := func(v string) string {
			if v == "-" {
				return ""
			}
			return v
		}
		*m = matchSyslog{p[1], nilv(p[2]), nilv(p[3]), strings.TrimPrefix(p[7], "\uFEFF")}
		return true
	}
	return false
}

// syslogAuth reads the login lines of sshd, sudo and PAM.
func syslogAuth(e *model.Event, prog, msg string) {
	msg = strings.TrimSpace(msg)
	if m := sshAccepted.FindStringSubmatch(msg); m != nil {
		e.Action = prog + " " + strings.ToLower(m[1]) + " " + m[2] // sshd accepted publickey
		e.ActorName, e.IP = m[3], cleanIP(m[4])
		return
	}
	if m := sshInvalid.FindStringSubmatch(msg); m != nil {
		e.Action = prog + " invalid user"
		e.ActorName, e.IP = m[1], cleanIP(m[2])
		return
	}
	if m := sshClosed.FindStringSubmatch(msg); m != nil {
		e.Action = prog + " disconnected"
		e.ActorName, e.IP = m[1], cleanIP(m[2])
		return
	}
	if prog == "sudo" {
		if m := sudoLine.FindStringSubmatch(msg); m != nil {
			e.Action = "sudo"
			e.ActorName, e.Resource = m[1], m[3]
			e.Purpose = "as " + m[2]
			return
		}
	}
	if m := pamAuthFail.FindStringSubmatch(msg); m != nil {
		// pam_unix(sshd:auth): authentication failure; … rhost=ADDR user=NAME
		e.Action = prog + " authentication failure"
		e.ActorName, e.IP = m[2], cleanIP(m[1])
		return
	}
	if m := pamSession.FindStringSubmatch(msg); m != nil {
		e.Action = prog + " session " + m[1]
		e.ActorName = m[2]
	}
}
