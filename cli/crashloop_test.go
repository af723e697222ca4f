package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"casebook/casefile"
)

// crashOp is one kind of write the crash loop interrupts.
type crashOp struct {
	name string
	args func(dir, out string) []string
}

// caseCounts is what a case holds, as far as all-or-nothing is concerned.
type caseCounts struct {
	sources, records int64
	tagged           int // confirmed taggings of the crash-tag
	suggested        int // open suggestions across rules
	perRule          map[string]int
	audit            int
}

func readCounts(t *testing.T, dir string) caseCounts {
	t.Helper()
	ctx := context.Background()
	c, err := casefile.Open(ctx, dir, nil)
	if err != nil {
		t.Fatalf("open after kill: %v", err)
	}
	defer c.Close()
	rep, err := c.Verify(ctx, nil)
	if err != nil || !rep.OK {
		t.Fatalf("verify after kill: %v %v", err, rep.Problems)
	}
	var n caseCounts
	srcs, err := c.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		n.sources++
		n.records += s.Records
	}
	total, err := c.Count(ctx, casefile.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if int64(total) != n.records {
		t.Fatalf("index holds %d items, the database %d", total, n.records)
	}
	tags, err := c.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range tags {
		if tg.Name == "kill-tag" {
			n.tagged = tg.Confirmed
		}
		n.suggested += tg.Suggested
	}
	sugg, err := c.Suggestions(ctx, "", "suggested")
	if err != nil {
		t.Fatal(err)
	}
	n.perRule = map[string]int{}
	for _, s := range sugg {
		n.perRule[s.Origin]++
	}
	trail, err := c.AuditTrail(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n.audit = len(trail)
	return n
}

// copyCase copies a closed case folder.
func copyCase(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestKilledAtVariedPointsTheCaseStaysWhole kills the real binary during
// an import, a bulk tagging, a rules run and a report, at offsets spread
// over each operation's own duration, and checks after every kill that the
// case opens, verify passes (originals, audit chain, counts, index), and
// each operation left all of its records or none. 52 kills; 8 with -short.
func TestKilledAtVariedPointsTheCaseStaysWhole(t *testing.T) {
	kills := 52
	if testing.Short() {
		kills = 8
	}
	tmp := t.TempDir()
	base := filepath.Join(tmp, "base")
	mustRun(t, "new", base)
	mustRun(t, "import", base, fixture("2022-01-14_sync.txt"), writeAccessLog(t, 3_000))
	mustRun(t, "tag", base, "crash-tag", "--search", "country:CN") // exhibits for the report
	extra := writeAccessLog(t, 6_000)                              // a different file, for the import op

	ops := []crashOp{
		{"import", func(dir, _ string) []string { return []string{"import", dir, extra} }},
		{"tag", func(dir, _ string) []string { return []string{"tag", dir, "kill-tag", "--search", "country:SG"} }},
		{"rules", func(dir, _ string) []string { return []string{"rules", "run", dir} }},
		{"report", func(dir, out string) []string {
			return []string{"report", dir, "-o", out, "--tags", "crash-tag,foreign-access"}
		}},
	}
	before := readCounts(t, base)

	// One uncut run of each operation: how long it takes and what it leaves.
	type ref struct {
		took  time.Duration
		after caseCounts
	}
	refs := map[string]ref{}
	for _, op := range ops {
		dir := filepath.Join(tmp, "ref-"+op.name)
		copyCase(t, base, dir)
		began := time.Now()
		mustRun(t, op.args(dir, filepath.Join(tmp, "ref.pdf"))...)
		refs[op.name] = ref{time.Since(began), readCounts(t, dir)}
		t.Logf("%s: %v uncut", op.name, refs[op.name].took.Round(time.Millisecond))
	}

	outcomes := map[string][2]int{} // op → [killed before the commit, completed]
	for i := 0; i < kills; i++ {
		op := ops[i%len(ops)]
		dir := filepath.Join(tmp, fmt.Sprintf("kill-%02d", i))
		copyCase(t, base, dir)
		start := before
		// Offsets spread from the start to just past the end of the run.
		frac := float64((i*37)%101) / 90
		delay := time.Duration(frac * float64(refs[op.name].took))
		out := filepath.Join(dir+"-out", "report.pdf")
		os.MkdirAll(filepath.Dir(out), 0o700)
		cmd := exec.Command(bin, op.args(dir, out)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		got := readCounts(t, dir)
		want := refs[op.name].after
		done := false
		switch op.name {
		case "import":
			done = got.sources == want.sources
			if !done && (got.sources != start.sources || got.records != start.records) {
				t.Fatalf("kill %d (%s after %v): %d sources / %d records, neither before (%d/%d) nor after (%d/%d)",
					i, op.name, delay, got.sources, got.records, start.sources, start.records, want.sources, want.records)
			}
			if done && got.records != want.records {
				t.Fatalf("kill %d (%s): %d records, want %d", i, op.name, got.records, want.records)
			}
		case "tag":
			done = got.tagged == want.tagged
			if !done && got.tagged != 0 {
				t.Fatalf("kill %d (tag after %v): %d of %d items tagged", i, delay, got.tagged, want.tagged)
			}
		case "rules":
			// Each rule commits on its own: every rule has all of its
			// suggestions or none.
			done = true
			for rule, n := range got.perRule {
				if n != want.perRule[rule] {
					t.Fatalf("kill %d (rules after %v): rule %s left %d of %d suggestions", i, delay, rule, n, want.perRule[rule])
				}
			}
			done = len(got.perRule) == len(want.perRule)
		case "report":
			b, err := os.ReadFile(out)
			switch {
			case os.IsNotExist(err):
			case err != nil:
				t.Fatal(err)
			case !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[max(0, len(b)-32):], []byte("%%EOF")):
				t.Fatalf("kill %d (report after %v): a partial PDF of %d bytes at the output path", i, delay, len(b))
			default:
				done = true
			}
			if got.records != start.records || got.tagged != start.tagged {
				t.Fatalf("kill %d (report): the case changed", i)
			}
		}
		o := outcomes[op.name]
		if done {
			o[1]++
		} else {
			o[0]++
		}
		outcomes[op.name] = o
		os.RemoveAll(dir)
	}
	for _, op := range ops {
		t.Logf("%s: %d killed before the commit, %d completed", op.name, outcomes[op.name][0], outcomes[op.name][1])
	}
}
