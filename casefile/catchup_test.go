package casefile_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"casebook/casefile"
)

// bigLog is an access log of n rows, in the fixture's format.
func bigLog(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("timestamp,employee_id,employee_name,office,office_country,resource,data_category,subject_region,record_count,approval_id\n")
	for i := range n {
		fmt.Fprintf(&b, "2022-01-%02dT%02d:%02d:%02dZ,E%d,Person %d,Beijing,CN,us_users.phone,phone,US,%d,\n",
			1+i%28, i%24, i%60, (i/60)%60, 1000+i%50, i%50, 1+i%900)
	}
	return writeFile(t, "big.csv", b.String())
}

// TestCatchingUpInBatchesLetsSearchesRunBetweenBatches imports a log of
// 9,000 rows without indexing it, then catches up in batches: each report
// comes while the case is not held (a search run from it returns, seeing
// the items indexed so far), the counts only grow, and at the end every
// row is searchable.
func TestCatchingUpInBatchesLetsSearchesRunBetweenBatches(t *testing.T) {
	c, dir := newCase(t)
	const rows = 9000
	res := importOK(t, c, casefile.ImportOptions{DeferIndex: true}, bigLog(t, rows))
	if res[0].Records != rows {
		t.Fatalf("imported %d records, want %d", res[0].Records, rows)
	}
	if n := searchTotal(t, c); n != 0 {
		t.Fatalf("the index holds %d items before the catch-up", n)
	}
	evs, err := c.AccessLogEvents(t.Context(), 1, "records", true, 0, 10)
	if err != nil || len(evs) != 10 {
		t.Fatalf("the access-log table is not usable before the catch-up: %d rows, %v", len(evs), err)
	}
	var reports []casefile.Progress
	var seen []uint64
	err = c.CatchUp(t.Context(), func(p casefile.Progress) {
		reports = append(reports, p)
		seen = append(seen, searchTotal(t, c)) // would deadlock if the case were held
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) < 2 {
		t.Fatalf("%d reports, want one a batch (several for %d rows)", len(reports), rows)
	}
	for i, p := range reports {
		if p.Stage != "index" || p.Total != rows || p.Done > p.Total || (i > 0 && p.Done <= reports[i-1].Done) {
			t.Errorf("report %d: %+v", i, p)
		}
		if seen[i] != uint64(p.Done) {
			t.Errorf("after report %d (%d done) a search finds %d items", i, p.Done, seen[i])
		}
	}
	if last := reports[len(reports)-1]; last.Done != rows {
		t.Errorf("the last report says %d of %d", last.Done, last.Total)
	}
	if n := searchTotal(t, c); n != rows {
		t.Errorf("after the catch-up the index holds %d items, want %d", n, rows)
	}
	if p := verifyProblems(t, c); len(p) != 0 {
		t.Errorf("verify after the catch-up: %v", p)
	}

	// Cancelled before it starts, it stops at once; the next open catches up.
	res = importOK(t, c, casefile.ImportOptions{DeferIndex: true}, transcriptFixture)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := c.CatchUp(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled catch-up: %v", err)
	}
	c = reopen(t, c, dir)
	if n := searchTotal(t, c); n != uint64(rows+res[0].Records) {
		t.Errorf("after reopening the index holds %d items, want %d", n, rows+res[0].Records)
	}
}
