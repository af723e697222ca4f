package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"casebook/casefile"
)

// TestSearchBesideAnImportInAnotherProcess: while this test process holds a
// case (as an import in another terminal or the window would) and has
// stored records it has not indexed yet, the real binary searches, exports
// and reports on it read-only, saying so on stderr, and a command that
// would change it is still refused.
func TestSearchBesideAnImportInAnotherProcess(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "held case")
	mustRun(t, "new", dir)
	mustRun(t, "import", dir, fixture("2022-01-14_sync.txt"))
	total := func(r run) int {
		t.Helper()
		var res struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
			t.Fatalf("search --json: %v\n%s", err, r.stdout)
		}
		return res.Total
	}
	indexed := total(mustRun(t, "search", dir, "*", "--json", "--limit", "1"))

	holder, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	res, err := holder.Import(t.Context(), []string{fixture("access.csv")}, casefile.ImportOptions{DeferIndex: true}, nil)
	if err != nil || res[0].Err != nil {
		t.Fatalf("import in the holder: %v %v", err, res[0].Err)
	}
	stored := res[0].Records

	r := mustRun(t, "search", dir, "*", "--json", "--limit", "1")
	if got := total(r); got != indexed {
		t.Fatalf("beside the holder, '*' finds %d items, want the %d its index holds", got, indexed)
	}
	if want := strconv.FormatInt(stored, 10) + " records or changes are not in the index yet"; !strings.Contains(r.stderr, "open in another Casebook") || !strings.Contains(r.stderr, want) {
		t.Fatalf("stderr should say the case is read beside its holder and %q:\n%s", want, r.stderr)
	}
	if out := mustRun(t, "sources", dir, "--json").stdout; !strings.Contains(out, "access.csv") {
		t.Fatalf("sources beside the holder should list what it stored:\n%s", out)
	}
	pdf := filepath.Join(t.TempDir(), "report.pdf")
	mustRun(t, "report", dir, "-o", pdf)
	if b, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("report beside the holder: %v", err)
	}
	if r := casebook(t, "import", dir, fixture("search_sshd_auth.log")); r.code != 1 || !strings.Contains(r.stderr, "open in another Casebook") {
		t.Fatalf("a second writer must still be refused: exit %d\n%s", r.code, r.stderr)
	}

	if err := holder.CatchUp(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	r = mustRun(t, "search", dir, "*", "--json", "--limit", "1")
	if got := total(r); got != indexed+int(stored) {
		t.Fatalf("after the holder caught up, '*' finds %d items, want %d", got, indexed+int(stored))
	}
	if !strings.Contains(r.stderr, "the index holds every record") {
		t.Fatalf("stderr after the catch-up:\n%s", r.stderr)
	}
}
