package casefile

import (
	"context"
	"fmt"
)

// ReviewItem is an open suggestion with who it is about and the day, for
// grouping the review queue by rule, actor and day.
type ReviewItem struct {
	Tagging
	Actor string // the event's actor, or the segment's speaker
	Day   string // YYYY-MM-DD of the event, or of the meeting; "" when unknown
}

// ReviewQueue lists the rule suggestions of a status ("suggested" for the
// open ones), each with its actor and day, in the order Suggestions lists
// them.
func (c *Case) ReviewQueue(ctx context.Context, status string) ([]ReviewItem, error) {
	sugg, err := c.Suggestions(ctx, "", status)
	if err != nil {
		return nil, fmt.Errorf("list suggestions: %w", err)
	}
	subj, err := c.store.SuggestionSubjects(ctx, status)
	if err != nil {
		return nil, err
	}
	out := make([]ReviewItem, len(sugg))
	for i, t := range sugg {
		s := subj[t.ID]
		out[i] = ReviewItem{Tagging: t, Actor: s.Actor, Day: s.Day}
	}
	return out, nil
}

// OpenSuggestionCounts counts each rule's open suggestions, by rule id.
func (c *Case) OpenSuggestionCounts(ctx context.Context) (map[string]int, error) {
	if err := c.ensureEvidence(ctx); err != nil {
		return nil, err
	}
	return c.store.OpenSuggestionCounts(ctx)
}
