package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// import --no-header reads a log whose first row is data: that row is an
// event, the columns are mapped by number.
func TestImportNoHeaderKeepsTheFirstRow(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--title", "Lumora inquiry", "--investigator", "Tess Tester")
	log := filepath.Join(t.TempDir(), "lumora_sshd.csv")
	os.WriteFile(log, []byte("2022-02-01T08:15:00Z,vagrant,198.51.100.7\n2022-02-01T08:17:41Z,mira.okafor,203.0.113.5\n"), 0o600)
	r := mustRun(t, "import", dir, log, "--kind", "accesslog", "--no-header", "--map", "time=1,actor=2,ip=3", "--json")
	var res []struct {
		Records int64 `json:"records"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || len(res) != 1 || res[0].Records != 2 {
		t.Fatalf("import --no-header: %v\n%s", err, r.stdout)
	}
}
