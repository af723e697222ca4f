package importer

import (
	"strings"
	"testing"
)

// The real-world files in testdata/corpus (see testdata/SOURCES.md) import
// with the expected counts, speakers, words and times.

func TestCorpusZoomTranscriptHas102CuesWithSpeakers(t *testing.T) {
	name := "zoom_GMT20240124-202901_Recording.transcript.vtt"
	data := readTestdata(t, "corpus/"+name)
	sink, meta := mustParse(t, "vtt", name, data)
	if len(sink.segs) != 102 {
		t.Fatalf("got %d segments, want 102 (one per cue)", len(sink.segs))
	}
	first := sink.segs[0]
	if first.Speaker != "Srijani Ghosh" || first.Text != "Hi!" || first.StartMS != 50 || first.EndMS != 1790 || first.Line != 3 {
		t.Errorf("first segment = %+v", first)
	}
	assertAt(t, data, first, "1\n00:00:00.050 --> 00:00:01.790\nSrijani Ghosh: Hi!")
	s := sink.segs[7]
	if s.Speaker != "Dr. Melissa Ko" || s.StartMS != 32520 || s.EndMS != 43089 ||
		!strings.HasPrefix(s.Text, "and I'll just do a little bit of walkthrough.") {
		t.Errorf("segment 8 = %+v", s)
	}
	// Five people speak; cue 48 ("Hmm.") names nobody.
	if got := sink.speakers(); len(got) != 6 || got[4] != "" {
		t.Errorf("got speakers %q, want 5 and one unnamed", got)
	}
	if s := sink.segs[47]; s.Speaker != "" || s.Text != "Hmm." {
		t.Errorf("segment 48 = %+v", s)
	}
	if meta.Encoding != EncUTF8 || meta.Describes != "2024-01-24" {
		t.Errorf("meta = %+v", meta)
	}
}

func TestCorpusZoomClosedCaptionsHave100CuesWithoutSpeakers(t *testing.T) {
	name := "zoom_GMT20240124-202901_Recording.cc.vtt"
	data := readTestdata(t, "corpus/"+name)
	sink, _ := mustParse(t, "vtt", name, data)
	if len(sink.segs) != 100 {
		t.Fatalf("got %d segments, want 100", len(sink.segs))
	}
	first := sink.segs[0]
	if first.Speaker != "" || first.Text != "This doesn't." || first.StartMS != 68000 || first.EndMS != 69000 || first.Offset != 10 {
		t.Errorf("first segment = %+v", first)
	}
	assertAt(t, data, first, "00:01:08.000 --> 00:01:09.000\r\nThis doesn't.")
	for _, s := range sink.segs {
		if s.Speaker != "" {
			t.Fatalf("segment %d has speaker %q in a caption file", s.Seq, s.Speaker)
		}
	}
}

func TestCorpusZoomChatHas12Messages(t *testing.T) {
	name := "zoom_GMT20240124-202901_RecordingnewChat.txt"
	data := readTestdata(t, "corpus/"+name)
	sink, meta := mustParse(t, "zoom-chat", name, data)
	if len(sink.segs) != 12 {
		t.Fatalf("got %d messages, want 12", len(sink.segs))
	}
	s := sink.segs[3]
	if s.Speaker != "Dr. Melissa Ko" || s.StartMS != 12*60000+2000 || s.Text != "Reacted to \"Lots of engagement c...\" with 👍🏻" {
		t.Errorf("message 4 = %+v", s)
	}
	if last := sink.segs[11]; last.Text != "interesting — voice isn’t being picked up" || last.Line != 12 {
		t.Errorf("last message = %+v", last)
	}
	assertAt(t, data, sink.segs[1], "00:11:15\tRyan Sloan:\tGreat point, Srijani!\r\n")
	if meta.Describes != "2024-01-24" {
		t.Errorf("describes %q, want the date in the file name", meta.Describes)
	}
}

func TestCorpusCycleCollectorTalkSplitsVoices(t *testing.T) {
	name := "mozilla_vttjs_cycle-collector-talk.vtt"
	data := readTestdata(t, "corpus/"+name)
	sink, _ := mustParse(t, "vtt", name, data)
	// 15 cues; the second holds two voices and an unattributed "Laughter".
	if len(sink.segs) != 17 {
		t.Fatalf("got %d segments, want 17", len(sink.segs))
	}
	want := []struct{ speaker, text string }{
		{"Chris Pearce", "Okay, we're good now."},
		{"Kyle Huey", "Oh, now we're good?"},
		{"", "Laughter"},
	}
	for i, w := range want {
		s := sink.segs[1+i]
		if s.Speaker != w.speaker || s.Text != w.text || s.StartMS != 4000 || s.EndMS != 5000 {
			t.Errorf("segment %d = %+v, want %q %q at 4000-5000", s.Seq, s, w.speaker, w.text)
		}
	}
	if s := sink.segs[3]; s.Line != 8 {
		t.Errorf("Laughter on line %d, want 8", s.Line)
	}
	assertAt(t, data, sink.segs[2], "<v Kyle Huey> Oh, now we're good?")
	if s := sink.segs[4]; s.Text != "So thanks again for coming. I'm going to talk a bit about the cycle collector and what it does and how we manage memory in Gecko." {
		t.Errorf("tags not stripped: %q", s.Text)
	}
	if last := sink.segs[16]; last.StartMS != 96000 || last.EndMS != 108000 {
		t.Errorf("MM:SS.mmm times: %+v", last)
	}
}

func TestCorpusChineseCueIdentifier(t *testing.T) {
	name := "mozilla_vttjs_chinese.vtt"
	data := readTestdata(t, "corpus/"+name)
	sink, _ := mustParse(t, "vtt", name, data)
	if len(sink.segs) != 1 {
		t.Fatalf("got %d segments, want 1", len(sink.segs))
	}
	s := sink.segs[0]
	if s.Text != "Payload" || s.StartMS != 11000 || s.EndMS != 13000 || s.Line != 3 {
		t.Errorf("segment = %+v", s)
	}
	assertAt(t, data, s, "从大海到大海\n00:11.000")
}

func TestCorpusWhisperJSON(t *testing.T) {
	name := "whisper_official_jfk.json"
	data := readTestdata(t, "corpus/"+name)
	sink, _ := mustParse(t, "whisper-json", name, data)
	if len(sink.segs) != 1 {
		t.Fatalf("got %d segments, want 1", len(sink.segs))
	}
	s := sink.segs[0]
	want := "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
	if s.Text != want || s.StartMS != 0 || s.EndMS != 11000 || s.Line != 1 {
		t.Errorf("segment = %+v", s)
	}
	assertAt(t, data, s, `{"id": 0, "seek": 0`)
	if !strings.HasSuffix(string(data[s.Offset:s.Offset+s.Length]), `"no_speech_prob": 0.04382958635687828}`) {
		t.Errorf("segment span %q does not end with its object", data[s.Offset:s.Offset+s.Length])
	}
}

func TestCorpusWhisperTSV(t *testing.T) {
	name := "whisper_official_jfk.tsv"
	data := readTestdata(t, "corpus/"+name)
	sink, _ := mustParse(t, "whisper-tsv", name, data)
	if len(sink.segs) != 1 {
		t.Fatalf("got %d segments, want 1", len(sink.segs))
	}
	s := sink.segs[0]
	if !strings.HasPrefix(s.Text, "And so my fellow Americans") || s.StartMS != 0 || s.EndMS != 11000 || s.Line != 2 || s.Offset != 15 {
		t.Errorf("segment = %+v", s)
	}
}

func TestCorpusOtterExport(t *testing.T) {
	name := "otter_ladybug_62-security.md"
	data := readTestdata(t, "corpus/"+name)
	sink, _ := mustParse(t, "otter", name, data)
	if len(sink.segs) != 162 {
		t.Fatalf("got %d segments, want 162", len(sink.segs))
	}
	s := sink.segs[2]
	if s.Speaker != "Unknown Speaker" || s.Text != "I'm Kelly. I'm Allie." || s.StartMS != 35000 || s.Line != 7 {
		t.Errorf("segment 3 = %+v", s)
	}
	assertAt(t, data, s, "Unknown Speaker  0:35")
	last := sink.segs[161]
	if last.Speaker != "Sidney" || last.StartMS != 55*60000+21000 || strings.Contains(last.Text, "otter.ai") {
		t.Errorf("last segment = %+v", last)
	}
}

func TestCorpusAMIWordsMergeIntoUtterances(t *testing.T) {
	name := "ami_ES2002a.A.words.xml"
	data := readTestdata(t, "corpus/"+name)
	sink, meta := mustParse(t, "ami-xml", name, data)
	// 286 words; pauses over 1 s, or over 0.25 s after . ? !, give 26 utterances.
	if len(sink.segs) != 26 {
		t.Fatalf("got %d utterances, want 26", len(sink.segs))
	}
	s := sink.segs[0]
	if s.Speaker != "Speaker A" || s.Text != "Hi, I'm David and I'm supposed to be an industrial designer." ||
		s.StartMS != 77440 || s.EndMS != 80870 || s.Line != 3 {
		t.Errorf("first utterance = %+v", s)
	}
	assertAt(t, data, s, `<w nite:id="ES2002a.A.words0" starttime="77.44"`)
	if !strings.HasPrefix(sink.segs[1].Text, "Um, I just got the project announcement about what the project is. Designing a remote control.") {
		t.Errorf("second utterance = %q", sink.segs[1].Text)
	}
	if last := sink.segs[25]; last.Text != "Cool." || last.StartMS != 1109230 {
		t.Errorf("last utterance = %+v", last)
	}
	if meta.Encoding != "iso-8859-1" || meta.Title != "ES2002a" {
		t.Errorf("meta = %+v", meta)
	}
}
