package index

import (
	"context"
	"encoding/json"
	"fmt"
)

// keyFacets holds the facets of the whole index — the empty query with no
// filter, what the window lists when a case opens — as of one position.
var keyFacets = []byte("casebook.facets-all")

// wholeFacets is what keyFacets holds.
type wholeFacets struct {
	Pos    string                  `json:"pos"`
	Facets map[string][]FacetCount `json:"facets"`
}

// wholeIndex reports whether r asks for everything: no words and no filter.
func wholeIndex(r Request) bool {
	return r.Filter == (Filter{}) && unscored(r.Query)
}

// unscored reports whether a query has no words (empty, or "*"). A query
// that does not parse is left to Compile to refuse.
func unscored(text string) bool {
	n, err := ParseQuery(text)
	if err != nil {
		return false
	}
	_, all := n.(*All)
	return all
}

// cachedFacets returns the stored facets of the whole index when they were
// counted at the index's current position and hold every field of names.
// Counting them again reads every document's values of every facet field:
// seconds, and hundreds of megabytes of the index mapped in, on a case of
// a million records.
func (ix *Index) cachedFacets(names []string) (map[string][]FacetCount, bool) {
	raw, err := ix.idx.GetInternal(keyFacets)
	if err != nil || len(raw) == 0 {
		return nil, false
	}
	var w wholeFacets
	if json.Unmarshal(raw, &w) != nil {
		return nil, false
	}
	pos, err := ix.Applied()
	if err != nil || w.Pos != pos.String() {
		return nil, false
	}
	out := make(map[string][]FacetCount, len(names))
	for _, n := range names {
		fc, ok := w.Facets[n]
		if !ok {
			return nil, false
		}
		out[n] = fc
	}
	return out, true
}

// StoreWholeFacets keeps facets — those of the whole index, counted at
// position pos — for the next search of everything. The caller makes sure
// that nothing has been written to the index between reading pos and
// counting the facets, and nothing is until this returns; a search at any
// other position does not use them.
func (ix *Index) StoreWholeFacets(pos Position, facets map[string][]FacetCount) error {
	raw, err := json.Marshal(wholeFacets{Pos: pos.String(), Facets: facets})
	if err != nil {
		return err
	}
	if err := ix.idx.SetInternal(keyFacets, raw); err != nil {
		return fmt.Errorf("index: store facets: %w", err)
	}
	return nil
}

// CountWholeFacets counts the facets of the whole index (FacetFields and
// MonthFacet) at its current position and stores them, as a writer does
// after a bulk catch-up or a rebuild, while nothing else writes.
func (ix *Index) CountWholeFacets(ctx context.Context) error {
	pos, err := ix.Applied()
	if err != nil {
		return err
	}
	var res Results
	err = ix.releasingWhile(func() (err error) {
		res, err = ix.search(ctx, Request{Size: 1, Facets: append(append([]string{}, FacetFields...), MonthFacet)}, false)
		return err
	})
	if err != nil {
		return err
	}
	return ix.StoreWholeFacets(pos, res.Facets)
}
