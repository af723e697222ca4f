package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/internal/mmdbtest"
)

// TestTheSettingsLoadAnMMDBBesideTheIPRanges: the IP tab takes a .mmdb
// (built here, fictional) as well as a CSV, says what is loaded in lookup
// order, and refuses a damaged database in one line naming it.
func TestTheSettingsLoadAnMMDBBesideTheIPRanges(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	menuItem(t, g, "Settings…").Action()
	g.settle(t)
	d := cv.settings
	if d == nil || !strings.Contains(d.ipStatus.Text, "No IP ranges or IP databases loaded") {
		t.Fatalf("the IP tab of a case with none says %q", d.ipStatus.Text)
	}
	files := t.TempDir()
	db := mmdbtest.Write(t, files, "GeoLite2-City.mmdb", mmdbtest.Options{Type: "GeoLite2-City", Built: time.Date(2024, 2, 27, 0, 0, 0, 0, time.UTC)},
		mmdbtest.Nets("203.0.113.0/24=CN", "2001:db8::/32=SG")...)
	d.importIPRanges(db)
	g.settle(t)
	if !strings.Contains(d.status.Text, "Loaded GeoLite2-City.mmdb (GeoLite2-City, built 2024-02-27)") {
		t.Errorf("loading the database says %q", d.status.Text)
	}
	ranges := filepath.Join(files, "ranges.csv")
	os.WriteFile(ranges, []byte("first,last,country\n198.51.100.0,198.51.100.255,US\n"), 0o600)
	d.importIPRanges(ranges)
	g.settle(t)
	st := d.ipStatus.Text
	if !strings.HasPrefix(st, "1 IP range loaded.") || !strings.Contains(st, "ipdb-1  GeoLite2-City, built 2024-02-27, from GeoLite2-City.mmdb") {
		t.Errorf("the IP tab says %q", st)
	}
	if dbs, err := c.IPDatabases(t.Context()); err != nil || len(dbs) != 1 {
		t.Errorf("the case holds %d databases (%v)", len(dbs), err)
	}
	b, _ := os.ReadFile(db)
	bad := filepath.Join(files, "cut.mmdb")
	os.WriteFile(bad, append(b[:len(b)/2:len(b)/2], b[len(b)-200:]...), 0o600) // the tree cut short, the metadata kept
	d.importIPRanges(bad)
	g.settle(t)
	if !strings.Contains(d.status.Text, "The IP database was not loaded") || !strings.Contains(d.status.Text, bad) ||
		strings.Contains(d.status.Text, "\n") || d.status.Importance != widget.DangerImportance {
		t.Errorf("a damaged database says %q", d.status.Text)
	}
}

// TestAnEventsDetailsSayWhichDatabasePlacedItsIP: an event imported after a
// .mmdb was loaded shows, in its details, the database that gave its IP
// country, with the database's type and build date.
func TestAnEventsDetailsSayWhichDatabasePlacedItsIP(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	files := t.TempDir()
	db := mmdbtest.Write(t, files, "dbip-country-lite.mmdb", mmdbtest.Options{Type: "DBIP-Country-Lite", Built: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
		mmdbtest.Nets("203.0.113.0/24=CN", "2001:db8::/32=SG")...)
	if _, err := c.LoadIPDatabase(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(files, "vpn.csv")
	os.WriteFile(log, []byte("timestamp,employee,ip,resource\n2024-03-04T09:00:00Z,Li Na,2001:db8::44,us_users.phone\n"), 0o600)
	res, err := c.Import(t.Context(), []string{log}, casefile.ImportOptions{}, nil)
	if err != nil || res[0].Err != nil {
		t.Fatalf("import: %v %v", err, res)
	}
	cv := openTestCase(t, g, c, dir)
	srcs, _ := c.Sources(t.Context())
	src := srcs[len(srcs)-1]
	evts, err := c.Events(t.Context(), src.ID, 0, 10)
	if err != nil || len(evts) != 1 || src.Name != "vpn.csv" {
		t.Fatalf("events of %s: %v %v", src.Name, evts, err)
	}
	cv.onLogEventSelected(evts[0], src)
	g.settle(t)
	assertShows(t, cv.details.form, "SG (from ipdb-1 DBIP-Country-Lite built 2024-03-01)")
}
