// Command casebook-bench-rg is make bench's ripgrep peer for search: it runs
// each of the generator's queries as one rg over the raw WebVTT files (case
// insensitive, whole words, counting matching lines per file, so every file
// is read to the end) and prints the p50, p95 and p99 wall time of one query
// as Go benchmark metrics, for bench/cmd/casebook-bench-table.
//
//	casebook-bench-rg -data /tmp/casebook-bench -rounds 3
//
// The queries come from the third column of queries.tsv (their SQLite FTS5
// form): a word, a "quoted phrase", "a AND b" (both on one line) or "a NOT b"
// (a on a line without b); the last two need rg's PCRE2 engine (-P).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

func main() {
	data := flag.String("data", "", "the generator's folder (queries.tsv and vtt/)")
	rounds := flag.Int("rounds", 3, "times to run every query")
	rg := flag.String("rg", "rg", "the ripgrep binary")
	flag.Parse()
	if *data == "" || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "casebook-bench-rg: -data is required and -rounds must be at least 1")
		os.Exit(2)
	}
	if err := run(*rg, *data, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "casebook-bench-rg:", err)
		os.Exit(1)
	}
}

func run(rg, data string, rounds int) error {
	queries, err := readQueries(filepath.Join(data, "queries.tsv"))
	if err != nil {
		return err
	}
	vtt := filepath.Join(data, "vtt")
	var lat []time.Duration
	for r := 0; r < rounds; r++ {
		for _, q := range queries {
			args := append([]string{"--no-config", "-i", "-c"}, rgArgs(q)...)
			cmd := exec.Command(rg, append(args, vtt)...)
			cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
			start := time.Now()
			err := cmd.Run()
			d := time.Since(start)
			// rg exits 1 when nothing matches, which is an answer.
			if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
				return fmt.Errorf("rg %s: %w", strings.Join(args, " "), err)
			}
			lat = append(lat, d)
		}
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	fmt.Printf("BenchmarkRipgrepPeer\t%d\t%.3f p50-ms\t%.3f p95-ms\t%.3f p99-ms\t%d queries\n",
		rounds, pct(0.50), pct(0.95), pct(0.99), len(queries))
	return nil
}

func readQueries(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fs := strings.Split(sc.Text(), "\t"); len(fs) >= 3 {
			out = append(out, fs[2])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no queries with an FTS5 column", path)
	}
	return out, nil
}

// rgArgs turns the FTS5 form of a query into rg arguments.
func rgArgs(q string) []string {
	word := func(w string) string { return `\b` + regexp.QuoteMeta(strings.Trim(w, `"`)) + `\b` }
	if a, b, ok := strings.Cut(q, " AND "); ok {
		return []string{"-P", "--", `^(?=.*` + word(a) + `).*` + word(b)}
	}
	if a, b, ok := strings.Cut(q, " NOT "); ok {
		return []string{"-P", "--", `^(?!.*` + word(b) + `).*` + word(a)}
	}
	if strings.HasPrefix(q, `"`) {
		return []string{"-w", "-F", "--", strings.Trim(q, `"`)}
	}
	return []string{"-w", "-F", "--", q}
}
