//go:build unix

package casefile_test

import (
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"casebook/casefile"
)

// makeReadOnly makes the case folder unwritable and says how. Root writes
// through permission bits, so as root the folder becomes a read-only bind
// mount of itself (undone when the test ends); otherwise everything in it
// loses its write bits (restored when the test ends).
func makeReadOnly(t *testing.T, dir string) string {
	t.Helper()
	if os.Geteuid() == 0 {
		if out, err := exec.Command("mount", "--bind", dir, dir).CombinedOutput(); err != nil {
			t.Skipf("running as root, where only read-only storage stops writes, but a bind mount is not allowed here: %v: %s", err, out)
		}
		t.Cleanup(func() {
			if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
				t.Errorf("umount %s: %v: %s", dir, err, out)
			}
		})
		if out, err := exec.Command("mount", "-o", "remount,ro,bind", dir).CombinedOutput(); err != nil {
			t.Skipf("running as root, but a bind mount cannot be made read-only here: %v: %s", err, out)
		}
		return "a read-only bind mount"
	}
	var paths []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			paths = append(paths, p)
		}
		return nil
	})
	// Deepest first, so a folder loses its write bit after its contents.
	for i := len(paths) - 1; i >= 0; i-- {
		mode := os.FileMode(0o400)
		if fi, err := os.Stat(paths[i]); err == nil && fi.IsDir() {
			mode = 0o500
		}
		if err := os.Chmod(paths[i], mode); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, p := range paths {
			mode := os.FileMode(0o600)
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				mode = 0o700
			}
			os.Chmod(p, mode)
		}
	})
	return "permissions without write bits"
}

func TestACaseOnReadOnlyStorageOpensReadOnlyAndRefusesChanges(t *testing.T) {
	for _, variant := range []string{"with its index", "without its index"} {
		t.Run(variant, func(t *testing.T) {
			dir, total := closedCase(t)
			if variant == "without its index" {
				if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
					t.Fatal(err)
				}
			}
			how := makeReadOnly(t, dir)
			t.Logf("read-only through %s", how)
			if f, err := os.Create(filepath.Join(dir, "probe")); err == nil {
				f.Close()
				t.Fatalf("the folder is still writable")
			}
			before := fingerprint(t, dir)
			c, err := casefile.Open(t.Context(), dir, nil)
			if err != nil {
				t.Fatalf("open a case on read-only storage: %v", err)
			}
			defer c.Close()
			ro, why := c.ReadOnly()
			if !ro || !strings.Contains(why, "not writable") {
				t.Errorf("ReadOnly() = %v, %q", ro, why)
			}
			if got := searchTotal(t, c); got != total {
				t.Errorf("search: %d items, want %d", got, total)
			}
			if p := verifyProblems(t, c); len(p) != 0 {
				t.Errorf("verify: %v", p)
			}
			assertRefusesChanges(t, c, dir)
			if _, err := c.Pack(t.Context(), io.Discard, casefile.PackOptions{}); err != nil {
				t.Errorf("pack a case on read-only storage: %v", err)
			}
			_, err = c.Import(t.Context(), []string{accessFixture}, casefile.ImportOptions{}, nil)
			t.Logf("import refused: %v", err)
			c.Close()
			diffFingerprints(t, before, fingerprint(t, dir))
		})
	}
}
