package importer

import (
	"errors"
	"strings"
	"testing"

	"casebook/model"
)

func TestLineOverTheLimitIsAnErrorNamingFileAndLine(t *testing.T) {
	long := "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Mia Chen>" + strings.Repeat("la ", 600) + "\n"
	for _, format := range []string{"vtt", "srt", "otter", "rev", "hearing", "zoom-chat", "plain-transcript"} {
		_, _, err := parseWith(t, format, "name.vtt", []byte(long), Options{MaxLine: 1024})
		if err == nil {
			t.Errorf("%s: no error for a 1,800-byte line over a 1,024-byte limit", format)
			continue
		}
		if !strings.Contains(err.Error(), "name.vtt:4:") || !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%s: error %q does not name name.vtt:4", format, err)
		}
	}
}

func TestLongRowInTabularFormatsNamesTheLine(t *testing.T) {
	for format, header := range map[string]string{"whisper-tsv": "start\tend\ttext\n", "transcript-csv": "speaker,start,end,text\n"} {
		data := header + "0\t1\tshort\n" + strings.Repeat("x", 2000) + "\n"
		_, _, err := parseWith(t, format, "rows.tsv", []byte(data), Options{MaxLine: 1024})
		if err == nil || !strings.Contains(err.Error(), "rows.tsv:3:") {
			t.Errorf("%s: error %v, want one naming rows.tsv:3", format, err)
		}
	}
}

func TestNotATranscriptIsAnErrorWithNothingSent(t *testing.T) {
	junk := []byte("just some notes\nwithout any structure\n\nat all\n")
	for _, f := range Formats() {
		if f.Kind != model.KindTranscript || f.Name == "plain-transcript" {
			continue
		}
		sink, _, err := parseWith(t, f.Name, "notes.txt", junk, Options{})
		if err == nil {
			t.Errorf("%s: parsed junk without an error", f.Name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "notes.txt") {
			t.Errorf("%s: error %q does not name the file", f.Name, err)
		}
		if len(sink.segs) != 0 {
			t.Errorf("%s: sent %d segments before failing", f.Name, len(sink.segs))
		}
	}
}

func TestBadJSONErrorNamesLine(t *testing.T) {
	data := []byte("{\n  \"segments\": [\n    {\"start\": 1, \"end\": 2, \"text\": \"a\"}\n    {\"start\": 3}\n  ]\n}\n")
	_, _, err := parseWith(t, "whisper-json", "w.json", data, Options{})
	if err == nil || !strings.Contains(err.Error(), "w.json:4:") {
		t.Errorf("error %v, want one naming w.json:4", err)
	}
}

func TestCanceledContextStopsTheParse(t *testing.T) {
	data := benchInput("vtt", 1<<20)
	f, _ := Lookup("vtt")
	ctx, cancel := contextWithCancel(t)
	cancel()
	_, err := f.Parse(ctx, Input{Name: "big.vtt", R: strings.NewReader(string(data)), Size: int64(len(data))}, &recordSink{})
	if err == nil {
		t.Fatal("no error from a canceled parse")
	}
}
