package casefile

import (
	"context"
	"fmt"
	"strings"
	"time"

	"casebook/index"
	"casebook/model"
)

// Filters narrow a search; each empty one is ignored. Values match whole,
// ignoring case. They are saved with a saved search as JSON.
type Filters struct {
	Kind     string `json:"kind,omitempty"`     // segment (or transcript) or event (or accesslog); others are refused
	Source   string `json:"source,omitempty"`   // src-7
	Speaker  string `json:"speaker,omitempty"`  // a transcript speaker
	Actor    string `json:"actor,omitempty"`    // who accessed the data
	Country  string `json:"country,omitempty"`  // ISO code of the actor's office
	Office   string `json:"office,omitempty"`   // the actor's office
	Tag      string `json:"tag,omitempty"`      // a tag name
	Category string `json:"category,omitempty"` // the data category
	Approval string `json:"approval,omitempty"` // yes (with an approval id) or no
	// IP is an address (the events carrying it, in their mapped IP or
	// anywhere in their raw line) or a CIDR prefix (203.0.113.0/24,
	// 2001:db8::/32: the events carrying an address in it).
	IP string `json:"ip,omitempty"`
	// From and To bound the time, both ends inclusive: YYYY-MM-DD (a whole
	// day), YYYY-MM, YYYY, or an RFC 3339 instant.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// FilterError is a filter value the field does not take: a misspelled kind
// or approval, a malformed address, prefix or date. Faces report it as a
// usage error.
type FilterError = index.FilterError

// Query is a search of the case.
type Query struct {
	Text string // Casebook's query language (see the README); empty matches everything
	Filters
	Limit  int  // hits per page (default 20)
	Offset int  // hits to skip
	ByTime bool // sort by time rather than relevance
	Facets bool // count hits per field and per month
}

// Hit is one search result, hydrated from the database.
type Hit struct {
	ID       string    // "seg-123" or "evt-456"
	Kind     string    // "segment" or "event"
	SourceID string    // "src-7"
	Score    float64   // relevance
	Time     time.Time // the event's time (zero for segments)
	StartMS  int64     // the segment's start in ms, -1 when unknown or for events
	Speaker  string
	Actor    string
	Country  string
	Text     string // the whole segment text, or the event on one line
	Snippet  string // the matching part with matches in « »
	Line     int    // where it sits in the original
	Offset   int64
	IPs      []string // the event's IP addresses (EventIPs), nil for segments
	// PageLine is where a paginated transcript (a court reporter's, a printed
	// hearing) puts the segment, as it is cited: "982:3–7"; "" otherwise.
	PageLine string
	// Marks are the matches in a segment's Text, as byte ranges [start, end)
	// in order, for showing the whole segment with its matches marked; nil
	// for events (their Text is a summary, not what was searched).
	Marks [][2]int
}

// FacetCount is one value of a facet and how many hits have it.
type FacetCount struct {
	Term  string
	Count int
}

// Results is one page of hits and the total.
type Results struct {
	Total  uint64
	Hits   []Hit
	Facets map[string][]FacetCount // FacetFields, and "month" ("YYYY-MM" in order)
}

// FacetFields are the fields Search counts when asked for facets, besides
// the per-month histogram "month".
var FacetFields = index.FacetFields

func (c *Case) searchIndex() (*index.Index, error) {
	c.mu.Lock()
	ix := c.idx
	c.mu.Unlock()
	if ix == nil {
		return nil, fmt.Errorf("search: case %s is closed", c.dir)
	}
	return ix, nil
}

func (q Query) request() index.Request {
	f := q.Filters
	return index.Request{
		Query: q.Text, Size: q.Limit, From: q.Offset, ByTime: q.ByTime,
		Filter: index.Filter{Kind: f.Kind, Source: f.Source, Speaker: f.Speaker, Actor: f.Actor, Country: f.Country,
			Office: f.Office, Tag: f.Tag, Category: f.Category, Approval: f.Approval, IP: f.IP, From: f.From, To: f.To},
	}
}

// Search runs a query over transcripts and access logs together. A
// malformed query is an *index.QueryError naming the column.
func (c *Case) Search(ctx context.Context, q Query) (Results, error) {
	ix, err := c.searchIndex()
	if err != nil {
		return Results{}, err
	}
	req := q.request()
	if q.Facets {
		req.Facets = append(append([]string{}, index.FacetFields...), index.MonthFacet)
	}
	res, err := ix.Search(ctx, req)
	if err != nil {
		return Results{}, err
	}
	if res.CountedWholeAt != nil {
		c.keepWholeFacets(ix, *res.CountedWholeAt, res.Facets)
	}
	out := Results{Total: res.Total, Facets: map[string][]FacetCount{}}
	for k, v := range res.Facets {
		fc := []FacetCount{}
		for _, f := range v {
			fc = append(fc, FacetCount{Term: f.Term, Count: f.Count})
		}
		out.Facets[k] = fc
	}
	out.Hits, err = c.hydrate(ctx, res.Hits, ix.Highlighter(q.Text))
	return out, err
}

// Count returns how many items a query matches.
func (c *Case) Count(ctx context.Context, q Query) (uint64, error) {
	ix, err := c.searchIndex()
	if err != nil {
		return 0, err
	}
	r := q.request()
	return ix.Count(ctx, r.Query, r.Filter)
}

// SearchAll streams every hit of a query to fn, however many there are, in
// time order when q.ByTime and in id order otherwise (q.Limit, q.Offset and
// q.Facets are ignored). An error from fn stops the search and is returned.
func (c *Case) SearchAll(ctx context.Context, q Query, fn func(Hit) error) error {
	return c.SearchAllProgress(ctx, q, nil, fn)
}

// SearchAllProgress is SearchAll reporting, before each page of hits,
// Stage "search" with the hits streamed so far of the search's total.
func (c *Case) SearchAllProgress(ctx context.Context, q Query, progress ProgressFunc, fn func(Hit) error) error {
	ix, err := c.searchIndex()
	if err != nil {
		return err
	}
	var done int64
	highlight := ix.Highlighter(q.Text)
	return ix.SearchAll(ctx, q.request(), func(page []index.Hit, total uint64) error {
		progress.report(Progress{Stage: "search", Done: done, Total: int64(total)})
		done += int64(len(page))
		hits, err := c.hydrate(ctx, page, highlight)
		if err != nil {
			return err
		}
		for _, h := range hits {
			if err := fn(h); err != nil {
				return err
			}
		}
		return nil
	})
}

// hydrate reads the hits' records from the database and cuts snippets,
// marking the matches the index gave and those highlight finds in the text.
func (c *Case) hydrate(ctx context.Context, hits []index.Hit, highlight func(string) []index.Span) ([]Hit, error) {
	var segIDs, evtIDs []int64
	ids := make([]model.ItemID, len(hits))
	for i, h := range hits {
		id, err := model.ParseItemID(h.ID)
		if err != nil {
			return nil, fmt.Errorf("search: index holds %q: %w", h.ID, err)
		}
		ids[i] = id
		if id.Kind == model.ItemSegment {
			segIDs = append(segIDs, id.N)
		} else {
			evtIDs = append(evtIDs, id.N)
		}
	}
	segs, err := c.store.SegmentsByID(ctx, segIDs)
	if err != nil {
		return nil, err
	}
	evts, err := c.store.EventsByID(ctx, evtIDs)
	if err != nil {
		return nil, err
	}
	out := make([]Hit, 0, len(hits))
	for i, h := range hits {
		hit := Hit{ID: h.ID, Score: h.Score, StartMS: -1}
		var indexed string // the text exactly as the index saw it
		switch ids[i].Kind {
		case model.ItemSegment:
			s, ok := segs[ids[i].N]
			if !ok {
				continue // deleted since the index saw it
			}
			hit.Kind, hit.SourceID = "segment", model.ItemID{Kind: model.ItemSource, N: s.SourceID}.String()
			hit.StartMS, hit.Speaker, hit.Text, hit.Line, hit.Offset = s.StartMS, s.Speaker, s.Text, s.Line, s.Offset
			hit.PageLine = s.PageCite()
			indexed = s.Text
		case model.ItemEvent:
			e, ok := evts[ids[i].N]
			if !ok {
				continue
			}
			hit.Kind, hit.SourceID = "event", model.ItemID{Kind: model.ItemSource, N: e.SourceID}.String()
			hit.Time, hit.Actor, hit.Country, hit.Text, hit.Line, hit.Offset = e.Time, firstNonEmpty(e.ActorName, e.ActorID), e.Country, e.Summary(), e.Line, e.Offset
			hit.IPs = EventIPs(e)
			indexed = eventText(e)
		}
		spans := append(h.Matches, highlight(indexed)...)
		hit.Snippet = snippet(indexed, spans)
		if hit.Kind == "segment" {
			for _, m := range matchSpans(indexed, spans) {
				hit.Marks = append(hit.Marks, [2]int{m.Start, m.End})
			}
		}
		out = append(out, hit)
	}
	return out, nil
}

// eventText is the free text the index holds for an event: the whole raw
// line as it stands in the original (its message, error text, user agent,
// host, path and e-mail address, every word of the record), preceded by
// the mapped who, where, what and why that the line does not spell out
// itself (a name looked up from an id, say). The snippet of a hit is cut
// from the same text, so it must not change between indexing and search.
func eventText(e model.Event) string {
	parts := make([]string, 0, 11)
	for _, v := range []string{e.ActorName, e.ActorID, e.Office, e.Action, e.System, e.Resource, e.Purpose, e.Approver, e.ApprovalID, e.IP} {
		if v != "" && !strings.Contains(e.Raw, v) {
			parts = append(parts, v)
		}
	}
	if e.Raw != "" {
		parts = append(parts, e.Raw)
	}
	// The roster's name for the actor: searching for the person finds the
	// ARN or e-mail they act under.
	if p := e.Context.Person; p != "" && !strings.Contains(e.Raw, p) {
		parts = append(parts, p)
	}
	return strings.Join(parts, " · ")
}

// meetingDays returns a lookup of the meeting date of a source (midnight in
// the source's time zone, UTC when it names none), zero when the source
// describes no date. Lookups are cached for the returned function's life.
func (c *Case) meetingDays(ctx context.Context) func(sourceID int64) time.Time {
	cache := map[int64]time.Time{}
	return func(id int64) time.Time {
		if t, ok := cache[id]; ok {
			return t
		}
		var day time.Time
		if src, err := c.store.Source(ctx, id); err == nil && src.Describes != "" {
			loc := time.UTC
			if src.TimeZone != "" {
				if l, err := time.LoadLocation(src.TimeZone); err == nil {
					loc = l
				}
			}
			if t, err := time.ParseInLocation("2006-01-02", src.Describes, loc); err == nil {
				day = t
			}
		}
		cache[id] = day
		return day
	}
}
