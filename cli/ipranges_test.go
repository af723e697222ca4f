package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/internal/mmdbtest"
)

// The help examples load GeoLite2-Country.mmdb: a small database built here
// under that name (fictional documentation ranges), never a downloaded one.
func init() {
	b, err := mmdbtest.Build(mmdbtest.Options{Type: "GeoLite2-Country", Built: time.Date(2022, 2, 1, 0, 0, 0, 0, time.UTC)},
		mmdbtest.Nets("203.0.113.0/24=CN", "198.51.100.0/24=US", "2001:db8::/32=SG")...)
	if err != nil {
		panic(err)
	}
	helpFixtures["GeoLite2-Country.mmdb"] = string(b)
}

func TestIPRangesLoadsAnMMDBListsTheOrderAndVerifyNamesAnAlteredCopy(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir)
	files := t.TempDir()
	db := mmdbtest.Write(t, files, "dbip-country-lite.mmdb", mmdbtest.Options{Type: "DBIP-Country-Lite", Built: time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)},
		mmdbtest.Nets("203.0.113.0/24=CN", "2001:db8:5::/48=BR")...)
	if r := mustRun(t, "ipranges", dir); !strings.Contains(r.stdout, "no IP ranges or IP databases") {
		t.Errorf("ipranges on an empty case: %q", r.stdout)
	}
	b0, _ := os.ReadFile(db)
	r := mustRun(t, "ipranges", dir, db)
	if !strings.Contains(r.stdout, "ipdb-1 (DBIP-Country-Lite, built 2022-03-01") {
		t.Errorf("loading the database says %q", r.stdout)
	}
	ranges := filepath.Join(files, "ranges.csv")
	os.WriteFile(ranges, []byte("first,last,country\n198.51.100.0,198.51.100.255,US\n"), 0o600)
	mustRun(t, "ipranges", dir, ranges)
	r = mustRun(t, "ipranges", dir)
	rangesAt, dbAt := strings.Index(r.stdout, "1 CSV ranges"), strings.Index(r.stdout, "DBIP-Country-Lite")
	if rangesAt < 0 || dbAt < rangesAt {
		t.Errorf("the list does not show the range table before the database:\n%s", r.stdout)
	}
	var list struct {
		Ranges    int `json:"ranges"`
		Databases []struct {
			ID, Type, Built, SHA256, Path string
		} `json:"databases"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "ipranges", dir, "--json").stdout), &list); err != nil || list.Ranges != 1 ||
		len(list.Databases) != 1 || list.Databases[0].ID != "ipdb-1" || list.Databases[0].Built != "2022-03-01T00:00:00Z" {
		t.Errorf("ipranges --json: %+v, %v", list, err)
	}
	log := filepath.Join(files, "logins.csv")
	os.WriteFile(log, []byte("timestamp,employee,ip\n2022-03-04T10:00:00Z,Ana Souza,2001:db8:5::17\n2022-03-04T11:00:00Z,Tomas Berg,198.51.100.9\n"), 0o600)
	mustRun(t, "import", dir, log)
	if r := mustRun(t, "search", dir, "country:BR", "--json"); !strings.Contains(r.stdout, "Ana Souza") {
		t.Errorf("the IPv6 address was not placed in BR by the database: %s", r.stdout)
	}
	if r := mustRun(t, "verify", dir); !strings.HasPrefix(r.stdout, "ok:") || !strings.Contains(r.stdout, "ok: 1 IP databases (ipdb/) match") {
		t.Fatalf("verify: %s", r.stdout)
	}
	copyPath := filepath.Join(dir, filepath.FromSlash(list.Databases[0].Path))
	os.Chmod(copyPath, 0o600)
	os.WriteFile(copyPath, []byte("not the database any more"), 0o600)
	r = casebook(t, "verify", dir)
	if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "ipdb-1 (dbip-country-lite.mmdb): the copy "+list.Databases[0].Path+" was altered") {
		t.Errorf("verify of an altered copy: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	cut := filepath.Join(files, "cut.mmdb")
	os.WriteFile(cut, b0[:len(b0)/2], 0o600) // no metadata left: still refused as a database, not read as a CSV
	if r := casebook(t, "ipranges", dir, cut); r.code != 1 || !strings.Contains(r.stderr, cut+": not a MaxMind DB (.mmdb) file") {
		t.Errorf("a database cut in half: exit %d, stderr %q", r.code, r.stderr)
	}
	bad := filepath.Join(files, "broken.mmdb")
	b, _ := os.ReadFile(db)
	os.WriteFile(bad, b[:len(b)-20], 0o600) // the metadata cut short
	r = casebook(t, "ipranges", dir, bad)
	if r.code != 1 || !strings.HasPrefix(r.stderr, "casebook: "+bad+":") && !strings.Contains(r.stderr, bad+":") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("a truncated database: exit %d, stderr %q", r.code, r.stderr)
	}
}
