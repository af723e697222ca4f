package store_test

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"casebook/model"
	"casebook/store"
)

// v1SegmentDigest is the segment digest as casebook-seal-v1 defined it
// before segments had pages, written out again here from its description
// (every field length-prefixed with a uvarint, in order), so the test does
// not check SegmentDigest against itself.
func v1SegmentDigest(g *model.Segment) []byte {
	h := sha256.New()
	put := func(s string) {
		var n [binary.MaxVarintLen64]byte
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	i := func(v int64) { put(strconv.FormatInt(v, 10)) }
	put("segment")
	i(g.ID)
	i(g.SourceID)
	i(int64(g.Seq))
	i(g.StartMS)
	i(g.EndMS)
	put(g.Speaker)
	put(g.Text)
	i(int64(g.Line))
	i(g.Offset)
	i(g.Length)
	return h.Sum(nil)
}

func TestSegmentDigestWithoutPagesIsUnchanged(t *testing.T) {
	g := &model.Segment{ID: 7, SourceID: 2, Seq: 3, StartMS: -1, EndMS: 4000, Speaker: "Mia Chen", Text: "It is stored in Virginia.",
		Line: 12, Offset: 345, Length: 60}
	if !bytes.Equal(store.SegmentDigest(g), v1SegmentDigest(g)) {
		t.Fatal("a segment without pages no longer seals as it did: old cases would fail verify")
	}
	paged := *g
	paged.Page, paged.PageLine, paged.EndPage, paged.EndPageLine = 982, 24, 983, 2
	d := store.SegmentDigest(&paged)
	if bytes.Equal(d, v1SegmentDigest(g)) {
		t.Fatal("the page and line are not sealed")
	}
	moved := paged
	moved.EndPageLine = 3
	if bytes.Equal(d, store.SegmentDigest(&moved)) {
		t.Fatal("a changed end line seals the same")
	}
}

func TestSegmentPagesAreStoredSealedAndChecked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "case.db")
	s := open(t, path)
	ctx := t.Context()
	im, err := s.BeginImport(ctx, src(strings.Repeat("c", 64)), "")
	if err != nil {
		t.Fatal(err)
	}
	segs := []*model.Segment{
		{Seq: 1, StartMS: -1, EndMS: -1, Speaker: "Mr. Halvorsen", Text: "Objection, your Honor.", Line: 53, Page: 982, PageLine: 24, EndPage: 983, EndPageLine: 2},
		{Seq: 2, StartMS: -1, EndMS: -1, Speaker: "The Court", Text: "Sustained.", Line: 60, Page: 983, PageLine: 3, EndPage: 983, EndPageLine: 4},
		{Seq: 3, StartMS: -1, EndMS: -1, Text: "A caption without pages.", Line: 61},
	}
	for _, g := range segs {
		if err := im.AddSegment(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(ctx, model.Source{Encoding: "utf-8"}); err != nil {
		t.Fatal(err)
	}
	for i, w := range []string{"982:24–983:2", "983:3–4", ""} {
		g, err := s.Segment(ctx, segs[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if g.PageCite() != w {
			t.Errorf("segment %d reads back as %q, want %q", i+1, g.PageCite(), w)
		}
	}
	check, err := s.VerifySeals(ctx, nil)
	if err != nil || len(check.Findings) != 0 || check.Sealed != 1 {
		t.Fatalf("fresh import: %+v, %v", check, err)
	}
	// Moving a quote to another line is an edit of the record: verify names it.
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `UPDATE segments SET end_page_line = 3 WHERE id = ?`, segs[0].ID); err != nil {
		t.Fatal(err)
	}
	check, err = s.VerifySeals(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range check.Findings {
		if f.Item == (model.ItemID{Kind: model.ItemSegment, N: segs[0].ID}) {
			found = true
		}
	}
	if !found {
		t.Errorf("a moved end line went unnoticed: %+v", check.Findings)
	}
}
