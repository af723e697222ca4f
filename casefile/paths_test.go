package casefile_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/casefile"
	"casebook/model"
)

// awkwardDir is a folder path with spaces, Latin letters with diacritics, a
// dash, an ampersand, a percent sign (SQLite's URI escape) and CJK: what an
// investigator's own folders look like, and what string-joined or
// URI-unescaped paths would break.
func awkwardDir(t *testing.T, leaf string) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "Fälle & Notizen 100%", leaf)
}

// copyFixture copies a testdata file to dir/name, creating dir.
func copyFixture(t *testing.T, fixture, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPathsWithSpacesAndNonASCIIWorkFromCreateToReport(t *testing.T) {
	ctx := t.Context()
	dir := awkwardDir(t, "Lumora — Ermittlung 数据 2022")
	c, err := casefile.Create(ctx, dir, casefile.CreateOptions{Title: "Lumora", Investigator: "Zoë Ängström"})
	if err != nil {
		t.Fatalf("create %s: %v", dir, err)
	}
	t.Cleanup(func() { c.Close() })
	inbox := filepath.Join(t.TempDir(), "Eingang #1 ü")
	transcript := copyFixture(t, transcriptFixture, inbox, "Sitzung 14. Jänner — 同步.txt")
	access := copyFixture(t, accessFixture, inbox, "Zugriffe (Export) é.csv")
	res := importOK(t, c, casefile.ImportOptions{}, transcript, access)
	if len(res) != 2 || res[0].Records == 0 || res[1].Records == 0 {
		t.Fatalf("import: %+v", res)
	}

	srcs, err := c.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, s := range srcs {
		names[s.Name] = true
		orig := c.OriginalPath(s)
		if rel, err := filepath.Rel(dir, orig); err != nil || strings.HasPrefix(rel, "..") {
			t.Errorf("original of %s is %s, outside the case %s", s.Name, orig, dir)
		}
		if _, err := os.Stat(orig); err != nil {
			t.Errorf("original of %s: %v", s.Name, err)
		}
	}
	for _, want := range []string{filepath.Base(transcript), filepath.Base(access)} {
		if !names[want] {
			t.Errorf("sources %v lack %q", names, want)
		}
	}

	hits, err := c.Search(ctx, casefile.Query{Text: `"master admin"`})
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if hits.Total != 2 {
		t.Fatalf(`"master admin": %d hits, want 2`, hits.Total)
	}
	id, err := model.ParseItemID(hits.Hits[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tag(ctx, id, "key-quote", casefile.TagOptions{Note: "Fälle"}); err != nil {
		t.Fatalf("tag: %v", err)
	}

	c = reopen(t, c, dir)
	if p := verifyProblems(t, c); len(p) != 0 {
		t.Errorf("verify: %v", p)
	}
	again, err := c.Search(ctx, casefile.Query{Text: "tag:key-quote"})
	if err != nil || again.Total != 1 {
		t.Errorf("tag:key-quote after reopening: %d hits, %v", again.Total, err)
	}

	out := filepath.Join(awkwardDir(t, "Berichte März"), "Bericht — 报告.pdf")
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WriteReport(ctx, f, casefile.ReportOptions{Date: time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		f.Close()
		t.Fatalf("report: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(pdfToText(t, pdf)), " ")
	for _, want := range []string{"EX-0001", "master admin", filepath.Base(transcript)} {
		if !strings.Contains(flat, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// holdEnv names the case folder a helper process (this test binary, run
// again) opens and holds until its stdin closes.
const holdEnv = "CASEBOOK_TEST_HOLD_CASE"

// TestPathsHelperHoldsACase is not a test: it is the other Casebook of the
// lock tests. It opens the case named by holdEnv, says "held" on stdout and
// keeps the case open until stdin closes.
func TestPathsHelperHoldsACase(t *testing.T) {
	dir := os.Getenv(holdEnv)
	if dir == "" {
		t.Skip("only run as a helper process")
	}
	c, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	fmt.Println("held")
	_, _ = io.Copy(io.Discard, os.Stdin)
	c.Close()
}

// holder runs the helper on dir and returns once it holds the case. Closing
// stdin lets it close the case and exit.
func holder(t *testing.T, dir string) (*exec.Cmd, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestPathsHelperHoldsACase$", "-test.count=1")
	cmd.Env = append(os.Environ(), holdEnv+"="+dir)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "held" {
		t.Fatalf("helper did not take the case: %q %v", line, err)
	}
	go io.Copy(io.Discard, stdout)
	return cmd, stdin
}

func TestPathsLockErrorNamesTheCaseAndTheOtherProcesssPid(t *testing.T) {
	dir := awkwardDir(t, "Fall Ørsted 案件")
	c, err := casefile.Create(t.Context(), dir, casefile.CreateOptions{Title: "Lock"})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	h, stdin := holder(t, dir)

	began := time.Now()
	_, err = casefile.Open(t.Context(), dir, nil)
	if !errors.Is(err, model.ErrLocked) {
		t.Fatalf("open while another process holds the case: %v, want ErrLocked", err)
	}
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("open waited %v instead of failing at once", d)
	}
	want := fmt.Sprintf("case %s is open in another Casebook (pid %d)", dir, h.Process.Pid)
	if got := strings.TrimSuffix(err.Error(), ": "+model.ErrLocked.Error()); got != want {
		t.Errorf("lock error\n got %q\nwant %q", got, want)
	}

	stdin.Close() // the holder closes the case and exits
	if err := h.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	c, err = casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("open after the other process closed the case: %v", err)
	}
	c.Close()
}

func TestPathsLockIsReleasedWhenTheHolderIsKilled(t *testing.T) {
	dir := awkwardDir(t, "Fall 終了")
	c, err := casefile.Create(t.Context(), dir, casefile.CreateOptions{Title: "Lock"})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	h, _ := holder(t, dir)
	if _, err := casefile.Open(t.Context(), dir, nil); !errors.Is(err, model.ErrLocked) {
		t.Fatalf("open while held: %v, want ErrLocked", err)
	}
	if err := h.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = h.Wait()
	c, err = casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("open after the holder was killed: %v", err)
	}
	c.Close()
}
