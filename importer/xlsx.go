package importer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"casebook/model"
)

// Excel workbooks (.xlsx), read with excelize. Every sheet whose first
// non-empty row is a header is one log (or, when its columns are speaker,
// start and text, one transcript); rows are streamed with excelize's row
// iterator, never held all at once.
//
// A workbook is a zip, so a record cannot point at a byte of the file:
// Offset is 0, Line is the row number in its sheet (as Excel shows it), Row
// counts data rows through the whole workbook, and Raw starts with
// "Sheet!ROW:" followed by the row's cells as CSV. The compressed workbook
// is held in memory (at most xlsxMaxFile); a sheet over 8 MiB unpacked is
// written by excelize to a temporary file (removed when the import ends)
// rather than held in memory: 200,000 rows import in about 75 MB.
//
// Dates stored as Excel serial numbers in a time column are read in the
// workbook's date system (1900, or 1904 when the workbook says so) as wall
// times in the import's zone.

const (
	xlsxMaxFile     = 256 << 20 // largest workbook read
	xlsxMaxUnpacked = 4 << 30   // most bytes its parts may unpack to in all
	xlsxMemPart     = 8 << 20   // a sheet (or shared strings) unpacked above this goes to a temporary file
	xlsxMaxInMemory = 512 << 20 // most bytes of the other parts held in memory
	xlsxMaxCells    = 4096      // most cells taken from one row
	xlsxSampleRows  = 200       // rows read before roles are placed
	deflateMaxRatio = 1032      // deflate's largest unpacked/packed ratio (258-byte matches in 2 bits)
)

func init() {
	Register(Format{
		Name:    "xlsx-accesslog",
		Kind:    model.KindAccessLog,
		Version: 2, // 2: numeric dates that cannot tell their day/month order are refused, not read month first
		Title:   "Access log in an Excel workbook (.xlsx; Line = sheet row, Offset 0)",
		Detect:  detectXLSXLog,
		Parse:   parseXLSXLog,
	})
	Register(Format{
		Name:    "xlsx-transcript",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "Transcript in an Excel workbook (.xlsx with speaker, start, text columns)",
		Detect:  detectXLSXTranscript,
		Parse:   parseXLSXTranscript,
	})
}

// isXLSX reports whether head starts an Office Open XML workbook.
func isXLSX(name string, head []byte) bool {
	if !bytes.HasPrefix(head, zipMagic) || bytes.Contains(head[:min(len(head), 4096)], []byte("word/")) {
		return false
	}
	return bytes.Contains(head, []byte("xl/")) || nameHas(name, ".xlsx", ".xlsm")
}

// xlsxTranscriptHeader reports whether a header names a transcript's text
// column and a speaker or start column.
func xlsxTranscriptHeader(header []string) bool {
	h := mapCSVHeader(header)
	_, text := h.col["text"]
	_, sp := h.col["speaker"]
	_, st := h.col["start"]
	return text && (sp || st) && h.access < 2
}

func detectXLSXLog(name string, head []byte) int {
	if !isXLSX(name, head) {
		return 0
	}
	if header, ok := xlsxHeadHeader(head); ok {
		if xlsxTranscriptHeader(header) {
			return 0
		}
		return 90
	}
	return 85 // the header could not be seen in the first bytes
}

func detectXLSXTranscript(name string, head []byte) int {
	if !isXLSX(name, head) {
		return 0
	}
	header, ok := xlsxHeadHeader(head)
	switch {
	case ok && xlsxTranscriptHeader(header):
		return 92
	case !ok:
		return 50 // unseen header: taken when the investigator says --kind transcript
	}
	return 0
}

// xlsxBook is an open workbook and the folder excelize's temporary files
// go to; Close removes both.
type xlsxBook struct {
	*excelize.File
	tmp string
}

// Close closes the workbook and removes its temporary folder, with any
// file excelize left there (it leaves one behind when a part fails to
// unpack).
func (b *xlsxBook) Close() error {
	err := b.File.Close()
	if rerr := os.RemoveAll(b.tmp); err == nil {
		err = rerr
	}
	return err
}

// openXLSX reads a workbook into excelize. raw asks for cell values as
// stored (serial numbers for dates) rather than as displayed. The parts'
// declared sizes are checked first (checkXLSXParts): excelize allocates a
// part's declared size before it reads a byte of it.
func openXLSX(in Input, raw bool) (*xlsxBook, error) {
	if in.Size > xlsxMaxFile {
		return nil, Errorf(in.Name, 0, "workbook of %d MiB is larger than the %d MiB Casebook reads; save the sheet as CSV", in.Size>>20, xlsxMaxFile>>20)
	}
	data, err := io.ReadAll(io.LimitReader(in.R, xlsxMaxFile+1))
	if err != nil {
		return nil, Errorf(in.Name, 0, "read: %v", err)
	}
	if len(data) > xlsxMaxFile {
		return nil, Errorf(in.Name, 0, "workbook larger than the %d MiB Casebook reads; save the sheet as CSV", xlsxMaxFile>>20)
	}
	if bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")) {
		return nil, Errorf(in.Name, 0, "an old .xls workbook (or an encrypted .xlsx): save it as .xlsx or CSV")
	}
	if err := checkXLSXParts(data); err != nil {
		return nil, Errorf(in.Name, 0, "not a readable .xlsx workbook: %v", err)
	}
	tmp, err := os.MkdirTemp("", "casebook-xlsx-")
	if err != nil {
		return nil, Errorf(in.Name, 0, "temporary folder: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: raw, UnzipXMLSizeLimit: xlsxMemPart, UnzipSizeLimit: xlsxMaxUnpacked, TmpDir: tmp,
	})
	if err != nil {
		_ = os.RemoveAll(tmp)
		return nil, Errorf(in.Name, 0, "not a readable .xlsx workbook: %v", err)
	}
	return &xlsxBook{File: f, tmp: tmp}, nil
}

// checkXLSXParts refuses a workbook whose zip directory declares parts
// that excelize would hold in memory beyond xlsxMaxInMemory in all, or
// unpacked sizes beyond xlsxMaxUnpacked, or a part larger than deflate
// could have packed into its compressed bytes (a size that lies). The
// declared size is what excelize allocates, and Go's zip reader refuses
// data longer than it, so these checks bound the memory an import takes.
func checkXLSXParts(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	var inMemory, unpacked uint64
	for _, p := range zr.File {
		size := p.UncompressedSize64
		if p.CompressedSize64 > uint64(len(data)) {
			return fmt.Errorf("part %s declares %d packed bytes in a file of %d", p.Name, p.CompressedSize64, len(data))
		}
		if lim := p.CompressedSize64*deflateMaxRatio + 1024; size > lim {
			return fmt.Errorf("part %s declares %d bytes unpacked from %d packed, more than deflate can hold", p.Name, size, p.CompressedSize64)
		}
		unpacked += size
		if unpacked > xlsxMaxUnpacked {
			return fmt.Errorf("its parts unpack to more than the %d MiB Casebook reads", xlsxMaxUnpacked>>20)
		}
		name := strings.ToLower(strings.ReplaceAll(p.Name, "\\", "/"))
		spilled := (name == "xl/sharedstrings.xml" || strings.HasPrefix(name, "xl/worksheets/sheet")) && size > xlsxMemPart
		if !spilled {
			inMemory += size
			if inMemory > xlsxMaxInMemory {
				return fmt.Errorf("its parts other than large sheets unpack to more than the %d MiB Casebook holds in memory", xlsxMaxInMemory>>20)
			}
		}
	}
	return nil
}

// xlsxRow is one row of a sheet.
type xlsxRow struct {
	sheet string
	n     int // row number in the sheet
	cells []string
	raw   string // "Sheet!ROW: " and the cells as stored, for Event.Raw
}

// xlsxSheetRows calls fn for every row of sheet with at least one
// non-empty cell, in order.
func xlsxSheetRows(ctx context.Context, name string, f *xlsxBook, sheet string, fn func(r xlsxRow) error) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return Errorf(name, 0, "sheet %q: %v", sheet, err)
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		cells, err := rows.Columns()
		if err != nil {
			return Errorf(name, 0, "sheet %q row %d: %v", sheet, n, err)
		}
		if len(cells) > xlsxMaxCells {
			return Errorf(name, 0, "sheet %q row %d has %d cells, over the %d Casebook reads", sheet, n, len(cells), xlsxMaxCells)
		}
		empty := true
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		r := xlsxRow{sheet: sheet, n: n, cells: cells}
		r.raw = xlsxRaw(r)
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return Errorf(name, 0, "sheet %q: %v", sheet, err)
	}
	return nil
}

// filled counts the non-empty cells of a row.
func filled(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// xlsxRaw is a row's Raw text: "Sheet!ROW: " and its cells as CSV.
func xlsxRaw(r xlsxRow) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(r.cells)
	w.Flush()
	return validRaw([]byte(fmt.Sprintf("%s!%d: %s", r.sheet, r.n, strings.TrimRight(b.String(), "\n"))))
}

// xlsxSerialTime writes an Excel serial (days, with the fraction of a day)
// as text the time parsers read: a clock for a fraction under one day, a
// date, or a date and clock. ok is false for a value that is no serial.
func xlsxSerialTime(v string, date1904 bool) (string, bool) {
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return v, false
	}
	if x >= 0 && x < 1 {
		d := time.Duration(math.Round(x*86400000)) * time.Millisecond
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(d).Format("15:04:05.000"), true
	}
	if date1904 {
		x += 1462 // the 1904 system counts from 1904-01-01
	}
	if x < excelMin || x > excelMax {
		return v, false
	}
	days := math.Floor(x)
	ms := math.Round((x - days) * 86400000)
	t := excelEpoch.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond)
	if ms == 0 {
		return t.Format("2006-01-02"), true
	}
	return t.Format("2006-01-02 15:04:05.000"), true
}

func parseXLSXLog(ctx context.Context, in Input, sink Sink) (Meta, error) {
	f, err := openXLSX(in, true)
	if err != nil {
		return Meta{}, err
	}
	defer f.Close()
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	row, events := 0, 0
	var skipped []string
	why := map[string]string{} // sheet -> why its roles could not be placed
	for _, sheet := range f.GetSheetList() {
		var header []string
		var buf []xlsxRow
		var g RoleGuess
		var filler *roleFiller
		var year *yearClock
		placed := false
		dateCols := map[int]bool{}
		handle := func(r xlsxRow) error {
			row++
			raw := r.raw
			for c := range dateCols {
				if c < len(r.cells) {
					if s, ok := xlsxSerialTime(r.cells[c], date1904); ok {
						r.cells[c] = s
					}
				}
			}
			cell := func(i int) string {
				if i < 0 || i >= len(r.cells) {
					return ""
				}
				return strings.TrimSpace(r.cells[i])
			}
			e := &model.Event{Row: row, Line: r.n, Offset: 0, Raw: raw}
			reason := filler.fill(e, r.n, func(role string) string {
				if role == "time" {
					return timeCell(g, year, cell)
				}
				return g.Cell(role, cell)
			})
			if reason == "" {
				if g.TimeNoYear {
					e.TimeText = g.Cell("time", cell)
				}
				events++
				return sink.Event(e)
			}
			return sink.Reject(Rejection{Line: r.n, Row: row, Raw: raw, Reason: r.sheet + "!" + strconv.Itoa(r.n) + ": " + reason})
		}
		place := func() error {
			sample := make([][]string, 0, len(buf))
			for _, r := range buf {
				sample = append(sample, r.cells)
			}
			var err error
			g, err = DetectRolesMapped(header, sample, in.Opts.Map)
			if err != nil {
				// A mapping names the columns of one sheet; the others
				// are passed over, and the import fails only if no sheet fits.
				placed = true
				why[sheet] = err.Error()
				return nil
			}
			for i, h := range header {
				if a, ok := aliasFor(h); ok && a.role == "time" {
					dateCols[i] = true
				}
			}
			for _, c := range g.TimeParts {
				dateCols[c] = true
			}
			if c := g.Col("time"); c >= 0 {
				dateCols[c] = true
			}
			// Serial dates become text before the roles are placed again
			// from what the cells say.
			for _, r := range buf {
				for c := range dateCols {
					if c < len(r.cells) {
						if s, ok := xlsxSerialTime(r.cells[c], date1904); ok {
							r.cells[c] = s
						}
					}
				}
			}
			g, _ = DetectRolesMapped(header, sample, in.Opts.Map)
			placed = true
			if g.Col("time") < 0 {
				return nil
			}
			year = splitYear(g, in.Opts, sink)
			var times []string
			for _, s := range sample {
				times = append(times, timeCell(g, sampleClock(year), func(c int) string {
					if c < len(s) {
						return s[c]
					}
					return ""
				}))
			}
			filler = newRoleFiller(g, times, in.Opts, sink)
			if a := g.Advice(); a != "" {
				sink.Warn(0, "sheet "+sheet+": "+a)
			}
			for _, r := range buf { // converting a converted date again leaves it as it is
				if err := handle(r); err != nil {
					return err
				}
			}
			buf = nil
			return nil
		}
		err := xlsxSheetRows(ctx, in.Name, f, sheet, func(r xlsxRow) error {
			if header == nil {
				if filled(r.cells) >= 2 { // a title row above the header is passed over
					header = r.cells
				}
				return nil
			}
			if placed {
				if filler == nil {
					return nil
				}
				return handle(r)
			}
			buf = append(buf, r)
			if len(buf) >= xlsxSampleRows {
				return place()
			}
			return nil
		})
		if err == nil && !placed && header != nil {
			err = place()
		}
		if err != nil {
			return Meta{}, err
		}
		if header != nil && filler == nil {
			if xlsxTranscriptHeader(header) {
				why[sheet] = "its columns (" + cutText(strings.Join(header, ", "), 100) +
					") are a transcript's: import the workbook with --kind transcript (or --format xlsx-transcript)"
			}
			skipped = append(skipped, sheet)
		} else if filler != nil {
			filler.finish(sink)
		}
	}
	if events == 0 && row == 0 {
		if len(skipped) > 0 {
			if w := why[skipped[0]]; w != "" {
				return Meta{}, Errorf(in.Name, 0, "no sheet could be read: sheet %s: %s", skipped[0], cutText(w, 300))
			}
			return Meta{}, Errorf(in.Name, 0, "no sheet has a time column (sheets: %s) — map with --map time=COLUMN",
				cutText(strings.Join(skipped, ", "), 200))
		}
		return Meta{}, Errorf(in.Name, 0, "the workbook has no sheet with a header row and data")
	}
	if len(skipped) > 0 {
		sink.Warn(0, "sheets without a time column were not read: "+cutText(strings.Join(skipped, ", "), 200))
	}
	return Meta{Encoding: "xlsx", TimeZone: in.Opts.Location().String()}, nil
}

func parseXLSXTranscript(ctx context.Context, in Input, sink Sink) (Meta, error) {
	f, err := openXLSX(in, false)
	if err != nil {
		return Meta{}, err
	}
	defer f.Close()
	w := newSegWriter(ctx, sink)
	var warn warnings
	segs := 0
	var others []string
	for _, sheet := range f.GetSheetList() {
		var h csvHeader
		var header []string
		err := xlsxSheetRows(ctx, in.Name, f, sheet, func(r xlsxRow) error {
			if header == nil {
				if filled(r.cells) >= 2 {
					header = r.cells
					h = mapCSVHeader(header)
				}
				return nil
			}
			if !xlsxTranscriptHeader(header) {
				return nil
			}
			get := func(role string) string {
				i, ok := h.col[role]
				if !ok || i >= len(r.cells) {
					return ""
				}
				return strings.TrimSpace(r.cells[i])
			}
			s := newSeg(r.n, 0)
			s.Text = cleanChat(get("text"))
			if s.Text == "" {
				warn.add(r.n, "empty text")
				return nil
			}
			if sp := get("speaker"); sp != "" {
				s.Speaker = NormalizeSpeaker(strings.ReplaceAll(sp, "_", " "))
			}
			for _, role := range []string{"start", "end"} {
				v := get(role)
				if v == "" {
					continue
				}
				ms, ok := csvTime(v, h.unitMS[role])
				if !ok {
					warn.add(r.n, sheet+": bad "+role+" time "+quote(v))
					continue
				}
				if role == "start" {
					s.StartMS = ms
				} else {
					s.EndMS = ms
				}
			}
			segs++
			return w.emit(s)
		})
		if err != nil {
			return Meta{}, err
		}
		if header != nil && !xlsxTranscriptHeader(header) {
			others = append(others, sheet)
		}
	}
	warn.flush(sink)
	if segs == 0 {
		return Meta{}, Errorf(in.Name, 0, "no sheet has transcript columns (a text column with speaker or start)")
	}
	if len(others) > 0 {
		sink.Warn(0, "sheets without transcript columns were not read: "+cutText(strings.Join(others, ", "), 200))
	}
	return transcriptMeta(in, "xlsx", "", ""), nil
}

// xlsxHeadHeader finds the first row of the first worksheet in the first
// bytes of a workbook, inflating what the zip's local entries hold there;
// ok is false when the header cannot be read from head alone.
func xlsxHeadHeader(head []byte) ([]string, bool) {
	var sheet, strs []byte
	for _, e := range zipHeadEntries(head, 16) {
		switch {
		case sheet == nil && strings.HasPrefix(e.name, "xl/worksheets/sheet") && strings.HasSuffix(e.name, ".xml"):
			sheet = e.body
		case e.name == "xl/sharedStrings.xml":
			strs = e.body
		}
	}
	if sheet == nil {
		return nil, false
	}
	return firstSheetRow(sheet, sharedStrings(strs))
}

// zipHeadEntry is a zip entry found in the first bytes of a file, with as
// much of its content as could be inflated from them.
type zipHeadEntry struct {
	name string
	body []byte
}

// zipHeadEntries walks the local headers of a zip's first bytes (up to max
// entries). Entries written as a stream (sizes after the data) are found by
// inflating them to their end; the walk stops at the first entry that does
// not end inside head.
func zipHeadEntries(head []byte, limit int) []zipHeadEntry {
	var out []zipHeadEntry
	for p := 0; p+30 <= len(head) && bytes.Equal(head[p:p+4], zipMagic) && len(out) < limit; {
		flags := binary.LittleEndian.Uint16(head[p+6:])
		method := binary.LittleEndian.Uint16(head[p+8:])
		csize := int(binary.LittleEndian.Uint32(head[p+18:]))
		nlen := int(binary.LittleEndian.Uint16(head[p+26:]))
		xlen := int(binary.LittleEndian.Uint16(head[p+28:]))
		start := p + 30 + nlen + xlen
		if start > len(head) {
			break
		}
		name := string(head[p+30 : p+30+nlen])
		streamed := flags&8 != 0 && csize == 0
		end := min(start+csize, len(head))
		if streamed {
			end = len(head)
		}
		data := head[start:end]
		var body []byte
		complete := !streamed && start+csize <= len(head)
		switch method {
		case 0:
			body = data
		case 8:
			br := bytes.NewReader(data)
			var err error
			body, err = io.ReadAll(io.LimitReader(flate.NewReader(br), 1<<20))
			if streamed && err == nil && len(body) < 1<<20 {
				end = start + len(data) - br.Len()
				complete = true
			}
		default:
			return append(out, zipHeadEntry{name: name})
		}
		out = append(out, zipHeadEntry{name: name, body: body})
		if !complete {
			break
		}
		p = end
		if streamed {
			if p+4 <= len(head) && bytes.Equal(head[p:p+4], []byte("PK\x07\x08")) {
				p += 4
			}
			p += 12
		}
	}
	return out
}

// sharedStrings reads the strings of xl/sharedStrings.xml (as far as they go).
func sharedStrings(b []byte) []string {
	var out []string
	dec := xml.NewDecoder(bytes.NewReader(b))
	var cur *strings.Builder
	inT := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				cur = &strings.Builder{}
			case "t":
				inT = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if cur != nil {
					out = append(out, cur.String())
				}
				cur = nil
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT && cur != nil {
				cur.Write(t)
			}
		}
	}
}

// firstSheetRow reads the cells of the first <row> of a worksheet's XML.
func firstSheetRow(b []byte, strs []string) ([]string, bool) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var cells []string
	inRow, inV, inT := false, false, false
	typ := ""
	var val strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				inRow = true
			case "c":
				typ = ""
				val.Reset()
				for _, a := range t.Attr {
					if a.Name.Local == "t" {
						typ = a.Value
					}
				}
			case "v":
				inV = true
			case "t":
				inT = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "row":
				return cells, inRow && len(cells) > 0
			case "c":
				v := val.String()
				if typ == "s" {
					i, err := strconv.Atoi(strings.TrimSpace(v))
					if err != nil || i < 0 || i >= len(strs) {
						return nil, false
					}
					v = strs[i]
				}
				cells = append(cells, v)
			case "v":
				inV = false
			case "t":
				inT = false
			}
		case xml.CharData:
			if inRow && (inV || inT) {
				val.Write(t)
			}
		}
	}
}
