package importer

import (
	"context"
	"strings"

	"casebook/model"
)

// SubStation Alpha and Advanced SubStation Alpha (.ssa, .ass): only the
// "Dialogue:" lines of the [Events] section are speech. The section's
// "Format:" line says where Start, End, Name and Text are (the standard
// order is assumed until one is seen); Text is the last field and may hold
// commas. In the text \N and \n are line breaks, \h a space, and {…}
// override blocks are removed. A non-empty Name is the speaker. "Comment:"
// lines, styles, script info, fonts and graphics are not speech. A segment
// starts at its Dialogue line.

func init() {
	Register(Format{
		Name:    "ssa",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "SubStation Alpha / ASS subtitles (.ssa, .ass)",
		Detect:  detectSSA,
		Parse:   parseSSA,
	})
}

// ssaDefaultFormat is the [Events] Format of ASS files, used when a file has none.
var ssaDefaultFormat = []string{"layer", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text"}

func detectSSA(name string, head []byte) int {
	lines := headLines(head, 2000)
	first := ""
	for _, l := range lines {
		if t := strings.TrimSpace(strings.TrimPrefix(l, "\ufeff")); t != "" {
			first = t
			break
		}
	}
	events, dialogue := false, 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.EqualFold(t, "[Events]") {
			events = true
		}
		if strings.HasPrefix(t, "Dialogue:") {
			dialogue++
		}
	}
	score := 0
	switch {
	case strings.EqualFold(first, "[Script Info]"):
		score = 95
	case events && dialogue > 0:
		score = 85
	case dialogue > 0 && nameHas(name, ".ssa", ".ass"):
		score = 60
	}
	if score > 0 && nameHas(name, ".ssa", ".ass") {
		score += 3
	}
	return score
}

// ssaText turns a Dialogue text field into lines: override blocks removed,
// \N and \n line breaks, \h hard spaces.
func ssaText(s string) []string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{':
			if j := strings.IndexByte(s[i:], '}'); j >= 0 {
				i += j
				continue
			}
			b.WriteByte(c)
		case c == '\\' && i+1 < len(s) && (s[i+1] == 'N' || s[i+1] == 'n'):
			b.WriteByte('\n')
			i++
		case c == '\\' && i+1 < len(s) && s[i+1] == 'h':
			b.WriteByte(' ')
			i++
		default:
			b.WriteByte(c)
		}
	}
	return strings.Split(b.String(), "\n")
}

func parseSSA(ctx context.Context, in Input, sink Sink) (Meta, error) {
	lr, err := newCaptionLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	w := newSegWriter(ctx, sink)
	var warn warnings
	emit := newCueEmitter(w, &warn)
	section := ""
	fields := ssaDefaultFormat
	title := ""
	dialogues := 0
	var lines []Line
	_, err = eachRecordLine(ctx, lr, func(l Line, _ int, _ bool) error {
		t := strings.TrimSpace(strings.TrimPrefix(l.Text, "\ufeff"))
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			section = strings.ToLower(t)
			return nil
		}
		key, val, ok := strings.Cut(t, ":")
		if !ok {
			return nil
		}
		key = strings.TrimSpace(key)
		switch {
		case section == "[script info]" && strings.EqualFold(key, "Title"):
			title = strings.TrimSpace(val)
			return nil
		case section != "[events]" && section != "":
			return nil
		case strings.EqualFold(key, "Format"):
			fields = nil
			for _, f := range strings.Split(val, ",") {
				fields = append(fields, strings.ToLower(strings.TrimSpace(f)))
			}
			return nil
		case key != "Dialogue":
			return nil // Comment:, Picture:, Sound:, Movie:, Command: are not speech
		}
		parts := strings.SplitN(val, ",", len(fields))
		if len(parts) < len(fields) {
			return sink.Reject(Rejection{Line: l.No, Raw: l.Text, Reason: "Dialogue line has " + itoa(len(parts)) +
				" fields, the Format line names " + itoa(len(fields))})
		}
		var startS, endS, name, text string
		haveText := false
		for i, f := range fields {
			v := parts[i]
			switch f {
			case "start":
				startS = strings.TrimSpace(v)
			case "end":
				endS = strings.TrimSpace(v)
			case "name", "actor":
				name = strings.TrimSpace(v)
			case "text":
				text, haveText = v, true
			}
		}
		if !haveText {
			return sink.Reject(Rejection{Line: l.No, Raw: l.Text, Reason: "the [Events] Format line has no Text field"})
		}
		s, ok1 := parseClock(startS)
		e, ok2 := parseClock(endS)
		if !ok1 || !ok2 {
			return sink.Reject(Rejection{Line: l.No, Raw: l.Text, Reason: "bad Dialogue time " + startS + "," + endS})
		}
		dialogues++
		if e < s {
			warn.add(l.No, "cue ends before it starts")
		}
		lines = lines[:0]
		for _, tl := range ssaText(text) {
			lines = append(lines, Line{No: l.No, Offset: l.Offset, Len: l.Len, Text: tl})
		}
		return emit.cue(lines, l.No, l.Offset, l.No, s, e, captionSpeaker(name))
	})
	if err != nil {
		return Meta{}, err
	}
	if err := emit.flush(); err != nil {
		return Meta{}, err
	}
	if dialogues == 0 {
		return Meta{}, Errorf(in.Name, 0, "no Dialogue lines in an [Events] section")
	}
	warn.flush(sink)
	if n := lr.Invalid(); n > 0 {
		sink.Warn(0, itoa(n)+" lines held bytes invalid in "+lr.Encoding())
	}
	return transcriptMeta(in, lr.Encoding(), title, ""), nil
}
