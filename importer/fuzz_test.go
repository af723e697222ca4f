package importer

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"casebook/model"
)

// countSink counts segments and records the first broken invariant: Seq
// must run 1, 2, 3 … and every segment must sit inside the input.
type countSink struct {
	size int64
	n    int
	err  error
}

func (c *countSink) Segment(s *model.Segment) error {
	c.n++
	switch {
	case c.err != nil:
	case s.Seq != c.n:
		c.err = fmt.Errorf("segment %d has Seq %d", c.n, s.Seq)
	case s.Offset < 0 || s.Offset > c.size || s.Length < 0 || s.Offset+s.Length > c.size:
		c.err = fmt.Errorf("segment %d spans %d+%d outside %d bytes", s.Seq, s.Offset, s.Length, c.size)
	case s.Line < 1:
		c.err = fmt.Errorf("segment %d on line %d", s.Seq, s.Line)
	case s.Text == "":
		c.err = fmt.Errorf("segment %d has no text", s.Seq)
	}
	return nil
}
func (c *countSink) Event(*model.Event) error { return fmt.Errorf("event from a transcript parser") }
func (c *countSink) Warn(int, string)         {}
func (c *countSink) Reject(Rejection) error   { return nil }

// fuzzParse seeds f with the fixtures of a format and checks that parsing
// arbitrary bytes never panics and keeps the segment invariants.
func fuzzParse(f *testing.F, format string, seeds ...[]byte) {
	for _, c := range allFixtures(f) {
		if c.format == format {
			f.Add(c.data)
		}
	}
	for _, s := range seeds {
		f.Add(s)
	}
	p, err := Lookup(format)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		sink := &countSink{size: int64(len(data))}
		began := time.Now()
		defer func() {
			if d := time.Since(began); d > 1500*time.Millisecond {
				t.Fatalf("%d bytes took %v", len(data), d)
			}
		}()
		_, _ = p.Parse(ctx, Input{Name: "fuzz", R: bytes.NewReader(data), Size: int64(len(data)), Opts: Options{MaxLine: 1 << 16}}, sink)
		if sink.err != nil {
			t.Fatal(sink.err)
		}
		_ = p.Detect("fuzz", data[:min(len(data), HeadSize)])
	})
}

func FuzzVTT(f *testing.F) {
	fuzzParse(f, "vtt", []byte("WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>x</v><v B>y\n"))
}
func FuzzSRT(f *testing.F) {
	fuzzParse(f, "srt", []byte("1\n00:00:01,000 --> 00:00:02,000\nA: b\n2\n00:00:03 --> 00:00:04\nc"))
}
func FuzzOtter(f *testing.F) { fuzzParse(f, "otter") }
func FuzzRev(f *testing.F)   { fuzzParse(f, "rev") }
func FuzzHearing(f *testing.F) {
	fuzzParse(f, "hearing", seedHeads(fetchedSeeds("hearings", ".txt"))...)
}
func FuzzCourtTranscript(f *testing.F) {
	fuzzParse(f, "court-transcript", seedHeads(append(fetchedSeeds("hearings", ".txt"), fetchedSeeds("hearings/caughtlistening-240423", ".txt")...))...)
}

// seedHeads cuts long real files to their first 16 KiB: a transcript of a
// whole day makes every execution slow without reaching more of the parser.
func seedHeads(seeds [][]byte) [][]byte {
	for i, s := range seeds {
		if len(s) > 16<<10 {
			seeds[i] = s[:16<<10]
		}
	}
	return seeds
}
func FuzzZoomChat(f *testing.F) { fuzzParse(f, "zoom-chat") }
func FuzzPlain(f *testing.F)    { fuzzParse(f, "plain-transcript") }
func FuzzWhisperTSV(f *testing.F) {
	fuzzParse(f, "whisper-tsv", []byte("start\tend\ttext\n1\t2\tx\nbad\n"))
}
func FuzzWhisperJSON(f *testing.F) {
	fuzzParse(f, "whisper-json", []byte(`{"segments":[{"start":"1","end":null,"text":"x"},3,{"start":1e308}]}`))
}
func FuzzTranscriptCSV(f *testing.F) {
	fuzzParse(f, "transcript-csv", []byte("speaker,start,end,text\nA,1,2,\"x\ny\"\nB,\"3"))
}
func FuzzAMI(f *testing.F) {
	fuzzParse(f, "ami-xml", []byte(`<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><r><w starttime="1" endtime="2">&b;</w></r>`))
}

// FuzzDOCX fuzzes whole files and, more usefully, the document.xml inside a
// well-formed package: inputs not starting with "PK" are wrapped as
// word/document.xml.
func FuzzDOCX(f *testing.F) {
	f.Add(teamsDOCX(f))
	f.Add([]byte(`<w:document xmlns:w="w"><w:body><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Mia Chen:</w:t></w:r>` +
		`<w:r><w:t xml:space="preserve"> Hello</w:t><w:tab/><w:br/></w:r></w:p><w:p><w:r><w:t>0:05</w:t></w:r></w:p></w:body></w:document>`))
	p, _ := Lookup("docx")
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, zipMagic) {
			data = zipOf(t, map[string][]byte{"word/document.xml": data}, []string{"word/document.xml"})
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		sink := &countSink{size: int64(len(data))}
		_, _ = p.Parse(ctx, Input{Name: "fuzz.docx", R: bytes.NewReader(data), Size: int64(len(data))}, sink)
		if sink.err != nil {
			t.Fatal(sink.err)
		}
	})
}

func FuzzArchive(f *testing.F) {
	f.Add(zipOf(f, map[string][]byte{"a.vtt": []byte("WEBVTT\n"), "dir/b.srt": []byte("1\n")}, []string{"a.vtt", "dir/b.srt"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ArchiveEntries("fuzz.zip", bytes.NewReader(data), int64(len(data)),
			ArchiveLimits{MaxEntries: 100, MaxEntrySize: 1 << 20, MaxTotal: 4 << 20, MaxRatio: 100})
		if err != nil {
			return
		}
		for _, e := range entries {
			rc, err := e.Open()
			if err != nil {
				continue
			}
			var buf bytes.Buffer
			n, _ := buf.ReadFrom(rc)
			rc.Close()
			if n > e.Size {
				t.Fatalf("entry %s gave %d bytes, declared %d", e.Name, n, e.Size)
			}
		}
	})
}
