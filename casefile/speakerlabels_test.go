package casefile_test

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"casebook/casefile"
)

// TestUpperCaseCaptionLabelsAreKeptAndFoundByTheName imports a SubRip file
// whose cues carry upper-case "WEI ZHANG:" labels (the caption convention)
// and a plain transcript that writes "Wei Zhang:". The caption's segments
// keep the label exactly as written, and a search by the name in any case —
// the filter or speaker:"Wei Zhang" in the query — finds the lines of both.
// Fictional people (the Lumora case).
func TestUpperCaseCaptionLabelsAreKeptAndFoundByTheName(t *testing.T) {
	c, _ := newCase(t)
	dir := t.TempDir()
	srt := filepath.Join(dir, "2022-02-03_standup.srt")
	os.WriteFile(srt, []byte("1\n00:00:01,000 --> 00:00:03,500\nWEI ZHANG: The nightly copy of the phone table ran again.\n\n"+
		"2\n00:00:04,000 --> 00:00:06,000\nLI NA: Who asked for it?\n\n"+
		"3\n00:00:06,500 --> 00:00:09,000\nWEI ZHANG: Nobody I know of.\n\n"), 0o600)
	notes := filepath.Join(dir, "2022-02-04_notes.txt")
	os.WriteFile(notes, []byte("Wei Zhang: I stopped the copy this morning.\nMia Chen: Thank you.\n"), 0o600)
	importOK(t, c, casefile.ImportOptions{}, srt, notes)

	for _, name := range []string{"Wei Zhang", "WEI ZHANG", "wei zhang"} {
		if got := speakerCount(t, c, name); got != 3 {
			t.Errorf("filter speaker %q finds %d segments, want 3", name, got)
		}
	}
	res, err := c.Search(t.Context(), casefile.Query{Text: `speaker:"Wei Zhang"`, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var shown []string
	for _, h := range res.Hits {
		shown = append(shown, h.Speaker)
	}
	sort.Strings(shown)
	if len(shown) != 3 || shown[0] != "WEI ZHANG" || shown[1] != "WEI ZHANG" || shown[2] != "Wei Zhang" {
		t.Errorf(`speaker:"Wei Zhang" shows speakers %q, want the two caption lines as written and the note's`, shown)
	}
	sp, err := c.Speakers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// The registry lists each label as written: two entries an investigator
	// can merge (MergeSpeaker) if they want one name in the report.
	count := map[string]int{}
	for _, s := range sp {
		count[s.Name] = s.Segments
	}
	if count["WEI ZHANG"] != 2 || count["Wei Zhang"] != 1 || count["LI NA"] != 1 {
		t.Errorf("speaker registry %v, want WEI ZHANG 2, Wei Zhang 1, LI NA 1", count)
	}
}
