package casefile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"casebook/index"
	"casebook/model"
	"casebook/store"
)

// ErrReadOnly is wrapped by every change refused because the case is
// read-only (its folder or database cannot be written, or it was opened with
// OpenReadOnly). The error's text reads "case DIR is read-only (why): …".
var ErrReadOnly = store.ErrReadOnly

// OpenReadOnly opens the case in dir for reading only, whether or not its
// folder could be written: search, reading, verify, reports and exports work;
// every change is refused with an error wrapping ErrReadOnly. Nothing in the
// folder is written — not the lock's pid, not the database, not the index.
// An index on disk that is missing, stale or behind the database is built in
// memory instead of being repaired.
func OpenReadOnly(ctx context.Context, dir string, progress ProgressFunc) (*Case, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open case %s: %w", dir, err)
	}
	if !st.IsDir() || !IsCase(dir) {
		return nil, fmt.Errorf("open case %s: no %s in the folder: %w", dir, dbFile, model.ErrNotCase)
	}
	return openReadOnly(ctx, dir, "opened read-only", progress)
}

// ReadOnly reports whether the case refuses changes, and why.
func (c *Case) ReadOnly() (readOnly bool, why string) { return c.readOnly != "", c.readOnly }

// refuseIfReadOnly is the error a change to a read-only case gets, or nil.
func (c *Case) refuseIfReadOnly() error {
	if c.readOnly == "" {
		return nil
	}
	return fmt.Errorf("case %s is read-only (%s): %w", c.dir, c.readOnly, ErrReadOnly)
}

// refuseUnlessAudited is refuseIfReadOnly for what only needs its audit
// entry written (exports, reports): a case read beside the Casebook that
// holds it appends that entry to the shared audit trail, waiting for the
// holder's transaction if one is open; a case on read-only storage cannot.
func (c *Case) refuseUnlessAudited() error {
	if c.beside {
		return nil
	}
	return c.refuseIfReadOnly()
}

// notWritable says why the case in dir cannot be changed, or "" when it can:
// its folder, its originals folder or its database refuses writing
// (permissions, or read-only storage, which stops root too).
func notWritable(dir string) string {
	for _, p := range []struct{ path, what string }{
		{dir, "the folder"}, {filepath.Join(dir, originalsDir), "its originals folder"}, {filepath.Join(dir, dbFile), dbFile},
	} {
		if err := canWrite(p.path); err != nil && refusesWriting(err) {
			return p.what + " is not writable: " + cleanOSError(err).Error()
		}
	}
	return ""
}

func refusesWriting(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

func openReadOnly(ctx context.Context, dir, why string, progress ProgressFunc) (*Case, error) {
	lk, writer, err := lockForReading(dir)
	if err != nil {
		return nil, err
	}
	if writer != "" {
		why = "open in another Casebook (pid " + writer + "), which may be changing it"
	}
	c := &Case{dir: dir, lock: lk, readOnly: why, beside: writer != ""}
	openDB := store.OpenReadOnly
	if c.beside {
		openDB = store.OpenReadOnlyBeside
	}
	if c.store, err = openDB(ctx, filepath.Join(dir, dbFile), fmt.Sprintf("case %s is read-only (%s)", dir, why)); err != nil {
		lk.release()
		return nil, fmt.Errorf("open case %s: %w", dir, err)
	}
	if c.id, err = c.store.Meta(ctx, "case_id"); err != nil || c.id == "" {
		c.store.Close()
		lk.release()
		return nil, fmt.Errorf("open case %s: no case id in %s: %w", dir, dbFile, model.ErrNotCase)
	}
	// No sweep of unreferenced originals: that would write.
	if err := c.openIndexReadOnly(ctx, progress); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// lockForReading takes the case lock through a read-only handle, without
// writing the lock file, so that no writer starts while the case is read.
// When another Casebook holds it (and may be changing the case), the case
// is read beside it instead: no lock is taken, and writer is the holder's
// pid as its lock file names it ("unknown" when it names none). A case
// without a lock file has never been opened by anyone who could write it,
// and needs none.
func lockForReading(dir string) (lk *caseLock, writer string, err error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &caseLock{}, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("lock case %s: %w", dir, err)
	}
	ok, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, "", fmt.Errorf("lock case %s: %w", dir, err)
	}
	if !ok {
		f.Close()
		return &caseLock{}, lockHolder(path), nil
	}
	return &caseLock{f: f}, "", nil
}

// openIndexReadOnly opens the index on disk for reading when it is exactly
// in step with the database; otherwise (missing, stale, behind, corrupt) it
// builds the index in memory from the database, since a read-only case
// cannot be repaired in place.
func (c *Case) openIndexReadOnly(ctx context.Context, progress ProgressFunc) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	head, err := c.store.OutboxHead(ctx)
	if err != nil {
		return fmt.Errorf("open case %s: %w", c.dir, err)
	}
	segs, evts, err := c.store.Counts(ctx)
	if err != nil {
		return fmt.Errorf("open case %s: %w", c.dir, err)
	}
	if c.beside {
		// The writer holds the index: read a copy of what it has
		// persisted, however far behind the database that is (Pending
		// says how far). A writer rebuilding it leaves nothing to copy,
		// and the index is built in memory as below.
		ix, err := c.openIndexSnapshot(head)
		if err == nil {
			c.idx = ix
			return nil
		}
	}
	if ix, err := index.OpenReadOnly(filepath.Join(c.dir, indexDir), c.id); err == nil {
		pos, perr := ix.Applied()
		n, nerr := ix.DocCount()
		if perr == nil && nerr == nil && pos == (index.Position{Seq: head}) && int64(n) == segs+evts {
			c.idx = ix
			return nil
		}
		ix.Close()
	}
	ix, err := index.Create("", c.id)
	if err != nil {
		return fmt.Errorf("open case %s: %w", c.dir, err)
	}
	if err := c.fillIndex(ctx, ix, head, progress); err != nil {
		ix.Close()
		return fmt.Errorf("open case %s: build the index in memory: %w", c.dir, err)
	}
	c.idx = ix
	return nil
}

// IsDiskFull reports whether err is a disk-full failure (the system's
// ENOSPC, or SQLite's "database or disk is full").
func IsDiskFull(err error) bool { return store.IsDiskFull(err) }

// diskFullError is a file's import that failed because the disk holding the
// case filled up. Nothing of the file was kept: the failure came before its
// transaction committed, and the stored copy was removed.
type diskFullError struct {
	file string
	err  error
}

func (e *diskFullError) Error() string {
	cause := "no space left on device"
	if !errors.Is(e.err, syscall.ENOSPC) {
		cause = "database or disk is full"
	}
	return fmt.Sprintf("%s: not imported: the disk holding the case is full (%s); nothing of the file was kept", e.file, cause)
}

func (e *diskFullError) Unwrap() error { return e.err }

// explainDiskFull turns a disk-full failure of a file's import into one
// clear line; other errors pass unchanged.
func explainDiskFull(file string, err error) error {
	if err == nil || !IsDiskFull(err) {
		return err
	}
	return &diskFullError{file: file, err: err}
}
