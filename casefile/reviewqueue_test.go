package casefile_test

import (
	"testing"

	"casebook/model"
)

func TestTheReviewQueueCarriesEachSuggestionsActorAndDay(t *testing.T) {
	c := evidenceCase(t)
	if _, err := c.RunRules(t.Context()); err != nil {
		t.Fatal(err)
	}
	q, err := c.ReviewQueue(t.Context(), "suggested")
	if err != nil {
		t.Fatal(err)
	}
	open, err := c.Suggestions(t.Context(), "", "suggested")
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != len(open) || len(q) == 0 {
		t.Fatalf("queue %d, open suggestions %d", len(q), len(open))
	}
	var sawEvent bool
	for _, it := range q {
		if it.Item.Kind != model.ItemEvent {
			continue
		}
		sawEvent = true
		e, err := c.Event(t.Context(), it.Item.N)
		if err != nil {
			t.Fatal(err)
		}
		if it.Actor != e.ActorName || it.Day != e.Time.UTC().Format("2006-01-02") {
			t.Errorf("%s: actor %q day %q, want %q %s", it.Item, it.Actor, it.Day, e.ActorName, e.Time.Format("2006-01-02"))
		}
	}
	if !sawEvent {
		t.Error("no event suggestions in the fixture")
	}
	counts, err := c.OpenSuggestionCounts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != len(open) {
		t.Errorf("counts %v sum to %d, want %d", counts, total, len(open))
	}
}
