package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"casebook/model"
)

// xlsxParse runs an xlsx format on a fixture; workbooks have no byte
// offsets, so the offset invariants of mustParseLog do not apply.
func xlsxParse(t *testing.T, format, file string, opts Options) *eventSink {
	t.Helper()
	data := readTestdata(t, "logfixtures/"+file)
	s, _, err := parseLog(t, format, file, data, opts)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	last := 0
	for _, e := range s.events {
		if e.Row <= last || e.Line < 1 || e.Offset != 0 || e.Time.Location() != time.UTC || e.Time.IsZero() {
			t.Fatalf("event %+v breaks the workbook invariants", e)
		}
		last = e.Row
	}
	return s
}

func TestXLSXAccessLogReadsEverySheetWithATimeColumn(t *testing.T) {
	s := xlsxParse(t, "xlsx-accesslog", "lumora_access_workbook.xlsx", Options{})
	// Sheet Access: a title row, the header, two good rows and "soon";
	// sheet Split: Date and Time cells joined; sheet Notes: no time column.
	if len(s.events) != 3 || len(s.rejects) != 1 {
		t.Fatalf("%d events, %d rejects %v", len(s.events), len(s.rejects), s.rejectReasons())
	}
	e := s.events[0]
	if !e.Time.Equal(time.Date(2024, 3, 4, 9, 15, 2, 0, time.UTC)) || e.ActorName != "Mia Chen" || e.IP != "192.0.2.8" ||
		e.Action != "export" || e.Resource != "us_users.profiles" || e.RecordCount != 12000 || e.Line != 3 || e.Row != 1 ||
		!strings.HasPrefix(e.Raw, "Access!3: ") {
		t.Errorf("first event %+v", e)
	}
	if r := s.rejects[0]; r.Line != 5 || !strings.HasPrefix(r.Reason, "Access!5: time") || !strings.Contains(r.Raw, "soon") {
		t.Errorf("rejection %+v", r)
	}
	split := s.events[2]
	if !split.Time.Equal(time.Date(2024, 3, 5, 8, 1, 0, 0, time.UTC)) || split.ActorName != "Priya Raman" || split.Line != 2 ||
		!strings.HasPrefix(split.Raw, "Split!2: ") {
		t.Errorf("split-time event %+v", split)
	}
	if !strings.Contains(strings.Join(s.warns, "\n"), "Notes") {
		t.Errorf("the skipped sheet is not named: %v", s.warns)
	}
}

func TestXLSXDatesOfThe1904SystemConvert(t *testing.T) {
	s := xlsxParse(t, "xlsx-accesslog", "lumora_access_1904.xlsx", Options{})
	if len(s.events) != 2 || len(s.rejects) != 0 {
		t.Fatalf("%d events, %d rejects %v", len(s.events), len(s.rejects), s.rejectReasons())
	}
	if !s.events[0].Time.Equal(time.Date(2024, 3, 4, 9, 15, 2, 0, time.UTC)) || !s.events[1].Time.Equal(time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("times %v and %v (read in the 1900 system they would be four years early)", s.events[0].Time, s.events[1].Time)
	}
	// The zone of the import applies to the wall times a workbook holds.
	s = xlsxParse(t, "xlsx-accesslog", "lumora_access_1904.xlsx", Options{TZ: time.FixedZone("SGT", 8*3600)})
	if !s.events[0].Time.Equal(time.Date(2024, 3, 4, 1, 15, 2, 0, time.UTC)) {
		t.Errorf("in SGT: %v", s.events[0].Time)
	}
}

func TestXLSXWithTranscriptColumnsImportsAsATranscript(t *testing.T) {
	data := readTestdata(t, "logfixtures/lumora_interview.xlsx")
	head := data[:min(len(data), HeadSize)]
	for _, kind := range []model.SourceKind{"", model.KindTranscript} {
		if f, err := Detect("interview.xlsx", head, kind); err != nil || f.Name != "xlsx-transcript" {
			t.Errorf("kind %q: detected %s, %v", kind, fname(f), err)
		}
	}
	f, _ := Lookup("xlsx-transcript")
	var segs []*model.Segment
	sink := &segCollect{add: func(s *model.Segment) { c := *s; segs = append(segs, &c) }}
	if _, err := f.Parse(context.Background(), Input{Name: "interview.xlsx", R: bytes.NewReader(data), Size: int64(len(data))}, sink); err != nil {
		t.Fatal(err)
	}
	if len(segs) != 3 || segs[0].Speaker != "Mia Chen" || segs[0].StartMS != 1500 || segs[1].Text != "It went to the Singapore office, yes." ||
		segs[1].Line != 3 || segs[2].EndMS != 9000 {
		t.Fatalf("%d segments, first %+v", len(segs), segs[0])
	}
	// The access-log workbooks are not transcripts, and the other way round.
	logHead := readTestdata(t, "logfixtures/lumora_access_workbook.xlsx")
	if f, err := Detect("access.xlsx", logHead[:min(len(logHead), HeadSize)], ""); err != nil || f.Name != "xlsx-accesslog" {
		t.Errorf("access workbook detected as %s, %v", fname(f), err)
	}
	if f, err := Detect("access.xlsx", logHead[:min(len(logHead), HeadSize)], model.KindTranscript); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("access workbook taken for the transcript format %s", fname(f))
	}
}

func TestXLSXHostileInputIsRefusedEarly(t *testing.T) {
	data := readTestdata(t, "logfixtures/lumora_access_workbook.xlsx")
	for _, name := range []string{"xlsx-accesslog", "xlsx-transcript"} {
		f, _ := Lookup(name)
		// A 1 GiB "workbook" is refused by its size before anything is read.
		r := &countingReader{prefix: data[:200], fill: 'x', n: 1 << 30}
		_, err := f.Parse(context.Background(), Input{Name: "huge.xlsx", R: r, Size: 200 + 1<<30}, &eventSink{})
		if err == nil || r.read > 0 || !strings.Contains(err.Error(), "huge.xlsx") {
			t.Errorf("%s: %v after reading %d bytes", name, err, r.read)
		}
		// Damaged bytes give one short error, not a panic.
		bad := append([]byte(nil), data...)
		for i := len(bad) / 3; i < len(bad); i += 89 {
			bad[i] = 0
		}
		_, err = f.Parse(context.Background(), Input{Name: "bad.xlsx", R: bytes.NewReader(bad), Size: int64(len(bad))}, &eventSink{})
		if err != nil && (strings.Contains(err.Error(), "\n") || len(err.Error()) > 600) {
			t.Errorf("%s: error %q", name, err)
		}
	}
}

// segCollect is a sink that keeps segments.
type segCollect struct{ add func(*model.Segment) }

func (s *segCollect) Segment(g *model.Segment) error { s.add(g); return nil }
func (s *segCollect) Event(*model.Event) error       { return errors.New("event from a transcript") }
func (s *segCollect) Warn(int, string)               {}
func (s *segCollect) Reject(Rejection) error         { return nil }

func TestXLSXMappingAppliesToTheSheetsThatHaveItsColumns(t *testing.T) {
	// "Employee" is a column of sheet Access only: Split and Notes are passed over.
	s := xlsxParse(t, "xlsx-accesslog", "lumora_access_workbook.xlsx", Options{Map: map[string]string{"actor": "Employee"}})
	if len(s.events) != 2 || s.events[0].ActorName != "Mia Chen" {
		t.Fatalf("%d events, first %+v", len(s.events), s.events)
	}
	data := readTestdata(t, "logfixtures/lumora_access_workbook.xlsx")
	_, _, err := parseLog(t, "xlsx-accesslog", "access.xlsx", data, Options{Map: map[string]string{"actor": "Nobody"}})
	if err == nil || !strings.Contains(err.Error(), "mapping actor=Nobody: no such column") {
		t.Errorf("a mapping no sheet fits: %v", err)
	}
}

func TestXLSXTranscriptReadAsALogSaysToAskForATranscript(t *testing.T) {
	data := readTestdata(t, "logfixtures/lumora_interview.xlsx")
	_, _, err := parseLog(t, "xlsx-accesslog", "interview.xlsx", data, Options{})
	if err == nil || !strings.Contains(err.Error(), "--kind transcript") {
		t.Errorf("a transcript workbook forced as a log: %v", err)
	}
}

// rezip copies a real workbook part by part, still compressed, letting
// edit change each part's header and add parts at the end.
func rezip(t *testing.T, data []byte, edit func(h *zip.FileHeader), extra func(w *zip.Writer)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range zr.File {
		raw, err := p.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		h := p.FileHeader
		edit(&h)
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, raw); err != nil {
			t.Fatal(err)
		}
	}
	if extra != nil {
		extra(zw)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A part's declared unpacked size is what excelize allocates before it
// reads the part: a size that lies (found by FuzzXLSX: 3.8 GB declared for
// 280 packed bytes took 10-18 s of clearing memory, or ended the fuzz
// worker) is refused at once with the file's name, and no temporary file
// of excelize's stays behind, whether the workbook opens or not.
func TestXLSXPartSizesThatLieAreRefusedAndNoTemporaryFileStays(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	good := readTestdata(t, "logfixtures/lumora_access_workbook.xlsx")
	lying := rezip(t, good, func(h *zip.FileHeader) {
		if h.Name == "xl/sharedStrings.xml" {
			h.UncompressedSize64 = 3 << 30
		}
	}, nil)
	// A sheet over the in-memory limit, packed with a method Go cannot
	// unpack: excelize creates its temporary file, fails to fill it, and
	// returns an error without the File that would remove it.
	unpackable := rezip(t, good, func(*zip.FileHeader) {}, func(zw *zip.Writer) {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet9.xml", Method: 99,
			CompressedSize64: 16 << 10, UncompressedSize64: xlsxMemPart + 1})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(bytes.Repeat([]byte{0x5a}, 16<<10))
	})
	for _, name := range []string{"xlsx-accesslog", "xlsx-transcript"} {
		f, _ := Lookup(name)
		began := time.Now()
		_, err := f.Parse(context.Background(), Input{Name: "lying.xlsx", R: bytes.NewReader(lying), Size: int64(len(lying))}, &eventSink{})
		if err == nil || !strings.Contains(err.Error(), "lying.xlsx") || !strings.Contains(err.Error(), "xl/sharedStrings.xml") {
			t.Errorf("%s: lying sizes gave %v", name, err)
		}
		t.Logf("%s: refused in %v: %v", name, time.Since(began), err)
		_, err = f.Parse(context.Background(), Input{Name: "unpackable.xlsx", R: bytes.NewReader(unpackable), Size: int64(len(unpackable))}, &eventSink{})
		if err == nil || !strings.Contains(err.Error(), "unpackable.xlsx") {
			t.Errorf("%s: an unpackable sheet gave %v", name, err)
		}
		_, _ = f.Parse(context.Background(), Input{Name: "good.xlsx", R: bytes.NewReader(good), Size: int64(len(good))}, &eventSink{})
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("%d entries left in the temporary folder, the first %s", len(left), left[0].Name())
	}
}
