package casefile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/casefile"
)

func TestANewOutputNameIsDatedAndNumberedPastTakenFiles(t *testing.T) {
	dir := t.TempDir()
	day := time.Date(2024, 5, 1, 15, 0, 0, 0, time.UTC)
	report := filepath.Join(dir, "lumora-report.pdf")
	ftm := filepath.Join(dir, "lumora-ftm.ftm.json")
	if err := casefile.CheckNewOutput(report, day); err != nil {
		t.Errorf("a free path was refused: %v", err)
	}
	for _, p := range []string{report, ftm} {
		if err := os.WriteFile(p, []byte("earlier"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	err := casefile.CheckNewOutput(report, day)
	want := filepath.Join(dir, "lumora-report-2024-05-01.pdf")
	if !errors.Is(err, casefile.ErrOutputExists) || !strings.Contains(err.Error(), want) {
		t.Errorf("an existing report gave %v, want ErrOutputExists naming %s", err, want)
	}
	if got := casefile.DatedName(ftm, day); got != filepath.Join(dir, "lumora-ftm-2024-05-01.ftm.json") {
		t.Errorf("the FollowTheMoney export would be renamed %s", got)
	}
	if err := os.WriteFile(want, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	next := casefile.DatedName(report, day)
	if next != filepath.Join(dir, "lumora-report-2024-05-01-2.pdf") {
		t.Errorf("with the dated name taken, the next is %s", next)
	}
	if again := casefile.DatedName(want, day); again != next {
		t.Errorf("a dated name is dated twice: %s, want %s", again, next)
	}
	if b, _ := os.ReadFile(report); string(b) != "earlier" {
		t.Error("checking changed the existing file")
	}
}
