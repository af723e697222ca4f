package casefile

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"casebook/importer"
	"casebook/model"
	"casebook/store"
)

// ImportOptions are the investigator's choices for an import.
type ImportOptions struct {
	Kind    model.SourceKind  // only formats of this kind ("" for any)
	Format  string            // force a format by name ("" to detect)
	TZ      *time.Location    // zone for times written without an offset
	Map     map[string]string // role=column mapping for access logs
	Date    string            // the date a transcript describes (YYYY-MM-DD)
	MaxLine int               // longest accepted line (0: the importer's default)
	Strict  bool              // refuse the whole file at its first bad row instead of keeping rejects
	Profile string            // use the saved mapping of this name (Map entries override it)
	SaveAs  string            // after a successful import, save the mapping used under this name
	Year    int               // the year for logs whose times have none (syslog)
	// DateOrder is "dmy" or "mdy" for numeric dates whose values cannot
	// tell the order (05/10/2025), "" to decide from the column's values.
	DateOrder string
	// NoHeader reads a delimited access log whose first row is data, not
	// column names: the columns are "column 1", "column 2", … (or numbers)
	// in Map.
	NoHeader bool
	// DeferIndex returns as soon as the records are committed, leaving the
	// index behind the database: the next CatchUp (or the next Open)
	// brings it in step. For very large logs, whose structured rows are
	// usable from the database at once while the index is built.
	DeferIndex bool
}

// ImportResult is what became of one file.
type ImportResult struct {
	File     string   // the path as given (or archive!entry)
	SourceID string   // "src-7", empty on failure
	SHA256   string   // of the bytes read
	Kind     string   // transcript or accesslog
	Format   string   // the format used
	Encoding string   // the text encoding detected
	Records  int64    // segments or events stored
	Rejects  int64    // rows or lines refused
	Warnings []string // problems that did not stop the import
	Seconds  float64  // time taken
	Err      error    // why the file was not imported; nil on success
	// PairedWith names the recording (for a transcript) or transcript (for
	// a recording) it was paired with on import by their names, "" for none.
	PairedWith string
}

// maxStoredWarnings caps the warnings kept on a source; the rest are counted.
const maxStoredWarnings = 200

// Import imports files and folders (walked recursively; hidden files and
// symlinks are skipped). Each file is all-or-nothing: its original is stored
// first, then all its records are committed in one transaction, or nothing
// is. A failing file does not stop the others; its ImportResult says why.
// The returned error is for problems with the request itself (a path that
// does not exist is reported per file).
func (c *Case) Import(ctx context.Context, paths []string, opts ImportOptions, progress ProgressFunc) ([]ImportResult, error) {
	if err := c.refuseIfReadOnly(); err != nil {
		return nil, err
	}
	opts, files, results, err := c.importRequest(ctx, paths, opts)
	if err != nil {
		return nil, err
	}
	// The place and IP-range tables are read once for the whole request,
	// not once per file (an IP table can hold hundreds of thousands of ranges).
	en, err := c.newEnricher(ctx)
	if err != nil {
		return results, fmt.Errorf("read the case's place and IP tables: %w", err)
	}
	if en.context, err = c.newContextApplier(ctx); err != nil {
		return results, err
	}
	// Many files: the index follows the import file by file (liveindex.go).
	var lv *liveIndex
	if !opts.DeferIndex && len(files) > 1 {
		lv = &liveIndex{}
		defer c.endLive(lv)
	}
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			results = append(results, ImportResult{File: f, Err: fmt.Errorf("%s: %w", f, err)})
			continue
		}
		progress.report(Progress{Stage: "import", File: f, Done: int64(i), Total: int64(len(files)), Files: len(files)})
		for _, r := range c.importFile(ctx, f, opts, en, progress) {
			r.Err = explainDiskFull(r.File, r.Err)
			results = append(results, r)
		}
		if lv != nil {
			c.mu.Lock()
			c.feedLiveLocked(ctx, lv)
			c.mu.Unlock()
		}
	}
	if opts.SaveAs != "" && len(opts.Map) > 0 {
		for _, r := range results {
			if r.Err == nil && r.Kind == string(model.KindAccessLog) {
				if err := c.store.SaveProfile(ctx, c.Investigator(ctx), store.MappingProfile{Name: opts.SaveAs, Mapping: opts.Map, Format: opts.Format}); err != nil {
					return results, err
				}
				break
			}
		}
	}
	paired, err := c.pairByName(ctx, results)
	if err != nil {
		return results, fmt.Errorf("pair recordings with their transcripts: %w", err)
	}
	for i := range results {
		results[i].PairedWith = paired[results[i].SourceID]
	}
	if opts.DeferIndex {
		return results, nil
	}
	if err := c.syncIndexAfter(ctx, lv, progress); err != nil {
		return results, fmt.Errorf("update index: %w", err)
	}
	return results, nil
}

func cleanOSError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// walkFolder lists the regular files under dir in name order, skipping
// hidden entries and symlinks (which could lead outside the folder).
func walkFolder(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", path, cleanOSError(err))
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 || !d.Type().IsRegular() {
			return nil
		}
		out = append(out, path)
		return nil
	})
	sort.Strings(out)
	return out, err
}

// importFile imports one file (or, for an archive, each of its entries).
func (c *Case) importFile(ctx context.Context, path string, opts ImportOptions, en *enricher, progress ProgressFunc) []ImportResult {
	began := time.Now()
	res := ImportResult{File: path}
	fail := func(err error) []ImportResult {
		res.Err = err
		res.Seconds = time.Since(began).Seconds()
		return []ImportResult{res}
	}
	f, err := os.Open(path)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", path, cleanOSError(err)))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fail(fmt.Errorf("%s: %w", path, cleanOSError(err)))
	}
	if st.Size() == 0 {
		return fail(fmt.Errorf("%s: empty file", path))
	}
	if expanded, ok := c.importArchive(ctx, path, f, st.Size(), opts, en, progress); ok {
		return expanded
	}
	return []ImportResult{c.importStream(ctx, path, filepath.Base(path), f, opts, en, progress)}
}

// importStream stores r as an original and imports it as one source.
func (c *Case) importStream(ctx context.Context, display, name string, r io.Reader, opts ImportOptions, en *enricher, progress ProgressFunc) ImportResult {
	began := time.Now()
	res := ImportResult{File: display}
	fail := func(err error) ImportResult {
		res.Err = err
		res.Seconds = time.Since(began).Seconds()
		return res
	}
	// 1. Copy the bytes into the case, hashing exactly what was read.
	tmp, sha, size, err := c.storeTemp(r)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", display, err))
	}
	res.SHA256 = sha
	defer os.Remove(tmp) // gone once renamed; removes it on every failure
	if size == 0 {
		return fail(fmt.Errorf("%s: empty file", display))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if existing, err := c.store.SourceBySHA(ctx, sha); err == nil {
		return fail(alreadyInCase(display, existing))
	}
	if isRecordingImport(name, opts) {
		return c.importRecording(ctx, display, name, tmp, sha, size, opts, began)
	}
	// 2. Pick the format from the stored bytes.
	head, err := readHead(tmp)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", display, err))
	}
	// A .gz is detected and parsed by what it holds; offsets are then
	// positions in the decompressed text.
	rawHead := head
	format, gz, err := pickFormat(display, rawHead, opts)
	if err != nil {
		return fail(err)
	}
	res.Kind, res.Format = string(format.Kind), format.Name
	// 3. Put the original in its place, read-only, before any record refers to it.
	final := filepath.Join(c.dir, originalPath(sha))
	if err := placeOriginal(tmp, final); err != nil {
		return fail(fmt.Errorf("%s: store original: %w", display, err))
	}
	committed := false
	defer func() {
		if !committed {
			removeOriginal(final)
		}
	}()
	// 4. Parse the stored original and commit every record in one transaction.
	in, err := os.Open(final)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", display, err))
	}
	defer in.Close()
	investigator := c.Investigator(ctx)
	src := model.Source{SHA256: sha, Size: size, Name: name, Path: display, Kind: format.Kind, Format: format.Name,
		Importer: format.ImporterID(), ImportedAt: time.Now().UTC(), Investigator: investigator}
	im, err := c.store.BeginImport(ctx, src, recordOptions(format.Name, opts))
	if err != nil {
		return fail(fmt.Errorf("%s: %w", display, err))
	}
	defer im.Rollback()
	sink := &storeSink{ctx: ctx, im: im, name: display, strict: opts.Strict, enrich: en}
	counted := &countingReader{r: in, every: 1 << 20, report: func(n int64) {
		progress.report(Progress{Stage: "import", File: display, Done: n, Total: size, Records: sink.records, Rejects: sink.rejects})
	}}
	var body io.Reader = counted
	if gz {
		if body, _, _, err = importer.Decompress(display, rawHead, counted); err != nil {
			return fail(fmt.Errorf("%s: %w", display, err))
		}
	}
	meta, err := format.Parse(ctx, importer.Input{Name: display, R: body, Size: size, Opts: parserOptions(opts),
		Reopen: reopener(openFile(final), display, rawHead, gz)}, sink)
	if err == nil && sink.records == 0 {
		err = refusedWhole(display, format.Kind, sink.rejects, sink.first)
	}
	if err != nil {
		if sink.err != nil {
			err = sink.err
		}
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			// Cancelled: the store may only say its statement was closed.
			err = fmt.Errorf("%w (%v)", cerr, err)
		}
		res.Rejects = sink.rejects
		return fail(wrapParseErr(display, err))
	}
	progress.report(Progress{Stage: "import", File: display, Done: size, Total: size, Records: sink.records, Rejects: sink.rejects})
	if opts.Date != "" {
		meta.Describes = opts.Date
	}
	fin := model.Source{Encoding: meta.Encoding, Title: meta.Title, Describes: meta.Describes, TimeZone: meta.TimeZone,
		Rejects: sink.rejects, Warnings: sink.warningList()}
	saved, err := im.Commit(ctx, fin)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", display, err))
	}
	committed = true
	res.SourceID = model.ItemID{Kind: model.ItemSource, N: saved.ID}.String()
	res.Encoding, res.Records, res.Rejects, res.Warnings = saved.Encoding, saved.Records, saved.Rejects, saved.Warnings
	res.Seconds = time.Since(began).Seconds()
	return res
}

// genericLogFormat picks the generic access-log format for a file whose
// columns the investigator mapped by hand: JSON for objects, else CSV.
func genericLogFormat(head []byte) (*importer.Format, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		if f, err := importer.Lookup("jsonl-accesslog"); err == nil {
			return f, nil
		}
	}
	return importer.Lookup("csv-accesslog")
}

func wrapParseErr(display string, err error) error {
	var ie *importer.Error
	if errors.As(err, &ie) || strings.HasPrefix(err.Error(), display) {
		return err
	}
	return fmt.Errorf("%s: %w", display, err)
}

func unknownFormatReason(err error, display string) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, display+": ")
	return msg
}

// storeSink writes parsed records into the open import transaction.
type storeSink struct {
	ctx      context.Context
	im       *store.Import
	name     string
	records  int64
	rejects  int64
	warnings []string
	dropped  int
	err      error
	strict   bool
	enrich   *enricher
	first    []importer.Rejection // the first rejections, named when no record is left
}

func (s *storeSink) Segment(g *model.Segment) error {
	if err := s.im.AddSegment(s.ctx, g); err != nil {
		s.err = fmt.Errorf("%s:%d: %w", s.name, g.Line, err)
		return s.err
	}
	s.records++
	return nil
}

func (s *storeSink) Event(e *model.Event) error {
	ipFrom := s.enrich.apply(e)
	e.Context = s.enrich.context.context(e)
	if err := s.im.AddEvent(s.ctx, e); err != nil {
		s.err = fmt.Errorf("%s:%d: %w", s.name, e.Line, err)
		return s.err
	}
	if ipFrom >= 0 {
		if err := s.im.NoteIPCountryFrom(s.ctx, e.ID, ipFrom); err != nil {
			s.err = fmt.Errorf("%s:%d: %w", s.name, e.Line, err)
			return s.err
		}
	}
	s.records++
	return nil
}

func (s *storeSink) Warn(line int, msg string) { s.add(line, msg) }

func (s *storeSink) Reject(r importer.Rejection) error {
	where := fmt.Sprintf("line %d", r.Line)
	if r.Row > 0 {
		where = fmt.Sprintf("row %d", r.Row)
	}
	if s.strict {
		s.err = fmt.Errorf("%s:%d: %s refused (--strict, nothing imported): %s", s.name, r.Line, where, r.Reason)
		return s.err
	}
	s.rejects++
	if len(s.first) < refusedReasons {
		s.first = append(s.first, r)
	}
	if err := s.im.AddReject(s.ctx, model.Rejection{Line: r.Line, Row: r.Row, Reason: r.Reason, Raw: r.Raw}); err != nil {
		s.err = err
		return err
	}
	s.add(r.Line, "rejected "+where+": "+r.Reason)
	return nil
}

func (s *storeSink) add(line int, msg string) {
	if len(s.warnings) >= maxStoredWarnings {
		s.dropped++
		return
	}
	if line > 0 {
		msg = fmt.Sprintf("line %d: %s", line, msg)
	}
	s.warnings = append(s.warnings, msg)
}

func (s *storeSink) warningList() []string {
	if s.dropped > 0 {
		return append(s.warnings, fmt.Sprintf("… and %d more warnings", s.dropped))
	}
	return s.warnings
}

// storeTemp copies r into a temporary file inside originals/, hashing the
// bytes as they are written, and syncs it to disk.
func (c *Case) storeTemp(r io.Reader) (path, sha string, size int64, err error) {
	f, err := os.CreateTemp(filepath.Join(c.dir, originalsDir), ".incoming-*")
	if err != nil {
		return "", "", 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		return "", "", 0, fmt.Errorf("read: %w", cleanOSError(err))
	}
	if err = f.Sync(); err != nil {
		return "", "", 0, err
	}
	if err = f.Close(); err != nil {
		return "", "", 0, err
	}
	return f.Name(), hex.EncodeToString(h.Sum(nil)), size, nil
}

func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, importer.HeadSize)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:n], nil
}

// placeOriginal moves the temporary copy to its content-addressed place and
// makes it read-only. If an identical original is already there (left by an
// interrupted import), it is kept.
func placeOriginal(tmp, final string) error {
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o400); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	return syncDir(filepath.Dir(final))
}

func removeOriginal(path string) {
	_ = os.Chmod(path, 0o600)
	_ = os.Remove(path)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync() // not supported everywhere (Windows); best effort
	return nil
}

// countingReader reports how many bytes have passed, every so often.
type countingReader struct {
	r      io.Reader
	n      int64
	next   int64
	every  int64
	report func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n >= c.next {
		c.report(c.n)
		c.next = c.n + c.every
	}
	return n, err
}

// importArchive imports each entry of a zip archive as its own source. ok is
// false when the file is not an archive.
func (c *Case) importArchive(ctx context.Context, path string, f *os.File, size int64, opts ImportOptions, en *enricher, progress ProgressFunc) ([]ImportResult, bool) {
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return []ImportResult{{File: path, Err: err}}, true
	}
	if !importer.IsArchive(path, head[:n]) {
		return nil, false
	}
	// Path escapes, symlinks and size, count and ratio limits are refused here.
	entries, err := importer.ArchiveEntries(path, f, size, importer.DefaultArchiveLimits())
	if err != nil {
		return []ImportResult{{File: path, Err: err}}, true
	}
	if len(entries) == 0 {
		return []ImportResult{{File: path, Err: fmt.Errorf("%s: archive holds no files to import", path)}}, true
	}
	var out []ImportResult
	for _, e := range entries {
		display := path + "!" + e.Name
		rc, err := e.Open()
		if err != nil {
			out = append(out, ImportResult{File: display, Err: fmt.Errorf("%s: %w", display, err)})
			continue
		}
		out = append(out, c.importStream(ctx, display, e.Name, rc, opts, en, progress))
		rc.Close()
	}
	return out, true
}
