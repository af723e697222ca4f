package casefile_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/model"
	"casebook/store"
)

// evidenceCase is a case with the small transcript and access log imported.
func evidenceCase(t *testing.T) *casefile.Case {
	t.Helper()
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	return c
}

func countTag(t *testing.T, c *casefile.Case, tag string) uint64 {
	t.Helper()
	n, err := c.Count(t.Context(), casefile.Query{Text: "tag:" + tag})
	if err != nil {
		t.Fatalf("tag:%s: %v", tag, err)
	}
	return n
}

func auditActions(t *testing.T, c *casefile.Case) []string {
	t.Helper()
	trail, err := c.AuditTrail(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range trail {
		out = append(out, e.Action)
	}
	return out
}

func TestANewCaseStartsWithTheDefaultTags(t *testing.T) {
	c, _ := newCase(t)
	tags, err := c.Tags(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range tags {
		names = append(names, tg.Name)
	}
	for _, want := range []string{"foreign-access", "no-approval", "foreign-approver", "sensitive-data", "key-quote",
		"contradicts-statement", "follow-up"} {
		if !slices.Contains(names, want) {
			t.Errorf("tag %s missing from %v", want, names)
		}
	}
}

func TestTaggingMakesAnItemFindableAtOnceAndNestedTagsMatchTheirParent(t *testing.T) {
	c := evidenceCase(t)
	item := model.ItemID{Kind: model.ItemEvent, N: 1}
	tg, err := c.Tag(t.Context(), item, "foreign-access/CN", casefile.TagOptions{Note: "Beijing read"})
	if err != nil {
		t.Fatal(err)
	}
	if tg.Exhibit != 1 || tg.Status != "confirmed" || tg.Origin != "hand" || tg.By != "Tess Tester" {
		t.Errorf("tagging %+v", tg)
	}
	if n := countTag(t, c, "foreign-access/CN"); n != 1 {
		t.Errorf("tag:foreign-access/CN finds %d", n)
	}
	if n := countTag(t, c, "foreign-access"); n != 1 {
		t.Errorf("the parent tag finds %d", n)
	}
	if _, err := c.Tag(t.Context(), item, "foreign-access/CN", casefile.TagOptions{}); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("tagging twice: %v", err)
	}
	if err := c.Untag(t.Context(), item, "foreign-access/CN"); err != nil {
		t.Fatal(err)
	}
	if n := countTag(t, c, "foreign-access"); n != 0 {
		t.Errorf("after untag, tag:foreign-access finds %d", n)
	}
	all, _ := c.Taggings(t.Context(), store.TaggingFilter{Item: "evt-1", WithRemove: true})
	if len(all) != 1 || all[0].RemovedAt.IsZero() || all[0].Exhibit != 1 {
		t.Errorf("the untagged tagging is not kept: %+v", all)
	}
	acts := auditActions(t, c)
	if !slices.Contains(acts, "tag") || !slices.Contains(acts, "untag") {
		t.Errorf("audit actions %v", acts)
	}
}

func TestExhibitNumbersAreStableAndNeverReused(t *testing.T) {
	c := evidenceCase(t)
	a, _ := c.Tag(t.Context(), model.ItemID{Kind: model.ItemEvent, N: 1}, "no-approval", casefile.TagOptions{})
	b, _ := c.Tag(t.Context(), model.ItemID{Kind: model.ItemEvent, N: 2}, "no-approval", casefile.TagOptions{})
	if a.Exhibit != 1 || b.Exhibit != 2 {
		t.Fatalf("exhibits %d, %d", a.Exhibit, b.Exhibit)
	}
	if err := c.Untag(t.Context(), model.ItemID{Kind: model.ItemEvent, N: 2}, "no-approval"); err != nil {
		t.Fatal(err)
	}
	d, _ := c.Tag(t.Context(), model.ItemID{Kind: model.ItemEvent, N: 3}, "no-approval", casefile.TagOptions{})
	if d.Exhibit != 3 {
		t.Errorf("after untagging EX-0002 the next exhibit is %d, want 3", d.Exhibit)
	}
	ev, err := c.Evidence(t.Context())
	if err != nil || len(ev) != 2 || ev[0].Exhibit != "EX-0001" || ev[1].Exhibit != "EX-0003" {
		t.Fatalf("evidence %+v (%v)", ev, err)
	}
	if !strings.Contains(ev[0].Citation, "access.csv, sha256 ") || !strings.Contains(ev[0].Citation, "row 1") {
		t.Errorf("citation %q", ev[0].Citation)
	}
}

func TestQuotesAreValidatedCharacterRangesInsideASegment(t *testing.T) {
	c := evidenceCase(t)
	seg, err := c.Segment(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	n := len([]rune(seg.Text))
	item := model.ItemID{Kind: model.ItemSegment, N: 1}
	for _, bad := range []string{"5:2", "x:3", "0:" + itoa(n+1), "-1:3"} {
		if _, err := c.Tag(t.Context(), item, "key-quote", casefile.TagOptions{Quote: bad}); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("quote %s: %v", bad, err)
		}
	}
	if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemEvent, N: 1}, "key-quote", casefile.TagOptions{Quote: "0:2"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a quote on an event: %v", err)
	}
	if _, err := c.Tag(t.Context(), item, "key-quote", casefile.TagOptions{Quote: "0:" + itoa(min(n, 10)), Note: "opening"}); err != nil {
		t.Fatal(err)
	}
	ev, _ := c.Evidence(t.Context())
	if len(ev) != 1 || ev[0].Quote != string([]rune(seg.Text)[:min(n, 10)]) || ev[0].Note != "opening" ||
		!strings.Contains(ev[0].Citation, "line ") {
		t.Errorf("evidence %+v", ev)
	}
}

func TestRenameMergeAndDeleteKeepHistory(t *testing.T) {
	c := evidenceCase(t)
	ctx := t.Context()
	e1, e2 := model.ItemID{Kind: model.ItemEvent, N: 1}, model.ItemID{Kind: model.ItemEvent, N: 2}
	if _, err := c.Tag(ctx, e1, "suspects/wei", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tag(ctx, e2, "people", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.RenameTag(ctx, "suspects", "persons"); err != nil {
		t.Fatal(err)
	}
	if countTag(t, c, "persons/wei") != 1 || countTag(t, c, "suspects") != 0 {
		t.Errorf("rename: persons/wei %d, suspects %d", countTag(t, c, "persons/wei"), countTag(t, c, "suspects"))
	}
	if err := c.MergeTag(ctx, "persons/wei", "people"); err != nil {
		t.Fatal(err)
	}
	if countTag(t, c, "people") != 2 || countTag(t, c, "persons/wei") != 0 {
		t.Errorf("merge: people %d", countTag(t, c, "people"))
	}
	if err := c.DeleteTag(ctx, "people"); err != nil {
		t.Fatal(err)
	}
	if countTag(t, c, "people") != 0 {
		t.Errorf("a deleted tag still finds items")
	}
	all, _ := c.Taggings(ctx, store.TaggingFilter{Tag: "people", WithRemove: true})
	if len(all) != 2 || all[0].RemovedWhy != "tag deleted" {
		t.Errorf("taggings of the deleted tag: %+v", all)
	}
	tags, _ := c.Tags(ctx)
	for _, tg := range tags {
		if tg.Name == "persons/wei" && (!tg.Deleted || tg.MergedInto != "people") {
			t.Errorf("merged tag %+v", tg)
		}
	}
	acts := auditActions(t, c)
	for _, a := range []string{"tag-rename", "tag-merge", "tag-delete"} {
		if !slices.Contains(acts, a) {
			t.Errorf("audit lacks %s: %v", a, acts)
		}
	}
	if problems, err := c.Verify(ctx, nil); err != nil || len(problems.Problems) > 0 {
		t.Errorf("verify: %+v %v", problems, err)
	}
}

func TestTaggingEverySearchHitAndAWholeSource(t *testing.T) {
	c := evidenceCase(t)
	ctx := t.Context()
	want, _ := c.Count(ctx, casefile.Query{Text: "kind:event"})
	ts, err := c.TagSearch(ctx, casefile.Query{Text: "kind:event"}, "sensitive-data", casefile.TagOptions{})
	if err != nil || uint64(len(ts)) != want || want == 0 {
		t.Fatalf("tagged %d of %d (%v)", len(ts), want, err)
	}
	if n := countTag(t, c, "sensitive-data"); n != want {
		t.Errorf("tag:sensitive-data finds %d, want %d", n, want)
	}
	if _, err := c.Tag(ctx, model.ItemID{Kind: model.ItemSource, N: 1}, "follow-up", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	segs, _ := c.Count(ctx, casefile.Query{Text: "source:src-1"})
	if n := countTag(t, c, "follow-up"); n != segs || n == 0 {
		t.Errorf("a tagged source: tag:follow-up finds %d, the source has %d", n, segs)
	}
}

func TestNotesStatementsAndLinks(t *testing.T) {
	c := evidenceCase(t)
	ctx := t.Context()
	seg := model.ItemID{Kind: model.ItemSegment, N: 2}
	if _, err := c.AddNote(ctx, seg, "Ask Mia about this", false); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddNote(ctx, seg, "Private hunch", true); err != nil {
		t.Fatal(err)
	}
	notes, _ := c.Notes(ctx, model.ItemID{}, "mia")
	if len(notes) != 1 || notes[0].Private {
		t.Errorf("notes matching mia: %+v", notes)
	}
	if _, err := c.AddNote(ctx, model.ItemID{Kind: model.ItemEvent, N: 99999}, "x", false); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("a note on a missing item: %v", err)
	}
	st, err := c.AddStatement(ctx, "Claire Abernathy, VP Public Policy", "2022-04-12", "Every request is approved in the US.", "hearing")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LinkStatement(ctx, st.ID, model.ItemID{Kind: model.ItemEvent, N: 1}, "contradicts", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LinkStatement(ctx, st.ID, seg, "supports", "context"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LinkStatement(ctx, st.ID, seg, "maybe", ""); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad relation: %v", err)
	}
	if _, err := c.LinkStatement(ctx, 42, seg, "supports", ""); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing statement: %v", err)
	}
	sts, _ := c.Statements(ctx)
	if len(sts) != 1 || len(sts[0].Links) != 2 || sts[0].Links[0].Relation != "contradicts" {
		t.Errorf("statements %+v", sts)
	}
	trail, _ := c.AuditTrail(ctx)
	for _, e := range trail {
		if e.Action == "note" && strings.Contains(e.Detail, "Private hunch") {
			t.Errorf("a private note's words are in the audit trail: %s", e.Detail)
		}
	}
	acts := auditActions(t, c)
	for _, a := range []string{"note", "statement", "link"} {
		if !slices.Contains(acts, a) {
			t.Errorf("audit lacks %s", a)
		}
	}
}

func TestAcceptingSuggestionsConfirmsThemWithExhibitsAndRejectingDoesNot(t *testing.T) {
	c := evidenceCase(t)
	ctx := t.Context()
	if _, err := c.RunRules(ctx); err != nil {
		t.Fatal(err)
	}
	open, err := c.Suggestions(ctx, "", "suggested")
	if err != nil || len(open) < 2 {
		t.Fatalf("suggestions: %d (%v)", len(open), err)
	}
	acc, err := c.Review(ctx, []int64{open[1].ID, open[0].ID}, true)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]int64{}
	for _, a := range acc {
		byID[a.ID] = a.Exhibit
	}
	if byID[open[1].ID] != 1 || byID[open[0].ID] != 2 {
		t.Errorf("exhibits in order of confirmation: %v", byID)
	}
	if len(open) > 2 {
		if _, err := c.Review(ctx, []int64{open[2].ID}, false); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Review(ctx, []int64{open[2].ID}, true); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("accepting a rejected suggestion: %v", err)
		}
	}
	if n := countTag(t, c, open[0].Tag); n == 0 {
		t.Errorf("an accepted suggestion is not findable by tag:%s", open[0].Tag)
	}
	res, _ := c.RunRules(ctx)
	for _, r := range res {
		if r.Added != 0 {
			t.Errorf("rerun added %d for %s", r.Added, r.Rule)
		}
	}
}
