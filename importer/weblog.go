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

func detectWebLog(name string, head []byte) int {
	lines := logHeadLines(head, 20)
	if len(lines) == 0 {
		return 0
	}
	hits := 0
	for _, l := range lines {
		if webLine.MatchString(l) {
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
		} else if m := webLine.FindStringSubmatch(l.Text); m == nil {
			reason = "not a combined or common log line"
		} else {
			e := &model.Event{Row: row, Line: l.No, Offset: l.Offset, Raw: raw, RecordCount: -1}
			e.System = m[1]
			e.IP = cleanIP(m[2])
			if u := m[4]; u != "-" {
				e.ActorName = u
			}
			if id := m[3]; id != "-" {
				e.ActorID = id
			}
			req := strings.Fields(m[6])
			switch {
			case len(req) >= 2:
				e.Action, e.Resource = req[0], req[1]
			case len(req) == 1 && req[0] != "-":
				e.Resource = req[0]
			}
			e.TimeText = m[5]
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
