package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// A court reporter's transcript: its search hits are cited by page and line
// (issue 21), in the table and in --json.
func TestSearchHitsOfACourtTranscriptShowPageAndLine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir)
	mustRun(t, "import", dir, filepath.Join("..", "importer", "testdata", "hearings", "lumora_court_pages.txt"))
	r := mustRun(t, "search", dir, "hearsay")
	if !strings.Contains(r.stdout, "Tr. 982:24–983:2") || !strings.Contains(r.stdout, "Mr. Halvorsen") {
		t.Errorf("search hearsay:\n%s", r.stdout)
	}
	var res struct {
		Hits []map[string]any `json:"hits"`
	}
	r = mustRun(t, "search", dir, "speaker:raman", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 5 {
		t.Fatalf("speaker:raman: %d hits, want the witness's 5 answers:\n%s", len(res.Hits), r.stdout)
	}
	for _, h := range res.Hits {
		if h["page_line"] == nil || !strings.HasPrefix(h["page_line"].(string), "98") {
			t.Errorf("hit without its page and line: %v", h)
		}
	}
}
