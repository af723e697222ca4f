package casefile_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

// oddLog is an access log whose headers no format recognises.
const oddLog = "when_utc;emp;loc_cc;tbl;n_rows\n" +
	"2022-01-01T00:00:00Z;Wei Zhang;CN;us_users.phone;1204\n" +
	"2022-01-02T09:30:00Z;Li Na;CN;us_users.device_id;50000\n" +
	"2022-01-02T10:00:00Z;Mia Chen;US;us_users.profile;12\n"

func TestPreviewLogShowsTheColumnsAndFirstRowsAndSaysWhichRolesAreUnsure(t *testing.T) {
	c, _ := newCase(t)
	odd := writeFile(t, "vendor.csv", oddLog)

	pv, err := c.PreviewLog(t.Context(), odd, casefile.ImportOptions{}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if !pv.Tabular || !pv.NeedsMapping() {
		t.Fatalf("the odd log is tabular %v, needs mapping %v; want both", pv.Tabular, pv.NeedsMapping())
	}
	if got := strings.Join(pv.Header, ","); got != "when_utc,emp,loc_cc,tbl,n_rows" {
		t.Errorf("header %q", got)
	}
	if len(pv.Rows) != 3 || pv.Rows[1][1] != "Li Na" {
		t.Errorf("rows %q, want the three data rows", pv.Rows)
	}
	if !slices.Contains(pv.Unsure, "actor") {
		t.Errorf("unsure roles %v, want actor among them", pv.Unsure)
	}

	// With the columns mapped by hand it is sure, and the import follows the mapping.
	m := map[string]string{"time": "when_utc", "actor": "emp", "country": "loc_cc", "resource": "tbl", "approval": "n_rows", "records": "n_rows"}
	delete(m, "approval")
	pv, err = c.PreviewLog(t.Context(), odd, casefile.ImportOptions{Map: m}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if p := pv.Placed["actor"]; p.Header != "emp" || p.By != "map" {
		t.Errorf("actor placed at %+v, want emp by map", p)
	}

	if err := c.SaveMappingProfile(t.Context(), "vendor-y", m, ""); err != nil {
		t.Fatal(err)
	}
	profiles, err := c.MappingProfiles(t.Context())
	if err != nil || len(profiles) != 1 || profiles[0].Name != "vendor-y" || profiles[0].Mapping["actor"] != "emp" {
		t.Fatalf("profiles %+v, %v; want vendor-y", profiles, err)
	}
	pv, err = c.PreviewLog(t.Context(), odd, casefile.ImportOptions{Profile: "vendor-y"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if pv.Placed["country"].Header != "loc_cc" || len(pv.Rows) != 1 {
		t.Errorf("the profile placed country at %+v with %d rows", pv.Placed["country"], len(pv.Rows))
	}
	importOK(t, c, casefile.ImportOptions{Kind: model.KindAccessLog, Profile: "vendor-y"}, odd)
	hits := eventsOf(t, c, "actor:zhang")
	if len(hits) != 1 || hits[0].Country != "CN" {
		t.Errorf("the mapped import finds %+v for actor:zhang", hits)
	}
}

func TestPreviewLogOfAKnownLogOrATranscriptAsksForNoMapping(t *testing.T) {
	c, _ := newCase(t)
	pv, err := c.PreviewLog(t.Context(), accessFixture, casefile.ImportOptions{}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if !pv.Tabular || pv.NeedsMapping() || pv.Format != "csv-accesslog" || len(pv.Rows) == 0 {
		t.Errorf("the fixture log: tabular %v, needs mapping %v (unsure %v), format %s, %d rows",
			pv.Tabular, pv.NeedsMapping(), pv.Unsure, pv.Format, len(pv.Rows))
	}
	pv, err = c.PreviewLog(t.Context(), transcriptFixture, casefile.ImportOptions{}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if pv.NeedsMapping() || pv.Kind != string(model.KindTranscript) {
		t.Errorf("the transcript: kind %q, needs mapping %v", pv.Kind, pv.NeedsMapping())
	}
	json := writeFile(t, "okta.jsonl", `{"published":"2022-01-01T00:00:00Z","actor":{"alternateId":"wei@lumora.example"},"client":{"ipAddress":"203.0.113.14"}}`+"\n")
	pv, err = c.PreviewLog(t.Context(), json, casefile.ImportOptions{}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if !pv.Tabular || !slices.Contains(pv.Header, "actor.alternateId") || len(pv.Rows) != 1 {
		t.Errorf("JSON lines preview: tabular %v header %v rows %v", pv.Tabular, pv.Header, pv.Rows)
	}
}

func TestImportFilesWalksFoldersAsImportDoes(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.csv", "a.txt", ".hidden.txt", "sub/c.vtt"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	files, err := casefile.ImportFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		names = append(names, filepath.ToSlash(rel))
	}
	if strings.Join(names, ",") != "a.txt,b.csv,sub/c.vtt" {
		t.Errorf("files %v", names)
	}
	if _, err := casefile.ImportFiles([]string{filepath.Join(dir, "missing.csv")}); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("a missing file gave %v", err)
	}
}
