package importer

import (
	"regexp"
	"strings"

	"casebook/model"
)

// Caption cues (WebVTT, SubRip) are turned into one segment per speaker run:
// a cue with two <v> voice spans, or two "Name: text" lines, yields two
// segments.

var voiceTag = regexp.MustCompile(`<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>|</v\s*>`)

// cueRun is one speaker's stretch of a cue.
type cueRun struct {
	speaker string
	raw     strings.Builder
	line    int
	off     int64
	end     int64
}

// cueRuns splits a cue's text lines into speaker runs. The first run starts
// at the cue (line, off); later runs at the line where their speaker starts.
func cueRuns(lines []Line, line int, off int64) []*cueRun {
	var runs []*cueRun
	start := func(l int, o int64) *cueRun {
		r := &cueRun{line: l, off: o, end: o}
		runs = append(runs, r)
		return r
	}
	cur := start(line, off)
	voiced := false
	for _, l := range lines {
		if strings.Contains(l.Text, "<v") {
			voiced = true
			break
		}
	}
	if !voiced {
		for i, l := range lines {
			clean := cleanText(l.Text)
			if name, text, ok := splitSpeaker(clean); ok {
				if i > 0 || cur.speaker != "" {
					cur = start(l.No, l.Offset)
				}
				cur.speaker = name
				clean = text
			}
			cur.raw.WriteString(clean)
			cur.raw.WriteByte('\n')
			cur.end = l.Offset + int64(l.Len)
		}
		return runs
	}
	for _, l := range lines {
		t := l.Text
		pos := 0
		for _, m := range voiceTag.FindAllStringSubmatchIndex(t, -1) {
			cur.raw.WriteString(t[pos:m[0]])
			pos = m[1]
			if strings.HasPrefix(t[m[0]:], "</") {
				// Text after a closed voice is nobody's until another <v>.
				if strings.TrimSpace(cleanText(cur.raw.String())) != "" || cur.speaker != "" {
					cur.end = l.Offset + int64(l.Len) // text positions are not byte positions
					cur = start(l.No, l.Offset)
				}
				continue
			}
			if strings.TrimSpace(cleanText(cur.raw.String())) != "" || cur.speaker != "" {
				if m[0] > 0 {
					cur.end = l.Offset + int64(l.Len)
				}
				cur = start(l.No, l.Offset)
			} else if len(runs) > 1 {
				cur.line, cur.off = l.No, l.Offset // an empty run: it starts here
			}
			if m[2] >= 0 {
				cur.speaker = NormalizeSpeaker(cleanText(t[m[2]:m[3]]))
			}
		}
		cur.raw.WriteString(t[pos:])
		cur.raw.WriteByte('\n')
		cur.end = l.Offset + int64(l.Len)
	}
	return runs
}

// emitRuns sends a cue's runs as segments with the cue's times; it returns
// how many it sent.
func emitRuns(w *segWriter, runs []*cueRun, startMS, endMS int64) (int, error) {
	n := 0
	for _, r := range runs {
		text := cleanText(r.raw.String())
		if text == "" {
			continue
		}
		s := &model.Segment{StartMS: startMS, EndMS: endMS, Speaker: r.speaker, Text: text,
			Line: r.line, Offset: r.off, Length: r.end - r.off}
		if err := w.emit(s); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
