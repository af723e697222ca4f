package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"casebook/model"
)

// The headed access-log CSV (or TSV, or semicolon- or pipe-separated): one
// access event per row, columns placed into roles by DetectRoles (header
// names and value shapes) or by --map role=column. Rows are streamed; only
// the first sampleRows are held while roles are placed.

func init() {
	Register(Format{
		Name:    "csv-accesslog",
		Kind:    model.KindAccessLog,
		Version: 3, // 3: JSON in a column expanded; undecidable day/month dates refused
		Title:   "Access log as CSV/TSV with a header row",
		Detect:  detectCSVLog,
		Parse:   parseCSVLog,
	})
}

// sniffDelimiter picks the delimiter that splits the first line into the most
// fields consistently with the second.
func sniffDelimiter(head []byte) rune {
	lines := bytes.SplitN(head, []byte{'\n'}, 3)
	best, bestN := ',', 0
	for _, d := range []byte{',', '\t', ';', '|'} {
		n := bytes.Count(lines[0], []byte{d})
		if n > bestN && (len(lines) < 2 || len(bytes.TrimSpace(lines[1])) == 0 || bytes.Count(lines[1], []byte{d}) >= n) {
			best, bestN = rune(d), n
		}
	}
	return best
}

// headerFields splits the first line of head as a CSV header.
func headerFields(head []byte) ([]string, rune) {
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	first, _, _ := bytes.Cut(head, []byte{'\n'})
	d := sniffDelimiter(head)
	cr := csv.NewReader(bytes.NewReader(bytes.TrimRight(first, "\r")))
	cr.Comma = d
	cr.LazyQuotes = true
	cols, err := cr.Read()
	if err != nil {
		return nil, d
	}
	return cols, d
}

func detectCSVLog(name string, head []byte) int {
	cols, _ := headerFields(head)
	if len(cols) < 3 {
		return 0
	}
	roles := map[string]bool{}
	for _, c := range cols {
		if a, ok := aliasFor(c); ok && a.conf >= 0.6 {
			roles[a.role] = true
		}
	}
	if !roles["time"] || len(roles) < 3 {
		return 0
	}
	score := 40 + 5*len(roles)
	if roles["actor"] || roles["actor_id"] {
		score += 10
	}
	if nameHas(name, ".csv", ".tsv") {
		score += 2
	}
	return min(score, 92)
}

// csvRow is one data row as read, with where it sits.
type csvRow struct {
	fields []string
	raw    []byte
	line   int
	row    int
	off    int64
	reason string // why the row is refused, "" when it is good
}

// csvRows reads the rows of a headed CSV with exact raw text and offsets.
type csvRows struct {
	name  string
	cr    *csv.Reader
	tr    *trackReader
	src   *OffsetReader // maps decoded offsets to the original's
	start int64
	row   int
	utf8  bool
	held  *csvRow // a row read before the rest (the first, of a file without a header), returned first
}

// NumberedColumns names n columns of a file without a header row:
// "column 1", "column 2", …, as a mapping may name them (or by number).
func NumberedColumns(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "column " + strconv.Itoa(i+1)
	}
	return out
}

// LooksLikeData reports whether the first row of a delimited file is data
// rather than column names: one of its cells reads as a time or an IP
// address, which a column's name never does.
func LooksLikeData(first []string) bool {
	for _, c := range first {
		c = strings.TrimSpace(c)
		if looksTime(c) || looksIP(c) {
			return true
		}
	}
	return false
}

func (c *csvRows) next() (csvRow, error) {
	if r := c.held; r != nil {
		c.held = nil
		return *r, nil
	}
	for {
		rec, err := c.cr.Read()
		if errors.Is(err, io.EOF) {
			return csvRow{}, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrQuote)) {
			// A stray quote spoils one row, not the file.
			end := c.cr.InputOffset()
			raw := append([]byte(nil), c.tr.cut(c.start, end)...)
			r := csvRow{raw: raw, line: pe.StartLine, off: c.src.SourceOffset(c.start), reason: pe.Err.Error()}
			c.tr.forget(end)
			c.start = end
			c.row++
			r.row = c.row
			return r, nil
		}
		if err != nil {
			return csvRow{}, csvErr(c.name, err)
		}
		line, _ := c.cr.FieldPos(0)
		end := c.cr.InputOffset()
		raw := c.tr.cut(c.start, end)
		r := csvRow{raw: append([]byte(nil), raw...), line: line, off: c.src.SourceOffset(c.start)}
		c.tr.forget(end)
		c.start = end
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		c.row++
		r.row = c.row
		r.fields = append([]string(nil), rec...)
		if c.utf8 && !utf8.Valid(r.raw) {
			r.reason = "invalid UTF-8"
		}
		for i, f := range rec {
			if len(f) > maxField {
				r.reason = fmt.Sprintf("field %d is %d bytes, over the %d-byte limit", i+1, len(f), maxField)
			}
		}
		return r, nil
	}
}

// newCSVRows starts reading in as CSV with exact raw rows and offsets; the
// delimiter is sniffed from the first lines.
func newCSVRows(in Input) (*csvRows, string, error) {
	dr, enc, err := NewOffsetReader(in.R)
	if err != nil {
		return nil, "", Errorf(in.Name, 0, "read: %v", err)
	}
	lim := &lineLimitReader{r: dr, max: in.Opts.LineLimit(), name: in.Name}
	br := bufio.NewReaderSize(lim, 64<<10)
	head, _ := br.Peek(4096)
	tr := &trackReader{r: br, max: in.Opts.LineLimit() + 64<<10, name: in.Name}
	cr := csv.NewReader(tr)
	cr.Comma = sniffDelimiter(head)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rows := &csvRows{name: in.Name, cr: cr, tr: tr, src: dr, utf8: enc == EncUTF8 || enc == EncUTF8BOM}
	return rows, enc, nil
}

// openCSV starts reading a headed CSV: it returns the header and a reader of
// the data rows. With Opts.NoHeader the first row is data, and the header
// names the columns by number (NumberedColumns).
func openCSV(in Input) (header []string, rows *csvRows, enc string, err error) {
	rows, enc, err = newCSVRows(in)
	if err != nil {
		return nil, nil, "", err
	}
	if in.Opts.NoHeader {
		first, err := rows.next()
		if errors.Is(err, io.EOF) {
			return nil, nil, enc, Errorf(in.Name, 0, "empty file")
		}
		if err != nil {
			return nil, nil, enc, err
		}
		rows.held = &first
		return NumberedColumns(len(first.fields)), rows, enc, nil
	}
	rec, err := rows.cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, enc, Errorf(in.Name, 0, "empty file")
		}
		return nil, nil, enc, csvErr(in.Name, err)
	}
	header = append([]string(nil), rec...)
	rows.start = rows.cr.InputOffset()
	rows.tr.forget(rows.start)
	return header, rows, enc, nil
}

func parseCSVLog(ctx context.Context, in Input, sink Sink) (Meta, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return Meta{}, err
	}
	header, rows, enc, err := openCSV(in)
	if err != nil {
		return Meta{}, err
	}
	// Read a sample to place the roles.
	var buf []csvRow
	size := 0
	for len(buf) < sampleRows && size < sampleBytes {
		r, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Meta{}, err
		}
		buf = append(buf, r)
		size += len(r.raw)
	}
	sample := make([][]string, 0, len(buf))
	for _, r := range buf {
		if r.reason == "" {
			sample = append(sample, r.fields)
		}
	}
	// Columns holding JSON objects (an export's "AuditData", "Details")
	// become one field per key, "Column.key", placed like any column.
	jx := findJSONColumns(header, sample)
	fieldsHeader := header
	if jx != nil {
		fieldsHeader = jx.header
		sample = jx.extend(sample)
	}
	g, err := DetectRolesMapped(fieldsHeader, sample, in.Opts.Map)
	if err != nil {
		return Meta{}, Errorf(in.Name, 1, "%v", err)
	}
	tcol := g.Col("time")
	if tcol < 0 {
		return Meta{}, Errorf(in.Name, 1, "no column placed for: time (columns: %s) — map with --map time=COLUMN",
			cutText(strings.Join(fieldsHeader, ", "), 300))
	}
	year := splitYear(g, in.Opts, sink)
	var times []string
	sampleYear := sampleClock(year)
	for _, f := range sample {
		times = append(times, timeCell(g, sampleYear, func(c int) string {
			if c < len(f) {
				return f[c]
			}
			return ""
		}))
	}
	filler := newRoleFiller(g, times, in.Opts, sink)
	if filler.tp.NeedsAllValues() && in.Reopen != nil {
		// The first rows cannot settle the day/month order: read the
		// time column of the whole file once before the first row.
		if err := firstPassTimes(ctx, in, g, year, jx, len(header), filler.tp); err != nil {
			return Meta{}, err
		}
	}
	filler.tp.Settled()
	warnRoles(sink, g)
	ncol := len(header)
	events := 0
	handle := func(r csvRow) error {
		if r.reason == "" && len(r.fields) != ncol {
			r.reason = fmt.Sprintf("row has %d columns, the header has %d", len(r.fields), ncol)
		}
		raw := rawText(r.raw)
		if r.reason == "" {
			e := &model.Event{Row: r.row, Line: r.line, Offset: r.off, Raw: raw}
			cell := rowCell(r.fields, ncol, jx)
			r.reason = filler.fill(e, r.line, func(role string) string {
				if role == "time" {
					return timeCell(g, year, cell)
				}
				return g.Cell(role, cell)
			})
			if g.TimeNoYear {
				e.TimeText = g.Cell("time", cell) // as written, without the assumed year
			}
			if r.reason == "" {
				events++
				return sink.Event(e)
			}
		}
		return sink.Reject(Rejection{Line: r.line, Row: r.row, Raw: raw, Reason: r.reason})
	}
	for i, r := range buf {
		if err := handle(r); err != nil {
			return Meta{}, err
		}
		buf[i] = csvRow{}
	}
	buf = nil
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		r, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Meta{}, err
		}
		if err := handle(r); err != nil {
			return Meta{}, err
		}
	}
	if rows.row == 0 {
		return Meta{}, Errorf(in.Name, 0, "no data rows after the header")
	}
	filler.finish(sink)
	return Meta{Encoding: enc, TimeZone: in.Opts.Location().String()}, nil
}

// rowCell reads a row's values by column: its cells, trimmed, then (past
// ncol) the fields of its JSON columns.
func rowCell(fields []string, ncol int, jx *jsonColumns) func(i int) string {
	var inJSON func(i int) string
	if jx != nil {
		inJSON = jx.row(fields)
	}
	return func(i int) string {
		if i >= ncol && inJSON != nil {
			return strings.TrimSpace(inJSON(i))
		}
		if i < 0 || i >= len(fields) {
			return ""
		}
		return strings.TrimSpace(fields[i])
	}
}

// firstPassTimes shows tp the time of every row of the file, read again
// from its start through in.Reopen, one row at a time (nothing is held), so
// that the column's day/month order is decided from all its values. It
// stops at the first value that settles the order for good.
func firstPassTimes(ctx context.Context, in Input, g RoleGuess, year *yearClock, jx *jsonColumns, ncol int, tp *TimeParser) error {
	again, rc, err := in.reread()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, rows, _, err := openCSV(again)
	if err != nil {
		return err
	}
	yc := sampleClock(year)
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		r, err := rows.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if r.reason != "" {
			continue
		}
		if tp.Observe(timeCell(g, yc, rowCell(r.fields, ncol, jx))) {
			return nil
		}
	}
}

// jsonColumns are the columns of a CSV that hold JSON objects, with the
// keys the sample rows' objects have, each a field "Column.key" (nested
// keys dotted, array elements by index) after the real columns.
type jsonColumns struct {
	ncol   int
	cols   []int     // the columns holding JSON
	header []string  // the real header, then "Column.key" for every key
	keys   []jsonKey // what each field after the real columns is
}

// jsonKey is one key of one JSON column.
type jsonKey struct {
	col int
	key string
}

// maxJSONKeys bounds the fields one JSON column adds.
const maxJSONKeys = 512

// findJSONColumns finds the columns nine in ten of whose sample values are
// JSON objects; nil when there are none.
func findJSONColumns(header []string, sample [][]string) *jsonColumns {
	var jx *jsonColumns
	for c := range header {
		n, ok := 0, 0
		var objs []map[string]string
		for _, row := range sample {
			if c >= len(row) {
				continue
			}
			v := strings.TrimSpace(row[c])
			if v == "" || v == "-" {
				continue
			}
			n++
			if v[0] != '{' {
				continue
			}
			if m, bad := decodeObject([]byte(v)); bad == "" {
				ok++
				objs = append(objs, m)
			}
		}
		if ok == 0 || ok*10 < n*9 {
			continue
		}
		if jx == nil {
			jx = &jsonColumns{ncol: len(header), header: append([]string(nil), header...)}
		}
		jx.cols = append(jx.cols, c)
		keys := keyHeader(objs)
		if len(keys) > maxJSONKeys {
			keys = keys[:maxJSONKeys]
		}
		for _, k := range keys {
			jx.header = append(jx.header, header[c]+"."+k)
			jx.keys = append(jx.keys, jsonKey{c, k})
		}
	}
	return jx
}

// ExpandJSONColumns returns header and rows with the fields of the columns
// that hold JSON objects appended ("Column.key", nested keys dotted), as
// the CSV access-log importer reads them; unchanged when no column does.
func ExpandJSONColumns(header []string, rows [][]string) ([]string, [][]string) {
	jx := findJSONColumns(header, rows)
	if jx == nil {
		return header, rows
	}
	return jx.header, jx.extend(rows)
}

// extend appends each sample row's JSON fields after its columns.
func (jx *jsonColumns) extend(sample [][]string) [][]string {
	out := make([][]string, len(sample))
	for i, row := range sample {
		get := jx.row(row)
		ext := make([]string, len(jx.header))
		copy(ext, row)
		for j := jx.ncol; j < len(jx.header); j++ {
			ext[j] = get(j)
		}
		out[i] = ext
	}
	return out
}

// row returns a reader of the JSON fields of a row by their index in
// header; each JSON cell is decoded once, when first asked for.
func (jx *jsonColumns) row(fields []string) func(i int) string {
	decoded := map[int]map[string]string{}
	return func(i int) string {
		if i < jx.ncol || i >= len(jx.header) {
			return ""
		}
		k := jx.keys[i-jx.ncol]
		m, ok := decoded[k.col]
		if !ok {
			if k.col < len(fields) {
				m, _ = decodeObject([]byte(strings.TrimSpace(fields[k.col])))
			}
			decoded[k.col] = m
		}
		return m[k.key]
	}
}

// trackReader remembers the bytes read since the last mark, so the raw text
// of each CSV record can be cut out exactly.
type trackReader struct {
	r    io.Reader
	base int64 // offset of win[0]
	win  []byte
	max  int // most bytes held (0: no limit): a record longer than this is an error
	name string
}

func (t *trackReader) Read(p []byte) (int, error) {
	if t.max > 0 && len(t.win) > t.max {
		return 0, Errorf(t.name, 0, "a record at byte %d runs on for more than %d bytes (an unclosed quote?)", t.base, t.max)
	}
	n, err := t.r.Read(p)
	t.win = append(t.win, p[:n]...)
	return n, err
}

// cut returns the bytes in [from, to) and forgets everything before to.
func (t *trackReader) cut(from, to int64) []byte {
	lo, hi := from-t.base, to-t.base
	if lo < 0 || hi > int64(len(t.win)) || lo > hi {
		return nil
	}
	return t.win[lo:hi]
}

func (t *trackReader) forget(to int64) {
	k := to - t.base
	if k <= 0 || k > int64(len(t.win)) {
		return
	}
	n := copy(t.win, t.win[k:])
	t.win = t.win[:n]
	t.base = to
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Errorf(name, pe.StartLine, "%v", pe.Err)
	}
	var ie *Error
	if errors.As(err, &ie) {
		return ie
	}
	return Errorf(name, 0, "%v", err)
}

// lineLimitReader fails once more than max bytes pass without a line end, so
// a single enormous row cannot exhaust memory.
type lineLimitReader struct {
	r    io.Reader
	max  int
	run  int
	line int
	name string
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.run = 0
			l.line++
			continue
		}
		l.run++
		if l.run > l.max {
			return 0, Errorf(l.name, l.line+1, "line longer than the %d-byte limit", l.max)
		}
	}
	return n, err
}

// yearClock gives year-less split times (Month + Day + Time) their year:
// Options.Year, else the current year, moving to the next year when the
// month falls from December to January (rows in time order).
type yearClock struct {
	year int
	last time.Month
}

// splitYear is the yearClock for a split time without a year, nil when the
// time has one. When Options.Year is not given it warns which year it assumed.
func splitYear(g RoleGuess, opts Options, sink Sink) *yearClock {
	if !g.TimeNoYear {
		return nil
	}
	if opts.Year != 0 {
		return &yearClock{year: opts.Year}
	}
	y := time.Now().In(opts.Location()).Year()
	sink.Warn(0, fmt.Sprintf("the time columns (%s) carry no year; assumed %d (give the year with --year)", g.Placed["time"].Header, y))
	return &yearClock{year: y}
}

// timeCell is the time text of a row: its time column, the split columns
// joined, and for a year-less split time the year put in so it reads.
func timeCell(g RoleGuess, yc *yearClock, value func(col int) string) string {
	v := g.Cell("time", value)
	if yc == nil {
		return v
	}
	if f := strings.Fields(v); len(f) > 0 {
		m, ok := monthNames[strings.ToLower(strings.TrimSuffix(f[0], "."))]
		if !ok {
			m, _ = strconv.Atoi(f[0])
		}
		if yc.last == time.December && time.Month(m) == time.January {
			yc.year++
		}
		if m >= 1 && m <= 12 {
			yc.last = time.Month(m)
		}
	}
	if y, ok := withYear(v, yc.year); ok {
		return y
	}
	return v
}

// sampleClock is a fresh copy of yc for reading the sample rows, so that
// the rows read again afterwards start from the same year.
func sampleClock(yc *yearClock) *yearClock {
	if yc == nil {
		return nil
	}
	return &yearClock{year: yc.year}
}
