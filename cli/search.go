package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"casebook/casefile"
)

// hitJSON is one hit of `search --json` (a contract for scripts).
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
	PageLine string  `json:"page_line,omitempty"` // "982:3–7" in a paginated transcript
}

func toHitJSON(h casefile.Hit) hitJSON {
	j := hitJSON{ID: h.ID, Kind: h.Kind, SourceID: h.SourceID, Score: h.Score, Speaker: h.Speaker, Actor: h.Actor,
		Country: h.Country, Text: h.Text, Snippet: h.Snippet, Line: h.Line, PageLine: h.PageLine}
	if !h.Time.IsZero() {
		j.Time = h.Time.Format(time.RFC3339)
	}
	if h.StartMS >= 0 {
		v := h.StartMS
		j.StartMS = &v
	}
	return j
}

// searchFlags are the flags of casebook search: the filters, then how the
// hits are shown.
type searchFlags struct {
	f                   casefile.Filters
	limit, offset       int
	sortBy, save, batch string
	facets, all         bool
	jsonFlags
}

func (o *searchFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("search")
	f := &o.f
	fs.StringVar(&f.Kind, "kind", "", "only segment (also: transcript) or event (also: accesslog); other values are refused")
	fs.StringVar(&f.Source, "source", "", "only this source, e.g. src-3")
	fs.StringVar(&f.Speaker, "speaker", "", "only what this speaker said")
	fs.StringVar(&f.Actor, "actor", "", "only events of this actor")
	fs.StringVar(&f.Country, "country", "", "only events from this country `code`, e.g. CN")
	fs.StringVar(&f.Office, "office", "", "only events from this office")
	fs.StringVar(&f.Tag, "tag", "", "only items with this tag")
	fs.StringVar(&f.Category, "category", "", "only events touching this data category")
	fs.StringVar(&f.Approval, "approval", "", "only events with (yes) or without (no) an approval")
	fs.StringVar(&f.IP, "ip", "", "only events carrying this `address` (mapped or anywhere in the raw line) or an address in this CIDR prefix, e.g. 203.0.113.0/24 or 2001:db8::/32")
	fs.StringVar(&f.From, "from", "", "first day, `YYYY-MM-DD`, inclusive")
	fs.StringVar(&f.To, "to", "", "last day, `YYYY-MM-DD`, inclusive")
	fs.IntVar(&o.limit, "limit", 20, "hits to show")
	fs.IntVar(&o.offset, "offset", 0, "hits to skip")
	fs.StringVar(&o.sortBy, "sort", "score", "order of the hits: score or time")
	fs.BoolVar(&o.facets, "facets", false, "count hits per field and month")
	fs.BoolVar(&o.all, "all", false, "stream every hit (JSON Lines with --json)")
	o.jsonFlags.define(fs)
	fs.StringVar(&o.save, "save", "", "save the search under this `name` (see casebook searches)")
	fs.StringVar(&o.batch, "batch", "", "count the hits of each term in this CSV or JSON Lines `file`")
	return fs
}

func cmdSearch(e *env, args []string) (err error) {
	defer func() {
		// A filter value no field takes is a usage error (exit 2), like a bad flag.
		var fe *casefile.FilterError
		if errors.As(err, &fe) {
			err = usagef("%v", fe)
		}
	}()
	var o searchFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if o.batch == "" && len(pos) == 1 {
		return usagef("the query is missing")
	}
	if o.sortBy != "score" && o.sortBy != "time" {
		return usagef("--sort must be score or time")
	}
	if o.f.Approval != "" && o.f.Approval != "yes" && o.f.Approval != "no" {
		return usagef("--approval must be yes or no")
	}
	if o.limit < 0 || o.offset < 0 {
		return usagef("--limit and --offset cannot be negative")
	}
	c, rest, err := openCaseToRead(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	q := casefile.Query{Text: strings.Join(rest, " "), Filters: o.f, Limit: o.limit, Offset: o.offset, ByTime: o.sortBy == "time",
		Facets: o.facets || (o.json && !o.all)}
	if o.batch != "" {
		return runBatch(e, c, o.batch, q, o.json)
	}
	if o.save != "" {
		if _, err := c.SaveSearch(e.ctx, o.save, q); err != nil {
			return err
		}
		if !o.json {
			fmt.Fprintf(e.stdout, "saved the search as %q\n", o.save)
		}
	}
	if o.all {
		return streamAll(e, c, q, o.json)
	}
	res, err := c.Search(e.ctx, q)
	if err != nil {
		return err
	}
	if o.json {
		hits := []hitJSON{}
		for _, h := range res.Hits {
			hits = append(hits, toHitJSON(h))
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
		printHit(e, h)
	}
	if o.facets {
		for _, f := range append(append([]string{}, casefile.FacetFields...), "month") {
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

func printHit(e *env, h casefile.Hit) {
	who := h.Speaker
	when := ""
	if h.Kind == "event" {
		who = h.Actor
		when = h.Time.Format("2006-01-02 15:04")
	} else if h.StartMS >= 0 {
		when = fmtMS(h.StartMS)
	} else if h.PageLine != "" {
		when = "Tr. " + h.PageLine // a court or hearing transcript is cited by page and line
	}
	fmt.Fprintf(e.stdout, "%-10s %-7s %-16s %-18s %s\n", h.ID, h.SourceID, when, trunc(who, 18), trunc(h.Snippet, 160))
}

// streamAll prints every hit: JSON Lines with --json, else one line each.
func streamAll(e *env, c *casefile.Case, q casefile.Query, jsonOut bool) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return c.SearchAllProgress(e.ctx, q, e.progressBeside(), func(h casefile.Hit) error {
		if jsonOut {
			return enc.Encode(toHitJSON(h))
		}
		printHit(e, h)
		return nil
	})
}

func runBatch(e *env, c *casefile.Case, path string, base casefile.Query, jsonOut bool) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	terms, err := casefile.ReadBatchTerms(fh)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(terms) == 0 {
		return fmt.Errorf("%s: no terms", path)
	}
	res, err := c.BatchSearch(e.ctx, terms, base)
	if err != nil {
		return err
	}
	failed := 0
	if jsonOut {
		type rowJSON struct {
			Term  string `json:"term"`
			Label string `json:"label,omitempty"`
			Hits  uint64 `json:"hits"`
			Error string `json:"error,omitempty"`
		}
		rows := []rowJSON{}
		for _, r := range res {
			row := rowJSON{Term: r.Term, Label: r.Label, Hits: r.Hits}
			if r.Err != nil {
				row.Error = oneLine(r.Err)
				failed++
			}
			rows = append(rows, row)
		}
		if err := writeJSON(e.stdout, rows); err != nil {
			return err
		}
	} else {
		for _, r := range res {
			label := r.Label
			if label == "" {
				label = "-"
			}
			if r.Err != nil {
				failed++
				fmt.Fprintf(e.stdout, "%8s  %-20s %s  (%s)\n", "error", trunc(label, 20), r.Term, oneLine(r.Err))
				continue
			}
			fmt.Fprintf(e.stdout, "%8d  %-20s %s\n", r.Hits, trunc(label, 20), r.Term)
		}
	}
	if failed > 0 {
		return errors.New(fmt.Sprint(failed, " of ", len(res), " terms are not valid queries"))
	}
	return nil
}

// searchesFlags are the flags of casebook searches.
type searchesFlags struct {
	del string
	jsonFlags
}

func (o *searchesFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("searches")
	o.jsonFlags.define(fs)
	fs.StringVar(&o.del, "delete", "", "delete the saved search with this `name`")
	return fs
}

func cmdSearches(e *env, args []string) error {
	var o searchesFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if rest := afterDir(pos); len(rest) > 0 {
		return usagef("unexpected %q", rest[0])
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	if o.del != "" {
		if err := c.DeleteSearch(e.ctx, o.del); err != nil {
			return err
		}
		if !o.json {
			fmt.Fprintf(e.stdout, "deleted the saved search %q\n", o.del)
			return nil
		}
	}
	list, err := c.SavedSearches(e.ctx)
	if err != nil {
		return err
	}
	if o.json {
		type ssJSON struct {
			Name      string           `json:"name"`
			Query     string           `json:"query"`
			Filters   casefile.Filters `json:"filters"`
			CreatedAt string           `json:"created_at"`
		}
		out := []ssJSON{}
		for _, s := range list {
			out = append(out, ssJSON{s.Name, s.Query, s.Filters, s.CreatedAt.Format(time.RFC3339)})
		}
		return writeJSON(e.stdout, out)
	}
	for _, s := range list {
		fmt.Fprintf(e.stdout, "%-24s %s", s.Name, s.Query)
		if b, _ := json.Marshal(s.Filters); string(b) != "{}" {
			fmt.Fprintf(e.stdout, "  %s", b)
		}
		fmt.Fprintln(e.stdout)
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
