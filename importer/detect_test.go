package importer

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"casebook/model"
)

// detectCase is one file and the format it must be detected as.
type detectCase struct {
	name   string
	data   []byte
	format string
}

// allFixtures lists every fixture, real and fictional, with its format.
func allFixtures(t testing.TB) []detectCase {
	c := func(dir, name, format string) detectCase {
		return detectCase{name, readTestdata(t, dir+"/"+name), format}
	}
	cases := []detectCase{
		c("corpus", "zoom_GMT20240124-202901_Recording.transcript.vtt", "vtt"),
		c("corpus", "zoom_GMT20240124-202901_Recording.cc.vtt", "vtt"),
		c("corpus", "zoom_GMT20240124-202901_RecordingnewChat.txt", "zoom-chat"),
		c("corpus", "mozilla_vttjs_cycle-collector-talk.vtt", "vtt"),
		c("corpus", "mozilla_vttjs_chinese.vtt", "vtt"),
		c("corpus", "whisper_official_jfk.json", "whisper-json"),
		c("corpus", "whisper_official_jfk.tsv", "whisper-tsv"),
		c("corpus", "otter_ladybug_62-security.md", "otter"),
		c("corpus", "ami_ES2002a.A.words.xml", "ami-xml"),
		c("fixtures", "teams_lumora_standup.vtt", "vtt"),
		c("fixtures", "lumora_interview.srt", "srt"),
		c("fixtures", "lumora_rev.txt", "rev"),
		c("fixtures", "lumora_hearing.txt", "hearing"),
		c("fixtures", "lumora_otter_bold.md", "otter"),
		c("fixtures", "lumora_sync.csv", "transcript-csv"),
		c("fixtures", "lumora_tsv_ms.tsv", "transcript-csv"),
		c("fixtures", "lumora_chat_from.txt", "zoom-chat"),
		c("fixtures", "lumora_plain.txt", "plain-transcript"),
		c("fixtures", "lumora_whisperx.json", "whisper-json"),
		{"lumora_review.docx", teamsDOCX(t), "docx"},
		{"lumora_zh_gb18030.vtt", encodeGB18030(t, chineseVTT), "vtt"},
		{"lumora_zh_utf16le.vtt", encodeUTF16(t, chineseVTT, false), "vtt"},
		{"lumora_rev_utf16be.txt", encodeUTF16(t, string(readTestdata(t, "fixtures/lumora_rev.txt")), true), "rev"},
		{"lumora_interview_cr.srt", []byte(strings.ReplaceAll(string(readTestdata(t, "fixtures/lumora_interview.srt")), "\n", "\r")), "srt"},
		{"lumora_otter_cr.md", []byte(strings.ReplaceAll(string(readTestdata(t, "fixtures/lumora_otter_bold.md")), "\n", "\r")), "otter"},
		{"lumora_hearing_crlf.txt", []byte(strings.ReplaceAll(string(readTestdata(t, "fixtures/lumora_hearing.txt")), "\n", "\r\n")), "hearing"},
		c("fixtures", "lumora_review.sbv", "sbv"),
		c("fixtures", "lumora_review.ttml", "ttml"),
		c("fixtures", "lumora_review.dfxp", "ttml"),
		c("fixtures", "lumora_review.ass", "ssa"),
		c("hearings", "lumora_gpo_hearing.txt", "hearing"),
		c("hearings", "lumora_press_hearing.txt", "hearing"),
		c("hearings", "lumora_committee_captions.txt", "hearing"),
		c("hearings", "lumora_court_pages.txt", "court-transcript"),
	}
	// Third-party captions gathered with the fetch tool, when this machine has them.
	for _, f := range []struct{ name, format string }{
		{"webvttpy_sample.sbv", "sbv"}, {"pysubs2_ttml_example.ttml", "ttml"}, {"astisub_example-in.dfxp", "ttml"},
		{"astisub_example-in.ssa", "ssa"}, {"pysubs2_ttml_example.ass", "ssa"},
		{"astisub_example-in-carriage-return.ssa", "ssa"}, {"astisub_example-in-carriage-return.srt", "srt"},
	} {
		if b, err := readFetched("realsubs", f.name); err == nil {
			cases = append(cases, detectCase{f.name, b, f.format})
		}
	}
	return cases
}

func TestDetectPicksEachFixturesFormatByNameAndByContent(t *testing.T) {
	for _, c := range allFixtures(t) {
		head := c.data[:min(len(c.data), HeadSize)]
		for _, name := range []string{c.name, "file.txt", "file"} {
			f, err := Detect(name, head, "")
			if err != nil {
				t.Errorf("%s as %q: %v", c.name, name, err)
				continue
			}
			if f.Name != c.format {
				t.Errorf("%s as %q: detected %s, want %s", c.name, name, f.Name, c.format)
			}
		}
		f, err := Detect(c.name, head, model.KindTranscript)
		if err != nil || f.Name != c.format {
			t.Errorf("%s restricted to transcripts: %v %v", c.name, f, err)
		}
	}
}

func TestEveryTranscriptFormatIsRegistered(t *testing.T) {
	for _, n := range []string{"vtt", "srt", "otter", "rev", "hearing", "zoom-chat", "plain-transcript", "whisper-json",
		"whisper-tsv", "transcript-csv", "ami-xml", "docx", "court-transcript"} {
		f, err := Lookup(n)
		if err != nil {
			t.Fatal(err)
		}
		version := 1
		if n == "hearing" {
			version = 2 // the published layouts and one label per person (issue 21)
		}
		if f.Kind != model.KindTranscript || f.Version != version || f.Title == "" || f.ImporterID() != fmt.Sprintf("casebook/%s@%d", n, version) {
			t.Errorf("format %s = %+v", n, f)
		}
	}
}

func TestTranscriptFormatsLeaveAccessLogCSVsAlone(t *testing.T) {
	logs := []string{
		"timestamp,employee,employee_id,office,country,action,resource,record_count,approval_id,approver\n" +
			"2024-03-01T10:00:00Z,Mia Chen,E100,Singapore,SG,export,users,5000,,\n",
		"time;actor;office;data_category;approval;purpose;content\n2024-03-01 10:00;Daniel Okafor;Manila;messages;;audit;notes\n",
	}
	for _, l := range logs {
		if s := detectTranscriptCSV("access.csv", []byte(l)); s != 0 {
			t.Errorf("transcript-csv claims an access log with %d:\n%s", s, l)
		}
		if f, err := Detect("access.csv", []byte(l), model.KindTranscript); err == nil && f.Name == "transcript-csv" {
			t.Errorf("Detect picked transcript-csv for an access log")
		}
	}
}

func TestDetectRefusesWhatIsNoTranscript(t *testing.T) {
	for _, s := range []string{
		"{\"Records\": [{\"eventTime\": \"2024-01-01T00:00:00Z\"}]}",
		"<html><body><p>hello</p></body></html>",
	} {
		if f, err := Detect("notes.txt", []byte(s), model.KindTranscript); !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("%q detected as %v (%v)", s, f.Name, err)
		}
	}
}
