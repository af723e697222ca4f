package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestEditingARuleDisablesItOrExplainsABadCondition(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	menuItem(t, g, "Edit rules…").Action()
	g.settle(t)
	d := cv.rulesDialog
	i := -1
	for k, r := range d.rules {
		if r.ID == "no-approval" {
			i = k
		}
	}
	if i < 0 {
		t.Fatalf("the dialog lists no no-approval rule among %d", len(d.rules))
	}
	enabledBefore := len(cv.sources.ov.rules)
	d.list.Select(i)
	if d.condition.Text != "category IN protected AND approval = ''" || d.enabled.Disabled() {
		t.Errorf("the form shows %q (enabled box disabled %v)", d.condition.Text, d.enabled.Disabled())
	}

	d.condition.SetText("category IN protected AND approval = ")
	test.Tap(d.saveBtn)
	g.settle(t)
	if !strings.HasPrefix(d.status.Text, "The rule was not saved: ") || !strings.Contains(d.status.Text, "Correct it") {
		t.Errorf("a bad condition: the status says %q", d.status.Text)
	}

	d.condition.SetText("category IN protected AND approval = '' AND records > 100")
	d.enabled.SetChecked(false)
	test.Tap(d.saveBtn)
	g.settle(t)
	if d.status.Text != "Saved. Run rules to apply it." {
		t.Errorf("the status says %q", d.status.Text)
	}
	rules, err := c.Rules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.ID == "no-approval" && (r.Enabled || !strings.HasSuffix(r.Condition, "records > 100")) {
			t.Errorf("the case keeps %+v", r)
		}
	}
	if got := len(cv.sources.ov.rules); got != enabledBefore-1 {
		t.Errorf("the tree lists %d enabled rules, want %d", got, enabledBefore-1)
	}
}
