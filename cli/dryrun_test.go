package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// import --dry-run shows what would be stored and refused, with the first
// records and reasons, and leaves the case as it was; a refused file's
// error names its first reasons and the counts agree in text and JSON.
func TestImportDryRunAndARefusedFilesReasons(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--title", "Lumora inquiry", "--investigator", "Tess Tester")
	purview := filepath.Join("..", "importer", "testdata", "m365", "lumora_purview_export.csv")
	bad := filepath.Join(t.TempDir(), "lumora_bad.csv")
	os.WriteFile(bad, []byte("Date,User,IP,Action\nMay 10 2025 noon,mira.okafor,203.0.113.5,read\nsoon,tomas.reyes,203.0.113.6,read\n"), 0o600)

	r := casebook(t, "import", dir, purview, bad, "--dry-run", "--json")
	type rejected struct {
		Row    int    `json:"row"`
		Reason string `json:"reason"`
	}
	var out []struct {
		Format       string     `json:"format"`
		Records      int64      `json:"records"`
		Rejects      int64      `json:"rejects"`
		FirstRecords []string   `json:"first_records"`
		FirstRejects []rejected `json:"first_rejects"`
		Error        string     `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out) != 2 {
		t.Fatalf("dry run --json: %v\n%s", err, r.stdout)
	}
	if r.code == 0 {
		t.Error("a dry run with a file that would be refused exits 0")
	}
	p, b := out[0], out[1]
	if p.Format != "m365-audit" || p.Records != 6 || p.Rejects != 0 || len(p.FirstRecords) != 5 || p.Error != "" ||
		!strings.Contains(p.FirstRecords[0], "mira.okafor@lumora.example") {
		t.Errorf("purview dry run: %+v", p)
	}
	if b.Records != 0 || b.Rejects != 2 || len(b.FirstRejects) != 2 || b.FirstRejects[1].Row != 2 ||
		!strings.Contains(b.FirstRejects[0].Reason, `time "May 10 2025 noon"`) || !strings.Contains(b.Error, "all 2 rows were rejected") {
		t.Errorf("bad file dry run: %+v", b)
	}
	if s := mustRun(t, "sources", dir, "--json"); strings.Contains(s.stdout, "lumora") {
		t.Errorf("a dry run stored a source: %s", s.stdout)
	}
	text := casebook(t, "import", dir, bad, "--dry-run")
	if !strings.Contains(text.stdout, "nothing was stored") || !strings.Contains(text.stdout, `row 2: time "soon"`) {
		t.Errorf("dry run text:\n%s", text.stdout)
	}

	// The real import refuses the file: the error names the rows and reasons, JSON counts them.
	imp := casebook(t, "import", dir, bad, "--json")
	var res []struct {
		Records int64  `json:"records"`
		Rejects int64  `json:"rejects"`
		Error   string `json:"error"`
	}
	if err := json.Unmarshal([]byte(imp.stdout), &res); err != nil || len(res) != 1 {
		t.Fatalf("import --json: %v\n%s", err, imp.stdout)
	}
	if res[0].Rejects != 2 || res[0].Records != 0 || !strings.Contains(res[0].Error, `row 1: time "May 10 2025 noon": not a time Casebook can read`) {
		t.Errorf("refused import: %+v", res[0])
	}
	if !strings.Contains(imp.stderr, "all 2 rows were rejected") {
		t.Errorf("stderr: %s", imp.stderr)
	}
	if u := casebook(t, "import", dir, bad, "--date-order", "ymd"); u.code == 0 || !strings.Contains(u.stderr, "--date-order must be dmy or mdy") {
		t.Errorf("a bad --date-order: %d %s", u.code, u.stderr)
	}
}
