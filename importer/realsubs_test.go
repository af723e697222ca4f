package importer

import (
	"bytes"
	"strings"
	"testing"
)

// The third-party caption files in testdata/realsubs (see SOURCES.md there)
// import with the cue counts counted independently by
// testdata/realsubs/count_cues.py, one field of a known cue each, and every
// segment's offset at the start of its cue in the original bytes.

type realSubCase struct {
	file    string
	format  string
	cues    int    // cues with text, from count_cues.py
	seq     int    // a segment to check
	line    int    // its line
	start   int64  // its start (ms)
	end     int64  // its end (ms)
	speaker string // its speaker
	text    string // its text
	at      string // what the original reads at its offset
	cueHead string // what every segment's offset reads (the cue's first bytes)
}

var realSubCases = []realSubCase{
	{"webvttpy_sample.sbv", "sbv", 5, 3, 7, 13489, 15489, "", "Caption text #3 (line 1) Caption text #3 (line 2)",
		"0:00:13.489,0:00:15.489\nCaption text #3 (line 1)", "0:00:"},
	{"webvttpy_two_captions.sbv", "sbv", 2, 2, 4, 11378, 12305, "", "Caption text #2 (line 1) Caption text #2 (line 2)",
		"0:00:11.378,0:00:12.305\n", "0:00:"},
	{"webvttpy_missing_caption_text.sbv", "sbv", 4, 2, 6, 13489, 15489, "", "Caption text #3",
		"0:00:13.489,0:00:15.489\nCaption text #3", "0:00:"},
	{"pysubs2_ttml_example.ttml", "ttml", 11, 2, 37, 5000, 10000, "", "that the image formed on the Retina should be inverted?",
		`<p xml:id="subtitle2" begin="5.0s" end="10.0s">`, "<p "},
	{"pysubs2_ttml_example2.ttml", "ttml", 10, 6, 22, 25875, 30166, "", "- Did he tell you what it was about? - He did",
		`<p xml:id="subtitle6" begin="00:00:25.875"`, "<p "},
	{"astisub_example-in.dfxp", "ttml", 6, 6, 39, 151400, 153440, "", "(computer playing electronic melody)",
		`<p xml:id="sub_6" begin="00:02:31.400" end="00:02:33:11"`, "<p "},
	{"astisub_example-in-breaklines.ttml", "ttml", 4, 3, 12, 2000, 3000, "", "Fifth line Sixth middle line",
		`<p xml:id="3"`, "<p "},
	{"astisub_example-in.ssa", "ssa", 6, 1, 26, 99000, 101040, "Cher", "(deep rumbling)",
		"Dialogue: Marked=0,0:01:39.00,0:01:41.04,1,Cher,", "Dialogue: "},
	{"astisub_example-in-carriage-return.ssa", "ssa", 3, 2, 24, 3767, 10732, "autre", "That's true. You don’t often find 632 pieces of gum stuck on a sidewalk",
		"Dialogue: Marked=1,00:00:03.76", "Dialogue: "},
	{"astisub_example-out-v4plus.ass", "ssa", 6, 5, 25, 148320, 151360, "autre", "We don't belong in this shithole.",
		"Dialogue: 0,00:02:28.32,00:02:31.36,2,autre,", "Dialogue: "},
	{"pysubs2_ttml_example.ass", "ssa", 11, 7, 21, 28000, 34600, "", "Thus: what we call",
		"Dialogue: 0,0:00:28.00,0:00:34.60,Default,,0,0,0,,Thus: what we call", "Dialogue: "},
	{"astisub_example-in-carriage-return.srt", "srt", 3, 2, 6, 3767, 10732, "", "That's true. You don’t often find 632 pieces of gum stuck on a sidewalk",
		"2\r00:00:03.767 --> 00:00:10.732\rThat's true.", ""},
	{"webvttpy_netflix_chicas_del_cable.vtt", "vtt", 865, 483, 2177, 1653920, 1655520, "", `Digo: "Le doy un abrazo al estirado".`,
		"483\n00:27:33.920 --> 00:27:35.520", ""},
}

func TestRealSubtitleFilesImportEveryCue(t *testing.T) {
	for _, c := range realSubCases {
		t.Run(c.file, func(t *testing.T) {
			data := fetchedFile(t, "realsubs", c.file)
			f, err := Detect(c.file, data[:min(len(data), HeadSize)], "")
			if err != nil || f.Name != c.format {
				t.Fatalf("detected %v (%v), want %s", fname(f), err, c.format)
			}
			sink, _ := mustParse(t, c.format, c.file, data)
			if len(sink.segs) != c.cues {
				t.Fatalf("got %d segments, want %d (one per cue with text)", len(sink.segs), c.cues)
			}
			if len(sink.rejects) > 0 {
				t.Errorf("rejected: %q", sink.rejects)
			}
			s := sink.segs[c.seq-1]
			if s.Line != c.line || s.StartMS != c.start || s.EndMS != c.end || s.Speaker != c.speaker || s.Text != c.text {
				t.Errorf("segment %d = line %d %d-%d %q %q, want line %d %d-%d %q %q", c.seq, s.Line, s.StartMS, s.EndMS,
					s.Speaker, s.Text, c.line, c.start, c.end, c.speaker, c.text)
			}
			assertAt(t, data, s, c.at)
			for _, s := range sink.segs {
				if c.cueHead != "" && !bytes.HasPrefix(data[s.Offset:], []byte(c.cueHead)) {
					t.Fatalf("segment %d at offset %d reads %q, not the start of its cue", s.Seq, s.Offset, data[s.Offset:min(len(data), int(s.Offset)+30)])
				}
				if end := s.Offset + s.Length; end < int64(len(data)) && c.cueHead != "" && !strings.Contains(string(data[s.Offset:end]), firstWord(s.Text)) {
					t.Fatalf("segment %d's span does not hold its first word %q", s.Seq, firstWord(s.Text))
				}
			}
		})
	}
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " '’\""); i > 0 {
		return s[:i]
	}
	return s
}

// TestRealNetflixSpanishCaptionLabelIsNotASpeaker: in 865 cues of
// unlabelled dialogue, one line starts `Digo: "…"` ("I say: …"); it is text.
func TestRealNetflixSpanishCaptionLabelIsNotASpeaker(t *testing.T) {
	name := "webvttpy_netflix_chicas_del_cable.vtt"
	sink, _ := mustParse(t, "vtt", name, fetchedFile(t, "realsubs", name))
	for _, s := range sink.segs {
		if s.Speaker != "" {
			t.Fatalf("segment %d has speaker %q: %q", s.Seq, s.Speaker, s.Text)
		}
	}
}

// TestRealCROnlySRTIsDetectedAndSplitIntoLines: the go-astisub file ends its
// lines with CR alone but has one LF at the very end.
func TestRealCROnlySRTIsDetectedAndSplitIntoLines(t *testing.T) {
	name := "astisub_example-in-carriage-return.srt"
	data := fetchedFile(t, "realsubs", name)
	if bytes.Count(data, []byte("\n")) != 1 || bytes.Count(data, []byte("\r")) < 10 {
		t.Fatalf("the sample is no longer CR-only")
	}
	for _, n := range []string{name, "captions.txt"} {
		if f, err := Detect(n, data, ""); err != nil || f.Name != "srt" {
			t.Errorf("as %s: detected %v (%v), want srt", n, fname(f), err)
		}
	}
	sink, _ := mustParse(t, "srt", name, data)
	if s := sink.segs[0]; s.Offset != 3 || s.Line != 1 || s.Text != "Did one of the last stories strike you as more interesting than the other?" {
		t.Errorf("first segment = %+v", s)
	}
}
