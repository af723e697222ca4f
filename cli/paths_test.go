package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"casebook/casefile"
)

// awkwardDir is a folder path with spaces, diacritics, an ampersand, a
// percent sign and CJK, under the test's temporary folder.
func awkwardDir(t *testing.T, leaf string) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "Fälle & Notizen 100%", leaf)
}

// copyTo copies a fixture to dir/name, creating dir.
func copyTo(t *testing.T, fixtureName, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(fixture(fixtureName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPathsWithSpacesAndNonASCIIWorkThroughTheBinary(t *testing.T) {
	dir := awkwardDir(t, "Lumora — Ermittlung 数据 2022")
	mustRun(t, "new", dir, "--title", "Lumora", "--investigator", "Zoë Ängström")
	inbox := filepath.Join(t.TempDir(), "Eingang #1 ü")
	transcript := copyTo(t, "2022-01-14_sync.txt", inbox, "Sitzung 14. Jänner — 同步.txt")
	access := copyTo(t, "access.csv", inbox, "Zugriffe (Export) é.csv")

	r := mustRun(t, "import", dir, transcript, access, "--json")
	var imports []struct {
		File    string `json:"file"`
		Records int    `json:"records"`
		Error   string `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &imports); err != nil {
		t.Fatalf("import --json: %v\n%s", err, r.stdout)
	}
	if len(imports) != 2 || imports[0].Records == 0 || imports[1].Records == 0 {
		t.Fatalf("import --json: %+v", imports)
	}
	if imports[0].File != transcript {
		t.Errorf("import names the file %q, want %q", imports[0].File, transcript)
	}

	r = mustRun(t, "sources", dir, "--json")
	for _, want := range []string{filepath.Base(transcript), filepath.Base(access)} {
		if !strings.Contains(r.stdout, jsonString(want)) {
			t.Errorf("sources --json lacks %q:\n%s", want, r.stdout)
		}
	}

	r = mustRun(t, "search", dir, `"master admin"`, "--json")
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("search --json: %v\n%s", err, r.stdout)
	}
	if res.Total != 2 || len(res.Hits) != 2 {
		t.Fatalf(`search "master admin": %+v, want 2 hits`, res)
	}
	mustRun(t, "tag", dir, res.Hits[0].ID, "key-quote", "--note", "Jänner")

	out := filepath.Join(awkwardDir(t, "Berichte März"), "Bericht — 报告.pdf")
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		t.Fatal(err)
	}
	r = mustRun(t, "report", dir, "-o", out, "--date", "2022-11-01")
	if !strings.Contains(r.stdout, out) {
		t.Errorf("report says %q, want it to name %s", r.stdout, out)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", out, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", out, err)
		}
		flat := strings.Join(strings.Fields(string(text)), " ")
		for _, want := range []string{"EX-0001", "master admin", filepath.Base(transcript)} {
			if !strings.Contains(flat, want) {
				t.Errorf("report lacks %q", want)
			}
		}
	}

	csvOut := filepath.Join(filepath.Dir(out), "Beweise é.csv")
	mustRun(t, "export", dir, "--format", "csv", "--what", "evidence", "-o", csvOut)
	if b, err := os.ReadFile(csvOut); err != nil || !strings.Contains(string(b), "EX-0001") {
		t.Errorf("export to %s: %v %q", csvOut, err, b)
	}
	r = mustRun(t, "verify", dir, "--json")
	if !strings.Contains(r.stdout, `"ok": true`) && !strings.Contains(r.stdout, `"ok":true`) {
		t.Errorf("verify --json: %s", r.stdout)
	}
}

// jsonString is s as encoding/json writes it.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestPathsLockErrorNamesTheCaseAndThePidOfTheProcessHoldingIt(t *testing.T) {
	dir := awkwardDir(t, "Fall Ørsted 案件")
	mustRun(t, "new", dir)
	c, err := casefile.Open(t.Context(), dir, nil) // this test process is the other Casebook
	if err != nil {
		t.Fatal(err)
	}
	r := casebook(t, "reindex", dir)
	// A command that only reads the case reads it beside its holder,
	// naming it (issue 15).
	beside := casebook(t, "sources", dir)
	c.Close()
	if r.code == 0 {
		t.Fatalf("reindex on a held case: exit 0 (%q)", r.stdout)
	}
	want := fmt.Sprintf("casebook reindex: case %s is open in another Casebook (pid %d)\n", dir, os.Getpid())
	if r.stderr != want {
		t.Errorf("stderr\n got %q\nwant %q", r.stderr, want)
	}
	wantBeside := fmt.Sprintf("casebook: %s is open in another Casebook (pid %d), which may be changing it; reading it as it stands, read-only (the index holds every record)\n", dir, os.Getpid())
	if beside.code != 0 || beside.stderr != wantBeside {
		t.Errorf("sources beside the holder: exit %d, stderr\n got %q\nwant %q", beside.code, beside.stderr, wantBeside)
	}
	// Released: the case opens again for writing (sources opens a free
	// case as a writer would, and says nothing of reading beside).
	if r := mustRun(t, "sources", dir); r.stderr != "" {
		t.Errorf("sources on the released case: stderr %q", r.stderr)
	}
}
