// Command testsummary reads the event stream of `go test -json` on standard
// input, prints what a plain `go test` would print for packages (their ok/FAIL
// lines, build errors) and the whole output of every failed test, and ends
// with one line counting packages and tests. It exits 1 when any package
// failed to build or any test failed, so `make test` needs no pipefail.
//
// With -o FILE it also appends that closing line to FILE, where `make test`
// gathers the summary of every step it ran.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string
	FailedBuild string
}

// tally is what the stream held, by outcome.
type tally struct {
	packages, pkgFailed, noTests int
	passed, failed, skipped      int
	subtests                     int
	failedNames                  []string
	buildFailed                  []string
	// Packages whose binary failed although none of their tests did (a
	// crash after the tests, or "Test I/O incomplete" when a process it
	// started kept its output open).
	pkgFailedAlone []string
	testFailedIn   map[string]bool
}

func main() {
	out := flag.String("o", "", "append the closing summary line to this file")
	label := flag.String("label", "tests", "the name of this step in the summary")
	flag.Parse()
	t, err := summarise(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(1)
	}
	line := t.line(*label)
	fmt.Println(line)
	if *out != "" {
		f, err := os.OpenFile(*out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintln(f, line)
			err = f.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "testsummary:", err)
			os.Exit(1)
		}
	}
	if t.failed > 0 || t.pkgFailed > 0 || len(t.buildFailed) > 0 {
		os.Exit(1)
	}
}

// summarise copies the interesting output from r to w and counts outcomes.
// Output of a test is held until the test ends and printed only if it failed.
func summarise(r io.Reader, w io.Writer) (tally, error) {
	var t tally
	held := map[string][]string{}  // package + "\x00" + test → its output lines
	build := map[string][]string{} // ImportPath → build output
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil || e.Action == "" {
			// Not an event: go test prints some errors (setup, vet) as plain text.
			fmt.Fprintln(w, string(line))
			continue
		}
		key := e.Package + "\x00" + e.Test
		switch e.Action {
		case "build-output":
			build[e.ImportPath] = append(build[e.ImportPath], e.Output)
		case "build-fail":
			t.buildFailed = append(t.buildFailed, e.ImportPath)
			fmt.Fprint(w, strings.Join(build[e.ImportPath], ""))
		case "output":
			if e.Test == "" {
				// Package lines: "ok  pkg 1.2s", "FAIL pkg", "--- FAIL" headers of a panic.
				if !strings.HasPrefix(e.Output, "=== ") && e.Output != "PASS\n" && e.Output != "FAIL\n" {
					fmt.Fprint(w, e.Output)
				}
				continue
			}
			held[key] = append(held[key], e.Output)
		case "pass", "fail", "skip":
			if e.Test == "" {
				t.packages++
				if e.Action == "fail" {
					t.pkgFailed++
					if !t.testFailedIn[e.Package] && !slices.Contains(t.buildFailed, e.Package) {
						t.pkgFailedAlone = append(t.pkgFailedAlone, e.Package)
					}
				}
				if e.Action == "skip" {
					t.noTests++
				}
				continue
			}
			if strings.Contains(e.Test, "/") {
				// A subtest: counted on its own, its failure fails its parent too.
				t.subtests++
				if e.Action == "fail" {
					fmt.Fprint(w, strings.Join(held[key], ""))
				}
				delete(held, key)
				continue
			}
			switch e.Action {
			case "pass":
				t.passed++
			case "skip":
				t.skipped++
			case "fail":
				t.failed++
				t.failedNames = append(t.failedNames, e.Package+" "+e.Test)
				if t.testFailedIn == nil {
					t.testFailedIn = map[string]bool{}
				}
				t.testFailedIn[e.Package] = true
				fmt.Fprint(w, strings.Join(held[key], ""))
			}
			delete(held, key)
		}
	}
	return t, sc.Err()
}

// line renders the tally as the one summary line of a step.
func (t tally) line(label string) string {
	s := fmt.Sprintf("%s: %d packages (%d without tests), %d tests passed (with %d subtests), %d skipped, %d failed",
		label, t.packages, t.noTests, t.passed, t.subtests, t.skipped, t.failed)
	if len(t.buildFailed) > 0 {
		sort.Strings(t.buildFailed)
		s += "; build failed: " + strings.Join(t.buildFailed, ", ")
	}
	if len(t.failedNames) > 0 {
		s += "; failed: " + strings.Join(t.failedNames, ", ")
	}
	if len(t.pkgFailedAlone) > 0 {
		s += "; failed with no test failing (see its output above): " + strings.Join(t.pkgFailedAlone, ", ")
	}
	return s
}
