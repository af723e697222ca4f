package casefile_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"casebook/assets/demo"
	"casebook/bench/gen"
	"casebook/casefile"
	"casebook/model"
)

// rowKinds maps suggestions of the event rules back to (row, kind) pairs.
func rowKinds(t *testing.T, c *casefile.Case, kinds []string) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for _, k := range kinds {
		sugg, err := c.Suggestions(t.Context(), k, "")
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, 0, len(sugg))
		for _, s := range sugg {
			if s.Item.Kind != model.ItemEvent {
				t.Fatalf("rule %s suggested %s, not an event", k, s.Item)
			}
			ids = append(ids, s.Item.N)
		}
		for _, s := range sugg {
			e, err := c.Event(t.Context(), s.Item.N)
			if err != nil {
				t.Fatal(err)
			}
			if s.Explanation == "" || s.Status != "suggested" {
				t.Errorf("%s: suggestion %+v", k, s)
			}
			got[strconv.Itoa(e.Row)+"/"+k] = true
		}
	}
	return got
}

func TestRulesRunOnTheDemoFindExactlyThePlantedRows(t *testing.T) {
	c := demoCase(t)
	kinds := []string{demo.KindForeignAccess, demo.KindNoApproval, demo.KindForeignApprover, demo.KindBulk,
		demo.KindOffHours, demo.KindOffshoreCopy}
	want := map[string]bool{}
	perKind := map[string]int{}
	for _, p := range casefile.DemoManifest().PlantedRows {
		want[strconv.Itoa(p.Row)+"/"+p.Kind] = true
		perKind[p.Kind]++
	}
	got := rowKinds(t, c, kinds)
	for k := range want {
		if !got[k] {
			t.Errorf("planted row/kind %s not suggested", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("false suggestion %s", k)
		}
	}
	for _, k := range kinds {
		t.Logf("%s: %d planted", k, perKind[k])
	}
	for _, r := range demoRuns {
		t.Logf("rule %s: %d suggestions in %.2fs", r.Rule, r.Matched, r.Seconds)
	}
	again, err := c.RunRules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if r.Added != 0 {
			t.Errorf("second run: rule %s added %d", r.Rule, r.Added)
		}
	}
}

func TestSuggestionsExplainThemselvesInPlainWords(t *testing.T) {
	c := demoCase(t)
	sugg, err := c.Suggestions(t.Context(), "no-approval", "")
	if err != nil || len(sugg) == 0 {
		t.Fatalf("no-approval: %d (%v)", len(sugg), err)
	}
	e, _ := c.Event(t.Context(), sugg[0].Item.N)
	x := sugg[0].Explanation
	if !strings.Contains(x, e.ActorID+" "+e.ActorName+" ("+e.Office+" office, "+e.Country+")") ||
		!strings.Contains(x, "with no approval id") || !strings.Contains(x, e.Time.Format("2006-01-02 15:04")+" UTC") {
		t.Errorf("explanation %q for %+v", x, e)
	}
}

func TestPhraseRulesFindThePlantedQuotes(t *testing.T) {
	c := demoCase(t)
	var segTexts []string
	for id := range casefile.StarterPhrases {
		sugg, err := c.Suggestions(t.Context(), id, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sugg {
			if s.Item.Kind != model.ItemSegment || s.Tag != "key-quote" {
				t.Errorf("%s suggested %s as %s", id, s.Item, s.Tag)
			}
			segTexts = append(segTexts, s.Explanation)
		}
	}
	found := 0
	for _, q := range casefile.DemoManifest().PlantedQuotes {
		hit := false
		for id, phrases := range casefile.StarterPhrases {
			for _, p := range phrases {
				if strings.Contains(strings.ToLower(q.Text), strings.ToLower(p)) {
					hit = true
					_ = id
				}
			}
		}
		if !hit {
			continue
		}
		ok := slices.ContainsFunc(segTexts, func(x string) bool { return strings.Contains(x, clipped(q.Text)) })
		if !ok {
			t.Errorf("planted quote %q not suggested by a phrase rule", q.Text)
		} else {
			found++
		}
	}
	if found < 5 {
		t.Errorf("phrase rules found %d planted quotes", found)
	}
}

// clipped is the start of a quote, as an explanation shows it.
func clipped(s string) string {
	rs := []rune(s)
	return string(rs[:min(len(rs), 40)])
}

func TestCorrelationLinksPeopleInAMeetingWithTheirForeignAccessNearby(t *testing.T) {
	c := demoCase(t)
	sugg, err := c.Suggestions(t.Context(), "correlation", "")
	if err != nil || len(sugg) == 0 {
		t.Fatalf("correlation: %d suggestions (%v)", len(sugg), err)
	}
	s := sugg[0]
	if s.Related == "" || !strings.Contains(s.Explanation, "meeting") {
		t.Fatalf("correlation suggestion %+v", s)
	}
	acc, err := c.Review(t.Context(), []int64{s.ID}, true)
	if err != nil || acc[0].Status != "confirmed" || acc[0].Exhibit == 0 {
		t.Fatalf("accept: %+v (%v)", acc, err)
	}
	rel, err := c.Related(t.Context(), s.Item)
	if err != nil || !slices.Contains(rel, s.Related) {
		t.Errorf("related of %s: %v (%v), want %s", s.Item, rel, err, s.Related)
	}
}

func TestRuleConditionsCompileAndReportTheColumnOfAnError(t *testing.T) {
	pol := casefile.DefaultPolicy()
	for _, tc := range []struct {
		cond string
		col  int // 0: compiles
	}{
		{"country NOT IN home AND category IN protected", 0},
		{"approval = ''", 0},
		{"records > 10000", 0},
		{"approver_country NOT IN home", 0},
		{"resource LIKE 'backup%'", 0},
		{"NOT (country = 'US' OR country IN ('CA', 'GB')) AND time >= '2022-03-01'", 0},
		{"records > bulk_threshold AND resource NOT LIKE offshore", 0},
		{"country = ", 11},
		{"country IN (US)", 13},
		{"colour = 'red'", 1},
		{"records > 'many'", 11},
		{"(country = 'US'", 16},
		{"country = 'US' category = 'x'", 16},
		{"approval = 'x", 12},
	} {
		_, _, err := casefile.CompileRule(tc.cond, pol)
		var re *casefile.RuleError
		switch {
		case tc.col == 0 && err != nil:
			t.Errorf("%q: %v", tc.cond, err)
		case tc.col != 0 && (!errors.As(err, &re) || re.Col != tc.col):
			t.Errorf("%q: error %v, want column %d", tc.cond, err, tc.col)
		}
	}
}

func TestRulesAreDataTheInvestigatorCanEdit(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, accessFixture)
	err := c.SaveRule(t.Context(), casefile.Rule{ID: "bad", Name: "bad", Kind: "condition", Condition: "country ==", Enabled: true})
	if err == nil {
		t.Fatal("a rule with a broken condition was saved")
	}
	r := casefile.Rule{ID: "any-export", Name: "every export", Kind: "condition", Condition: "action = 'export'",
		Enabled: true, Explanation: "{actor} exported {records} records", Tag: "follow-up/exports"}
	if err := c.SaveRule(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	res, err := c.RunRules(t.Context(), "any-export")
	if err != nil || len(res) != 1 {
		t.Fatalf("run: %+v %v", res, err)
	}
	res2, _ := c.RunRules(t.Context(), "any-export")
	if res2[0].Added != 0 || res[0].Added == 0 {
		t.Errorf("second run %+v after %+v", res2, res)
	}
	if _, err := c.RunRules(t.Context(), "no-such-rule"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown rule: %v", err)
	}
}

func TestPolicyDefaultsAndChanges(t *testing.T) {
	c, _ := newCase(t)
	p, err := c.Policy(t.Context())
	if err != nil || !slices.Equal(p.Home, []string{"US"}) || !p.ApprovalRequired || p.BulkThreshold != 10000 ||
		len(p.Protected) != 7 {
		t.Fatalf("default policy %+v (%v)", p, err)
	}
	p.Home = []string{"us", "ca"}
	p.Offices = map[string]casefile.Hours{"Lagos": {Zone: "Africa/Lagos", Start: "09:00", End: "17:00"}}
	if err := c.SetPolicy(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	p2, _ := c.Policy(t.Context())
	if !slices.Equal(p2.Home, []string{"US", "CA"}) || p2.Offices["Lagos"].Zone != "Africa/Lagos" {
		t.Errorf("policy after set: %+v", p2)
	}
	p2.Home = []string{"USA"}
	if err := c.SetPolicy(t.Context(), p2); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad home: %v", err)
	}
}

// BenchmarkRulesRun runs every rule over a generated access log: 100,000
// rows by default, CASEBOOK_BENCH_ROWS to change (1000000 for the reference
// size). Set CASEBOOK_BENCH_DIR to keep the imported case between runs.
func BenchmarkRulesRun(b *testing.B) {
	rows := 100000
	if v, err := strconv.Atoi(os.Getenv("CASEBOOK_BENCH_ROWS")); err == nil && v > 0 {
		rows = v
	}
	root := os.Getenv("CASEBOOK_BENCH_DIR")
	if root == "" {
		root = b.TempDir()
	}
	dir := filepath.Join(root, "rules-case-"+strconv.Itoa(rows))
	ctx := context.Background()
	var c *casefile.Case
	var err error
	if casefile.IsCase(dir) {
		c, err = casefile.Open(ctx, dir, nil)
	} else {
		data := filepath.Join(root, "rules-data-"+strconv.Itoa(rows))
		if err := gen.Write(data, gen.Config{Meetings: 20, Cues: 2000, LogRows: rows, Seed: 42}); err != nil {
			b.Fatal(err)
		}
		if c, err = casefile.Create(ctx, dir, casefile.CreateOptions{Title: "bench"}); err == nil {
			_, err = c.Import(ctx, []string{data}, casefile.ImportOptions{}, nil)
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := c.RunRules(ctx)
		if err != nil {
			b.Fatal(err)
		}
		total, added := 0, 0
		for _, r := range res {
			total += r.Matched
			added += r.Added
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/run")
		b.ReportMetric(float64(total), "suggestions")
		b.ReportMetric(float64(added), "added")
	}
}
