package casefile

import (
	"context"
	"fmt"
	"time"

	"casebook/index"
	"casebook/model"
)

// Query is a search of the case.
type Query struct {
	Text   string // query-string syntax; empty matches everything
	Limit  int    // hits per page (default 20)
	Offset int    // hits to skip
	ByTime bool   // sort by time rather than relevance
	Facets bool   // count hits per kind, speaker, actor, country, category and approval
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
	Facets map[string][]FacetCount
}

var facetFields = []string{"kind", "speaker", "actor", "country", "category", "approval"}

// Search runs a query over transcripts and access logs together.
func (c *Case) Search(ctx context.Context, q Query) (Results, error) {
	c.mu.Lock()
	ix := c.idx
	c.mu.Unlock()
	if ix == nil {
		return Results{}, fmt.Errorf("search: case %s is closed", c.dir)
	}
	req := index.Request{Query: q.Text, Size: q.Limit, From: q.Offset, ByTime: q.ByTime}
	if q.Facets {
		req.Facets = facetFields
	}
	res, err := ix.Search(ctx, req)
	if err != nil {
		return Results{}, err
	}
	out := Results{Total: res.Total, Facets: map[string][]FacetCount{}}
	for k, v := range res.Facets {
		for _, f := range v {
			out.Facets[k] = append(out.Facets[k], FacetCount{Term: f.Term, Count: f.Count})
		}
	}
	var segIDs, evtIDs []int64
	ids := make([]model.ItemID, len(res.Hits))
	for i, h := range res.Hits {
		id, err := model.ParseItemID(h.ID)
		if err != nil {
			return Results{}, fmt.Errorf("search: index holds %q: %w", h.ID, err)
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
		return Results{}, err
	}
	evts, err := c.store.EventsByID(ctx, evtIDs)
	if err != nil {
		return Results{}, err
	}
	for i, h := range res.Hits {
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
			indexed = segmentDoc(s).Text
		case model.ItemEvent:
			e, ok := evts[ids[i].N]
			if !ok {
				continue
			}
			hit.Kind, hit.SourceID = "event", model.ItemID{Kind: model.ItemSource, N: e.SourceID}.String()
			hit.Time, hit.Actor, hit.Country, hit.Text, hit.Line, hit.Offset = e.Time, firstNonEmpty(e.ActorName, e.ActorID), e.Country, e.Summary(), e.Line, e.Offset
			indexed = eventDoc(e).Text
		}
		hit.Snippet = snippet(indexed, h.Matches)
		out.Hits = append(out.Hits, hit)
	}
	return out, nil
}
