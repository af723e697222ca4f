package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSearchFiltersFacetsStreamingSavedAndBatch(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir)
	mustRun(t, "import", dir, fixture("2022-01-14_sync.txt"), fixture("access.csv"))

	var res struct {
		Total  int                       `json:"total"`
		Hits   []map[string]any          `json:"hits"`
		Facets map[string]map[string]int `json:"facets"`
	}
	r := mustRun(t, "search", dir, "*", "--kind", "event", "--country", "cn", "--approval", "no", "--from", "2022-01-12", "--to", "2022-01-12", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0]["actor"] != "Wei Zhang" {
		t.Errorf("filtered search: %s", r.stdout)
	}
	if _, ok := res.Facets["month"]; !ok || res.Facets["country"]["CN"] != 1 {
		t.Errorf("facets: %v", res.Facets)
	}
	r = mustRun(t, "search", dir, `"beijing access"~4 speaker:wei`, "--json")
	json.Unmarshal([]byte(r.stdout), &res)
	if res.Total != 1 {
		t.Errorf("proximity: %s", r.stdout)
	}
	r = mustRun(t, "search", dir, "kind:event", "--sort", "time", "--all", "--json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 4 {
		t.Fatalf("--all --json: %d lines:\n%s", len(lines), r.stdout)
	}
	prev := ""
	for _, l := range lines {
		var h map[string]any
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if ts := h["time"].(string); ts < prev {
			t.Errorf("--sort time: %s after %s", ts, prev)
		} else {
			prev = ts
		}
	}
	r = mustRun(t, "search", dir, "kind:segment", "--all")
	if n := strings.Count(strings.TrimSpace(r.stdout), "\n") + 1; n != 6 {
		t.Errorf("--all text: %d lines:\n%s", n, r.stdout)
	}

	r = casebook(t, "search", dir, "(master OR admin")
	if r.code != 1 || !strings.Contains(r.stderr, "query: column 1: unclosed parenthesis") {
		t.Errorf("malformed query: exit %d, stderr %q", r.code, r.stderr)
	}

	mustRun(t, "search", dir, `"master admin"`, "--speaker", "Wei Zhang", "--save", "admin role")
	if r := casebook(t, "search", dir, "x", "--save", "admin role"); r.code == 0 || !strings.Contains(r.stderr, "already") {
		t.Errorf("saving a name twice: exit %d %q", r.code, r.stderr)
	}
	r = mustRun(t, "searches", dir, "--json")
	var saved []struct {
		Name    string            `json:"name"`
		Query   string            `json:"query"`
		Filters map[string]string `json:"filters"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &saved); err != nil || len(saved) != 1 || saved[0].Name != "admin role" ||
		saved[0].Query != `"master admin"` || saved[0].Filters["speaker"] != "Wei Zhang" {
		t.Errorf("searches --json: %s (%v)", r.stdout, err)
	}
	mustRun(t, "searches", dir, "--delete", "admin role")
	if r := mustRun(t, "searches", dir); strings.TrimSpace(r.stdout) != "" {
		t.Errorf("after delete: %q", r.stdout)
	}

	terms := filepath.Join(t.TempDir(), "terms.csv")
	os.WriteFile(terms, []byte("term,label\n\"\"\"master admin\"\"\",role\ncountry:CN,china\n"), 0o600)
	r = mustRun(t, "search", dir, "--batch", terms, "--json")
	var batch []struct {
		Term  string `json:"term"`
		Label string `json:"label"`
		Hits  int    `json:"hits"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &batch); err != nil || len(batch) != 2 || batch[0].Hits != 2 || batch[1].Label != "china" || batch[1].Hits != 2 {
		t.Errorf("batch: %s (%v)", r.stdout, err)
	}
	r = mustRun(t, "search", dir, "--batch", terms)
	if !strings.Contains(r.stdout, "china") {
		t.Errorf("batch text: %q", r.stdout)
	}
}

func TestSearchByIPAddressAndPrefixAndARefusedValue(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir)
	mustRun(t, "import", dir, fixture("search_sshd_auth.log"), "--year", "2026")
	exact := searchIDs(t, dir, "", "--ip", "203.0.113.9")
	prefix := searchIDs(t, dir, "", "--ip", "203.0.113.0/24")
	if exact == "" || !strings.Contains(prefix, exact) {
		t.Errorf("--ip 203.0.113.9 found %q, its /24 found %q", exact, prefix)
	}
	if other := searchIDs(t, dir, "", "--ip", "198.51.100.0/24"); strings.Contains(other, exact) {
		t.Errorf("another prefix found the same events: %q", other)
	}
	r := casebook(t, "search", dir, "root", "--ip", "203.0.113.999")
	if r.code != 2 || !strings.Contains(r.stderr, "ip filter") {
		t.Errorf("a malformed address: exit %d, %s", r.code, r.stderr)
	}
	r = casebook(t, "search", dir, "root", "--kind", "evnt")
	if r.code != 2 || !strings.Contains(r.stderr, "accesslog") {
		t.Errorf("a misspelled kind: exit %d, %s", r.code, r.stderr)
	}
}
