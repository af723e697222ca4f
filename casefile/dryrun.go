package casefile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"casebook/importer"
	"casebook/model"
)

// What an import would do, found without doing it (import --dry-run, the
// window's import preview), and the pieces the import and the dry run
// share: choosing the format, the parser's options, and the error of a file
// none of whose rows became a record.

// refusedReasons is how many rejections the error of a refused file names.
const refusedReasons = 3

// refusedWhole is the error of a file that gave no record: with the number
// of rows rejected and the first reasons with their rows, so the
// investigator sees why without the rejects, which are not kept (nothing of
// a refused file is stored).
func refusedWhole(display string, kind model.SourceKind, rejects int64, first []importer.Rejection) error {
	if rejects == 0 {
		return importer.Errorf(display, 0, "no %s records found", kind)
	}
	reasons := make([]string, 0, len(first))
	for _, r := range first {
		reasons = append(reasons, rejectPlace(r.Row, r.Line)+": "+cutReason(r.Reason, 160))
	}
	msg := strings.Join(reasons, "; ")
	if more := rejects - int64(len(first)); more > 0 {
		msg += fmt.Sprintf("; and %d more", more)
	}
	return importer.Errorf(display, 0, "no %s records found: all %d rows were rejected and nothing was stored — %s (import --dry-run lists them)",
		kind, rejects, msg)
}

// rejectPlace names where a rejected row is: "row 2" for tables, "line 7" otherwise.
func rejectPlace(row, line int) string {
	if row > 0 {
		return fmt.Sprintf("row %d", row)
	}
	return fmt.Sprintf("line %d", line)
}

// cutReason shortens a reason to n bytes on a rune boundary.
func cutReason(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// parserOptions are the importer's options for an import's.
func parserOptions(o ImportOptions) importer.Options {
	return importer.Options{Kind: o.Kind, Format: o.Format, TZ: o.TZ, Map: o.Map, Date: o.Date, MaxLine: o.MaxLine,
		Year: o.Year, DateOrder: o.DateOrder}
}

// reopener reads a file again from its start (open opens it), decompressed
// when the import reads it decompressed.
func reopener(open func() (io.ReadCloser, error), display string, rawHead []byte, gz bool) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		f, err := open()
		if err != nil || !gz {
			return f, err
		}
		r, _, _, err := importer.Decompress(display, rawHead, f)
		if err != nil {
			f.Close()
			return nil, err
		}
		return readCloser{r, f}, nil
	}
}

// openFile opens the file at path for a reopener.
func openFile(path string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return os.Open(path) }
}

// readCloser reads one reader and closes another (the file under a decompressor).
type readCloser struct {
	io.Reader
	io.Closer
}

// pickFormat chooses the format of a file from its first bytes: the one
// asked for, else the one Detect recognises (a .gz by what it holds), else,
// when the investigator mapped columns by hand, the generic log. gz tells
// that the file is read decompressed.
func pickFormat(display string, rawHead []byte, opts ImportOptions) (format *importer.Format, gz bool, err error) {
	detectName := display
	head, inner, gz := importer.DecompressedHead(display, rawHead)
	if gz {
		detectName = strings.TrimSuffix(display, ".gz")
		if inner != "" {
			detectName = inner
		}
	}
	if opts.Format != "" {
		format, err = importer.Lookup(opts.Format)
		return format, gz, err
	}
	format, err = importer.Detect(detectName, head, opts.Kind)
	if errors.Is(err, importer.ErrUnknownFormat) && len(opts.Map) > 0 && opts.Kind != model.KindTranscript {
		// Headers no format recognises, but the investigator placed the
		// columns by hand: read it as a generic log.
		format, err = genericLogFormat(head)
	}
	if errors.Is(err, importer.ErrUnknownFormat) {
		return nil, gz, fmt.Errorf("%s: %s", display, unknownFormatReason(err, display))
	}
	return format, gz, err
}

// withProfile merges a saved mapping profile into opts (opts.Map entries
// win; the profile's format is used when none is asked for).
func (c *Case) withProfile(ctx context.Context, opts ImportOptions) (ImportOptions, error) {
	if opts.Profile == "" {
		return opts, nil
	}
	p, err := c.store.Profile(ctx, opts.Profile)
	if err != nil {
		return opts, err
	}
	merged := make(map[string]string, len(p.Mapping)+len(opts.Map))
	for k, v := range p.Mapping {
		merged[k] = v
	}
	for k, v := range opts.Map {
		merged[k] = v
	}
	opts.Map = merged
	if opts.Format == "" {
		opts.Format = p.Format
	}
	return opts, nil
}

// importRequest checks an import's options (a forced format must exist),
// merges its saved profile, and lists the files of paths with a failed
// result for each path that cannot be read.
func (c *Case) importRequest(ctx context.Context, paths []string, opts ImportOptions) (ImportOptions, []string, []ImportResult, error) {
	if opts.Format != "" {
		if _, err := importer.Lookup(opts.Format); err != nil {
			return opts, nil, nil, err
		}
	}
	switch opts.DateOrder {
	case "", "dmy", "mdy":
	default:
		return opts, nil, nil, fmt.Errorf("date order %q: give dmy or mdy: %w", opts.DateOrder, model.ErrInvalid)
	}
	opts, err := c.withProfile(ctx, opts)
	if err != nil {
		return opts, nil, nil, err
	}
	files, failed := importFiles(paths)
	return opts, files, failed, nil
}

// importFiles lists the files an import of paths reads (folders walked),
// and a failed result for each path that cannot be read.
func importFiles(paths []string) ([]string, []ImportResult) {
	var files []string
	var results []ImportResult
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			results = append(results, ImportResult{File: p, Err: fmt.Errorf("%s: %w", p, cleanOSError(err))})
			continue
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		found, err := walkFolder(p)
		if err != nil {
			results = append(results, ImportResult{File: p, Err: err})
			continue
		}
		if len(found) == 0 {
			results = append(results, ImportResult{File: p, Err: fmt.Errorf("%s: folder holds no files to import", p)})
			continue
		}
		files = append(files, found...)
	}
	return files, results
}

// DryRunResult is what importing one file would store, found by reading it
// through its parser without storing anything.
type DryRunResult struct {
	File      string // the path as given (or archive!entry)
	SHA256    string
	Kind      string // transcript or accesslog
	Format    string
	Encoding  string
	Records   int64    // records that would be stored
	Rejects   int64    // rows or lines that would be refused
	Warnings  []string // what the import would warn
	First     []string // the first records, one line each
	FirstRej  []model.Rejection
	Duplicate string // the source holding the same bytes, "" when none (the import would refuse the file)
	Err       error  // why the import would refuse the file; nil when it would import it
}

// DryRunImport reads files and folders as Import would, through the same
// format choice, parsers and enrichment, and reports per file what would be
// stored and rejected, with the first show records and rejections. Nothing
// is written: no original is copied, no source, record or audit entry is
// made, and a read-only case can be asked.
func (c *Case) DryRunImport(ctx context.Context, paths []string, opts ImportOptions, show int) ([]DryRunResult, error) {
	opts, files, failed, err := c.importRequest(ctx, paths, opts)
	if err != nil {
		return nil, err
	}
	var out []DryRunResult
	for _, r := range failed {
		out = append(out, DryRunResult{File: r.File, Err: r.Err})
	}
	en, err := c.newEnricher(ctx)
	if err != nil {
		return out, fmt.Errorf("read the case's place and IP tables: %w", err)
	}
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		open := openFile(path)
		head, err := readHead(path)
		if err != nil {
			out = append(out, DryRunResult{File: path, Err: fmt.Errorf("%s: %w", path, cleanOSError(err))})
			continue
		}
		if !importer.IsArchive(path, head) {
			out = append(out, c.dryRunStream(ctx, path, open, opts, en, show))
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			out = append(out, DryRunResult{File: path, Err: fmt.Errorf("%s: %w", path, cleanOSError(err))})
			continue
		}
		st, err := f.Stat()
		if err == nil {
			var entries []importer.Entry
			entries, err = importer.ArchiveEntries(path, f, st.Size(), importer.DefaultArchiveLimits())
			for _, e := range entries {
				out = append(out, c.dryRunStream(ctx, path+"!"+e.Name, e.Open, opts, en, show))
			}
		}
		f.Close()
		if err != nil {
			out = append(out, DryRunResult{File: path, Err: err})
		}
	}
	return out, nil
}

// dryRunStream reads one file (opened by open, as often as needed) as
// importStream would, into a sink that counts and keeps the first records.
func (c *Case) dryRunStream(ctx context.Context, display string, open func() (io.ReadCloser, error), opts ImportOptions, en *enricher, show int) DryRunResult {
	res := DryRunResult{File: display}
	fail := func(err error) DryRunResult {
		res.Err = err
		return res
	}
	r, err := open()
	if err != nil {
		return fail(fmt.Errorf("%s: %w", display, cleanOSError(err)))
	}
	h := sha256.New()
	rawHead := make([]byte, importer.HeadSize)
	n, err := io.ReadFull(io.TeeReader(r, h), rawHead)
	if err == nil || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		_, err = io.Copy(h, r)
	}
	r.Close()
	if err != nil {
		return fail(fmt.Errorf("%s: %w", display, cleanOSError(err)))
	}
	rawHead = rawHead[:n]
	res.SHA256 = hex.EncodeToString(h.Sum(nil))
	if n == 0 {
		return fail(fmt.Errorf("%s: empty file", display))
	}
	if existing, err := c.store.SourceBySHA(ctx, res.SHA256); err == nil {
		res.Duplicate = model.ItemID{Kind: model.ItemSource, N: existing.ID}.String()
	}
	format, gz, err := pickFormat(display, rawHead, opts)
	if err != nil {
		return fail(err)
	}
	res.Kind, res.Format = string(format.Kind), format.Name
	reopen := reopener(open, display, rawHead, gz)
	body, err := reopen()
	if err != nil {
		return fail(fmt.Errorf("%s: %w", display, err))
	}
	defer body.Close()
	sink := &previewSink{show: show, en: en}
	meta, err := format.Parse(ctx, importer.Input{Name: display, R: body, Size: -1, Opts: parserOptions(opts), Reopen: reopen}, sink)
	res.Encoding, res.Records, res.Rejects, res.Warnings, res.First, res.FirstRej =
		meta.Encoding, sink.records, sink.rejects, sink.warnings, sink.first, sink.firstRej
	if err == nil && sink.records == 0 {
		first := make([]importer.Rejection, 0, refusedReasons)
		for _, r := range sink.firstRej[:min(len(sink.firstRej), refusedReasons)] {
			first = append(first, importer.Rejection{Line: r.Line, Row: r.Row, Raw: r.Raw, Reason: r.Reason})
		}
		err = refusedWhole(display, format.Kind, sink.rejects, first)
	}
	if err != nil {
		return fail(wrapParseErr(display, err))
	}
	if opts.Strict && sink.rejects > 0 {
		r := sink.firstRej[0]
		return fail(fmt.Errorf("%s:%d: %s refused (--strict, nothing imported): %s", display, r.Line, rejectPlace(r.Row, r.Line), r.Reason))
	}
	return res
}

// previewSink counts what a parser sends and keeps the first records and
// rejections, as one line each.
type previewSink struct {
	show     int
	en       *enricher
	records  int64
	rejects  int64
	warnings []string
	first    []string
	firstRej []model.Rejection
}

func (p *previewSink) Segment(g *model.Segment) error {
	p.records++
	if len(p.first) < p.show {
		line := g.Text
		if g.Speaker != "" {
			line = g.Speaker + ": " + line
		}
		p.first = append(p.first, fmt.Sprintf("line %d: %s", g.Line, cutReason(line, 200)))
	}
	return nil
}

func (p *previewSink) Event(e *model.Event) error {
	p.records++
	if len(p.first) < p.show {
		p.en.apply(e)
		p.first = append(p.first, fmt.Sprintf("%s: %s", rejectPlace(e.Row, e.Line), cutReason(e.Summary(), 200)))
	}
	return nil
}

func (p *previewSink) Warn(line int, msg string) {
	if len(p.warnings) >= maxStoredWarnings {
		return
	}
	if line > 0 {
		msg = fmt.Sprintf("line %d: %s", line, msg)
	}
	p.warnings = append(p.warnings, msg)
}

func (p *previewSink) Reject(r importer.Rejection) error {
	p.rejects++
	if len(p.firstRej) < max(p.show, refusedReasons) {
		p.firstRej = append(p.firstRej, model.Rejection{Line: r.Line, Row: r.Row, Reason: r.Reason, Raw: r.Raw})
	}
	return nil
}
