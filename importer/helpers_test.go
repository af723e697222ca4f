package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casebook/model"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// recordSink keeps everything a parser sends.
type recordSink struct {
	segs    []*model.Segment
	warns   []string
	rejects []string
}

func (r *recordSink) Segment(s *model.Segment) error {
	c := *s
	r.segs = append(r.segs, &c)
	return nil
}
func (r *recordSink) Event(*model.Event) error {
	return fmt.Errorf("a transcript parser sent an event")
}
func (r *recordSink) Warn(line int, msg string) {
	r.warns = append(r.warns, fmt.Sprintf("%d: %s", line, msg))
}
func (r *recordSink) Reject(rj Rejection) error {
	r.rejects = append(r.rejects, fmt.Sprintf("%d: %s", rj.Line, rj.Reason))
	return nil
}

// speakers lists the distinct speakers in order of appearance.
func (r *recordSink) speakers() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range r.segs {
		if !seen[s.Speaker] {
			seen[s.Speaker] = true
			out = append(out, s.Speaker)
		}
	}
	return out
}

// parseWith runs the named format's parser on data.
func parseWith(t testing.TB, format, name string, data []byte, opts Options) (*recordSink, Meta, error) {
	t.Helper()
	f, err := Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	sink := &recordSink{}
	meta, err := f.Parse(context.Background(), Input{Name: name, R: bytes.NewReader(data), Size: int64(len(data)), Opts: opts}, sink)
	return sink, meta, err
}

// mustParse parses data, fails the test on an error, and checks the
// invariants every parser keeps.
func mustParse(t testing.TB, format, name string, data []byte) (*recordSink, Meta) {
	t.Helper()
	sink, meta, err := parseWith(t, format, name, data, Options{})
	if err != nil {
		t.Fatalf("%s as %s: %v", name, format, err)
	}
	checkSegments(t, sink.segs, int64(len(data)))
	return sink, meta
}

// checkSegments asserts Seq runs 1, 2, 3 …, offsets and spans sit inside the
// input, lines are positive and times are -1 or more.
func checkSegments(t testing.TB, segs []*model.Segment, size int64) {
	t.Helper()
	for i, s := range segs {
		if s.Seq != i+1 {
			t.Fatalf("segment %d has Seq %d", i+1, s.Seq)
		}
		if s.Offset < 0 || s.Offset > size || s.Length < 0 || s.Offset+s.Length > size {
			t.Fatalf("segment %d spans %d+%d outside the %d-byte input", s.Seq, s.Offset, s.Length, size)
		}
		if s.Line < 1 {
			t.Fatalf("segment %d has line %d", s.Seq, s.Line)
		}
		if s.StartMS < -1 || s.EndMS < -1 {
			t.Fatalf("segment %d has times %d-%d", s.Seq, s.StartMS, s.EndMS)
		}
		if s.Text == "" {
			t.Fatalf("segment %d has no text", s.Seq)
		}
	}
}

func readTestdata(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// at the byte offset, the original reads want.
func assertAt(t testing.TB, data []byte, s *model.Segment, want string) {
	t.Helper()
	if !bytes.HasPrefix(data[s.Offset:], []byte(want)) {
		end := min(int(s.Offset)+40, len(data))
		t.Errorf("segment %d at offset %d reads %q, want it to start with %q", s.Seq, s.Offset, data[s.Offset:end], want)
	}
}

// encodeUTF16 writes s as UTF-16 with a byte-order mark.
func encodeUTF16(t testing.TB, s string, big bool) []byte {
	t.Helper()
	e := unicode.LittleEndian
	if big {
		e = unicode.BigEndian
	}
	b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// encodeGB18030 writes s in GB18030.
func encodeGB18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// chineseVTT is a fictional Lumora meeting in Chinese, for GB18030 and
// UTF-16 tests.
const chineseVTT = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v 陈美>我们先讨论用户数据的导出问题。\n\n" +
	"2\n00:00:04.500 --> 00:00:08.000\n<v 欧卡福>新加坡办公室上个月导出了三次。\n\n" +
	"3\n00:00:08.500 --> 00:00:11.000\n<v 陈美>谁批准的？\n"

// docxPart is one paragraph of a generated DOCX: optional bold lead, then text.
type docxPart struct{ bold, text string }

// buildDOCX writes a minimal Word document with the given paragraphs and
// core properties, as Word and Teams do.
func buildDOCX(t testing.TB, title, created string, paras []docxPart) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		body.WriteString("<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr>")
		if p.bold != "" {
			body.WriteString(`<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + xmlEscape(p.bold) + `</w:t></w:r>`)
		}
		if p.text != "" {
			// split the text into two runs, as Word often does
			half := strings.Index(p.text, " ")
			if half < 0 {
				half = len(p.text)
			}
			body.WriteString(`<w:r><w:t xml:space="preserve">` + xmlEscape(p.text[:half]) + `</w:t></w:r>`)
			if half < len(p.text) {
				body.WriteString(`<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t xml:space="preserve">` + xmlEscape(p.text[half:]) + `</w:t></w:r>`)
			}
		}
		body.WriteString("</w:p>")
	}
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() +
			`<w:sectPr/></w:body></w:document>`},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
			`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
			`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>` + xmlEscape(title) + `</dc:title>` +
			`<dcterms:created xsi:type="dcterms:W3CDTF">` + created + `</dcterms:created></cp:coreProperties>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// teamsDOCX is a fictional Teams transcript as .docx.
func teamsDOCX(t testing.TB) []byte {
	return buildDOCX(t, "Lumora data review", "2024-04-02T09:15:00Z", []docxPart{
		{text: "Lumora data review"},
		{text: "Mia Chen   0:05"},
		{text: "Can everyone see the export dashboard?"},
		{text: "Daniel Okafor   0:12"},
		{text: "Yes. The Manila vendor pulled 40,000 profiles & messages."},
		{text: "That was in March."},
		{text: "Priya Raman 1:02:03"},
		{text: "Was it approved?"},
		{bold: "Mia Chen:", text: "Not that I know of."},
		{text: "Daniel Okafor: I'll find the ticket."},
	})
}

// zipOf builds a zip archive holding the named files.
func zipOf(t testing.TB, files map[string][]byte, order []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range order {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(files[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fetchedEnv names the folder that holds the third-party files gathered with
// the workplace's fetch tool, in subfolders realworld/, realsubs/ and
// reallogs/. Those files are not committed (the workplace's rule for fetched
// material); SOURCES.md in each of testdata/realworld, testdata/realsubs and
// testdata/reallogs names every file's repository, path, commit and licence.
const fetchedEnv = "CASEBOOK_FETCHED_CORPUS"

// fetchedFile reads a fetched third-party file, or skips the test, naming
// what is missing, when the corpus is not on this machine.
func fetchedFile(t testing.TB, sub, name string) []byte {
	t.Helper()
	b, err := readFetched(sub, name)
	if err != nil {
		t.Skipf("fetched corpus: %v (set %s to the folder holding %s/; see testdata/%s/SOURCES.md)", err, fetchedEnv, sub, sub)
	}
	return b
}

// readFetched reads a fetched third-party file.
func readFetched(sub, name string) ([]byte, error) {
	dir := os.Getenv(fetchedEnv)
	if dir == "" {
		return nil, fmt.Errorf("%s is not set", fetchedEnv)
	}
	return os.ReadFile(filepath.Join(dir, sub, filepath.FromSlash(name)))
}

// fetchedSeeds returns the fetched files of sub whose names end with one of
// exts, for fuzz seeds; none when the corpus is not on this machine.
func fetchedSeeds(sub string, exts ...string) [][]byte {
	dir := os.Getenv(fetchedEnv)
	if dir == "" {
		return nil
	}
	var out [][]byte
	for _, e := range exts {
		names, _ := filepath.Glob(filepath.Join(dir, sub, "*"+e))
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil {
				out = append(out, b)
			}
		}
	}
	return out
}
