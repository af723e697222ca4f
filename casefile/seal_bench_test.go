package casefile_test

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"

	"casebook/casefile"
)

// sealBenchRows is how many rows of the reference access log the sealing
// benchmarks store: enough to be steady, small enough for a quick run.
const sealBenchRows = 200_000

// benchLogPrefix writes the header and the first rows of the reference
// access log to a file of its own, once per run.
func benchLogPrefix(b *testing.B, rows int) string {
	b.Helper()
	data := benchData(b)
	out := filepath.Join(data, "access_logs_prefix.csv")
	if _, err := os.Stat(out); err == nil {
		return out
	}
	in, err := os.Open(filepath.Join(data, "access_logs.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	f, err := os.Create(out + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	w := bufio.NewWriter(f)
	for n := 0; n <= rows && sc.Scan(); n++ {
		w.Write(sc.Bytes())
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if err := os.Rename(out+".tmp", out); err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkStoreAccessCSV stores 200,000 rows of the reference access log
// with indexing deferred: parse, map, seal and commit. Compared with the same
// benchmark on the commit before sealing, it is the cost of sealing.
func BenchmarkStoreAccessCSV(b *testing.B) {
	path := benchLogPrefix(b, sealBenchRows)
	var records int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := filepath.Join(b.TempDir(), "case")
		c, err := casefile.Create(b.Context(), dir, casefile.CreateOptions{Title: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := c.Import(b.Context(), []string{path}, casefile.ImportOptions{DeferIndex: true}, nil)
		b.StopTimer()
		if err != nil || res[0].Err != nil {
			b.Fatal(err, res[0].Err)
		}
		records += res[0].Records
		c.Close()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkVerifySeals re-hashes 200,000 stored events against their seal
// (verify without --deep, which also re-hashes the original and checks the
// audit chain and the index).
func BenchmarkVerifySeals(b *testing.B) {
	path := benchLogPrefix(b, sealBenchRows)
	dir := filepath.Join(b.TempDir(), "case")
	c, err := casefile.Create(b.Context(), dir, casefile.CreateOptions{Title: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if res, err := c.Import(b.Context(), []string{path}, casefile.ImportOptions{}, nil); err != nil || res[0].Err != nil {
		b.Fatal(err, res[0].Err)
	}
	// Reopen: the index's background merges of the import must not be
	// timed as verify's.
	c.Close()
	if c, err = casefile.Open(b.Context(), dir, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var records int64
	for i := 0; i < b.N; i++ {
		rep, err := c.Verify(b.Context(), nil)
		if err != nil || !rep.OK {
			b.Fatal(err, rep.Problems)
		}
		records += rep.Records
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}
