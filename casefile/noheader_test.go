package casefile_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"casebook/casefile"
)

// lumoraSSHD is a fictional login export with no header row.
const lumoraSSHD = "2022-02-01T08:15:00Z,vagrant,198.51.100.7,login\n" +
	"2022-02-01T08:17:41Z,mira.okafor,203.0.113.5,sudo\n" +
	"2022-02-02T23:48:19Z,vagrant,198.51.100.7,logout\n"

// The preview of a log whose first row is data says so, names the columns
// by number and keeps that row; imported with NoHeader and a mapping by
// number, every row is an event, and verify --deep reads it the same way
// again from the options kept with the source.
func TestLogWithoutHeaderIsPreviewedAndImportedWithItsFirstRow(t *testing.T) {
	c, _ := newCase(t)
	path := filepath.Join(t.TempDir(), "lumora_sshd.csv")
	if err := os.WriteFile(path, []byte(lumoraSSHD), 0o600); err != nil {
		t.Fatal(err)
	}
	pv, err := c.PreviewLog(t.Context(), path, casefile.ImportOptions{}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if !pv.NoHeader || !pv.NeedsMapping() {
		t.Fatalf("preview: NoHeader %v, NeedsMapping %v; want both", pv.NoHeader, pv.NeedsMapping())
	}
	if !slices.Equal(pv.Header, []string{"column 1", "column 2", "column 3", "column 4"}) {
		t.Errorf("header %q", pv.Header)
	}
	if len(pv.Rows) != 3 || pv.Rows[0][1] != "vagrant" {
		t.Fatalf("rows %q: want the three rows, the first one first", pv.Rows)
	}
	if p, ok := pv.Placed["time"]; !ok || p.Column != 0 {
		t.Errorf("time placed at %+v (%v), want column 1 by its values", p, ok)
	}
	res := importOK(t, c, casefile.ImportOptions{NoHeader: true, Map: map[string]string{"time": "column 1", "actor": "2", "ip": "column 3"}}, path)
	if res[0].Records != 3 || res[0].Rejects != 0 {
		t.Fatalf("imported %d records, %d rejects; want 3 and 0", res[0].Records, res[0].Rejects)
	}
	hits, err := c.Search(t.Context(), casefile.Query{Text: "actor:vagrant"})
	if err != nil || len(hits.Hits) != 2 {
		t.Fatalf("actor:vagrant: %v, %d hits, want 2 (the first row among them)", err, len(hits.Hits))
	}
	rep, err := c.VerifyWith(t.Context(), casefile.VerifyOptions{Deep: true}, nil)
	if err != nil || !rep.OK || rep.Deep == nil || rep.Deep.Records != 3 || len(rep.Deep.Problems) != 0 || len(rep.Deep.Notes) != 0 {
		t.Fatalf("verify --deep: %v %+v %+v", err, rep, rep.Deep)
	}
}
