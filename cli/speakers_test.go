package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSpeakersMergeAndListThroughTheCommandLine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir)
	minutes := filepath.Join(t.TempDir(), "2022-01-20_followup.txt")
	os.WriteFile(minutes, []byte("Speaker 2: The Beijing read access is still there.\nMia Chen: Then it goes in the report.\n"), 0o600)
	mustRun(t, "import", dir, fixture("2022-01-14_sync.txt"), minutes)

	r := mustRun(t, "speakers", dir, "--merge", "Speaker 2=Wei Zhang", "--json")
	var sps []struct {
		Name     string `json:"name"`
		AliasOf  string `json:"alias_of"`
		Segments int    `json:"segments"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sps); err != nil {
		t.Fatalf("speakers --json: %v\n%s", err, r.stdout)
	}
	merged := false
	for _, s := range sps {
		if s.Name == "Speaker 2" && s.AliasOf == "Wei Zhang" && s.Segments == 1 {
			merged = true
		}
	}
	if !merged {
		t.Fatalf("registry after the merge: %+v", sps)
	}
	r = mustRun(t, "search", dir, "beijing", "--speaker", "Wei Zhang", "--json")
	var res struct {
		Total int `json:"total"`
	}
	json.Unmarshal([]byte(r.stdout), &res)
	if res.Total != 2 {
		t.Errorf("beijing by Wei Zhang: %d hits, want 2 (one under his own name, one as Speaker 2)", res.Total)
	}
	if r := casebook(t, "speakers", dir, "--merge", "nobody"); r.code != 2 || !strings.Contains(r.stderr, "LABEL=PERSON") {
		t.Errorf("a bad --merge: exit %d, %q", r.code, r.stderr)
	}
}
