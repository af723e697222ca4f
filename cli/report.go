package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"casebook/casefile"
)

// reportFlags are the flags of casebook report.
type reportFlags struct {
	out, tags, statements, marking, bates, redact, paper, date string
	pseudo, force                                              bool
}

func (o *reportFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("report")
	fs.StringVar(&o.out, "o", "", "the PDF `file` to write (required)")
	fs.StringVar(&o.tags, "tags", "", "only exhibits with these `tags` (comma-separated)")
	fs.StringVar(&o.statements, "statements", "", "only these statement `ids` (comma-separated)")
	fs.StringVar(&o.marking, "marking", "", "a marking line on every page, e.g. CONFIDENTIAL")
	fs.StringVar(&o.bates, "bates", "", "a Bates `prefix` for a stamp on every page")
	fs.StringVar(&o.redact, "redact", "", "names or `words` to print as solid bars (comma-separated)")
	fs.BoolVar(&o.pseudo, "pseudonymise", false, "replace people's names with Employee A, B, …")
	fs.StringVar(&o.paper, "paper", "A4", "paper size: A4 or Letter")
	fs.StringVar(&o.date, "date", "", "the report's date, `YYYY-MM-DD` (fixes the output bytes; default: today)")
	fs.BoolVar(&o.force, "force", false, "replace the file -o names when it exists (without it, an existing file is refused)")
	return fs
}

func cmdReport(e *env, args []string) error {
	var o reportFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if o.out == "" {
		return usagef("-o FILE.pdf is required")
	}
	if !strings.EqualFold(o.paper, "A4") && !strings.EqualFold(o.paper, "Letter") {
		return usagef("--paper must be A4 or Letter")
	}
	if err := refuseOverwrite(o.out, o.force); err != nil {
		return err
	}
	opts := casefile.ReportOptions{Tags: splitList(o.tags), Marking: o.marking, Bates: o.bates, Redact: splitList(o.redact),
		Pseudonymise: o.pseudo, Paper: o.paper}
	for _, s := range splitList(o.statements) {
		id, err := strconv.ParseInt(strings.TrimPrefix(s, "st-"), 10, 64)
		if err != nil {
			return usagef("--statements wants ids, got %q", s)
		}
		opts.Statements = append(opts.Statements, id)
	}
	if o.date != "" {
		d, err := time.Parse("2006-01-02", o.date)
		if err != nil {
			return usagef("--date must be YYYY-MM-DD")
		}
		opts.Date = d
	}
	c, _, err := openCaseToRead(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	began := time.Now()
	opts.Progress = e.progress()
	if err := c.WriteReportFile(e.ctx, o.out, opts); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (%.1fs)\n", o.out, time.Since(began).Seconds())
	return nil
}

// exportFlags are the flags of casebook export.
type exportFlags struct {
	format, what, query, out string
	force                    bool
}

// exportFormats are the values of export --format.
var exportFormats = []string{"csv", "jsonl", "ftm"}

func (o *exportFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("export")
	fs.StringVar(&o.format, "format", "csv", "csv, jsonl (JSON Lines) or ftm (FollowTheMoney entities)")
	fs.StringVar(&o.what, "what", "evidence", "what to export: evidence, events, search, or all (the whole case, with --format ftm)")
	fs.StringVar(&o.query, "query", "", "the search to export (with --what search)")
	fs.StringVar(&o.out, "o", "", "the `file` to write, - for standard output (required)")
	fs.BoolVar(&o.force, "force", false, "replace the file -o names when it exists (without it, an existing file is refused)")
	return fs
}

func cmdExport(e *env, args []string) error {
	var o exportFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if o.out == "" {
		return usagef("-o FILE is required (- for standard output)")
	}
	if o.what == "search" && o.query == "" {
		return usagef("--what search needs --query")
	}
	if o.out != "-" {
		if err := refuseOverwrite(o.out, o.force); err != nil {
			return err
		}
	}
	c, _, err := openCaseToRead(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	opts := casefile.ExportOptions{Format: o.format, What: o.what, Query: casefile.Query{Text: o.query}}
	opts.Progress = e.progress()
	if o.out == "-" {
		opts.Progress = e.progressBeside()
		_, err := c.Export(e.ctx, e.stdout, opts)
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(o.out), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	n, err := c.Export(e.ctx, f, opts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(f.Name(), o.out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %d %s to %s\n", n, map[bool]string{true: "entities", false: "rows"}[o.format == "ftm"], o.out)
	return nil
}

// refuseOverwrite refuses to write over an existing file unless --force
// asks for it, naming a free dated name to use instead.
func refuseOverwrite(path string, force bool) error {
	if force {
		return nil
	}
	if err := casefile.CheckNewOutput(path, time.Now()); err != nil {
		return fmt.Errorf("%w, or add --force to replace it", err)
	}
	return nil
}
