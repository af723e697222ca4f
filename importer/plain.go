package importer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"

	"casebook/model"
)

// The generic "Name: text" transcript: one utterance per line, a speaker
// name, a colon, the words. Lines without a speaker continue the previous
// utterance; blank lines end it. A line may start with its time
// ("00:01:02", "[01:02]", "(1:02:03.5) -"), which becomes the segment's
// start. When the investigator says the file is a transcript
// (--kind transcript) this format also reads what no other transcript
// format recognised: a single "Name: text" line, or text without any
// speaker labels, one segment per paragraph.

// plainTime is a time at the start of a line, bracketed or not, with an
// optional dash after it.
var plainTime = regexp.MustCompile(`^\s*[\[(]?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?(?:\s+[-–]\s*|\s+|$)`)

var plainSpeaker = regexp.MustCompile(`^\s*([\p{L}\p{M}][\p{L}\p{M}\p{N} .'’\-()]{0,60}?)\s*:\s+(\S.*)$`)

func init() {
	Register(Format{
		Name:     "plain-transcript",
		Kind:     model.KindTranscript,
		Version:  1,
		Title:    "Plain-text transcript (Name: text)",
		Detect:   detectPlain,
		Parse:    parsePlain,
		Fallback: plainFallback,
	})
}

// plainFallback is the confidence, when the investigator has said the file
// is a transcript and no transcript format recognised it, that it is prose
// to import as text: 1 for text that is neither markup nor JSON and that
// no format of another kind (a log) recognises, else 0.
func plainFallback(name string, head []byte) int {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) || (SniffEncoding(head) != EncUTF16LE && SniffEncoding(head) != EncUTF16BE && bytes.IndexByte(head, 0) >= 0) {
		return 0 // a zip container (xlsx, docx) or binary data
	}
	text := strings.TrimSpace(headText(head))
	if text == "" || text[0] == '<' || text[0] == '{' || looksTabular(logHeadLines(head, 20)) {
		return 0
	}
	if text[0] == '[' { // a JSON array, not "[00:01:02] text"
		if r := strings.TrimLeft(text[1:], " \t\n"); r == "" || strings.ContainsAny(r[:1], "{[\"]") {
			return 0
		}
	}
	for _, f := range Formats() {
		if f.Kind != model.KindTranscript && f.Detect(name, head) > 0 {
			return 0
		}
	}
	return 1
}

// looksTabular reports whether two or more lines all hold the same number
// (two or more) of commas, tabs or semicolons: a table, not prose.
func looksTabular(lines []string) bool {
	if len(lines) < 2 {
		return false
	}
	for _, sep := range []string{",", "\t", ";"} {
		n := strings.Count(lines[0], sep)
		same := n >= 2
		for _, l := range lines[1:] {
			if !same {
				break
			}
			same = strings.Count(l, sep) == n
		}
		if same {
			return true
		}
	}
	return false
}

// splitPlainTime takes a leading time off a line; ms is -1 when there is none.
func splitPlainTime(s string) (ms int64, rest string) {
	m := plainTime.FindStringSubmatchIndex(s)
	if m == nil {
		return -1, s
	}
	v, ok := parseClock(s[m[2]:m[3]])
	if !ok {
		return -1, s
	}
	return v, s[m[1]:]
}

// plainMatch matches a "Name: text" line, checking cheaply first that a
// colon comes early enough.
func plainMatch(s string) []string {
	if i := strings.IndexByte(s, ':'); i < 1 || i > 400 {
		return nil
	}
	return plainSpeaker.FindStringSubmatch(s)
}

// detectPlain is confident when most non-blank lines of the head look like
// "Name: text". It scores at most 60, below every more specific format.
func detectPlain(name string, head []byte) int {
	lines, hits := 0, 0
	for _, l := range headLines(head, 400) {
		l = strings.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		lines++
		if plainMatch(l) != nil {
			hits++
		}
		if lines >= 200 {
			break
		}
	}
	if lines == 0 || hits == 0 {
		return 0
	}
	score := hits * 60 / lines
	if hits >= 2 && score >= 20 {
		return score
	}
	return 0
}

func parsePlain(ctx context.Context, in Input, sink Sink) (Meta, error) {
	lr, err := NewLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	var cur *model.Segment
	var curEnd int64
	var warn warnings
	seq := 0
	flush := func() error {
		if cur == nil {
			return nil
		}
		cur.Text = cleanChat(cur.Text)
		cur.Length = curEnd - cur.Offset
		s := cur
		cur = nil
		return sink.Segment(s)
	}
	for {
		if seq%1024 == 0 {
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
		text := strings.TrimSpace(l.Text)
		if text == "" {
			if err := flush(); err != nil {
				return Meta{}, err
			}
			continue
		}
		ms, rest := splitPlainTime(text)
		if m := plainMatch(rest); m != nil {
			if err := flush(); err != nil {
				return Meta{}, err
			}
			seq++
			cur = &model.Segment{Seq: seq, StartMS: ms, EndMS: -1, Speaker: NormalizeSpeaker(m[1]),
				Text: m[2], Line: l.No, Offset: l.Offset}
			curEnd = l.Offset + int64(l.Len)
			continue
		}
		if ms >= 0 && strings.TrimSpace(rest) != "" {
			// A timed line without a speaker starts its own segment.
			if err := flush(); err != nil {
				return Meta{}, err
			}
			seq++
			cur = &model.Segment{Seq: seq, StartMS: ms, EndMS: -1, Text: strings.TrimSpace(rest), Line: l.No, Offset: l.Offset}
			curEnd = l.Offset + int64(l.Len)
			continue
		}
		if cur == nil {
			seq++
			cur = &model.Segment{Seq: seq, StartMS: -1, EndMS: -1, Text: text, Line: l.No, Offset: l.Offset}
			warn.add(l.No, "text without a speaker")
		} else {
			cur.Text += " " + text
		}
		curEnd = l.Offset + int64(l.Len)
	}
	if err := flush(); err != nil {
		return Meta{}, err
	}
	if seq == 0 {
		return Meta{}, Errorf(in.Name, 0, "no transcript segments found")
	}
	warn.flush(sink)
	if n := lr.Invalid(); n > 0 {
		sink.Warn(0, itoa(n)+" lines held bytes invalid in "+lr.Encoding())
	}
	return transcriptMeta(in, lr.Encoding(), "", ""), nil
}
