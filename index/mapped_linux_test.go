package index

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// zapResident returns the kilobytes of this process's resident set that are
// pages of segment files under dir, read from /proc/self/smaps.
func zapResident(t *testing.T, dir string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	defer f.Close()
	kb, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if fields := strings.Fields(line); len(fields) > 0 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			in = len(fields) >= 6 && strings.HasPrefix(fields[5], dir) && strings.HasSuffix(fields[5], ".zap")
			continue
		}
		if in && strings.HasPrefix(line, "Rss:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			kb += n
		}
	}
	return kb
}

// reopenedIndex indexes docs in batches of 500 into a new index, settles
// its merges, closes it and opens it again, so that every segment is a
// persisted, mapped zap file; it returns the index (closed at the test's
// end) and its folder.
func reopenedIndex(t *testing.T, docs []Doc) (*Index, string) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Create(dir, "case-1")
	if err != nil {
		t.Fatal(err)
	}
	bulk := ix.NewBulk(ctx)
	for b := 0; b*500 < len(docs); b++ {
		if err := bulk.Add(docs[b*500:min((b+1)*500, len(docs))], nil, Position{Seq: int64(b + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := bulk.Close(); err != nil {
		t.Fatal(err)
	}
	// Settled, the reopened index has no merge left for Bleve's background
	// merger, which would map pages of its sources and of the merged
	// segment while a test measures.
	if err := ix.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.MarkReady(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(dir, "case-1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, dir
}

// Giving back the mapped pages of the segment files empties the share of
// the resident set that searching put there, and every search after it
// finds the same hits, totals and facets: the pages come back from the
// page cache when read.
func TestReleasedSegmentPagesLeaveTheResidentSetAndSearchesStayTheSame(t *testing.T) {
	ctx := context.Background()
	countries := []string{"US", "IE", "SG", "CN", "BR"}
	const docs = 30000
	var all []Doc
	for i := range docs {
		all = append(all, Doc{ID: fmt.Sprintf("evt-%d", i+1), Kind: "event", Source: "src-1",
			Actor: fmt.Sprintf("user%03d", i%700), Country: countries[i%len(countries)], Category: "profile",
			Time: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
			Text: fmt.Sprintf("export of account %d to host-%d for review %d", i, i%97, i%13)})
	}
	ix, dir := reopenedIndex(t, all)
	requests := []Request{
		{Query: "export host", Size: 50, Facets: FacetFields},
		{Query: `"account 12"`, Size: 50},
		{Filter: Filter{Country: "SG"}, Size: 50, ByTime: true, Facets: []string{MonthFacet}},
	}
	search := func() []Results {
		var out []Results
		for _, r := range requests {
			res, err := ix.Search(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, res)
		}
		return out
	}
	before := search()
	if before[0].Total == 0 || before[2].Total != docs/uint64(len(countries)) {
		t.Fatalf("totals %d and %d: the searches found too little to test", before[0].Total, before[2].Total)
	}
	touched := zapResident(t, dir)
	n, err := ix.releaseMapped()
	if err != nil {
		t.Fatal(err)
	}
	released := zapResident(t, dir)
	t.Logf("%d segments; %d KB of their files resident after the searches, %d KB after the release", n, touched, released)
	if n == 0 || touched == 0 || released > touched/4 {
		t.Errorf("%d segments advised: %d KB resident after searching, %d KB after releasing", n, touched, released)
	}
	after := search()
	for i := range before {
		b, a := before[i], after[i]
		b.CountedWholeAt, a.CountedWholeAt = nil, nil
		if !reflect.DeepEqual(b, a) {
			t.Errorf("request %d: before the release %+v, after it %+v", i, b, a)
		}
	}
}

// A long read of the whole index gives pages back while it runs, not only
// after: what the read mapped leaves the resident set before it returns.
func TestALongReadGivesPagesBackWhileItRuns(t *testing.T) {
	ctx := context.Background()
	var docs []Doc
	for i := range 5000 {
		docs = append(docs, Doc{ID: fmt.Sprintf("evt-%d", i+1), Kind: "event", Country: "IE", Actor: fmt.Sprintf("user%d", i%40),
			Text: fmt.Sprintf("login of user %d from host-%d", i, i%31)})
	}
	ix, dir := reopenedIndex(t, docs)
	var touched, during int
	err := ix.releasingWhile(func() error {
		if _, err := ix.Search(ctx, Request{Query: "login host", Facets: FacetFields}); err != nil {
			return err
		}
		touched = zapResident(t, dir)
		during = touched
		for deadline := time.Now().Add(30 * time.Second); during > 0 && time.Now().Before(deadline); {
			time.Sleep(releaseEvery / 8)
			during = zapResident(t, dir)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if touched == 0 || during > 0 {
		t.Errorf("%d KB of segment pages resident after the search, %d KB still while the read ran", touched, during)
	}
}
