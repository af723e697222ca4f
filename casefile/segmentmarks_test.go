package casefile_test

import (
	"fmt"
	"reflect"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

// The marks of a transcript count each segment's live confirmed tags and
// its notes; suggestions, removed tags and other sources' items do not
// count.
func TestSegmentMarksCountTagsAndNotes(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var tr model.Source
	for _, s := range srcs {
		if s.Kind == model.KindTranscript {
			tr = s
		}
	}
	segs, err := c.Segments(t.Context(), tr.ID)
	if err != nil || len(segs) < 3 {
		t.Fatalf("segments: %v (%d)", err, len(segs))
	}
	ctx := t.Context()
	seg := func(i int) model.ItemID { return model.ItemID{Kind: model.ItemSegment, N: segs[i].ID} }
	for _, tag := range []string{"key-evidence", "contradiction"} {
		if _, err := c.Tag(ctx, seg(0), tag, casefile.TagOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Tag(ctx, seg(1), "key-evidence", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Untag(ctx, seg(1), "key-evidence"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddNote(ctx, seg(2), "Ask Mia Chen who approved this", false); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tag(ctx, model.ItemID{Kind: model.ItemEvent, N: 1}, "key-evidence", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	marks, err := c.SegmentMarks(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]casefile.SegmentMark{segs[0].ID: {Tags: 2}, segs[2].ID: {Notes: 1}}
	if len(marks) != len(want) || marks[segs[0].ID] != want[segs[0].ID] || marks[segs[2].ID] != want[segs[2].ID] {
		t.Errorf("marks %+v, want %+v", marks, want)
	}
}

// A transcript's quotes are the character ranges that live confirmed
// taggings quote, by segment; a tagging of the whole segment, a removed
// tagging and an event's tagging give none.
func TestSegmentQuotesAreTheRangesLiveTaggingsQuote(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	ctx := t.Context()
	srcs, err := c.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var tr model.Source
	for _, s := range srcs {
		if s.Kind == model.KindTranscript {
			tr = s
		}
	}
	segs, err := c.Segments(ctx, tr.ID)
	if err != nil || len(segs) < 2 {
		t.Fatalf("segments: %v (%d)", err, len(segs))
	}
	seg := func(i int) model.ItemID { return model.ItemID{Kind: model.ItemSegment, N: segs[i].ID} }
	n := len([]rune(segs[0].Text))
	if n < 6 {
		t.Fatalf("segment 0 is too short to quote from: %q", segs[0].Text)
	}
	first, second := fmt.Sprintf("0:%d", n/2), fmt.Sprintf("%d:%d", n/2, n)
	for _, tg := range []struct{ tag, quote string }{{"key-quote", first}, {"admission", second}, {"whole", ""}} {
		if _, err := c.Tag(ctx, seg(0), tg.tag, casefile.TagOptions{Quote: tg.quote}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Tag(ctx, seg(1), "key-quote", casefile.TagOptions{Quote: "0:3"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Untag(ctx, seg(1), "key-quote"); err != nil {
		t.Fatal(err)
	}
	quotes, err := c.SegmentQuotes(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64][][2]int{segs[0].ID: {{0, n / 2}, {n / 2, n}}}
	if !reflect.DeepEqual(quotes, want) {
		t.Errorf("quotes %v, want %v", quotes, want)
	}
}
