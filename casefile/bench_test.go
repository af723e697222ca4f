package casefile_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"casebook/bench/gen"
	"casebook/casefile"
)

// The benchmark data is generated once per run, outside the repository, by
// the project's own deterministic generator. CASEBOOK_BENCH_SCALE=2 doubles it
// for the growth check; CASEBOOK_BENCH_DIR reuses a folder across runs.
var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

func benchData(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		cfg := gen.Reference
		if os.Getenv("CASEBOOK_BENCH_SCALE") == "2" {
			cfg.Meetings, cfg.Cues, cfg.LogRows = cfg.Meetings*2, cfg.Cues*2, cfg.LogRows*2
		}
		benchDir = os.Getenv("CASEBOOK_BENCH_DIR")
		if benchDir == "" {
			benchDir = filepath.Join(os.TempDir(), "casebook-bench")
		}
		if _, err := os.Stat(filepath.Join(benchDir, "queries.tsv")); err == nil {
			return
		}
		benchErr = gen.Write(benchDir, cfg)
	})
	if benchErr != nil {
		b.Fatalf("generate: %v", benchErr)
	}
	return benchDir
}

func benchImport(b *testing.B, paths func(dir string) []string, unit string) {
	data := benchData(b)
	var records int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := filepath.Join(b.TempDir(), "case")
		c, err := casefile.Create(b.Context(), dir, casefile.CreateOptions{Title: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := c.Import(b.Context(), paths(data), casefile.ImportOptions{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		for _, r := range res {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
			records += r.Records
		}
		c.Close()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), unit+"/s")
}

// BenchmarkImportTranscripts imports the 2,000 WebVTT meetings (~200,000
// cues) into a fresh case: parse, store and index until searchable.
func BenchmarkImportTranscripts(b *testing.B) {
	benchImport(b, func(dir string) []string { return []string{filepath.Join(dir, "vtt")} }, "segments")
}

// BenchmarkImportAccessCSV imports the 1,000,000-row access-log CSV: parse,
// map, store and index until searchable.
func BenchmarkImportAccessCSV(b *testing.B) {
	benchImport(b, func(dir string) []string { return []string{filepath.Join(dir, "access_logs.csv")} }, "events")
}
