package importer

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// Subtitles typed or pasted into Word: each paragraph holds a cue number, a
// timing line or a line of cue text. They must import as the cues they are,
// not as one segment with the numbers and timings in its text. Fictional
// Lumora lines.

func TestDOCXWithSubRipParagraphsImportsTheCues(t *testing.T) {
	data := buildDOCX(t, "", "2022-03-09T10:00:00Z", []docxPart{
		{text: "1"},
		{text: "00:02:17,400 --> 00:02:20,400"},
		{text: "Mia, the vendor is asking"},
		{text: "for the full export again."},
		{text: ""},
		{text: "2"},
		{text: "01:02:20,500 --> 01:02:22,500"},
		{text: "DANIEL OKAFOR: Not without a ticket."},
	})
	if f, err := Detect("captions.docx", data, ""); err != nil || f.Name != "docx" {
		t.Fatalf("detected %v (%v)", fname(f), err)
	}
	sink, meta := mustParse(t, "docx", "captions.docx", data)
	want := []struct {
		speaker, text string
		start, end    int64
		para          int
	}{
		{"", "Mia, the vendor is asking for the full export again.", 137400, 140400, 1},
		{"DANIEL OKAFOR", "Not without a ticket.", 3740500, 3742500, 6},
	}
	if len(sink.segs) != len(want) {
		t.Fatalf("%d segments, want %d: %+v", len(sink.segs), len(want), sink.segs)
	}
	for i, w := range want {
		s := sink.segs[i]
		if s.Speaker != w.speaker || s.Text != w.text || s.StartMS != w.start || s.EndMS != w.end || s.Line != w.para || s.Offset != 0 {
			t.Errorf("segment %d = %q %q %d-%d paragraph %d offset %d, want %+v", i+1, s.Speaker, s.Text, s.StartMS, s.EndMS, s.Line, s.Offset, w)
		}
	}
	if meta.Describes != "2022-03-09" || meta.Encoding != EncUTF8 {
		t.Errorf("meta %+v", meta)
	}
}

// cueDocument is word/document.xml holding a WebVTT file pasted into one
// paragraph per cue, its lines separated by line breaks (Shift+Enter).
const cueDocument = `<?xml version="1.0" encoding="UTF-8"?>` +
	`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
	`<w:p><w:r><w:t>WEBVTT</w:t></w:r></w:p><w:p/>` +
	`<w:p><w:r><w:t>00:01.000 --&gt; 00:04.000</w:t><w:br/><w:t>&lt;v Priya Raman&gt;Who approved the export?</w:t></w:r></w:p><w:p/>` +
	`<w:p><w:r><w:t>00:04.500 --&gt; 00:06.000</w:t><w:br/><w:t>&lt;v Mia Chen&gt;Nobody did.</w:t></w:r></w:p>` +
	`</w:body></w:document>`

func TestDOCXWithWebVTTLinesImportsTheCues(t *testing.T) {
	data := zipOf(t, map[string][]byte{"word/document.xml": []byte(cueDocument)}, []string{"word/document.xml"})
	sink, _ := mustParse(t, "docx", "pasted.docx", data)
	if len(sink.segs) != 2 {
		t.Fatalf("%d segments: %+v", len(sink.segs), sink.segs)
	}
	if s := sink.segs[0]; s.Speaker != "Priya Raman" || s.Text != "Who approved the export?" || s.StartMS != 1000 || s.Line != 3 {
		t.Errorf("segment 1 = %+v", s)
	}
	if s := sink.segs[1]; s.Speaker != "Mia Chen" || s.StartMS != 4500 || s.EndMS != 6000 || s.Line != 5 {
		t.Errorf("segment 2 = %+v", s)
	}
}

// A transcript that mentions an arrow once is still read as a transcript.
func TestDOCXTranscriptMentioningATimingIsNotCues(t *testing.T) {
	data := buildDOCX(t, "Export review", "2022-03-09T10:00:00Z", []docxPart{
		{bold: "Mia Chen:", text: " The log says 00:00:01,000 --> 00:00:02,000 for the first job."},
		{bold: "Daniel Okafor:", text: " That is the subtitle file, not the job."},
		{bold: "Mia Chen:", text: " Then where is the job log?"},
		{bold: "Priya Raman:", text: " On the Manila server."},
		{bold: "Mia Chen:", text: " Thanks."},
		{bold: "Daniel Okafor:", text: " I will fetch it."},
		{bold: "Priya Raman:", text: " Good."},
	})
	sink, _ := mustParse(t, "docx", "review.docx", data)
	if len(sink.segs) != 7 || sink.segs[0].Speaker != "Mia Chen" || !strings.Contains(sink.segs[0].Text, "-->") {
		t.Fatalf("%d segments: %+v", len(sink.segs), sink.segs)
	}
}

// FuzzDOCXCues feeds cue-shaped documents to the DOCX parser: it must never
// panic or send a segment cited outside the document's paragraphs.
func FuzzDOCXCues(f *testing.F) {
	f.Add([]byte(cueDocument))
	f.Add([]byte(`<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>1</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>00:02:17,400 --&gt; 00:02:20,400</w:t></w:r></w:p><w:p><w:r><w:t>MIA CHEN: Ready.</w:t></w:r></w:p></w:body></w:document>`))
	p, _ := Lookup("docx")
	f.Fuzz(func(t *testing.T, doc []byte) {
		data := zipOf(t, map[string][]byte{"word/document.xml": doc}, []string{"word/document.xml"})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		paras := bytes.Count(doc, []byte("<w:p")) + 1
		sink := &recordSink{}
		_, _ = p.Parse(ctx, Input{Name: "fuzz.docx", R: bytes.NewReader(data), Size: int64(len(data))}, sink)
		for _, s := range sink.segs {
			if s.Line < 1 || s.Line > paras || s.Offset != 0 {
				t.Fatalf("segment cited at paragraph %d offset %d of %d paragraphs", s.Line, s.Offset, paras)
			}
		}
	})
}
