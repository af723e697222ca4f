package importer

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"

	"casebook/model"
)

// SubRip subtitles: an index line (any number, 0 included), a timing line
// "00:00:01,000 --> 00:00:02,500" (',' or '.' before the milliseconds, which
// may be missing; X1/Y1 position coordinates may follow), text lines with
// <i>/<b>/<font> tags and optional "NAME:" speaker prefixes, then a blank
// line (which may be missing). A segment starts at its index line.

func init() {
	Register(Format{
		Name:    "srt",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "SubRip subtitles (.srt)",
		Detect:  detectSRT,
		Parse:   parseSRT,
	})
}

var srtTiming = regexp.MustCompile(`^\s*(\d{1,3}:\d{1,2}:\d{1,2}(?:[,.]\d{1,9})?)[ \t]*-->[ \t]*(\d{1,3}:\d{1,2}:\d{1,2}(?:[,.]\d{1,9})?)(?:[ \t].*)?$`)

func detectSRT(name string, head []byte) int {
	lines := headLines(head, 400)
	if len(lines) > 0 && isVTTHeader(lines[0]) {
		return 0
	}
	timings, indexed, comma := 0, 0, 0
	for i, l := range lines {
		m := srtTiming.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		timings++
		if strings.Contains(m[1], ",") {
			comma++
		}
		if i > 0 && allDigits(strings.TrimSpace(lines[i-1])) {
			indexed++
		}
	}
	if timings == 0 {
		return 0
	}
	score := 50
	if indexed*2 >= timings {
		score += 25
	}
	if comma*2 >= timings {
		score += 15
	}
	if nameHas(name, ".srt") {
		score += 5
	}
	return score
}

func parseSRT(ctx context.Context, in Input, sink Sink) (Meta, error) {
	lr, err := newCaptionLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	w := newSegWriter(ctx, sink)
	var warn warnings
	emit := newCueEmitter(w, &warn)
	var (
		cueStart Line
		timing   Line
		text     []Line
		inCue    bool
		pending  []Line // lines seen outside a cue: the next cue's index
		cues     int
		lastEnd  = int64(-1)
	)
	flush := func() error {
		if !inCue {
			return nil
		}
		inCue = false
		cues++
		m := srtTiming.FindStringSubmatch(timing.Text)
		s, ok1 := parseClock(m[1])
		e, ok2 := parseClock(m[2])
		if !ok1 || !ok2 {
			warn.add(timing.No, "bad timestamp")
			if !ok1 {
				s = -1
			}
			if !ok2 {
				e = -1
			}
		}
		if s >= 0 && e >= 0 && e < s {
			warn.add(timing.No, "cue ends before it starts")
		}
		if s >= 0 && lastEnd >= 0 && s < lastEnd {
			warn.add(timing.No, "overlapping cue")
		}
		lastEnd = max(lastEnd, e)
		err := emit.cue(text, cueStart.No, cueStart.Offset, timing.No, s, e, "")
		text = text[:0]
		return err
	}
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		l, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Meta{}, err
		}
		t := strings.TrimSpace(l.Text)
		if strings.Contains(l.Text, "-->") && srtTiming.MatchString(l.Text) {
			start := l
			if inCue {
				// A missing blank line: the previous line may be our index.
				if k := len(text) - 1; k >= 0 && allDigits(strings.TrimSpace(text[k].Text)) {
					start = text[k]
					text = text[:k]
				}
				warn.add(l.No, "missing blank line between cues")
				if err := flush(); err != nil {
					return Meta{}, err
				}
			} else if k := len(pending) - 1; k >= 0 {
				start = pending[k]
				if !allDigits(strings.TrimSpace(start.Text)) {
					warn.add(start.No, "cue index is not a number")
				}
				if k > 0 {
					warn.add(pending[0].No, "text outside a cue ignored")
				}
			} else if cues > 0 || l.No > 1 {
				warn.add(l.No, "cue without an index")
			}
			pending = pending[:0]
			cueStart, timing, inCue = start, l, true
			continue
		}
		if t == "" {
			if err := flush(); err != nil {
				return Meta{}, err
			}
			if len(pending) > 0 {
				warn.add(pending[0].No, "text outside a cue ignored")
				pending = pending[:0]
			}
			continue
		}
		if inCue {
			text = append(text, l)
		} else {
			pending = append(pending, l)
		}
	}
	if err := flush(); err != nil {
		return Meta{}, err
	}
	if err := emit.flush(); err != nil {
		return Meta{}, err
	}
	if cues == 0 {
		return Meta{}, Errorf(in.Name, 1, "not a SubRip file: no cue timing lines")
	}
	warn.flush(sink)
	if n := lr.Invalid(); n > 0 {
		sink.Warn(0, itoa(n)+" lines held bytes invalid in "+lr.Encoding())
	}
	return transcriptMeta(in, lr.Encoding(), "", ""), nil
}
