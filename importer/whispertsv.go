package importer

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	"casebook/model"
)

// Whisper TSV: a "start<TAB>end<TAB>text" header, then one row per segment
// with times in integer milliseconds. A "speaker" column, when present, is
// read too. Rows that cannot be read are rejected, not guessed.

func init() {
	Register(Format{
		Name:    "whisper-tsv",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "Whisper TSV transcript (start, end in ms, text)",
		Detect:  detectWhisperTSV,
		Parse:   parseWhisperTSV,
	})
}

// whisperTSVColumns maps the header's columns; ok when start, end and text
// are all there.
func whisperTSVColumns(header string) (cols map[string]int, n int, ok bool) {
	fields := strings.Split(header, "\t")
	cols = map[string]int{}
	for i, f := range fields {
		cols[strings.ToLower(strings.TrimSpace(f))] = i
	}
	_, s := cols["start"]
	_, e := cols["end"]
	_, t := cols["text"]
	return cols, len(fields), s && e && t && len(fields) <= 4
}

func detectWhisperTSV(name string, head []byte) int {
	lines := headLines(head, 3)
	if len(lines) == 0 {
		return 0
	}
	if _, _, ok := whisperTSVColumns(strings.TrimPrefix(lines[0], "\ufeff")); !ok {
		return 0
	}
	if nameHas(name, ".tsv") {
		return 96
	}
	return 94
}

func parseWhisperTSV(ctx context.Context, in Input, sink Sink) (Meta, error) {
	lr, err := NewLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	h, err := lr.Next()
	if errors.Is(err, io.EOF) {
		return Meta{}, Errorf(in.Name, 0, "not a Whisper TSV file: empty")
	}
	if err != nil {
		return Meta{}, err
	}
	cols, ncols, ok := whisperTSVColumns(strings.TrimPrefix(h.Text, "\ufeff"))
	if !ok {
		return Meta{}, Errorf(in.Name, 1, "not a Whisper TSV file: header is not start, end, text")
	}
	sp, hasSpeaker := cols["speaker"]
	w := newSegWriter(ctx, sink)
	var warn warnings
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
		if strings.TrimSpace(l.Text) == "" {
			continue
		}
		f := strings.SplitN(l.Text, "\t", ncols)
		if len(f) < ncols {
			if err := sink.Reject(Rejection{Line: l.No, Raw: validRaw([]byte(l.Text)), Reason: "expected " + itoa(ncols) + " tab-separated columns, found " + itoa(len(f))}); err != nil {
				return Meta{}, err
			}
			continue
		}
		start, err1 := strconv.ParseInt(strings.TrimSpace(f[cols["start"]]), 10, 64)
		end, err2 := strconv.ParseInt(strings.TrimSpace(f[cols["end"]]), 10, 64)
		if err1 != nil || err2 != nil || start < 0 || end < 0 || start > maxMS || end > maxMS {
			if err := sink.Reject(Rejection{Line: l.No, Raw: validRaw([]byte(l.Text)), Reason: "start and end must be whole milliseconds"}); err != nil {
				return Meta{}, err
			}
			continue
		}
		if end < start {
			warn.add(l.No, "segment ends before it starts")
		}
		s := newSeg(l.No, l.Offset)
		s.StartMS, s.EndMS, s.Length = start, end, int64(l.Len)
		s.Text = cleanChat(f[cols["text"]])
		if hasSpeaker {
			s.Speaker = NormalizeSpeaker(strings.ReplaceAll(f[sp], "_", " "))
		}
		if s.Text == "" {
			warn.add(l.No, "empty segment")
		}
		if err := w.emit(s); err != nil {
			return Meta{}, err
		}
	}
	warn.flush(sink)
	if n := lr.Invalid(); n > 0 {
		sink.Warn(0, itoa(n)+" lines held bytes invalid in "+lr.Encoding())
	}
	return transcriptMeta(in, lr.Encoding(), "", ""), nil
}
