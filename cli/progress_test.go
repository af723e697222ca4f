//go:build !windows

package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// accessLogHeader is the header of the generated logs: the columns of the
// fixture access.csv, which import recognises without a mapping.
const accessLogHeader = "timestamp,employee_id,employee_name,office,office_country,source_ip,action,system,resource," +
	"data_category,subject_region,record_count,approval_id,approver,approver_country,purpose\n"

// writeVaultLog writes a fictional Lumora access log of n rows to a new
// file in dir: big enough, for large n, that an import is still running
// when the test interrupts it.
func writeVaultLog(t *testing.T, dir, name string, n int) string {
	t.Helper()
	people := []struct{ id, name, office, country, ip string }{
		{"E1042", "Wei Zhang", "Beijing", "CN", "203.0.113.14"},
		{"E2001", "Mia Chen", "Austin", "US", "198.51.100.7"},
		{"E3107", "Ines Moreau", "Lyon", "FR", "192.0.2.33"},
		{"E4410", "Tomas Berg", "Harbour Office", "NO", "198.51.100.90"},
	}
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(accessLogHeader)
	start := time.Date(2022, 1, 3, 8, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		p := people[i%len(people)]
		fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s,read,UserVault,us_users.phone,phone,US,%d,,,,nightly review %d\n",
			start.Add(time.Duration(i)*37*time.Second).Format(time.RFC3339), p.id, p.name, p.office, p.country, p.ip, 1+i%900, i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// ptyRun is a run of the binary whose standard error is a pseudo-terminal
// (standard output stays a pipe, as when it is redirected to a file).
type ptyRun struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	mu     sync.Mutex
	stderr bytes.Buffer
	read   chan struct{}
}

// startPTY starts casebook with stderr on a new 120×40 pseudo-terminal.
func startPTY(t *testing.T, args ...string) *ptyRun {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 120}); err != nil {
		t.Fatal(err)
	}
	r := &ptyRun{cmd: exec.Command(bin, args...), read: make(chan struct{})}
	r.cmd.Stdout, r.cmd.Stderr = &r.stdout, tty
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	go func() {
		defer close(r.read)
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			r.mu.Lock()
			r.stderr.Write(buf[:n])
			r.mu.Unlock()
			if err != nil { // EIO once the last writer has gone
				ptmx.Close()
				return
			}
		}
	}()
	return r
}

// seen returns what the terminal has shown so far.
func (r *ptyRun) seen() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stderr.String()
}

// wait waits for the run to end and returns its exit code.
func (r *ptyRun) wait(t *testing.T) int {
	t.Helper()
	err := r.cmd.Wait()
	select {
	case <-r.read:
	case <-time.After(10 * time.Second):
		t.Fatal("the terminal was not closed after the run")
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0
}

func runPTY(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	r := startPTY(t, args...)
	code = r.wait(t)
	return r.stdout.String(), r.seen(), code
}

// frames splits what a terminal was sent into the frames mpb drew: each
// redraw moves the cursor up (ESC [ nA) and clears (ESC [ J) first.
func frames(s string) []string {
	return regexp.MustCompile(`\x1b\[\d*A\x1b\[J`).Split(s, -1)
}

// secondsColumn masks the SECONDS column of import's table, the one part
// of its standard output that differs from run to run.
var secondsColumn = regexp.MustCompile(`(?m)  \d+\.\d\d  `)

func TestProgressFramesOnATerminalForAnImportAndACatchUp(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--title", "Lumora inquiry", "--investigator", "Tess Tester")
	log := writeVaultLog(t, t.TempDir(), "vault-jan.csv", 12000)

	stdout, stderr, code := runPTY(t, "import", dir, log)
	if code != 0 {
		t.Fatalf("import under a terminal: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "\x1b[") {
		t.Errorf("import under a terminal drew no progress (no escape codes):\n%q", stderr)
	}
	var importFrames, indexFrames int
	for _, f := range frames(stderr) {
		if regexp.MustCompile(`import vault-jan\.csv .* of 1\.\d MiB .*[\d,]+ records .*\d+ rejects`).MatchString(f) {
			importFrames++
		}
		if regexp.MustCompile(`indexing .*[\d,]+ of 12,000`).MatchString(f) {
			indexFrames++
		}
	}
	if importFrames == 0 || indexFrames == 0 {
		t.Errorf("import: %d frames of the file's bytes and records, %d of indexing; want both:\n%q", importFrames, indexFrames, stderr)
	}
	if !strings.Contains(stderr, "12,000 of 12,000") {
		t.Errorf("the last indexing frame does not show every record indexed:\n%q", stderr)
	}
	// Standard output is the table, as without a terminal.
	if !strings.HasPrefix(stdout, "FILE ") || !strings.Contains(stdout, "vault-jan.csv") || strings.Contains(stdout, "\x1b") {
		t.Errorf("import's standard output under a terminal:\n%q", stdout)
	}

	// A deferred import leaves the index behind; the next command that
	// opens the case catches it up, with progress.
	feb := writeVaultLog(t, t.TempDir(), "vault-feb.csv", 9000)
	mustRun(t, "import", dir, feb, "--defer-index")
	_, stderr, code = runPTY(t, "sources", dir)
	if code != 0 {
		t.Fatalf("sources after a deferred import: exit %d\n%s", code, stderr)
	}
	caught := 0
	for _, f := range frames(stderr) {
		if regexp.MustCompile(`indexing .*[\d,]+ of 9,000`).MatchString(f) {
			caught++
		}
	}
	if caught == 0 {
		t.Errorf("the catch-up on open drew no indexing frames:\n%q", stderr)
	}
	if r := mustRun(t, "verify", dir, "--json"); !strings.Contains(r.stdout, `"ok": true`) {
		t.Errorf("verify after the catch-up:\n%s", r.stdout)
	}
}

func TestNoProgressWithoutATerminalQuietOrJSON(t *testing.T) {
	logs := t.TempDir()
	log := writeVaultLog(t, logs, "vault-mar.csv", 6000)
	newCase := func(name string) string {
		dir := filepath.Join(t.TempDir(), name)
		mustRun(t, "new", dir, "--title", "Lumora inquiry", "--investigator", "Tess Tester")
		return dir
	}

	// Not a terminal: nothing on stderr at all, and the same table as with
	// --quiet.
	piped := casebook(t, "import", newCase("piped"), log)
	quiet := casebook(t, "import", newCase("quiet"), log, "--quiet")
	if piped.code != 0 || quiet.code != 0 {
		t.Fatalf("imports: exit %d and %d\n%s%s", piped.code, quiet.code, piped.stderr, quiet.stderr)
	}
	if piped.stderr != "" || quiet.stderr != "" {
		t.Errorf("stderr of an import that is not on a terminal: %q, with --quiet %q", piped.stderr, quiet.stderr)
	}
	// The cases are alike but for the folder, so the tables match once the
	// timing column is masked.
	mask := func(s string) string { return secondsColumn.ReplaceAllString(s, "  S  ") }
	if mask(piped.stdout) != mask(quiet.stdout) || !strings.Contains(piped.stdout, "6000") {
		t.Errorf("import's stdout differs between piped and --quiet:\n%s\n%s", piped.stdout, quiet.stdout)
	}

	// On a terminal: --quiet and --json draw nothing, and standard output
	// is byte for byte what it is without a terminal.
	dir := newCase("searched")
	mustRun(t, "import", dir, log)
	for _, args := range [][]string{
		{"search", dir, "review", "--all"},
		{"search", dir, "review", "--all", "--json"},
		{"export", dir, "--format", "jsonl", "--what", "events", "-o", "-"},
		{"sources", dir, "--json"},
	} {
		want := mustRun(t, args...)
		if want.stderr != "" || strings.Contains(want.stdout, "\x1b") {
			t.Errorf("casebook %s without a terminal wrote stderr %q", strings.Join(args, " "), want.stderr)
		}
		for _, extra := range [][]string{{"--quiet"}, nil} {
			if extra == nil && !strings.Contains(strings.Join(args, " "), "--json") {
				continue // without --quiet or --json a terminal shows progress
			}
			stdout, stderr, code := runPTY(t, append(append([]string{}, args...), extra...)...)
			if code != 0 {
				t.Fatalf("casebook %s %v under a terminal: exit %d\n%s", strings.Join(args, " "), extra, code, stderr)
			}
			if stderr != "" {
				t.Errorf("casebook %s %v under a terminal wrote to stderr: %q", strings.Join(args, " "), extra, stderr)
			}
			if stdout != want.stdout {
				t.Errorf("casebook %s %v: stdout under a terminal differs from stdout without one", strings.Join(args, " "), extra)
			}
		}
	}
	// With progress on the terminal, search --all's hits in a file are the
	// same bytes.
	stdout, stderr, code := runPTY(t, "search", dir, "review", "--all")
	if code != 0 || stdout != mustRun(t, "search", dir, "review", "--all").stdout {
		t.Errorf("search --all with progress: exit %d, stdout differs (%d bytes)", code, len(stdout))
	}
	if !strings.Contains(stderr, "search --all") || !strings.Contains(stderr, "6,000") {
		t.Errorf("search --all to a file drew no progress on the terminal:\n%q", stderr)
	}
}

func TestPlainProgressIsLinesWithoutEscapeCodes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--title", "Lumora inquiry", "--investigator", "Tess Tester")
	log := writeVaultLog(t, t.TempDir(), "vault-apr.csv", 90000)
	began := time.Now()
	r := casebook(t, "import", dir, log, "--defer-index", "--progress=plain")
	took := time.Since(began)
	if r.code != 0 {
		t.Fatalf("import --progress=plain: exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "\x1b") || strings.Contains(r.stderr, "\r") {
		t.Errorf("--progress=plain wrote terminal codes: %q", r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	line := regexp.MustCompile(`^casebook: import vault-apr\.csv · [\d.]+ [KM]iB of [\d.]+ MiB \(\d+%\) · [\d,]+ records · 0 rejects`)
	if took > 4*time.Second {
		if len(lines) == 0 || !line.MatchString(lines[0]) {
			t.Errorf("an import of %v printed no plain progress line:\n%s", took, r.stderr)
		}
		if max := int(took/(3*time.Second)) + 1; len(lines) > max {
			t.Errorf("%d plain lines in %v: more than one every 3 s", len(lines), took)
		}
	}
	for _, l := range lines {
		if l != "" && !line.MatchString(l) {
			t.Errorf("not a progress line: %q", l)
		}
	}
	if !strings.Contains(r.stdout, "90000") {
		t.Errorf("import's table:\n%s", r.stdout)
	}
}

// caseState is what an interrupted import must leave as it was, as
// verify reports it (verify's own audit entry follows its count: the next
// verify counts one more).
type caseState struct {
	sources, audit, records int
	originals               []string
}

func readCaseState(t *testing.T, dir string) caseState {
	t.Helper()
	r := mustRun(t, "verify", dir, "--json")
	var v struct {
		OK      bool `json:"ok"`
		Sources int  `json:"sources"`
		Audit   int  `json:"audit_entries"`
		Records int  `json:"records_checked"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatal(err)
	}
	if !v.OK {
		t.Fatalf("verify is not ok:\n%s", r.stdout)
	}
	var origs []string
	filepath.WalkDir(filepath.Join(dir, "originals"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			origs = append(origs, filepath.Base(p))
		}
		return nil
	})
	return caseState{v.Sources, v.Audit, v.Records, origs}
}

// interruptImport starts an import of a large log under a terminal, waits
// until it has stored records, and sends SIGINT count times.
func interruptImport(t *testing.T, dir, log string, count int) (stderr string, code int, after time.Duration) {
	t.Helper()
	r := startPTY(t, "import", dir, log)
	storing := regexp.MustCompile(`[1-9][\d,]* records`)
	deadline := time.Now().Add(60 * time.Second)
	for !storing.MatchString(r.seen()) {
		if time.Now().After(deadline) {
			r.cmd.Process.Kill()
			t.Fatalf("the import showed no stored records in 60 s:\n%q", r.seen())
		}
		time.Sleep(20 * time.Millisecond)
	}
	sent := time.Now()
	for i := 0; i < count; i++ {
		if err := r.cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // well within the two seconds
	}
	code = r.wait(t)
	return r.seen(), code, time.Since(sent)
}

func TestCtrlCDuringAnImportRollsBackTheFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--title", "Lumora inquiry", "--investigator", "Tess Tester")
	mustRun(t, "import", dir, fixture("access.csv"))
	before := readCaseState(t, dir)
	log := writeVaultLog(t, t.TempDir(), "vault-2022.csv", 250000)

	stderr, code, _ := interruptImport(t, dir, log, 1)
	if code != 1 {
		t.Errorf("an interrupted import exits %d, want 1:\n%q", code, stderr)
	}
	last := lastLine(stderr)
	if !strings.HasPrefix(last, "casebook import: cancelled: ") || !strings.Contains(last, "vault-2022.csv rolled back") {
		t.Errorf("the last line does not say the import was cancelled: %q", last)
	}
	if strings.Contains(stderr, "30.9 MiB of 30.9 MiB") || !strings.Contains(stderr, "cancelling…") {
		t.Errorf("the bar does not show the import as it stopped, cancelling:\n%q", stderr)
	}
	if n := strings.Count(stderr, "casebook import:"); n != 1 {
		t.Errorf("%d error lines, want one:\n%q", n, stderr)
	}
	before.audit++ // the verify that read it
	if after := readCaseState(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the interrupted import changed the case:\nbefore %+v\nafter  %+v", before, after)
	}

	// Twice within two seconds: out at once, with 130, and the case whole.
	stderr, code, took := interruptImport(t, dir, log, 2)
	if code != 130 {
		t.Errorf("a second Ctrl+C exits %d, want 130:\n%q", code, stderr)
	}
	if took > 5*time.Second {
		t.Errorf("a second Ctrl+C took %v to end casebook", took)
	}
	if !strings.Contains(lastLine(stderr), "quit at once") {
		t.Errorf("the last line does not say casebook quit at once: %q", lastLine(stderr))
	}
	before.audit++
	if after := readCaseState(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("quitting at once changed the case:\nbefore %+v\nafter  %+v", before, after)
	}
}

// lastLine is the last line a terminal showed, with the redraws of the
// bars and its carriage returns taken out.
func lastLine(s string) string {
	f := frames(s)
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(f[len(f)-1], "\r", "")), "\n")
	return lines[len(lines)-1]
}
