package casefile_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"casebook/assets/demo"
	"casebook/casefile"
	"casebook/index"
	"casebook/model"
)

const (
	mozillaChinese = "testdata/mozilla_vttjs_chinese.vtt" // Chinese only in a cue id, which is not text
	chineseFixture = "testdata/2022-02-01_lumora_zh.vtt"
)

func hitIDs(t *testing.T, c *casefile.Case, q casefile.Query) []string {
	t.Helper()
	q.Limit = 1000
	res, err := c.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("search %q: %v", q.Text, err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestProximityOnAFixtureTranscript(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture)
	// "The Beijing team still has read access to us_users.phone through the
	// master admin role." — "beijing" and "access" have 4 words between.
	for _, tc := range []struct {
		q    string
		want int
	}{
		{`"beijing access"`, 0},
		{`"beijing access"~3`, 0},
		{`"beijing access"~4`, 1},
		{`"access beijing"~4`, 1},
		{`"approval logs"~8`, 0},
		{`"approval logs"~9`, 1}, // across the continuation line
		{`"statement logs"~5`, 0},
		{`"statement logs"~6`, 1},
		{`"logs approved"~50`, 0},             // never in one segment
		{`"master admin" AND speaker:wei`, 2}, // both of Wei Zhang's
	} {
		if got := len(hitIDs(t, c, casefile.Query{Text: tc.q})); got != tc.want {
			t.Errorf("%s: %d hits, want %d", tc.q, got, tc.want)
		}
	}
	res, err := c.Search(t.Context(), casefile.Query{Text: `"beijing access"~4`})
	if err != nil || len(res.Hits) != 1 || !strings.Contains(res.Hits[0].Snippet, "«Beijing»") || !strings.Contains(res.Hits[0].Snippet, "«access»") {
		t.Errorf("proximity hit does not show its words: %+v %v", res.Hits, err)
	}
}

// A segment hit carries where its matches are in the whole text, so the
// Reader can mark them in the segment it opens; an event hit carries none.
func TestASegmentHitMarksItsMatchesInTheWholeText(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	res, err := c.Search(t.Context(), casefile.Query{Text: `"master admin" approved`, Filters: casefile.Filters{Kind: "segment"}})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("search: %v, %d hits", err, len(res.Hits))
	}
	for _, h := range res.Hits {
		var marked []string
		for _, m := range h.Marks {
			marked = append(marked, strings.ToLower(h.Text[m[0]:m[1]]))
		}
		for i := 1; i < len(h.Marks); i++ {
			if h.Marks[i][0] < h.Marks[i-1][1] {
				t.Errorf("%s: marks out of order or overlapping: %v", h.ID, h.Marks)
			}
		}
		for _, m := range marked {
			if m != "master" && m != "admin" && m != "approved" && m != "master admin" {
				t.Errorf("%s marks %q in %q", h.ID, m, h.Text)
			}
		}
		if strings.Contains(h.Text, "Nobody approved it") && !slices.Contains(marked, "approved") {
			t.Errorf("%s: %q is not marked in %q (marks %v)", h.ID, "approved", h.Text, marked)
		}
		if len(marked) == 0 {
			t.Errorf("%s has no marks: %q", h.ID, h.Text)
		}
	}
	ev, err := c.Search(t.Context(), casefile.Query{Text: "Beijing", Filters: casefile.Filters{Kind: "event"}, Limit: 1})
	if err != nil || len(ev.Hits) != 1 || ev.Hits[0].Marks != nil {
		t.Errorf("an event hit: %v %+v", err, ev.Hits)
	}
}

func TestChineseTextIsFindable(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, mozillaChinese, transcriptFixture)
	if n := len(hitIDs(t, c, casefile.Query{Text: "数据"})); n != 0 {
		t.Errorf("数据 found %d hits in a case without it", n)
	}
	importOK(t, c, casefile.ImportOptions{}, chineseFixture)
	for _, tc := range []struct {
		q, speaker, mark string
	}{
		{"数据", "陈美", "«数据»"},
		{`"用户数据"`, "陈美", "«用户数据»"},
		{"新加坡 导出", "欧卡福", "«新加坡»"},
		{"批准 speaker:陈美", "陈美", "«批准»"},
	} {
		res, err := c.Search(t.Context(), casefile.Query{Text: tc.q})
		if err != nil {
			t.Fatalf("%s: %v", tc.q, err)
		}
		if res.Total != 1 || res.Hits[0].Speaker != tc.speaker || !strings.Contains(res.Hits[0].Snippet, tc.mark) {
			t.Errorf("%s: %d hits %+v", tc.q, res.Total, res.Hits)
		}
	}
	if n := len(hitIDs(t, c, casefile.Query{Text: "大海"})); n != 0 {
		t.Errorf("大海 (a cue id, not text) found %d hits", n)
	}
}

func TestSegmentsOfADatedMeetingHaveATime(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	srcs, _ := c.Sources(t.Context())
	if srcs[0].Describes != "2022-01-14" {
		t.Skipf("the transcript's date is %q", srcs[0].Describes)
	}
	segs := hitIDs(t, c, casefile.Query{Text: "kind:segment time:2022-01-14"})
	all := hitIDs(t, c, casefile.Query{Text: "kind:segment"})
	if len(segs) == 0 || len(segs) != len(all) {
		t.Errorf("time:2022-01-14 finds %d of %d segments", len(segs), len(all))
	}
	if n := len(hitIDs(t, c, casefile.Query{Text: "kind:segment", Filters: casefile.Filters{To: "2022-01-13"}})); n != 0 {
		t.Errorf("%d segments before their meeting", n)
	}
}

func TestFiltersAndDateBoundariesOnTheAccessFixture(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	b, _ := os.ReadFile(accessFixture)
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	srcs, _ := c.Sources(t.Context())
	segs, _ := c.Segments(t.Context(), srcs[0].ID)
	segments := len(segs)
	count := func(pred func(r []string) bool) int {
		n := 0
		for _, r := range rows[1:] {
			if pred(r) {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct {
		name string
		q    casefile.Query
		want int
	}{
		{"from and to are whole days", casefile.Query{Filters: casefile.Filters{From: "2022-01-12", To: "2022-01-12"}},
			count(func(r []string) bool { return strings.HasPrefix(r[0], "2022-01-12") })},
		{"from is inclusive", casefile.Query{Filters: casefile.Filters{Kind: "event", From: "2022-01-13"}},
			count(func(r []string) bool { return r[0] >= "2022-01-13" })},
		{"the query range is inclusive", casefile.Query{Text: "time:[2022-01-12 TO 2022-01-13]"},
			count(func(r []string) bool { return r[0] < "2022-01-14" })},
		{"braces are exclusive", casefile.Query{Text: "time:{2022-01-12 TO 2022-01-14}"},
			count(func(r []string) bool { return strings.HasPrefix(r[0], "2022-01-13") })},
		{"country and approval", casefile.Query{Filters: casefile.Filters{Country: "cn", Approval: "no"}},
			count(func(r []string) bool { return r[4] == "CN" && r[12] == "" })},
		{"with approval", casefile.Query{Filters: casefile.Filters{Kind: "event", Approval: "yes"}},
			count(func(r []string) bool { return r[12] != "" })},
		{"records over 1000", casefile.Query{Text: "records:>1000"},
			count(func(r []string) bool { var n int; fmt.Sscan(r[11], &n); return n > 1000 })},
		{"actor and office", casefile.Query{Filters: casefile.Filters{Actor: "LI NA", Office: "beijing"}},
			count(func(r []string) bool { return r[2] == "Li Na" && r[3] == "Beijing" })},
		{"category", casefile.Query{Filters: casefile.Filters{Category: "phone"}},
			count(func(r []string) bool { return r[9] == "phone" })},
		{"speaker", casefile.Query{Filters: casefile.Filters{Speaker: "mia chen"}}, 3},
		{"source", casefile.Query{Filters: casefile.Filters{Source: "src-1"}}, segments},
	} {
		res, err := c.Search(t.Context(), tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if int(res.Total) != tc.want {
			t.Errorf("%s: %d hits, want %d", tc.name, res.Total, tc.want)
		}
	}
	res, err := c.Search(t.Context(), casefile.Query{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Facets["month"]) != 1 || res.Facets["month"][0].Term != "2022-01" || res.Facets["kind"] == nil {
		t.Errorf("facets: %v", res.Facets)
	}
	_, err = c.Search(t.Context(), casefile.Query{Text: "(master OR admin"})
	var qe *index.QueryError
	if !errors.As(err, &qe) || qe.Pos != 1 {
		t.Errorf("malformed query: %v", err)
	}
}

func TestSavedSearchesAreKeptAuditedAndDeleted(t *testing.T) {
	c, _ := newCase(t)
	before, _ := c.AuditTrail(t.Context())
	q := casefile.Query{Text: `"master admin"`, Filters: casefile.Filters{Speaker: "Wei Zhang", From: "2022-01-01"}}
	if _, err := c.SaveSearch(t.Context(), "admin role", q); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SaveSearch(t.Context(), "admin role", q); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("saving a name twice: %v, want ErrDuplicate", err)
	}
	var qe *index.QueryError
	if _, err := c.SaveSearch(t.Context(), "broken", casefile.Query{Text: "(a"}); !errors.As(err, &qe) {
		t.Errorf("saving a malformed query: %v", err)
	}
	list, err := c.SavedSearches(t.Context())
	if err != nil || len(list) != 1 || list[0].Name != "admin role" || list[0].Query != q.Text || list[0].Filters != q.Filters {
		t.Fatalf("saved searches %+v, %v", list, err)
	}
	if list[0].AsQuery().Text != q.Text {
		t.Errorf("AsQuery %+v", list[0].AsQuery())
	}
	if err := c.DeleteSearch(t.Context(), "admin role"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteSearch(t.Context(), "admin role"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
	after, _ := c.AuditTrail(t.Context())
	var actions []string
	for _, e := range after[len(before):] {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []string{"save-search", "delete-search"}) {
		t.Errorf("audit actions %v", actions)
	}
}

func TestABatchOfTermsGivesHitCountsPerTerm(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	for _, input := range []string{
		"term,label\n\"\"\"master admin\"\"\",role\ncountry:CN,china\n(broken,bad\nzzzunknown\n",
		`{"term":"\"master admin\"","label":"role"}` + "\n" + `{"term":"country:CN","label":"china"}` + "\n" +
			`{"term":"(broken","label":"bad"}` + "\n" + `{"term":"zzzunknown"}` + "\n",
	} {
		terms, err := casefile.ReadBatchTerms(strings.NewReader(input))
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.BatchSearch(t.Context(), terms, casefile.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 4 || res[0].Term != `"master admin"` || res[0].Label != "role" || res[0].Hits != 2 ||
			res[1].Hits != 2 || res[2].Err == nil || res[3].Hits != 0 || res[3].Err != nil {
			t.Errorf("batch: %+v", res)
		}
	}
	res, err := c.BatchSearch(t.Context(), []casefile.BatchTerm{{Term: "country:CN"}}, casefile.Query{Filters: casefile.Filters{Approval: "no"}})
	if err != nil || res[0].Hits != 1 {
		t.Errorf("batch within a filter: %+v %v", res, err)
	}
}

func TestSearchAllStreamsThousandsOfEvents(t *testing.T) {
	c, _ := newCase(t)
	var b strings.Builder
	b.WriteString("timestamp,employee_id,employee_name,office,office_country,action,resource,data_category,record_count,approval_id\n")
	const n = 5000
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s,E%d,Person %d,Beijing,CN,read,us_users.phone,phone,%d,\n", start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), i, i, i)
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	os.WriteFile(path, []byte(b.String()), 0o600)
	importOK(t, c, casefile.ImportOptions{}, path)
	seen := map[string]bool{}
	var prev time.Time
	err := c.SearchAll(t.Context(), casefile.Query{Text: "country:CN", ByTime: true}, func(h casefile.Hit) error {
		if seen[h.ID] {
			t.Fatalf("%s twice", h.ID)
		}
		seen[h.ID] = true
		if h.Time.Before(prev) || h.Text == "" {
			t.Fatalf("%s out of order or empty", h.ID)
		}
		prev = h.Time
		return nil
	})
	if err != nil || len(seen) != n {
		t.Errorf("streamed %d of %d (%v)", len(seen), n, err)
	}
}

func TestTheDemoCaseAnswersPlantedQuestions(t *testing.T) {
	c := demoCase(t)
	res, err := c.Search(t.Context(), casefile.Query{Text: `"master admin"`, Limit: 50})
	if err != nil || res.Total == 0 {
		t.Fatalf(`"master admin": %v`, err)
	}
	found := false
	for _, q := range casefile.DemoManifest().PlantedQuotes {
		if !strings.Contains(strings.ToLower(q.Text), "master admin") {
			continue
		}
		for _, h := range res.Hits {
			if strings.Contains(h.Text, q.Text) {
				found = true
			}
		}
	}
	if !found {
		t.Errorf(`"master admin" does not find the planted quote`)
	}
	files, err := demo.Files()
	if err != nil {
		t.Fatal(err)
	}
	m := casefile.DemoManifest()
	rows, err := csv.NewReader(bytes.NewReader(files[m.AccessLog.Name])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	want := 0
	for _, r := range rows[1:] {
		if r[col["office_country"]] == "CN" && r[col["approval_id"]] == "" && r[col["data_category"]] == "phone" {
			want++
		}
	}
	n, err := c.Count(t.Context(), casefile.Query{Text: "country:CN AND approval:no AND category:phone"})
	if err != nil || int(n) != want || want == 0 {
		t.Errorf("country:CN AND approval:no AND category:phone: %d hits, the CSV has %d (%v)", n, want, err)
	}
	n2, err := c.Count(t.Context(), casefile.Query{Filters: casefile.Filters{Country: "CN", Approval: "no", Category: "phone"}})
	if err != nil || n2 != n {
		t.Errorf("the same as filters: %d, want %d (%v)", n2, n, err)
	}
}
