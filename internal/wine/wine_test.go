package wine_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"casebook/internal/wine"
)

// TestDetectedOnlyOnWindows: off Windows there is no Wine to find. Under Wine
// (make test-windows sets CASEBOOK_UNDER_WINE) it must be found, or the
// deletion fallback would never switch on.
func TestDetectedOnlyOnWindows(t *testing.T) {
	got := wine.Detected()
	if runtime.GOOS != "windows" && got {
		t.Fatalf("Detected() = true on %s", runtime.GOOS)
	}
	if os.Getenv("CASEBOOK_UNDER_WINE") == "1" && !got {
		t.Fatal("CASEBOOK_UNDER_WINE=1 but Detected() = false")
	}
}

// TestRemoveAllOfAFilledTree: a tree of folders, files and a read-only file,
// as the tests' temporary folders hold, is removed whole; under Wine this is
// what fails without the fallback.
func TestRemoveAllOfAFilledTree(t *testing.T) {
	root := filepath.Join(t.TempDir(), "tree")
	deep := filepath.Join(root, "a", "b c", "ü")
	if err := os.MkdirAll(deep, 0o700); err != nil {
		t.Fatal(err)
	}
	for i, p := range []string{filepath.Join(root, "f"), filepath.Join(deep, "g")} {
		if err := os.WriteFile(p, []byte("x"), []os.FileMode{0o600, 0o400}[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.RemoveAll(root); err != nil {
		t.Fatalf("RemoveAll: %v", err)
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Fatalf("after RemoveAll, Stat(%s): %v", root, err)
	}
}
