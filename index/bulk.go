package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Bulk applies a long run of batches (a catch-up, a rebuild) with two in
// flight at a time. Bleve analyses a batch on its workers but then builds
// the batch's segment in the goroutine that called Batch, alone; meanwhile
// the next batch's documents can be read from the database, mapped, and
// built into their own segment beside it. On two cores that keeps the
// second one busy.
//
// The position stays honest: a batch records only the position of the
// batches that have already landed (all of them, in order), so the index
// never claims an item it does not hold; Close records the last one once
// everything has landed. An index may hold a little more than its position
// says after a crash; the next catch-up applies those items again, which
// changes nothing. Two batches touching the same item never run at once, so
// the later version of an item always lands last.
type Bulk struct {
	ix       *Index
	ctx      context.Context
	flying   []*flight // oldest first, at most two
	landed   *Position // every batch up to this position has landed
	recorded *Position // the position the index was last given
	last     *Position // the position of the last batch added
	err      error
	closed   bool
}

// flight is one batch in Bleve's hands.
type flight struct {
	done chan struct{}
	err  error
	ids  map[string]struct{}
	pos  Position
}

// NewBulk starts a run of batches. Close must be called, also after an
// error, so that no batch is still running when the caller lets go of the
// index.
func (ix *Index) NewBulk(ctx context.Context) *Bulk {
	return &Bulk{ix: ix, ctx: ctx}
}

// Add maps docs and deletes into a batch (here, before returning: the
// caller may reuse both slices) and starts it beside the one still running,
// if any. pos is where the outbox stands once this batch has landed. An
// error of an earlier batch, or ctx ending, is returned and nothing more is
// added.
func (b *Bulk) Add(docs []Doc, deletes []string, pos Position) error {
	if b.closed {
		return fmt.Errorf("index batch: the bulk run is closed")
	}
	if b.err != nil {
		return b.err
	}
	if err := b.ctx.Err(); err != nil {
		return err
	}
	batch := b.ix.idx.NewBatch()
	ids := make(map[string]struct{}, len(docs)+len(deletes))
	for i := range docs {
		if err := batch.Index(docs[i].ID, docs[i].indexed()); err != nil {
			return fmt.Errorf("index %s: %w", docs[i].ID, err)
		}
		ids[docs[i].ID] = struct{}{}
	}
	for _, id := range deletes {
		batch.Delete(id)
		ids[id] = struct{}{}
	}
	b.reap(false)
	for len(b.flying) >= 2 || (len(b.flying) == 1 && overlap(b.flying[0].ids, ids)) {
		b.reap(true)
	}
	if b.err != nil {
		return b.err
	}
	// What this batch may record: its own position when nothing else is
	// in flight, otherwise that of the batches already landed.
	switch {
	case len(b.flying) == 0:
		b.record(batch, pos)
	case b.landed != nil && (b.recorded == nil || *b.recorded != *b.landed):
		b.record(batch, *b.landed)
	}
	f := &flight{done: make(chan struct{}), ids: ids, pos: pos}
	b.flying = append(b.flying, f)
	b.last = &pos
	go func() {
		defer close(f.done)
		if err := b.ix.idx.Batch(batch); err != nil {
			f.err = fmt.Errorf("index batch: %w", err)
		}
	}()
	return nil
}

// record puts pos into batch as the applied position.
func (b *Bulk) record(batch *bleve.Batch, pos Position) {
	batch.SetInternal(keyApplied, []byte(pos.String()))
	b.recorded = &pos
}

// reap takes the oldest batch off the flight list once it has landed:
// waiting for it when wait is true, otherwise only if it already has (and
// then every landed one in order).
func (b *Bulk) reap(wait bool) {
	for len(b.flying) > 0 {
		f := b.flying[0]
		if wait {
			<-f.done
			wait = false
		} else {
			select {
			case <-f.done:
			default:
				return
			}
		}
		b.flying = b.flying[1:]
		if f.err != nil && b.err == nil {
			b.err = f.err
		}
		if b.err == nil {
			pos := f.pos
			b.landed = &pos
		}
		b.ix.releaseMappedNow()
	}
}

// Close waits for every batch in flight and, when all of them landed,
// records the position of the last one added. It returns the first error
// of any batch. Calling it again does nothing more.
func (b *Bulk) Close() error {
	if b.closed {
		return b.err
	}
	b.closed = true
	for len(b.flying) > 0 {
		b.reap(true)
	}
	if b.err != nil || b.last == nil || (b.recorded != nil && *b.recorded == *b.last) {
		return b.err
	}
	batch := b.ix.idx.NewBatch()
	b.record(batch, *b.last)
	if err := b.ix.idx.Batch(batch); err != nil {
		b.err = fmt.Errorf("index position: %w", err)
	}
	return b.err
}

func overlap(a, b map[string]struct{}) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	for k := range a {
		if _, ok := b[k]; ok {
			return true
		}
	}
	return false
}

// Settle runs, now, the merges the index's merge policy plans for its
// segments, and returns when they are done. A bulk run introduces segments
// faster than the background merger folds them together; a process that ends
// right after (a command-line catch-up) would leave the index in many small
// segments, and every search pays for each one until a later writer merges
// them.
func (ix *Index) Settle(ctx context.Context) error {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return fmt.Errorf("index: settle: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	opts := mergePlan()
	// The merges read their sources through the mappings.
	if err := ix.releasingWhile(func() error { return sc.ForceMerge(ctx, &opts) }); err != nil {
		return fmt.Errorf("index: settle: %w", err)
	}
	return nil
}
