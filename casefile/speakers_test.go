package casefile_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

func speakerCount(t *testing.T, c *casefile.Case, name string) uint64 {
	t.Helper()
	n, err := c.Count(t.Context(), casefile.Query{Filters: casefile.Filters{Speaker: name}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMergingASpeakerLabelIntoAPerson merges the label of a second
// transcript ("Speaker 2", as a minute-taker wrote it) into the person named in the
// first: a search for the person finds both, the label still finds its own
// lines, the segments keep the label as written, and unmerging undoes it.
func TestMergingASpeakerLabelIntoAPerson(t *testing.T) {
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture)
	minutes := filepath.Join(t.TempDir(), "2022-01-20_followup.txt")
	os.WriteFile(minutes, []byte("Speaker 2: The Beijing read access is still there.\nMia Chen: Then it goes in the report.\nSpeaker 2: Understood.\n"), 0o600)
	importOK(t, c, casefile.ImportOptions{}, minutes)

	if got := speakerCount(t, c, "Wei Zhang"); got != 2 {
		t.Fatalf("before the merge speaker:Wei Zhang finds %d, want 2", got)
	}
	if err := c.MergeSpeaker(t.Context(), "Speaker 2", "Wei Zhang"); err != nil {
		t.Fatal(err)
	}
	if got := speakerCount(t, c, "Wei Zhang"); got != 4 {
		t.Errorf("after the merge speaker:Wei Zhang finds %d, want 4", got)
	}
	if got := speakerCount(t, c, "Speaker 2"); got != 2 {
		t.Errorf("the label Speaker 2 finds %d, want 2", got)
	}
	sps, err := c.Speakers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range sps {
		if s.Name == "Speaker 2" {
			found = true
			if s.AliasOf != "Wei Zhang" || s.Segments != 2 {
				t.Errorf("registry entry %+v", s)
			}
		}
	}
	if !found {
		t.Fatalf("Speaker 2 not in the registry: %+v", sps)
	}
	segs, _ := c.Segments(t.Context(), 2)
	if segs[0].Speaker != "Speaker 2" {
		t.Errorf("the segment's speaker became %q; the transcript says Speaker 2", segs[0].Speaker)
	}
	// The merge survives a rebuild of the index from the database.
	c = reopenAfterIndexLoss(t, c, dir)
	if got := speakerCount(t, c, "Wei Zhang"); got != 4 {
		t.Errorf("after a rebuild speaker:Wei Zhang finds %d, want 4", got)
	}
	if err := c.MergeSpeaker(t.Context(), "Wei Zhang", "Speaker 2"); err == nil {
		t.Error("merging a person into its own alias was accepted")
	}
	if err := c.UnmergeSpeaker(t.Context(), "Speaker 2"); err != nil {
		t.Fatal(err)
	}
	if got := speakerCount(t, c, "Wei Zhang"); got != 2 {
		t.Errorf("after unmerging speaker:Wei Zhang finds %d, want 2", got)
	}
	if err := c.UnmergeSpeaker(t.Context(), "Nobody"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unmerging an unknown speaker: %v", err)
	}
	trail, _ := c.AuditTrail(t.Context())
	var actions []string
	for _, a := range trail {
		actions = append(actions, a.Action)
	}
	if !contains(actions, "speaker-merge") || !contains(actions, "speaker-unmerge") {
		t.Errorf("audit trail %v lacks the merge and unmerge", actions)
	}
	if probs := verifyProblems(t, c); len(probs) > 0 {
		t.Fatal(probs)
	}
}

func reopenAfterIndexLoss(t *testing.T, c *casefile.Case, dir string) *casefile.Case {
	t.Helper()
	c.Close()
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	c2, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c2.Close() })
	return c2
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
