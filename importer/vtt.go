package importer

import (
	"context"
	"errors"
	"io"
	"strings"

	"casebook/model"
)

// WebVTT captions and transcripts: Microsoft Teams (<v Name> voice spans,
// unpadded times, overlapping cues), Zoom transcripts ("Name: text" in each
// cue), Zoom closed captions (no speakers) and Whisper output. Each cue
// becomes one segment per speaker run; a segment starts at its cue's
// identifier (or timing line) and spans to the end of its last text line.

func init() {
	Register(Format{
		Name:    "vtt",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "WebVTT captions or transcript (Teams, Zoom, Whisper)",
		Detect:  detectVTT,
		Parse:   parseVTT,
	})
}

// vttTiming splits a cue timing line "start --> end [settings]" into its
// two times; ok is false when the line is not one.
func vttTiming(line string) (start, end string, ok bool) {
	i := strings.Index(line, "-->")
	if i < 0 {
		return "", "", false
	}
	left, right := line[:i], line[i+3:]
	if left == "" || (left[len(left)-1] != ' ' && left[len(left)-1] != '\t') || right == "" || (right[0] != ' ' && right[0] != '\t') {
		return "", "", false
	}
	start = strings.TrimSpace(left)
	if start == "" || strings.ContainsAny(start, " \t") {
		return "", "", false
	}
	right = strings.TrimLeft(right, " \t")
	if right == "" {
		return "", "", false
	}
	end = right
	if j := strings.IndexAny(right, " \t"); j >= 0 {
		end = right[:j]
	}
	return start, end, true
}

func isVTTHeader(s string) bool {
	s = strings.TrimPrefix(s, "\ufeff")
	return s == "WEBVTT" || strings.HasPrefix(s, "WEBVTT ") || strings.HasPrefix(s, "WEBVTT\t")
}

func detectVTT(name string, head []byte) int {
	lines := headLines(head, 500)
	if len(lines) > 0 && isVTTHeader(lines[0]) {
		if nameHas(name, ".vtt") {
			return 98
		}
		return 95
	}
	// No header: timings with '.' milliseconds still look like WebVTT.
	timings := 0
	for _, l := range lines {
		if a, _, ok := vttTiming(l); ok && strings.Contains(a, ".") {
			if _, ok := parseClock(a); ok {
				timings++
			}
		}
	}
	if timings == 0 {
		return 0
	}
	if nameHas(name, ".vtt") {
		return 60
	}
	return 40
}

// blockKind says what a blank-line-separated WebVTT block is.
func vttBlockKind(first string) string {
	for _, k := range []string{"NOTE", "STYLE", "REGION"} {
		if first == k || strings.HasPrefix(first, k+" ") || strings.HasPrefix(first, k+"\t") {
			return k
		}
	}
	return ""
}

type vttParser struct {
	in      Input
	w       *segWriter
	emit    *cueEmitter
	warn    warnings
	date    string
	cues    int
	lastEnd int64
}

func parseVTT(ctx context.Context, in Input, sink Sink) (Meta, error) {
	lr, err := newCaptionLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	p := &vttParser{in: in, w: newSegWriter(ctx, sink), lastEnd: -1}
	p.emit = newCueEmitter(p.w, &p.warn)
	var block []Line
	first := true
	header := false
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
		if first {
			first = false
			if isVTTHeader(l.Text) {
				header = true
				p.date = dateInText(l.Text)
				// Skip the header block up to the first blank line.
				for {
					h, err := lr.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						return Meta{}, err
					}
					if strings.TrimSpace(h.Text) == "" {
						break
					}
					if _, _, ok := vttTiming(h.Text); ok { // a cue right under the header
						p.warn.add(h.No, "missing blank line after the WEBVTT header")
						block = append(block, h)
						break
					}
				}
				continue
			}
		}
		if strings.TrimSpace(l.Text) == "" {
			if err := p.block(block); err != nil {
				return Meta{}, err
			}
			block = block[:0]
			continue
		}
		block = append(block, l)
	}
	if err := p.block(block); err != nil {
		return Meta{}, err
	}
	if err := p.emit.flush(); err != nil {
		return Meta{}, err
	}
	if p.cues == 0 {
		if !header {
			return Meta{}, Errorf(in.Name, 1, "not a WebVTT file: no WEBVTT header and no cues")
		}
		if p.w.seq == 0 {
			sink.Warn(0, "no cues")
		}
	} else if !header {
		p.warn.add(1, "missing WEBVTT header")
	}
	p.warn.flush(sink)
	if n := lr.Invalid(); n > 0 {
		sink.Warn(0, itoa(n)+" lines held bytes invalid in "+lr.Encoding())
	}
	return transcriptMeta(in, lr.Encoding(), "", p.date), nil
}

// block handles one blank-line-separated block: a NOTE, STYLE or REGION
// block, or one or more cues (more when blank lines are missing).
func (p *vttParser) block(lines []Line) error {
	if len(lines) == 0 {
		return nil
	}
	switch vttBlockKind(strings.TrimSpace(lines[0].Text)) {
	case "NOTE":
		if p.date == "" {
			for _, l := range lines {
				if d := dateInText(l.Text); d != "" {
					p.date = d
					break
				}
			}
		}
		return nil
	case "STYLE", "REGION":
		return nil
	}
	// Find the timing lines; each starts a cue, with the line before it as
	// its identifier when that line is the block's first or all digits.
	i := 0
	for i < len(lines) {
		j := i
		for j < len(lines) && !strings.Contains(lines[j].Text, "-->") {
			j++
		}
		if j == len(lines) {
			p.warn.add(lines[i].No, "text outside a cue ignored")
			return nil
		}
		if j > i+1 {
			p.warn.add(lines[i].No, "text outside a cue ignored")
		}
		start := lines[j]
		if j > i {
			start = lines[j-1] // the cue identifier
		}
		k := j + 1
		for k < len(lines) && !strings.Contains(lines[k].Text, "-->") {
			k++
		}
		textEnd := k
		if k < len(lines) {
			p.warn.add(lines[k].No, "missing blank line between cues")
			if k-1 > j && allDigits(strings.TrimSpace(lines[k-1].Text)) {
				textEnd = k - 1 // the next cue's identifier
			}
		}
		if err := p.cue(start, lines[j], lines[j+1:textEnd]); err != nil {
			return err
		}
		i = textEnd
	}
	return nil
}

func (p *vttParser) cue(start, timing Line, text []Line) error {
	p.cues++
	startMS, endMS := int64(-1), int64(-1)
	a, b, ok := vttTiming(timing.Text)
	if !ok {
		p.warn.add(timing.No, "bad cue timing line")
	} else {
		var ok1, ok2 bool
		startMS, ok1 = parseClock(a)
		endMS, ok2 = parseClock(b)
		if !ok1 {
			startMS = -1
		}
		if !ok2 {
			endMS = -1
		}
		if !ok1 || !ok2 {
			p.warn.add(timing.No, "bad timestamp")
		}
	}
	if startMS >= 0 && endMS >= 0 && endMS < startMS {
		p.warn.add(timing.No, "cue ends before it starts")
	}
	if startMS >= 0 && p.lastEnd >= 0 && startMS < p.lastEnd {
		p.warn.add(timing.No, "overlapping cue")
	}
	if endMS >= 0 {
		p.lastEnd = max(p.lastEnd, endMS)
	}
	return p.emit.cue(text, start.No, start.Offset, timing.No, startMS, endMS, "")
}
