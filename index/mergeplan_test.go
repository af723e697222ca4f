package index

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// segmentDocs returns the number of documents of each segment the index's
// current snapshot holds.
func segmentDocs(t *testing.T, ix *Index) []uint64 {
	t.Helper()
	adv, err := ix.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.(*scorch.Scorch).Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var n []uint64
	for _, s := range r.(*scorch.IndexSnapshot).Segments() {
		n = append(n, s.Count())
	}
	return n
}

// bulkSettled indexes docs documents into a new index in batches of 50,
// settles its merges and returns the documents of each segment.
func bulkSettled(t *testing.T, docs int) []uint64 {
	t.Helper()
	ctx := context.Background()
	ix, err := Create(filepath.Join(t.TempDir(), "index"), "case-1")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	bulk := ix.NewBulk(ctx)
	for b := 0; b*50 < docs; b++ {
		batch := make([]Doc, 0, 50)
		for i := b * 50; i < min((b+1)*50, docs); i++ {
			batch = append(batch, Doc{ID: fmt.Sprintf("evt-%d", i+1), Kind: "event", Text: fmt.Sprintf("row %d of the log", i)})
		}
		if err := bulk.Add(batch, nil, Position{Seq: int64(b + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := bulk.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	return segmentDocs(t, ix)
}

// A bulk run and its settling build no segment above maxSegmentDocs: the
// memory a merge maps in stays bounded as the case grows. Without the cap
// the same run folds the small segments into larger ones, so the test sees
// the cap at work. (Settle is what the test pins; the background merger
// follows the same plan through openConfig, but when it runs is Bleve's
// choice, so a test cannot count on catching it.)
func TestMergesStayUnderTheSegmentCap(t *testing.T) {
	const docs, capDocs = 6000, 400
	uncapped := bulkSettled(t, docs)
	if largest := maxOf(uncapped); largest <= capDocs {
		t.Fatalf("uncapped: the largest segment holds %d documents (%v); the test needs one above %d", largest, uncapped, capDocs)
	}
	defer func(n int) { maxSegmentDocs = n }(maxSegmentDocs)
	maxSegmentDocs = capDocs
	capped := bulkSettled(t, docs)
	var total uint64
	for _, n := range capped {
		total += n
		if n >= capDocs {
			t.Errorf("a segment of %d documents, cap %d (segments %v)", n, capDocs, capped)
		}
	}
	t.Logf("segments: uncapped %v, capped at %d %v", uncapped, capDocs, capped)
	if total != docs {
		t.Errorf("%d documents in the segments, want %d", total, docs)
	}
}

func maxOf(ns []uint64) uint64 {
	var m uint64
	for _, n := range ns {
		m = max(m, n)
	}
	return m
}
