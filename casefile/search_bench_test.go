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
// boolean and field queries) over a small generated case (200 meetings,
// 20,000 cues, 20,000 log rows) and reports the p50 and p95 latency of one
// query, facets included.
func BenchmarkSearch(b *testing.B) {
	data := b.TempDir()
	if err := gen.Write(data, gen.Config{Meetings: 200, Cues: 20000, LogRows: 20000, Seed: 42}); err != nil {
		b.Fatal(err)
	}
	c, err := casefile.Create(b.Context(), filepath.Join(b.TempDir(), "case"), casefile.CreateOptions{Title: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	res, err := c.Import(b.Context(), []string{filepath.Join(data, "vtt"), filepath.Join(data, "access_logs.csv")}, casefile.ImportOptions{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	}
	f, err := os.Open(filepath.Join(data, "queries.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	var queries []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if _, q, ok := strings.Cut(sc.Text(), "\t"); ok {
			queries = append(queries, q)
		}
	}
	f.Close()
	// A few of Casebook's own operators on top of the generator's mix.
	queries = append(queries, `"budget review"~5`, `(invoice OR payment) AND NOT transfer`, `records:>1000 country:CN`,
		`time:[2024-01-01 TO 2024-06-30] audit`, `acc*ss`, `acess~1`)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range queries {
			start := time.Now()
			if _, err := c.Search(b.Context(), casefile.Query{Text: q, Facets: true}); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
			lat = append(lat, time.Since(start))
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(0, "ns/op")
}
