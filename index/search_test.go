package index_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"casebook/index"
)

func ptr(v float64) *float64 { return &v }

func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// testDocs is a small corpus with every field set somewhere.
var testDocs = []index.Doc{
	{ID: "seg-1", Kind: "segment", Source: "src-1", Speaker: "Mia Chen", Text: "Let's go over the access review for the US user tables.", Time: day("2022-01-14T10:00:00Z")},
	{ID: "seg-2", Kind: "segment", Source: "src-1", Speaker: "Wei Zhang", Text: "The Beijing team still has read access through the master admin role.", Time: day("2022-01-14T10:00:05Z"), Tags: []string{"Foreign-Access"}},
	{ID: "seg-3", Kind: "segment", Source: "src-1", Speaker: "Mia Chen", Text: "We have seen data flowing to China every week.", Time: day("2022-01-14T10:00:09Z")},
	{ID: "seg-4", Kind: "segment", Source: "src-1", Speaker: "Daniel Okafor", Text: "Seen from the outside, the data never went to China.", Time: day("2022-01-14T10:00:12Z")},
	{ID: "seg-5", Kind: "segment", Source: "src-2", Speaker: "Li Na", Text: "我们先讨论用户数据的导出问题。", CJK: "我们先讨论用户数据的导出问题。"},
	{ID: "seg-6", Kind: "segment", Source: "src-2", Text: "This is only a test of the user data export."},
	{ID: "evt-1", Kind: "event", Source: "src-3", Actor: "Wei Zhang", Country: "cn", Office: "Beijing", Category: "phone", Approval: "no",
		Text: "2022-01-12 09:14:03Z · Wei Zhang (E1042) · at Beijing, CN · read · us_users.phone · records 1204", Time: day("2022-01-12T09:14:03Z"), Records: ptr(1204)},
	{ID: "evt-2", Kind: "event", Source: "src-3", Actor: "Mia Chen", Country: "US", Office: "Austin", Category: "profile_public", Approval: "yes",
		Text: "2022-01-12 10:01:44Z · Mia Chen · at Austin, US · read · us_users.profile · records 12", Time: day("2022-01-12T10:01:44Z"), Records: ptr(12)},
	{ID: "evt-3", Kind: "event", Source: "src-3", Actor: "Li Na", Country: "CN", Office: "Beijing", Category: "device_id", Approval: "yes",
		Text: "2022-01-13 02:30:00Z · Li Na · at Beijing, CN · export · us_users.device_id · records 50000", Time: day("2022-01-13T02:30:00Z"), Records: ptr(50000)},
	{ID: "evt-4", Kind: "event", Source: "src-3", Actor: "Priya Raman", Country: "SG", Office: "Singapore", Category: "contacts", Approval: "yes",
		Text: "2022-03-31 23:59:59Z · Priya Raman · at Singapore, SG · query · sg_users.contacts · records 100", Time: day("2022-03-31T23:59:59Z"), Records: ptr(100)},
	{ID: "evt-5", Kind: "event", Source: "src-3", Actor: "Priya Raman", Country: "SG", Office: "Singapore", Category: "contacts", Approval: "no",
		Text: "2022-04-01 00:00:00Z · Priya Raman · at Singapore, SG · query · sg_users.contacts · records 10", Time: day("2022-04-01T00:00:00Z"), Records: ptr(10)},
}

func newTestIndex(t testing.TB, docs []index.Doc) *index.Index {
	t.Helper()
	ix, err := index.Create(filepath.Join(t.TempDir(), "index"), "case-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for lo := 0; lo < len(docs); lo += 1000 {
		if err := ix.Apply(context.Background(), docs[lo:min(lo+1000, len(docs))], nil, index.Position{Seq: 1}); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}

func ids(t *testing.T, ix *index.Index, r index.Request) []string {
	t.Helper()
	r.Size = 100
	res, err := ix.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("search %q: %v", r.Query, err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	sort.Strings(out)
	if int(res.Total) != len(out) {
		t.Errorf("search %q: total %d but %d hits", r.Query, res.Total, len(out))
	}
	return out
}

func TestEachOperatorFindsWhatItShould(t *testing.T) {
	ix := newTestIndex(t, testDocs)
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"master admin", []string{"seg-2"}},
		{"MASTER", []string{"seg-2"}},
		{"tables", []string{"seg-1"}},
		{"table", []string{"seg-1"}}, // stemmed
		{`"user tables"`, []string{"seg-1"}},
		{`"user table"`, nil}, // quoted phrases are exact
		{`"user data"`, []string{"seg-6"}},
		{`(master OR review) AND "user data" NOT test`, nil},
		{`(master OR review OR export) NOT test`, []string{"evt-3", "seg-1", "seg-2"}},
		{`(master OR admin) AND access NOT test`, []string{"seg-2"}},
		{"data -china", []string{"seg-6"}},
		{"+data +china", []string{"seg-3", "seg-4"}},
		{"NOT kind:event", []string{"seg-1", "seg-2", "seg-3", "seg-4", "seg-5", "seg-6"}},
		{"master OR flowing", []string{"seg-2", "seg-3"}},
		{`speaker:"Mia Chen"`, []string{"seg-1", "seg-3"}},
		{`speaker:"mia chen"`, []string{"seg-1", "seg-3"}},
		{"speaker:mia", []string{"seg-1", "seg-3"}},
		{"speaker:(mia OR wei)", []string{"seg-1", "seg-2", "seg-3"}},
		{"speaker:mia*", []string{"seg-1", "seg-3"}},
		{"actor:/li.*/", []string{"evt-3"}},
		{"country:CN", []string{"evt-1", "evt-3"}},
		{"country:cn", []string{"evt-1", "evt-3"}},
		{"country:CN AND approval:no AND category:phone", []string{"evt-1"}},
		{"office:beijing", []string{"evt-1", "evt-3"}},
		{"source:SRC-2", []string{"seg-5", "seg-6"}},
		{"tag:foreign-access", []string{"seg-2"}},
		{"tag:FOREIGN-ACCESS", []string{"seg-2"}},
		{"records:>1000", []string{"evt-1", "evt-3"}},
		{"records:>=1204", []string{"evt-1", "evt-3"}},
		{"records:<12", []string{"evt-5"}},
		{"records:[10 TO 100]", []string{"evt-2", "evt-4", "evt-5"}},
		{"records:{10 TO 100}", []string{"evt-2"}},
		{"records:1204", []string{"evt-1"}},
		{"time:[2022-01-12 TO 2022-01-12]", []string{"evt-1", "evt-2"}},
		{"time:2022-01-12", []string{"evt-1", "evt-2"}},
		{"time:[2022-01-13 TO 2022-03-31]", []string{"evt-3", "evt-4", "seg-1", "seg-2", "seg-3", "seg-4"}},
		{"time:{2022-01-12 TO 2022-04-01}", []string{"evt-3", "evt-4", "seg-1", "seg-2", "seg-3", "seg-4"}},
		{"time:[2022-01-01 TO 2022-03-31] kind:event", []string{"evt-1", "evt-2", "evt-3", "evt-4"}},
		{"time:2022-04", []string{"evt-5"}},
		{"time:>=2022-04-01", []string{"evt-5"}},
		{"time:<2022-01-13", []string{"evt-1", "evt-2"}},
		{"time:2022-01-12T09:14:03Z", []string{"evt-1"}},
		{"acc*ss", []string{"seg-1", "seg-2"}},
		{"adm?n", []string{"seg-2"}},
		{"admn~1", []string{"seg-2"}},
		{"/fl.w.*/", []string{"seg-3"}},
		{"us_users.phone", []string{"evt-1"}},
		{"E1042", []string{"evt-1"}},
		{"数据", []string{"seg-5"}},
		{`"用户数据"`, []string{"seg-5"}},
		{"the", []string{"seg-1", "seg-2", "seg-4", "seg-6"}}, // stop words are still findable
		{"*", []string{"evt-1", "evt-2", "evt-3", "evt-4", "evt-5", "seg-1", "seg-2", "seg-3", "seg-4", "seg-5", "seg-6"}},
	} {
		t.Run(tc.q, func(t *testing.T) {
			if got := ids(t, ix, index.Request{Query: tc.q}); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}

func TestProximityMatchesWithinTheDistanceAndNotBeyond(t *testing.T) {
	ix := newTestIndex(t, testDocs)
	// seg-3: "seen data flowing to china" (3 words between), seg-4: "seen
	// from the outside the data never went to china" (8 between).
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{`"seen china"`, nil},
		{`"seen china"~2`, nil},
		{`"seen china"~3`, []string{"seg-3"}},
		{`"seen china"~7`, []string{"seg-3"}},
		{`"seen china"~8`, []string{"seg-3", "seg-4"}},
		{`"china seen"~3`, []string{"seg-3"}}, // any order
		{`"master role"~1`, []string{"seg-2"}},
		{`"master role"~0`, nil},
		{`"master admin"~0`, []string{"seg-2"}},
		{`"seen china"~3 speaker:mia`, []string{"seg-3"}},
		{`"seen china"~8 -speaker:mia`, []string{"seg-4"}},
	} {
		t.Run(tc.q, func(t *testing.T) {
			if got := ids(t, ix, index.Request{Query: tc.q}); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}

func TestFiltersNarrowTheQuery(t *testing.T) {
	ix := newTestIndex(t, testDocs)
	for _, tc := range []struct {
		f    index.Filter
		want []string
	}{
		{index.Filter{Kind: "Event", Country: "cn"}, []string{"evt-1", "evt-3"}},
		{index.Filter{Approval: "no"}, []string{"evt-1", "evt-5"}},
		{index.Filter{Actor: "priya raman", Category: "contacts"}, []string{"evt-4", "evt-5"}},
		{index.Filter{From: "2022-01-13", To: "2022-03-31"}, []string{"evt-3", "evt-4", "seg-1", "seg-2", "seg-3", "seg-4"}},
		{index.Filter{To: "2022-01-12"}, []string{"evt-1", "evt-2"}},
		{index.Filter{Tag: "foreign-access"}, []string{"seg-2"}},
		{index.Filter{Speaker: "Mia Chen", Source: "src-1"}, []string{"seg-1", "seg-3"}},
		{index.Filter{Office: "Singapore"}, []string{"evt-4", "evt-5"}},
	} {
		if got := ids(t, ix, index.Request{Filter: tc.f}); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.f, got, tc.want)
		}
	}
	if got := ids(t, ix, index.Request{Query: "china", Filter: index.Filter{Speaker: "daniel okafor"}}); !slices.Equal(got, []string{"seg-4"}) {
		t.Errorf("query with filter: %v", got)
	}
	if _, err := ix.Search(context.Background(), index.Request{Filter: index.Filter{From: "last week"}}); err == nil {
		t.Error("a bad date filter was accepted")
	}
}

// Filters choose hits and do not rank them: a search with words and a
// filter gives each hit the score the words alone give it, in the same
// order, and a search without words gives every hit the same score. (A
// date range used to add the inverse frequency of each hit's day.)
func TestFiltersDoNotChangeTheWordsScores(t *testing.T) {
	ix := newTestIndex(t, testDocs)
	ctx := context.Background()
	for _, tc := range []struct {
		query string
		f     index.Filter
	}{
		{"china", index.Filter{From: "2022-01-13", To: "2022-03-31"}},
		{"access OR data", index.Filter{Kind: "segment"}},
		{"records", index.Filter{Country: "cn", Approval: "no"}},
		{"query OR export", index.Filter{From: "2022-01"}},
		{"query OR read", index.Filter{Actor: "priya raman"}},
	} {
		words, err := ix.Search(ctx, index.Request{Query: tc.query, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		filtered, err := ix.Search(ctx, index.Request{Query: tc.query, Filter: tc.f, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		only := map[string]bool{}
		for _, id := range ids(t, ix, index.Request{Filter: tc.f}) {
			only[id] = true
		}
		var want []index.Hit
		for _, h := range words.Hits {
			if only[h.ID] {
				want = append(want, h)
			}
		}
		if len(want) == 0 || len(filtered.Hits) != len(want) {
			t.Errorf("%q %+v: %d hits, the words' hits that pass the filter: %d", tc.query, tc.f, len(filtered.Hits), len(want))
			continue
		}
		for i, h := range filtered.Hits {
			if h.ID != want[i].ID || math.Abs(h.Score-want[i].Score) > 1e-9*want[i].Score {
				t.Errorf("%q %+v: hit %d is %s scored %g; the words alone: %s scored %g", tc.query, tc.f, i, h.ID, h.Score, want[i].ID, want[i].Score)
			}
		}
		none, err := ix.Search(ctx, index.Request{Filter: tc.f, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range none.Hits {
			if h.Score != none.Hits[0].Score {
				t.Errorf("%+v without words: %s scored %g, %s %g", tc.f, h.ID, h.Score, none.Hits[0].ID, none.Hits[0].Score)
			}
		}
	}
}

func TestFacetsCountFieldsAndMonths(t *testing.T) {
	ix := newTestIndex(t, testDocs)
	res, err := ix.Search(context.Background(), index.Request{Query: "kind:event", Facets: append(index.FacetFields, index.MonthFacet)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range res.Facets["country"] {
		got[f.Term] = f.Count
	}
	if got["CN"] != 2 || got["SG"] != 2 || got["US"] != 1 {
		t.Errorf("country facet %v", res.Facets["country"])
	}
	want := []index.FacetCount{{"2022-01", 3}, {"2022-02", 0}, {"2022-03", 1}, {"2022-04", 1}}
	if !slices.Equal(res.Facets[index.MonthFacet], want) {
		t.Errorf("month facet %v, want %v", res.Facets[index.MonthFacet], want)
	}
}

func TestSortByTimeAndPaging(t *testing.T) {
	ix := newTestIndex(t, testDocs)
	var order []string
	for off := 0; off < 5; off += 2 {
		res, err := ix.Search(context.Background(), index.Request{Query: "kind:event", ByTime: true, Size: 2, From: off})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 5 {
			t.Errorf("total %d, want 5", res.Total)
		}
		for _, h := range res.Hits {
			order = append(order, h.ID)
		}
	}
	if want := []string{"evt-1", "evt-2", "evt-3", "evt-4", "evt-5"}; !slices.Equal(order, want) {
		t.Errorf("by time: %v, want %v", order, want)
	}
}

func TestSearchAllStreamsEveryHitPastAnyCap(t *testing.T) {
	var docs []index.Doc
	base := day("2022-01-01T00:00:00Z")
	const events, segments = 4500, 700
	for i := 1; i <= events; i++ {
		docs = append(docs, index.Doc{ID: fmt.Sprintf("evt-%d", i), Kind: "event", Country: []string{"CN", "US", "SG"}[i%3],
			Text: fmt.Sprintf("read user phone row %d", i), Time: base.Add(time.Duration(events-i) * time.Minute)})
	}
	for i := 1; i <= segments; i++ {
		docs = append(docs, index.Doc{ID: fmt.Sprintf("seg-%d", i), Kind: "segment", Text: "a phone call"})
	}
	ix := newTestIndex(t, docs)
	for _, tc := range []struct {
		name   string
		r      index.Request
		want   int
		byTime bool
	}{
		{"by id", index.Request{Query: "phone"}, events + segments, false},
		{"by time, untimed last", index.Request{Query: "phone", ByTime: true}, events + segments, true},
		{"filtered", index.Request{Query: "phone", Filter: index.Filter{Country: "cn"}, ByTime: true}, events / 3, true},
	} {
		seen := map[string]bool{}
		prevEvt, untimed := events+1, false
		err := ix.SearchAll(context.Background(), tc.r, func(page []index.Hit, total uint64) error {
			if int(total) != tc.want {
				t.Errorf("%s: total %d, want %d", tc.name, total, tc.want)
			}
			for _, h := range page {
				if seen[h.ID] {
					t.Fatalf("%s: %s streamed twice", tc.name, h.ID)
				}
				seen[h.ID] = true
				if !tc.byTime {
					continue
				}
				var i int
				if _, err := fmt.Sscanf(h.ID, "evt-%d", &i); err != nil {
					untimed = true
					continue
				}
				// later ids have earlier times; untimed segments come last
				if i > prevEvt || untimed {
					t.Fatalf("%s: %s out of time order", tc.name, h.ID)
				}
				prevEvt = i
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != tc.want {
			t.Errorf("%s: streamed %d hits, want %d", tc.name, len(seen), tc.want)
		}
	}
	stop := errors.New("stop")
	if err := ix.SearchAll(context.Background(), index.Request{}, func([]index.Hit, uint64) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("SearchAll did not return the callback's error: %v", err)
	}
}

func TestAMalformedQueryIsAQueryErrorFromSearch(t *testing.T) {
	ix := newTestIndex(t, testDocs)
	_, err := ix.Search(context.Background(), index.Request{Query: "(master OR admin"})
	var qe *index.QueryError
	if !errors.As(err, &qe) || qe.Pos != 1 || err.Error() != "query: column 1: unclosed parenthesis" {
		t.Errorf("error %v", err)
	}
}
