package cli_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"casebook/internal/ftmcheck"
)

// TestExportWholeCaseAsFtM runs `casebook export DIR --format ftm --what all`
// through the real binary and checks every line of the file against the
// vendored FollowTheMoney model; --what all in CSV is refused.
func TestExportWholeCaseAsFtM(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--title", "FtM export")
	mustRun(t, "import", dir, fixture("2022-01-14_sync.txt"), fixture("access.csv"))
	mustRun(t, "roster", dir, fixture(filepath.Join("context", "lumora_roster.csv")))
	mustRun(t, "tag", dir, "evt-1", "foreign-access", "--note", "Beijing read of US phone numbers")
	mustRun(t, "tag", dir, "seg-4", "key-quote")

	out := filepath.Join(t.TempDir(), "case.ftm.json")
	r := mustRun(t, "export", dir, "--format", "ftm", "--what", "all", "-o", out)
	m, err := ftmcheck.Load(filepath.Join("..", "testdata", "ftm", "defaultModel.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	got := m.Check(f)
	f.Close()
	for _, p := range got.Problems {
		t.Error(p)
	}
	if want := "wrote " + strconv.Itoa(got.Entities) + " entities"; !strings.Contains(r.stdout, want) {
		t.Errorf("export said %q, want %q", r.stdout, want)
	}
	// The fixture's log has 4 events; the transcript and the log are a
	// Document and a Table; the two exhibits are Notes.
	for schema, want := range map[string]int{"Event": 4, "Document": 1, "Table": 1, "Note": 2} {
		if got.Schemata[schema] != want {
			t.Errorf("%s: %d, want %d (%v)", schema, got.Schemata[schema], want, got.Schemata)
		}
	}
	if got.Schemata["Person"] == 0 || got.Schemata["UserAccount"] == 0 {
		t.Errorf("no people or accounts: %v", got.Schemata)
	}

	// The same case again, to standard output: the same bytes.
	again := mustRun(t, "export", dir, "--format", "ftm", "--what", "all", "-o", "-")
	if b, _ := os.ReadFile(out); string(b) != again.stdout {
		t.Error("exporting the unchanged case twice gave different files")
	}

	bad := casebook(t, "export", dir, "--format", "csv", "--what", "all", "-o", "-")
	if bad.code == 0 || !strings.Contains(bad.stderr, "--format ftm") {
		t.Errorf("csv --what all: exit %d, %q", bad.code, bad.stderr)
	}
}
