package importer

import (
	"context"
	"errors"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"casebook/model"
)

// Spreadsheet transcripts: CSV, TSV or semicolon-separated rows with a text
// column and speaker, start and/or end columns in any order. Times may be
// seconds ("12.5"), milliseconds (a column named "start_ms", or whole
// numbers whose typical duration is 100 or more), or clock times (HH:MM:SS,
// HH:MM:SS.mmm, HH:MM:SS,mmm, MM:SS). Records are read line by line so that
// every row keeps its exact line and byte offset in any encoding; a quoted
// field may span lines. Access logs (no text column; employee, office,
// approval … columns) are left to the access-log importer.
//
// Subtitle tools also write CSV without a header: start,end,text or
// start,text rows (`00:00:01:00,00:00:02:00,"Oh, hello"`). A file whose
// first record has no header names but these shapes — clock times (with a
// colon) then words — is read with those columns, the first record as data
// (headerlessColumns). Times may then be SMPTE timecodes HH:MM:SS:FF, whose
// last part counts frames: read at 25 frames a second, or 30 when a frame
// number of 25 or more shows the rate is higher (csvFrameRate).

func init() {
	Register(Format{
		Name:    "transcript-csv",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "Transcript spreadsheet (CSV/TSV with speaker, start, end, text)",
		Detect:  detectTranscriptCSV,
		Parse:   parseTranscriptCSV,
	})
}

var csvRoles = map[string][]string{
	"text":    {"text", "transcript", "transcription", "utterance", "content", "caption", "captions", "words", "sentence", "dialogue", "dialog", "speech"},
	"speaker": {"speaker", "speakername", "speakerlabel", "name", "participant", "person", "who", "talker", "voice"},
	"start":   {"start", "starttime", "begin", "begintime", "from", "timestart", "startat", "startoffset", "in"},
	"end":     {"end", "endtime", "stop", "stoptime", "to", "timeend", "endat", "endoffset", "out"},
}

// accessLogColumns are headers of access logs, which are not transcripts.
var accessLogColumns = map[string]bool{"employee": true, "employeeid": true, "office": true, "approval": true,
	"approvalid": true, "approver": true, "ip": true, "ipaddress": true, "resource": true, "datacategory": true,
	"recordcount": true, "actor": true, "action": true, "timestamp": true, "country": true, "purpose": true}

// csvHeader is the role of each column.
type csvHeader struct {
	col    map[string]int // role -> column index
	unitMS map[string]bool
	access int
}

func headerKey(h string) (key string, ms bool) {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	key = b.String()
	for _, u := range []string{"milliseconds", "millis", "msec", "ms"} {
		if strings.HasSuffix(key, u) && len(key) > len(u) {
			return strings.TrimSuffix(key, u), true
		}
	}
	for _, u := range []string{"seconds", "secs", "sec"} {
		if strings.HasSuffix(key, u) && len(key) > len(u) {
			return strings.TrimSuffix(key, u), false
		}
	}
	return key, false
}

func mapCSVHeader(fields []string) csvHeader {
	h := csvHeader{col: map[string]int{}, unitMS: map[string]bool{}}
	for i, f := range fields {
		key, ms := headerKey(f)
		if accessLogColumns[key] {
			h.access++
		}
		for role, names := range csvRoles {
			if _, done := h.col[role]; done {
				continue
			}
			for _, n := range names {
				if key == n {
					h.col[role] = i
					h.unitMS[role] = ms
				}
			}
		}
	}
	return h
}

// csvDelimiter picks the separator that splits the header line most.
func csvDelimiter(line string) rune {
	best, bestN := ',', 0
	for _, d := range []rune{',', '\t', ';', '|'} {
		if n := strings.Count(line, string(d)); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

// splitCSVLine splits one record into fields: RFC 4180 quoting with ""
// for a quote, read leniently (a stray quote inside an unquoted field is
// kept, an unterminated quoted field runs to the end of the record).
func splitCSVLine(rec string, delim rune) ([]string, error) {
	d := string(delim)
	if !strings.ContainsRune(rec, '"') {
		return strings.Split(rec, d), nil
	}
	var out []string
	var b strings.Builder
	for {
		if !strings.HasPrefix(rec, `"`) {
			j := strings.Index(rec, d)
			if j < 0 {
				return append(out, rec), nil
			}
			out = append(out, rec[:j])
			rec = rec[j+len(d):]
			continue
		}
		rec = rec[1:]
		b.Reset()
		for {
			i := strings.IndexByte(rec, '"')
			if i < 0 {
				b.WriteString(rec)
				rec = ""
				break
			}
			b.WriteString(rec[:i])
			rec = rec[i+1:]
			if strings.HasPrefix(rec, `"`) {
				b.WriteByte('"')
				rec = rec[1:]
				continue
			}
			break
		}
		j := strings.Index(rec, d)
		if j < 0 {
			b.WriteString(rec)
			return append(out, b.String()), nil
		}
		b.WriteString(rec[:j])
		out = append(out, b.String())
		rec = rec[j+len(d):]
	}
}

func detectTranscriptCSV(name string, head []byte) int {
	lines := headLines(head, 2)
	if len(lines) == 0 {
		return 0
	}
	fields, err := splitCSVLine(lines[0], csvDelimiter(lines[0]))
	if err != nil || len(fields) < 2 {
		return 0
	}
	h := mapCSVHeader(fields)
	if _, ok := h.col["text"]; !ok && h.access < 2 {
		return detectHeaderlessCSV(name, head)
	}
	if _, ok := h.col["text"]; !ok || h.access >= 2 {
		return 0
	}
	_, sp := h.col["speaker"]
	_, st := h.col["start"]
	_, en := h.col["end"]
	score := 0
	switch {
	case sp && (st || en):
		score = 85
	case st || en:
		score = 70
	case sp:
		score = 55
	default:
		return 0
	}
	if nameHas(name, ".csv", ".tsv") {
		score += 3
	}
	return score
}

// detectHeaderlessCSV scores a file whose first records, quoted fields
// joined across lines, all have the start,end,text or start,text shape.
func detectHeaderlessCSV(name string, head []byte) int {
	lines := headLines(head, 400)
	var recs []string
	var b strings.Builder
	quotes := 0
	for _, l := range lines {
		if b.Len() > 0 {
			b.WriteByte('\n')
		} else if strings.TrimSpace(l) == "" {
			continue
		}
		b.WriteString(l)
		if quotes += strings.Count(l, `"`); quotes%2 == 0 {
			recs = append(recs, b.String())
			b.Reset()
			quotes = 0
			if len(recs) == 5 {
				break
			}
		}
	}
	if b.Len() > 0 && len(recs) == 0 {
		recs = append(recs, b.String()) // one record cut by the end of the head
	}
	if len(recs) == 0 {
		return 0
	}
	delim := csvDelimiter(recs[0])
	var want []int
	for _, r := range recs {
		f, err := splitCSVLine(r, delim)
		if err != nil {
			return 0
		}
		h, ok := headerlessColumns(f)
		if !ok {
			return 0
		}
		got := []int{h.col["start"], h.col["text"], len(f)}
		if want == nil {
			want = got
		} else if !slices.Equal(want, got) {
			return 0
		}
	}
	score := 60
	if len(recs) >= 2 {
		score += 5
	}
	if nameHas(name, ".csv", ".tsv") {
		score += 3
	}
	return score
}

// headerlessColumns reads the columns of a record with no header names from
// the shapes of its cells: start,end,text (two clock times, then words) or
// start,text. A clock time here must hold a colon (00:01, 0:00:01.500,
// 00:00:01:00 with frames), so that rows of plain numbers are not taken for
// a transcript; the text must hold a letter.
func headerlessColumns(fields []string) (csvHeader, bool) {
	isTime := func(v string) bool {
		v = strings.TrimSpace(v)
		if !strings.Contains(v, ":") {
			return false
		}
		_, ok := csvTimeAt(v, false, 30)
		return ok
	}
	isText := func(v string) bool {
		return strings.IndexFunc(v, unicode.IsLetter) >= 0
	}
	h := csvHeader{col: map[string]int{}, unitMS: map[string]bool{}}
	switch {
	case len(fields) == 3 && isTime(fields[0]) && isTime(fields[1]) && isText(fields[2]):
		h.col["start"], h.col["end"], h.col["text"] = 0, 1, 2
	case len(fields) == 2 && isTime(fields[0]) && isText(fields[1]):
		h.col["start"], h.col["text"] = 0, 1
	default:
		return h, false
	}
	return h, true
}

// csvRecord is one record of the file with where it sits.
type csvRecord struct {
	fields []string
	line   int
	off    int64
	length int64
}

func parseTranscriptCSV(ctx context.Context, in Input, sink Sink) (Meta, error) {
	lr, err := NewLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return Meta{}, err
	}
	limit := in.Opts.LineLimit()
	var delim rune
	next := func() (csvRecord, error) {
		var b strings.Builder
		var rec csvRecord
		quotes := 0
		for first := true; ; first = false {
			l, err := lr.Next()
			if err != nil {
				if errors.Is(err, io.EOF) && !first {
					break
				}
				return rec, err
			}
			if first {
				rec.line, rec.off = l.No, l.Offset
				if delim == 0 {
					delim = csvDelimiter(l.Text)
				}
			} else {
				b.WriteByte('\n')
			}
			b.WriteString(l.Text)
			rec.length = l.Offset + int64(l.Len) - rec.off
			quotes += strings.Count(l.Text, `"`)
			if quotes%2 == 0 {
				break
			}
			if b.Len() > limit {
				return rec, Errorf(in.Name, rec.line, "quoted field longer than the %d-byte limit", limit)
			}
		}
		f, err := splitCSVLine(b.String(), delim)
		if err != nil && !errors.Is(err, io.EOF) {
			return rec, Errorf(in.Name, rec.line, "bad CSV row: %v", err)
		}
		rec.fields = f
		return rec, nil
	}
	hdr, err := next()
	if errors.Is(err, io.EOF) {
		return Meta{}, Errorf(in.Name, 0, "not a transcript spreadsheet: empty")
	}
	if err != nil {
		return Meta{}, err
	}
	h := mapCSVHeader(hdr.fields)
	var buf []csvRecord
	if _, ok := h.col["text"]; !ok {
		hl, ok := headerlessColumns(hdr.fields)
		if !ok || h.access >= 2 {
			return Meta{}, Errorf(in.Name, 1, "not a transcript spreadsheet: no text column, and the first row is not start,end,text or start,text (found %s)",
				cutText(strings.Join(hdr.fields, ", "), 300))
		}
		h = hl
		buf = append(buf, hdr) // no header: the first record is data
	}
	// Look at the first rows to decide whether whole-number times are ms.
	for len(buf) < 65 {
		rec, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Meta{}, err
		}
		buf = append(buf, rec)
	}
	var warn warnings
	intMS := wholeNumberMS(h, buf)
	if intMS {
		warn.add(buf[0].line, "whole-number times read as milliseconds")
	}
	fps, frames := csvFrameRate(h, buf)
	if frames {
		warn.add(buf[0].line, "HH:MM:SS:FF timecodes read at "+itoa(fps)+" frames a second")
	}
	w := newSegWriter(ctx, sink)
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		var rec csvRecord
		if len(buf) > 0 {
			rec, buf = buf[0], buf[1:]
		} else if rec, err = next(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return Meta{}, err
		}
		if len(rec.fields) == 1 && strings.TrimSpace(rec.fields[0]) == "" {
			continue // blank line
		}
		get := func(role string) (string, bool) {
			i, ok := h.col[role]
			if !ok || i >= len(rec.fields) {
				return "", false
			}
			return strings.TrimSpace(rec.fields[i]), true
		}
		text, ok := get("text")
		if !ok {
			if err := sink.Reject(Rejection{Line: rec.line, Row: rec.line - 1, Raw: validRaw([]byte(strings.Join(rec.fields, ","))),
				Reason: "row has " + itoa(len(rec.fields)) + " columns, too few for the text column"}); err != nil {
				return Meta{}, err
			}
			continue
		}
		s := newSeg(rec.line, rec.off)
		s.Length = rec.length
		s.Text = cleanChat(text)
		if sp, ok := get("speaker"); ok {
			s.Speaker = NormalizeSpeaker(strings.ReplaceAll(sp, "_", " "))
		}
		for _, role := range []string{"start", "end"} {
			v, ok := get(role)
			if !ok || v == "" {
				continue
			}
			ms, ok := csvTimeAt(v, h.unitMS[role] || intMS, fps)
			if !ok {
				warn.add(rec.line, "bad "+role+" time")
				continue
			}
			if role == "start" {
				s.StartMS = ms
			} else {
				s.EndMS = ms
			}
		}
		if s.Text == "" {
			warn.add(rec.line, "empty text")
			continue
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

// csvTime reads a time cell as a clock time, an HH:MM:SS:FF timecode at
// 25 frames a second, seconds, or (ms) milliseconds.
func csvTime(v string, ms bool) (int64, bool) { return csvTimeAt(v, ms, 25) }

// csvTimeAt is csvTime with timecodes read at fps frames a second.
func csvTimeAt(v string, ms bool, fps int) (int64, bool) {
	if strings.Count(v, ":") == 3 {
		return timecodeMS(v, fps)
	}
	if strings.Contains(v, ":") {
		return parseClock(v)
	}
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil {
		return 0, false
	}
	if ms {
		f /= 1000
	}
	return secondsToMS(f)
}

// wholeNumberMS reports whether a file whose headers give no unit writes
// milliseconds: every time in the first rows is a whole number and the
// typical duration (or gap between starts) is 100 or more.
func wholeNumberMS(h csvHeader, rows []csvRecord) bool {
	si, hasS := h.col["start"]
	ei, hasE := h.col["end"]
	if (hasS && h.unitMS["start"]) || (hasE && h.unitMS["end"]) || !hasS {
		return false
	}
	var spans []int64
	var prev int64 = -1
	for _, r := range rows {
		if si >= len(r.fields) {
			continue
		}
		s, err := strconv.ParseInt(strings.TrimSpace(r.fields[si]), 10, 64)
		if err != nil {
			return false
		}
		if hasE && ei < len(r.fields) {
			e, err := strconv.ParseInt(strings.TrimSpace(r.fields[ei]), 10, 64)
			if err != nil {
				return false
			}
			spans = append(spans, e-s)
		} else if prev >= 0 {
			spans = append(spans, s-prev)
		}
		prev = s
	}
	if len(spans) == 0 {
		return false
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i] < spans[j] })
	return spans[len(spans)/2] >= 100
}

// timecodeMS reads an SMPTE timecode HH:MM:SS:FF (";" before the frames
// too, as drop-frame timecodes write it) at fps frames a second.
func timecodeMS(v string, fps int) (int64, bool) {
	v = strings.TrimSpace(v)
	i := strings.LastIndexAny(v, ":;")
	if i < 0 || fps <= 0 {
		return 0, false
	}
	ff, err := strconv.Atoi(v[i+1:])
	if err != nil || ff < 0 || ff >= fps || len(v[i+1:]) > 2 {
		return 0, false
	}
	ms, ok := parseClock(v[:i])
	if !ok || strings.Count(v[:i], ":") != 2 {
		return 0, false
	}
	return ms + int64(ff)*1000/int64(fps), true
}

// csvFrameRate is the frame rate HH:MM:SS:FF times are read at: 25, or 30
// when a frame number of 25 or more in the first rows shows the rate is
// higher; frames is false when the rows hold no timecodes.
func csvFrameRate(h csvHeader, rows []csvRecord) (fps int, frames bool) {
	fps = 25
	for _, r := range rows {
		for _, role := range []string{"start", "end"} {
			i, ok := h.col[role]
			if !ok || i >= len(r.fields) {
				continue
			}
			v := strings.TrimSpace(r.fields[i])
			if strings.Count(v, ":") != 3 {
				continue
			}
			frames = true
			if ff, err := strconv.Atoi(v[strings.LastIndexByte(v, ':')+1:]); err == nil && ff >= 25 {
				fps = 30
			}
		}
	}
	return fps, frames
}
