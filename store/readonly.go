package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"syscall"
)

// ErrReadOnly is wrapped by every change refused by a store opened with
// OpenReadOnly; the error's text says why the store is read-only.
var ErrReadOnly = errors.New("changes are refused")

// writer is the store's one writer connection. In a read-only store it
// refuses every transaction (all changes go through BeginTx) with a clear
// error instead of SQLite's "attempt to write a readonly database".
type writer struct {
	*sql.DB
	refuse error // non-nil in a read-only store
}

// BeginTx starts a write transaction, or refuses it in a read-only store.
func (w *writer) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	if w.refuse != nil {
		return nil, w.refuse
	}
	return w.DB.BeginTx(ctx, opts)
}

// createPrivate makes an empty owner-only file at path unless one exists.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// OpenReadOnly opens the database at path for reading only: nothing is
// created, migrated or written, and every change is refused with an error
// that reads "<why>: changes are refused" and wraps ErrReadOnly. why says
// what is read-only, e.g. "case /x is read-only (the folder is not
// writable)". A database an older Casebook wrote, which would need a
// migration, is refused.
func OpenReadOnly(ctx context.Context, path, why string) (*Store, error) {
	return openReadOnly(ctx, path, why, false)
}

// OpenReadOnlyBeside opens the database like OpenReadOnly while another
// process may be writing it: each read sees the database as its last commit
// left it (SQLite's WAL lets readers and one writer work at once), so the
// database is never opened as immutable.
func OpenReadOnlyBeside(ctx context.Context, path, why string) (*Store, error) {
	return openReadOnly(ctx, path, why, true)
}

func openReadOnly(ctx context.Context, path, why string, beside bool) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	// A WAL database whose folder cannot take SQLite's -shm file opens only
	// as immutable. That is safe here: the caller holds the case lock, so no
	// one writes, and there is no -wal file holding changes not yet in the
	// database (a non-empty -wal is read normally, through its -shm).
	if st, err := os.Stat(path + "-wal"); !beside && (err != nil || st.Size() == 0) {
		q.Set("immutable", "1")
	}
	dsn := "file:" + escapePath(path) + "?" + q.Encode()
	w, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{w: &writer{DB: w, refuse: fmt.Errorf("%s: %w", why, ErrReadOnly)}, path: path}
	pending, err := s.pendingMigrations(ctx)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if pending > 0 {
		w.Close()
		return nil, fmt.Errorf("open %s: an older Casebook wrote it and it needs %d upgrade steps, which a read-only case cannot take: %w",
			path, pending, s.w.refuse)
	}
	q.Set("_query_only", "1")
	r, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	if beside {
		// The audit connection may write, and waits up to ten minutes
		// for the other process's transaction (cancelling ctx stops the
		// wait sooner).
		a := url.Values{}
		a.Set("_foreign_keys", "on")
		a.Set("_busy_timeout", "600000")
		a.Set("_txlock", "immediate")
		a.Set("_synchronous", "FULL")
		if s.audit, err = sql.Open("sqlite3", "file:"+escapePath(path)+"?"+a.Encode()); err != nil {
			s.Close()
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		s.audit.SetMaxOpenConns(1)
	}
	return s, nil
}

// pendingMigrations counts the embedded migrations the database has not had.
func (s *Store) pendingMigrations(ctx context.Context) (int, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return 0, err
	}
	var applied int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&applied); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return max(len(names)-applied, 0), nil
}

// ReadOnly reports whether the store refuses changes.
func (s *Store) ReadOnly() bool { return s.w.refuse != nil }

// Snapshot writes a consistent copy of the whole database to path, an
// owner-only file that must not exist yet (or be empty), with SQLite's
// VACUUM INTO. It works on a read-only store too, and never blocks readers.
func (s *Store) Snapshot(ctx context.Context, path string) error {
	if err := createPrivate(path); err != nil {
		return fmt.Errorf("snapshot %s: %w", s.path, err)
	}
	if _, err := s.w.DB.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("snapshot %s into %s: %w", s.path, path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("snapshot %s: %w", s.path, err)
	}
	return nil
}

// IsDiskFull reports whether err is a disk-full failure: SQLite's
// SQLITE_FULL ("database or disk is full") or the system's ENOSPC.
func IsDiskFull(err error) bool {
	return isSQLiteFull(err) || errors.Is(err, syscall.ENOSPC)
}
