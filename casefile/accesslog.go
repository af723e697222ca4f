package casefile

import (
	"context"
	"sort"

	"casebook/model"
	"casebook/store"
)

// EventSortColumns lists the columns AccessLogEvents sorts by.
func EventSortColumns() []string {
	out := make([]string, 0, len(store.EventSortColumns))
	for k := range store.EventSortColumns {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// AccessLogEvents returns one page of an access log's events ordered by
// column (one of EventSortColumns; "" for the file's order).
func (c *Case) AccessLogEvents(ctx context.Context, sourceID int64, column string, desc bool, offset, limit int) ([]model.Event, error) {
	return c.store.SourceEventsSorted(ctx, sourceID, column, desc, offset, limit)
}

// AccessLogPosition returns an event's access log and its row (from 0) in
// the table AccessLogEvents gives in the file's order, for opening the event
// in context.
func (c *Case) AccessLogPosition(ctx context.Context, eventID int64) (sourceID int64, row int, err error) {
	return c.store.EventPosition(ctx, eventID)
}
