package cli_test

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReportAndExportsFromTheCommandLine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--title", "Export test")
	mustRun(t, "import", dir, fixture("2022-01-14_sync.txt"), fixture("access.csv"))
	mustRun(t, "tag", dir, "evt-1", "foreign-access", "--note", "Beijing read of US phone numbers")
	mustRun(t, "tag", dir, "seg-4", "key-quote")
	pdf := filepath.Join(t.TempDir(), "report.pdf")
	r := mustRun(t, "report", dir, "-o", pdf, "--date", "2022-11-01", "--bates", "LUM", "--marking", "CONFIDENTIAL")
	if !strings.Contains(r.stdout, "wrote") {
		t.Errorf("report: %q", r.stdout)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command("pdftotext", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"EX-0001", "EX-0002", "LUM-000001", "Beijing read of US phone numbers"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("report text lacks %q", want)
			}
		}
	}
	csvPath := filepath.Join(t.TempDir(), "evidence.csv")
	mustRun(t, "export", dir, "--format", "csv", "--what", "evidence", "-o", csvPath)
	f, _ := os.Open(csvPath)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 3 || rows[0][0] != "exhibit" || rows[1][0] != "EX-0001" {
		t.Errorf("evidence csv: %v %v", rows, err)
	}
	r = mustRun(t, "export", dir, "--format", "jsonl", "--what", "events", "-o", "-")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	var first map[string]string
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first["id"] != "evt-1" || first["raw"] == "" {
		t.Errorf("events jsonl: %s (%v)", lines[0], err)
	}
	if want := countDataRows(t, fixture("access.csv")); len(lines) != want {
		t.Errorf("events jsonl: %d lines, want %d", len(lines), want)
	}
	ftm := filepath.Join(t.TempDir(), "case.ftm.json")
	mustRun(t, "export", dir, "--format", "ftm", "-o", ftm)
	f, _ = os.Open(ftm)
	schemas := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e struct {
			ID, Schema string
			Properties map[string][]string
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.ID == "" {
			t.Fatalf("ftm line %q: %v", sc.Text(), err)
		}
		schemas[e.Schema]++
	}
	f.Close()
	if schemas["Document"] != 2 || schemas["Event"] != 1 || schemas["Mention"] != 1 || schemas["Person"] != 1 { // Wei Zhang speaks in seg-4 and acts in evt-1: one person
		t.Errorf("ftm entities by schema: %v", schemas)
	}
}

func countDataRows(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(strings.TrimSpace(string(b)), "\n")
}

func TestReportAndExportRefuseToReplaceAFileWithoutForce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--title", "Overwrite test")
	mustRun(t, "import", dir, fixture("access.csv"))
	out := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"report.pdf", []string{"report", dir, "--date", "2022-11-01", "-o"}},
		{"events.csv", []string{"export", dir, "--format", "csv", "--what", "events", "-o"}},
	} {
		path := filepath.Join(out, tc.name)
		if err := os.WriteFile(path, []byte("the investigator's earlier file"), 0o600); err != nil {
			t.Fatal(err)
		}
		r := casebook(t, append(tc.args, path)...)
		dated := strings.TrimSuffix(tc.name, filepath.Ext(tc.name)) + "-" + time.Now().Format(time.DateOnly) + filepath.Ext(tc.name)
		if r.code == 0 || !strings.Contains(r.stderr, "exists") || !strings.Contains(r.stderr, dated) ||
			!strings.Contains(r.stderr, "--force") {
			t.Errorf("%s over an existing file: exit %d, %q; want a refusal naming %s and --force", tc.args[0], r.code, r.stderr, dated)
		}
		if b, _ := os.ReadFile(path); string(b) != "the investigator's earlier file" {
			t.Errorf("%s without --force changed the existing file", tc.args[0])
		}
		mustRun(t, append(append(tc.args, path), "--force")...)
		if b, _ := os.ReadFile(path); string(b) == "the investigator's earlier file" {
			t.Errorf("%s --force left the old file", tc.args[0])
		}
	}
}
