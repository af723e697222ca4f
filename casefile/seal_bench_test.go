package casefile_test

import (
	"bufio"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"casebook/casefile"
	"casebook/model"
	"casebook/store"
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

// BenchmarkSealDigests is the work sealing adds to an import, alone: the
// digest of each of 200,000 stored events of the reference log and their
// fold into the source's running seal. Set beside BenchmarkStoreAccessCSV's
// events/s, it is the share of the import's time that sealing costs (make
// bench prints both and the throughput without it). The row seal stored on
// each event (16 bytes) is not in this figure.
func BenchmarkSealDigests(b *testing.B) {
	path := benchLogPrefix(b, sealBenchRows)
	dir := filepath.Join(b.TempDir(), "case")
	c, err := casefile.Create(b.Context(), dir, casefile.CreateOptions{Title: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	if res, err := c.Import(b.Context(), []string{path}, casefile.ImportOptions{DeferIndex: true}, nil); err != nil || res[0].Err != nil {
		b.Fatal(err, res[0].Err)
	}
	c.Close()
	st, err := store.Open(b.Context(), filepath.Join(dir, "case.db"))
	if err != nil {
		b.Fatal(err)
	}
	var evts []model.Event
	for lo := int64(1); ; {
		chunk, err := st.EventsInRange(b.Context(), lo, 1<<62, 10_000)
		if err != nil {
			b.Fatal(err)
		}
		evts = append(evts, chunk...)
		if len(chunk) < 10_000 {
			break
		}
		lo = chunk[len(chunk)-1].ID + 1
	}
	st.Close()
	if len(evts) != sealBenchRows {
		b.Fatalf("read %d events back, stored %d", len(evts), sealBenchRows)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h := sha256.New()
		for j := range evts {
			h.Write(store.EventDigest(&evts[j]))
		}
		_ = h.Sum(nil)
	}
	b.ReportMetric(float64(len(evts))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
