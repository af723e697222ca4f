package index

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// snapshotTries bounds how often OpenSnapshot starts again when the writer
// changed the index under it; each try takes milliseconds, and a writer
// commits at most a few times a second.
const snapshotTries = 50

// OpenSnapshot opens, for reading, a point-in-time copy of the index at path
// while another process may hold it open and be writing it (Bleve's root
// file is locked by its writer, so the index itself cannot be opened).
// The copy is made in dir, which must not exist and must be on the same
// storage as path: the segment files, which Bleve never changes once
// written, are hard-linked (copied on Windows, and where the storage has no
// hard links), and
// the small root file is copied while it is not changing — read twice,
// byte for byte the same. A segment the writer adds or merges away between
// the two steps makes the copy fail to open, and it is made again.
//
// The copy holds what the writer had persisted: Applied says how far
// through the outbox that is. Close removes dir.
func OpenSnapshot(path, caseID, dir string) (*Index, error) {
	if err := os.MkdirAll(filepath.Join(dir, "store"), 0o700); err != nil {
		return nil, fmt.Errorf("snapshot of index %s: %w", path, err)
	}
	ix, err := openSnapshot(path, caseID, dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("snapshot of index %s: %w", path, err)
	}
	ix.snapshotDir = dir
	return ix, nil
}

func openSnapshot(path, caseID, dir string) (*Index, error) {
	if err := copyFile(filepath.Join(path, "index_meta.json"), filepath.Join(dir, "index_meta.json")); err != nil {
		return nil, err
	}
	var last error
	for try := 0; try < snapshotTries; try++ {
		if try > 0 {
			time.Sleep(time.Duration(try) * 10 * time.Millisecond)
		}
		if err := linkSegments(filepath.Join(path, "store"), filepath.Join(dir, "store")); err != nil {
			return nil, err
		}
		root, err := stableRead(filepath.Join(path, "store", "root.bolt"))
		if err != nil {
			if errors.Is(err, errChanging) {
				last = err
				continue
			}
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "store", "root.bolt"), root, 0o600); err != nil {
			return nil, err
		}
		ix, err := OpenReadOnly(dir, caseID)
		if err == nil {
			return ix, nil
		}
		if errors.Is(err, ErrStale) {
			return nil, err
		}
		// A segment the copied root names that was made after the links,
		// or one merged away before them: link again and copy again.
		last = err
	}
	return nil, fmt.Errorf("the index kept changing (%d tries): %w", snapshotTries, last)
}

// errChanging is a root file that changed while it was read.
var errChanging = errors.New("the index's root file changed while it was read")

// stableRead reads the file twice and returns it when both reads agree: Bolt
// writes its pages copy-on-write and commits by writing a meta page at the
// front of the file, so two equal reads are one committed state.
func stableRead(path string) ([]byte, error) {
	a, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(a, b) {
		return nil, errChanging
	}
	return a, nil
}

// hardLinks says whether OpenSnapshot links the writer's segment files or
// copies them. Windows keeps a file that any process has open from being
// removed under any of its names: a reader's link would stop the writer
// removing a segment it merged away, and the writer's open segment would
// stop the reader removing its copy when it closes (both seen under Wine
// as "Sharing violation"). There the segments are copied.
var hardLinks = runtime.GOOS != "windows"

// linkSegments gives dst every segment file of src it does not have yet
// whole: a hard link, or a copy where links are not used or the storage
// refuses them. A copy shorter than its source (the writer was still
// writing the segment) is made again; Bleve never changes a segment once
// written. A file the writer removes meanwhile is skipped (the root copied
// next does not name it).
func linkSegments(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".zap") {
			continue
		}
		to := filepath.Join(dst, name)
		from := filepath.Join(src, name)
		if have, err := os.Lstat(to); err == nil {
			if want, err := os.Stat(from); err != nil || want.Size() == have.Size() {
				continue
			}
			if err := os.Remove(to); err != nil {
				return err
			}
		}
		err := errors.ErrUnsupported
		if hardLinks {
			err = os.Link(from, to)
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			err = copyFile(from, to)
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// copyFile copies a file into a new owner-only one.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(to)
		return err
	}
	return out.Close()
}
