package casefile_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

// fingerprint lists every file under dir with its size, mode and time, to
// show that nothing was written.
func fingerprint(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if fi.IsDir() {
			out[rel] = fmt.Sprintf("dir %v", fi.Mode())
		} else {
			out[rel] = fmt.Sprintf("%d %v %d", fi.Size(), fi.Mode(), fi.ModTime().UnixNano())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffFingerprints(t *testing.T, before, after map[string]string) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed: %q → %q", k, v, after[k])
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("%s appeared", k)
		}
	}
}

// closedCase makes a case with both fixtures, closes it, and returns its
// folder and what a search for everything finds.
func closedCase(t *testing.T) (string, uint64) {
	t.Helper()
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture)
	total := searchTotal(t, c)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, total
}

// assertRefusesChanges tries the kinds of change a case takes and wants each
// refused, naming the case as read-only.
func assertRefusesChanges(t *testing.T, c *casefile.Case, dir string) {
	t.Helper()
	ctx := t.Context()
	_, err := c.Import(ctx, []string{accessFixture}, casefile.ImportOptions{}, nil)
	check := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: a read-only case took the change", what)
			return
		}
		if !errors.Is(err, casefile.ErrReadOnly) || !strings.Contains(err.Error(), "case "+dir+" is read-only") ||
			strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %q, want one line saying the case is read-only", what, err)
		}
	}
	check("import", err)
	_, err = c.Tag(ctx, model.ItemID{Kind: model.ItemSegment, N: 1}, "opening", casefile.TagOptions{})
	check("tag", err)
	check("policy", c.SetPolicy(ctx, casefile.DefaultPolicy()))
	_, err = c.AddStatement(ctx, "A. Spokesperson", "2022-03-01", "We have strict controls.", "")
	check("statement", err)
	_, err = c.RunRules(ctx)
	check("rules run", err)
	check("reindex", c.Reindex(ctx, nil))
}

func TestAReadOnlyOpenSearchesAndVerifiesButRefusesEveryChange(t *testing.T) {
	dir, total := closedCase(t)
	before := fingerprint(t, dir)
	c, err := casefile.OpenReadOnly(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("open read-only: %v", err)
	}
	defer c.Close()
	if ro, why := c.ReadOnly(); !ro || why == "" {
		t.Errorf("ReadOnly() = %v, %q", ro, why)
	}
	if got := searchTotal(t, c); got != total {
		t.Errorf("search: %d items, want %d", got, total)
	}
	if r, err := c.Search(t.Context(), casefile.Query{Text: `"master admin"`}); err != nil || r.Total == 0 {
		t.Errorf("search a phrase: %v, %d hits", err, r.Total)
	}
	if p := verifyProblems(t, c); len(p) != 0 {
		t.Errorf("verify: %v", p)
	}
	// Whatever leaves the desk is recorded in the audit trail, which a
	// read-only case cannot write: a report is refused, and no file is left.
	out := t.TempDir()
	if err := c.WriteReportFile(t.Context(), filepath.Join(out, "r.pdf"), casefile.ReportOptions{}); !errors.Is(err, casefile.ErrReadOnly) {
		t.Errorf("report from a read-only case: %v, want ErrReadOnly", err)
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("a refused report left %v", left)
	}
	assertRefusesChanges(t, c, dir)
	// What the case holds can still be listed: tags, rules, the review queue.
	if _, err := c.Tags(t.Context()); err != nil {
		t.Errorf("tags of a read-only case: %v", err)
	}
	if rules, err := c.Rules(t.Context()); err != nil || len(rules) == 0 {
		t.Errorf("rules of a read-only case: %d, %v", len(rules), err)
	}
	if _, err := c.Suggestions(t.Context(), "", "suggested"); err != nil {
		t.Errorf("suggestions of a read-only case: %v", err)
	}
	if _, err := c.ReviewQueue(t.Context(), "suggested"); err != nil {
		t.Errorf("review queue of a read-only case: %v", err)
	}
	if _, err := c.OpenSuggestionCounts(t.Context()); err != nil {
		t.Errorf("open suggestion counts of a read-only case: %v", err)
	}
	// A read-only case can still be packed (its snapshot goes to a private
	// temporary folder), and the pack unpacks into a case that verifies.
	var buf bytes.Buffer
	if _, err := c.Pack(t.Context(), &buf, casefile.PackOptions{}); err != nil {
		t.Errorf("pack a read-only case: %v", err)
	} else if _, err := casefile.Unpack(t.Context(), &buf, filepath.Join(t.TempDir(), "copy"), casefile.UnpackOptions{}); err != nil {
		t.Errorf("unpack the pack of a read-only case: %v", err)
	}
	// The case is still locked against a writer meanwhile.
	if _, err := casefile.Open(t.Context(), dir, nil); !errors.Is(err, model.ErrLocked) {
		t.Errorf("a writable open beside a read-only one: %v, want ErrLocked", err)
	}
	c.Close()
	diffFingerprints(t, before, fingerprint(t, dir))

	// A case open for writing is read beside its writer (issue 15; see
	// readbeside_test.go): read-only, saying why.
	w := reopen2(t, dir)
	r, err := casefile.OpenReadOnly(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("a read-only open beside a writer: %v", err)
	}
	if ro, why := r.ReadOnly(); !ro || !r.ReadingBeside() || !strings.Contains(why, "open in another Casebook") {
		t.Errorf("a read-only open beside a writer: read-only %v, beside %v, why %q", ro, r.ReadingBeside(), why)
	}
	r.Close()
	w.Close()
}

func TestAReadOnlyOpenBuildsAMissingIndexInMemory(t *testing.T) {
	dir, total := closedCase(t)
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, dir)
	c, err := casefile.OpenReadOnly(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("open read-only: %v", err)
	}
	if got := searchTotal(t, c); got != total {
		t.Errorf("search over the in-memory index: %d items, want %d", got, total)
	}
	if p := verifyProblems(t, c); len(p) != 0 {
		t.Errorf("verify: %v", p)
	}
	c.Close()
	diffFingerprints(t, before, fingerprint(t, dir))
}
