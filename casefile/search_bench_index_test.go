//go:build unix

package casefile_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"casebook/bench/gen"
	"casebook/casefile"
)

// BenchmarkIndexRebuild100k measures what indexing costs per 100,000
// access-log events: the generator's access log (100,000 rows) is stored
// once with DeferIndex, then every round removes the index and opens the
// case, which rebuilds it from the database (the same documents the
// catch-up writes). It reports the seconds per 100,000 events and the size
// of the index on disk. The database is written once, outside the timing.
func BenchmarkIndexRebuild100k(b *testing.B) {
	const rows = 100000
	data := b.TempDir()
	if err := gen.Write(data, gen.Config{Meetings: 1, Cues: 1, LogRows: rows, Seed: 42}); err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "case")
	c, err := casefile.Create(b.Context(), dir, casefile.CreateOptions{Title: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	res, err := c.Import(b.Context(), []string{filepath.Join(data, "access_logs.csv")}, casefile.ImportOptions{DeferIndex: true}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if res[0].Err != nil || res[0].Records != rows {
		b.Fatalf("import: %d records, %v", res[0].Records, res[0].Err)
	}
	c.Close()
	var spent, cpu time.Duration
	var size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		began, cpu0 := time.Now(), cpuTime(b)
		c, err := casefile.Open(b.Context(), dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		spent += time.Since(began)
		cpu += cpuTime(b) - cpu0
		b.StopTimer()
		c.Close()
		size = dirSize(b, filepath.Join(dir, "index"))
		b.StartTimer()
	}
	b.ReportMetric(spent.Seconds()/float64(b.N), "s/100k-events")
	// CPU seconds (user and system, every thread of the process) say more
	// than wall time on a machine shared with other work.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/100k-events")
	b.ReportMetric(float64(size)/(1<<20), "index-MB")
	b.ReportMetric(0, "ns/op")
}

// cpuTime is the CPU time the process has used so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// dirSize is the bytes of the files under dir.
func dirSize(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
