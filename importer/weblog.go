package importer

import (
	"context"
	"regexp"
	"strings"

	"casebook/model"
)

// Apache and Nginx access logs in the combined and common formats, with an
// optional leading virtual host (vhost_combined: "www.example.com:443 "),
// and the referer and user agent optional. Each line is an event: the
// remote user (when not "-") is the actor, the client address the IP, the
// request method the action and the path the resource; status, size,
// referer and user agent stay in Raw.

func init() {
	Register(Format{
		Name:    "weblog",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "Apache/Nginx access log (combined or common format)",
		Detect:  detectWebLog,
		Parse:   parseWebLog,
	})
}

// webLine matches a combined or common log line.
var webLine = regexp.MustCompile(`^(?:(\S+)\s+)?(\S+)\s+(\S+)\s+(\S+)\s+\[([^\]]+)\]\s+"((?:[^"\\]|\\.)*)"\s+(\d{3}|-)\s+(\d+|-)` +
	`(?:\s+"((?:[^"\\]|\\.)*)"(?:\s+"((?:[^"\\]|\\.)*)")?)?(?:\s.*)?$`)

// webLoose reads the lines webLine refuses but that are web log lines all
// the same: a field missing before the time ("IP - [time] ...") and a
// request holding unescaped quotes (injection attempts written as sent).
// The part before the time is one to four fields; the request starts with
// '"METHOD ' and ends at the first ' HTTP/x.y"' followed by the status and
// size, or, without a protocol, at the first '"' followed by them.
var (
	webLooseHead = regexp.MustCompile(`^((?:\S+\s+){0,3}\S+)\s+\[(\d{1,2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\s+[+\-]\d{4})?)\]\s+"(.*)$`)
	webLooseReq  = regexp.MustCompile(`^([A-Z][A-Za-z_\-]{1,19}) (.*?) HTTP/\d(?:\.\d)?"\s+(\d{3}|-)\s+(\d+|-)(?:\s.*)?$`)
	webLooseReq0 = regexp.MustCompile(`^([A-Z][A-Za-z_\-]{1,19}) (.*?)"\s+(\d{3}|-)\s+(\d+|-)(?:\s.*)?$`)
)

// webMatch holds the parts of a web log line.
type webMatch struct{ vhost, ip, ident, user, time, method, path string }

// matchWebLine reads a combined or common log line, strictly and then
// tolerantly; false when it is no web log line.
func matchWebLine(s string) (webMatch, bool) {
	if m := webLine.FindStringSubmatch(s); m != nil {
		w := webMatch{vhost: m[1], ip: m[2], ident: m[3], user: m[4], time: m[5]}
		req := strings.Fields(m[6])
		switch {
		case len(req) >= 2:
			w.method, w.path = req[0], req[1]
		case len(req) == 1 && req[0] != "-":
			w.path = req[0]
		}
		return w, true
	}
	m := webLooseHead.FindStringSubmatch(s)
	if m == nil {
		return webMatch{}, false
	}
	r := webLooseReq.FindStringSubmatch(m[3])
	if r == nil {
		r = webLooseReq0.FindStringSubmatch(m[3])
	}
	if r == nil {
		return webMatch{}, false
	}
	w := webMatch{time: m[2], method: r[1], path: strings.TrimSpace(r[2])}
	f := strings.Fields(m[1])
	switch len(f) {
	case 4: // vhost ip ident user
		w.vhost, w.ip, w.ident, w.user = f[0], f[1], f[2], f[3]
	case 3:
		w.ip, w.ident, w.user = f[0], f[1], f[2]
	case 2: // one of ident and user left out: the one left is the user
		w.ip, w.user = f[0], f[1]
	default:
		w.ip = f[0]
	}
	return w, true
}

func detectWebLog(name string, head []byte) int {
	lines := logHeadLines(head, 20)
	if len(lines) == 0 {
		return 0
	}
	hits := 0
	for _, l := range lines {
		if _, ok := matchWebLine(l); ok {
			hits++
		}
	}
	if hits == 0 || hits*10 < len(lines)*6 {
		return 0
	}
	score := 80 + 10*hits/len(lines)
	if nameHas(name, ".log", "access") {
		score += 2
	}
	return min(score, 94)
}

func parseWebLog(ctx context.Context, in Input, sink Sink) (Meta, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return Meta{}, err
	}
	lr, err := NewLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	loc := in.Opts.Location()
	events := 0
	rows, err := eachRecordLine(ctx, lr, func(l Line, row int, invalid bool) error {
		raw := validRaw([]byte(l.Text))
		reason := ""
		if invalid {
			reason = "invalid UTF-8"
		} else if m, ok := matchWebLine(l.Text); !ok {
			reason = "not a combined or common log line"
		} else {
			e := &model.Event{Row: row, Line: l.No, Offset: l.Offset, Raw: raw, RecordCount: -1}
			e.System = m.vhost
			e.IP = cleanIP(m.ip)
			if u := m.user; u != "-" {
				e.ActorName = u
			}
			if id := m.ident; id != "-" {
				e.ActorID = id
			}
			e.Action, e.Resource = m.method, m.path
			e.TimeText = m.time
			t, terr := ParseTime(e.TimeText, loc)
			if terr == nil {
				e.Time = t
				events++
				return sink.Event(e)
			}
			reason = "time " + quote(e.TimeText) + ": " + terr.Error()
		}
		return sink.Reject(Rejection{Line: l.No, Row: row, Raw: raw, Reason: reason})
	})
	if err != nil {
		return Meta{}, err
	}
	if rows > 0 && events == 0 {
		return Meta{}, Errorf(in.Name, 1, "not a web access log: no line reads as the combined or common format")
	}
	return Meta{Encoding: lr.Encoding(), TimeZone: loc.String()}, nil
}
