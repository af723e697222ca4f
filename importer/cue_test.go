package importer

import (
	"fmt"
	"strings"
	"testing"

	"casebook/model"
)

// srtOf builds a SubRip file with one cue per text (lines split at '|').
func srtOf(texts ...string) []byte {
	var b strings.Builder
	for i, t := range texts {
		fmt.Fprintf(&b, "%d\n00:00:%02d,000 --> 00:00:%02d,500\n%s\n\n", i+1, i%60, i%60, strings.ReplaceAll(t, "|", "\n"))
	}
	return []byte(b.String())
}

func TestCaptionLabelsNeedEvidenceFromTheFile(t *testing.T) {
	for _, c := range []struct {
		name     string
		texts    []string
		speakers []string // per segment
	}{
		{"a stray label in unlabelled dialogue is text",
			[]string{"Where were you?", `Digo: "Le doy un abrazo".`, "At the office.", "Until when?", "Late."},
			[]string{"", "", "", "", ""}},
		{"a numbered caption line is not a speaker",
			[]string{"05 hard spaces between letters: a b c", "06 tabs between letters: a\tb", "Plain text."},
			[]string{"", "", ""}},
		{"recurring labels are speakers",
			[]string{"Mia Chen: When?", "Daniel Okafor: In March.", "Mia Chen: Who approved it?", "Daniel Okafor: Nobody.", "(door closes)"},
			[]string{"Mia Chen", "Daniel Okafor", "Mia Chen", "Daniel Okafor", ""}},
		{"labels each used once are not enough",
			[]string{"Note: the audio drops here.", "Warning: loud noise.", "Plain text."},
			[]string{"", "", ""}},
		{"upper-case labels are the format's own markup (kept as written, never re-capitalised)",
			[]string{"MIA CHEN: When?", "In March.", "Fine."},
			[]string{"MIA CHEN", "", ""}},
		{"dialogue dashes name two speakers in one cue",
			[]string{"- Mia Chen: When?|- Daniel Okafor: March.", "Fine."},
			[]string{"Mia Chen", "Daniel Okafor", ""}},
		{"a dash without a label splits nothing",
			[]string{"-Es que no entiendo|-Pues ya te lo he explicado.", "Vale."},
			[]string{"", ""}},
		{">> marks a speaker change in broadcast captions",
			[]string{">> REPORTER: The fire started at three.", ">> Thank you."},
			[]string{"REPORTER", ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := srtOf(c.texts...)
			sink, _ := mustParse(t, "srt", "x.srt", data)
			var got []string
			for _, s := range sink.segs {
				got = append(got, s.Speaker)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.speakers) {
				t.Errorf("speakers %q, want %q", got, c.speakers)
			}
		})
	}
}

// TestCaptionLabelDecisionIsTakenOnTheFirstCuesOnly: the decision is made
// on the first evidenceCues cues and holds for the rest of the file, so
// memory stays bounded however long the file is.
func TestCaptionLabelDecisionIsTakenOnTheFirstCuesOnly(t *testing.T) {
	var texts []string
	for i := 0; i < evidenceCues; i++ {
		texts = append(texts, "Nothing labelled here.")
	}
	texts = append(texts, "Mia Chen: late label", "Mia Chen: again", "Mia Chen: and again")
	sink, _ := mustParse(t, "srt", "long.srt", srtOf(texts...))
	if len(sink.segs) != len(texts) {
		t.Fatalf("got %d segments for %d cues", len(sink.segs), len(texts))
	}
	if s := sink.segs[len(texts)-1]; s.Speaker != "" || s.Text != "Mia Chen: and again" {
		t.Errorf("last segment = %+v", s)
	}
}

func TestNeverMoreSegmentsThanCuesWithoutEvidence(t *testing.T) {
	// Every cue holds two lines that look like labels, but no label recurs.
	var texts []string
	for i := 0; i < 40; i++ {
		texts = append(texts, fmt.Sprintf("Item %d: first|Point %d: second", i, i))
	}
	sink, _ := mustParse(t, "srt", "x.srt", srtOf(texts...))
	if len(sink.segs) != len(texts) {
		t.Fatalf("got %d segments for %d cues", len(sink.segs), len(texts))
	}
}

func TestOneLineTranscriptImportsWhenTheKindIsGiven(t *testing.T) {
	data := []byte("Mia Chen: The export ran every night in March.\n")
	if _, err := Detect("note.txt", data, ""); err == nil {
		t.Errorf("a single line was detected without --kind")
	}
	f, err := Detect("note.txt", data, model.KindTranscript)
	if err != nil || f.Name != "plain-transcript" {
		t.Fatalf("with --kind transcript: %v (%v)", fname(f), err)
	}
	sink, _ := mustParse(t, f.Name, "note.txt", data)
	if len(sink.segs) != 1 || sink.segs[0].Speaker != "Mia Chen" || sink.segs[0].Text != "The export ran every night in March." {
		t.Errorf("segments = %+v", sink.segs)
	}
}

func TestUnlabelledTranscriptImportsAsTextWithItsTimes(t *testing.T) {
	data := []byte("[00:00:05] The vendor asked for the full export.\n" +
		"[00:01:10] Nobody signed the request.\n" +
		"It went out anyway.\n" +
		"\n" +
		"Later that week the logs were deleted.\n")
	f, err := Detect("call.txt", data, model.KindTranscript)
	if err != nil || f.Name != "plain-transcript" {
		t.Fatalf("with --kind transcript: %v (%v)", fname(f), err)
	}
	sink, _ := mustParse(t, f.Name, "call.txt", data)
	want := []struct {
		text  string
		start int64
		line  int
	}{
		{"The vendor asked for the full export.", 5000, 1},
		{"Nobody signed the request. It went out anyway.", 70000, 2},
		{"Later that week the logs were deleted.", -1, 5},
	}
	if len(sink.segs) != len(want) {
		t.Fatalf("segments = %+v", sink.segs)
	}
	for i, w := range want {
		if s := sink.segs[i]; s.Text != w.text || s.StartMS != w.start || s.Line != w.line || s.Speaker != "" {
			t.Errorf("segment %d = %+v, want %+v", i+1, s, w)
		}
	}
}

func TestKindTranscriptStillRefusesTablesAndMarkup(t *testing.T) {
	for _, s := range []string{
		"id,user,when\n1,mchen,2024-03-01\n2,dokafor,2024-03-02\n",
		"<html><body>x</body></html>",
		`{"a": 1}`,
		"\n\n",
		"PK\x03\x04\x14\x00\x06\x00some zip",
	} {
		if f, err := Detect("x.txt", []byte(s), model.KindTranscript); err == nil {
			t.Errorf("%q taken for %s", s, f.Name)
		}
	}
}

func TestCaptionSpeakerKeepsLabelsAsWritten(t *testing.T) {
	for in, want := range map[string]string{
		"05 hard spaces between letters": "05 hard spaces between letters",
		"Digo":                           "Digo",
		"dr. okafor":                     "dr. okafor",
		"McArthur":                       "McArthur",
		"  Mia   Chen ":                  "Mia Chen",
		"WEI ZHANG":                      "WEI ZHANG", // all capitals: kept, never re-capitalised
		"陈美":                             "陈美",
	} {
		if got := captionSpeaker(in); got != want {
			t.Errorf("captionSpeaker(%q) = %q, want %q", in, got, want)
		}
	}
}
