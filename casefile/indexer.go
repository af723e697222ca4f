package casefile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"casebook/index"
	"casebook/model"
)

// indexChunk is how many items go into one Bleve batch; about 1,000 is the
// measured sweet spot.
const indexChunk = 1000

// syncIndex brings the index in step with the database. The caller must not
// hold c.mu.
func (c *Case) syncIndex(ctx context.Context, progress ProgressFunc) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.syncIndexLocked(ctx, progress)
}

func (c *Case) syncIndexLocked(ctx context.Context, progress ProgressFunc) error {
	path := filepath.Join(c.dir, indexDir)
	if err := c.drainLiveLocked(); err != nil {
		return fmt.Errorf("index %s: %w", path, err)
	}
	if c.idx == nil {
		ix, err := index.Open(path, c.id)
		if err != nil {
			// Missing, stale (other case, other mapping, unfinished build) or
			// corrupt: rebuild from the database.
			return c.rebuildLocked(ctx, progress)
		}
		c.idx = ix
		pos, err := ix.Applied()
		head, herr := c.store.OutboxHead(ctx)
		if err != nil || herr != nil || pos.Seq > head {
			// The index claims changes the database does not have (say, an
			// older case.db restored beside a newer index).
			return c.rebuildLocked(ctx, progress)
		}
	}
	if err := c.catchUpLocked(ctx, progress); err != nil {
		return err
	}
	// A final check that costs nothing: the index must hold exactly the
	// database's records.
	n, err := c.idx.DocCount()
	if err != nil {
		return fmt.Errorf("index %s: %w", path, err)
	}
	segs, evts, err := c.store.Counts(ctx)
	if err != nil {
		return err
	}
	if int64(n) != segs+evts {
		return c.rebuildLocked(ctx, progress)
	}
	return nil
}

// catchUpLocked applies the outbox entries the index has not seen yet.
// Items from consecutive entries share batches of about indexChunk, because
// every Bleve batch costs a segment and a persist; the position written with
// each batch says exactly how far it got.
func (c *Case) catchUpLocked(ctx context.Context, progress ProgressFunc) error {
	pos, err := c.idx.Applied()
	if err != nil {
		return fmt.Errorf("index position: %w", err)
	}
	entries, err := c.store.OutboxAfter(ctx, pos.Seq)
	if err != nil {
		return fmt.Errorf("read outbox: %w", err)
	}
	var total, done int64
	for _, e := range entries {
		total += e.Hi - e.Lo + 1
	}
	if len(entries) == 0 {
		return nil
	}
	if total >= bulkBacklog {
		defer relaxGC()()
	}
	load, err := c.newDocLoader(ctx)
	if err != nil {
		return err
	}
	bulk := c.idx.NewBulk(ctx)
	defer bulk.Close()
	var docs []index.Doc
	var dels []string
	flush := func(at index.Position) error {
		if err := bulk.Add(docs, dels, at); err != nil {
			return err
		}
		docs, dels = docs[:0], dels[:0]
		progress.report(Progress{Stage: "index", Done: done, Total: total})
		return nil
	}
	for k, e := range entries {
		start := firstUnapplied(e, pos)
		done += start - e.Lo
		for start <= e.Hi {
			d, x, last, err := load.chunk(ctx, e.Op, e.Kind, start, e.Hi, indexChunk-len(docs)-len(dels))
			if err != nil {
				return err
			}
			docs, dels = append(docs, d...), append(dels, x...)
			done += last - start + 1
			start = last + 1
			if len(docs)+len(dels) >= indexChunk {
				at := index.Position{Seq: e.Seq - 1, Partial: last}
				if start > e.Hi {
					at = index.Position{Seq: e.Seq}
				}
				if err := flush(at); err != nil {
					return err
				}
			}
		}
		if k == len(entries)-1 {
			if err := flush(index.Position{Seq: e.Seq}); err != nil {
				return err
			}
		}
	}
	if err := bulk.Close(); err != nil {
		return err
	}
	afterBulkLocked(ctx, c.idx, total)
	return nil
}

// docLoader reads items from the database and turns them into index
// documents. One is made per catch-up or rebuild (while c.mu is held, so
// nothing changes under it): the meeting dates and whether the case has any
// tags or notes at all are looked up once, not for every chunk.
type docLoader struct {
	c        *Case
	days     func(sourceID int64) time.Time
	hasTags  bool
	hasNotes bool
	aliases  map[string]string // speaker label → the person it was merged into
}

func (c *Case) newDocLoader(ctx context.Context) (*docLoader, error) {
	l := &docLoader{c: c, days: c.meetingDays(ctx)}
	var err error
	if l.hasTags, err = c.store.HasTaggings(ctx); err != nil {
		return nil, err
	}
	if l.hasNotes, err = c.store.HasNotes(ctx); err != nil {
		return nil, err
	}
	if l.aliases, err = c.store.SpeakerAliases(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// chunk reads up to limit items of one kind from lo to hi and turns
// them into documents (or deletions). last is the highest id covered.
func (l *docLoader) chunk(ctx context.Context, op, kind string, lo, hi int64, limit int) (docs []index.Doc, dels []string, last int64, err error) {
	c := l.c
	limit = max(limit, 1)
	if op == "delete" {
		last = min(hi, lo+int64(limit)-1)
		for id := lo; id <= last; id++ {
			dels = append(dels, kind+"-"+strconv.FormatInt(id, 10))
		}
		return nil, dels, last, nil
	}
	switch kind {
	case "seg":
		segs, err := c.store.SegmentsInRange(ctx, lo, hi, limit)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("read segments for the index: %w", err)
		}
		if len(segs) < limit {
			last = hi
		} else {
			last = segs[len(segs)-1].ID
		}
		for _, s := range segs {
			d := segmentDoc(s, l.days(s.SourceID))
			d.Person = l.aliases[s.Speaker]
			docs = append(docs, d)
		}
	case "evt":
		evts, err := c.store.EventsInRange(ctx, lo, hi, limit)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("read events for the index: %w", err)
		}
		if len(evts) < limit {
			last = hi
		} else {
			last = evts[len(evts)-1].ID
		}
		for _, e := range evts {
			docs = append(docs, eventDoc(e))
		}
	default:
		return nil, nil, 0, fmt.Errorf("outbox: unknown kind %q", kind)
	}
	// Tags: the item's own confirmed tags and its source's, each with its
	// ancestors (so tag:foreign-access finds foreign-access/CN), looked up
	// in one query for the chunk.
	if len(docs) > 0 && l.hasTags {
		keys := make([]string, 0, len(docs)+1)
		seen := map[string]bool{}
		for _, d := range docs {
			for _, k := range []string{d.ID, d.Source} {
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		tags, err := c.store.ItemTags(ctx, keys)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("read tags for the index: %w", err)
		}
		if len(tags) > 0 {
			for i := range docs {
				if own, src := tags[docs[i].ID], tags[docs[i].Source]; len(own)+len(src) > 0 {
					docs[i].Tags = tagsWithAncestors(append(append([]string(nil), own...), src...))
				}
			}
		}
	}
	if len(docs) > 0 && l.hasNotes {
		ids := make([]string, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		notes, err := c.store.ItemNotes(ctx, ids)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("read notes for the index: %w", err)
		}
		for i := range docs {
			docs[i].Notes = notes[docs[i].ID]
		}
	}
	return docs, nil, last, nil
}

// segmentDoc is the index document of a segment. day is the meeting date
// (midnight in the source's time zone) when the source describes one: the
// segment's time is then that date plus its start.
func segmentDoc(s model.Segment, day time.Time) index.Doc {
	d := index.Doc{
		ID:      model.ItemID{Kind: model.ItemSegment, N: s.ID}.String(),
		Kind:    "segment",
		Source:  model.ItemID{Kind: model.ItemSource, N: s.SourceID}.String(),
		Text:    s.Text,
		Speaker: s.Speaker,
	}
	if !day.IsZero() {
		d.Time = day.Add(time.Duration(max(s.StartMS, 0)) * time.Millisecond)
	}
	if index.HasCJK(s.Text) {
		d.CJK = s.Text
	}
	return d
}

func eventDoc(e model.Event) index.Doc {
	d := index.Doc{
		ID:       model.ItemID{Kind: model.ItemEvent, N: e.ID}.String(),
		Kind:     "event",
		Source:   model.ItemID{Kind: model.ItemSource, N: e.SourceID}.String(),
		Text:     eventText(e),
		Actor:    firstNonEmpty(e.ActorName, e.ActorID),
		Person:   e.Context.Person,
		Country:  e.EffectiveCountry(),
		Office:   e.EffectiveOffice(),
		Category: e.EffectiveCategory(),
		Time:     e.Time,
		Approval: "no",
		IPs:      EventIPs(e),
	}
	if e.ApprovalID != "" {
		d.Approval = "yes"
	}
	if e.RecordCount >= 0 {
		n := float64(e.RecordCount)
		d.Records = &n
	}
	if index.HasCJK(d.Text) {
		d.CJK = d.Text
	}
	return d
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// rebuildLocked builds a new index from the database beside the current one
// and swaps it in only when it is complete. A rebuild that fails or is
// cancelled leaves the current index as it was (and a half-built one is
// removed on the next attempt).
func (c *Case) rebuildLocked(ctx context.Context, progress ProgressFunc) error {
	path := filepath.Join(c.dir, indexDir)
	_ = c.drainLiveLocked() // the old index is about to be replaced: its failure does not matter
	next := path + ".new"
	if err := os.RemoveAll(next); err != nil {
		return fmt.Errorf("remove unfinished index %s: %w", next, err)
	}
	head, err := c.store.OutboxHead(ctx)
	if err != nil {
		return err
	}
	ix, err := index.Create(next, c.id)
	if err != nil {
		return err
	}
	if err := c.fillIndex(ctx, ix, head, progress); err != nil {
		ix.Close()
		os.RemoveAll(next)
		return err
	}
	if err := ix.Close(); err != nil {
		return fmt.Errorf("close new index: %w", err)
	}
	if c.idx != nil {
		c.idx.Close()
		c.idx = nil
	}
	if err := os.RemoveAll(path); err != nil {
		return fmt.Errorf("remove old index %s: %w", path, err)
	}
	if err := os.Rename(next, path); err != nil {
		return fmt.Errorf("put new index in place: %w", err)
	}
	if c.idx, err = index.Open(path, c.id); err != nil {
		return err
	}
	// Nothing can commit while we hold c.mu, but catching up is cheap and
	// makes the rebuild correct on its own.
	return c.catchUpLocked(ctx, progress)
}

// fillIndex indexes every segment and event of the database into ix and
// marks it ready.
func (c *Case) fillIndex(ctx context.Context, ix *index.Index, head int64, progress ProgressFunc) error {
	segs, evts, err := c.store.Counts(ctx)
	if err != nil {
		return err
	}
	maxSeg, maxEvt, err := c.store.MaxIDs(ctx)
	if err != nil {
		return err
	}
	total, done := segs+evts, int64(0)
	if total >= bulkBacklog {
		defer relaxGC()()
	}
	bulk := ix.NewBulk(ctx)
	defer bulk.Close()
	err = c.eachDocChunk(ctx, maxSeg, maxEvt, func(docs []index.Doc) error {
		if err := bulk.Add(docs, nil, index.Position{Seq: head}); err != nil {
			return err
		}
		done += int64(len(docs))
		progress.report(Progress{Stage: "rebuild", Done: done, Total: total})
		return nil
	})
	if err != nil {
		return err
	}
	if err := bulk.Close(); err != nil {
		return err
	}
	afterBulkLocked(ctx, ix, total)
	return ix.MarkReady()
}

// eachDocChunk derives the index document of every segment (ids up to
// maxSeg) and then every event (up to maxEvt), as the indexer would today,
// and gives them to fn about indexChunk at a time.
func (c *Case) eachDocChunk(ctx context.Context, maxSeg, maxEvt int64, fn func([]index.Doc) error) error {
	load, err := c.newDocLoader(ctx)
	if err != nil {
		return err
	}
	for _, k := range []struct {
		kind string
		max  int64
	}{{"seg", maxSeg}, {"evt", maxEvt}} {
		for lo := int64(1); lo <= k.max; {
			docs, _, last, err := load.chunk(ctx, "upsert", k.kind, lo, k.max, indexChunk)
			if err != nil {
				return err
			}
			if err := fn(docs); err != nil {
				return err
			}
			lo = last + 1
		}
	}
	return nil
}

// Reindex rebuilds the index from the database.
func (c *Case) Reindex(ctx context.Context, progress ProgressFunc) error {
	if err := c.refuseIfReadOnly(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.rebuildLocked(ctx, progress); err != nil {
		return fmt.Errorf("reindex %s: %w", c.dir, err)
	}
	return c.store.Audit(ctx, c.Investigator(ctx), "reindex", map[string]any{"mapping": index.MappingVersion})
}
