package casefile_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"casebook/casefile"
)

// TestSymlinksInAnImportedFolderAreNotFollowed puts links to a file and a
// folder outside the imported folder, and a link inside it, among real
// files: only the regular files inside are imported.
func TestSymlinksInAnImportedFolderAreNotFollowed(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	c, _ := newCase(t)
	root := t.TempDir()
	outside := filepath.Join(root, "outside")
	in := filepath.Join(root, "leak")
	for _, d := range []string{outside, filepath.Join(in, "sub")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, transcriptFixture, filepath.Join(in, "sync.txt"))
	copyFile(t, accessFixture, filepath.Join(in, "sub", "access.csv"))
	secret := filepath.Join(outside, "secret.csv")
	copyFile(t, accessFixture, secret)
	os.WriteFile(filepath.Join(outside, "other.txt"), []byte("Mia Chen: outside the folder\n"), 0o600)
	for link, target := range map[string]string{
		filepath.Join(in, "link-to-file.csv"): secret,
		filepath.Join(in, "link-to-dir"):      outside,
		filepath.Join(in, "sub", "loop"):      in,
		filepath.Join(in, "inside-link.txt"):  filepath.Join(in, "sync.txt"),
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	res := importOK(t, c, casefile.ImportOptions{}, in)
	var names []string
	for _, r := range res {
		names = append(names, filepath.Base(r.File))
	}
	if strings.Join(names, ",") != "sync.txt,access.csv" && strings.Join(names, ",") != "access.csv,sync.txt" {
		t.Fatalf("imported %v; want only the two regular files inside the folder", names)
	}
}

// TestAFileChangingDuringImportIsRecordedAsRead appends to a log while it
// is being imported: the source's hash, size and records describe exactly
// the bytes that were read and stored, and verify agrees.
func TestAFileChangingDuringImportIsRecordedAsRead(t *testing.T) {
	c, _ := newCase(t)
	p := filepath.Join(t.TempDir(), "growing.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "timestamp,employee,office_country,resource,approval_id")
	row := func(i int) {
		fmt.Fprintf(w, "2022-03-01T%02d:%02d:%02dZ,E%04d,CN,us_users.profile,\n", i/3600%24, i/60%60, i%60, i%900)
	}
	for i := 0; i < 20_000; i++ {
		row(i)
	}
	w.Flush()
	var stop atomic.Bool
	done := make(chan int)
	go func() { // keep appending until the import is over
		n := 20_000
		for !stop.Load() {
			row(n)
			n++
			if n%200 == 0 {
				w.Flush()
				time.Sleep(2 * time.Millisecond)
			}
		}
		w.Flush()
		done <- n
	}()
	res, err := c.Import(t.Context(), []string{p}, casefile.ImportOptions{}, nil)
	stop.Store(true)
	written := <-done
	f.Close()
	if err != nil || res[0].Err != nil {
		t.Fatalf("import: %v %v", err, res[0].Err)
	}
	src, err := c.Source(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := os.ReadFile(c.OriginalPath(src))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(stored)
	if hex.EncodeToString(sum[:]) != src.SHA256 || int64(len(stored)) != src.Size {
		t.Fatalf("source says %s / %d bytes; the stored original is %x / %d bytes", src.SHA256, src.Size, sum, len(stored))
	}
	// Every complete row of the stored bytes is a record; a row cut by the
	// read is rejected, never half-stored.
	lines := strings.Count(string(stored), "\n") - 1
	if src.Records != int64(lines) && src.Records != int64(lines)+1 {
		t.Errorf("%d records from %d complete rows read", src.Records, lines)
	}
	t.Logf("read %d bytes (%d rows) while %d rows were written", len(stored), lines, written)
	if probs := verifyProblems(t, c); len(probs) > 0 {
		t.Fatalf("verify: %v", probs)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
