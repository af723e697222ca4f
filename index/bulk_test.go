package index_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"casebook/index"
)

// A bulk run with two batches in flight ends as the same run applied one
// batch at a time would: every document there, the later version of an item
// updated in consecutive batches, deletions applied after the indexing they
// follow, and the position of the last batch recorded.
func TestBulkEndsAsBatchesAppliedInOrder(t *testing.T) {
	ctx := context.Background()
	ix, err := index.Create(filepath.Join(t.TempDir(), "index"), "case-1")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	bulk := ix.NewBulk(ctx)
	const batches, per = 40, 50
	want := map[string]string{} // id → the text it must end with; "" deleted
	for b := 0; b < batches; b++ {
		var docs []index.Doc
		var dels []string
		for i := 0; i < per; i++ {
			id := fmt.Sprintf("evt-%d", b*per+i+1)
			text := fmt.Sprintf("batch%d item%d", b, i)
			docs = append(docs, index.Doc{ID: id, Kind: "event", Text: text})
			want[id] = text
		}
		if b > 0 {
			// The previous batch's first item again, changed: it
			// must not be overtaken by the batch that wrote it first.
			id := fmt.Sprintf("evt-%d", (b-1)*per+1)
			text := fmt.Sprintf("revised%d", b)
			docs = append(docs, index.Doc{ID: id, Kind: "event", Text: text})
			want[id] = text
			// And a deletion of the previous batch's second item.
			gone := fmt.Sprintf("evt-%d", (b-1)*per+2)
			dels = append(dels, gone)
			want[gone] = ""
		}
		if err := bulk.Add(docs, dels, index.Position{Seq: int64(b + 1)}); err != nil {
			t.Fatalf("batch %d: %v", b, err)
		}
	}
	if err := bulk.Close(); err != nil {
		t.Fatal(err)
	}
	pos, err := ix.Applied()
	if err != nil {
		t.Fatal(err)
	}
	if pos != (index.Position{Seq: batches}) {
		t.Errorf("position %v after the run, want %d/0", pos, batches)
	}
	live := 0
	for id, text := range want {
		if text == "" {
			continue
		}
		live++
		res, err := ix.Search(ctx, index.Request{Query: text, Size: 5})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 1 || res.Hits[0].ID != id {
			t.Errorf("%q finds %d hits (%v), want %s alone", text, res.Total, res.Hits, id)
		}
	}
	for b := 1; b < batches; b++ {
		// The first version of each revised item is gone.
		text := fmt.Sprintf("batch%d item0", b-1)
		if n, err := ix.Count(ctx, `"`+text+`"`, index.Filter{}); err != nil || n != 0 {
			t.Errorf("%q: %d hits (%v), want the item's revision only", text, n, err)
		}
	}
	if n, err := ix.DocCount(); err != nil || int(n) != live {
		t.Errorf("%d documents (%v), want %d", n, err, live)
	}
	if err := bulk.Add(nil, nil, index.Position{Seq: 99}); err == nil {
		t.Error("Add after Close was taken")
	}
}

// A run whose context ends refuses further batches, and Close still records
// the position of every batch it did take, once they have landed.
func TestBulkCancelledKeepsWhatItTook(t *testing.T) {
	ix, err := index.Create(filepath.Join(t.TempDir(), "index"), "case-1")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx, cancel := context.WithCancel(context.Background())
	bulk := ix.NewBulk(ctx)
	for b := 0; b < 3; b++ {
		doc := index.Doc{ID: fmt.Sprintf("seg-%d", b+1), Kind: "segment", Text: fmt.Sprintf("word%d", b)}
		if err := bulk.Add([]index.Doc{doc}, nil, index.Position{Seq: 7, Partial: int64(b + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if err := bulk.Add([]index.Doc{{ID: "seg-9", Kind: "segment", Text: "late"}}, nil, index.Position{Seq: 8}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Add after cancel: %v, want context.Canceled", err)
	}
	if err := bulk.Close(); err != nil {
		t.Fatal(err)
	}
	pos, err := ix.Applied()
	if err != nil {
		t.Fatal(err)
	}
	if pos != (index.Position{Seq: 7, Partial: 3}) {
		t.Errorf("position %v, want the third batch's", pos)
	}
	if n, _ := ix.DocCount(); n != 3 {
		t.Errorf("%d documents, want the 3 taken", n)
	}
}
