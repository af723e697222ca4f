package importer

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"

	"casebook/model"
)

// YouTube SBV captions: a timing line "0:00:01.000,0:00:04.000", the cue's
// text lines, then a blank line (which may be missing: a timing line always
// starts a new cue). A segment starts at its timing line. A block that does
// not start with a timing line is rejected with its line.

func init() {
	Register(Format{
		Name:    "sbv",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "YouTube SBV captions (.sbv)",
		Detect:  detectSBV,
		Parse:   parseSBV,
	})
}

var sbvTiming = regexp.MustCompile(`^\s*(\d{1,3}:\d{1,2}:\d{1,2}(?:\.\d{1,9})?)\s*,\s*(\d{1,3}:\d{1,2}:\d{1,2}(?:\.\d{1,9})?)\s*$`)

func detectSBV(name string, head []byte) int {
	timings, first := 0, -1
	for i, l := range headLines(head, 400) {
		if sbvTiming.MatchString(l) {
			timings++
			if first < 0 {
				first = i
			}
		}
	}
	if timings == 0 {
		return 0
	}
	score := 70
	if first == 0 {
		score += 15
	}
	if nameHas(name, ".sbv") {
		score += 10
	}
	return score
}

func parseSBV(ctx context.Context, in Input, sink Sink) (Meta, error) {
	lr, err := newCaptionLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	w := newSegWriter(ctx, sink)
	var warn warnings
	emit := newCueEmitter(w, &warn)
	var (
		timing  Line
		text    []Line
		inCue   bool
		stray   []Line // a block without a timing line
		cues    int
		lastEnd = int64(-1)
	)
	flush := func() error {
		if !inCue {
			return nil
		}
		inCue = false
		cues++
		m := sbvTiming.FindStringSubmatch(timing.Text)
		s, ok1 := parseClock(m[1])
		e, ok2 := parseClock(m[2])
		if !ok1 || !ok2 {
			text = text[:0]
			return sink.Reject(Rejection{Line: timing.No, Raw: timing.Text, Reason: "bad SBV time " + strings.TrimSpace(timing.Text)})
		}
		if e < s {
			warn.add(timing.No, "cue ends before it starts")
		}
		if lastEnd >= 0 && s < lastEnd {
			warn.add(timing.No, "overlapping cue")
		}
		lastEnd = max(lastEnd, e)
		err := emit.cue(text, timing.No, timing.Offset, timing.No, s, e, "")
		text = text[:0]
		return err
	}
	rejectStray := func() error {
		if len(stray) == 0 {
			return nil
		}
		l := stray[0]
		stray = stray[:0]
		return sink.Reject(Rejection{Line: l.No, Raw: l.Text, Reason: "text without an SBV timing line (start,end) before it"})
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
		if sbvTiming.MatchString(l.Text) {
			if inCue {
				warn.add(l.No, "missing blank line between cues")
			}
			if err := flush(); err != nil {
				return Meta{}, err
			}
			if err := rejectStray(); err != nil {
				return Meta{}, err
			}
			timing, inCue = l, true
			continue
		}
		if strings.TrimSpace(l.Text) == "" {
			if err := flush(); err != nil {
				return Meta{}, err
			}
			if err := rejectStray(); err != nil {
				return Meta{}, err
			}
			continue
		}
		if inCue {
			text = append(text, l)
		} else {
			stray = append(stray[:min(len(stray), 1)], l) // only the first line is reported
		}
	}
	if err := flush(); err != nil {
		return Meta{}, err
	}
	if err := rejectStray(); err != nil {
		return Meta{}, err
	}
	if err := emit.flush(); err != nil {
		return Meta{}, err
	}
	if cues == 0 {
		return Meta{}, Errorf(in.Name, 1, "not an SBV file: no timing lines such as 0:00:01.000,0:00:04.000")
	}
	warn.flush(sink)
	if n := lr.Invalid(); n > 0 {
		sink.Warn(0, itoa(n)+" lines held bytes invalid in "+lr.Encoding())
	}
	return transcriptMeta(in, lr.Encoding(), "", ""), nil
}
