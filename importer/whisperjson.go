package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"casebook/model"
)

// Whisper JSON: {"text": …, "segments": [{"start": s, "end": s, "text": …},
// …], "language": …}, as written by openai/whisper (and WhisperX, which adds
// "speaker"). The file is streamed token by token; each segment's Offset is
// where its object starts in the file and Length the bytes it spans. Times
// are seconds, turned into milliseconds.

func init() {
	Register(Format{
		Name:    "whisper-json",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "Whisper JSON transcript",
		Detect:  detectWhisperJSON,
		Parse:   parseWhisperJSON,
	})
}

func detectWhisperJSON(name string, head []byte) int {
	s := strings.TrimSpace(headText(head))
	if !strings.HasPrefix(s, "{") || !strings.Contains(s, `"segments"`) {
		return 0
	}
	if strings.Contains(s, `"start"`) && strings.Contains(s, `"end"`) {
		return 92
	}
	return 60
}

// newlineCounter counts bytes and remembers where lines end, so that a byte
// offset already read can be turned into a line number. Queries must not go
// backwards; lines before the last query are forgotten.
type newlineCounter struct {
	r     io.Reader
	n     int64
	nl    []int64
	lines int // newlines before the oldest kept one
	// dec and max bound what the JSON decoder holds: a single value longer
	// than max bytes is an error, not a gigabyte in memory.
	dec  *json.Decoder
	max  int64
	name string
}

func (c *newlineCounter) Read(p []byte) (int, error) {
	if c.dec != nil && c.n-c.dec.InputOffset() > c.max {
		return 0, Errorf(c.name, c.line(c.dec.InputOffset()), "a JSON value runs on for more than %d MiB", c.max>>20)
	}
	n, err := c.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\n')
		if j < 0 {
			break
		}
		c.nl = append(c.nl, c.n+int64(i+j))
		i += j + 1
	}
	c.n += int64(n)
	return n, err
}

// line returns the 1-based line holding offset off.
func (c *newlineCounter) line(off int64) int {
	k := 0
	for k < len(c.nl) && c.nl[k] < off {
		k++
	}
	c.lines += k
	c.nl = c.nl[k:]
	return c.lines + 1
}

// whisperSeg is one element of "segments"; times are kept raw so that
// numbers written as strings are still read.
type whisperSeg struct {
	Start   json.RawMessage `json:"start"`
	End     json.RawMessage `json:"end"`
	Text    string          `json:"text"`
	Speaker string          `json:"speaker"`
}

func jsonSeconds(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return -1, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return -1, false
	}
	ms, ok := secondsToMS(f)
	if !ok {
		return -1, false
	}
	return ms, true
}

func parseWhisperJSON(ctx context.Context, in Input, sink Sink) (Meta, error) {
	br := bufio.NewReaderSize(in.R, HeadSize)
	head, _ := br.Peek(HeadSize)
	enc := SniffEncoding(head)
	var r io.Reader = br
	exact := true // offsets in the decoded stream are the file's own
	switch enc {
	case EncUTF8, EncUTF8BOM:
		_, _ = br.Discard(BOMLen(enc))
	case EncUTF16LE, EncUTF16BE:
		_, _ = br.Discard(BOMLen(enc))
		r, exact = Decoder(enc).Reader(br), false
	default:
		enc = EncUTF8 // JSON is UTF-8; stray bytes are the decoder's to refuse
	}
	base := int64(BOMLen(enc))
	nc := &newlineCounter{r: r, max: 4 * int64(in.Opts.LineLimit()), name: in.Name}
	dec := json.NewDecoder(nc)
	nc.dec = dec
	var warn warnings
	w := newSegWriter(ctx, sink)
	fail := func(err error) error {
		var ie *Error
		if errors.As(err, &ie) {
			return err
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return Errorf(in.Name, nc.line(se.Offset), "bad JSON: %v", err)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return Errorf(in.Name, 0, "bad JSON: unexpected end of file")
		}
		return Errorf(in.Name, 0, "bad JSON: %v", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return Meta{}, fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return Meta{}, Errorf(in.Name, 1, "not a Whisper JSON file: no top-level object")
	}
	found := false
	for dec.More() {
		if err := ctx.Err(); err != nil {
			return Meta{}, err
		}
		tok, err := dec.Token()
		if err != nil {
			return Meta{}, fail(err)
		}
		key, _ := tok.(string)
		if key != "segments" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return Meta{}, fail(err)
			}
			continue
		}
		tok, err = dec.Token()
		if err != nil {
			return Meta{}, fail(err)
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return Meta{}, Errorf(in.Name, nc.line(dec.InputOffset()), "not a Whisper JSON file: \"segments\" is not a list")
		}
		found = true
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return Meta{}, fail(err)
			}
			end := dec.InputOffset()
			start := end - int64(len(raw))
			line := nc.line(start)
			var ws whisperSeg
			if err := json.Unmarshal(raw, &ws); err != nil {
				warn.add(line, "segment is not an object with start, end and text")
				continue
			}
			s := newSeg(line, 0)
			if exact {
				s.Offset, s.Length = base+start, int64(len(raw))
			}
			var ok1, ok2 bool
			s.StartMS, ok1 = jsonSeconds(ws.Start)
			s.EndMS, ok2 = jsonSeconds(ws.End)
			if !ok1 || !ok2 {
				warn.add(line, "bad timestamp")
			}
			s.Speaker = NormalizeSpeaker(strings.ReplaceAll(ws.Speaker, "_", " "))
			s.Text = cleanChat(ws.Text)
			if s.Text == "" {
				warn.add(line, "empty segment")
			}
			if err := w.emit(s); err != nil {
				return Meta{}, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return Meta{}, fail(err)
		}
	}
	if !found {
		return Meta{}, Errorf(in.Name, 0, "not a Whisper JSON file: no \"segments\" list")
	}
	if _, err := dec.Token(); err != nil { // }
		return Meta{}, fail(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		warn.add(nc.line(dec.InputOffset()), "data after the end of the JSON object ignored")
	}
	if !exact {
		sink.Warn(0, "UTF-16 JSON: segment offsets are not recorded")
	}
	warn.flush(sink)
	return transcriptMeta(in, enc, "", ""), nil
}
