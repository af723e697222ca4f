package cli_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestNotesRelatedItemsAndRuleEditsFromTheCommandLine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--investigator", "Tess Tester")
	mustRun(t, "import", dir, fixture("2022-01-14_sync.txt"), fixture("access.csv"))

	mustRun(t, "note", dir, "evt-1", "Ask counsel about this read", "--private")
	r := mustRun(t, "notes", dir, "--contains", "COUNSEL", "--json")
	var notes []struct {
		Item    string `json:"item"`
		Text    string `json:"text"`
		Private bool   `json:"private"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &notes); err != nil || len(notes) != 1 || notes[0].Item != "evt-1" || !notes[0].Private {
		t.Fatalf("notes --json: %s (%v)", r.stdout, err)
	}

	mustRun(t, "rules", "run", dir)
	r = mustRun(t, "suggestions", dir, "--rule", "correlation", "--json")
	var sug []struct {
		ID      int64  `json:"id"`
		Item    string `json:"item"`
		Related string `json:"related"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sug); err != nil || len(sug) == 0 || sug[0].Related == "" {
		t.Fatalf("correlation suggestions: %s (%v)", r.stdout, err)
	}
	mustRun(t, "suggestions", dir, "--accept", fmt.Sprint(sug[0].ID))
	r = mustRun(t, "related", dir, sug[0].Item, "--json")
	var rel []string
	if err := json.Unmarshal([]byte(r.stdout), &rel); err != nil || len(rel) != 1 || rel[0] != sug[0].Related {
		t.Errorf("related %s: %s, want [%s]", sug[0].Item, r.stdout, sug[0].Related)
	}

	mustRun(t, "rules", "set", dir, "bulk", "--condition", "category IN protected AND records > 40000", "--enabled", "false")
	r = mustRun(t, "rules", "list", dir, "--json")
	var rules []struct {
		ID        string `json:"id"`
		Condition string `json:"condition"`
		Enabled   bool   `json:"enabled"`
	}
	json.Unmarshal([]byte(r.stdout), &rules)
	for _, ru := range rules {
		if ru.ID == "bulk" && (ru.Enabled || ru.Condition != "category IN protected AND records > 40000") {
			t.Errorf("bulk after rules set: %+v", ru)
		}
	}
	bad := casebook(t, "rules", "set", dir, "bulk", "--condition", "records >")
	if bad.code != 1 || !strings.Contains(bad.stderr, "column 10") {
		t.Errorf("a bad condition: exit %d, stderr %q", bad.code, bad.stderr)
	}
}
