package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Streaming JSON records, shared by the JSON access-log formats. A file is
// read in one of two modes, chosen from its first line:
//
//   - lines: JSON Lines, one object per line (a malformed line is one
//     rejected record, the rest still import). A line that is a wrapper
//     object such as {"Records":[…]} yields its elements.
//   - tokens: a JSON array of objects, a wrapper object ({"Records":[…]},
//     {"value":[…]}, {"entries":[…]}), or pretty-printed objects one after
//     another. Streamed with json.Decoder tokens: one object is held at a
//     time, never the whole file. A syntax error ends the file: the rest is
//     one rejected record (nothing after it can be trusted).
//
// Offsets are exact byte offsets in the original for UTF-8 (with or without
// BOM); for UTF-16 files, offsets in token mode are in the decoded text.

// jsonRecord is one object found in the stream.
type jsonRecord struct {
	raw  []byte            // the object's bytes as written
	off  int64             // byte offset of its first byte in the original
	line int               // 1-based line of its first byte
	n    int               // 1-based record number (good and bad)
	flat map[string]string // dotted key -> value; nil when bad
	bad  string            // why it is refused, "" when good
}

// wrapperKeys name arrays of records inside a wrapper object ("Events" is
// what `aws cloudtrail lookup-events --output json` prints).
var wrapperKeys = []string{"Records", "records", "value", "entries", "events", "Events", "logs", "data", "items"}

// maxFlatKeys bounds the keys taken from one object.
const maxFlatKeys = 4096

// flatten adds v's scalar leaves to out under dotted keys ("a.b.c"; array
// elements by index, "a.0.b").
func flatten(prefix string, v any, out map[string]string, depth int) {
	if len(out) >= maxFlatKeys || depth > 32 {
		return
	}
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			flatten(join(k), c, out, depth+1)
		}
	case []any:
		for i, c := range x {
			flatten(join(strconv.Itoa(i)), c, out, depth+1)
		}
	case string:
		out[prefix] = x
	case json.Number:
		out[prefix] = x.String()
	case bool:
		out[prefix] = strconv.FormatBool(x)
	case nil:
	}
}

// decodeObject parses one record's bytes into flattened keys.
func decodeObject(raw []byte) (map[string]string, string) {
	if !utf8.Valid(raw) {
		return nil, "invalid UTF-8"
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, "malformed JSON: " + err.Error()
	}
	if d.More() {
		return nil, "malformed JSON: more than one value on the line"
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, "not a JSON object"
	}
	out := make(map[string]string, len(m)*2)
	flatten("", m, out, 0)
	return out, ""
}

// jsonLineMode reports whether head is JSON Lines: its first non-blank line
// is a complete JSON object.
func jsonLineMode(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	for len(head) > 0 {
		line, rest, found := bytes.Cut(head, []byte{'\n'})
		t := bytes.TrimSpace(line)
		if len(t) == 0 {
			if !found {
				return false
			}
			head = rest
			continue
		}
		return t[0] == '{' && found && json.Valid(t) || t[0] == '{' && !found && json.Valid(t) && len(head) < HeadSize
	}
	return false
}

// streamJSON reads in's records and calls fn for each, good or bad.
func streamJSON(ctx context.Context, in Input, fn func(*jsonRecord) error) (string, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return "", err
	}
	br := bufio.NewReaderSize(in.R, HeadSize)
	head, _ := br.Peek(HeadSize)
	s := &jsonStreamer{ctx: ctx, name: in.Name, fn: fn}
	if jsonLineMode(head) {
		return s.lines(br, in.Opts.LineLimit())
	}
	dr, enc, err := NewOffsetReader(br)
	if err != nil {
		return "", Errorf(in.Name, 0, "read: %v", err)
	}
	return enc, s.tokens(dr, dr.SourceOffset, 1, in.Opts.LineLimit())
}

type jsonStreamer struct {
	ctx  context.Context
	name string
	fn   func(*jsonRecord) error
	n    int
}

func (s *jsonStreamer) emit(raw []byte, off int64, line int, bad string) error {
	s.n++
	if s.n%4096 == 0 {
		if err := s.ctx.Err(); err != nil {
			return err
		}
	}
	r := &jsonRecord{raw: raw, off: off, line: line, n: s.n, bad: bad}
	if bad == "" {
		r.flat, r.bad = decodeObject(raw)
	}
	return s.fn(r)
}

func (s *jsonStreamer) lines(r io.Reader, limit int) (string, error) {
	lr, err := NewLineReader(s.name, r, limit)
	if err != nil {
		return "", err
	}
	for {
		inv := lr.Invalid()
		l, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return lr.Encoding(), nil
		}
		if err != nil {
			return "", err
		}
		t := strings.TrimSpace(l.Text)
		if t == "" {
			continue
		}
		lead := int64(strings.Index(l.Text, t[:1]))
		if lr.Invalid() > inv {
			if err := s.emit([]byte(l.Text), l.Offset+lead, l.No, "invalid UTF-8"); err != nil {
				return "", err
			}
			continue
		}
		if isWrapperLine(t) {
			// {"Records":[…]} on one line: its elements are the records.
			// Offsets inside the line are exact for UTF-8; in other
			// encodings they are kept inside the line.
			at := func(d int64) int64 { return l.Offset + min(d, int64(l.Len)) }
			if err := s.tokens(strings.NewReader(l.Text), at, l.No, limit); err != nil {
				return "", err
			}
			continue
		}
		if err := s.emit([]byte(t), l.Offset+lead, l.No, ""); err != nil {
			return "", err
		}
	}
}

// isWrapperLine reports whether a line is a wrapper of records (see
// wrapperShape): an object holding an array of objects under a wrapper key.
func isWrapperLine(t string) bool {
	if !strings.HasPrefix(t, "{") {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(t), &m) != nil {
		return false
	}
	records := false
	for k, v := range m {
		v = bytes.TrimSpace(v)
		if isWrapperKey(k) && len(v) > 0 && v[0] == '[' && objectArray(v[1:]) {
			records = true
			continue
		}
		if recordValue(k, v) {
			return false
		}
	}
	return records
}

// An object holding an array under a wrapper key ("events", "items",
// "data", …) is a wrapper of records only when it reads as a response or
// export envelope: its other keys hold scalars, arrays of scalars, or
// envelope metadata (wrapperMeta). It is a record itself when another key
// holds an object or an array of objects (a Workspace activity has "actor"
// and "id" beside its "events"), or a key named as a time holds a time
// (wrapperTimeKeys). In token mode the decision is made when the array is
// reached, from the keys before it: a record whose array comes before its
// first object-valued key is still read as a wrapper.
var (
	wrapperMeta = map[string]bool{"meta": true, "metadata": true, "_meta": true, "links": true, "_links": true,
		"pagination": true, "paging": true, "page": true, "response_metadata": true, "included": true,
		"errors": true, "warnings": true, "query": true, "request": true, "summary": true, "@odata.context": true}
	wrapperTimeKeys = map[string]bool{"time": true, "timestamp": true, "@timestamp": true, "eventTime": true,
		"event_time": true, "ts": true, "date": true, "datetime": true, "published": true}
)

// recordValue reports whether the value v under key k (not a wrapper
// array) makes its object a record rather than a wrapper.
func recordValue(k string, v []byte) bool {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || wrapperMeta[k] {
		return false
	}
	switch v[0] {
	case '{':
		return true
	case '[':
		return objectArray(v[1:]) && !isWrapperKey(k) && !emptyArray(v[1:])
	case '"':
		var s string
		return wrapperTimeKeys[k] && json.Unmarshal(v, &s) == nil && looksTime(s)
	}
	return false
}

// objectArray reports whether rest, the bytes after an array's '[', starts
// an array of objects or an empty array.
func objectArray(rest []byte) bool {
	rest = bytes.TrimLeft(rest, " \t\r\n")
	return len(rest) > 0 && (rest[0] == '{' || rest[0] == ']')
}

// emptyArray reports whether rest, the bytes after an array's '[', closes it.
func emptyArray(rest []byte) bool {
	rest = bytes.TrimLeft(rest, " \t\r\n")
	return len(rest) > 0 && rest[0] == ']'
}

// lineTracker is a trackReader that also counts lines up to its base.
type lineTracker struct {
	trackReader
	lineBase int // line number at base
}

func (t *lineTracker) lineAt(off int64) int {
	k := off - t.base
	if k < 0 || k > int64(len(t.win)) {
		return t.lineBase
	}
	return t.lineBase + bytes.Count(t.win[:k], []byte{'\n'})
}

// objectArrayAt reports whether the bytes from off, just after an array's
// '[', start an array of objects (or an empty one). When the decoder has not
// read that far yet the array is taken for one of objects.
func (t *lineTracker) objectArrayAt(off int64) bool {
	k := off - t.base
	if k < 0 || k > int64(len(t.win)) {
		return true
	}
	rest := bytes.TrimLeft(t.win[k:], " \t\r\n")
	return len(rest) == 0 || objectArray(rest)
}

func (t *lineTracker) forgetTo(off int64) {
	t.lineBase = t.lineAt(off)
	t.forget(off)
}

// errStreamEnd stops a token stream after its rest was refused.
var errStreamEnd = errors.New("end of the readable JSON")

// tokens streams r (UTF-8 text starting on line firstLine, whose offset d
// sits at byte at(d) of the original) with json.Decoder tokens.
func (s *jsonStreamer) tokens(r io.Reader, at func(int64) int64, firstLine, limit int) error {
	if err := s.tokenStream(r, at, firstLine, limit); !errors.Is(err, errStreamEnd) {
		return err
	}
	return nil
}

func (s *jsonStreamer) tokenStream(r io.Reader, at func(int64) int64, firstLine, limit int) error {
	lt := &lineTracker{trackReader: trackReader{r: r, max: limit + 64<<10, name: s.name}, lineBase: firstLine}
	dec := json.NewDecoder(lt)
	dec.UseNumber()
	found := s.n
	valueStart := int64(-1) // where the value being decoded began, for its errors
	fail := func(err error) error {
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) && valueStart >= 0 {
			off = valueStart + se.Offset - 1
		}
		// The decoder stops before the white space and comma that lead to
		// the bad byte; name the line of the bad byte itself.
		for k := off - lt.base; k >= 0 && k < int64(len(lt.win)) && strings.IndexByte(" \t\r\n,:", lt.win[k]) >= 0; k++ {
			off++
		}
		line := lt.lineAt(off)
		var ie *Error
		if errors.As(err, &ie) {
			return err
		}
		if s.n == found && found == 0 {
			return Errorf(s.name, line, "not JSON records: %v", err)
		}
		// The stream cannot be trusted past this point: refuse the rest.
		rest := lt.cut(lt.base, lt.base+int64(len(lt.win)))
		more, _ := io.ReadAll(io.LimitReader(lt.r, maxRejectRaw))
		rest = append(append([]byte(nil), rest...), more...)
		s.n++
		if err := s.fn(&jsonRecord{raw: rest, off: at(lt.base), line: lt.lineBase, n: s.n,
			bad: fmt.Sprintf("malformed JSON at line %d (%v); the rest of the file could not be read", line, err)}); err != nil {
			return err
		}
		return errStreamEnd
	}
	array := func() error {
		for dec.More() {
			var raw json.RawMessage
			valueStart = dec.InputOffset()
			if err := dec.Decode(&raw); err != nil {
				return fail(err)
			}
			valueStart = -1
			end := dec.InputOffset()
			start := end - int64(len(raw))
			line := lt.lineAt(start)
			lt.forgetTo(end)
			bad := ""
			if len(raw) == 0 || raw[0] != '{' {
				bad = "not a JSON object"
			}
			if err := s.emit(raw, at(start), line, bad); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // ]
			return fail(err)
		}
		return nil
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fail(err)
		}
		switch tok {
		case json.Delim('['):
			lt.forgetTo(dec.InputOffset())
			if err := array(); err != nil {
				return err
			}
		case json.Delim('{'):
			start := dec.InputOffset() - 1
			lt.forgetTo(start)
			// wrapper: an array of records was streamed from this object;
			// record: a key before any such array shows the object is a
			// record itself (see isWrapperLine).
			wrapper, record := false, false
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return fail(err)
				}
				key, _ := kt.(string)
				if isWrapperKey(key) && !record {
					t, err := dec.Token()
					if err != nil {
						return fail(err)
					}
					if t == json.Delim('[') && lt.objectArrayAt(dec.InputOffset()) {
						wrapper = true
						lt.forgetTo(dec.InputOffset())
						if err := array(); err != nil {
							return err
						}
						continue
					}
					if d, ok := t.(json.Delim); ok {
						if err := skipJSON(dec, d); err != nil {
							return fail(err)
						}
						record = record || d == json.Delim('{')
					}
					if wrapper {
						lt.forgetTo(dec.InputOffset())
					}
					continue
				}
				var skip json.RawMessage
				valueStart = dec.InputOffset()
				if err := dec.Decode(&skip); err != nil {
					return fail(err)
				}
				valueStart = -1
				if wrapper {
					lt.forgetTo(dec.InputOffset())
				} else if recordValue(key, skip) {
					record = true
				}
			}
			if _, err := dec.Token(); err != nil { // }
				return fail(err)
			}
			end := dec.InputOffset()
			if !wrapper {
				raw := append([]byte(nil), lt.cut(start, end)...)
				line := lt.lineAt(start)
				lt.forgetTo(end)
				if err := s.emit(raw, at(start), line, ""); err != nil {
					return err
				}
			}
			lt.forgetTo(end)
		default:
			end := dec.InputOffset()
			if err := s.emit([]byte(fmt.Sprint(tok)), at(end-1), lt.lineAt(end), "not a JSON object"); err != nil {
				return err
			}
			lt.forgetTo(end)
		}
	}
}

func isWrapperKey(k string) bool {
	for _, w := range wrapperKeys {
		if k == w {
			return true
		}
	}
	return false
}

// skipJSON consumes tokens up to the end of the object or array opened by d.
func skipJSON(dec *json.Decoder, d json.Delim) error {
	depth := 1
	for depth > 0 {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
	}
	return nil
}

// headRecords returns the flattened keys of up to n good records in head,
// for detection. A head cut mid-record yields the records before the cut.
func headRecords(head []byte, n int) []map[string]string {
	if IsGzip(head) {
		head, _, _ = DecompressedHead("", head)
	}
	var out []map[string]string
	stop := errors.New("enough")
	_, _ = streamJSON(context.Background(), Input{Name: "head", R: bytes.NewReader(head), Size: int64(len(head))},
		func(r *jsonRecord) error {
			if r.flat != nil {
				out = append(out, r.flat)
			}
			if len(out) >= n {
				return stop
			}
			return nil
		})
	return out
}

// firstNonSpace returns the first byte of head that is not white space or a BOM.
func firstNonSpace(head []byte) byte {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	if len(head) == 0 {
		return 0
	}
	return head[0]
}
