package casefile_test

import (
	"bytes"
	"strings"
	"testing"

	"casebook/casefile"
)

// TestLongJobsReportProgress checks the reports the command line draws its
// bars from: an import's byte reports carry the records stored, and rules
// run, export and search --all report through their ProgressFunc.
func TestLongJobsReportProgress(t *testing.T) {
	c, _ := newCase(t)
	rows := countLines(t, accessFixture, func(l string) bool { return strings.HasPrefix(l, "20") })
	var got []casefile.Progress
	record := func(p casefile.Progress) { got = append(got, p) }
	if _, err := c.Import(t.Context(), []string{accessFixture}, casefile.ImportOptions{}, record); err != nil {
		t.Fatal(err)
	}
	var last casefile.Progress
	for _, p := range got {
		if p.Stage == "import" && p.Files == 0 {
			last = p
		}
	}
	if last.Done != last.Total || last.Total == 0 || last.Records != rows || last.Rejects != 0 {
		t.Errorf("the import's last byte report: %+v, want all bytes and %d records", last, rows)
	}
	if got[0].Files != 1 || got[0].File != accessFixture {
		t.Errorf("the import's first report does not start the file: %+v", got[0])
	}

	got = nil
	res, err := c.RunRulesProgress(t.Context(), record)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(res) || len(got) == 0 {
		t.Fatalf("%d rule reports for %d rules run", len(got), len(res))
	}
	for i, p := range got {
		if p.Stage != "rules" || p.File != res[i].Rule || p.Done != int64(i) || p.Total != int64(len(res)) {
			t.Errorf("rule report %d: %+v (rule %s)", i, p, res[i].Rule)
		}
	}

	got = nil
	var out bytes.Buffer
	n, err := c.Export(t.Context(), &out, casefile.ExportOptions{Format: casefile.ExportCSV, What: "events", Progress: record})
	if err != nil {
		t.Fatal(err)
	}
	if int64(n) != rows || len(got) == 0 || got[0].Stage != "export" || got[0].Total != rows {
		t.Errorf("export of %d rows reported %+v", n, got)
	}

	got = nil
	hits := 0
	err = c.SearchAllProgress(t.Context(), casefile.Query{Text: "*"}, record, func(casefile.Hit) error { hits++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Stage != "search" || got[0].Total != int64(hits) || hits == 0 {
		t.Errorf("search of %d hits reported %+v", hits, got)
	}
}
