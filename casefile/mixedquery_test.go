package casefile_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"

	"casebook/bench/gen"
	"casebook/casefile"
)

// TestMixedQueryTotalsMatchAnIndependentCountOfTheGeneratedLog: totals and
// facet counts of searches that mix words, phrases, fields and filters are
// compared with counts made here straight from the generated CSV, column by
// column, without Casebook's importer or index (issue 15: a faster search
// that misses hits is a regression).
func TestMixedQueryTotalsMatchAnIndependentCountOfTheGeneratedLog(t *testing.T) {
	data := t.TempDir()
	if err := gen.Write(data, gen.Config{Meetings: 1, Cues: 1, LogRows: 6000, Seed: 15}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(data, "access_logs.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	rows = rows[1:]
	for _, h := range []string{"ts", "country", "purpose", "approval_id"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("the generator's header lacks %q: %v", h, col)
		}
	}
	inQ4 := func(r []string) bool {
		ts, err := time.Parse(time.RFC3339, r[col["ts"]])
		if err != nil {
			t.Fatal(err)
		}
		day := ts.UTC().Format("2006-01-02")
		return day >= "2021-10-01" && day <= "2021-12-31"
	}
	cases := []struct {
		name    string
		q       casefile.Query
		matches func(r []string) bool
	}{
		{"a phrase", casefile.Query{Text: `"model training"`},
			func(r []string) bool { return r[col["purpose"]] == "model training" }},
		{"a phrase with a stop word and a field", casefile.Query{Text: `"trust and safety review" AND country:SG`},
			func(r []string) bool {
				return r[col["purpose"]] == "trust and safety review" && r[col["country"]] == "SG"
			}},
		{"a word and a country filter", casefile.Query{Text: "debugging", Filters: casefile.Filters{Country: "CN"}},
			func(r []string) bool { return r[col["purpose"]] == "debugging" && r[col["country"]] == "CN" }},
		{"a phrase without approval", casefile.Query{Text: `"data migration" AND NOT approval:yes`},
			func(r []string) bool { return r[col["purpose"]] == "data migration" && r[col["approval_id"]] == "" }},
		{"a field and a date range", casefile.Query{Text: "kind:event AND country:CN", Filters: casefile.Filters{From: "2021-10", To: "2021-12"}},
			func(r []string) bool { return r[col["country"]] == "CN" && inQ4(r) }},
		{"everything in a quarter, approved", casefile.Query{Text: "approval:yes", Filters: casefile.Filters{Kind: "event", From: "2021-10-01", To: "2021-12-31"}},
			func(r []string) bool { return r[col["approval_id"]] != "" && inQ4(r) }},
	}

	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, path)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := 0
			country := map[string]int{}
			approval := map[string]int{}
			for _, r := range rows {
				if tc.matches(r) {
					want++
					country[r[col["country"]]]++
					approval[map[bool]string{true: "yes", false: "no"}[r[col["approval_id"]] != ""]]++
				}
			}
			if want == 0 {
				t.Fatalf("the generated log has no row for %q: pick another query", tc.q.Text)
			}
			q := tc.q
			q.Facets = true
			res, err := c.Search(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != uint64(want) {
				t.Errorf("%q %+v: %d hits, the CSV has %d rows", q.Text, q.Filters, res.Total, want)
			}
			for name, wantFacet := range map[string]map[string]int{"country": country, "approval": approval} {
				got := map[string]int{}
				for _, fc := range res.Facets[name] {
					got[fc.Term] = fc.Count
				}
				for term, n := range wantFacet {
					if got[term] != n {
						t.Errorf("%q facet %s=%s: %d, the CSV has %d (facet %v)", q.Text, name, term, got[term], n, got)
					}
				}
				if len(got) != len(wantFacet) {
					t.Errorf("%q facet %s: %v, the CSV gives %v", q.Text, name, got, wantFacet)
				}
			}
		})
	}
}
