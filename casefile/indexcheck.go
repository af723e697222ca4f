package casefile

import (
	"context"
	"fmt"

	"casebook/index"
)

// verifyIndexContent derives every record's index document again, as the
// indexer would today, and compares its digest with the one the index kept
// when it indexed the item: it names the items whose indexed content is not
// what their record, tags, notes and context give (a search could find them
// for words they do not hold, or miss them), and the items the index lacks.
// It returns how many documents it compared.
func (c *Case) verifyIndexContent(ctx context.Context, progress ProgressFunc) (int64, []string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx == nil {
		return 0, []string{"index: not open"}, nil
	}
	segs, evts, err := c.store.Counts(ctx)
	if err != nil {
		return 0, nil, err
	}
	maxSeg, maxEvt, err := c.store.MaxIDs(ctx)
	if err != nil {
		return 0, nil, err
	}
	var (
		done     int64
		problems []string
		more     int
	)
	note := func(p string) {
		if len(problems) < deepLimit {
			problems = append(problems, p)
		} else {
			more++
		}
	}
	err = c.eachDocChunk(ctx, maxSeg, maxEvt, func(docs []index.Doc) error {
		ids := make([]string, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		kept, err := c.idx.Digests(ctx, ids)
		if err != nil {
			return err
		}
		for _, d := range docs {
			switch got, ok := kept[d.ID]; {
			case !ok:
				note(fmt.Sprintf("%s: not in the index (run casebook reindex)", d.ID))
			case got != d.Digest():
				note(fmt.Sprintf("%s: the index holds content its record, tags and notes do not give (run casebook reindex)", d.ID))
			}
		}
		done += int64(len(docs))
		progress.report(Progress{Stage: "verify index", Done: done, Total: segs + evts})
		return nil
	})
	if err != nil {
		return done, problems, err
	}
	if more > 0 {
		problems = append(problems, fmt.Sprintf("index: %d more items differ", more))
	}
	return done, problems, nil
}
