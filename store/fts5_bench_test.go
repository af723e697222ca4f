//go:build sqlite_fts5

package store_test

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"casebook/bench/gen"
	"casebook/importer"
	"casebook/model"
)

// cueSink collects transcript text.
type cueSink struct{ texts []string }

func (s *cueSink) Segment(g *model.Segment) error  { s.texts = append(s.texts, g.Text); return nil }
func (s *cueSink) Event(*model.Event) error        { return nil }
func (s *cueSink) Warn(int, string)                {}
func (s *cueSink) Reject(importer.Rejection) error { return nil }

// BenchmarkFTS5Peer is the peer for BenchmarkSearch and the transcript
// import: the same cues in a SQLite FTS5 table (built in one transaction) and
// the FTS5 form of the same 100 queries, top 10 by rank. Run with
// -tags sqlite_fts5; CASEBOOK_BENCH_DIR selects the reference data.
func BenchmarkFTS5Peer(b *testing.B) {
	data := os.Getenv("CASEBOOK_BENCH_DIR")
	if data == "" {
		data = b.TempDir()
		if err := gen.Write(data, gen.Config{Meetings: 200, Cues: 20000, LogRows: 10, Seed: 42}); err != nil {
			b.Fatal(err)
		}
	}
	vtt, err := importer.Lookup("vtt")
	if err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(data, "vtt", "*.vtt"))
	ctx := context.Background()
	db, err := sql.Open("sqlite3", filepath.Join(b.TempDir(), "fts.db")+"?_journal_mode=WAL")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	began := time.Now()
	if _, err := db.Exec(`CREATE VIRTUAL TABLE cues USING fts5(text)`); err != nil {
		b.Fatal(err)
	}
	tx, _ := db.Begin()
	st, _ := tx.Prepare(`INSERT INTO cues (text) VALUES (?)`)
	n := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			b.Fatal(err)
		}
		sink := &cueSink{}
		if _, err := vtt.Parse(ctx, importer.Input{Name: f, R: fh, Size: -1}, sink); err != nil {
			b.Fatal(err)
		}
		fh.Close()
		for _, t := range sink.texts {
			if _, err := st.Exec(t); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	build := time.Since(began)
	qf, err := os.Open(filepath.Join(data, "queries.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	var queries []string
	sc := bufio.NewScanner(qf)
	for sc.Scan() {
		if f := strings.Split(sc.Text(), "\t"); len(f) >= 3 {
			queries = append(queries, f[2])
		}
	}
	qf.Close()
	if len(queries) == 0 {
		b.Fatalf("%s has no FTS5 column: regenerate it with bench/cmd/casebook-gen", filepath.Join(data, "queries.tsv"))
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range queries {
			start := time.Now()
			rows, err := db.Query(`SELECT rowid, snippet(cues, 0, '«', '»', '…', 12) FROM cues WHERE cues MATCH ? ORDER BY rank LIMIT 10`, q)
			if err != nil {
				b.Fatalf("%s: %v", q, err)
			}
			for rows.Next() {
			}
			rows.Close()
			lat = append(lat, time.Since(start))
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(build.Seconds(), "build-s")
	b.ReportMetric(float64(n), "cues")
	b.ReportMetric(0, "ns/op")
}
