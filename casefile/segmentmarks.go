package casefile

import (
	"context"

	"casebook/store"
)

// SegmentMark counts what marks one segment: its live confirmed taggings
// and its notes.
type SegmentMark = store.SegmentMark

// SegmentMarks returns the marks of a transcript's segments that carry
// tags or notes, by segment id, so the reader can show them.
func (c *Case) SegmentMarks(ctx context.Context, sourceID int64) (map[int64]SegmentMark, error) {
	return c.store.SegmentMarks(ctx, sourceID)
}

// SegmentQuotes returns the quotes that live confirmed taggings take from a
// transcript's segments, by segment id: character (rune) ranges of each
// segment's text, so the reader can mark the words a report will quote.
func (c *Case) SegmentQuotes(ctx context.Context, sourceID int64) (map[int64][][2]int, error) {
	return c.store.SegmentQuotes(ctx, sourceID)
}
