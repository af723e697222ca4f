package importer

import (
	"strings"
	"testing"
)

// lumoraASS is a fictional Lumora interview as an ASS script: script info,
// styles, fonts, a Comment line, a Format line in an unusual order, override
// tags, \N and \h, a Name field, and one broken Dialogue line.
const lumoraASS = "\ufeff[Script Info]\r\n" +
	"Title: Lumora export interview\r\n" +
	"ScriptType: v4.00+\r\n" +
	"\r\n" +
	"[V4+ Styles]\r\n" +
	"Format: Name, Fontname, Fontsize, PrimaryColour\r\n" +
	"Style: Default,Arial,20,&H00FFFFFF\r\n" +
	"\r\n" +
	"[Events]\r\n" +
	"Format: Layer, Name, Start, End, Style, MarginL, MarginR, MarginV, Effect, Text\r\n" +
	"Comment: 0,Mia Chen,0:00:00.00,0:00:01.00,Default,0,0,0,,draft line, not spoken\r\n" +
	"Dialogue: 0,Mia Chen,0:00:01.50,0:00:04.25,Default,0,0,0,,{\\i1}When did the{\\i0} bulk export start?\r\n" +
	"Dialogue: 0,,0:00:04.50,0:00:08.00,Default,0,0,0,,Last spring,\\Nafter the\\hgrowth review.\r\n" +
	"Dialogue: 0,Daniel Okafor,0:00:0x.00,0:00:09.00,Default,0,0,0,,broken time\r\n" +
	"Dialogue: 0,Daniel Okafor,0:00:09.00\r\n" +
	"Dialogue: 0,PRIYA RAMAN,1:02:03.04,1:02:05.00,Default,0,0,0,,Who approved it, and when?\r\n" +
	"\r\n" +
	"[Fonts]\r\n" +
	"fontname: lumora.ttf\r\n" +
	"Dialogue: looks like speech but is in the fonts section\r\n"

func TestSSAReadsDialogueByTheEventsFormatLine(t *testing.T) {
	data := []byte(lumoraASS)
	f, err := Detect("interview.ass", data, "")
	if err != nil || f.Name != "ssa" {
		t.Fatalf("detected %v (%v)", fname(f), err)
	}
	sink, meta := mustParse(t, "ssa", "interview.ass", data)
	want := []struct {
		speaker, text string
		start, end    int64
		line          int
	}{
		{"Mia Chen", "When did the bulk export start?", 1500, 4250, 12},
		{"", "Last spring, after the growth review.", 4500, 8000, 13},
		{"PRIYA RAMAN", "Who approved it, and when?", 3723040, 3725000, 16}, // the Name field as written
	}
	if len(sink.segs) != len(want) {
		t.Fatalf("got %d segments, want %d: %+v", len(sink.segs), len(want), sink.segs)
	}
	for i, w := range want {
		s := sink.segs[i]
		if s.Speaker != w.speaker || s.Text != w.text || s.StartMS != w.start || s.EndMS != w.end || s.Line != w.line {
			t.Errorf("segment %d = %q %q %d-%d line %d, want %+v", i+1, s.Speaker, s.Text, s.StartMS, s.EndMS, s.Line, w)
		}
		assertAt(t, data, s, "Dialogue: 0,")
	}
	if len(sink.rejects) != 2 || !strings.HasPrefix(sink.rejects[0], "14: bad Dialogue time") ||
		!strings.HasPrefix(sink.rejects[1], "15: Dialogue line has 3 fields") {
		t.Errorf("rejects = %q", sink.rejects)
	}
	if meta.Title != "Lumora export interview" || meta.Encoding != EncUTF8BOM {
		t.Errorf("meta = %+v", meta)
	}
}

func TestSSAWithoutFormatLineUsesTheStandardOrder(t *testing.T) {
	data := []byte("[Events]\nDialogue: 0,0:00:01.00,0:00:02.00,Default,Mia Chen,0,0,0,,Hello, Daniel.\n")
	sink, _ := mustParse(t, "ssa", "x.ssa", data)
	if len(sink.segs) != 1 || sink.segs[0].Speaker != "Mia Chen" || sink.segs[0].Text != "Hello, Daniel." || sink.segs[0].StartMS != 1000 {
		t.Fatalf("segments = %+v", sink.segs)
	}
}

func TestSSAWithNoDialogueIsAnError(t *testing.T) {
	_, _, err := parseWith(t, "ssa", "styles.ass", []byte("[Script Info]\nTitle: x\n[V4+ Styles]\nStyle: Default,Arial\n"), Options{})
	if err == nil || !strings.Contains(err.Error(), "styles.ass") || !strings.Contains(err.Error(), "no Dialogue lines") {
		t.Fatalf("err = %v", err)
	}
}

// TestSSAIsNoLongerAPlainTranscript: before the SSA format, a script was
// read as "Name: text" lines with speakers Dialogue, Style and Format.
func TestSSAIsNoLongerAPlainTranscript(t *testing.T) {
	data := fetchedFile(t, "realsubs", "astisub_example-in.ssa")
	for _, name := range []string{"a.ssa", "a.txt"} {
		f, err := Detect(name, data, "")
		if err != nil || f.Name != "ssa" {
			t.Errorf("%s detected as %v (%v)", name, fname(f), err)
		}
	}
}
