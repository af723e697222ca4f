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

// newFlags are the flags of casebook new.
type newFlags struct {
	title, investigator string
	jsonFlags
}

func (o *newFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("new")
	fs.StringVar(&o.title, "title", "", "the case's `title`")
	fs.StringVar(&o.investigator, "investigator", "", "the investigator's `name`, recorded with every change")
	o.jsonFlags.define(fs)
	return fs
}

func cmdNew(e *env, args []string) error {
	var o newFlags
	pos, err := parse(o.flagSet(), args)
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
	c, err := casefile.Create(e.ctx, dir, casefile.CreateOptions{Title: o.title, Investigator: o.investigator})
	if err != nil {
		return err
	}
	defer c.Close()
	info, err := c.Info(e.ctx)
	if err != nil {
		return err
	}
	if o.json {
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
	// PairedWith names the recording or transcript paired on import by name.
	PairedWith string `json:"paired_with,omitempty"`
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

// importFlags are the flags of casebook import.
type importFlags struct {
	kind, format, tz, date, mapping, profile, saveProfile string
	strict, deferIndex                                    bool
	year                                                  int
	jsonFlags

	dateOrder string // --date-order: dmy or mdy
	dryRun    bool   // --dry-run: show what would be stored, store nothing
	noHeader  bool   // --no-header: the first row of a delimited log is data
}

func (o *importFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("import")
	fs.StringVar(&o.kind, "kind", "", "what the files are: transcript or accesslog (default: recognised from each file)")
	fs.StringVar(&o.format, "format", "", "force a format, one of those casebook formats lists (default: recognised from each file)")
	fs.StringVar(&o.tz, "tz", "", "time zone of times written without an offset, e.g. Asia/Shanghai (default: UTC)")
	fs.StringVar(&o.date, "date", "", "the date a transcript describes, `YYYY-MM-DD`, overriding what the file says")
	fs.StringVar(&o.mapping, "map", "", "which access-log column holds which role, `ROLE=COLUMN,...` (roles: "+strings.Join(casefile.MappingRoles(), ", ")+")")
	fs.BoolVar(&o.strict, "strict", false, "refuse a whole file at its first bad row")
	fs.BoolVar(&o.deferIndex, "defer-index", false, "return once the records are stored; the index catches up when the case is next opened")
	fs.StringVar(&o.profile, "profile", "", "use the column mapping saved under this `name`")
	fs.StringVar(&o.saveProfile, "save-profile", "", "save the --map used under this `name`, for --profile")
	fs.IntVar(&o.year, "year", 0, "the year of log times written without one (syslog and split dates; default: the current year, said in a warning)")
	fs.StringVar(&o.dateOrder, "date-order", "", "how numeric dates such as 05/10/2025 read when no value of the column tells: `dmy` (day first) or mdy (month first)")
	fs.BoolVar(&o.noHeader, "no-header", false, "the first row of a delimited access log is data, not column names: --map names the columns by number (time=1)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "read the files and show what would be stored and rejected, with the first records and reasons, storing nothing")
	o.jsonFlags.define(fs)
	return fs
}

func cmdImport(e *env, args []string) error {
	var o importFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if len(pos) == 1 {
		return usagef("no files to import")
	}
	opts := casefile.ImportOptions{Kind: model.SourceKind(o.kind), Format: o.format, Date: o.date, Strict: o.strict, DeferIndex: o.deferIndex,
		Profile: o.profile, SaveAs: o.saveProfile, Year: o.year, NoHeader: o.noHeader}
	if o.saveProfile != "" && o.mapping == "" && o.profile == "" {
		return usagef("--save-profile needs a --map to save")
	}
	if o.kind != "" && !opts.Kind.Valid() {
		return usagef("--kind must be transcript or accesslog, not %q", o.kind)
	}
	if o.date != "" {
		if _, err := time.Parse("2006-01-02", o.date); err != nil {
			return usagef("--date must be YYYY-MM-DD, not %q", o.date)
		}
	}
	if o.tz != "" {
		loc, err := time.LoadLocation(o.tz)
		if err != nil {
			return usagef("--tz %q: unknown time zone", o.tz)
		}
		opts.TZ = loc
	}
	if opts.Map, err = parseMap(o.mapping); err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("the case folder is missing")
	}
	switch o.dateOrder {
	case "", "dmy", "mdy":
		opts.DateOrder = o.dateOrder
	default:
		return usagef("--date-order must be dmy or mdy, not %q", o.dateOrder)
	}
	if o.dryRun {
		return dryRunImport(e, pos, opts, o.json)
	}
	var c *casefile.Case
	files := pos[1:]
	if o.deferIndex {
		// Store only: do not first index what an earlier deferred import left.
		c, err = casefile.OpenToStore(e.ctx, pos[0])
	} else {
		c, files, err = openCase(e, pos)
	}
	if err != nil {
		return err
	}
	defer c.Close()
	results, err := c.Import(e.ctx, files, opts, e.progress())
	if err != nil && len(results) == 0 {
		return err // refused as a whole (say, a read-only case): no table to print
	}
	failed := 0
	var out []importJSON
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	if !o.json {
		fmt.Fprintln(tw, "FILE\tSOURCE\tFORMAT\tRECORDS\tREJECTS\tWARNINGS\tSECONDS\tSHA256")
	}
	for _, r := range results {
		j := importJSON{File: r.File, SourceID: r.SourceID, SHA256: r.SHA256, Kind: r.Kind, Format: r.Format,
			Encoding: r.Encoding, Records: r.Records, Rejects: r.Rejects, Warnings: r.Warnings, Seconds: r.Seconds, PairedWith: r.PairedWith}
		if j.Warnings == nil {
			j.Warnings = []string{}
		}
		if r.Err != nil {
			failed++
			j.Error = oneLine(r.Err)
			if !isCancel(r.Err) { // cancelled: one line says so, at the end
				fmt.Fprintf(e.stderr, "casebook import: %s\n", j.Error)
			}
		} else if !o.json {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%.2f\t%s\n", r.File, r.SourceID, r.Format, r.Records, r.Rejects,
				len(r.Warnings), r.Seconds, r.SHA256[:16])
		}
		out = append(out, j)
	}
	if o.json {
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
			if r.PairedWith != "" {
				fmt.Fprintf(e.stdout, "  %s: paired with %s by their names\n", r.File, r.PairedWith)
			}
		}
	}
	if e.ctx.Err() != nil {
		return importCancelled(results, err)
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
	var o jsonFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	c, _, err := openCaseToRead(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	srcs, err := c.Sources(e.ctx)
	if err != nil {
		return err
	}
	if o.json {
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

// verifyFlags are verify's flags.
type verifyFlags struct {
	deep bool
	jsonFlags
}

func (o *verifyFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("verify")
	fs.BoolVar(&o.deep, "deep", false, "also parse every original again and compare each record, field by field, with the stored one")
	o.jsonFlags.define(fs)
	return fs
}

func cmdVerify(e *env, args []string) error {
	var o verifyFlags
	c, err := openCaseOnly(e, o.flagSet(), args)
	if err != nil {
		return err
	}
	defer c.Close()
	rep, err := c.VerifyWith(e.ctx, casefile.VerifyOptions{Deep: o.deep}, e.progress())
	if err != nil {
		return err
	}
	problems := rep.Problems
	if problems == nil {
		problems = []string{}
	}
	var notes []string
	for _, u := range rep.Unsealed {
		notes = append(notes, u+" was imported before Casebook sealed records: its records are not checked against a seal")
	}
	if rep.Deep != nil {
		notes = append(notes, rep.Deep.Notes...)
	}
	if o.json {
		out := map[string]any{"ok": rep.OK, "problems": problems, "sources": rep.Sources, "audit_entries": rep.Audit,
			"sealed_sources": rep.Sealed, "records_checked": rep.Records, "unsealed": nonNilStrings(rep.Unsealed), "notes": nonNilStrings(notes),
			"ip_databases": rep.IPDatabases}
		if rep.Deep != nil {
			out["deep"] = map[string]any{"sources": rep.Deep.Sources, "records": rep.Deep.Records, "index_documents": rep.Deep.Indexed}
		}
		if err := writeJSON(e.stdout, out); err != nil {
			return err
		}
	} else if rep.OK {
		fmt.Fprintf(e.stdout, "ok: %d originals match their SHA-256, %d records of %d sources match the seals of their imports, %d audit entries chain correctly, index in step\n",
			rep.Sources, rep.Records, rep.Sealed, rep.Audit)
		if rep.IPDatabases > 0 {
			fmt.Fprintf(e.stdout, "ok: %d IP databases (ipdb/) match the SHA-256 recorded when they were loaded\n", rep.IPDatabases)
		}
		if rep.Deep != nil {
			fmt.Fprintf(e.stdout, "ok (--deep): parsing %d originals again gives the %d records stored, field by field\n", rep.Deep.Sources, rep.Deep.Records)
			fmt.Fprintf(e.stdout, "ok (--deep): the index holds for each of %d items what its record, tags and notes give\n", rep.Deep.Indexed)
		}
	}
	if !o.json {
		for _, n := range notes {
			fmt.Fprintf(e.stderr, "casebook verify: note: %s\n", n)
		}
	}
	if !rep.OK {
		for _, p := range problems {
			fmt.Fprintf(e.stderr, "casebook verify: %s\n", p)
		}
		return errors.New(plural(len(problems), "problem") + " found")
	}
	return nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func plural(n int, w string) string {
	if n == 1 {
		return "1 " + w
	}
	return fmt.Sprintf("%d %ss", n, w)
}

func cmdReindex(e *env, args []string) error {
	fs := newFlagSet("reindex") // no flags
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
	if err := c.Reindex(e.ctx, e.progress()); err != nil {
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
	fs := newFlagSet("demo") // no flags
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	dir, _, err := needDir(pos)
	if err != nil {
		return err
	}
	began := time.Now()
	c, err := casefile.BuildDemo(e.ctx, dir, e.progress())
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
	var o jsonFlags
	if _, err := parse(o.flagSet(), args); err != nil {
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
	if o.json {
		return writeJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FORMAT\tKIND\tDESCRIPTION")
	for _, f := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Kind, f.Title)
	}
	return tw.Flush()
}
