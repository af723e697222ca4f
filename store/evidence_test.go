package store_test

import (
	"errors"
	"path/filepath"
	"testing"

	"casebook/model"
	"casebook/store"
)

func TestTagsAreCreatedOnceAndExhibitNumbersComeFromACounter(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "case.db"))
	ctx := t.Context()
	tags := []model.Tag{{Name: "foreign-access"}, {Name: "key-quote"}}
	for range 2 {
		if err := s.EnsureTags(ctx, "tester", tags); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Tags(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("tags %+v (%v)", all, err)
	}
	if _, err := s.CreateTag(ctx, "tester", model.Tag{Name: "Key-Quote"}); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("a duplicate name (other case): %v", err)
	}
	if _, err := s.CreateTag(ctx, "tester", model.Tag{Name: "a//b"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("an empty part: %v", err)
	}
	item := model.ItemID{Kind: model.ItemEvent, N: 7}
	var nums []int64
	for _, tag := range []string{"foreign-access", "key-quote"} {
		tg := store.Tagging{Tag: tag, QuoteStart: -1, QuoteEnd: -1}
		tg.Item = item
		got, err := s.AddTagging(ctx, "tester", tg)
		if err != nil {
			t.Fatal(err)
		}
		nums = append(nums, got.Exhibit)
	}
	if nums[0] != 1 || nums[1] != 2 {
		t.Errorf("exhibits %v", nums)
	}
	if _, err := s.RemoveTagging(ctx, "tester", item, "key-quote"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveTagging(ctx, "tester", item, "key-quote"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
	tg := store.Tagging{Tag: "key-quote", QuoteStart: -1, QuoteEnd: -1}
	tg.Item = item
	again, err := s.AddTagging(ctx, "tester", tg)
	if err != nil || again.Exhibit != 3 {
		t.Errorf("re-tagging after removal: exhibit %d (%v), want 3", again.Exhibit, err)
	}
	tagsOf, err := s.ItemTags(ctx, []string{"evt-7"})
	if err != nil || len(tagsOf["evt-7"]) != 2 {
		t.Errorf("item tags %v (%v)", tagsOf, err)
	}
	if problems, err := s.VerifyAudit(ctx); err != nil || len(problems) > 0 {
		t.Errorf("audit: %v %v", problems, err)
	}
}

func TestARuleSuggestsAnItemOnlyOnce(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "case.db"))
	ctx := t.Context()
	if err := s.EnsureTags(ctx, "tester", []model.Tag{{Name: "bulk"}}); err != nil {
		t.Fatal(err)
	}
	r := store.Rule{ID: "bulk", Kind: "condition", Tag: "bulk", Params: "{}"}
	sugg := []store.Suggestion{{Item: model.ItemID{Kind: model.ItemEvent, N: 1}, Explanation: "big"},
		{Item: model.ItemID{Kind: model.ItemEvent, N: 2}, Explanation: "big"}}
	for i, want := range []int{2, 0} {
		n, err := s.AddSuggestions(ctx, "tester", r, sugg)
		if err != nil || n != want {
			t.Errorf("run %d: added %d (%v), want %d", i+1, n, err, want)
		}
	}
	open, err := s.Taggings(ctx, store.TaggingFilter{Origin: "bulk", Status: store.StatusSuggested})
	if err != nil || len(open) != 2 || open[0].Exhibit != 0 {
		t.Fatalf("suggestions %+v (%v)", open, err)
	}
	acc, err := s.Review(ctx, "tester", []int64{open[1].ID}, true)
	if err != nil || acc[0].Status != store.StatusConfirmed || acc[0].Exhibit != 1 {
		t.Errorf("accept %+v (%v)", acc, err)
	}
}
