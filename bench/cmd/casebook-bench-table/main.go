// Command casebook-bench-table assembles make bench's results table from
// what bench/run.sh collected in its run folder, and prints it as markdown:
//
//	casebook-bench-table -run /tmp/casebook-bench-run > table.md
//
// The run folder holds, for each timed step NAME, NAME.time (the report of
// /usr/bin/time -v: wall time, peak RSS) and NAME.out (the step's standard
// output: an import's or a rules run's JSON, or Go benchmark lines), and a
// file "figures" of key=value lines (sizes on disk, the GUI's memory, the
// CPU load each step started at, skipped steps and why).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	run := flag.String("run", "", "the run folder bench/run.sh filled")
	flag.Parse()
	if *run == "" {
		fmt.Fprintln(os.Stderr, "casebook-bench-table: -run is required")
		os.Exit(2)
	}
	r, err := load(*run)
	if err != nil {
		fmt.Fprintln(os.Stderr, "casebook-bench-table:", err)
		os.Exit(1)
	}
	r.write(os.Stdout)
}

// step is one timed command.
type step struct {
	wall   float64 // seconds
	rssKB  float64 // peak resident set size
	status int     // exit status
	ok     bool    // the .time file was read
}

// results is everything read from the run folder.
type results struct {
	figures map[string]string
	steps   map[string]step
	order   []string                      // step names in the order they ran
	bench   map[string]map[string]float64 // benchmark name → unit → value
	records map[string]int64              // "step" and "step/kind" → records an import stored
	rules   [2]int64                      // suggestions matched, added
}

func load(dir string) (*results, error) {
	r := &results{figures: map[string]string{}, steps: map[string]step{}, bench: map[string]map[string]float64{},
		records: map[string]int64{}}
	if err := readFigures(filepath.Join(dir, "figures"), r); err != nil {
		return nil, err
	}
	times, _ := filepath.Glob(filepath.Join(dir, "*.time"))
	for _, p := range times {
		name := strings.TrimSuffix(filepath.Base(p), ".time")
		s, err := readTime(p)
		if err != nil {
			return nil, err
		}
		r.steps[name] = s
		out := filepath.Join(dir, name+".out")
		if err := readOutput(out, name, r); err != nil {
			return nil, fmt.Errorf("%s: %w", out, err)
		}
	}
	return r, nil
}

func readFigures(path string, r *results) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		if name, isLoad := strings.CutPrefix(k, "load."); isLoad {
			r.order = append(r.order, name)
		}
		r.figures[k] = v
	}
	return sc.Err()
}

// readTime reads the report of /usr/bin/time -v.
func readTime(path string) (step, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return step{}, err
	}
	s := step{ok: true}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok {
			continue
		}
		switch {
		case strings.HasPrefix(k, "Elapsed (wall clock) time"):
			s.wall = clock(v)
		case k == "Maximum resident set size (kbytes)":
			s.rssKB, _ = strconv.ParseFloat(v, 64)
		case k == "Exit status":
			s.status, _ = strconv.Atoi(v)
		}
	}
	return s, nil
}

// clock reads h:mm:ss or m:ss.cc as seconds.
func clock(v string) float64 {
	var sec float64
	for _, p := range strings.Split(strings.TrimSpace(v), ":") {
		x, _ := strconv.ParseFloat(p, 64)
		sec = sec*60 + x
	}
	return sec
}

// readOutput reads a step's standard output: Go benchmark lines, or the
// JSON of an import or a rules run.
func readOutput(path, name string, r *results) error {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") {
		// casebook verify --json
		var v struct {
			Records *int64 `json:"records_checked"`
			Deep    *struct {
				Records int64 `json:"records"`
				Indexed int64 `json:"index_documents"`
			} `json:"deep"`
		}
		if err := json.Unmarshal([]byte(t), &v); err != nil {
			return err
		}
		if v.Records != nil {
			r.records[name] = *v.Records
		}
		if v.Deep != nil {
			r.records[name+"/deep"] = v.Deep.Records
			r.records[name+"/index"] = v.Deep.Indexed
		}
		return nil
	} else if strings.HasPrefix(t, "[") {
		var items []struct {
			Kind    string `json:"kind"`
			Records *int64 `json:"records"`
			Matched *int64 `json:"matched"`
			Added   int64  `json:"added"`
		}
		if err := json.Unmarshal([]byte(t), &items); err != nil {
			return err
		}
		for _, it := range items {
			if it.Records != nil {
				r.records[name] += *it.Records
				r.records[name+"/"+it.Kind] += *it.Records
			}
			if it.Matched != nil {
				r.rules[0] += *it.Matched
				r.rules[1] += it.Added
			}
		}
		return nil
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		bn := f[0]
		if i := strings.LastIndex(bn, "-"); i > 0 {
			if _, err := strconv.Atoi(bn[i+1:]); err == nil {
				bn = bn[:i]
			}
		}
		m := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				m[f[i+1]] = v
			}
		}
		r.bench[bn] = m
	}
	return nil
}

// figure returns a number from the figures file, and whether it is there.
func (r *results) figure(k string) (float64, bool) {
	v, err := strconv.ParseFloat(r.figures[k], 64)
	return v, err == nil && r.figures[k] != ""
}

// have reports whether a step ran and succeeded.
func (r *results) have(names ...string) bool {
	for _, n := range names {
		if s, ok := r.steps[n]; !ok || !s.ok || s.status != 0 {
			return false
		}
	}
	return true
}

// metric returns a benchmark's metric, and whether it is there.
func (r *results) metric(bench, unit string) (float64, bool) {
	v, ok := r.bench[bench][unit]
	return v, ok
}

// why says why a row could not be measured: a skipped or failed step.
func (r *results) why(names ...string) string {
	for _, n := range names {
		if reason := r.figures["skip."+n]; reason != "" {
			return "skipped: " + reason
		}
		if s, ok := r.steps[n]; ok && s.status != 0 {
			return fmt.Sprintf("failed: %s exited with status %d (see %s.err)", n, s.status, n)
		}
		if _, ok := r.steps[n]; !ok {
			return "not measured: step " + n + " did not run"
		}
	}
	return "not measured"
}

type row struct{ work, casebook, peer, ratio, target, met string }

func mb(kb float64) string { return fmt.Sprintf("%.0f MB", kb/1000) }

func num(v float64) string {
	switch {
	case v >= 100:
		return thousands(int64(math.Round(v)))
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func ratio(v float64) string { return fmt.Sprintf("%.2f×", v) }

func met(ok ...bool) string {
	for _, o := range ok {
		if !o {
			return "**no**"
		}
	}
	return "yes"
}

func unmeasured(work, target, why string) row {
	return row{work: work, casebook: "—", peer: "—", ratio: "—", target: target, met: why}
}

func (r *results) rows() []row {
	var out []row
	csvRows := float64(r.records["csv-import"])
	csvRate := 0.0
	if r.have("csv-import") && csvRows > 0 {
		csvRate = csvRows / r.steps["csv-import"].wall
	}

	// 1. access-log CSV import against sqlite3 .import.
	const csvWork = "access-log CSV import: parse, map, store (`casebook import --defer-index`)"
	const csvTarget = "≥ 0.5× the peer's rows/s; peak RSS ≤ 300 MB"
	if r.have("csv-import", "csv-sqlite3") && csvRate > 0 {
		s, p := r.steps["csv-import"], r.steps["csv-sqlite3"]
		peerRows, ok := r.figure("peer.rows")
		if !ok {
			peerRows = csvRows
		}
		peerRate := peerRows / p.wall
		out = append(out, row{csvWork,
			fmt.Sprintf("%s rows/s (%s rows in %s s), peak RSS %s", num(csvRate), thousands(int64(csvRows)), num(s.wall), mb(s.rssKB)),
			fmt.Sprintf("`sqlite3` `.import --csv` into a WAL db: %s rows/s (%s s), peak RSS %s", num(peerRate), num(p.wall), mb(p.rssKB)),
			ratio(csvRate / peerRate), csvTarget, met(csvRate >= 0.5*peerRate, s.rssKB <= 300e3)})
	} else {
		out = append(out, unmeasured(csvWork, csvTarget, r.why("csv-import", "csv-sqlite3")))
	}

	// 1b. The access log until every row is searchable, against sqlite3 .import + FTS5 over every column
	// (issue 15): Casebook's deferred import and the catch-up the next open runs.
	const searchableWork = "1M-row CSV until every row is searchable: `casebook import --defer-index` + the catch-up of the next open"
	const searchableTarget = "≥ 0.5× the peer's speed (≤ 2× its time); peak RSS ≤ 500 MB"
	if r.have("csv-import", "csv-catch-up", "csv-fts5-import", "csv-fts5") {
		s1, s2 := r.steps["csv-import"], r.steps["csv-catch-up"]
		p1, p2 := r.steps["csv-fts5-import"], r.steps["csv-fts5"]
		t, pt := s1.wall+s2.wall, p1.wall+p2.wall
		rss := math.Max(s1.rssKB, s2.rssKB)
		out = append(out, row{searchableWork,
			fmt.Sprintf("%s s (store %s s + index %s s) for %s rows; peak RSS %s", num(t), num(s1.wall), num(s2.wall),
				thousands(int64(csvRows)), mb(rss)),
			fmt.Sprintf("`sqlite3` `.import --csv` + an FTS5 table over every column: %s s + %s s = %s s", num(p1.wall), num(p2.wall), num(pt)),
			ratio(pt/t) + " the peer's speed", searchableTarget, met(pt/t >= 0.5, rss <= 500e3)})
	} else {
		out = append(out, unmeasured(searchableWork, searchableTarget, r.why("csv-import", "csv-catch-up", "csv-fts5-import", "csv-fts5")))
	}

	// 2. JSON Lines against Casebook's own CSV rate.
	const jsonWork = "JSON Lines import of the same rows (`--defer-index`)"
	if r.have("jsonl-import") && csvRate > 0 {
		s := r.steps["jsonl-import"]
		rate := float64(r.records["jsonl-import"]) / s.wall
		out = append(out, row{jsonWork,
			fmt.Sprintf("%s rows/s (%s s), peak RSS %s", num(rate), num(s.wall), mb(s.rssKB)),
			fmt.Sprintf("Casebook's CSV import: %s rows/s", num(csvRate)),
			ratio(rate / csvRate), "≥ 0.5×", met(rate >= 0.5*csvRate)})
	} else {
		out = append(out, unmeasured(jsonWork, "≥ 0.5×", r.why("jsonl-import", "csv-import")))
	}

	// 3. Index catch-up.
	const catchWork = "index catch-up until every event and cue is searchable (the next open: `casebook search DIR '*'`, after one `import --defer-index` of the log and the transcripts)"
	if r.have("catch-up") {
		s := r.steps["catch-up"]
		out = append(out, row{catchWork,
			fmt.Sprintf("%s s for %s events + %s cues, peak RSS %s (storing both took %s s)", num(s.wall),
				thousands(r.records["store-all/accesslog"]), thousands(r.records["store-all/transcript"]), mb(s.rssKB),
				num(r.steps["store-all"].wall)),
			"—", "—", "≤ 30 s for 1M events + 200k cues", met(s.wall <= 30)})
	} else {
		out = append(out, unmeasured(catchWork, "≤ 30 s", r.why("store-all", "catch-up")))
	}

	// 4. Transcripts against recollindex and an FTS5 build.
	const vttWork = "transcript import: parse, store, index (`casebook import DIR vtt/`)"
	const vttTarget = "≤ 1.0× recollindex wall time"
	if r.have("vtt-import", "recollindex") {
		s, p := r.steps["vtt-import"], r.steps["recollindex"]
		peer := fmt.Sprintf("`recollindex` (.vtt as text/plain, no aspell): %s s, peak RSS %s", num(p.wall), mb(p.rssKB))
		if b, ok := r.metric("BenchmarkFTS5Peer", "build-s"); ok {
			peer += fmt.Sprintf("; SQLite FTS5 build of the same cues: %s s (%.1f× Casebook's speed)", num(b), s.wall/b)
		}
		out = append(out, row{vttWork,
			fmt.Sprintf("%s s for %s files, %s cues (%s cues/s), peak RSS %s", num(s.wall), r.figures["meetings"],
				thousands(r.records["vtt-import"]), num(float64(r.records["vtt-import"])/s.wall), mb(s.rssKB)),
			peer, ratio(s.wall / p.wall), vttTarget, met(s.wall <= p.wall)})
	} else {
		out = append(out, unmeasured(vttWork, vttTarget, r.why("vtt-import", "recollindex")))
	}

	// 5. Search percentiles against FTS5 and ripgrep.
	const searchWork = "search: the 100 queries, one at a time (`BenchmarkSearchQueries`)"
	const searchTarget = "p50 ≤ 2 ms, p95 ≤ FTS5 p95 (end to end)"
	pcts := func(bench, prefix string) (p50, p95, p99 float64, ok bool) {
		var o1, o2, o3 bool
		p50, o1 = r.metric(bench, prefix+"p50-ms")
		p95, o2 = r.metric(bench, prefix+"p95-ms")
		p99, o3 = r.metric(bench, prefix+"p99-ms")
		return p50, p95, p99, o1 && o2 && o3
	}
	e50, e95, e99, eok := pcts("BenchmarkSearchQueries", "engine-")
	s50, s95, s99, sok := pcts("BenchmarkSearchQueries", "")
	f50, f95, f99, fok := pcts("BenchmarkFTS5Peer", "")
	if eok && sok && fok {
		peer := fmt.Sprintf("FTS5 top 10 with snippets: p50 %s / p95 %s / p99 %s ms", num(f50), num(f95), num(f99))
		if g50, g95, g99, ok := pcts("BenchmarkRipgrepPeer", ""); ok {
			peer += fmt.Sprintf("; `rg` over the raw VTT files: p50 %s / p95 %s / p99 %s ms", num(g50), num(g95), num(g99))
		} else {
			peer += "; `rg`: " + r.why("rg")
		}
		out = append(out, row{searchWork,
			fmt.Sprintf("engine only (top 20, exact total): p50 %s / p95 %s / p99 %s ms; end to end (20 hits hydrated, snippets): p50 %s / p95 %s / p99 %s ms",
				num(e50), num(e95), num(e99), num(s50), num(s95), num(s99)),
			peer, "p95 " + ratio(s95/f95) + " FTS5's", searchTarget, met(s50 <= 2, s95 <= f95)})
	} else {
		out = append(out, unmeasured(searchWork, searchTarget, r.why("search", "fts5")))
	}

	// 6. Structured event filters against the same SQL.
	const filterWork = "structured event filters: actor, country, one-week date range, category (`BenchmarkEventFilters`, 20 hits hydrated)"
	if p50, ok := r.metric("BenchmarkEventFilters", "p50-ms"); ok {
		cb := fmt.Sprintf("p50 %s ms", num(p50))
		for _, k := range []string{"actor", "country", "date", "category"} {
			if v, ok := r.metric("BenchmarkEventFilters", k+"-p50-ms"); ok {
				cb += fmt.Sprintf("; %s %s", k, num(v))
			}
		}
		peer, rt := "same SQL on indexed columns: "+r.why("filters-sql"), "—"
		if q50, ok := r.metric("BenchmarkEventFiltersSQL", "p50-ms"); ok {
			peer = fmt.Sprintf("the same filters as SQL (count + 20 rows) on indexed columns of the sqlite3 peer db: p50 %s ms", num(q50))
			for _, k := range []string{"actor", "country", "date", "category"} {
				if v, ok := r.metric("BenchmarkEventFiltersSQL", k+"-p50-ms"); ok {
					peer += fmt.Sprintf("; %s %s", k, num(v))
				}
			}
			rt = ratio(p50 / q50)
		}
		out = append(out, row{filterWork, cb, peer, rt, "p50 ≤ 1 ms", met(p50 <= 1)})
	} else {
		out = append(out, unmeasured(filterWork, "p50 ≤ 1 ms", r.why("filters")))
	}

	// 7. Rules.
	const rulesWork = "rules over the case's events (`casebook rules run`, first run)"
	if r.have("rules") {
		s := r.steps["rules"]
		out = append(out, row{rulesWork,
			fmt.Sprintf("%s s over %s events + %s cues, %s suggestions; peak RSS %s", num(s.wall),
				thousands(r.records["store-all/accesslog"]), thousands(r.records["store-all/transcript"]), thousands(r.rules[0]), mb(s.rssKB)),
			"—", "—", "≤ 10 s for 1M events", met(s.wall <= 10)})
	} else {
		out = append(out, unmeasured(rulesWork, "≤ 10 s", r.why("rules")))
	}

	// 8. PDF.
	const pdfWork = "PDF report, 500 exhibits + 5,000 event rows (`BenchmarkReport500Exhibits`)"
	if ns, ok := r.metric("BenchmarkReport500Exhibits", "ns/op"); ok && r.have("pdf") {
		s := r.steps["pdf"]
		out = append(out, row{pdfWork,
			fmt.Sprintf("%s s; peak RSS %s (the whole test process)", num(ns/1e9), mb(s.rssKB)),
			"—", "—", "≤ 2 s, ≤ 150 MB", met(ns/1e9 <= 2, s.rssKB <= 150e3)})
	} else {
		out = append(out, unmeasured(pdfWork, "≤ 2 s, ≤ 150 MB", r.why("pdf")))
	}

	// 8b. Sealing and verify (issue 16).
	const sealWork = "sealing at import: 200,000 log rows stored (`BenchmarkStoreAccessCSV`) and their seal digests alone (`BenchmarkSealDigests`)"
	store, ok1 := r.metric("BenchmarkStoreAccessCSV", "events/s")
	digest, ok2 := r.metric("BenchmarkSealDigests", "events/s")
	if ok1 && ok2 && r.have("seal-store", "seal-digests") && store > 0 && digest > 0 {
		share := store / digest // the seal's time per event over the import's
		out = append(out, row{sealWork,
			fmt.Sprintf("%s events/s with sealing; digests alone %s events/s, so sealing is %.1f%% of the import's time (≈ %s events/s without it)",
				thousands(int64(store)), thousands(int64(digest)), 100*share, thousands(int64(store/(1-math.Min(share, 0.99))))),
			"—", "—", "≤ 10% of the import", met(share <= 0.10)})
	} else {
		out = append(out, unmeasured(sealWork, "≤ 10% of the import", r.why("seal-store", "seal-digests")))
	}
	const verifyWork = "`casebook verify` on the big case (originals re-hashed, every record against its seal, audit chain, index counts)"
	if r.have("verify") && r.records["verify"] > 0 {
		s := r.steps["verify"]
		per := s.wall / float64(r.records["verify"]) * 1e5
		out = append(out, row{verifyWork,
			fmt.Sprintf("%s s for %s records (%s s per 100,000); peak RSS %s", num(s.wall), thousands(r.records["verify"]), num(per), mb(s.rssKB)),
			"—", "—", "< 1 s per 100,000 records", met(per < 1)})
	} else {
		out = append(out, unmeasured(verifyWork, "< 1 s per 100,000 records", r.why("verify")))
	}
	const deepWork = "`casebook verify --deep` on the big case (also every original parsed again, every index document re-derived)"
	if r.have("verify-deep") && r.records["verify-deep/deep"] > 0 {
		s := r.steps["verify-deep"]
		out = append(out, row{deepWork,
			fmt.Sprintf("%s s: %s records compared field by field, %s index documents; peak RSS %s", num(s.wall),
				thousands(r.records["verify-deep/deep"]), thousands(r.records["verify-deep/index"]), mb(s.rssKB)),
			"—", "—", "—", "—"})
	} else {
		out = append(out, unmeasured(deepWork, "—", r.why("verify-deep")))
	}

	// 8c. The whole case as FollowTheMoney entities (issue 22).
	const ftmWork = "`casebook export --format ftm --what all` on the big case: every event, transcript, person and account as FollowTheMoney entities, one a line"
	if n, ok := r.figure("export-ftm.entities"); ok && r.have("export-ftm") && n > 0 {
		s := r.steps["export-ftm"]
		out = append(out, row{ftmWork,
			fmt.Sprintf("%s entities in %s s (%s entities/s); peak RSS %s", thousands(int64(n)), num(s.wall),
				thousands(int64(n/s.wall)), mb(s.rssKB)),
			"—", "—", "streams: peak RSS < 200 MB", met(s.rssKB < 200e3)})
	} else {
		out = append(out, unmeasured(ftmWork, "streams: peak RSS < 200 MB", r.why("export-ftm")))
	}

	// 9. Idle memory of the window.
	const guiWork = "idle memory, case open: `casebook gui DIR` under Xvfb, VmRSS after the wait"
	if rss, ok := r.figure("gui.rss_kb"); ok {
		cb := fmt.Sprintf("%s after %s s", mb(rss), r.figures["gui.wait"])
		if hwm, ok := r.figure("gui.hwm_kb"); ok {
			cb += fmt.Sprintf(" (peak %s)", mb(hwm))
		}
		if a, ok := r.figure("gui.anon_kb"); ok {
			f, _ := r.figure("gui.file_kb")
			cb += fmt.Sprintf(", of which anonymous %s and file-backed %s (the binary, the GL libraries, the mapped index)", mb(a), mb(f))
		}
		if e, ok := r.figure("gui-empty.rss_kb"); ok {
			cb += fmt.Sprintf("; on an empty case %s", mb(e))
			if a, ok := r.figure("gui-empty.anon_kb"); ok {
				f, _ := r.figure("gui-empty.file_kb")
				cb += fmt.Sprintf(" (anonymous %s, file-backed %s)", mb(a), mb(f))
			}
		}
		out = append(out, row{guiWork, cb, "—", "—", "≤ 200 MB", met(rss <= 200e3)})
	} else {
		out = append(out, unmeasured(guiWork, "≤ 200 MB", r.why("gui")))
	}

	// 10. Growth.
	const growWork = "growth 1× → 2×: access-log CSV import + catch-up, each in a case of its own"
	if r.have("csv-import", "csv-catch-up", "x2-csv-import", "x2-catch-up") {
		t1 := r.steps["csv-import"].wall + r.steps["csv-catch-up"].wall
		t2 := r.steps["x2-csv-import"].wall + r.steps["x2-catch-up"].wall
		m1 := math.Max(r.steps["csv-import"].rssKB, r.steps["csv-catch-up"].rssKB)
		m2 := math.Max(r.steps["x2-csv-import"].rssKB, r.steps["x2-catch-up"].rssKB)
		out = append(out, row{growWork,
			fmt.Sprintf("time %s s → %s s; peak RSS %s → %s (%s → %s events)", num(t1), num(t2), mb(m1), mb(m2),
				thousands(r.records["csv-import"]), thousands(r.records["x2-csv-import"])),
			"—", fmt.Sprintf("time %s, RSS %s", ratio(t2/t1), ratio(m2/m1)), "time ≤ 2.2×, RSS ≤ 1.3×",
			met(t2/t1 <= 2.2, m2/m1 <= 1.3)})
	} else {
		out = append(out, unmeasured(growWork, "time ≤ 2.2×, RSS ≤ 1.3×", r.why("csv-import", "csv-catch-up", "x2-csv-import", "x2-catch-up")))
	}

	// 11. Size on disk.
	if kb, ok := r.figure("du.case"); ok {
		peer := "—"
		if in, ok := r.figure("du.input"); ok {
			peer = fmt.Sprintf("the input files: %s", mb(in))
		}
		if p, ok := r.figure("du.peer"); ok {
			peer += fmt.Sprintf("; the sqlite3 peer db: %s", mb(p))
		}
		if p, ok := r.figure("du.recoll"); ok {
			peer += fmt.Sprintf("; recoll's index: %s", mb(p))
		}
		cb := fmt.Sprintf("%s (the log and the transcripts, caught up)", mb(kb))
		if x1, ok := r.figure("du.case-csv"); ok {
			cb += fmt.Sprintf("; the log alone: %s", mb(x1))
			if x2, ok := r.figure("du.case-x2"); ok {
				cb += fmt.Sprintf(", at 2× %s", mb(x2))
			}
		}
		rt, target, ok := "—", "the log alone ≤ 2× the sqlite3+FTS5 db", "—"
		if x1, ok1 := r.figure("du.case-csv"); ok1 {
			if p, ok2 := r.figure("du.peer-fts"); ok2 && p > 0 {
				peer += fmt.Sprintf("; sqlite3 + FTS5 over every column of the log: %s", mb(p))
				rt, ok = ratio(x1/p)+" (the log alone)", met(x1 <= 2*p)
			}
		}
		out = append(out, row{"case size on disk (`du`)", cb, peer, rt, target, ok})
	}
	return out
}

func (r *results) write(w io.Writer) {
	if strings.HasPrefix(r.figures["label"], "small") {
		fmt.Fprintln(w, "**A small data set: the targets are for the reference size, so the met column means little here.**")
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "| work | Casebook | peer | ratio | target | met |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	rows := r.rows()
	if scale, ok := r.figure("scale"); ok && scale > 1 {
		rows = r.scaleRows(scale, rows)
	}
	for _, x := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", x.work, x.casebook, x.peer, x.ratio, x.target, x.met)
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, notes)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Every timed step, in the order it ran (wall time and peak RSS from `/usr/bin/time -v`; the 1-minute load")
	fmt.Fprintln(w, "average when the step was due and when it started, after waiting for an idle CPU):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| step | wall s | peak RSS | load due → start (waited s) |")
	fmt.Fprintln(w, "|---|---|---|---|")
	seen := map[string]bool{}
	names := append([]string(nil), r.order...)
	var rest []string
	for n := range r.steps {
		rest = append(rest, n)
	}
	sort.Strings(rest)
	names = append(names, rest...)
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		load := "—"
		if f := strings.Fields(r.figures["load."+n]); len(f) == 3 {
			load = fmt.Sprintf("%s → %s (%s)", f[0], f[1], f[2])
		}
		s, ok := r.steps[n]
		switch {
		case ok && s.status == 0:
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", n, num(s.wall), mb(s.rssKB), load)
		case ok:
			fmt.Fprintf(w, "| %s | failed (status %d) | — | %s |\n", n, s.status, load)
		default:
			fmt.Fprintf(w, "| %s | — | — | %s |\n", n, load)
		}
	}
}

// notes say how the rows were measured.
const notes = `How the rows were measured:

- Imports, the catch-up, rules and the window are the real ` + "`casebook`" + ` binary (built with ` + "`-tags migrated_fynedo`" + `),
  timed by ` + "`/usr/bin/time -v`" + ` from process start to exit. A deferred import leaves the index behind: events are
  filterable (and searchable) once the catch-up has run; every command that opens the case runs it first.
- Search, filters and the PDF are Go benchmarks in compiled test binaries (BenchmarkSearchQueries,
  BenchmarkEventFilters, BenchmarkEventFiltersSQL, BenchmarkFTS5Peer, BenchmarkReport500Exhibits); their peak RSS
  is that of the whole test process. Search "engine only" is the Bleve index opened read-only (top 20 with
  match positions and the exact total); "end to end" is casefile Search, which then hydrates the 20 hits from
  SQLite and cuts snippets. The ratio and the targets use the end-to-end figures.
- "Searchable" (issue 15): Casebook's deferred import of the log plus the catch-up of the next open, against
  ` + "`sqlite3`" + `'s ` + "`.import --csv`" + ` into a fresh database plus an FTS5 table over every column built from it
  (steps csv-fts5-import and csv-fts5); the case-size target compares the case holding the log alone with
  that database.
- Peers: sqlite3's ` + "`.import --csv`" + ` into a WAL database (all columns text); recollindex with .vtt mapped to
  text/plain and aspell off, in a temporary RECOLL_CONFDIR; FTS5 is one table of the cue texts built in one
  transaction, queried top 10 by rank with snippet(); ` + "`rg -i -c`" + ` runs each query's FTS5 form over the VTT
  folder (whole words, a phrase as a fixed string, AND and NOT as PCRE2 look-aheads on one line).
`

// scaleRows are the rows of a run at a multiple of the reference size (BENCH_SCALE=10, issue 15): the case
// holding the log and the transcripts, stored and caught up, against sqlite3 + FTS5 over the log, then the
// search and filter rows of the reference table; the rows that run did not measure are left out.
func (r *results) scaleRows(scale float64, all []row) []row {
	const work = "the log and the transcripts at %g× until searchable: `casebook import --defer-index` of both, then the catch-up of the next open (`casebook search DIR '*'`)"
	const target = "peak RSS ≤ 1 GB at 10×; time, size and search p50/p95 recorded"
	var out []row
	if r.have("store-all", "catch-up") {
		s1, s2 := r.steps["store-all"], r.steps["catch-up"]
		t, rss := s1.wall+s2.wall, math.Max(s1.rssKB, s2.rssKB)
		cb := fmt.Sprintf("%s s (store %s s + index %s s) for %s events + %s cues; peak RSS %s", num(t), num(s1.wall),
			num(s2.wall), thousands(r.records["store-all/accesslog"]), thousands(r.records["store-all/transcript"]), mb(rss))
		if a, ok := r.figure("catch-up.anon_kb"); ok {
			f, _ := r.figure("catch-up.file_kb")
			cb += fmt.Sprintf(" (catch-up sampled every 2 s: anonymous at most %s, file-backed — the mapped index — at most %s)", mb(a), mb(f))
		}
		peer, rt := "—", "—"
		if size, ok := r.figure("du.case"); ok {
			cb += fmt.Sprintf("; case size %s", mb(size))
			if p, ok := r.figure("du.peer-fts"); ok && p > 0 {
				rt = ratio(size/p) + " the size"
			}
		}
		if r.have("csv-fts5-import", "csv-fts5") {
			p1, p2 := r.steps["csv-fts5-import"], r.steps["csv-fts5"]
			pt := p1.wall + p2.wall
			peer = fmt.Sprintf("`sqlite3` `.import --csv` + an FTS5 table over every column of the log alone: %s s + %s s = %s s", num(p1.wall), num(p2.wall), num(pt))
			if p, ok := r.figure("du.peer-fts"); ok {
				peer += fmt.Sprintf(", %s", mb(p))
			}
			rt = ratio(pt/t) + " the speed; " + rt
		}
		out = append(out, row{fmt.Sprintf(work, scale), cb, peer, rt, target, met(scale != 10 || rss <= 1e6)})
	} else {
		out = append(out, unmeasured(fmt.Sprintf(work, scale), target, r.why("store-all", "catch-up")))
	}
	for _, x := range all {
		if strings.HasPrefix(x.work, "search:") || strings.HasPrefix(x.work, "structured event filters") {
			out = append(out, x)
		}
	}
	return out
}
