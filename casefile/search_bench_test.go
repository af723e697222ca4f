package casefile_test

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"casebook/bench/gen"
	"casebook/casefile"
)

// BenchmarkSearch runs the generator's 100 queries (terms, phrases,
// boolean and field queries) plus a few of Casebook's own operators and
// reports the p50, p95 and p99 latency of one query end to end (facets, and
// 20 hits hydrated from SQLite with snippets). By default the case is small
// (200 meetings, 20,000 cues, 20,000 log rows); with CASEBOOK_BENCH_DIR set it
// is the reference case there (2,000 meetings, 200,000 cues, 1,000,000 rows),
// imported once into CASEBOOK_BENCH_DIR/case and reused by later runs.
func BenchmarkSearch(b *testing.B) {
	data, c := searchBenchCase(b)
	defer c.Close()
	f, err := os.Open(filepath.Join(data, "queries.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	var queries []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if f := strings.Split(sc.Text(), "\t"); len(f) >= 2 {
			queries = append(queries, f[1])
		}
	}
	f.Close()
	// A few of Casebook's own operators on top of the generator's mix.
	queries = append(queries, `"budget review"~5`, `(invoice OR payment) AND NOT transfer`, `records:>1000 country:CN`,
		`time:[2024-01-01 TO 2024-06-30] audit`, `acc*ss`, `acess~1`)
	var lat, faceted []time.Duration
	slowest := map[string]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k, q := range queries {
			// One query in ten also asks for facets (counts per field and
			// month over every hit), as the window's facet panel does.
			withFacets := k%10 == 9
			start := time.Now()
			if _, err := c.Search(b.Context(), casefile.Query{Text: q, Facets: withFacets}); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
			if withFacets {
				faceted = append(faceted, time.Since(start))
			} else if d := time.Since(start); d > slowest[q] {
				slowest[q] = d
			}
			lat = append(lat, time.Since(start))
		}
	}
	b.StopTimer()
	worst := make([]string, 0, len(slowest))
	for q := range slowest {
		worst = append(worst, q)
	}
	sort.Slice(worst, func(i, j int) bool { return slowest[worst[i]] > slowest[worst[j]] })
	for _, q := range worst[:min(5, len(worst))] {
		b.Logf("slowest: %-40s %v", q, slowest[q].Round(time.Millisecond))
	}
	sort.Slice(faceted, func(i, j int) bool { return faceted[i] < faceted[j] })
	if len(faceted) > 0 {
		b.ReportMetric(float64(faceted[len(faceted)/2].Microseconds())/1000, "faceted-p50-ms")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}

func searchBenchCase(b *testing.B) (string, *casefile.Case) {
	b.Helper()
	data := os.Getenv("CASEBOOK_BENCH_DIR")
	caseDir := filepath.Join(data, "case")
	if data == "" {
		data = b.TempDir()
		caseDir = filepath.Join(b.TempDir(), "case")
		if err := gen.Write(data, gen.Config{Meetings: 200, Cues: 20000, LogRows: 20000, Seed: 42}); err != nil {
			b.Fatal(err)
		}
	} else {
		benchData(b) // generates the reference data there if missing
	}
	if casefile.IsCase(caseDir) {
		c, err := casefile.Open(b.Context(), caseDir, nil)
		if err != nil {
			b.Fatal(err)
		}
		return data, c
	}
	c, err := casefile.Create(b.Context(), caseDir, casefile.CreateOptions{Title: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	began := time.Now()
	res, err := c.Import(b.Context(), []string{filepath.Join(data, "vtt"), filepath.Join(data, "access_logs.csv")}, casefile.ImportOptions{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	}
	b.Logf("built the search case in %s", time.Since(began).Round(time.Second))
	return data, c
}
