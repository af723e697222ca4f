package cli

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"casebook/casefile"
)

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
