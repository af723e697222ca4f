package importer

import (
	"bufio"
	"bytes"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"casebook/model"
)

// Caption cues (WebVTT, SubRip, SBV, SubStation Alpha, TTML) are turned into
// one segment per speaker run: a cue with two <v> voice spans, or two
// labelled lines, yields two segments.
//
// A "Label: text" line inside a caption is a speaker only on evidence, decided
// once per file: the format's own speaker markup always counts (<v Name>, an
// upper-case "NAME:", a "- Name:" dialogue dash, ">> NAME:"), and a plain
// "Name:" label counts only when the file's first evidenceCues cues show
// labels used consistently (see labelEvidence.accepts). So a subtitle line
// such as `Digo: "Le doy…"` in a file of unlabelled dialogue stays text, and
// a cue is only split into more than one segment by labels that count.
// Labels are kept exactly as written, capitals included (see captionSpeaker).

// evidenceCues is how many cues are held back to decide whether plain
// "Name:" labels are speakers. It bounds the memory the decision needs;
// later cues follow the decision taken on these.
const evidenceCues = 256

var voiceTag = regexp.MustCompile(`<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>|</v\s*>`)

// captionLabel is a speaker label found at the start of a caption line.
type captionLabel struct {
	name   string // as written, spaces tidied
	text   string // the rest of the line
	marked bool   // the format's own speaker markup: upper case, a dialogue dash or ">>"
}

// findCaptionLabel reads a speaker label at the start of a cleaned caption
// line: an optional ">>" or dialogue dash, a name of one to six words whose
// first starts with a capital letter or a digit, a colon, a space, words.
func findCaptionLabel(s string) (captionLabel, bool) {
	marked := false
	rest := strings.TrimLeft(s, " \t")
	switch {
	case strings.HasPrefix(rest, ">>"):
		rest, marked = strings.TrimLeft(rest[2:], " \t"), true
	case strings.HasPrefix(rest, "-"):
		rest, marked = strings.TrimLeft(rest[1:], " \t"), true
	case strings.HasPrefix(rest, "–"):
		rest, marked = strings.TrimLeft(rest[len("–"):], " \t"), true
	}
	i := strings.IndexByte(rest, ':')
	if i < 1 || i > 200 || i+1 >= len(rest) || (rest[i+1] != ' ' && rest[i+1] != '\t') {
		return captionLabel{}, false
	}
	text := strings.TrimLeft(rest[i+1:], " \t")
	if text == "" {
		return captionLabel{}, false
	}
	if r, _ := utf8.DecodeRuneInString(text); unicode.IsSpace(r) {
		return captionLabel{}, false
	}
	words := strings.Fields(rest[:i])
	if len(words) == 0 || len(words) > 6 {
		return captionLabel{}, false
	}
	letters, upper := 0, true
	for k, w := range words {
		for j, r := range w {
			if unicode.IsLetter(r) {
				letters++
				if !unicode.IsUpper(r) && unicode.IsLower(r) {
					upper = false
				}
			}
			if k == 0 && j == 0 {
				if !unicode.IsUpper(r) && !unicode.IsNumber(r) {
					return captionLabel{}, false
				}
				continue
			}
			if unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r) || strings.ContainsRune(".'’-", r) ||
				(k > 0 && (r == '(' || r == ')')) {
				continue
			}
			return captionLabel{}, false
		}
	}
	if letters >= 2 && upper {
		marked = true
	}
	return captionLabel{name: captionSpeaker(strings.Join(words, " ")), text: text, marked: marked}, true
}

// labelEvidence counts the speaker labels of the first cues of a file.
type labelEvidence struct {
	cues     int            // cues with text
	labelled int            // cues with at least one label
	uses     int            // labelled lines
	count    map[string]int // uses per label, case folded
}

func (e *labelEvidence) add(c *bufferedCue) {
	if c.voiced || c.speaker != "" {
		return
	}
	e.cues++
	any := false
	for _, l := range c.lines {
		lb, ok := findCaptionLabel(cleanText(l.Text))
		if !ok {
			continue
		}
		if e.count == nil {
			e.count = map[string]int{}
		}
		e.count[strings.ToLower(lb.name)]++
		e.uses++
		any = true
	}
	if any {
		e.labelled++
	}
}

// accepts reports whether plain "Name:" labels are speakers in this file:
// at least two cues are labelled, labelled cues are at least 40% of the
// cues, and labels used two or more times make up at least 60% of the uses
// (the same few names recur, as in a transcript; a stray "Digo:" does not).
func (e *labelEvidence) accepts() bool {
	if e.labelled < 2 || e.labelled*5 < e.cues*2 {
		return false
	}
	recurring := 0
	for _, n := range e.count {
		if n >= 2 {
			recurring += n
		}
	}
	return recurring*5 >= e.uses*3
}

// bufferedCue is one cue waiting for the file's label decision.
type bufferedCue struct {
	lines   []Line
	line    int   // where the cue starts
	off     int64 // byte offset where the cue starts
	timing  int   // line of the timing, for warnings
	start   int64
	end     int64
	speaker string // a speaker the format gives outside the text (SSA Name, TTML agent)
	voiced  bool
}

// cueEmitter turns cues into segments, holding back the first evidenceCues
// cues until it can decide whether plain labels are speakers.
type cueEmitter struct {
	w        *segWriter
	warn     *warnings
	buf      []*bufferedCue
	ev       labelEvidence
	decided  bool
	accept   bool
	cues     int // cues given
	segments int
}

func newCueEmitter(w *segWriter, warn *warnings) *cueEmitter {
	return &cueEmitter{w: w, warn: warn}
}

// cue takes one cue; lines are copied, so the caller may reuse them.
// speaker, when not empty, is the cue's speaker and its text is not searched
// for labels.
func (e *cueEmitter) cue(lines []Line, line int, off int64, timing int, start, end int64, speaker string) error {
	e.cues++
	c := bufferedCue{lines: lines, line: line, off: off, timing: timing, start: start, end: end, speaker: speaker}
	if e.decided {
		return e.send(&c) // sent at once: no copy needed
	}
	c.lines = append([]Line(nil), lines...)
	for _, l := range lines {
		if strings.Contains(l.Text, "<v") && voiceTag.MatchString(l.Text) {
			c.voiced = true
			break
		}
	}
	e.ev.add(&c)
	e.buf = append(e.buf, &c)
	if len(e.buf) >= evidenceCues {
		return e.flush()
	}
	return nil
}

// flush decides (if not yet done) and sends the cues held back.
func (e *cueEmitter) flush() error {
	if !e.decided {
		e.decided, e.accept = true, e.ev.accepts()
	}
	for i, c := range e.buf {
		if err := e.send(c); err != nil {
			return err
		}
		e.buf[i] = nil
	}
	e.buf = e.buf[:0]
	return nil
}

func (e *cueEmitter) send(c *bufferedCue) error {
	runs := cueRuns(c.lines, c.line, c.off, c.speaker, e.accept)
	n, err := emitRuns(e.w, runs, c.start, c.end)
	e.segments += n
	if err == nil && n == 0 && e.warn != nil {
		e.warn.add(c.timing, "empty cue")
	}
	return err
}

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
// speaker, when set, is the whole cue's. acceptPlain says whether plain
// "Name:" labels count as speakers in this file.
func cueRuns(lines []Line, line int, off int64, speaker string, acceptPlain bool) []*cueRun {
	var runs []*cueRun
	start := func(l int, o int64) *cueRun {
		r := &cueRun{line: l, off: o, end: o}
		runs = append(runs, r)
		return r
	}
	cur := start(line, off)
	if speaker != "" {
		cur.speaker = speaker
		for _, l := range lines {
			cur.raw.WriteString(l.Text)
			cur.raw.WriteByte('\n')
			cur.end = max(cur.end, l.Offset+int64(l.Len))
		}
		return runs
	}
	voiced := false
	for _, l := range lines {
		if strings.Contains(l.Text, "<v") && voiceTag.MatchString(l.Text) {
			voiced = true
			break
		}
	}
	if !voiced {
		for i, l := range lines {
			clean := cleanText(l.Text)
			if lb, ok := findCaptionLabel(clean); ok && (lb.marked || acceptPlain) {
				if i > 0 || cur.speaker != "" {
					cur = start(l.No, l.Offset)
				}
				cur.speaker = lb.name
				clean = lb.text
			}
			cur.raw.WriteString(clean)
			cur.raw.WriteByte('\n')
			cur.end = max(cur.end, l.Offset+int64(l.Len))
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
				cur.speaker = captionSpeaker(cleanText(t[m[2]:m[3]]))
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

// newCaptionLineReader is NewLineReader for caption files, which also reads
// a file whose lines end in CR alone (old Mac exports) when a stray LF or
// two (often one at the very end) would otherwise make it one long line.
func newCaptionLineReader(name string, r io.Reader, maxLine int) (*LineReader, error) {
	br := bufio.NewReaderSize(r, HeadSize)
	head, _ := br.Peek(HeadSize)
	lr, err := NewLineReader(name, br, maxLine)
	if err != nil {
		return nil, err
	}
	if !lr.wide && !lr.crOnly && mostlyLoneCR(head) {
		lr.crOnly = true
	}
	return lr, nil
}

// mostlyLoneCR reports whether the line ends in head are mostly CR without
// LF: at least two, and more than four times as many as LFs.
func mostlyLoneCR(head []byte) bool {
	lf := bytes.Count(head, []byte{'\n'})
	lone := 0
	for i, c := range head {
		if c == '\r' && (i+1 >= len(head) || head[i+1] != '\n') {
			lone++
		}
	}
	return lone >= 2 && lone > 4*lf
}
