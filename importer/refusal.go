package importer

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"casebook/model"
)

// Refusals that say why and what next. When no format recognises a file,
// Detect names what it saw (the encoding and the first line, the columns of
// a table, the keys of a JSON record), the nearest formats with their
// confidence and why each did not fit, and the way forward: `casebook
// formats`, `--format NAME`, `--map ROLE=COLUMN`.

// refusalWayForward ends every refusal.
const refusalWayForward = "list what Casebook reads with `casebook formats`, force one with `--format NAME`, " +
	"or place the columns of a table or JSON log with `--map time=COLUMN,actor=COLUMN`"

// refusal explains why no format of kind ("" for any) recognised head.
func refusal(name string, head []byte, kind model.SourceKind) string {
	var parts []string
	if bytes.HasPrefix(head, zipMagic) {
		var names []string
		for _, e := range zipHeadEntries(head, 8) {
			names = append(names, e.name)
		}
		parts = append(parts, "seen: a zip container whose first entries are "+cutText(strings.Join(names, ", "), 200)+
			" (an .xlsx or .docx is read by its content; a zip of logs or transcripts is unpacked by import)")
		return strings.Join(append(parts, refusalWayForward), "; ")
	}
	enc := "text"
	text := string(head)
	if r, e, err := DecodedReader(bytes.NewReader(head)); err == nil {
		enc = e + " text"
		if b, err := io.ReadAll(r); err == nil {
			text = string(b)
		}
	}
	text = strings.TrimPrefix(text, "\uFEFF")
	parts = append(parts, "seen: "+enc+", "+describeContent(text, head))
	var near []string
	// Formats of another kind that recognise the file.
	if kind != "" {
		for _, f := range Formats() {
			if f.Kind != kind {
				if s := f.Detect(name, head); s > 0 {
					near = append(near, fmt.Sprintf("%s at %d%% (%s, not a %s: drop --kind %s)", f.Name, s, f.Kind, kind, kind))
				}
			}
		}
	}
	if kind != model.KindTranscript {
		near = append(near, nearestTabular(text, head)...)
	}
	if len(near) > 0 {
		parts = append(parts, "nearest: "+strings.Join(near, "; "))
	}
	parts = append(parts, refusalWayForward)
	return strings.Join(parts, "; ")
}

// describeContent names what head holds: the keys of its first JSON
// record, the columns of its header, or its first line.
func describeContent(text string, head []byte) string {
	c := firstNonSpace([]byte(text))
	if c == '{' || c == '[' {
		if recs := headRecords([]byte(text), 1); len(recs) > 0 {
			return "JSON whose first record has the keys " + cutText(strings.Join(topKeys(recs[0]), ", "), 200)
		}
		return "JSON-like text that does not read as JSON records (first line " + quote(firstLine(text)) + ")"
	}
	if cols, _ := headerFields([]byte(text)); len(cols) >= 3 && tabularHead(text) {
		return fmt.Sprintf("a table of %d columns: %s", len(cols), cutText(strings.Join(cols, ", "), 200))
	}
	return "first line " + quote(firstLine(text))
}

// nearestTabular says why a table or JSON log was not taken as an access
// log: which roles its header placed and which key role is missing.
func nearestTabular(text string, head []byte) []string {
	var header []string
	var sample [][]string
	format := "csv-accesslog"
	c := firstNonSpace([]byte(text))
	switch {
	case c == '{' || c == '[':
		recs := headRecords([]byte(text), 20)
		if len(recs) == 0 {
			return nil
		}
		header = keyHeader(recs)
		sample = keySample(header, recs)
		format = "jsonl-accesslog"
	default:
		cols, _ := headerFields([]byte(text))
		if len(cols) < 2 || !tabularHead(text) {
			return nil
		}
		header = cols
	}
	g := DetectRoles(header, sample)
	var placed []string
	for _, r := range Roles {
		if p, ok := g.Placed[r]; ok {
			placed = append(placed, r+"="+p.Header)
		}
	}
	sort.Strings(placed)
	score := detectCSVLog("", head)
	if format == "jsonl-accesslog" {
		score = detectJSONL("", head)
	}
	why := "no column names a time"
	if g.Col("time") >= 0 {
		sure := 0
		for _, p := range g.Placed {
			if p.By == "name" && p.Confidence >= 0.6 {
				sure++
			}
		}
		why = fmt.Sprintf("%d of the columns name a role surely enough, 3 are needed", sure)
	}
	if len(placed) == 0 {
		return []string{fmt.Sprintf("%s at %d%% (no column name matches a role: %s)", format, score, why)}
	}
	return []string{fmt.Sprintf("%s at %d%% (%s; placed %s)", format, score, why, cutText(strings.Join(placed, ", "), 200))}
}

// tabularHead reports whether the first lines of text split into the same
// number (at least 2) of fields by one delimiter.
func tabularHead(text string) bool {
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 2 {
		return false
	}
	d := byte(sniffDelimiter([]byte(text)))
	n := strings.Count(lines[0], string(d))
	return n >= 1 && strings.Count(lines[1], string(d)) >= n
}

// topKeys lists the top-level keys of a flattened record, sorted.
func topKeys(flat map[string]string) []string {
	seen := map[string]bool{}
	var out []string
	for k := range flat {
		top, _, _ := strings.Cut(k, ".")
		if !seen[top] {
			seen[top] = true
			out = append(out, top)
		}
	}
	sort.Strings(out)
	if len(out) > 12 {
		out = append(out[:12], fmt.Sprintf("… (%d keys)", len(out)))
	}
	return out
}

// firstLine is the first non-blank line of text, cut to 100 bytes.
func firstLine(text string) string {
	for _, l := range strings.SplitN(text, "\n", 50) {
		if l = strings.TrimSpace(l); l != "" {
			return cutText(strings.ToValidUTF8(l, "\uFFFD"), 100)
		}
	}
	return ""
}

// binaryRefusal explains a binary file: what its first bytes say it is.
func binaryRefusal(name string, head []byte) string {
	kind := "binary data"
	for _, m := range []struct {
		magic []byte
		what  string
	}{
		{[]byte("%PDF"), "a PDF document"}, {[]byte("\xD0\xCF\x11\xE0"), "an old Office document (.doc/.xls): save it as .docx, .xlsx or CSV"},
		{[]byte("SQLite format 3"), "an SQLite database: export the table as CSV"}, {[]byte("\x89PNG"), "a PNG image"},
		{[]byte("\xFF\xD8\xFF"), "a JPEG image"}, {[]byte("7z\xBC\xAF"), "a 7-Zip archive: unpack it first"},
		{[]byte("Rar!"), "a RAR archive: unpack it first"}, {[]byte("ID3"), "an MP3 recording: transcribe it first"},
		{[]byte("RIFF"), "a RIFF (WAV/AVI) recording: transcribe it first"},
	} {
		if bytes.HasPrefix(head, m.magic) {
			kind = m.what
			break
		}
	}
	if len(head) > 8 && string(head[4:8]) == "ftyp" {
		kind = "an MP4/M4A recording: transcribe it first"
	}
	first := head[:min(len(head), 16)]
	hex := fmt.Sprintf("% x", first)
	if utf8.Valid(first) {
		hex += " " + quote(strings.Map(func(r rune) rune {
			if r < 0x20 {
				return '.'
			}
			return r
		}, string(first)))
	}
	return "binary file (not text): " + kind + ", first bytes " + hex + "; " + refusalWayForward
}
