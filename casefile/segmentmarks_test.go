package casefile_test

import (
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
