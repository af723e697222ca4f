package casefile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

// A file whose bytes are a source already is found before any import
// reads it, with the error the import gives; a file of the same size with
// other bytes, a new file and a missing path are not.
func TestAlreadyInCaseFindsTheSameBytesUnderAnyName(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, accessFixture)
	orig, err := os.ReadFile(accessFixture)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	renamed := filepath.Join(dir, "renamed.csv")
	os.WriteFile(renamed, orig, 0o600)
	sameSize := filepath.Join(dir, "same-size.csv")
	other := append([]byte(nil), orig...)
	other[len(other)-2] ^= 1 // one bit differs
	os.WriteFile(sameSize, other, 0o600)
	fresh := filepath.Join(dir, "fresh.csv")
	os.WriteFile(fresh, append(orig, orig[len(orig)-1]), 0o600)
	missing := filepath.Join(dir, "missing.csv")

	var hashed []string
	dup, err := c.AlreadyInCase(t.Context(), []string{renamed, sameSize, fresh, missing}, func(p casefile.Progress) {
		hashed = append(hashed, filepath.Base(p.File))
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dup) != 1 || dup[renamed] == nil {
		t.Fatalf("already in the case: %v, want only %s", dup, renamed)
	}
	if !errors.Is(dup[renamed], model.ErrDuplicate) || !strings.Contains(dup[renamed].Error(), "already in the case as src-1 (access.csv") {
		t.Errorf("error %q: want a duplicate error naming src-1 (access.csv)", dup[renamed])
	}
	// Only the files of a source's size were read.
	if strings.Join(hashed, ",") != "renamed.csv,same-size.csv" {
		t.Errorf("hashed %v, want renamed.csv and same-size.csv only", hashed)
	}
	// The import refuses it with the same words.
	res, err := c.Import(t.Context(), []string{renamed}, casefile.ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err == nil || res[0].Err.Error() != dup[renamed].Error() {
		t.Errorf("import says %v, the check said %v", res[0].Err, dup[renamed])
	}
}
