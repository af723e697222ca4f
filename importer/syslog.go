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
	rfc3164 = regexp.MustCompile(`^(?:<\d{1,3}>)?([A-Z][a-z]{2} [ 0-9]\d \d{2}:\d{2}:\d{2}(?:\.\d+)?) (\S+) ([^:\[\s]+)(?:\[(\d+)\])?: ?(.*)$`)
	isoSys  = regexp.MustCompile(`^(?:<\d{1,3}>)?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+\-]\d{2}:\d{2})) (\S+) ([^:\[\s]+)(?:\[(\d+)\])?: ?(.*)$`)
	rfc5424 = regexp.MustCompile(`^<\d{1,3}>\d{1,2} (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(.*)$`)

	sshAccepted = regexp.MustCompile(`^(Accepted|Failed) (\S+) for (?:invalid user )?(\S+) from (\S+)`)
	sshInvalid  = regexp.MustCompile(`^Invalid user (\S*) from (\S+)`)
	sshClosed   = regexp.MustCompile(`^(?:Disconnected from|Connection closed by) (?:(?:invalid |authenticating )?user (\S+) )?(\S+) port`)
	sudoLine    = regexp.MustCompile(`^\s*(\S+) : .*?USER=(\S+) ; COMMAND=(.*)$`)
	pamSession  = regexp.MustCompile(`session (opened|closed) for user (\S+?)(?:\(uid=\d+\))?(?: |$)`)
)

func detectSyslog(name string, head []byte) int {
	lines := logHeadLines(head, 20)
	if len(lines) == 0 {
		return 0
	}
	hits := 0
	for _, l := range lines {
		if rfc3164.MatchString(l) || isoSys.MatchString(l) || rfc5424.MatchString(l) {
			hits++
		}
	}
	if hits == 0 || hits*10 < len(lines)*6 {
		return 0
	}
	score := 78 + 10*hits/len(lines)
	if nameHas(name, ".log", "syslog", "auth.log", "secure", "messages") {
		score += 2
	}
	return min(score, 92)
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
	events := 0
	rows, err := eachRecordLine(ctx, lr, func(l Line, row int, invalid bool) error {
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
			return sink.Event(e)
		}
		return sink.Reject(Rejection{Line: l.No, Row: row, Raw: raw, Reason: reason})
	})
	if err != nil {
		return Meta{}, err
	}
	if rows > 0 && events == 0 {
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
	if m := pamSession.FindStringSubmatch(msg); m != nil {
		e.Action = prog + " session " + m[1]
		e.ActorName = m[2]
	}
}
