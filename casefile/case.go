package casefile

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"casebook/index"
	"casebook/model"
	"casebook/store"
)

// Names inside a case folder.
const (
	dbFile       = "case.db"
	indexDir     = "index"
	originalsDir = "originals"
	lockFile     = "case.lock"
)

// Progress reports how a long job is going.
type Progress struct {
	Stage string // "import", "index", "rebuild", "verify", "rules", "report", "export", "search", "pack", "unpack"
	File  string // the file (or rule, or part) being worked on, if any
	Done  int64  // units done (bytes for import, items for indexing)
	Total int64  // units in all, 0 when unknown
	// Records and Rejects are, on an import's byte reports, the records
	// stored and the rows rejected so far from File.
	Records, Rejects int64
	// Files is set on the report that starts each file of an import: how
	// many files the request holds (Done is then the files before File).
	Files int
}

// ProgressFunc receives progress reports. It may be nil.
type ProgressFunc func(Progress)

func (f ProgressFunc) report(p Progress) {
	if f != nil {
		f(p)
	}
}

// Case is an open case folder. Its methods are safe for concurrent use;
// changes are serialised.
type Case struct {
	dir   string
	id    string
	store *store.Store
	lock  *caseLock

	mu     sync.Mutex // serialises changes and index maintenance
	idx    *index.Index
	live   *liveIndex // an import's bulk run, batches maybe in flight (liveindex.go)
	closed bool       // Close has run (guarded by mu)

	readOnly string // why the case refuses changes ("" when it takes them); see readonly.go
	// beside: read-only because another process holds the case (readbeside.go);
	// reader and readerDir are this process's copy of the index then.
	beside    bool
	reader    *caseLock
	readerDir string
}

// Info describes a case.
type Info struct {
	Dir          string
	ID           string
	Title        string
	Investigator string
	CreatedAt    string
	Sources      int
	Segments     int64
	Events       int64
}

// CreateOptions are the settings of a new case.
type CreateOptions struct {
	Title        string
	Investigator string
}

// Create makes a new case in dir, which must not exist or be empty, and
// opens it.
func Create(ctx context.Context, dir string, opts CreateOptions) (*Case, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(dir, dbFile)); err == nil {
			return nil, fmt.Errorf("create case %s: a case already exists there", dir)
		}
		return nil, fmt.Errorf("create case %s: folder is not empty", dir)
	}
	if err := os.MkdirAll(filepath.Join(dir, originalsDir), 0o700); err != nil {
		return nil, fmt.Errorf("create case %s: %w", dir, err)
	}
	// A folder made beforehand (empty) becomes owner-only like the rest.
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create case %s: %w", dir, err)
	}
	lk, err := acquireLock(dir)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, filepath.Join(dir, dbFile))
	if err != nil {
		lk.release()
		return nil, fmt.Errorf("create case %s: %w", dir, err)
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		st.Close()
		lk.release()
		return nil, err
	}
	title := opts.Title
	if title == "" {
		title = filepath.Base(dir)
	}
	meta := map[string]string{
		"case_id":      hex.EncodeToString(id),
		"title":        title,
		"investigator": opts.Investigator,
		"created_at":   time.Now().UTC().Format(time.RFC3339),
		"format":       "casebook-case/1",
	}
	if err := st.SetMeta(ctx, opts.Investigator, meta); err != nil {
		st.Close()
		lk.release()
		return nil, fmt.Errorf("create case %s: %w", dir, err)
	}
	st.Close()
	lk.release()
	return Open(ctx, dir, nil)
}

// IsCase reports whether dir holds a case.
func IsCase(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, dbFile))
	return err == nil
}

// Open opens the case in dir: it takes the case lock (failing at once with
// model.ErrLocked when another process holds it), opens the database, and
// brings the index in step — catching up from the outbox, or rebuilding a
// missing, stale or corrupt index — reporting progress as it goes.
// A case whose folder or database cannot be written (read-only storage,
// permissions) is opened read-only, as OpenReadOnly does.
func Open(ctx context.Context, dir string, progress ProgressFunc) (*Case, error) {
	return open(ctx, dir, progress, true)
}

// OpenToStore opens a case like Open but leaves its index as it is: for
// storing more records with ImportOptions.DeferIndex, so that a second
// deferred import does not first index what the first one stored. Search
// and everything that reads the index wait for CatchUp (or the next Open).
func OpenToStore(ctx context.Context, dir string) (*Case, error) {
	return open(ctx, dir, nil, false)
}

func open(ctx context.Context, dir string, progress ProgressFunc, catchUp bool) (*Case, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open case %s: %w", dir, err)
	}
	if !st.IsDir() || !IsCase(dir) {
		return nil, fmt.Errorf("open case %s: no %s in the folder: %w", dir, dbFile, model.ErrNotCase)
	}
	if why := notWritable(dir); why != "" {
		return openReadOnly(ctx, dir, why, progress)
	}
	lk, err := acquireLock(dir)
	if err != nil {
		return nil, err
	}
	c := &Case{dir: dir, lock: lk}
	if c.store, err = store.Open(ctx, filepath.Join(dir, dbFile)); err != nil {
		lk.release()
		return nil, fmt.Errorf("open case %s: %w", dir, err)
	}
	if c.id, err = c.store.Meta(ctx, "case_id"); err != nil || c.id == "" {
		c.store.Close()
		lk.release()
		return nil, fmt.Errorf("open case %s: no case id in %s: %w", dir, dbFile, model.ErrNotCase)
	}
	if err := c.sweepOriginals(ctx); err != nil {
		c.Close()
		return nil, err
	}
	sweepReaders(dir)
	if !catchUp {
		return c, nil
	}
	if err := c.syncIndex(ctx, progress); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Close releases the index, the database and the lock.
func (c *Case) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	if c.idx != nil {
		errs = append(errs, c.drainLiveLocked(), c.idx.Close())
		c.idx = nil
	}
	errs = append(errs, c.releaseReader())
	if c.closed {
		return errors.Join(errs...)
	}
	c.closed = true
	// The store stays in place: a call still running on another goroutine
	// when the case is closed gets "database is closed", not a nil pointer.
	if c.store != nil {
		errs = append(errs, c.store.Close())
	}
	errs = append(errs, c.lock.release())
	return errors.Join(errs...)
}

// Dir is the case folder.
func (c *Case) Dir() string { return c.dir }

// Info returns the case's settings and counts.
func (c *Case) Info(ctx context.Context) (Info, error) {
	in := Info{Dir: c.dir, ID: c.id}
	var err error
	for _, f := range []struct {
		key string
		dst *string
	}{{"title", &in.Title}, {"investigator", &in.Investigator}, {"created_at", &in.CreatedAt}} {
		if *f.dst, err = c.store.Meta(ctx, f.key); err != nil {
			return in, err
		}
	}
	srcs, err := c.store.Sources(ctx)
	if err != nil {
		return in, err
	}
	in.Sources = len(srcs)
	in.Segments, in.Events, err = c.store.Counts(ctx)
	return in, err
}

// Investigator is the name recorded on changes made in this case.
func (c *Case) Investigator(ctx context.Context) string {
	v, _ := c.store.Meta(ctx, "investigator")
	return v
}

// Sources lists the case's sources in import order.
func (c *Case) Sources(ctx context.Context) ([]model.Source, error) { return c.store.Sources(ctx) }

// Source returns one source.
func (c *Case) Source(ctx context.Context, id int64) (model.Source, error) {
	return c.store.Source(ctx, id)
}

// Segments returns a transcript source's segments in order.
func (c *Case) Segments(ctx context.Context, sourceID int64) ([]model.Segment, error) {
	return c.store.SourceSegments(ctx, sourceID)
}

// AuditTrail returns the case's audit trail.
func (c *Case) AuditTrail(ctx context.Context) ([]model.AuditEntry, error) {
	return c.store.AuditTrail(ctx)
}

// originalPath is where the original with the given SHA-256 is kept,
// relative to the case folder.
func originalPath(sha string) string {
	return filepath.Join(originalsDir, sha[:2], sha)
}

// OriginalPath returns the absolute path of a source's stored original.
func (c *Case) OriginalPath(src model.Source) string {
	return filepath.Join(c.dir, originalPath(src.SHA256))
}

// sweepOriginals removes originals that no source refers to: files whose
// import was interrupted before its transaction committed.
func (c *Case) sweepOriginals(ctx context.Context) error {
	root := filepath.Join(c.dir, originalsDir)
	srcs, err := c.store.Sources(ctx)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(srcs))
	for _, s := range srcs {
		known[s.SHA256] = true
	}
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !known[d.Name()] {
			if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("remove unreferenced original %s: %w", path, err)
			}
		}
		return nil
	})
}

// Events returns up to limit of an access-log source's events after the
// event id after, in file order.
func (c *Case) Events(ctx context.Context, sourceID, after int64, limit int) ([]model.Event, error) {
	return c.store.SourceEvents(ctx, sourceID, after, limit)
}

// SetInvestigator changes the name recorded on the case's changes from now
// on.
func (c *Case) SetInvestigator(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("the investigator's name is empty: %w", model.ErrInvalid)
	}
	return c.store.SetMeta(ctx, c.Investigator(ctx), map[string]string{"investigator": name})
}
