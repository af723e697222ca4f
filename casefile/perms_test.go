//go:build unix

package casefile_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

// ownerOnly fails the test for every file or folder under root (and root
// itself) that group or others may read, write or enter.
func ownerOnly(t *testing.T, root string) (checked int) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		checked++
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s is %04o: group or others have access", p, perm)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return checked
}

func TestEverythingACaseHoldsIsOwnerOnly(t *testing.T) {
	// With no umask, files get exactly the modes Casebook asks for: the test
	// shows that it never relies on the user's umask.
	old := syscall.Umask(0)
	defer syscall.Umask(old)

	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemSegment, N: 1}, "opening", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Reindex(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	report := filepath.Join(out, "report.pdf")
	if err := c.WriteReportFile(t.Context(), report, casefile.ReportOptions{}); err != nil {
		t.Fatalf("report: %v", err)
	}
	// While open: case.db, its -wal and -shm, the lock, the index, originals.
	for _, name := range []string{"case.db-wal", "case.db-shm", "case.lock", "index/index_meta.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("expected %s while the case is open: %v", name, err)
		}
	}
	if n := ownerOnly(t, dir); n < 12 {
		t.Errorf("only %d files and folders checked", n)
	}
	ownerOnly(t, report)

	// After closing and reopening, and in a case unpacked from a pack.
	c = reopen(t, c, dir)
	ownerOnly(t, dir)
	pack := filepath.Join(out, "case.zip")
	f, err := os.OpenFile(pack, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Pack(t.Context(), f, casefile.PackOptions{}); err != nil {
		t.Fatalf("pack: %v", err)
	}
	f.Close()
	c.Close()
	received := filepath.Join(t.TempDir(), "received")
	if _, err := unpackFile(t, pack, received, casefile.UnpackOptions{}); err != nil {
		t.Fatalf("unpack: %v", err)
	}
	ownerOnly(t, received)

	// A case made in a folder that already existed, open to all.
	open := filepath.Join(t.TempDir(), "made-beforehand")
	if err := os.Mkdir(open, 0o777); err != nil {
		t.Fatal(err)
	}
	c2, err := casefile.Create(t.Context(), open, casefile.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c2.Close()
	ownerOnly(t, open)
}
