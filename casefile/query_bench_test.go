package casefile_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"casebook/casefile"
	"casebook/index"
)

// These benchmarks measure a case that make bench (bench/run.sh) has built
// with the command line: CASEBOOK_BENCH_CASE is the case folder (its access
// log and transcripts imported, the index caught up) and CASEBOOK_BENCH_DIR
// the generator's folder the case was imported from. Without them they skip.

// benchCase returns the case folder and the data folder, or skips.
func benchCase(b *testing.B) (caseDir, data string) {
	b.Helper()
	caseDir, data = os.Getenv("CASEBOOK_BENCH_CASE"), os.Getenv("CASEBOOK_BENCH_DIR")
	if caseDir == "" || data == "" {
		b.Skip("CASEBOOK_BENCH_CASE and CASEBOOK_BENCH_DIR are not set (bench/run.sh sets them)")
	}
	return caseDir, data
}

// benchQueries reads column col (1: Casebook's query, 2: the FTS5 form) of
// the generator's queries.tsv.
func benchQueries(b *testing.B, data string, col int) []string {
	b.Helper()
	f, err := os.Open(filepath.Join(data, "queries.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fs := strings.Split(sc.Text(), "\t"); len(fs) > col {
			out = append(out, fs[col])
		}
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	if len(out) == 0 {
		b.Fatalf("%s has no queries", f.Name())
	}
	return out
}

// reportPercentiles reports the p50, p95 and p99 of lat in milliseconds as
// prefix+"p50-ms" and so on.
func reportPercentiles(b *testing.B, prefix string, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), prefix+"p50-ms")
	b.ReportMetric(pct(0.95), prefix+"p95-ms")
	b.ReportMetric(pct(0.99), prefix+"p99-ms")
}

// BenchmarkSearchQueries runs the generator's 100 queries (terms, phrases,
// boolean and field queries) over the case in CASEBOOK_BENCH_CASE twice
// each round: engine only (the Bleve index, opened read-only, answering the
// top 20 with match positions and the exact total, no database) and end to
// end (casefile Search: the same, then the 20 hits hydrated from SQLite with
// snippets cut). It reports the p50, p95 and p99 of one query of each.
func BenchmarkSearchQueries(b *testing.B) {
	caseDir, data := benchCase(b)
	queries := benchQueries(b, data, 1)
	ctx := context.Background()
	c, err := casefile.Open(ctx, caseDir, nil)
	if err != nil {
		b.Fatal(err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Close(); err != nil {
		b.Fatal(err)
	}
	var engine, e2e []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// The index is held by one process at a time, so the two passes
		// take turns with it.
		b.StopTimer()
		ix, err := index.OpenReadOnly(filepath.Join(caseDir, "index"), info.ID)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, q := range queries {
			start := time.Now()
			if _, err := ix.Search(ctx, index.Request{Query: q, Size: 20}); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
			engine = append(engine, time.Since(start))
		}
		b.StopTimer()
		ix.Close()
		c, err := casefile.Open(ctx, caseDir, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, q := range queries {
			start := time.Now()
			res, err := c.Search(ctx, casefile.Query{Text: q, Limit: 20})
			if err != nil {
				b.Fatalf("%s: %v", q, err)
			}
			e2e = append(e2e, time.Since(start))
			if len(res.Hits) > 0 && res.Hits[0].Snippet == "" && res.Hits[0].Text == "" {
				b.Fatalf("%s: hit %s not hydrated", q, res.Hits[0].ID)
			}
		}
		b.StopTimer()
		c.Close()
		b.StartTimer()
	}
	b.StopTimer()
	reportPercentiles(b, "engine-", engine)
	reportPercentiles(b, "", e2e)
	b.ReportMetric(float64(len(queries)), "queries")
	b.ReportMetric(0, "ns/op")
}

// eventFilter is one structured filter of the event-filter benchmarks, with
// its Casebook form and its SQL form over the access log as sqlite3 .import
// stores it (every column text, named as in the CSV header).
type eventFilter struct {
	kind  string
	cb    casefile.Filters
	where string
	args  []any
}

// eventFilters makes 40 filters from the head of the access log: ten
// actors, ten countries (fewer when the log has fewer), ten one-week date
// ranges and ten data categories, each value taken from the data.
func eventFilters(b *testing.B, data string) []eventFilter {
	b.Helper()
	f, err := os.Open(filepath.Join(data, "access_logs.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	head, err := r.Read()
	if err != nil {
		b.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, h := range []string{"ts", "employee", "country", "data_category"} {
		if _, ok := col[h]; !ok {
			b.Fatalf("%s: no %s column", f.Name(), h)
		}
	}
	seen := map[string]bool{}
	var actors, countries, cats []string
	var first time.Time
	for n := 0; n < 20000; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		add := func(list *[]string, kind, v string) {
			if v != "" && len(*list) < 10 && !seen[kind+v] {
				seen[kind+v] = true
				*list = append(*list, v)
			}
		}
		add(&actors, "a", rec[col["employee"]])
		add(&countries, "c", rec[col["country"]])
		add(&cats, "k", rec[col["data_category"]])
		if t, err := time.Parse(time.RFC3339, rec[col["ts"]]); err == nil {
			if first.IsZero() {
				first = t
			}
		}
	}
	var out []eventFilter
	for _, a := range actors {
		out = append(out, eventFilter{"actor", casefile.Filters{Actor: a}, "employee = ?", []any{a}})
	}
	for _, c := range countries {
		out = append(out, eventFilter{"country", casefile.Filters{Country: c}, "country = ?", []any{c}})
	}
	for _, k := range cats {
		out = append(out, eventFilter{"category", casefile.Filters{Category: k}, "data_category = ?", []any{k}})
	}
	// One-week ranges, five weeks apart, over the log's first year.
	for i := 0; i < 10; i++ {
		from := first.AddDate(0, 0, 3+i*35).UTC()
		to := from.AddDate(0, 0, 6)
		out = append(out, eventFilter{"date", casefile.Filters{From: from.Format("2006-01-02"), To: to.Format("2006-01-02")},
			"ts >= ? AND ts < ?", []any{from.Format("2006-01-02"), to.AddDate(0, 0, 1).Format("2006-01-02")}})
	}
	return out
}

// reportFilterLatency reports the p50 of all filters and of each kind.
func reportFilterLatency(b *testing.B, prefix string, lat map[string][]time.Duration) {
	var all []time.Duration
	for kind, l := range lat {
		slices.Sort(l)
		b.ReportMetric(float64(l[len(l)/2].Microseconds())/1000, prefix+kind+"-p50-ms")
		all = append(all, l...)
	}
	slices.Sort(all)
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, prefix+"p50-ms")
	b.ReportMetric(float64(all[int(0.95*float64(len(all)-1))].Microseconds())/1000, prefix+"p95-ms")
}

// BenchmarkEventFilters runs structured filters only (no query text: an
// actor, a country, a one-week date range or a data category; see
// eventFilters) through casefile Search over the case in
// CASEBOOK_BENCH_CASE, end to end: the exact total and the first 20 events
// hydrated. It reports the p50 over all filters and per kind.
func BenchmarkEventFilters(b *testing.B) {
	caseDir, data := benchCase(b)
	filters := eventFilters(b, data)
	ctx := context.Background()
	c, err := casefile.Open(ctx, caseDir, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	lat := map[string][]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range filters {
			start := time.Now()
			res, err := c.Search(ctx, casefile.Query{Filters: f.cb, Limit: 20})
			if err != nil {
				b.Fatalf("%+v: %v", f.cb, err)
			}
			lat[f.kind] = append(lat[f.kind], time.Since(start))
			if res.Total == 0 {
				b.Fatalf("%+v matches nothing", f.cb)
			}
		}
	}
	b.StopTimer()
	reportFilterLatency(b, "", lat)
	b.ReportMetric(0, "ns/op")
}

// BenchmarkEventFiltersSQL is the peer of BenchmarkEventFilters: the same
// filters as SQL over the access log that sqlite3 .import --csv stored in
// the database CASEBOOK_BENCH_PEERDB (table log, with an index on each
// filtered column), answering what Search answers: the count and the first
// 20 rows in time order.
func BenchmarkEventFiltersSQL(b *testing.B) {
	_, data := benchCase(b)
	path := os.Getenv("CASEBOOK_BENCH_PEERDB")
	if path == "" {
		b.Skip("CASEBOOK_BENCH_PEERDB is not set (bench/run.sh sets it)")
	}
	filters := eventFilters(b, data)
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	lat := map[string][]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range filters {
			start := time.Now()
			var n int64
			if err := db.QueryRowContext(ctx, "SELECT count(*) FROM log WHERE "+f.where, f.args...).Scan(&n); err != nil {
				b.Fatalf("%s: %v", f.where, err)
			}
			rows, err := db.QueryContext(ctx, "SELECT * FROM log WHERE "+f.where+" LIMIT 20", f.args...)
			if err != nil {
				b.Fatalf("%s: %v", f.where, err)
			}
			cols, _ := rows.Columns()
			vals := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for k := range vals {
				ptrs[k] = &vals[k]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					b.Fatal(err)
				}
			}
			if err := rows.Close(); err != nil {
				b.Fatal(err)
			}
			lat[f.kind] = append(lat[f.kind], time.Since(start))
			if n == 0 {
				b.Fatalf("%s %v matches nothing", f.where, f.args)
			}
		}
	}
	b.StopTimer()
	reportFilterLatency(b, "", lat)
	b.ReportMetric(0, "ns/op")
}
