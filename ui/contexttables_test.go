package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// TestTheSettingsLoadARosterAndTheDetailsNameThePersonBehindAnARN: the
// roster tab loads a (fictional) roster as a job, says what it matched, and
// an event whose log names only an ARN then shows the person and the
// office and country the roster gave, each saying where it came from.
func TestTheSettingsLoadARosterAndTheDetailsNameThePersonBehindAnARN(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	files := t.TempDir()
	log := filepath.Join(files, "trail.csv")
	os.WriteFile(log, []byte("eventTime,userArn,eventName,resource\n"+
		"2024-03-04T09:00:00Z,arn:aws:iam::111122223333:user/wzhang,GetObject,arn:aws:s3:::lumora-us-user-data/a.csv\n"), 0o600)
	if res, err := c.Import(t.Context(), []string{log}, casefile.ImportOptions{Map: map[string]string{"actor": "userArn",
		"time": "eventTime", "action": "eventName", "resource": "resource"}}, nil); err != nil || res[0].Err != nil {
		t.Fatalf("import: %v %v", err, res)
	}
	cv := openTestCase(t, g, c, dir)
	menuItem(t, g, "Settings…").Action()
	g.settle(t)
	d := cv.settings
	if d == nil || !strings.Contains(d.context.rosterStatus.Text, "No roster loaded") {
		t.Fatalf("the roster tab of a case with none says %q", d.context.rosterStatus.Text)
	}
	roster := filepath.Join(files, "staff.csv")
	os.WriteFile(roster, []byte("name,arn,office,country\nWei Zhang,arn:aws:iam::111122223333:user/wzhang,Beijing,CN\n"), 0o600)
	d.context.onLoadRoster(roster)
	g.settle(t)
	if !strings.Contains(d.status.Text, "Loaded 1 row from staff.csv: ") || !strings.Contains(d.status.Text, "events have a person") ||
		d.context.people != 1 {
		t.Errorf("loading the roster says %q (%d people shown)", d.status.Text, d.context.people)
	}
	bad := filepath.Join(files, "bad.csv")
	os.WriteFile(bad, []byte("name,country\nAna,Atlantis\n"), 0o600)
	d.context.onLoadRoster(bad)
	g.settle(t)
	if !strings.Contains(d.status.Text, "The roster was not loaded") || !strings.Contains(d.status.Text, "Atlantis") ||
		d.status.Importance != widget.DangerImportance {
		t.Errorf("a bad roster says %q", d.status.Text)
	}
	srcs, _ := c.Sources(t.Context())
	src := srcs[len(srcs)-1]
	evts, err := c.Events(t.Context(), src.ID, 0, 10)
	if err != nil || len(evts) != 1 || src.Name != "trail.csv" {
		t.Fatalf("events of %s: %v %v", src.Name, evts, err)
	}
	cv.onLogEventSelected(evts[0], src)
	g.settle(t)
	assertShows(t, cv.details.form, "Wei Zhang (roster row 1)")
	assertShows(t, cv.details.form, "CN (from roster row 1)")
	assertShows(t, cv.details.form, "Beijing (from roster row 1)")
	// The Review tab says what the rules could not judge, and why.
	cv.review.onRunRules()
	g.settle(t)
	if !cv.review.coverage.Visible() || !strings.Contains(cv.review.coverage.Text, "Not every item could be judged") ||
		!strings.Contains(cv.review.coverage.Text, "evaluable") {
		t.Errorf("after running the rules the Review tab says %q", cv.review.coverage.Text)
	}
}
