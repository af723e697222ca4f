package importer

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"

	"casebook/model"
)

// The generic "Name: text" transcript: one utterance per line, a speaker
// name, a colon, the words. Lines without a speaker continue the previous
// utterance; blank lines end it.

var plainSpeaker = regexp.MustCompile(`^\s*([\p{L}\p{M}][\p{L}\p{M}\p{N} .'’\-()]{0,60}?)\s*:\s+(\S.*)$`)

func init() {
	Register(Format{
		Name:    "plain-transcript",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "Plain-text transcript (Name: text)",
		Detect:  detectPlain,
		Parse:   parsePlain,
	})
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
		if m := plainMatch(text); m != nil {
			if err := flush(); err != nil {
				return Meta{}, err
			}
			seq++
			cur = &model.Segment{Seq: seq, StartMS: -1, EndMS: -1, Speaker: NormalizeSpeaker(m[1]),
				Text: m[2], Line: l.No, Offset: l.Offset}
			curEnd = l.Offset + int64(l.Len)
			continue
		}
		if cur == nil {
			seq++
			cur = &model.Segment{Seq: seq, StartMS: -1, EndMS: -1, Text: text, Line: l.No, Offset: l.Offset}
			sink.Warn(l.No, "text without a speaker")
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
	if n := lr.Invalid(); n > 0 {
		sink.Warn(0, itoa(n)+" lines held bytes invalid in "+lr.Encoding())
	}
	return transcriptMeta(in, lr.Encoding(), "", ""), nil
}
