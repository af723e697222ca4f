package importer

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"casebook/model"
)

// Hearing and court transcripts in their published layouts (issue 21): the
// fictional fixtures in testdata/hearings always run; the real files
// (testdata/hearings/SOURCES.md) run when $CASEBOOK_FETCHED_CORPUS holds
// them, against counts made with grep and awk, not by this code.

// span renders a segment's page fields as awk wrote them in SOURCES.md:
// "1073:24-1074:2".
func span(s *model.Segment) string {
	return fmt.Sprintf("%d:%d-%d:%d", s.Page, s.PageLine, s.EndPage, s.EndPageLine)
}

func rawLine(data []byte, s *model.Segment) string {
	l := data[s.Offset:]
	if i := bytes.IndexAny(l, "\r\n"); i >= 0 {
		l = l[:i]
	}
	return string(l)
}

func TestHearingGPOFixture(t *testing.T) {
	name := "lumora_gpo_hearing.txt"
	data := readTestdata(t, "hearings/"+name)
	if f, err := Detect(name, data, ""); err != nil || f.Name != "hearing" {
		t.Fatalf("detected %v, %v", f, err)
	}
	sink, meta := mustParse(t, "hearing", name, data)
	if meta.Title != "LUMORA AND THE TRANSFER OF AMERICAN USER DATA" || meta.Describes != "2023-03-23" {
		t.Errorf("title %q, date %q", meta.Title, meta.Describes)
	}
	var turns []string
	for _, s := range sink.segs {
		if s.Speaker != "" {
			turns = append(turns, fmt.Sprintf("%s@%d", s.Speaker, s.Page))
		}
		for _, bad := range []string{"STATEMENT OF MS.", "[[Page", "OFFICER, LUMORA"} {
			if strings.Contains(s.Text, bad) && s.Speaker != "" {
				t.Errorf("a heading in %q's words: %q", s.Speaker, s.Text)
			}
		}
	}
	want := []string{"Mira Voss (Chair)@1", "Mira Voss (Chair)@1", "Mia Chen@1", "Senator Raman@2", "Mia Chen@2",
		"Senator Raman@2", "Mira Voss (Chair)@2", "Mr. Okafor of Oregon@2", "Voices@2"}
	if strings.Join(turns, "|") != strings.Join(want, "|") {
		t.Errorf("turns\n got %v\nwant %v", turns, want)
	}
	find := func(sub string) *model.Segment {
		for _, s := range sink.segs {
			if strings.Contains(s.Text, sub) {
				return s
			}
		}
		t.Fatalf("no segment holds %q", sub)
		return nil
	}
	if s := find("which our co-founder signs."); s.Speaker != "Mia Chen" || strings.Contains(s.Text, "[The prepared") {
		t.Errorf("Ms. Chen's statement = %+v", s)
	}
	if s := find("[The prepared statement of Ms. Chen follows:]"); s.Speaker != "" {
		t.Errorf("the prepared-statement note is spoken by %q", s.Speaker)
	}
	if s := find("This line is in the appendix"); s.Speaker != "" {
		t.Errorf("after the adjournment a header still made a turn: %+v", s)
	}
	assertAt(t, data, find("The Senator's time has expired."), "    The Chairman. The Senator's time has expired.")
}

func TestHearingPressServiceFixture(t *testing.T) {
	name := "lumora_press_hearing.txt"
	data := readTestdata(t, "hearings/"+name)
	if f, err := Detect(name, data, ""); err != nil || f.Name != "hearing" {
		t.Fatalf("detected %v, %v", f, err)
	}
	sink, meta := mustParse(t, "hearing", name, data)
	if meta.Title != "Senate Commerce and Technology Committee Holds Hearing on Lumora User Data" || meta.Describes != "2025-06-24" {
		t.Errorf("title %q, date %q", meta.Title, meta.Describes)
	}
	want := []struct{ speaker, text string }{
		{"Mira Voss (Senator, R-Utah)", "The committee will come to order. We are here to learn who at Lumora could open the data of American users."},
		{"Priya Raman (Senator, D-Ore.)", "Thank you, Madam Chair. Ms. Chen, where is that data stored today?"},
		{"Mia Chen", "Senator, it is stored in Virginia. Engineers elsewhere need an approval ticket."},
		{"Priya Raman (Senator, D-Ore.)", "And in March 2022?"},
		{"Mia Chen", "I would have to check the tickets."},
		{"Mr. Okafor", "If I may add, the Manila office had access that month."},
		{"Mira Voss (Senator, R-Utah)", "Thank you. We stand adjourned."}, // "Senator Voss" is the same person
	}
	var got []*model.Segment
	for _, s := range sink.segs {
		if s.Speaker != "" {
			got = append(got, s)
		} else if strings.Contains(s.Text, "committee will come") {
			t.Errorf("a turn without its speaker: %+v", s)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d turns, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Speaker != w.speaker || got[i].Text != w.text {
			t.Errorf("turn %d = %q %q, want %q %q", i+1, got[i].Speaker, got[i].Text, w.speaker, w.text)
		}
	}
	assertAt(t, data, got[0], "Sen. Mira Voss (R-Utah)\n")
}

func TestHearingCommitteeCaptionsFixture(t *testing.T) {
	name := "lumora_committee_captions.txt"
	data := readTestdata(t, "hearings/"+name)
	if f, err := Detect(name, data, ""); err != nil || f.Name != "hearing" {
		t.Fatalf("detected %v, %v (the plain transcript reads these too, but without the hearing's date)", f, err)
	}
	sink, meta := mustParse(t, "hearing", name, data)
	if meta.Describes != "2023-03-23" {
		t.Errorf("date %q", meta.Describes)
	}
	var got []string
	for _, s := range sink.segs {
		if s.Speaker != "" {
			got = append(got, fmt.Sprintf("%d %s", s.StartMS, s.Speaker))
		}
	}
	want := []string{"4000 Chair Voss", "11000 Chair Voss", "62000 Ms. Chen", "751000 Senator Raman", "760000 Ms. Chen", "3723000 Chair Voss"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestCourtTranscriptFixture(t *testing.T) {
	name := "lumora_court_pages.txt"
	data := readTestdata(t, "hearings/"+name)
	if f, err := Detect(name, data, ""); err != nil || f.Name != "court-transcript" {
		t.Fatalf("detected %v, %v", f, err)
	}
	sink, meta := mustParse(t, "court-transcript", name, data)
	if meta.Describes != "2024-04-16" || meta.Title != "SUPREME COURT OF THE STATE OF NEW YORK" {
		t.Errorf("title %q, date %q", meta.Title, meta.Describes)
	}
	want := []struct{ speaker, cite, text string }{
		{"The Court", "982:1", "Good morning. Bring in the jury."},
		{"", "982:2", "(Jury present.)"},
		{"The Court", "982:3–4", "The People may call their next witness."},
		{"Ms. Adeyemi", "982:5", "The People call Priya Raman."},
		{"Ms. Adeyemi", "982:11", "Good morning, Ms. Raman."},
		{"Priya Raman", "982:12", "Good morning."},
		{"Ms. Adeyemi", "982:13–15", "You have the ticket log in front of you. And it says here that the Manila office opened the payout list on March 3?"},
		{"Priya Raman", "982:16", "Yes."},
		{"Mr. Halvorsen", "982:17", "Objection."},
		{"The Court", "982:18", "Overruled."},
		{"Priya Raman", "982:19", "Yes, that is what it says."},
		{"", "982:20", "(Pause.)"},
		{"Ms. Adeyemi", "982:21", "Who approved that ticket?"},
		{"Priya Raman", "982:22–23", "Nobody did. The approval field is empty, and the engineer who opened it told me so himself."},
		{"Mr. Halvorsen", "982:24–983:2", "Objection, your Honor. Move to strike the last part of the answer as hearsay. It is not responsive either. Hearsay, and not responsive."},
		{"The Court", "983:3–4", "Sustained. The jury will disregard the last sentence."},
		{"", "983:5", "(Recess.)"},
		{"Ms. Adeyemi", "983:6–7", "After the recess, Ms. Raman: did anyone else approve tickets for Manila?"},
		{"Priya Raman", "983:8", "Not that I saw."},
		{"Ms. Adeyemi", "983:9", "Nothing further."},
	}
	segs := sink.segs
	if len(segs) == 0 || segs[0].Speaker != "" || !strings.HasPrefix(segs[0].Text, "SUPREME COURT") || segs[0].PageCite() != "981:1–10" {
		t.Fatalf("the cover page: %+v", segs[0])
	}
	segs = segs[1:]
	if len(segs) != len(want) {
		t.Fatalf("%d segments after the cover, want %d", len(segs), len(want))
	}
	for i, w := range want {
		s := segs[i]
		if s.Speaker != w.speaker || s.PageCite() != w.cite || s.Text != w.text {
			t.Errorf("segment %d = %q %s %q\n          want %q %s %q", i+2, s.Speaker, s.PageCite(), s.Text, w.speaker, w.cite, w.text)
		}
		for _, furniture := range []string{"Lena Ortiz", "Direct/Adeyemi", "983", "14 And"} {
			if strings.Contains(s.Text, furniture) {
				t.Errorf("segment %d carries the page's %q: %q", i+2, furniture, s.Text)
			}
		}
	}
	assertAt(t, data, segs[14], "24             MR. HALVORSEN: Objection")
}

// TestHearingRealGPO reads govinfo's text of two Senate Judiciary hearings on
// social-media companies (public domain) and compares the turns with the
// counts grep made (SOURCES.md).
func TestHearingRealGPO(t *testing.T) {
	gpoTurn := regexp.MustCompile(`^    (The )?(Chair|Chairman|Chairwoman|Senator|Mr\.|Ms\.|Mrs\.|Dr\.) ?[A-Z][A-Za-z]*\.( |$)`)
	for _, c := range []struct {
		file, title, date string
		turns             int
		notes             int // "[The prepared statement …" lines
		bySpeaker         map[string]int
	}{
		{"CHRG-118shrg57444.txt", "BIG TECH AND THE ONLINE CHILD SEXUAL EXPLOITATION CRISIS", "2024-01-31", 651, 5,
			map[string]int{"Mark Zuckerberg": 127, "Shou Chew": 101, "Senator Cotton": 48, "Richard J. Durbin (Chair)": 42,
				"Jason Citron": 31, "Linda Yaccarino": 21, "Evan Spiegel": 17, "Senator Lee": 10, "Mr. Siegel": 1}},
		{"CHRG-118shrg60432.txt", "SOCIAL MEDIA AND THE TEEN MENTAL HEALTH CRISIS", "2023-11-07", 273, 1,
			map[string]int{"Arturo Bejar": 112, "Richard Blumenthal (Chair)": 44, "Marsha Blackburn (Senator)": 27, "Richard J. Durbin (Chair)": 8}},
	} {
		t.Run(c.file, func(t *testing.T) {
			data := fetchedFile(t, "hearings", c.file)
			if f, err := Detect(c.file, data[:min(len(data), HeadSize)], ""); err != nil || f.Name != "hearing" {
				t.Fatalf("detected %v, %v", f, err)
			}
			sink, meta := mustParse(t, "hearing", c.file, data)
			if meta.Title != c.title || meta.Describes != c.date {
				t.Errorf("title %q, date %q", meta.Title, meta.Describes)
			}
			turns, notes := 0, 0
			by := map[string]int{}
			for _, s := range sink.segs {
				raw := rawLine(data, s)
				if s.Speaker != "" && gpoTurn.MatchString(raw) {
					turns++
					by[s.Speaker]++
				}
				if strings.HasPrefix(s.Text, "[The prepared statement") {
					notes++
					if s.Speaker != "" {
						t.Errorf("a note with a speaker: %+v", s)
					}
				}
				if s.Speaker != "" && (strings.Contains(s.Text, "STATEMENT OF MR.") || strings.Contains(s.Text, "[The prepared")) {
					t.Errorf("%s's turn at line %d holds a heading or a note: %.120q", s.Speaker, s.Line, s.Text)
				}
			}
			if turns != c.turns || notes != c.notes {
				t.Errorf("%d turns and %d prepared-statement notes, grep counted %d and %d", turns, notes, c.turns, c.notes)
			}
			for who, n := range c.bySpeaker {
				if by[who] != n {
					t.Errorf("%s: %d turns, grep counted %d", who, by[who], n)
				}
			}
		})
	}
}

// TestCourtRealPages reads five consecutive pages of a New York trial
// transcript (People v. Trump, 2024-04-23, pages 1073–1077) joined in page
// order, and compares each segment's page:line span with awk's (SOURCES.md).
func TestCourtRealPages(t *testing.T) {
	var data []byte
	for i, n := range []string{"00136", "00137", "00138", "00139", "00140"} {
		if i > 0 {
			data = append(data, '\n')
		}
		data = append(data, fetchedFile(t, "hearings", "caughtlistening-240423/"+n+".txt")...)
	}
	if f, err := Detect("pages.txt", data, ""); err != nil || f.Name != "court-transcript" {
		t.Fatalf("detected %v, %v", f, err)
	}
	sink, _ := mustParse(t, "court-transcript", "pages.txt", data)
	want := strings.Fields(awkSpans)
	if len(sink.segs) != len(want) {
		t.Fatalf("%d segments, awk found %d", len(sink.segs), len(want))
	}
	turns := 0
	for i, s := range sink.segs {
		if got := span(s); got != want[i] {
			t.Errorf("segment %d spans %s, awk says %s (%q)", i+1, got, want[i], s.Text)
		}
		if s.Speaker != "" {
			turns++
		}
	}
	if turns != 55 {
		t.Errorf("%d turns, awk counted 55", turns)
	}
	// Nothing of the page but the words: the words of the numbered lines,
	// without line numbers, speaker labels and Q/A marks, are the words of
	// the segments, in order.
	label := regexp.MustCompile(`^(?:[QA] |(?:MR|MS) ?\. ?[A-Z ]+ ?: ?|THE COURT: ?)`)
	numbered := regexp.MustCompile(`^\d{1,2} (.*)$`)
	var fromPages, fromSegs []string
	for _, l := range strings.Split(string(data), "\n") {
		if m := numbered.FindStringSubmatch(l); m != nil {
			fromPages = append(fromPages, strings.Fields(label.ReplaceAllString(m[1], ""))...)
		}
	}
	for _, s := range sink.segs {
		fromSegs = append(fromSegs, strings.Fields(s.Text)...)
	}
	if strings.Join(fromPages, " ") != strings.Join(fromSegs, " ") {
		t.Errorf("the segments' words differ from the pages' words:\nsegments %q\n   pages %q", fromSegs, fromPages)
	}
	by := map[string]int{}
	for _, s := range sink.segs {
		by[s.Speaker]++
	}
	if by["Mr. Steinglass"] != 25 || by["D. Pecker"] != 14 || by["Mr. Bove"] != 7 || by["The Court"] != 8 {
		t.Errorf("turns by speaker %v (the scan's \"MR . STE INGLASS :\" is Mr. Steinglass; Q is the header's examiner, A its witness)", by)
	}
}

// awkSpans are the pages' segments as awk found them (SOURCES.md has the command).
const awkSpans = `1073:1-1073:2 1073:3-1073:4 1073:5-1073:5 1073:6-1073:7 1073:8-1073:10 1073:11-1073:21 1073:22-1073:22
1073:23-1073:23 1073:24-1074:2 1074:3-1074:4 1074:5-1074:5 1074:6-1074:8 1074:9-1074:10 1074:11-1074:11 1074:12-1074:12
1074:13-1074:18 1074:19-1074:24 1074:25-1075:1 1075:2-1075:2 1075:3-1075:3 1075:4-1075:4 1075:5-1075:6 1075:7-1075:8
1075:9-1075:9 1075:10-1075:10 1075:11-1075:13 1075:14-1075:14 1075:15-1075:16 1075:17-1075:17 1075:18-1075:18
1075:19-1075:21 1075:22-1075:23 1075:24-1075:24 1075:25-1076:1 1076:2-1076:2 1076:3-1076:3 1076:4-1076:4 1076:5-1076:7
1076:8-1076:8 1076:9-1076:10 1076:11-1076:11 1076:12-1076:14 1076:15-1076:15 1076:16-1076:16 1076:17-1076:17
1076:18-1076:23 1076:24-1076:24 1076:25-1076:25 1077:1-1077:3 1077:4-1077:4 1077:5-1077:6 1077:7-1077:9 1077:10-1077:11
1077:12-1077:14 1077:15-1077:16 1077:17-1077:17 1077:18-1077:18 1077:19-1077:19 1077:20-1077:20 1077:21-1077:21
1077:22-1077:25`

// TestCourtRealSDNY reads a day of a federal trial transcript without line
// numbers (SDNY, United States v. Guo, 2024-05-29): the running headers
// ("O5TVGUO1 Le Zhou - Cross") are not in the words, Q and A are the
// examiner and the witness, and the turns are grep's.
func TestCourtRealSDNY(t *testing.T) {
	name := "Case-23_cr_00118_Transcript-29-05-2024.txt"
	data := fetchedFile(t, "hearings", name)
	if f, err := Detect(name, data[:min(len(data), HeadSize)], ""); err != nil || f.Name != "court-transcript" {
		t.Fatalf("detected %v, %v", f, err)
	}
	sink, meta := mustParse(t, "court-transcript", name, data)
	if meta.Describes != "2024-05-29" {
		t.Errorf("date %q", meta.Describes)
	}
	header := regexp.MustCompile(`^(Q|A)\.( |$)|^[A-Z][A-Z. ]+:`)
	turns := 0
	by := map[string]int{}
	for _, s := range sink.segs {
		raw := strings.TrimRight(rawLine(data, s), "\r")
		if s.Speaker != "" && header.MatchString(raw) && !strings.HasPrefix(raw, "BY") {
			turns++
			by[s.Speaker]++
		}
		if strings.Contains(s.Text, "O5TVGUO") || strings.Contains(s.Text, "O5T1GUO") {
			t.Errorf("a running header in the words of line %d: %.100q", s.Line, s.Text)
		}
	}
	if turns != 3184 {
		t.Errorf("%d turns, grep counted 3184", turns)
	}
	// Q. lines 1318, A. lines 1273 (grep): the witnesses answer, counsel ask.
	if by["Le Zhou"]+by["Karin Maistrello"] != 1273+14 || by["The Court"] != 220 {
		t.Errorf("turns by speaker %v", by)
	}
}

// TestHearingRealPressService reads a press service's transcript of a
// Senate Judiciary subcommittee hearing (politicopro, 2025-06-24): a title
// broken over three lines, "06/24/2025 02:30 PM EDT", speaker lines with
// party and state and no blank lines, and the page footer "Transcript".
func TestHearingRealPressService(t *testing.T) {
	for _, name := range []string{"politicopro_transcript_raw.txt", "politicopro_complete_transcript.txt"} {
		t.Run(name, func(t *testing.T) {
			data := fetchedFile(t, "hearings", name)
			if f, err := Detect(name, data[:min(len(data), HeadSize)], ""); err != nil || f.Name != "hearing" {
				t.Fatalf("detected %v, %v", f, err)
			}
			sink, meta := mustParse(t, "hearing", name, data)
			if meta.Describes != "2025-06-24" ||
				meta.Title != "Senate Judiciary / Antitrust, Competition Policy, and Consumer Rights on Regulatory Burdens to Innovation" {
				t.Errorf("title %q, date %q", meta.Title, meta.Describes)
			}
			var turns []string
			for _, s := range sink.segs {
				if s.Speaker != "" {
					turns = append(turns, s.Speaker)
				}
				if strings.Contains(s.Text, "Transcript") {
					t.Errorf("the page footer in the words of line %d", s.Line)
				}
			}
			// grep -cE '^Sen\. .*\([RDI]-[^)]*\)$': 2 speaker lines.
			if strings.Join(turns, "|") != "Mike Lee (Senator, R-Utah)|Cory Booker (Senator, D-N.J.)" {
				t.Errorf("turns %q", turns)
			}
		})
	}
}
