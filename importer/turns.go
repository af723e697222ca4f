package importer

import (
	"context"
	"errors"
	"io"
	"strings"

	"casebook/model"
)

// Line-oriented transcripts made of speaker turns (Otter, Rev, hearings):
// a turn header names the speaker (and maybe a time and the first words),
// text lines follow, and a blank line ends the paragraph. A paragraph
// without a header after a blank line is a new segment by the same speaker.

// maxPreamble and maxPreambleBytes bound the text held back before the
// first turn proves the format.
const (
	maxPreamble      = 5000
	maxPreambleBytes = 8 << 20
)

// turnHeader is what a turn header line says.
type turnHeader struct {
	speaker string
	startMS int64 // -1 when the header has no time
	text    string
}

// turnSpec describes one turn-based format.
type turnSpec struct {
	what   string                               // format description for errors
	header func(line string) (turnHeader, bool) // recognises a turn header
	skip   func(line string) bool               // lines that are not transcript (trailers)
	title  bool                                 // the first line before any turn is a title
}

// countTurnHeaders counts the head's lines that are turn headers and the
// non-blank lines, for detection.
func countTurnHeaders(head []byte, spec turnSpec) (hits, lines int) {
	for _, l := range headLines(head, 400) {
		if strings.TrimSpace(l) == "" {
			continue
		}
		lines++
		if _, ok := spec.header(l); ok {
			hits++
		}
	}
	return hits, lines
}

func parseTurns(ctx context.Context, in Input, sink Sink, spec turnSpec) (Meta, error) {
	lr, err := NewLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	w := newSegWriter(ctx, sink)
	var warn warnings
	var (
		cur     *model.Segment
		raw     strings.Builder
		speaker string
		turns   int
		title   string
		date    string
		lastMS  = int64(-1)
		pending []*model.Segment
	)
	flush := func() error {
		if cur == nil {
			return nil
		}
		cur.Text = cleanText(raw.String())
		raw.Reset()
		s := cur
		cur = nil
		if turns == 0 {
			// Nothing is sent before the first turn proves the format.
			pending = append(pending, s)
			return nil
		}
		return w.emit(s)
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
		if t == "" {
			if err := flush(); err != nil {
				return Meta{}, err
			}
			continue
		}
		if spec.skip != nil && spec.skip(t) {
			continue
		}
		if h, ok := spec.header(l.Text); ok {
			if err := flush(); err != nil {
				return Meta{}, err
			}
			turns++
			for _, p := range pending {
				if err := w.emit(p); err != nil {
					return Meta{}, err
				}
			}
			pending = nil
			speaker = h.speaker
			cur = newSeg(l.No, l.Offset)
			cur.Speaker, cur.StartMS = h.speaker, h.startMS
			cur.Length = int64(l.Len)
			raw.WriteString(h.text)
			raw.WriteByte(' ')
			if h.startMS >= 0 {
				if lastMS >= 0 && h.startMS < lastMS {
					warn.add(l.No, "time goes backwards")
				}
				lastMS = h.startMS
			}
			continue
		}
		if turns == 0 {
			if l.No > maxPreamble || l.Offset > maxPreambleBytes {
				return Meta{}, Errorf(in.Name, l.No, "not %s: no speaker turn in the first %d lines", spec.what, maxPreamble)
			}
			if date == "" {
				date = dateInText(t)
			}
			if spec.title && title == "" && cur == nil && len(t) <= 200 {
				title = cleanText(strings.TrimLeft(t, "# "))
				continue
			}
		}
		if cur == nil {
			cur = newSeg(l.No, l.Offset)
			cur.Speaker = speaker
		}
		cur.Length = l.Offset + int64(l.Len) - cur.Offset
		raw.WriteString(l.Text)
		raw.WriteByte(' ')
	}
	if err := flush(); err != nil {
		return Meta{}, err
	}
	if turns == 0 {
		return Meta{}, Errorf(in.Name, 0, "not %s: no speaker turns found", spec.what)
	}
	warn.flush(sink)
	if n := lr.Invalid(); n > 0 {
		sink.Warn(0, itoa(n)+" lines held bytes invalid in "+lr.Encoding())
	}
	return transcriptMeta(in, lr.Encoding(), title, date), nil
}
