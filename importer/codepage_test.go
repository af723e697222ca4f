package importer

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// Subtitles and transcripts in the legacy single-byte Windows code pages
// (Arabic, Cyrillic, Greek, Hebrew, Western) that are not UTF-8: the sniffer
// must tell the code pages apart by how the decoded words read, as a real
// Arabic subtitle file read as Windows-1252 came out as "ãæÞÚ ÇáÏì". Every
// line below is fictional (the Lumora short-video app, its staff).

// codePageSamples are fictional lines in each language and the code page
// they are written in.
var codePageSamples = []struct {
	enc   string
	cm    *charmap.Charmap
	lines []string
}{
	{Enc1256, charmap.Windows1256, []string{
		"مرحبا بكم في اجتماع فريق لومورا",
		"من وافق على تصدير البيانات؟",
		"لا أحد يعرف حتى الآن، سأسأل سمير",
	}},
	{Enc1251, charmap.Windows1251, []string{
		"Добрый вечер, коллеги. Начнём с отчёта Lumora.",
		"Кто одобрил выгрузку данных в Маниле?",
		"Никто, насколько я знаю. Спросите Мию Чен.",
	}},
	{Enc1253, charmap.Windows1253, []string{
		"Καλησπέρα σε όλους, ξεκινάμε με την αναφορά.",
		"Ποιος ενέκρινε την εξαγωγή των δεδομένων;",
		"Κανείς απ' όσο ξέρω. Ρωτήστε τη Μία.",
	}},
	{Enc1255, charmap.Windows1255, []string{
		"שלום לכולם, נתחיל בדוח של לומורה.",
		"מי אישר את ייצוא הנתונים למנילה?",
		"אף אחד, ככל שידוע לי. תשאלו את מיה.",
	}},
	{Enc1252, charmap.Windows1252, []string{
		"Réunion de l'équipe Lumora à Genève : où sont les données ?",
		"Herr Müller sagt, die Größe der Exportdatei stimmt nicht.",
		"¿Quién aprobó la exportación? Nadie, según Señora Peña.",
	}},
}

func encodeCodePage(t testing.TB, cm *charmap.Charmap, s string) []byte {
	t.Helper()
	b, err := cm.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

// codePageSRT writes the lines as SubRip cues with CRLF line ends, as the
// Windows tools that write these code pages do.
func codePageSRT(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(itoa(i+1) + "\r\n00:00:0" + itoa(i+1) + ",000 --> 00:00:0" + itoa(i+2) + ",500\r\n" + l + "\r\n\r\n")
	}
	return b.String()
}

func TestSniffEncodingTellsSingleByteCodePagesApart(t *testing.T) {
	for _, c := range codePageSamples {
		for _, text := range []string{codePageSRT(c.lines), c.lines[1]} {
			data := encodeCodePage(t, c.cm, text)
			if got := SniffEncoding(data); got != c.enc {
				t.Errorf("%s text %q sniffed as %s", c.enc, sampleLine(text), got)
			}
		}
	}
	// No evidence either way (no letters above 0x7F, or bytes that are not
	// text) stays Windows-1252.
	noise := []byte("PK\x03\x04")
	for x := uint32(7); len(noise) < 4096; {
		x = x*1103515245 + 12345
		noise = append(noise, byte(x>>16))
	}
	for _, data := range [][]byte{[]byte("price \x80 12, \xa7 4\n"), noise} {
		if got := SniffEncoding(data); got != Enc1252 {
			t.Errorf("%q sniffed as %s, want %s", data, got, Enc1252)
		}
	}
}

func sampleLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimLeft(s, "0123456789\r\n"), "\n")
	return l
}

// TestCodePageSubtitlesImportWithTheirWordsAndExactOffsets imports each
// sample as an upper-case .SRT file: the text arrives in its own script, the
// source records the code page, and every cue is cited at its exact bytes.
func TestCodePageSubtitlesImportWithTheirWordsAndExactOffsets(t *testing.T) {
	for _, c := range codePageSamples {
		t.Run(c.enc, func(t *testing.T) {
			data := encodeCodePage(t, c.cm, codePageSRT(c.lines))
			if f, err := Detect("LUMORA.SRT", data, ""); err != nil || f.Name != "srt" {
				t.Fatalf("detected %v (%v)", fname(f), err)
			}
			sink, meta := mustParse(t, "srt", "LUMORA.SRT", data)
			if meta.Encoding != c.enc {
				t.Errorf("encoding %q, want %q", meta.Encoding, c.enc)
			}
			if len(sink.segs) != len(c.lines) {
				t.Fatalf("%d segments, want %d", len(sink.segs), len(c.lines))
			}
			for i, s := range sink.segs {
				if s.Text != c.lines[i] || s.StartMS != int64(i+1)*1000 {
					t.Errorf("segment %d = %q at %d ms, want %q", i+1, s.Text, s.StartMS, c.lines[i])
				}
				assertAt(t, data, s, itoa(i+1)+"\r\n00:00:0"+itoa(i+1)+",000 --> ")
				if end := s.Offset + s.Length; !bytes.HasSuffix(data[:end], encodeCodePage(t, c.cm, c.lines[i])) {
					t.Errorf("segment %d: the cited span does not end with its words", i+1)
				}
			}
		})
	}
}

// TestOffsetReaderMapsCodePageCharacters decodes each sample through the
// OffsetReader and checks that every decoded character maps back to its
// own byte.
func TestOffsetReaderMapsCodePageCharacters(t *testing.T) {
	for _, c := range codePageSamples {
		text := strings.Join(c.lines, "\n")
		data := encodeCodePage(t, c.cm, text)
		o, enc, err := NewOffsetReader(bytes.NewReader(data))
		if err != nil || enc != c.enc {
			t.Fatalf("%s: encoding %q (%v)", c.enc, enc, err)
		}
		out, err := io.ReadAll(o)
		if err != nil || string(out) != text {
			t.Fatalf("%s: decoded %q (%v)", c.enc, out, err)
		}
		k := 0
		for i, r := range text {
			if at := o.SourceOffset(int64(i)); at != int64(k) || c.cm.DecodeByte(data[at]) != r {
				t.Fatalf("%s: character %d (%q) maps to byte %d, want %d", c.enc, i, r, at, k)
			}
			k++
		}
	}
}
