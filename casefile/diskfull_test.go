//go:build linux

package casefile_test

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"casebook/casefile"
)

// smallDisk mounts an 8 MiB tmpfs for the test (unmounted when it ends), or
// skips the test when it cannot: mounting needs root.
func smallDisk(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("filling a disk needs a small one of its own: mounting an 8 MiB tmpfs needs root")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "casebook-test", mnt).CombinedOutput(); err != nil {
		t.Skipf("running as root, but mounting a tmpfs is not allowed here: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
		}
	})
	return mnt
}

// bigTranscript writes a fictional transcript of about size bytes.
func bigTranscript(t *testing.T, size int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "2022-03-03_long-meeting.txt")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for n, i := 0, 0; n < size; i++ {
		k, _ := fmt.Fprintf(w, "Mia Chen: Item %d of the access review, the user tables and who may read them.\n", i)
		n += k
	}
	w.Flush()
	f.Close()
	return p
}

func TestAnImportThatFillsTheDiskFailsClearlyAndLeavesTheCaseAsItWas(t *testing.T) {
	mnt := smallDisk(t)
	dir := filepath.Join(mnt, "case")
	c, err := casefile.Create(t.Context(), dir, casefile.CreateOptions{Title: "Small disk", Investigator: "Tess Tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { c.Close() }()
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	before, total := snap(t, c, dir), searchTotal(t, c)

	big := bigTranscript(t, 12<<20) // more than the whole disk
	res, err := c.Import(t.Context(), []string{big}, casefile.ImportOptions{}, nil)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if len(res) != 1 || res[0].Err == nil {
		t.Fatalf("a file bigger than the disk was imported: %+v", res)
	}
	msg := res[0].Err.Error()
	t.Logf("refused: %s", msg)
	if strings.Contains(msg, "\n") || !strings.Contains(msg, filepath.Base(big)) || !strings.Contains(msg, "disk holding the case is full") {
		t.Errorf("error %q: want one line naming the file and saying the disk is full", msg)
	}
	if !errors.Is(res[0].Err, syscall.ENOSPC) || !casefile.IsDiskFull(res[0].Err) {
		t.Errorf("error does not wrap ENOSPC: %v", res[0].Err)
	}
	if after := snap(t, c, dir); after != before {
		t.Errorf("case changed: before %+v, after %+v", before, after)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "originals", ".incoming-*"))
	if len(leftovers) > 0 {
		t.Errorf("partial copies left behind: %v", leftovers)
	}

	// Reopened, the case is whole: verify passes, counts and search agree.
	c.Close()
	c, err = casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if p := verifyProblems(t, c); len(p) != 0 {
		t.Errorf("verify after a full disk: %v", p)
	}
	if after := snap(t, c, dir); after.sources != before.sources || after.segs != before.segs ||
		after.evts != before.evts || after.originals != before.originals {
		t.Errorf("after reopening: %+v, before %+v", after, before)
	}
	if got := searchTotal(t, c); got != total {
		t.Errorf("search after reopening: %d items, want %d", got, total)
	}
	// A file that fits still imports.
	_ = os.Remove(big)
	small := bigTranscript(t, 256<<10)
	importOK(t, c, casefile.ImportOptions{}, small)
}

func TestAnImportWhoseRecordsFillTheDiskIsRolledBackWhole(t *testing.T) {
	mnt := smallDisk(t)
	dir := filepath.Join(mnt, "case")
	c, err := casefile.Create(t.Context(), dir, casefile.CreateOptions{Title: "Small disk", Investigator: "Tess Tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { c.Close() }()
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	before, total := snap(t, c, dir), searchTotal(t, c)

	// Leave 1 MiB: the original (half of it) is stored, and then the
	// database runs out while writing the file's records.
	var st syscall.Statfs_t
	if err := syscall.Statfs(mnt, &st); err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(mnt, "filler")
	if err := os.WriteFile(filler, make([]byte, int64(st.Bavail)*st.Bsize-1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := c.Import(t.Context(), []string{bigTranscript(t, 512<<10)}, casefile.ImportOptions{}, nil)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if len(res) != 1 || res[0].Err == nil {
		t.Fatalf("the import fitted after all; the test needs a fuller disk: %+v", res)
	}
	msg := res[0].Err.Error()
	t.Logf("refused: %s", msg)
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "disk holding the case is full") {
		t.Errorf("error %q: want one line saying the disk is full", msg)
	}
	if after := snap(t, c, dir); after != before {
		t.Errorf("case changed: before %+v, after %+v", before, after)
	}
	os.Remove(filler)
	c.Close()
	if c, err = casefile.Open(t.Context(), dir, nil); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if p := verifyProblems(t, c); len(p) != 0 {
		t.Errorf("verify after a full disk: %v", p)
	}
	if got := searchTotal(t, c); got != total {
		t.Errorf("search after reopening: %d items, want %d", got, total)
	}
}
