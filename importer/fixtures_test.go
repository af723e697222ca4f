package importer

import (
	"strings"
	"testing"
)

// Fictional fixtures (the Lumora short-video app; Mia Chen, Daniel Okafor,
// Priya Raman) cover what the real corpus lacks.

func TestTeamsVTTReadsVoicesEntitiesAndOddTimes(t *testing.T) {
	name := "teams_lumora_standup.vtt"
	data := readTestdata(t, "fixtures/"+name)
	sink, meta := mustParse(t, "vtt", name, data)
	want := []struct {
		speaker, text string
		start, end    int64
	}{
		{"Mia Chen", "Good morning, everyone. Let's start with the moderation backlog.", 570, 4120},
		{"Daniel Okafor", "The export tool still copies user & creator data to the <staging> bucket.", 3900, 9000},
		{"Priya Raman", "Who approved that? I'd like to see the ticket.", 9200, 12800},
		{"Mia Chen", "Nobody did, as far as I know.", 9200, 12800},
		{"Priya Raman", "数据 stays in region. Always.", 13000, 16500},
		{"Daniel Okafor", "I'll check the logs for the Singapore office.", 17000, -1},
		{"SPEAKER 1", "Thanks. Let's wrap up.", 22500, 26000},
	}
	if len(sink.segs) != len(want) {
		t.Fatalf("got %d segments, want %d", len(sink.segs), len(want))
	}
	for i, w := range want {
		s := sink.segs[i]
		if s.Speaker != w.speaker || s.Text != w.text || s.StartMS != w.start || s.EndMS != w.end {
			t.Errorf("segment %d = %q %q %d-%d, want %q %q %d-%d", i+1, s.Speaker, s.Text, s.StartMS, s.EndMS, w.speaker, w.text, w.start, w.end)
		}
	}
	assertAt(t, data, sink.segs[0], "3b3f5e2a-1c4d-4d2e-9c5f-0a1b2c3d4e5f/12-0\n0:0:0.570")
	assertAt(t, data, sink.segs[3], "<v Mia Chen><00:00:11.000>Nobody")
	assertAt(t, data, sink.segs[4], "会议纪要\n00:13.000")
	joined := strings.Join(sink.warns, "\n")
	for _, w := range []string{"overlapping cue", "bad timestamp", "empty cue"} {
		if !strings.Contains(joined, w) {
			t.Errorf("warnings %q lack %q", sink.warns, w)
		}
	}
	if meta.Describes != "2024-03-05" {
		t.Errorf("describes %q, want the NOTE's date", meta.Describes)
	}
}

func TestInvestigatorDateWinsOverTheFile(t *testing.T) {
	data := readTestdata(t, "fixtures/teams_lumora_standup.vtt")
	_, meta, err := parseWith(t, "vtt", "2023-01-01 standup.vtt", data, Options{Date: "2024-03-06"})
	if err != nil || meta.Describes != "2024-03-06" {
		t.Fatalf("describes %q (%v), want the investigator's date", meta.Describes, err)
	}
}

func TestSRTToleratesIndexZeroMissingBlankLinesAndPositions(t *testing.T) {
	name := "lumora_interview.srt"
	data := readTestdata(t, "fixtures/"+name)
	sink, _ := mustParse(t, "srt", name, data)
	want := []struct {
		speaker, text string
		start, end    int64
	}{
		{"MIA CHEN", "When did the bulk export start?", 1000, 4200}, // labels as written
		{"DANIEL OKAFOR", "Last spring, after the growth review.", 4500, 8000},
		{"Priya Raman", "It ran every night.", 8000, 11000},
		{"Mia Chen", "Who could read the bucket?", 11500, 15000},
		{"Daniel Okafor", "The data team, and vendors.", 11500, 15000},
		{"", "(keyboard clicking)", 15200, 18900},
	}
	if len(sink.segs) != len(want) {
		t.Fatalf("got %d segments, want %d", len(sink.segs), len(want))
	}
	for i, w := range want {
		s := sink.segs[i]
		if s.Speaker != w.speaker || s.Text != w.text || s.StartMS != w.start || s.EndMS != w.end {
			t.Errorf("segment %d = %q %q %d-%d, want %q %q %d-%d", i+1, s.Speaker, s.Text, s.StartMS, s.EndMS, w.speaker, w.text, w.start, w.end)
		}
	}
	assertAt(t, data, sink.segs[0], "0\n00:00:01,000")
	assertAt(t, data, sink.segs[2], "2\n00:00:08 -->")
	if len(sink.warns) == 0 || !strings.Contains(sink.warns[0], "missing blank line") {
		t.Errorf("warnings = %q", sink.warns)
	}
}

func TestRevTurns(t *testing.T) {
	name := "lumora_rev.txt"
	data := readTestdata(t, "fixtures/"+name)
	sink, _ := mustParse(t, "rev", name, data)
	if len(sink.segs) != 4 {
		t.Fatalf("got %d segments, want 4", len(sink.segs))
	}
	s := sink.segs[2]
	if s.Speaker != "Priya Raman" || s.StartMS != 75000 || s.Text != "Did anyone outside finance see the payout list? I need the names." || s.Line != 7 {
		t.Errorf("segment 3 = %+v", s)
	}
	assertAt(t, data, s, "Priya Raman (00:01:15):")
	if s := sink.segs[3]; s.StartMS != 3723000 || s.Text != "Only the vendor in Manila, as far as I know." {
		t.Errorf("text on the header line: %+v", s)
	}
}

func TestHearingSpeakersAndContinuations(t *testing.T) {
	name := "lumora_hearing.txt"
	data := readTestdata(t, "fixtures/"+name)
	sink, meta := mustParse(t, "hearing", name, data)
	// The title line and the caption paragraph, then the turns (hearing@2
	// keeps the title line as a segment too: it is part of the transcript).
	wantSpeakers := []string{"", "", "The Chairman", "Senator Raman", "Ms. Chen", "Senator Raman", "Mr. Okafor", "Chairman Voss", "The Witness"}
	if len(sink.segs) != len(wantSpeakers) {
		t.Fatalf("got %d segments, want %d", len(sink.segs), len(wantSpeakers))
	}
	for i, w := range wantSpeakers {
		if sink.segs[i].Speaker != w {
			t.Errorf("segment %d speaker %q, want %q", i+1, sink.segs[i].Speaker, w)
		}
	}
	if s := sink.segs[4]; s.Text != "Senator, it is stored in Virginia and in Singapore. Access from other offices requires approval." || s.Line != 10 {
		t.Errorf("continued turn = %+v", s)
	}
	if meta.Title != "HEARING ON LUMORA USER DATA TRANSFERS" {
		t.Errorf("title %q", meta.Title)
	}
}

func TestOtterBoldMarkdownVariant(t *testing.T) {
	name := "lumora_otter_bold.md"
	data := readTestdata(t, "fixtures/"+name)
	sink, meta := mustParse(t, "otter", name, data)
	if len(sink.segs) != 4 {
		t.Fatalf("got %d segments, want 4", len(sink.segs))
	}
	if s := sink.segs[3]; s.Speaker != "Priya Raman" || s.StartMS != 3750000 || s.Text != "Let's take it offline." {
		t.Errorf("segment 4 = %+v", s)
	}
	assertAt(t, data, sink.segs[0], "**Mia Chen** 0:05")
	if meta.Title != "Lumora weekly sync" {
		t.Errorf("title %q", meta.Title)
	}
}

func TestTranscriptCSVClockTimesQuotesAndMultilineCells(t *testing.T) {
	name := "lumora_sync.csv"
	data := readTestdata(t, "fixtures/"+name)
	sink, _ := mustParse(t, "transcript-csv", name, data)
	if len(sink.segs) != 4 {
		t.Fatalf("got %d segments, want 4", len(sink.segs))
	}
	if s := sink.segs[1]; s.Text != `The first one: "shadow" exports to a personal drive.` || s.StartMS != 5500 || s.EndMS != 9750 {
		t.Errorf("segment 2 = %+v", s)
	}
	if s := sink.segs[2]; s.Text != "That needs a note in the report." || s.StartMS != 10000 || s.Line != 4 {
		t.Errorf("multi-line cell = %+v", s)
	}
	if s := sink.segs[3]; s.Speaker != "Mia Chen" || s.StartMS != 15000 || s.EndMS != 18000 || s.Line != 6 {
		t.Errorf("MM:SS row = %+v", s)
	}
	assertAt(t, data, sink.segs[3], "00:15,00:18,MIA CHEN,Agreed.")
}

func TestTranscriptTSVWithMillisecondColumns(t *testing.T) {
	name := "lumora_tsv_ms.tsv"
	data := readTestdata(t, "fixtures/"+name)
	sink, _ := mustParse(t, "transcript-csv", name, data)
	if len(sink.segs) != 2 || sink.segs[1].StartMS != 2600 || sink.segs[1].EndMS != 4100 || sink.segs[1].Speaker != "Daniel Okafor" {
		t.Fatalf("segments = %+v", sink.segs)
	}
}

func TestTranscriptCSVSecondsAndWholeMilliseconds(t *testing.T) {
	secs := "name,begin,end,utterance\nMia Chen,1.5,3.25,Hello.\nDaniel Okafor,4,6,Hi.\n"
	sink, _ := mustParse(t, "transcript-csv", "s.csv", []byte(secs))
	if sink.segs[0].StartMS != 1500 || sink.segs[0].EndMS != 3250 || sink.segs[1].StartMS != 4000 {
		t.Errorf("seconds: %+v %+v", sink.segs[0], sink.segs[1])
	}
	ms := "participant;from;to;content\nMia Chen;1500;3250;Hello.\nDaniel Okafor;4000;6000;Hi.\n"
	sink, _ = mustParse(t, "transcript-csv", "ms.csv", []byte(ms))
	if sink.segs[0].StartMS != 1500 || sink.segs[1].EndMS != 6000 {
		t.Errorf("whole milliseconds: %+v %+v", sink.segs[0], sink.segs[1])
	}
}

func TestZoomChatFromToVariant(t *testing.T) {
	name := "lumora_chat_from.txt"
	data := readTestdata(t, "fixtures/"+name)
	sink, _ := mustParse(t, "zoom-chat", name, data)
	if len(sink.segs) != 4 {
		t.Fatalf("got %d messages, want 4", len(sink.segs))
	}
	if s := sink.segs[2]; s.Speaker != "Priya Raman" || s.Text != "(privately to Daniel Okafor) Can you send me the “export” logs?" {
		t.Errorf("private message = %+v", s)
	}
	if s := sink.segs[3]; s.Text != "Logs are on the shared drive. Folder: audit/2024" || s.StartMS != 10*3600000+3*60000 {
		t.Errorf("multi-line message = %+v", s)
	}
}

func TestPlainTranscript(t *testing.T) {
	name := "lumora_plain.txt"
	data := readTestdata(t, "fixtures/"+name)
	sink, _ := mustParse(t, "plain-transcript", name, data)
	if len(sink.segs) != 4 || sink.segs[3].Speaker != "Daniel Okafor" || sink.segs[3].Text != "Yes." || sink.segs[3].Line != 4 {
		t.Fatalf("segments = %+v", sink.segs)
	}
}

func TestWhisperXJSONWithSpeakersPrettyPrinted(t *testing.T) {
	name := "lumora_whisperx.json"
	data := readTestdata(t, "fixtures/"+name)
	sink, _ := mustParse(t, "whisper-json", name, data)
	if len(sink.segs) != 2 {
		t.Fatalf("got %d segments", len(sink.segs))
	}
	s := sink.segs[1]
	if s.Speaker != "Speaker 01" || s.Text != "Even the deleted ones?" || s.StartMS != 2900 || s.EndMS != 5250 || s.Line != 9 {
		t.Errorf("segment 2 = %+v", s)
	}
	assertAt(t, data, s, "{\n      \"start\": 2.9,")
}

func TestDOCXTeamsTranscript(t *testing.T) {
	data := teamsDOCX(t)
	sink, meta := mustParse(t, "docx", "lumora_review.docx", data)
	want := []struct {
		speaker, text string
		start         int64
		para          int
	}{
		{"", "Lumora data review", -1, 1},
		{"Mia Chen", "Can everyone see the export dashboard?", 5000, 2},
		{"Daniel Okafor", "Yes. The Manila vendor pulled 40,000 profiles & messages. That was in March.", 12000, 4},
		{"Priya Raman", "Was it approved?", 3723000, 7},
		{"Mia Chen", "Not that I know of.", -1, 9},
		{"Daniel Okafor", "I'll find the ticket.", -1, 10},
	}
	if len(sink.segs) != len(want) {
		t.Fatalf("got %d segments %+v, want %d", len(sink.segs), sink.segs, len(want))
	}
	for i, w := range want {
		s := sink.segs[i]
		if s.Speaker != w.speaker || s.Text != w.text || s.StartMS != w.start || s.Line != w.para || s.Offset != 0 {
			t.Errorf("segment %d = %+v, want %q %q %d paragraph %d", i+1, s, w.speaker, w.text, w.start, w.para)
		}
	}
	if meta.Title != "Lumora data review" || meta.Describes != "2024-04-02" {
		t.Errorf("meta = %+v", meta)
	}
}

func TestUTF16WithBOMBothByteOrders(t *testing.T) {
	text := string(readTestdata(t, "fixtures/lumora_rev.txt"))
	for _, big := range []bool{false, true} {
		data := encodeUTF16(t, strings.ReplaceAll(text, "\n", "\r\n"), big)
		sink, meta := mustParse(t, "rev", "utf16.txt", data)
		wantEnc := EncUTF16LE
		if big {
			wantEnc = EncUTF16BE
		}
		if meta.Encoding != wantEnc || len(sink.segs) != 4 {
			t.Fatalf("%s: %d segments, meta %+v", wantEnc, len(sink.segs), meta)
		}
		s := sink.segs[1]
		if s.Speaker != "Daniel Okafor" || s.Line != 4 || s.StartMS != 9000 {
			t.Errorf("%s: segment 2 = %+v", wantEnc, s)
		}
		// Offsets count UTF-16 bytes of the original, BOM included.
		if want := int64(2 + 2*len("Mia Chen (00:00:02):\r\nThanks for joining. This call is about the Lumora creator fund audit.\r\n\r\n")); s.Offset != want {
			t.Errorf("%s: offset %d, want %d", wantEnc, s.Offset, want)
		}
	}
	vtt := encodeUTF16(t, chineseVTT, false)
	sink, _ := mustParse(t, "vtt", "zh16.vtt", vtt)
	if len(sink.segs) != 3 || sink.segs[1].Speaker != "欧卡福" {
		t.Errorf("UTF-16 Chinese VTT: %+v", sink.segs)
	}
}

func TestGB18030ChineseVTT(t *testing.T) {
	data := encodeGB18030(t, chineseVTT)
	sink, meta := mustParse(t, "vtt", "lumora_zh.vtt", data)
	if meta.Encoding != EncGB18030 {
		t.Fatalf("encoding %q, want gb18030", meta.Encoding)
	}
	if len(sink.segs) != 3 {
		t.Fatalf("got %d segments", len(sink.segs))
	}
	s := sink.segs[1]
	if s.Speaker != "欧卡福" || s.Text != "新加坡办公室上个月导出了三次。" || s.StartMS != 4500 {
		t.Errorf("segment 2 = %+v", s)
	}
	assertAt(t, data, s, "2\n00:00:04.500")
}

func TestCROnlyLineEnds(t *testing.T) {
	for _, c := range []struct{ format, file string }{
		{"srt", "lumora_interview.srt"},
		{"otter", "lumora_otter_bold.md"},
		{"vtt", "teams_lumora_standup.vtt"},
	} {
		data := []byte(strings.ReplaceAll(string(readTestdata(t, "fixtures/"+c.file)), "\n", "\r"))
		sink, _ := mustParse(t, c.format, c.file, data)
		lf, _ := mustParse(t, c.format, c.file, readTestdata(t, "fixtures/"+c.file))
		if len(sink.segs) != len(lf.segs) {
			t.Fatalf("%s: %d segments with CR, %d with LF", c.file, len(sink.segs), len(lf.segs))
		}
		for i := range sink.segs {
			a, b := sink.segs[i], lf.segs[i]
			if a.Text != b.Text || a.Line != b.Line || a.Offset != b.Offset || a.Speaker != b.Speaker {
				t.Errorf("%s segment %d: CR %+v, LF %+v", c.file, i+1, a, b)
			}
		}
	}
}

func TestAMIDoesNotExpandDeclaredEntities(t *testing.T) {
	bomb := `<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<nite:root xmlns:nite="http://nite.sourceforge.net/">
<w nite:id="LU.B.words0" starttime="1.0" endtime="1.5">Hello</w>
<w nite:id="LU.B.words1" starttime="1.5" endtime="2.0">&c;</w>
<w nite:id="LU.B.words2" starttime="2.0" endtime="2.0" punc="true">.</w>
</nite:root>
`
	sink, _ := mustParse(t, "ami-xml", "LU0001a.B.words.xml", []byte(bomb))
	if len(sink.segs) != 1 || sink.segs[0].Speaker != "Speaker B" || len(sink.segs[0].Text) > 20 {
		t.Fatalf("segments = %+v", sink.segs)
	}
}

func TestTranscriptCSVOffsetsCountTheBOM(t *testing.T) {
	data := []byte("\ufeffspeaker,start,end,text\nMia Chen,1,2,Hello.\n")
	sink, meta := mustParse(t, "transcript-csv", "bom.csv", data)
	if meta.Encoding != EncUTF8BOM || len(sink.segs) != 1 {
		t.Fatalf("meta %+v, %d segments", meta, len(sink.segs))
	}
	assertAt(t, data, sink.segs[0], "Mia Chen,1,2,Hello.")
}

func TestDOCXSentenceEndingInATimeIsNotASpeaker(t *testing.T) {
	data := buildDOCX(t, "", "", []docxPart{
		{text: "Mia Chen 0:05"},
		{text: "We start at 10:30"},
		{text: "Daniel Okafor\u00a0\u00a00:09"},
		{text: "Fine."},
	})
	sink, meta := mustParse(t, "docx", "2024-05-01 sync.docx", data)
	if len(sink.segs) != 2 || sink.segs[0].Text != "We start at 10:30" || sink.segs[1].Speaker != "Daniel Okafor" || sink.segs[1].StartMS != 9000 {
		t.Fatalf("segments = %+v", sink.segs)
	}
	if meta.Describes != "2024-05-01" {
		t.Errorf("describes %q, want the date in the name when core.xml has none", meta.Describes)
	}
}
