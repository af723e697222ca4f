package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
)

// dayKeys lists the queue's day groups in the order shown.
func dayKeys(rv *reviewView) []string {
	var out []string
	for _, gr := range rv.groups {
		out = append(out, gr.rule+" · "+gr.title())
	}
	return out
}

func TestReviewGroupsKeepTheirOrderWhileTheyAreAccepted(t *testing.T) {
	g := newTestGUI(t)
	// Wei Zhang's suggestions come before and after Li Na's in the log: a
	// queue ordered by each group's first suggestion would move Li Na ahead
	// of Wei Zhang's second day once his first is accepted.
	c, cv := rulesCase(t, g, "2024-04-02T01:00:00Z,Wei Zhang,Beijing,CN,us_users,phone,US,50,\n"+
		"2024-04-02T02:00:00Z,Li Na,Beijing,CN,us_users,phone,US,60,\n"+
		"2024-04-03T03:00:00Z,Wei Zhang,Beijing,CN,us_users,phone,US,70,\n"+
		"2024-04-01T03:00:00Z,Wei Zhang,Beijing,CN,us_users,phone,US,12,\n")
	rv := cv.review
	rules, err := c.Rules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	rank := map[string]int{}
	for i, r := range rules {
		rank[r.ID] = i
	}
	before := dayKeys(rv)
	for i := 1; i < len(rv.groups); i++ {
		a, b := rv.groups[i-1], rv.groups[i]
		switch {
		case rank[a.rule] > rank[b.rule]:
			t.Errorf("rule %s listed before %s, against the case's list", a.rule, b.rule)
		case a.rule == b.rule && a.actor > b.actor && b.actor != "":
			t.Errorf("%s listed before %s under %s", a.actor, b.actor, a.rule)
		case a.rule == b.rule && a.actor == b.actor && a.day > b.day:
			t.Errorf("%s's %s listed before %s", a.actor, a.day, b.day)
		}
	}
	target := slices.Index(before, "foreign-access · Wei Zhang · 2024-04-02")
	if target < 0 {
		t.Fatalf("no foreign-access day for Wei Zhang on 2024-04-02 among %v", before)
	}
	row := slices.IndexFunc(rv.rows, func(r reviewRow) bool {
		return r.level == levelDay && r.group == rv.groups[target]
	})
	rv.list.Select(row)
	g.win.Canvas().Focus(rv.list)
	pressKey(g.win, fyne.KeyA)
	pressKey(g.win, fyne.KeyReturn)
	g.settle(t)

	want := slices.Delete(slices.Clone(before), target, target+1)
	if got := dayKeys(rv); !slices.Equal(got, want) {
		t.Errorf("after accepting %s the groups read\n%v\nwant\n%v", before[target], got, want)
	}
	// The selection moved on to the suggestion now in the accepted group's
	// place, not back to the top.
	if r, ok := rv.current(); !ok || r.level != levelItem || rv.selected < row {
		t.Errorf("after the review row %d is selected (level %d), want a suggestion at or after row %d", rv.selected, r.level, row)
	}
}
