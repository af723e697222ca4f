package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRosterAndDataMapLoadThenListAsTextAndJSON: the commands load a
// (fictional) roster and data map, then list what the case holds, --json
// in a stable lower-case shape; policy --signin sets the sign-in patterns.
func TestRosterAndDataMapLoadThenListAsTextAndJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--title", "Roster (fictional)")
	files := t.TempDir()
	staff := filepath.Join(files, "staff.csv")
	os.WriteFile(staff, []byte("name,email,user,office,country\nIda Lund,ida.lund@harbour.example,ilund,Oslo,Norway\n"), 0o600)
	dm := filepath.Join(files, "datamap.csv")
	os.WriteFile(dm, []byte("resource,us_users.*,phone,US\naction,GetSecretValue,secrets,*\n"), 0o600)
	if r := mustRun(t, "roster", dir, staff); !strings.Contains(r.stdout, "1 people loaded") {
		t.Errorf("roster load says %q", r.stdout)
	}
	if r := mustRun(t, "datamap", dir, dm); !strings.Contains(r.stdout, "2 entries loaded") {
		t.Errorf("datamap load says %q", r.stdout)
	}
	var people []struct {
		Row     int      `json:"row"`
		Name    string   `json:"name"`
		IDs     []string `json:"ids"`
		Country string   `json:"country"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "roster", dir, "--json").stdout), &people); err != nil {
		t.Fatal(err)
	}
	if len(people) != 1 || people[0].Name != "Ida Lund" || people[0].Country != "NO" || len(people[0].IDs) != 2 {
		t.Errorf("roster --json = %+v", people)
	}
	if r := mustRun(t, "datamap", dir); !strings.Contains(r.stdout, "GetSecretValue") || !strings.Contains(r.stdout, "secrets   *") {
		t.Errorf("datamap lists %q", r.stdout)
	}
	if r := mustRun(t, "policy", dir, "--signin", "login,%session.start%"); !strings.Contains(r.stdout, "sign-in actions:     login, %session.start%") {
		t.Errorf("policy --signin says %q", r.stdout)
	}
}
