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
