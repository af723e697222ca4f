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

func cmdReport(e *env, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	out := fs.String("o", "", "the PDF to write")
	tags := fs.String("tags", "", "only these tags (comma-separated)")
	statements := fs.String("statements", "", "only these statement ids (comma-separated)")
	marking := fs.String("marking", "", "marking line, e.g. CONFIDENTIAL")
	bates := fs.String("bates", "", "Bates prefix for a stamp on every page")
	redact := fs.String("redact", "", "names or words to print as solid bars (comma-separated)")
	pseudo := fs.Bool("pseudonymise", false, "replace people's names with Employee A, B, …")
	paper := fs.String("paper", "A4", "A4 or Letter")
	date := fs.String("date", "", "the report's date, YYYY-MM-DD (fixes the output bytes)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("-o FILE.pdf is required")
	}
	if !strings.EqualFold(*paper, "A4") && !strings.EqualFold(*paper, "Letter") {
		return usagef("--paper must be A4 or Letter")
	}
	opts := casefile.ReportOptions{Tags: splitList(*tags), Marking: *marking, Bates: *bates, Redact: splitList(*redact),
		Pseudonymise: *pseudo, Paper: *paper}
	for _, s := range splitList(*statements) {
		id, err := strconv.ParseInt(strings.TrimPrefix(s, "st-"), 10, 64)
		if err != nil {
			return usagef("--statements wants ids, got %q", s)
		}
		opts.Statements = append(opts.Statements, id)
	}
	if *date != "" {
		d, err := time.Parse("2006-01-02", *date)
		if err != nil {
			return usagef("--date must be YYYY-MM-DD")
		}
		opts.Date = d
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	began := time.Now()
	if err := c.WriteReportFile(e.ctx, *out, opts); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (%.1fs)\n", *out, time.Since(began).Seconds())
	return nil
}

func cmdExport(e *env, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fs.String("format", "csv", "csv, jsonl or ftm")
	what := fs.String("what", "evidence", "evidence, events or search")
	query := fs.String("query", "", "the search to export (with --what search)")
	out := fs.String("o", "", "the file to write (- for standard output)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("-o FILE is required (- for standard output)")
	}
	if *what == "search" && *query == "" {
		return usagef("--what search needs --query")
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	opts := casefile.ExportOptions{Format: *format, What: *what, Query: casefile.Query{Text: *query}}
	if *out == "-" {
		_, err := c.Export(e.ctx, e.stdout, opts)
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(*out), ".export-*")
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
	if err := os.Rename(f.Name(), *out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %d %s to %s\n", n, map[bool]string{true: "entities", false: "rows"}[*format == "ftm"], *out)
	return nil
}
