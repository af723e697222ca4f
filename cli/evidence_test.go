package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestPolicyRulesSuggestionsAndEvidenceFromTheCommandLine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--investigator", "Tess Tester")
	mustRun(t, "import", dir, fixture("2022-01-14_sync.txt"), fixture("access.csv"))

	r := mustRun(t, "policy", dir, "--json")
	var pol struct {
		Home             []string `json:"home"`
		Protected        []string `json:"protected"`
		ApprovalRequired bool     `json:"approval_required"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &pol); err != nil || len(pol.Home) != 1 || pol.Home[0] != "US" ||
		!pol.ApprovalRequired || len(pol.Protected) != 7 {
		t.Fatalf("policy --json: %v %s", err, r.stdout)
	}
	mustRun(t, "policy", dir, "--home", "US,CA", "--approval-required=false")
	r = mustRun(t, "policy", dir)
	if !strings.Contains(r.stdout, "US, CA") || !strings.Contains(r.stdout, "approval required:   false") {
		t.Errorf("policy after change:\n%s", r.stdout)
	}
	mustRun(t, "policy", dir, "--approval-required=true", "--home", "US")
	if r := casebook(t, "policy", dir, "--home", "USA"); r.code != 1 || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("bad home: exit %d, %q", r.code, r.stderr)
	}

	r = mustRun(t, "rules", "list", dir)
	for _, id := range []string{"foreign-access", "no-approval", "foreign-approver", "bulk", "off-hours", "offshore-copy", "correlation"} {
		if !strings.Contains(r.stdout, id) {
			t.Errorf("rules list lacks %s", id)
		}
	}
	mustRun(t, "rules", "run", dir)
	r = mustRun(t, "rules", "run", dir, "--json")
	var runs []struct {
		Rule  string `json:"rule"`
		Added int    `json:"added"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &runs); err != nil || len(runs) == 0 {
		t.Fatalf("rules run --json: %v %s", err, r.stdout)
	}
	for _, x := range runs {
		if x.Added != 0 {
			t.Errorf("second run: %s added %d", x.Rule, x.Added)
		}
	}
	r = mustRun(t, "suggestions", dir, "--rule", "foreign-access", "--json")
	var sugg []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &sugg); err != nil || len(sugg) == 0 {
		t.Fatalf("suggestions --json: %v %s", err, r.stdout)
	}
	for _, k := range []string{"id", "rule", "item", "explanation", "status"} {
		if _, ok := sugg[0][k]; !ok {
			t.Errorf("suggestion lacks %s: %v", k, sugg[0])
		}
	}
	if !strings.Contains(sugg[0]["explanation"].(string), "Wei Zhang (Beijing office, CN) read 1,204 US users' phone numbers on 2022-01-12 09:14 UTC with no approval id") {
		t.Errorf("explanation %q", sugg[0]["explanation"])
	}
	id := strconv.Itoa(int(sugg[0]["id"].(float64)))
	mustRun(t, "suggestions", dir, "--accept", id)
	if r := casebook(t, "suggestions", dir, "--accept", id); r.code != 1 {
		t.Errorf("accepting twice: exit %d", r.code)
	}

	mustRun(t, "tag", dir, "seg-1", "key-quote", "--quote", "0:5", "--note", "opening words")
	if r := casebook(t, "tag", dir, "seg-1", "key-quote", "--quote", "0:99999"); r.code != 1 || !strings.Contains(r.stderr, "outside seg-1") {
		t.Errorf("bad quote: exit %d %q", r.code, r.stderr)
	}
	r = mustRun(t, "search", dir, "tag:key-quote", "--json")
	if !strings.Contains(r.stdout, `"seg-1"`) {
		t.Errorf("tag:key-quote does not find seg-1: %s", r.stdout)
	}
	r = mustRun(t, "evidence", dir, "--json")
	var ev []map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &ev); err != nil || len(ev) != 2 {
		t.Fatalf("evidence --json: %v %s", err, r.stdout)
	}
	if ev[0]["exhibit"] != "EX-0001" || ev[1]["exhibit"] != "EX-0002" || ev[1]["note"] != "opening words" ||
		ev[1]["quote"] == "" || !strings.Contains(ev[1]["citation"], "2022-01-14_sync.txt, sha256 ") {
		t.Errorf("evidence %v", ev)
	}
	for _, k := range []string{"exhibit", "item", "tag", "quote", "note", "citation"} {
		if _, ok := ev[0][k]; !ok {
			t.Errorf("evidence lacks %s", k)
		}
	}

	mustRun(t, "untag", dir, "seg-1", "key-quote")
	r = mustRun(t, "tags", dir)
	if !strings.Contains(r.stdout, "foreign-access") || !strings.Contains(r.stdout, "CONFIRMED") {
		t.Errorf("tags:\n%s", r.stdout)
	}
	mustRun(t, "tags", dir, "--rename", "follow-up=later")
	mustRun(t, "tags", dir, "--merge", "later=key-quote")

	mustRun(t, "note", dir, "evt-1", "Check with HR", "--private")
	r = mustRun(t, "statement", "add", dir, "--who", "Claire Abernathy", "--when", "2022-04-12", "--text", "Every request is approved in the US.")
	if !strings.Contains(r.stdout, "statement 1") {
		t.Errorf("statement add: %s", r.stdout)
	}
	mustRun(t, "link", dir, "1", "evt-1", "--contradicts")
	if r := casebook(t, "link", dir, "1", "evt-1"); r.code != 2 {
		t.Errorf("link without a relation: exit %d", r.code)
	}
	r = mustRun(t, "statement", "list", dir, "--json")
	if !strings.Contains(r.stdout, `"contradicts"`) || !strings.Contains(r.stdout, `"evt-1"`) {
		t.Errorf("statement list: %s", r.stdout)
	}
	mustRun(t, "verify", dir)
}
