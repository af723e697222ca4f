package casefile

import (
	"context"
	"fmt"

	"casebook/index"
	"casebook/store"
)

// catchUpBudget is how many outbox items one batch of CatchUp
// covers before it lets go of the case.
const catchUpBudget = 4 * indexChunk

// CatchUp brings the index in step with the database — what an import with
// DeferIndex left behind becomes searchable — while the window goes on
// working: it holds the case for
// one batch of about catchUpBudget items at a time, so searches (which then
// see the items indexed so far), the access-log table and changes are not
// kept waiting until the end. progress is called after each batch, never
// while the case is held, with Stage "index" and the items done of the
// items behind. Cancelling ctx stops it between batches; what was indexed
// stays indexed, and the next CatchUp or Open goes on from there.
func (c *Case) CatchUp(ctx context.Context, progress ProgressFunc) error {
	var done int64
	restore := func() {}
	defer func() { restore() }()
	for first := true; ; first = false {
		pr, more, err := c.catchUpBatch(ctx, &done)
		if first && more && pr.Total >= bulkBacklog {
			restore = relaxGC()
		}
		if err != nil {
			return fmt.Errorf("update index: %w", err)
		}
		if pr.Total > 0 {
			progress.report(pr)
		}
		if !more {
			c.mu.Lock()
			defer c.mu.Unlock()
			if !c.closed && c.idx != nil {
				afterBulkLocked(ctx, c.idx, done)
			}
			return nil
		}
	}
}

// catchUpBatch applies up to catchUpBudget outbox items the index has not
// seen, holding c.mu, and says whether there may be more. When nothing is
// left it makes CatchUp's final check (the index holds exactly the
// database's records; a rebuild otherwise).
func (c *Case) catchUpBatch(ctx context.Context, done *int64) (Progress, bool, error) {
	if err := ctx.Err(); err != nil {
		return Progress{}, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return Progress{}, false, fmt.Errorf("case %s is closed", c.dir)
	}
	if err := c.refuseIfReadOnly(); err != nil {
		// Its index is a copy or held in memory: a read-only case
		// (beside a writer too) searches what it opened with.
		return Progress{}, false, err
	}
	if c.idx == nil {
		return Progress{}, false, c.syncIndexLocked(ctx, nil)
	}
	if err := c.drainLiveLocked(); err != nil {
		return Progress{}, false, err
	}
	pos, err := c.idx.Applied()
	if err != nil {
		return Progress{}, false, fmt.Errorf("index position: %w", err)
	}
	entries, err := c.store.OutboxAfter(ctx, pos.Seq)
	if err != nil {
		return Progress{}, false, fmt.Errorf("read outbox: %w", err)
	}
	if len(entries) == 0 {
		return Progress{}, false, c.syncIndexLocked(ctx, nil)
	}
	left := unapplied(entries, pos)
	pr := Progress{Stage: "index", Done: *done, Total: *done + left}
	load, err := c.newDocLoader(ctx)
	if err != nil {
		return pr, false, err
	}
	bulk := c.idx.NewBulk(ctx)
	defer bulk.Close()
	var docs []index.Doc
	var dels []string
	var covered, batch int64 // items since the last Apply, and in this batch
	for k, e := range entries {
		for start := firstUnapplied(e, pos); start <= e.Hi; {
			d, x, last, err := load.chunk(ctx, e.Op, e.Kind, start, e.Hi, indexChunk-len(docs)-len(dels))
			if err != nil {
				return pr, false, err
			}
			docs, dels = append(docs, d...), append(dels, x...)
			covered += last - start + 1
			batch += last - start + 1
			start = last + 1
			at := index.Position{Seq: e.Seq - 1, Partial: last}
			if start > e.Hi {
				at = index.Position{Seq: e.Seq}
			}
			full := len(docs)+len(dels) >= indexChunk
			stop := batch >= catchUpBudget
			end := k == len(entries)-1 && start > e.Hi
			if full || stop || end {
				if err := bulk.Add(docs, dels, at); err != nil {
					return pr, false, err
				}
				docs, dels = docs[:0], dels[:0]
				*done += covered
				pr.Done += covered
				covered = 0
			}
			if stop {
				return pr, true, bulk.Close()
			}
		}
	}
	return pr, true, bulk.Close()
}

// firstUnapplied is the first item of the outbox entry e that an index at
// pos has not applied (pos may stop part way through the entry after it).
func firstUnapplied(e store.OutboxEntry, pos index.Position) int64 {
	if e.Seq == pos.Seq+1 && pos.Partial >= e.Lo {
		return pos.Partial + 1
	}
	return e.Lo
}

// unapplied counts the items of entries (the outbox after pos.Seq) that an
// index at pos has not applied.
func unapplied(entries []store.OutboxEntry, pos index.Position) int64 {
	var n int64
	for _, e := range entries {
		n += e.Hi - firstUnapplied(e, pos) + 1
	}
	return n
}
