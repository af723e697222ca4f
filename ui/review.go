package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// reviewer is what the review tab needs from a case.
type reviewer interface {
	Rules(ctx context.Context) ([]casefile.Rule, error)
	RunRules(ctx context.Context, ids ...string) ([]casefile.RuleResult, error)
	Suggestions(ctx context.Context, rule, status string) ([]casefile.Tagging, error)
	Review(ctx context.Context, ids []int64, accept bool) ([]casefile.Tagging, error)
	Evidence(ctx context.Context) ([]casefile.Exhibit, error)
}

// reviewRow is one row of the queue: a rule's header or one suggestion.
type reviewRow struct {
	header bool
	rule   string // the rule id (the suggestion's origin)
	count  int    // suggestions in the group, on a header
	t      casefile.Tagging
}

// reviewView is the review tab: Run rules, the open suggestions grouped by
// rule with keyboard review (A accept, R reject, J next, K previous) and
// bulk accept or reject of a group, and the exhibits list.
type reviewView struct {
	c  reviewer
	g  *gui
	bg *runner

	runBtn, acceptBtn, rejectBtn *widget.Button
	status                       *widget.Label
	list                         *reviewList
	exhibits                     *exhibitsView
	content                      fyne.CanvasObject

	// Touched on the UI goroutine only.
	rows     []reviewRow
	names    map[string]string // rule id -> name
	selected int               // -1 when nothing is selected
	gen      int
	working  bool // a review is being saved; keys wait for it

	onChanged  func()                         // evidence changed (tags and counts elsewhere)
	onSelected func(casefile.Tagging, string) // a suggestion and its rule's name
}

func newReviewView(c reviewer, g *gui) *reviewView {
	v := &reviewView{c: c, g: g, bg: g.bg, selected: -1, names: map[string]string{}}
	v.runBtn = widget.NewButtonWithIcon("Run rules", theme.MediaPlayIcon(), v.onRunRules)
	v.runBtn.Importance = widget.HighImportance
	v.acceptBtn = widget.NewButtonWithIcon("Accept group", theme.ConfirmIcon(), func() { v.onBulk(true) })
	v.rejectBtn = widget.NewButtonWithIcon("Reject group", theme.CancelIcon(), func() { v.onBulk(false) })
	v.status = widget.NewLabel("Run the rules to get suggestions to review.")
	v.status.Wrapping = fyne.TextWrapWord
	v.list = newReviewList(v)
	v.exhibits = newExhibitsView()
	help := truncLabel("A accept · R reject · J next · K previous")
	help.Importance = widget.LowImportance
	top := container.NewVBox(
		container.NewBorder(nil, nil, container.NewHBox(v.runBtn, widget.NewSeparator(), v.acceptBtn, v.rejectBtn), nil, help),
		v.status)
	split := container.NewVSplit(v.list, v.exhibits.content)
	split.SetOffset(0.62)
	v.content = container.NewBorder(top, nil, nil, nil, split)
	v.updateButtons()
	return v
}

// reload fetches the open suggestions, the rules' names and the exhibits
// in a goroutine and applies them at once; the selection moves to row
// keep (clamped, past a header), or stays empty when keep < 0.
func (v *reviewView) reload(keep int) {
	v.gen++
	gen := v.gen
	v.bg.spawn(func() {
		ctx := context.Background()
		rules, rerr := v.c.Rules(ctx)
		sugg, serr := v.c.Suggestions(ctx, "", "suggested")
		ex, eerr := v.c.Evidence(ctx)
		v.bg.do(func() {
			if gen != v.gen {
				return
			}
			for _, r := range rules {
				v.names[r.ID] = r.Name
			}
			if err := firstErr(rerr, serr); err != nil {
				v.status.SetText("Could not list the suggestions: " + sentence(err))
			} else {
				v.setRows(sugg, keep)
			}
			if eerr != nil {
				v.exhibits.title.SetText("Could not list the exhibits: " + sentence(eerr))
			} else {
				v.exhibits.set(ex)
			}
		})
	})
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// setRows groups the suggestions by rule, in the order the case lists them.
func (v *reviewView) setRows(sugg []casefile.Tagging, keep int) {
	var order []string
	groups := map[string][]casefile.Tagging{}
	for _, t := range sugg {
		if _, ok := groups[t.Origin]; !ok {
			order = append(order, t.Origin)
		}
		groups[t.Origin] = append(groups[t.Origin], t)
	}
	rows := make([]reviewRow, 0, len(sugg)+len(order))
	for _, rule := range order {
		rows = append(rows, reviewRow{header: true, rule: rule, count: len(groups[rule])})
		for _, t := range groups[rule] {
			rows = append(rows, reviewRow{rule: rule, t: t})
		}
	}
	v.rows = rows
	if len(sugg) == 0 {
		v.status.SetText("No suggestions wait for review. Run the rules to look again.")
	} else {
		v.status.SetText(fmt.Sprintf("%s from %s wait for review.", plural(int64(len(sugg)), "suggestion"),
			plural(int64(len(order)), "rule")))
	}
	v.list.Refresh()
	v.selected = -1
	v.list.UnselectAll()
	if keep >= 0 && len(rows) > 0 {
		keep = min(keep, len(rows)-1)
		if rows[keep].header && keep+1 < len(rows) {
			keep++
		} else if rows[keep].header && keep > 0 {
			keep--
		}
		v.list.Select(keep)
		v.list.ScrollTo(keep)
	}
	v.updateButtons()
}

// updateButtons enables the bulk buttons when a group is selected.
func (v *reviewView) updateButtons() {
	if v.selected >= 0 && v.selected < len(v.rows) && !v.working {
		n := v.groupSize(v.rows[v.selected].rule)
		v.acceptBtn.SetText(fmt.Sprintf("Accept group (%d)", n))
		v.rejectBtn.SetText(fmt.Sprintf("Reject group (%d)", n))
		v.acceptBtn.Enable()
		v.rejectBtn.Enable()
		return
	}
	v.acceptBtn.SetText("Accept group")
	v.rejectBtn.SetText("Reject group")
	v.acceptBtn.Disable()
	v.rejectBtn.Disable()
}

func (v *reviewView) groupSize(rule string) int {
	for _, r := range v.rows {
		if r.header && r.rule == rule {
			return r.count
		}
	}
	return 0
}

// onRunRules runs the enabled rules as a cancellable job, then reloads.
func (v *reviewView) onRunRules() {
	if !v.g.canStartJob() {
		return
	}
	var res []casefile.RuleResult
	v.g.prog.start("Running the rules", func(ctx context.Context, _ casefile.ProgressFunc) error {
		var err error
		res, err = v.c.RunRules(ctx)
		return err
	}, func(err error) {
		if err != nil {
			v.g.showError("The rules did not finish", err)
		}
		added := 0
		for _, r := range res {
			added += r.Added
		}
		v.reload(0)
		if err == nil {
			v.status.SetText(fmt.Sprintf("%s ran: %s.", plural(int64(len(res)), "rule"),
				plural(int64(added), "new suggestion")))
		}
		v.g.win.Canvas().Focus(v.list)
	})
}

// onBulk accepts or rejects the selected row's whole group, after asking.
func (v *reviewView) onBulk(accept bool) {
	if v.selected < 0 || v.selected >= len(v.rows) || v.working {
		return
	}
	rule := v.rows[v.selected].rule
	var ids []int64
	for _, r := range v.rows {
		if !r.header && r.rule == rule {
			ids = append(ids, r.t.ID)
		}
	}
	verb := "Reject"
	if accept {
		verb = "Accept"
	}
	msg := fmt.Sprintf("%s all %s of %q?", verb, plural(int64(len(ids)), "suggestion"), v.ruleName(rule))
	if accept {
		msg += "\nEach becomes an exhibit."
	}
	dialog.ShowConfirm(verb+" group", msg, func(ok bool) {
		if ok {
			v.review(ids, accept, v.selected)
		}
	}, v.g.win)
}

// review saves a decision in a goroutine, then reloads with the selection
// on row keep (the next suggestion, as the reviewed ones leave the list).
func (v *reviewView) review(ids []int64, accept bool, keep int) {
	if len(ids) == 0 || v.working {
		return
	}
	v.working = true
	v.updateButtons()
	v.bg.spawn(func() {
		_, err := v.c.Review(context.Background(), ids, accept)
		v.bg.do(func() {
			v.working = false
			if err != nil {
				v.g.showError("Could not save the review", err)
			}
			v.reload(keep)
			if v.onChanged != nil {
				v.onChanged()
			}
		})
	})
}

// onKey handles the review keys; it reports whether it used the key.
func (v *reviewView) onKey(k fyne.KeyName) bool {
	switch k {
	case fyne.KeyA, fyne.KeyR:
		if v.selected >= 0 && v.selected < len(v.rows) && !v.rows[v.selected].header {
			v.review([]int64{v.rows[v.selected].t.ID}, k == fyne.KeyA, v.selected)
		}
	case fyne.KeyJ:
		v.step(1)
	case fyne.KeyK:
		v.step(-1)
	default:
		return false
	}
	return true
}

// step moves the selection to the next (+1) or previous (-1) suggestion,
// past group headers.
func (v *reviewView) step(dir int) {
	for i := v.selected + dir; i >= 0 && i < len(v.rows); i += dir {
		if !v.rows[i].header {
			v.list.Select(i)
			v.list.ScrollTo(i)
			return
		}
	}
}

func (v *reviewView) ruleName(id string) string {
	if n := v.names[id]; n != "" {
		return n
	}
	return id
}

// explanation is a suggestion's reason, or what it points at.
func explanation(t casefile.Tagging) string {
	if t.Explanation != "" {
		return oneLine(t.Explanation)
	}
	return t.Item.String()
}

// reviewList is the queue: a virtualised list that takes the review keys
// while it has the focus.
type reviewList struct {
	widget.List
	v *reviewView
}

func newReviewList(v *reviewView) *reviewList {
	l := &reviewList{v: v}
	l.Length = func() int { return len(v.rows) }
	l.CreateItem = func() fyne.CanvasObject {
		tag := widget.NewLabel("")
		tag.Importance = widget.LowImportance
		return container.NewBorder(nil, nil, nil, tag, truncLabel(""))
	}
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(v.rows) {
			return
		}
		r := v.rows[id]
		row := o.(*fyne.Container)
		text, tag := row.Objects[0].(*widget.Label), row.Objects[1].(*widget.Label)
		text.TextStyle.Bold = r.header
		if r.header {
			text.SetText(fmt.Sprintf("%s (%d)", v.ruleName(r.rule), r.count))
			tag.SetText(r.rule)
			return
		}
		text.SetText("    " + explanation(r.t))
		tag.SetText(strings.Join([]string{r.t.Tag, r.t.Item.String()}, " · "))
	}
	l.OnSelected = func(id widget.ListItemID) {
		v.selected = id
		v.updateButtons()
		if id < len(v.rows) && !v.rows[id].header && v.onSelected != nil {
			v.onSelected(v.rows[id].t, v.ruleName(v.rows[id].rule))
		}
	}
	l.OnUnselected = func(widget.ListItemID) {
		v.selected = -1
		v.updateButtons()
	}
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey takes A, R, J and K for review and leaves the rest (arrows,
// space) to the list.
func (l *reviewList) TypedKey(e *fyne.KeyEvent) {
	if !l.v.onKey(e.Name) {
		l.List.TypedKey(e)
	}
}

// TypedRune swallows the review letters so they do not reach elsewhere.
func (l *reviewList) TypedRune(r rune) {}

// exhibitsView lists the confirmed evidence: EX number, tag and citation.
type exhibitsView struct {
	title   *widget.Label
	list    *widget.List
	content fyne.CanvasObject

	ex []casefile.Exhibit
}

func newExhibitsView() *exhibitsView {
	v := &exhibitsView{}
	v.title = widget.NewLabelWithStyle("Exhibits", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.list = widget.NewList(func() int { return len(v.ex) }, func() fyne.CanvasObject {
		num := widget.NewLabelWithStyle("EX-0000", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		tag := widget.NewLabel("")
		return container.NewBorder(nil, nil, container.NewHBox(num, tag), nil, truncLabel(""))
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(v.ex) {
			return
		}
		e := v.ex[id]
		row := o.(*fyne.Container)
		left := row.Objects[1].(*fyne.Container)
		left.Objects[0].(*widget.Label).SetText(e.Exhibit)
		left.Objects[1].(*widget.Label).SetText(e.Tag)
		cite := e.Citation
		if e.Quote != "" {
			cite = "“" + oneLine(e.Quote) + "” — " + cite
		}
		row.Objects[0].(*widget.Label).SetText(cite)
	})
	v.content = container.NewBorder(container.NewVBox(widget.NewSeparator(), v.title), nil, nil, nil, v.list)
	return v
}

// set shows the exhibits.
func (v *exhibitsView) set(ex []casefile.Exhibit) {
	v.ex = ex
	v.title.SetText(fmt.Sprintf("Exhibits (%d)", len(ex)))
	v.list.Refresh()
}
