package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"casebook/model"
)

// Hostile inputs: leaked files are untrusted. Each test feeds every parser
// something built to hurt it and checks for a clear error or counted
// rejects, bounded reading, valid text out, and no panic or hang. The
// context deadline is a hang guard, not a speed measurement.

// hostileSink counts what a parser sends and records the first record whose
// text is not valid UTF-8 or holds a NUL byte.
type hostileSink struct {
	segments, events, rejects, warns int
	bad                              string
}

func (s *hostileSink) check(what string, fields ...string) {
	for _, f := range fields {
		if s.bad == "" && (!utf8.ValidString(f) || strings.ContainsRune(f, 0)) {
			s.bad = fmt.Sprintf("%s with text %q", what, cutText(f, 40))
		}
	}
}
func (s *hostileSink) Segment(g *model.Segment) error {
	s.segments++
	s.check("segment", g.Text, g.Speaker)
	return nil
}
func (s *hostileSink) Event(e *model.Event) error {
	s.events++
	s.check("event", e.Raw, e.ActorName, e.Action, e.Resource, e.Purpose)
	return nil
}
func (s *hostileSink) Warn(int, string) { s.warns++ }
func (s *hostileSink) Reject(r Rejection) error {
	s.rejects++
	s.check("rejection", r.Raw, r.Reason)
	return nil
}

// countingReader yields a prefix and then n bytes of fill without holding
// them, counting what was read.
type countingReader struct {
	prefix []byte
	fill   byte
	n      int64
	read   int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		k := copy(p, c.prefix)
		c.prefix = c.prefix[k:]
		c.read += int64(k)
		return k, nil
	}
	if c.n <= 0 {
		return 0, io.EOF
	}
	k := int64(len(p))
	if k > c.n {
		k = c.n
	}
	for i := range p[:k] {
		p[i] = c.fill
	}
	c.n -= k
	c.read += k
	return int(k), nil
}

// sampleHead is the first lines of a real sample of each format: enough
// for the parser to accept the file before the hostile part begins.
func sampleHeads(t *testing.T) map[string][]byte {
	t.Helper()
	heads := map[string][]byte{}
	add := func(format string, data []byte) {
		if _, ok := heads[format]; ok {
			return
		}
		cut := data
		if i := bytes.Index(data[min(len(data), 200):], []byte("\n")); i >= 0 {
			cut = data[:min(len(data), 200)+i+1]
		}
		heads[format] = cut
	}
	for _, c := range allFixtures(t) {
		add(c.format, c.data)
	}
	for _, c := range logFixtures {
		add(c.format, readTestdata(t, "logfixtures/"+c.file))
	}
	add("pgaudit", readTestdata(t, "logs/pgaudit_postgresql-2015-08-12_161343.csv"))
	add("weblog", readTestdata(t, "logs/crowdsec_apache2-logs.log"))
	add("xlsx-accesslog", readTestdata(t, "logfixtures/lumora_access_workbook.xlsx"))
	add("xlsx-transcript", readTestdata(t, "logfixtures/lumora_interview.xlsx"))
	add("m365-audit", readTestdata(t, "m365/lumora_purview_export.csv"))
	return heads
}

func parseHostile(t *testing.T, f *Format, name string, r io.Reader, size int64) (*hostileSink, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sink := &hostileSink{}
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("%s panicked: %v", f.Name, p)
			}
		}()
		_, err = f.Parse(ctx, Input{Name: name, R: r, Size: size}, sink)
	}()
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%s did not finish: it hangs on this input", f.Name)
	}
	if sink.bad != "" {
		t.Errorf("%s sent a %s", f.Name, sink.bad)
	}
	if err != nil && (len(err.Error()) > 600 || strings.Contains(err.Error(), "\n")) {
		t.Errorf("%s: the error is not one short line (%d bytes): %.200s…", f.Name, len(err.Error()), err)
	}
	return sink, err
}

// TestAGigabyteLineIsRefusedAfterReadingLittle gives every parser a real
// head followed by a one-gigabyte line, which is never held in memory by
// the test, and checks that the parser gives up long before the end.
func TestAGigabyteLineIsRefusedAfterReadingLittle(t *testing.T) {
	heads := sampleHeads(t)
	for _, f := range Formats() {
		t.Run(f.Name, func(t *testing.T) {
			head, ok := heads[f.Name]
			if !ok {
				t.Fatalf("no sample of %s", f.Name)
			}
			r := &countingReader{prefix: head, fill: 'x', n: 1 << 30}
			sink, err := parseHostile(t, f, "huge."+f.Name, r, int64(len(head))+1<<30)
			// Formats read whole into memory have their own size limits
			// (DOCX 64 MiB, AMI XML 256 MiB); every line-based format stops
			// at the line limit.
			limit := int64(DefaultMaxLine + 2*HeadSize + 1<<20)
			switch f.Name {
			case "docx":
				limit = docxMaxFile + 1<<20
			case "ami-xml":
				limit = amiMaxSize + 1<<20
			}
			if r.read > limit {
				t.Errorf("read %d MiB of a 1 GiB line before stopping (limit %d MiB)", r.read>>20, limit>>20)
			}
			if err == nil && sink.rejects == 0 && sink.warns == 0 {
				t.Errorf("a 1 GiB line passed with no error, rejection or warning (%d segments, %d events)", sink.segments, sink.events)
			}
			if err != nil && !strings.Contains(err.Error(), "huge.") {
				t.Errorf("error does not name the file: %v", err)
			}
		})
	}
}

// TestAGigabyteJSONStringIsRefusedAfterReadingLittle opens a string value
// in JSON formats and never closes it.
func TestAGigabyteJSONStringIsRefusedAfterReadingLittle(t *testing.T) {
	prefixes := map[string]string{
		"whisper-json":    `{"text":"`,
		"jsonl-accesslog": `[{"ts":"2024-01-01T00:00:00Z","user":"`,
		"cloudtrail":      `{"Records":[{"eventTime":"2024-01-01T00:00:00Z","userIdentity":{"arn":"`,
		"gcp-audit":       `[{"protoPayload":{"methodName":"`,
	}
	for name, prefix := range prefixes {
		t.Run(name, func(t *testing.T) {
			f, err := Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			r := &countingReader{prefix: []byte(prefix), fill: 'x', n: 1 << 30}
			sink, err := parseHostile(t, f, "string.json", r, int64(len(prefix))+1<<30)
			if r.read > 64<<20 {
				t.Errorf("read %d MiB of a 1 GiB string before stopping", r.read>>20)
			}
			if err == nil && sink.rejects == 0 {
				t.Errorf("a 1 GiB string passed unremarked")
			}
		})
	}
}

// TestDeeplyNestedJSONIsRefused nests arrays and objects a million deep.
func TestDeeplyNestedJSONIsRefused(t *testing.T) {
	const depth = 1_000_000
	inputs := map[string][]byte{
		"arrays":  []byte(strings.Repeat("[", depth) + strings.Repeat("]", depth)),
		"objects": []byte(strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)),
		"records": []byte(`{"Records":[` + strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth) + "]}"),
		"line":    []byte(`{"ts":"2024-01-01T00:00:00Z","user":"a","x":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "}\n"),
	}
	for _, name := range []string{"jsonl-accesslog", "cloudtrail", "gcp-audit", "okta", "azure-signin", "whisper-json"} {
		f, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		for kind, data := range inputs {
			t.Run(name+"/"+kind, func(t *testing.T) {
				sink, err := parseHostile(t, f, "deep.json", bytes.NewReader(data), int64(len(data)))
				if err == nil && sink.rejects == 0 {
					t.Errorf("nesting %d deep passed unremarked (%d events, %d segments)", depth, sink.events, sink.segments)
				}
				if err != nil && !strings.Contains(err.Error(), "deep.json") {
					t.Errorf("error does not name the file: %v", err)
				}
			})
		}
	}
}

// TestAMillionColumns gives the tabular parsers a header and a row of a
// million columns each.
func TestAMillionColumns(t *testing.T) {
	const cols = 1_000_000
	header := "time,user," + strings.Repeat("c,", cols-3) + "c\n"
	row := "2024-03-01T10:00:00Z,Mia Chen," + strings.Repeat("v,", cols-3) + "v\n"
	ok := "time,user,ip\n2024-03-01T10:00:00Z,Mia Chen,192.0.2.1\n"
	inputs := map[string]string{
		"wide header": header + row,
		"wide row":    ok + row,
	}
	for _, name := range []string{"csv-accesslog", "transcript-csv", "azure-signin", "whisper-tsv", "pgaudit"} {
		f, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		for kind, data := range inputs {
			t.Run(name+"/"+kind, func(t *testing.T) {
				sink, err := parseHostile(t, f, "wide.csv", strings.NewReader(data), int64(len(data)))
				if err != nil && !strings.Contains(err.Error(), "wide.csv") {
					t.Errorf("error does not name the file: %v", err)
				}
				t.Logf("%v; %d events, %d segments, %d rejects", err, sink.events, sink.segments, sink.rejects)
			})
		}
	}
}

// TestNULBytesAndInvalidUTF8NeverReachARecord sprinkles NUL and invalid
// bytes through a real sample of every format.
func TestNULBytesAndInvalidUTF8NeverReachARecord(t *testing.T) {
	samples := map[string][]byte{}
	for _, c := range allFixtures(t) {
		if _, ok := samples[c.format]; !ok {
			samples[c.format] = c.data
		}
	}
	for _, c := range logFixtures {
		if _, ok := samples[c.format]; !ok {
			samples[c.format] = readTestdata(t, "logfixtures/"+c.file)
		}
	}
	for _, f := range Formats() {
		data, ok := samples[f.Name]
		if !ok || f.Name == "docx" {
			continue // a DOCX is a zip: damaged bytes make it unreadable, covered by the fuzz target
		}
		t.Run(f.Name, func(t *testing.T) {
			bad := append([]byte(nil), data...)
			// Past the head, so the encoding is still sniffed as UTF-8.
			for i := min(len(bad)/2, HeadSize); i < len(bad); i += 97 {
				switch bad[i] {
				case '\n', '\r', '"', ',', '\t', '<', '>', '{', '}', '[', ']', ':':
					continue
				}
				if i%2 == 0 {
					bad[i] = 0
				} else {
					bad[i] = 0xFF
				}
			}
			parseHostile(t, f, "nul."+f.Name, bytes.NewReader(bad), int64(len(bad)))
		})
	}
}

// TestEntityExpansionInDOCXIsNotPerformed builds a DOCX whose document
// declares the "billion laughs" entities and uses them.
func TestEntityExpansionInDOCXIsNotPerformed(t *testing.T) {
	var decl strings.Builder
	decl.WriteString(`<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := fmt.Sprintf("lol%d", i)
		fmt.Fprintf(&decl, `<!ENTITY %s "%s">`, name, strings.Repeat("&"+prev+";", 10))
		prev = name
	}
	decl.WriteString(`]>`)
	doc := decl.String() + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:p><w:r><w:t>Mia Chen  0:01</w:t></w:r></w:p><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   doc,
	} {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	zw.Close()
	f, _ := Lookup("docx")
	sink, err := parseHostile(t, f, "laughs.docx", bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err == nil && sink.segments > 0 {
		t.Logf("parsed %d segments without expanding", sink.segments)
	}
	if err != nil && !strings.Contains(err.Error(), "laughs.docx") {
		t.Errorf("error does not name the file: %v", err)
	}
}

// TestDOCXBombIsRefused compresses a gigabyte of zeros into document.xml.
func TestDOCXBombIsRefused(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	zero := make([]byte, 1<<20)
	for i := 0; i < 1024; i++ {
		w.Write(zero)
	}
	zw.Close()
	f, _ := Lookup("docx")
	_, err := parseHostile(t, f, "bomb.docx", bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err == nil || !strings.Contains(err.Error(), "bomb.docx") {
		t.Fatalf("a DOCX holding 1 GiB of zeros: %v", err)
	}
	t.Logf("%d KiB bomb: %v", buf.Len()>>10, err)
}
