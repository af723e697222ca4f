package casefile

import (
	"context"

	"casebook/index"
)

// The facets of the whole case (the empty query with no filter: what the
// window lists each time it opens) are kept in the index at the position
// they were counted at. Counting them reads every document's value of every
// facet field — seconds and hundreds of megabytes of mapped index on a
// case of a million records — for counts that change only when the case
// does. They are counted after a bulk catch-up or a rebuild, and kept when
// a search counted them anyway; any later write to the index moves its
// position and makes them stale, and the next listing counts again.

// keepWholeFacets stores the whole-case facets a search has just counted,
// when this Case writes its index, the index is still the one searched and
// nothing was written to it since at (the position read before the search).
// It never waits for the case: a writer at work is about to change them.
// Failing to keep them costs the next listing its time, nothing else.
func (c *Case) keepWholeFacets(ix *index.Index, at index.Position, facets map[string][]index.FacetCount) {
	if c.refuseIfReadOnly() != nil || !c.mu.TryLock() {
		return
	}
	defer c.mu.Unlock()
	if c.closed || c.idx != ix || c.live != nil {
		return
	}
	if pos, err := ix.Applied(); err != nil || pos != at {
		return
	}
	_ = ix.StoreWholeFacets(at, facets)
}

// afterBulkLocked finishes a catch-up or rebuild that applied at least
// bulkBacklog items (the caller holds c.mu, so nothing writes meanwhile):
// it lets the index finish merging the segments the run made, so that the
// searches after it read fewer of them, and then counts and stores the
// whole-case facets. Both are optimisations: an error (a cancelled ctx, say)
// leaves the merging to Bleve's background merger and the facets for the
// next listing to count; the index itself is complete either way.
func afterBulkLocked(ctx context.Context, ix *index.Index, applied int64) {
	if applied < bulkBacklog || ctx.Err() != nil {
		return
	}
	_ = ix.Settle(ctx)
	_ = ix.CountWholeFacets(ctx)
}
