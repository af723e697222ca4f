package casefile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"casebook/importer"
	"casebook/model"
)

// What an import would do, found without doing it (import --dry-run, the
// window's import preview), through the steps Import takes (importsteps.go).

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
