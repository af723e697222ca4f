package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"casebook/casefile"
	"casebook/model"
)

// afterDir returns the positional arguments after the case folder.
func afterDir(pos []string) []string {
	if len(pos) == 0 {
		return nil
	}
	return pos[1:]
}

func needDir(pos []string) (string, []string, error) {
	if len(pos) == 0 {
		return "", nil, usagef("the case folder is missing")
	}
	return pos[0], pos[1:], nil
}

func cmdNew(e *env, args []string) error {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	title := fs.String("title", "", "case title")
	who := fs.String("investigator", "", "investigator's name")
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	dir, rest, err := needDir(pos)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected %q", rest[0])
	}
	c, err := casefile.Create(e.ctx, dir, casefile.CreateOptions{Title: *title, Investigator: *who})
	if err != nil {
		return err
	}
	defer c.Close()
	info, err := c.Info(e.ctx)
	if err != nil {
		return err
	}
	if *jsonOut {
		return writeJSON(e.stdout, map[string]any{"dir": dir, "id": info.ID, "title": info.Title, "investigator": info.Investigator})
	}
	fmt.Fprintf(e.stdout, "created case %q in %s (id %s)\n", info.Title, dir, info.ID)
	return nil
}

// importJSON is the stable JSON shape of one file's import.
type importJSON struct {
	File     string   `json:"file"`
	SourceID string   `json:"source_id,omitempty"`
	SHA256   string   `json:"sha256,omitempty"`
	Kind     string   `json:"kind,omitempty"`
	Format   string   `json:"format,omitempty"`
	Encoding string   `json:"encoding,omitempty"`
	Records  int64    `json:"records"`
	Rejects  int64    `json:"rejects"`
	Warnings []string `json:"warnings"`
	Seconds  float64  `json:"seconds"`
	Error    string   `json:"error,omitempty"`
}

func parseMap(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			return nil, usagef("--map wants ROLE=COLUMN pairs, got %q (roles: %s)", kv, strings.Join(casefile.MappingRoles(), ", "))
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m, nil
}

func cmdImport(e *env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	kind := fs.String("kind", "", "transcript or accesslog")
	format := fs.String("format", "", "force a format (see casebook formats)")
	tz := fs.String("tz", "", "time zone for times without an offset (e.g. Asia/Shanghai)")
	date := fs.String("date", "", "the date a transcript describes (YYYY-MM-DD)")
	mapping := fs.String("map", "", "ROLE=COLUMN,... for access logs")
	strict := fs.Bool("strict", false, "refuse a whole file at its first bad row")
	deferIndex := fs.Bool("defer-index", false, "return once the records are stored; the index catches up when the case is next opened")
	profile := fs.String("profile", "", "use a saved column mapping")
	saveProfile := fs.String("save-profile", "", "save the --map used under this name")
	year := fs.Int("year", 0, "the year for log times written without one (syslog)")
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 1 {
		return usagef("no files to import")
	}
	opts := casefile.ImportOptions{Kind: model.SourceKind(*kind), Format: *format, Date: *date, Strict: *strict, DeferIndex: *deferIndex,
		Profile: *profile, SaveAs: *saveProfile, Year: *year}
	if *saveProfile != "" && *mapping == "" && *profile == "" {
		return usagef("--save-profile needs a --map to save")
	}
	if *kind != "" && !opts.Kind.Valid() {
		return usagef("--kind must be transcript or accesslog, not %q", *kind)
	}
	if *date != "" {
		if _, err := time.Parse("2006-01-02", *date); err != nil {
			return usagef("--date must be YYYY-MM-DD, not %q", *date)
		}
	}
	if *tz != "" {
		loc, err := time.LoadLocation(*tz)
		if err != nil {
			return usagef("--tz %q: unknown time zone", *tz)
		}
		opts.TZ = loc
	}
	if opts.Map, err = parseMap(*mapping); err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("the case folder is missing")
	}
	var c *casefile.Case
	files := pos[1:]
	if *deferIndex {
		// Store only: do not first index what an earlier deferred import left.
		c, err = casefile.OpenToStore(e.ctx, pos[0])
	} else {
		c, files, err = openCase(e, pos)
	}
	if err != nil {
		return err
	}
	defer c.Close()
	results, err := c.Import(e.ctx, files, opts, nil)
	if err != nil && len(results) == 0 {
		return err // refused as a whole (say, a read-only case): no table to print
	}
	failed := 0
	var out []importJSON
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	if !*jsonOut {
		fmt.Fprintln(tw, "FILE\tSOURCE\tFORMAT\tRECORDS\tREJECTS\tWARNINGS\tSECONDS\tSHA256")
	}
	for _, r := range results {
		j := importJSON{File: r.File, SourceID: r.SourceID, SHA256: r.SHA256, Kind: r.Kind, Format: r.Format,
			Encoding: r.Encoding, Records: r.Records, Rejects: r.Rejects, Warnings: r.Warnings, Seconds: r.Seconds}
		if j.Warnings == nil {
			j.Warnings = []string{}
		}
		if r.Err != nil {
			failed++
			j.Error = oneLine(r.Err)
			fmt.Fprintf(e.stderr, "casebook import: %s\n", j.Error)
		} else if !*jsonOut {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%.2f\t%s\n", r.File, r.SourceID, r.Format, r.Records, r.Rejects,
				len(r.Warnings), r.Seconds, r.SHA256[:16])
		}
		out = append(out, j)
	}
	if *jsonOut {
		if out == nil {
			out = []importJSON{}
		}
		if werr := writeJSON(e.stdout, out); werr != nil {
			return werr
		}
	} else {
		tw.Flush()
		for _, r := range results {
			for _, w := range r.Warnings {
				fmt.Fprintf(e.stdout, "  %s: %s\n", r.File, w)
			}
		}
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not imported", failed, len(results))
	}
	return nil
}

func cmdSources(e *env, args []string) error {
	fs := flag.NewFlagSet("sources", flag.ContinueOnError)
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	srcs, err := c.Sources(e.ctx)
	if err != nil {
		return err
	}
	if *jsonOut {
		type srcJSON struct {
			ID         string   `json:"id"`
			Name       string   `json:"name"`
			SHA256     string   `json:"sha256"`
			Size       int64    `json:"size"`
			Kind       string   `json:"kind"`
			Format     string   `json:"format"`
			Encoding   string   `json:"encoding"`
			Records    int64    `json:"records"`
			Rejects    int64    `json:"rejects"`
			ImportedAt string   `json:"imported_at"`
			Describes  string   `json:"describes,omitempty"`
			Importer   string   `json:"importer"`
			Warnings   []string `json:"warnings"`
		}
		out := []srcJSON{}
		for _, s := range srcs {
			w := s.Warnings
			if w == nil {
				w = []string{}
			}
			out = append(out, srcJSON{ID: model.ItemID{Kind: model.ItemSource, N: s.ID}.String(), Name: s.Name, SHA256: s.SHA256,
				Size: s.Size, Kind: string(s.Kind), Format: s.Format, Encoding: s.Encoding, Records: s.Records, Rejects: s.Rejects,
				ImportedAt: s.ImportedAt.Format(time.RFC3339), Describes: s.Describes, Importer: s.Importer, Warnings: w})
		}
		return writeJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tFORMAT\tENCODING\tRECORDS\tWARNINGS\tIMPORTED\tSHA256")
	for _, s := range srcs {
		fmt.Fprintf(tw, "src-%d\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", s.ID, s.Name, s.Kind, s.Format, s.Encoding, s.Records,
			len(s.Warnings), s.ImportedAt.Format("2006-01-02 15:04"), s.SHA256[:16])
	}
	return tw.Flush()
}

func cmdVerify(e *env, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	rep, err := c.Verify(e.ctx, nil)
	if err != nil {
		return err
	}
	problems := rep.Problems
	if problems == nil {
		problems = []string{}
	}
	if *jsonOut {
		if err := writeJSON(e.stdout, map[string]any{"ok": rep.OK, "problems": problems, "sources": rep.Sources, "audit_entries": rep.Audit}); err != nil {
			return err
		}
	} else if rep.OK {
		fmt.Fprintf(e.stdout, "ok: %d originals match their SHA-256, %d audit entries chain correctly, index in step\n", rep.Sources, rep.Audit)
	}
	if !rep.OK {
		for _, p := range problems {
			fmt.Fprintf(e.stderr, "casebook verify: %s\n", p)
		}
		return errors.New(plural(len(problems), "problem") + " found")
	}
	return nil
}

func plural(n int, w string) string {
	if n == 1 {
		return "1 " + w
	}
	return fmt.Sprintf("%d %ss", n, w)
}

func cmdReindex(e *env, args []string) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	began := time.Now()
	if err := c.Reindex(e.ctx, nil); err != nil {
		return err
	}
	info, err := c.Info(e.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reindexed %d segments and %d events in %.1fs\n", info.Segments, info.Events, time.Since(began).Seconds())
	return nil
}

func cmdDemo(e *env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	dir, _, err := needDir(pos)
	if err != nil {
		return err
	}
	began := time.Now()
	c, err := casefile.BuildDemo(e.ctx, dir, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	info, err := c.Info(e.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "built the demo case %q in %s: %d sources, %d segments, %d events (%.1fs)\n",
		info.Title, dir, info.Sources, info.Segments, info.Events, time.Since(began).Seconds())
	return nil
}

func cmdFormats(e *env, args []string) error {
	fs := flag.NewFlagSet("formats", flag.ContinueOnError)
	jsonOut := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	type fj struct {
		Name    string `json:"name"`
		Kind    string `json:"kind"`
		Version int    `json:"version"`
		Title   string `json:"title"`
	}
	var out []fj
	for _, f := range casefile.Formats() {
		out = append(out, fj{f.Name, f.Kind, f.Version, f.Title})
	}
	if *jsonOut {
		return writeJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FORMAT\tKIND\tDESCRIPTION")
	for _, f := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Kind, f.Title)
	}
	return tw.Flush()
}
