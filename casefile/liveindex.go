package casefile

import (
	"context"

	"casebook/index"
)

// An import of many files (a folder of transcripts) keeps the index
// following it instead of catching it up at the end: after each file
// commits, the items it added are read back and handed to one index.Bulk
// that stays open from file to file. Bleve analyses those items and builds
// their segments on the second core while the next file is parsed and
// stored on the first, so the import is searchable soon after its last file
// is stored rather than a whole catch-up later.
//
// The bulk's batches may still be in flight while the case is free between
// two files, so every other writer of the index drains it first
// (drainLiveLocked): the import's batches land, in order, before anyone
// else's, and the position the index records never runs ahead of what it
// holds. An import that finds the bulk drained under it starts a new one
// from the position the index then records.

// liveIndex is an import's open bulk run and the items read for it that
// are not yet in a batch.
type liveIndex struct {
	bulk    *index.Bulk
	pos     index.Position // the outbox up to here has been read for the bulk
	docs    []index.Doc
	dels    []string
	applied int64  // items handed to the bulk since the import began
	err     error  // the first failure; the live run stops there
	gc      func() // puts the collector back, once applied reached bulkBacklog
}

// feedLiveLocked hands the items committed since the last call to the
// import's bulk run, in batches of indexChunk; a remainder waits for the
// next file. The caller holds c.mu. It does nothing when the index is not
// open (the catch-up at the end of the import opens or rebuilds it) or an
// earlier call failed (that catch-up then does the work and reports the
// error, if it is still there).
func (c *Case) feedLiveLocked(ctx context.Context, lv *liveIndex) {
	if lv.err != nil || c.closed || c.idx == nil {
		return
	}
	if c.live != lv {
		// First file, or another writer drained the run: go on from
		// where the index stands now; what was read but not batched is
		// read again.
		pos, err := c.idx.Applied()
		if err != nil {
			lv.err = err
			return
		}
		lv.bulk, lv.pos = c.idx.NewBulk(ctx), pos
		lv.docs, lv.dels = lv.docs[:0], lv.dels[:0]
		c.live = lv
	}
	if err := c.readLiveLocked(ctx, lv); err != nil {
		lv.err = err
		_ = c.drainLiveLocked()
	}
	if lv.gc == nil && lv.applied >= bulkBacklog {
		lv.gc = relaxGC()
	}
}

// readLiveLocked reads the outbox after lv.pos into lv, adding a batch to
// the bulk each time indexChunk items are waiting.
func (c *Case) readLiveLocked(ctx context.Context, lv *liveIndex) error {
	entries, err := c.store.OutboxAfter(ctx, lv.pos.Seq)
	if err != nil || len(entries) == 0 {
		return err
	}
	load, err := c.newDocLoader(ctx)
	if err != nil {
		return err
	}
	for _, e := range entries {
		for start := firstUnapplied(e, lv.pos); start <= e.Hi; {
			d, x, last, err := load.chunk(ctx, e.Op, e.Kind, start, e.Hi, indexChunk-len(lv.docs)-len(lv.dels))
			if err != nil {
				return err
			}
			lv.docs, lv.dels = append(lv.docs, d...), append(lv.dels, x...)
			lv.applied += last - start + 1
			start = last + 1
			lv.pos = index.Position{Seq: e.Seq - 1, Partial: last}
			if start > e.Hi {
				lv.pos = index.Position{Seq: e.Seq}
			}
			if len(lv.docs)+len(lv.dels) >= indexChunk {
				if err := lv.bulk.Add(lv.docs, lv.dels, lv.pos); err != nil {
					return err
				}
				lv.docs, lv.dels = lv.docs[:0], lv.dels[:0]
			}
		}
	}
	return nil
}

// drainLiveLocked ends an import's open bulk run, if there is one: the
// items read for it are added as a last batch and every batch lands before
// it returns, so that the caller (any other writer of the index, or the
// import's own end) finds the index still and its position exact. The
// caller holds c.mu.
func (c *Case) drainLiveLocked() error {
	lv := c.live
	if lv == nil {
		return nil
	}
	c.live = nil
	var err error
	if len(lv.docs)+len(lv.dels) > 0 && lv.err == nil {
		err = lv.bulk.Add(lv.docs, lv.dels, lv.pos)
		lv.docs, lv.dels = lv.docs[:0], lv.dels[:0]
	}
	if cerr := lv.bulk.Close(); err == nil {
		err = cerr
	}
	if err != nil && lv.err == nil {
		lv.err = err
	}
	return err
}

// syncIndexAfter brings the index in step at the end of an import: it lets
// the import's live run land (lv may be nil), applies what is left, and,
// when the run as a whole was a bulk one, settles its merges and counts the
// whole-case facets, as a catch-up of that size would.
func (c *Case) syncIndexAfter(ctx context.Context, lv *liveIndex, progress ProgressFunc) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.syncIndexLocked(ctx, progress); err != nil {
		return err
	}
	if lv != nil && c.idx != nil {
		afterBulkLocked(ctx, c.idx, lv.applied)
	}
	return nil
}

// endLive drains lv if it is still the case's live run, whatever way the
// import ended, so that no batch is left in flight when Import returns.
func (c *Case) endLive(lv *liveIndex) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.live == lv {
		_ = c.drainLiveLocked()
	}
	if lv.gc != nil {
		lv.gc()
	}
}
