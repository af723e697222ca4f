package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

var benchSpeakers = []string{"Mia Chen", "Daniel Okafor", "Priya Raman", "Tomás Reyes", "Aiko Tanaka"}

var benchWords = strings.Fields("the export of creator data to the staging bucket was approved by nobody " +
	"and the Manila vendor read forty thousand profiles before the audit in March which legal never saw")

// benchSentence returns the i-th fictional sentence.
func benchSentence(i int) string {
	n := 8 + i%17
	w := make([]string, n)
	for k := range w {
		w[k] = benchWords[(i*7+k*3)%len(benchWords)]
	}
	return strings.ToUpper(w[0][:1]) + strings.Join(w, " ")[1:] + "."
}

func clock(ms int64, sep string) string {
	return fmt.Sprintf("%02d:%02d:%02d%s%03d", ms/3600000, ms/60000%60, ms/1000%60, sep, ms%1000)
}

// benchInput builds about size bytes of realistic input for a format.
func benchInput(format string, size int) []byte {
	var b bytes.Buffer
	switch format {
	case "vtt":
		b.WriteString("WEBVTT\n\n")
	case "whisper-tsv":
		b.WriteString("start\tend\ttext\n")
	case "transcript-csv":
		b.WriteString("speaker,start_time,end_time,transcript\n")
	case "whisper-json":
		b.WriteString(`{"text": "", "segments": [`)
	case "ami-xml":
		b.WriteString(`<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>` + "\n" +
			`<nite:root nite:id="LU0001a.A.words" xmlns:nite="http://nite.sourceforge.net/">` + "\n")
	case "hearing":
		b.WriteString("HEARING ON LUMORA DATA PRACTICES\n\n")
	}
	for i := 0; b.Len() < size; i++ {
		sp := benchSpeakers[i%len(benchSpeakers)]
		start := int64(i) * 4200
		end := start + 3900
		text := benchSentence(i)
		switch format {
		case "vtt":
			fmt.Fprintf(&b, "%d-%d\n%s --> %s\n<v %s>%s</v>\n\n", i/10, i%10, clock(start, "."), clock(end, "."), sp, text)
		case "srt":
			fmt.Fprintf(&b, "%d\n%s --> %s\n%s: %s\n\n", i+1, clock(start, ","), clock(end, ","), strings.ToUpper(sp), text)
		case "otter":
			fmt.Fprintf(&b, "%s  %d:%02d\n%s %s\n\n", sp, start/60000, start/1000%60, text, benchSentence(i+1))
		case "rev":
			fmt.Fprintf(&b, "%s (%s):\n%s\n\n", sp, clock(start, ".")[:8], text)
		case "hearing":
			fmt.Fprintf(&b, "MR. %s. %s\n%s\n\n", strings.ToUpper(strings.Fields(sp)[1]), text, benchSentence(i+2))
		case "zoom-chat":
			fmt.Fprintf(&b, "%s\t%s:\t%s\r\n", clock(start, ".")[:8], sp, text)
		case "plain-transcript":
			fmt.Fprintf(&b, "%s: %s\n", sp, text)
		case "whisper-json":
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `{"id": %d, "seek": 0, "start": %.3f, "end": %.3f, "text": " %s", "tokens": [50364, 400, 370], "temperature": 0.0}`,
				i, float64(start)/1000, float64(end)/1000, text)
		case "whisper-tsv":
			fmt.Fprintf(&b, "%d\t%d\t%s\n", start, end, text)
		case "transcript-csv":
			fmt.Fprintf(&b, "%s,%s,%s,\"%s, she said \"\"yes\"\".\"\n", sp, clock(start, "."), clock(end, "."), text)
		case "ami-xml":
			t := float64(start) / 1000
			for k, w := range strings.Fields(strings.TrimSuffix(text, ".")) {
				fmt.Fprintf(&b, "   <w nite:id=\"LU0001a.A.words%d_%d\" starttime=\"%.2f\" endtime=\"%.2f\">%s</w>\n", i, k, t, t+0.3, w)
				t += 0.3
			}
			fmt.Fprintf(&b, "   <w nite:id=\"LU0001a.A.words%d_p\" starttime=\"%.2f\" endtime=\"%.2f\" punc=\"true\">.</w>\n", i, t, t)
		}
	}
	switch format {
	case "whisper-json":
		b.WriteString(`], "language": "en"}`)
	case "ami-xml":
		b.WriteString("</nite:root>\n")
	}
	return b.Bytes()
}

// benchDOCX builds a Teams-like .docx of about size bytes of text.
func benchDOCX(tb testing.TB, size int) []byte {
	var paras []docxPart
	n := 0
	for i := 0; n < size; i++ {
		h := fmt.Sprintf("%s   %d:%02d", benchSpeakers[i%len(benchSpeakers)], i*4/60, i*4%60)
		paras = append(paras, docxPart{text: h}, docxPart{text: benchSentence(i)})
		n += len(h) + len(benchSentence(i)) + 200 // the XML around them
	}
	return buildDOCX(tb, "Lumora bench", "2024-04-02T09:15:00Z", paras)
}

func BenchmarkParse(b *testing.B) {
	const size = 5 << 20
	formats := []string{"vtt", "srt", "otter", "rev", "hearing", "zoom-chat", "plain-transcript", "whisper-json",
		"whisper-tsv", "transcript-csv", "ami-xml", "docx"}
	for _, format := range formats {
		b.Run(format, func(b *testing.B) {
			var data []byte
			if format == "docx" {
				data = benchDOCX(b, size)
			} else {
				data = benchInput(format, size)
			}
			f, err := Lookup(format)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			if format == "docx" { // count the XML a DOCX unpacks to, not its compressed bytes
				zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
				if err != nil {
					b.Fatal(err)
				}
				var n int64
				for _, f := range zr.File {
					n += int64(f.UncompressedSize64)
				}
				b.SetBytes(n)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				sink := &countSink{size: int64(len(data))}
				if _, err := f.Parse(context.Background(), Input{Name: "bench." + format, R: bytes.NewReader(data), Size: int64(len(data))}, sink); err != nil {
					b.Fatal(err)
				}
				if sink.err != nil || sink.n < 100 {
					b.Fatalf("%d segments, %v", sink.n, sink.err)
				}
			}
		})
	}
}

func contextWithCancel(t testing.TB) (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}
