package casefile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCorrelationOverManyMeetingsQueriesInBoundedChunks runs the correlation
// rule with the meetings' windows split over several queries, as a case with
// thousands of meetings needs (SQLite refuses an expression deeper than
// 1,000), and wants the same suggestions as in one query.
func TestCorrelationOverManyMeetingsQueriesInBoundedChunks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	c, err := Create(t.Context(), dir, CreateOptions{Title: "many meetings"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	src := t.TempDir()
	base := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	var paths []string
	log := "timestamp,employee,office_country,resource,data_category,subject_region,approval_id\n"
	for i := 0; i < 7; i++ {
		day := base.AddDate(0, 0, 10*i)
		p := filepath.Join(src, day.Format("2006-01-02")+"_sync.txt")
		text := fmt.Sprintf("Mia Chen: Meeting %d about the phone table.\nWei Zhang: I looked at it again.\n", i)
		if i%2 == 1 {
			text = fmt.Sprintf("Mia Chen: Meeting %d. Wei Zhang read the phone table again.\nDaniel Okafor: Noted, we will ask him.\n", i)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		log += day.AddDate(0, 0, 1).Add(12*time.Hour).Format(time.RFC3339) + ",Wei Zhang,CN,us_users.phone,phone,US,\n"
		log += day.AddDate(0, 0, 5).Add(12*time.Hour).Format(time.RFC3339) + ",Wei Zhang,CN,us_users.phone,phone,US,\n" // too far
	}
	lp := filepath.Join(src, "access.csv")
	if err := os.WriteFile(lp, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := c.Import(t.Context(), append(paths, lp), ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	old := correlationSpansPerQuery
	correlationSpansPerQuery = 2
	t.Cleanup(func() { correlationSpansPerQuery = old })
	runs, err := c.RunRules(t.Context(), "correlation")
	if err != nil || len(runs) != 1 || runs[0].Err != nil {
		t.Fatalf("run: %v %+v", err, runs)
	}
	if runs[0].Added != 7 {
		t.Errorf("%d suggestions from seven meetings each with one event a day after it, want 7", runs[0].Added)
	}
	sugg, err := c.Suggestions(t.Context(), "correlation", "suggested")
	if err != nil {
		t.Fatal(err)
	}
	named, speaks := 0, 0
	for _, s := range sugg {
		switch {
		case strings.Contains(s.Explanation, "where Wei Zhang is named"):
			named++
		case strings.Contains(s.Explanation, "where Wei Zhang speaks"):
			speaks++
		}
	}
	if named != 3 || speaks != 4 {
		t.Errorf("%d suggestions for a name in the words, %d for a speaker; want 3 and 4", named, speaks)
	}
}

func TestMergeSpans(t *testing.T) {
	got := mergeSpans([][2]int64{{10, 20}, {1, 5}, {5, 7}, {15, 30}, {40, 41}})
	want := [][2]int64{{1, 7}, {10, 30}, {40, 41}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("merged %v, want %v", got, want)
	}
}
