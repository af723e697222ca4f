package importer

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// Subtitle CSV without a header, as subtitle tools export it: start,end,text
// rows with SMPTE timecodes (HH:MM:SS:FF), the text quoted and spanning
// lines, in a legacy ("ANSI") code page. Fictional Lumora lines.
func TestHeaderlessSubtitleCSVWithTimecodes(t *testing.T) {
	text := "00:00:01:00,00:00:02:12,\"Señora Peña, is the export finished?\n\n\n\"\n" +
		"00:00:02:12,00:00:04:00,\"Not yet,\nthe vendor asked for more\"\n" +
		"00:01:00:24,00:01:02:00,\"Then stop it.\"\n"
	data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if f, err := Detect("lumora_ansi.csv", data, ""); err != nil || f.Name != "transcript-csv" {
		t.Fatalf("detected %v (%v)", fname(f), err)
	}
	sink, meta := mustParse(t, "transcript-csv", "lumora_ansi.csv", data)
	if meta.Encoding != Enc1252 {
		t.Errorf("encoding %q", meta.Encoding)
	}
	want := []struct {
		text       string
		start, end int64
		line       int
		at         string
	}{
		{"Señora Peña, is the export finished?", 1000, 2480, 1, "00:00:01:00,"},
		{"Not yet, the vendor asked for more", 2480, 4000, 5, "00:00:02:12,"},
		{"Then stop it.", 60960, 62000, 7, "00:01:00:24,"},
	}
	if len(sink.segs) != len(want) {
		t.Fatalf("%d segments, want %d: %+v", len(sink.segs), len(want), sink.segs)
	}
	for i, w := range want {
		s := sink.segs[i]
		if s.Text != w.text || s.StartMS != w.start || s.EndMS != w.end || s.Line != w.line {
			t.Errorf("segment %d = %q %d-%d line %d, want %+v", i+1, s.Text, s.StartMS, s.EndMS, s.Line, w)
		}
		assertAt(t, data, s, w.at)
	}
	if !strings.Contains(strings.Join(sink.warns, "\n"), "read at 25 frames a second") {
		t.Errorf("warnings %q do not say how frames were read", sink.warns)
	}
}

func TestHeaderlessStartTextCSV(t *testing.T) {
	data := []byte("0:05,Who approved the export?\r\n0:09,\"Nobody, as far as I know.\"\r\n1:02:03.5,Then we ask Mia.\r\n")
	if f, err := Detect("notes.csv", data, ""); err != nil || f.Name != "transcript-csv" {
		t.Fatalf("detected %v (%v)", fname(f), err)
	}
	sink, _ := mustParse(t, "transcript-csv", "notes.csv", data)
	if len(sink.segs) != 3 || sink.segs[1].Text != "Nobody, as far as I know." || sink.segs[2].StartMS != 3723500 || sink.segs[0].EndMS != -1 {
		t.Fatalf("segments %+v", sink.segs)
	}
	assertAt(t, data, sink.segs[2], "1:02:03.5,")
}

// Rows that merely start with numbers, or with a date, are not transcripts.
func TestHeaderlessCSVNeedsClockTimesAndWords(t *testing.T) {
	for _, data := range []string{
		"1,2,Mia Chen\n3,4,Daniel Okafor\n",
		"2024-03-01T10:00:00Z,2024-03-01T10:00:05Z,view\n",
		"10:00,10:05,42\n",
		"00:00:01:00,00:00:02:00,\"words\"\n00:00:03:00,export,\"mixed shapes\"\n",
	} {
		if got := detectTranscriptCSV("x.csv", []byte(data)); got != 0 {
			t.Errorf("%q scored %d as a transcript", data, got)
		}
	}
	if _, ok := timecodeMS("00:00:01:25", 25); ok {
		t.Error("frame 25 accepted at 25 frames a second")
	}
}
