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
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	dir, files, err := needDir(pos)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("no files to import")
	}
	opts := casefile.ImportOptions{Kind: model.SourceKind(*kind), Format: *format, Date: *date}
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
	c, err := casefile.Open(e.ctx, dir, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	results, err := c.Import(e.ctx, files, opts, nil)
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
	dir, _, err := needDir(pos)
	if err != nil {
		return err
	}
	c, err := casefile.Open(e.ctx, dir, nil)
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

func cmdSearch(e *env, args []string) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	limit := fs.Int("limit", 20, "hits to show")
	offset := fs.Int("offset", 0, "hits to skip")
	sortBy := fs.String("sort", "score", "score or time")
	facets := fs.Bool("facets", false, "count hits per field")
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	dir, rest, err := needDir(pos)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usagef("the query is missing")
	}
	if *sortBy != "score" && *sortBy != "time" {
		return usagef("--sort must be score or time")
	}
	c, err := casefile.Open(e.ctx, dir, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	q := casefile.Query{Text: strings.Join(rest, " "), Limit: *limit, Offset: *offset, ByTime: *sortBy == "time", Facets: *facets || *jsonOut}
	res, err := c.Search(e.ctx, q)
	if err != nil {
		return err
	}
	if *jsonOut {
		type hitJSON struct {
			ID       string  `json:"id"`
			Kind     string  `json:"kind"`
			SourceID string  `json:"source_id"`
			Score    float64 `json:"score"`
			Time     string  `json:"time,omitempty"`
			StartMS  *int64  `json:"start_ms,omitempty"`
			Speaker  string  `json:"speaker,omitempty"`
			Actor    string  `json:"actor,omitempty"`
			Country  string  `json:"country,omitempty"`
			Text     string  `json:"text"`
			Snippet  string  `json:"snippet"`
			Line     int     `json:"line"`
		}
		hits := []hitJSON{}
		for _, h := range res.Hits {
			j := hitJSON{ID: h.ID, Kind: h.Kind, SourceID: h.SourceID, Score: h.Score, Speaker: h.Speaker, Actor: h.Actor,
				Country: h.Country, Text: h.Text, Snippet: h.Snippet, Line: h.Line}
			if !h.Time.IsZero() {
				j.Time = h.Time.Format(time.RFC3339)
			}
			if h.StartMS >= 0 {
				v := h.StartMS
				j.StartMS = &v
			}
			hits = append(hits, j)
		}
		facetsOut := map[string]map[string]int{}
		for k, v := range res.Facets {
			m := map[string]int{}
			for _, f := range v {
				m[f.Term] = f.Count
			}
			facetsOut[k] = m
		}
		return writeJSON(e.stdout, map[string]any{"total": res.Total, "hits": hits, "facets": facetsOut})
	}
	fmt.Fprintf(e.stdout, "%d hits\n", res.Total)
	for _, h := range res.Hits {
		who := h.Speaker
		when := ""
		if h.Kind == "event" {
			who = h.Actor
			when = h.Time.Format("2006-01-02 15:04")
		} else if h.StartMS >= 0 {
			when = fmtMS(h.StartMS)
		}
		fmt.Fprintf(e.stdout, "%-10s %-7s %-16s %-18s %s\n", h.ID, h.SourceID, when, trunc(who, 18), trunc(h.Snippet, 160))
	}
	if *facets {
		for _, f := range []string{"kind", "speaker", "actor", "country", "category", "approval"} {
			if len(res.Facets[f]) == 0 {
				continue
			}
			var parts []string
			for _, fc := range res.Facets[f] {
				parts = append(parts, fmt.Sprintf("%s %d", fc.Term, fc.Count))
			}
			fmt.Fprintf(e.stdout, "%s: %s\n", f, strings.Join(parts, ", "))
		}
	}
	return nil
}

func fmtMS(ms int64) string {
	s := ms / 1000
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}

func trunc(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func cmdVerify(e *env, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	dir, _, err := needDir(pos)
	if err != nil {
		return err
	}
	c, err := casefile.Open(e.ctx, dir, nil)
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
	dir, _, err := needDir(pos)
	if err != nil {
		return err
	}
	c, err := casefile.Open(e.ctx, dir, nil)
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
