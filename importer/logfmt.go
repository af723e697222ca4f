package importer

import (
	"context"
	"strings"

	"casebook/model"

	"unicode/utf8"
)

// logfmt: one event per line of `key=value key2="quoted value"` pairs (as
// written by Heroku, Go's log/slog text handler, logrus, Grafana …). Keys
// are placed into roles by DetectRoles from the first lines, or by --map.

func init() {
	Register(Format{
		Name:    "logfmt",
		Kind:    model.KindAccessLog,
		Version: 2, // 2: numeric dates that cannot tell their day/month order are refused, not read month first
		Title:   "logfmt lines (key=value pairs)",
		Detect:  detectLogfmt,
		Parse:   parseLogfmt,
	})
}

// logfmtPair is one key and its value.
type logfmtPair struct{ k, v string }

// splitLogfmt reads a logfmt line. ok is false when the line holds
// something other than pairs and bare keys (an unclosed quote, a stray
// '=').
func splitLogfmt(s string) (pairs []logfmtPair, ok bool) {
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			return pairs, len(pairs) > 0
		}
		j := i
		for j < len(s) && s[j] != '=' && s[j] != ' ' && s[j] != '\t' && s[j] != '"' {
			j++
		}
		if j == i {
			return pairs, false
		}
		key := s[i:j]
		if j >= len(s) || s[j] != '=' {
			if j < len(s) && s[j] == '"' {
				return pairs, false
			}
			pairs = append(pairs, logfmtPair{key, ""})
			i = j
			continue
		}
		j++ // '='
		if j < len(s) && s[j] == '"' {
			var b strings.Builder
			k := j + 1
			closed := false
			for k < len(s) {
				c := s[k]
				if c == '\\' && k+1 < len(s) {
					switch s[k+1] {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					default:
						b.WriteByte(s[k+1])
					}
					k += 2
					continue
				}
				if c == '"' {
					closed = true
					k++
					break
				}
				b.WriteByte(c)
				k++
			}
			if !closed {
				return pairs, false
			}
			pairs = append(pairs, logfmtPair{key, b.String()})
			i = k
			continue
		}
		k := j
		for k < len(s) && s[k] != ' ' && s[k] != '\t' {
			if s[k] == '"' || s[k] == '=' {
				return pairs, false
			}
			k++
		}
		pairs = append(pairs, logfmtPair{key, s[j:k]})
		i = k
	}
}

func logfmtMap(pairs []logfmtPair) map[string]string {
	m := make(map[string]string, len(pairs))
	for _, p := range pairs {
		if _, dup := m[p.k]; !dup {
			m[p.k] = p.v
		}
	}
	return m
}

func detectLogfmt(name string, head []byte) int {
	lines := logHeadLines(head, 20)
	if len(lines) == 0 {
		return 0
	}
	var recs []map[string]string
	for _, l := range lines {
		p, ok := splitLogfmt(l)
		if !ok || len(p) < 3 {
			continue
		}
		withValue := 0
		for _, x := range p {
			if x.v != "" {
				withValue++
			}
		}
		if withValue*10 >= len(p)*8 {
			recs = append(recs, logfmtMap(p))
		}
	}
	if len(recs) == 0 || len(recs)*10 < len(lines)*6 {
		return 0
	}
	header := keyHeader(recs)
	g := DetectRoles(header, keySample(header, recs))
	if g.Col("time") < 0 {
		return 0
	}
	return min(60+4*len(g.Placed), 85)
}

// logfmtLine is one line read, held while roles are placed.
type logfmtLine struct {
	l      Line
	row    int
	fields map[string]string
	reason string
}

func parseLogfmt(ctx context.Context, in Input, sink Sink) (Meta, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return Meta{}, err
	}
	lr, err := NewLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	var (
		buf    []logfmtLine
		g      RoleGuess
		filler *roleFiller
		placed bool
		events int
	)
	place := func() error {
		var good []map[string]string
		for _, b := range buf {
			if b.reason == "" {
				good = append(good, b.fields)
			}
		}
		header := keyHeader(good)
		var err error
		if g, err = DetectRolesMapped(header, keySample(header, good), in.Opts.Map); err != nil {
			return Errorf(in.Name, 0, "%v", err)
		}
		if g.Col("time") < 0 {
			return Errorf(in.Name, 1, "no key placed for: time (keys: %s) — map with --map time=KEY", cutText(strings.Join(header, ", "), 300))
		}
		var times []string
		for _, r := range good {
			times = append(times, r[g.Placed["time"].Header])
		}
		filler = newRoleFiller(g, times, in.Opts, sink)
		warnRoles(sink, g)
		placed = true
		return nil
	}
	handle := func(x logfmtLine) error {
		raw := validRaw([]byte(x.l.Text))
		if x.reason == "" {
			e := &model.Event{Row: x.row, Line: x.l.No, Offset: x.l.Offset, Raw: raw}
			x.reason = filler.fill(e, x.l.No, func(role string) string {
				if p, ok := g.Placed[role]; ok {
					return strings.TrimSpace(x.fields[p.Header])
				}
				return ""
			})
			if x.reason == "" {
				events++
				return sink.Event(e)
			}
		}
		return sink.Reject(Rejection{Line: x.l.No, Row: x.row, Raw: raw, Reason: x.reason})
	}
	flush := func() error {
		if !placed {
			if err := place(); err != nil {
				return err
			}
		}
		for _, b := range buf {
			if err := handle(b); err != nil {
				return err
			}
		}
		buf = nil
		return nil
	}
	rows, err := eachRecordLine(ctx, lr, func(l Line, row int, invalid bool) error {
		x := logfmtLine{l: l, row: row}
		switch p, ok := splitLogfmt(l.Text); {
		case invalid || !utf8.ValidString(l.Text):
			x.reason = "invalid UTF-8"
		case !ok:
			x.reason = "not key=value pairs"
		default:
			x.fields = logfmtMap(p)
		}
		if placed {
			return handle(x)
		}
		buf = append(buf, x)
		if len(buf) >= sampleRows {
			return flush()
		}
		return nil
	})
	if err != nil {
		return Meta{}, err
	}
	if err := flush(); err != nil {
		return Meta{}, err
	}
	if rows > 0 && events == 0 && filler != nil {
		return Meta{}, Errorf(in.Name, 1, "not a logfmt log: no line gave an event")
	}
	filler.finish(sink)
	return Meta{Encoding: lr.Encoding(), TimeZone: in.Opts.Location().String()}, nil
}
