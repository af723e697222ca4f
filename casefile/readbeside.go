package casefile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"casebook/index"
)

// readersDir is the folder of a case where each process that reads the case
// beside a writer keeps its copy of the index (index.OpenSnapshot: hard links
// to the writer's segment files, so a copy costs almost no space until the
// writer merges those segments away).
const readersDir = "index.readers"

// readerLockFile is held by the process whose copy a readersDir entry is;
// an entry whose lock can be taken belongs to a process that has ended.
const readerLockFile = "reader.lock"

// openIndexSnapshot opens a copy of the index that another process is
// writing, in an entry of readersDir that this process holds until Close.
func (c *Case) openIndexSnapshot(head int64) (*index.Index, error) {
	sweepReaders(c.dir)
	dir := filepath.Join(c.dir, readersDir, strconv.Itoa(os.Getpid())+"-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("copy of the index: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, readerLockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err == nil {
		var ok bool
		if ok, err = tryLock(f); err == nil && !ok {
			err = errors.New("its lock is held")
		}
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("copy of the index in %s: %w", dir, err)
	}
	ix, err := index.OpenSnapshot(filepath.Join(c.dir, indexDir), c.id, filepath.Join(dir, indexDir))
	if err == nil {
		var pos index.Position
		if pos, err = ix.Applied(); err == nil && pos.Seq > head {
			err = fmt.Errorf("the index is at %s, ahead of the database's %d", pos, head)
		}
		if err != nil {
			ix.Close()
		}
	}
	if err != nil {
		unlock(f)
		f.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	c.reader = &caseLock{f: f}
	c.readerDir = dir
	return ix, nil
}

// releaseReader gives up this process's readersDir entry.
func (c *Case) releaseReader() error {
	if c.readerDir == "" {
		return nil
	}
	err := c.reader.release()
	if rerr := os.RemoveAll(c.readerDir); err == nil {
		err = rerr
	}
	os.Remove(filepath.Dir(c.readerDir)) // the last reader's removes the folder
	c.reader, c.readerDir = nil, ""
	return err
}

// sweepReaders removes the readersDir entries of processes that have ended
// (a reader that crashed leaves its links behind, holding the space of
// segments the writer has merged away). An entry without a lock file is
// left alone for a minute: its reader may be making it.
func sweepReaders(caseDir string) {
	root := filepath.Join(caseDir, readersDir)
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		dir := filepath.Join(root, e.Name())
		f, err := os.OpenFile(filepath.Join(dir, readerLockFile), os.O_RDWR, 0)
		if errors.Is(err, fs.ErrNotExist) {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Minute {
				os.RemoveAll(dir)
			}
			continue
		}
		if err != nil {
			continue
		}
		ok, err := tryLock(f)
		if err == nil && ok {
			unlock(f)
			f.Close()
			os.RemoveAll(dir)
			continue
		}
		f.Close()
	}
	os.Remove(root) // only when empty
}

// IndexBehind says how many items the database holds that the index does not
// yet: not zero while a deferred import waits for its catch-up, or in a case
// read beside a writer (its copy of the index stops where the writer's was
// when the case was opened). Searches see the items indexed; the rest of the
// case reads the database as it is.
func (c *Case) IndexBehind(ctx context.Context) (int64, error) {
	c.mu.Lock()
	ix := c.idx
	c.mu.Unlock()
	if ix == nil {
		return 0, fmt.Errorf("case %s is closed", c.dir)
	}
	pos, err := ix.Applied()
	if err != nil {
		return 0, fmt.Errorf("index position: %w", err)
	}
	entries, err := c.store.OutboxAfter(ctx, pos.Seq)
	if err != nil {
		return 0, fmt.Errorf("read outbox: %w", err)
	}
	return unapplied(entries, pos), nil
}

// ReadingBeside reports whether the case was opened read-only beside
// another Casebook that holds it, and may be changing it.
func (c *Case) ReadingBeside() bool { return c.beside }
