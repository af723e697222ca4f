package store

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is an open case database.
type Store struct {
	w    *writer // the one writer connection (refusing every change in a read-only store)
	r    *sql.DB // readers
	path string
	// audit appends audit entries in a store read beside another process
	// that writes the database (OpenReadOnlyBeside): the one change such a
	// store makes, so that what it exports and reports is on record. nil
	// otherwise.
	audit *sql.DB
}

// Open opens (creating if needed) the SQLite database at path and applies
// pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	// SQLite would create the file with 0644 less the umask; an owner-only
	// file is made first, and the -wal and -shm files copy its mode.
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "FULL")
	wq := url.Values{}
	for k, v := range q {
		wq[k] = v
	}
	wq.Set("_txlock", "immediate")
	// 32 MiB of page cache for the writer (SQLite's default is 2 MiB): an
	// import of a million rows inserts into four indexes of the events
	// table, whose pages no longer fit the default and were read again and
	// again (a 1M-row access log stored in 27 s with the default, 20 s with
	// this; more cache bought nothing more). The cache fills only as pages
	// are used.
	wq.Set("_cache_size", "-32768")
	w, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{w: &writer{DB: w}, path: path}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	q.Set("_query_only", "1")
	r, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	return s, nil
}

func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// Close closes the database.
func (s *Store) Close() error {
	err1 := s.r.Close()
	err2 := s.w.Close()
	var err3 error
	if s.audit != nil {
		err3 = s.audit.Close()
	}
	return errors.Join(err1, err2, err3)
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return fmt.Errorf("migration %s: bad number", base)
		}
		if migrationLimit > 0 && v > migrationLimit {
			break
		}
		if err := s.applyMigration(ctx, v, base, name); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, v int, base, name string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if bytes.HasPrefix(body, []byte(noForeignKeys)) {
		return s.applyRebuild(ctx, tx, v, base, string(body))
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		v, base, now()); err != nil {
		return err
	}
	return tx.Commit()
}

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// Meta returns a case-level setting, or "" when unset.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta stores case-level settings and records the change in the audit trail.
func (s *Store) SetMeta(ctx context.Context, actor string, kv map[string]string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, kv[k]); err != nil {
			return fmt.Errorf("set %s: %w", k, err)
		}
	}
	if err := appendAudit(ctx, tx, actor, "settings", kv); err != nil {
		return err
	}
	return tx.Commit()
}

// Counts returns how many segments and events the case holds.
func (s *Store) Counts(ctx context.Context) (segments, events int64, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM segments), (SELECT count(*) FROM events)`).Scan(&segments, &events)
	return
}

// Integrity runs SQLite's own check of the database and returns its
// complaints: quick_check, or with full integrity_check (verify --deep).
func (s *Store) Integrity(ctx context.Context, full bool) ([]string, error) {
	// quick_check reads every page and checks its structure in linear time;
	// integrity_check also checks that every index agrees with its table,
	// which costs about five times as long on a large case.
	pragma := `PRAGMA quick_check`
	if full {
		pragma = `PRAGMA integrity_check`
	}
	rows, err := s.r.QueryContext(ctx, pragma)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return nil, err
		}
		if msg != "ok" {
			out = append(out, msg)
		}
	}
	return out, rows.Err()
}

// migrationLimit, when not 0, stops the migrations after that version: the
// tests make a case as an older Casebook left it, then migrate it.
var migrationLimit int

// noForeignKeys starts a migration that rebuilds a table others refer to
// (SQLite changes a CHECK constraint only that way): it runs with foreign
// keys off, which SQLite allows to switch only outside a transaction.
const noForeignKeys = "-- casebook: foreign_keys off"

// applyRebuild applies such a migration: foreign keys off on the one writer
// connection, the migration in a transaction that checks every reference
// before it commits, foreign keys on again.
func (s *Store) applyRebuild(ctx context.Context, probe *sql.Tx, v int, base, body string) error {
	probe.Rollback()
	if _, err := s.w.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer s.w.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	bad := rows.Next()
	rows.Close()
	if bad {
		return fmt.Errorf("a reference no longer resolves after the rebuild")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		v, base, now()); err != nil {
		return err
	}
	return tx.Commit()
}
