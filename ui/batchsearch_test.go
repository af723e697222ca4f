package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casebook/casefile"
)

func TestABatchSearchCountsEachTermAndRunsOneOnRequest(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	menuItem(t, g, "Batch search a list of terms…").Action()
	d := cv.batchDialog
	d.setTerms([]casefile.BatchTerm{{Term: "admin", Label: "the role"}, {Term: "actor:zhang"}, {Term: "(admin"}})
	test.Tap(d.runBtn)
	g.settle(t)
	if len(d.results) != 3 {
		t.Fatalf("%d results for 3 terms", len(d.results))
	}
	for i, q := range []string{"admin", "actor:zhang"} {
		n, err := c.Count(t.Context(), casefile.Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if d.results[i].Hits != n || d.results[i].Err != nil {
			t.Errorf("%s: %d hits (%v), the case counts %d", q, d.results[i].Hits, d.results[i].Err, n)
		}
	}
	if d.results[0].Label != "the role" || d.results[2].Err == nil {
		t.Errorf("results %+v", d.results)
	}
	assertShows(t, d.list, "✗")
	if !strings.Contains(d.status.Text, "1 could not be read") {
		t.Errorf("the status says %q", d.status.Text)
	}
	d.list.Select(1)
	g.settle(t)
	if cv.results.entry.Text != "actor:zhang" || cv.tabs.Selected() != cv.searchTab {
		t.Errorf("selecting a result searched %q", cv.results.entry.Text)
	}
}
