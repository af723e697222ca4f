package cli_test

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// editDB changes a closed case's database as someone with sqlite3 would.
func editDB(t *testing.T, dir, q string) {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(dir, "case.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestVerifyNamesAnEditedRecordAndDeepNamesItsField(t *testing.T) {
	dir := fixtureCase(t)
	r := mustRun(t, "verify", dir, "--deep")
	if !strings.Contains(r.stdout, "records of 2 sources match the seals") || !strings.Contains(r.stdout, "ok (--deep)") {
		t.Errorf("clean verify said: %s", r.stdout)
	}
	editDB(t, dir, `UPDATE events SET country = 'US' WHERE id = 1`)
	r = casebook(t, "verify", dir, "--deep")
	if r.code != 1 || !strings.Contains(r.stderr, "evt-1: was changed after the import") ||
		!strings.Contains(r.stderr, `evt-1: country is "US" in the case, "CN" in the original`) {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestVerifyReportChecksEachExhibitAgainstTheCaseAndItsPack(t *testing.T) {
	dir := fixtureCase(t)
	mustRun(t, "tag", dir, "seg-4", "key-quote", "--quote", "20:63")
	mustRun(t, "tag", dir, "evt-1", "foreign-access")
	pdf := filepath.Join(t.TempDir(), "report.pdf")
	mustRun(t, "report", dir, "-o", pdf, "--date", "2022-06-01")
	pack := filepath.Join(t.TempDir(), "handover.zip")
	mustRun(t, "pack", dir, "-o", pack)

	for _, against := range []string{dir, pack} {
		r := mustRun(t, "verify-report", pdf, against, "--json")
		var out struct {
			OK       bool `json:"ok"`
			Exhibits []struct {
				Exhibit string `json:"exhibit"`
				OK      bool   `json:"ok"`
			} `json:"exhibits"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatal(err, r.stdout)
		}
		if !out.OK || len(out.Exhibits) != 2 {
			t.Errorf("against %s: %s", against, r.stdout)
		}
	}
	editDB(t, dir, `UPDATE segments SET text = 'Nobody approved it.' WHERE id = 4`)
	r := casebook(t, "verify-report", pdf, dir)
	if r.code != 1 || !strings.Contains(r.stdout, "MISMATCH  EX-0001  seg-4") || !strings.Contains(r.stdout, "match     EX-0002  evt-1") {
		t.Errorf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The pack made before the edit still vouches for the report.
	mustRun(t, "verify-report", pdf, pack)
}
