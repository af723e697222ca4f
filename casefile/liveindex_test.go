package casefile_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

// liveFolder copies real third-party files (attributed in the importer's
// testdata SOURCES) into a folder an import takes in name order: first a
// 3,000-line Apache access log (several index batches, some in flight while
// the next file is read), then transcripts. It returns the folder, its files
// in import order and the records they hold, counted here independently of
// the importers: a log line each, a cue per "-->" timing line.
func liveFolder(t *testing.T) (string, []string, int64) {
	t.Helper()
	dir := t.TempDir()
	files := []struct{ from, to string }{
		{"../importer/testdata/logs/elastic_examples_apache_logs_first3000.log", "a_apache_access.log"},
		{"../importer/testdata/corpus/zoom_GMT20240124-202901_Recording.transcript.vtt", "b_zoom.vtt"},
		{"../importer/testdata/corpus/zoom_GMT20240124-202901_Recording.cc.vtt", "c_zoom_cc.vtt"},
		{"testdata/mozilla_vttjs_chinese.vtt", "d_mozilla_chinese.vtt"},
	}
	var paths []string
	var want int64
	for _, f := range files {
		b, err := os.ReadFile(f.from)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(f.to) == ".log" {
			want += int64(bytes.Count(bytes.TrimRight(b, "\n"), []byte("\n")) + 1)
		} else {
			want += int64(bytes.Count(b, []byte("-->")))
		}
		p := filepath.Join(dir, f.to)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return dir, paths, want
}

func queryTotal(t *testing.T, c *casefile.Case, q string) uint64 {
	t.Helper()
	res, err := c.Search(t.Context(), casefile.Query{Text: q})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return res.Total
}

// A folder import indexes file by file while it stores, and a change made
// between two of its files (a tag: another writer of the index) lands in
// order with the import's batches still in flight. When Import returns,
// every record is searchable, the tag is found, and verify --deep derives
// every index document again from its record and finds them equal.
func TestFolderImportIndexFollowsIt(t *testing.T) {
	c, _ := newCase(t)
	dir, paths, want := liveFolder(t)
	tagged := false
	progress := func(p casefile.Progress) {
		// The report that starts the third file comes between two files,
		// with the case free: the log's batches are in the import's bulk.
		if p.Stage == "import" && p.Files == len(paths) && p.File == paths[2] {
			if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemEvent, N: 1}, "seen-abroad", casefile.TagOptions{}); err != nil {
				t.Errorf("tag between two files: %v", err)
			}
			tagged = true
		}
	}
	res, err := c.Import(t.Context(), []string{dir}, casefile.ImportOptions{}, progress)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	var stored int64
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("import %s: %v", r.File, r.Err)
		}
		stored += r.Records
	}
	if !tagged || stored != want {
		t.Fatalf("tagged %v; stored %d records, the files hold %d", tagged, stored, want)
	}
	if got := queryTotal(t, c, "*"); got != uint64(want) {
		t.Errorf("search * finds %d of %d records", got, want)
	}
	if got := queryTotal(t, c, `tag:"seen-abroad"`); got != 1 {
		t.Errorf("the tag made during the import is on %d indexed records, want 1", got)
	}
	rep, err := c.VerifyWith(t.Context(), casefile.VerifyOptions{Deep: true}, nil)
	if err != nil || !rep.OK || rep.Deep == nil || rep.Deep.Indexed != want || len(rep.Deep.Problems) != 0 {
		t.Fatalf("verify --deep: %v %+v %+v", err, rep, rep.Deep)
	}
}

// A folder import cancelled between two files keeps the files it stored,
// leaves no batch running and no position ahead of the index: the next
// open catches up, and the index then holds exactly the stored records.
func TestFolderImportCancelledIndexCatchesUp(t *testing.T) {
	c, caseDir := newCase(t)
	dir, paths, _ := liveFolder(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	progress := func(p casefile.Progress) {
		if p.Stage == "import" && p.Files == len(paths) && p.File == paths[3] {
			cancel()
		}
	}
	res, _ := c.Import(ctx, []string{dir}, casefile.ImportOptions{}, progress)
	var stored int64
	for _, r := range res {
		if r.Err == nil {
			stored += r.Records
		}
	}
	if stored < 3000 || len(res) != len(paths) || res[len(res)-1].Err == nil {
		t.Fatalf("cancelled at the fourth file: %d records stored, results %+v", stored, res)
	}
	if got := queryTotal(t, c, "*"); got > uint64(stored) {
		t.Errorf("the index claims %d records, the case stored %d", got, stored)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	c2, err := casefile.Open(t.Context(), caseDir, nil)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer c2.Close()
	if got := queryTotal(t, c2, "*"); got != uint64(stored) {
		t.Errorf("after the next open the index holds %d records, the case %d", got, stored)
	}
	rep, err := c2.VerifyWith(t.Context(), casefile.VerifyOptions{Deep: true}, nil)
	if err != nil || !rep.OK || rep.Deep.Indexed != stored {
		t.Fatalf("verify --deep: %v %+v %+v", err, rep, rep.Deep)
	}
}
