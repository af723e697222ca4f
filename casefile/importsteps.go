package casefile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"casebook/importer"
	"casebook/model"
)

// The steps of an import that Import and DryRunImport share: the request's
// checks and file list, the saved profile, the format chosen from the first
// bytes, the parser's options, reading a file again from its start, and the
// error of a file none of whose rows became a record.

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
		Year: o.Year, DateOrder: o.DateOrder, NoHeader: o.NoHeader}
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
