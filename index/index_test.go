package index_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/index"
)

func TestAnIndexMovedToAnotherFolderStillOpens(t *testing.T) {
	p := filepath.Join(t.TempDir(), "index")
	ix, err := index.Create(p, "case-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(context.Background(), []index.Doc{{ID: "seg-1", Kind: "segment", Text: "the master admin"}}, nil, index.Position{Seq: 1}); err != nil {
		t.Fatal(err)
	}
	ix.MarkReady()
	ix.Close()
	meta, _ := os.ReadFile(filepath.Join(p, "index_meta.json"))
	if strings.Contains(string(meta), p) {
		t.Errorf("index_meta.json holds an absolute path: %s", meta)
	}
	moved := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Rename(p, moved); err != nil {
		t.Fatal(err)
	}
	ix2, err := index.Open(moved, "case-1")
	if err != nil {
		t.Fatalf("open moved index: %v", err)
	}
	defer ix2.Close()
	res, err := ix2.Search(context.Background(), index.Request{Query: "admin"})
	if err != nil || res.Total != 1 {
		t.Errorf("search moved index: %d hits, %v", res.Total, err)
	}
	pos, err := ix2.Applied()
	if err != nil || pos.Seq != 1 {
		t.Errorf("applied position %v, %v", pos, err)
	}
}

func TestAnIndexOfAnotherCaseOrAnUnfinishedBuildIsStale(t *testing.T) {
	p := filepath.Join(t.TempDir(), "index")
	ix, err := index.Create(p, "case-1")
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if _, err := index.Open(p, "case-1"); !errors.Is(err, index.ErrStale) {
		t.Errorf("unfinished build: %v, want ErrStale", err)
	}
	other := filepath.Join(t.TempDir(), "other")
	ix, _ = index.Create(other, "case-2")
	ix.MarkReady()
	ix.Close()
	if _, err := index.Open(other, "case-1"); !errors.Is(err, index.ErrStale) {
		t.Errorf("another case's index: %v, want ErrStale", err)
	}
	if _, err := index.Open(t.TempDir(), "case-1"); err == nil {
		t.Error("opened an empty folder as an index")
	}
}

func TestASecondOpenOfAHeldIndexFailsInsteadOfBlocking(t *testing.T) {
	p := filepath.Join(t.TempDir(), "index")
	ix, err := index.Create(p, "case-1")
	if err != nil {
		t.Fatal(err)
	}
	ix.MarkReady()
	defer ix.Close()
	done := make(chan error, 1)
	go func() {
		ix2, err := index.Open(p, "case-1")
		if err == nil {
			ix2.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a second open of a held index succeeded")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a second open of a held index blocked")
	}
}
