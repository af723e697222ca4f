package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// reviewer is what the review tab needs from a case.
type reviewer interface {
	Rules(ctx context.Context) ([]casefile.Rule, error)
	RunRules(ctx context.Context, ids ...string) ([]casefile.RuleResult, error)
	ReviewQueue(ctx context.Context, status string) ([]casefile.ReviewItem, error)
	Review(ctx context.Context, ids []int64, accept bool) ([]casefile.Tagging, error)
	Evidence(ctx context.Context) ([]casefile.Exhibit, error)
	AddNote(ctx context.Context, item model.ItemID, text string, private bool) (model.Note, error)
}

// openGroupsUpTo is how many open suggestions the queue shows unfolded;
// above it each rule lists its actors folded, to be reviewed actor by
// actor and day by day.
const openGroupsUpTo = 200

// The levels of the queue's rows.
const (
	levelRule  = 0 // a rule's header
	levelActor = 1 // one actor under a rule
	levelDay   = 2 // one day of that actor's
	levelItem  = 3 // one suggestion
)

// reviewGroup is the suggestions of one rule about one actor on one day.
type reviewGroup struct {
	rule, actor, day string
	items            []casefile.ReviewItem
}

// actorName is how a group's actor is shown.
func (g *reviewGroup) actorName() string {
	if g.actor == "" {
		return "no actor"
	}
	return g.actor
}

// dayName is how a group's day is shown.
func (g *reviewGroup) dayName() string {
	if g.day == "" {
		return "no date"
	}
	return g.day
}

// title is a group's heading: "Wei Zhang · 2022-01-06".
func (g *reviewGroup) title() string { return g.actorName() + " · " + g.dayName() }

// reviewRow is one row of the queue: a rule's, an actor's or a day's
// header, or one suggestion.
type reviewRow struct {
	level int
	rule  string
	group *reviewGroup        // the day's group on day and item rows; the actor's first on actor rows
	count int                 // suggestions under a header
	days  int                 // days under an actor's header
	t     casefile.ReviewItem // on item rows
}

// header reports whether the row heads a rule, an actor or a day.
func (r reviewRow) header() bool { return r.level != levelItem }

// key identifies the header a row shows, across reloads.
func (r reviewRow) key() string {
	switch r.level {
	case levelRule:
		return "r\x00" + r.rule
	case levelActor:
		return "a\x00" + r.rule + "\x00" + r.group.actor
	}
	return "d\x00" + r.rule + "\x00" + r.group.actor + "\x00" + r.group.day
}

// under reports whether the suggestion t sits under the header r.
func (r reviewRow) under(t casefile.ReviewItem) bool {
	switch r.level {
	case levelRule:
		return t.Origin == r.rule
	case levelActor:
		return t.Origin == r.rule && t.Actor == r.group.actor
	}
	return t.Origin == r.rule && t.Actor == r.group.actor && t.Day == r.group.day
}

// reviewView is the review tab: Run rules, the open suggestions grouped by
// rule, then by actor and day, with keyboard review (A accept, R reject,
// J next, K previous, N note, X check, → and ← unfold and fold a group),
// bulk accept or reject of a group or of the checked suggestions, and the
// exhibits list.
type reviewView struct {
	c  reviewer
	g  *gui
	bg *runner

	stale       bool   // the queue changed while the tab was hidden: reload when shown
	pendingRule string // a rule to open once the queue has loaded
	loading     bool   // a reload is on its way

	runBtn, acceptBtn, rejectBtn, noteBtn *widget.Button
	groupAccept, groupReject              *widget.Button
	checkedAccept, checkedReject          *widget.Button
	status                                *widget.Label
	coverage                              *widget.Label // what the last run could not judge, and why
	list                                  *reviewList
	exhibits                              *exhibitsView
	content                               fyne.CanvasObject

	// Touched on the UI goroutine only.
	groups   []*reviewGroup // in the order the case lists the suggestions
	rows     []reviewRow    // the rows shown
	names    map[string]string
	ranks    map[string]int  // each rule's place in the case's list of rules
	folded   map[string]bool // headers folded or unfolded by hand, by key
	foldAll  bool            // actors start folded (a large queue)
	checked  map[int64]bool  // suggestions checked for a bulk review
	selected int             // -1 when nothing is selected
	gen      int
	working  bool // a review is being saved; keys wait for it
	loaded   bool // the queue was listed once
	readOnly bool // the case refuses changes: no running, reviewing or notes

	note       *noteForm             // the last note form opened, for tests
	bulkDialog *dialog.ConfirmDialog // the last bulk confirmation shown, for tests

	onChanged  func()                            // evidence changed (tags and counts elsewhere)
	onSelected func(casefile.ReviewItem, string) // a suggestion and its rule's name
	onOpen     func(casefile.ReviewItem)         // open a suggestion's item in context
	onOpenEx   func(casefile.Exhibit)            // open an exhibit's item in context
}

func newReviewView(c reviewer, g *gui) *reviewView {
	v := &reviewView{c: c, g: g, bg: g.bg, selected: -1, names: map[string]string{}, ranks: map[string]int{},
		folded: map[string]bool{}, checked: map[int64]bool{}}
	v.runBtn = widget.NewButtonWithIcon("Run rules", theme.MediaPlayIcon(), v.onRunRules)
	v.runBtn.Importance = widget.HighImportance
	v.acceptBtn = widget.NewButtonWithIcon("Accept (A)", theme.ConfirmIcon(), func() { v.decide(true) })
	v.rejectBtn = widget.NewButtonWithIcon("Reject (R)", theme.CancelIcon(), func() { v.decide(false) })
	v.noteBtn = widget.NewButtonWithIcon("Note… (N)", theme.DocumentCreateIcon(), v.onNote)
	v.groupAccept = widget.NewButtonWithIcon("Accept group", theme.ConfirmIcon(), func() { v.onBulkGroup(true) })
	v.groupReject = widget.NewButtonWithIcon("Reject group", theme.CancelIcon(), func() { v.onBulkGroup(false) })
	v.checkedAccept = widget.NewButtonWithIcon("Accept checked", theme.CheckButtonCheckedIcon(), func() { v.onBulkChecked(true) })
	v.checkedReject = widget.NewButtonWithIcon("Reject checked", theme.CheckButtonIcon(), func() { v.onBulkChecked(false) })
	for _, b := range []*widget.Button{v.groupAccept, v.groupReject, v.checkedAccept, v.checkedReject} {
		b.Importance = widget.LowImportance
	}
	v.status = widget.NewLabel("Run the rules to get suggestions to review.")
	v.status.Wrapping = fyne.TextWrapWord
	v.coverage = widget.NewLabel("")
	v.coverage.Wrapping = fyne.TextWrapWord
	v.coverage.Importance = widget.WarningImportance
	v.coverage.Hide()
	v.list = newReviewList(v)
	v.exhibits = newExhibitsView()
	v.exhibits.list.onOpen = func(id widget.ListItemID) {
		if id < len(v.exhibits.ex) && v.onOpenEx != nil {
			v.onOpenEx(v.exhibits.ex[id])
		}
	}
	help := widget.NewLabel("A accept · R reject · J/K next/previous · N note · X check · →/← unfold/fold · A/R on a heading: the whole group")
	help.Importance = widget.LowImportance
	help.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(
		// The buttons wrap in a narrow window instead of widening it.
		container.New(&flow{}, v.runBtn, widget.NewSeparator(), v.acceptBtn, v.rejectBtn, v.noteBtn),
		container.New(&flow{}, v.groupAccept, v.groupReject, widget.NewSeparator(), v.checkedAccept, v.checkedReject),
		help, v.status, v.coverage)
	split := container.NewVSplit(v.list, v.exhibits.content)
	split.SetOffset(0.66)
	v.content = container.NewBorder(top, nil, nil, nil, split)
	v.updateButtons()
	return v
}

// invalidate reloads the queue now when the tab is visible, else when it is
// next shown: a case with hundreds of thousands of suggestions is not read
// into memory until someone reviews them.
func (v *reviewView) invalidate(visible bool) {
	if visible {
		v.stale = false
		v.reload(-1)
		return
	}
	v.stale = true
}

// showIfStale reloads the queue when it changed while hidden.
func (v *reviewView) showIfStale() {
	if v.stale {
		v.stale = false
		v.reload(-1)
	}
}

// reload fetches the open suggestions, the rules' names and the exhibits
// in a goroutine and applies them at once; the selection moves to row
// keep (clamped, to the next suggestion when it lands on a header), or
// stays empty when keep < 0.
func (v *reviewView) reload(keep int) {
	v.gen++
	gen := v.gen
	v.loading = true
	v.bg.spawn(func() {
		ctx := context.Background()
		rules, rerr := v.c.Rules(ctx)
		queue, qerr := v.c.ReviewQueue(ctx, "suggested")
		ex, eerr := v.c.Evidence(ctx)
		v.bg.do(func() {
			if gen != v.gen {
				return
			}
			v.loading = false
			for i, r := range rules {
				v.names[r.ID] = r.Name
				v.ranks[r.ID] = i
			}
			if err := firstErr(rerr, qerr); errors.Is(err, casefile.ErrReadOnly) {
				v.status.SetText("The suggestions cannot be listed while the case is read-only (" + sentence(err) + ").")
			} else if err != nil {
				v.status.SetText("Could not list the suggestions: " + sentence(err) + " Close and reopen the case, or run Verify case.")
			} else {
				v.setQueue(queue, keep)
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

// setQueue groups the suggestions by rule, then by actor and day, and shows
// them in an order that reviewing does not change.
func (v *reviewView) setQueue(queue []casefile.ReviewItem, keep int) {
	byKey := map[string]*reviewGroup{}
	var groups []*reviewGroup
	live := map[int64]bool{}
	for _, t := range queue {
		k := t.Origin + "\x00" + t.Actor + "\x00" + t.Day
		g := byKey[k]
		if g == nil {
			g = &reviewGroup{rule: t.Origin, actor: t.Actor, day: t.Day}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.items = append(g.items, t)
		live[t.ID] = true
	}
	// A fixed order, whatever is reviewed meanwhile: rules as the case
	// lists them, actors by name, days by date (the unknown last), so the
	// groups left keep their places while the investigator works through
	// them.
	seenRule, seenActor := map[string]bool{}, map[string]bool{}
	folded := make(map[*reviewGroup]string, len(groups))
	for _, g := range groups {
		seenRule[g.rule] = true
		seenActor[g.rule+"\x00"+g.actor] = true
		folded[g] = strings.ToLower(g.actor)
	}
	slices.SortStableFunc(groups, func(a, b *reviewGroup) int {
		return cmp.Or(cmp.Compare(v.ruleRank(a.rule), v.ruleRank(b.rule)), strings.Compare(a.rule, b.rule),
			lastIfEmpty(a.actor, b.actor), strings.Compare(folded[a], folded[b]), strings.Compare(a.actor, b.actor),
			lastIfEmpty(a.day, b.day), strings.Compare(a.day, b.day))
	})
	v.groups = groups
	v.loaded = true
	v.foldAll = len(queue) > openGroupsUpTo
	for id := range v.checked {
		if !live[id] {
			delete(v.checked, id)
		}
	}
	if len(queue) == 0 {
		v.status.SetText("No suggestions wait for review. Run the rules to look again.")
	} else {
		v.status.SetText(fmt.Sprintf("%s about %s from %s wait for review, in %s.",
			plural(int64(len(queue)), "suggestion"), plural(int64(len(seenActor)), "actor"),
			plural(int64(len(seenRule)), "rule"), plural(int64(len(groups)), "actor-day group")))
	}
	v.layoutRows()
	v.selected = -1
	v.list.UnselectAll()
	if keep >= 0 && len(v.rows) > 0 {
		keep = min(keep, len(v.rows)-1)
		if v.rows[keep].header() {
			if i := v.nextItem(keep-1, 1, false); i >= 0 {
				keep = i
			}
		}
		v.list.Select(keep)
		v.list.ScrollTo(keep)
	}
	v.updateButtons()
	if id := v.pendingRule; id != "" {
		v.pendingRule = ""
		v.selectRule(id)
	}
}

// isFolded reports whether the header row r is folded.
func (v *reviewView) isFolded(r reviewRow) bool {
	if f, ok := v.folded[r.key()]; ok {
		return f
	}
	return r.level == levelActor && v.foldAll
}

// layoutRows flattens the groups into the rows shown: each rule's header,
// its actors' headers unless the rule is folded, each unfolded actor's
// days, and the suggestions of the unfolded days.
func (v *reviewView) layoutRows() {
	rows := make([]reviewRow, 0, len(v.groups)*2)
	for i := 0; i < len(v.groups); {
		rule := v.groups[i].rule
		end := i
		n := 0
		for ; end < len(v.groups) && v.groups[end].rule == rule; end++ {
			n += len(v.groups[end].items)
		}
		head := reviewRow{level: levelRule, rule: rule, group: v.groups[i], count: n}
		rows = append(rows, head)
		if !v.isFolded(head) {
			for j := i; j < end; {
				actor := v.groups[j].actor
				aend, an := j, 0
				for ; aend < end && v.groups[aend].actor == actor; aend++ {
					an += len(v.groups[aend].items)
				}
				ah := reviewRow{level: levelActor, rule: rule, group: v.groups[j], count: an, days: aend - j}
				rows = append(rows, ah)
				if !v.isFolded(ah) {
					for _, g := range v.groups[j:aend] {
						dh := reviewRow{level: levelDay, rule: rule, group: g, count: len(g.items)}
						rows = append(rows, dh)
						if !v.isFolded(dh) {
							for _, t := range g.items {
								rows = append(rows, reviewRow{level: levelItem, rule: rule, group: g, t: t})
							}
						}
					}
				}
				j = aend
			}
		}
		i = end
	}
	v.rows = rows
	v.list.Refresh()
}

// toggle folds or unfolds the header at row i, keeping it selected.
func (v *reviewView) toggle(i int) {
	if i < 0 || i >= len(v.rows) || !v.rows[i].header() {
		return
	}
	v.setOpen(i, v.isFolded(v.rows[i]))
}

// setOpen unfolds (or folds) the header at row i; ← on a suggestion folds
// its day.
func (v *reviewView) setOpen(i int, open bool) {
	if i < 0 || i >= len(v.rows) {
		return
	}
	r := v.rows[i]
	if r.level == levelItem {
		if open {
			return
		}
		r = reviewRow{level: levelDay, rule: r.rule, group: r.group}
	}
	v.folded[r.key()] = !open
	v.layoutRows()
	if j := v.rowOf(r); j >= 0 {
		v.list.Select(j)
		v.list.ScrollTo(j)
	}
}

// subtreeEnd is the row after the last one under the header at row i.
func (v *reviewView) subtreeEnd(i int) int {
	j := i + 1
	for j < len(v.rows) && v.rows[j].level > v.rows[i].level {
		j++
	}
	return j
}

// nextItem finds the suggestion after (dir +1) or before (-1) row from,
// unfolding the folded headers in the way when unfold is set; -1 when
// there is none.
func (v *reviewView) nextItem(from, dir int, unfold bool) int {
	for i := from + dir; i >= 0 && i < len(v.rows); i += dir {
		r := v.rows[i]
		if r.level == levelItem {
			return i
		}
		if !unfold || !v.isFolded(r) {
			continue
		}
		v.folded[r.key()] = false
		v.layoutRows()
		if dir > 0 {
			return v.nextItem(i, dir, unfold)
		}
		return v.nextItem(v.subtreeEnd(i), dir, unfold)
	}
	return -1
}

// current is the selected row, if any.
func (v *reviewView) current() (reviewRow, bool) {
	if v.selected < 0 || v.selected >= len(v.rows) {
		return reviewRow{}, false
	}
	return v.rows[v.selected], true
}

// updateButtons enables what applies to the selection.
func (v *reviewView) updateButtons() {
	r, ok := v.current()
	enable := func(b *widget.Button, on bool) {
		if on && !v.working && !v.readOnly {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if v.readOnly {
		v.runBtn.Disable()
	} else {
		v.runBtn.Enable()
	}
	item := ok && r.level == levelItem
	enable(v.acceptBtn, item)
	enable(v.rejectBtn, item)
	enable(v.noteBtn, item)
	ids, _ := v.bulkTarget()
	if len(ids) > 0 {
		v.groupAccept.SetText(fmt.Sprintf("Accept group (%d)", len(ids)))
		v.groupReject.SetText(fmt.Sprintf("Reject group (%d)", len(ids)))
	} else {
		v.groupAccept.SetText("Accept group")
		v.groupReject.SetText("Reject group")
	}
	enable(v.groupAccept, len(ids) > 0)
	enable(v.groupReject, len(ids) > 0)
	n := len(v.checked)
	v.checkedAccept.SetText(fmt.Sprintf("Accept checked (%d)", n))
	v.checkedReject.SetText(fmt.Sprintf("Reject checked (%d)", n))
	enable(v.checkedAccept, n > 0)
	enable(v.checkedReject, n > 0)
}

// bulkTarget is what the group buttons apply to: every suggestion under the
// selected header (a rule, an actor or a day), or the day of the selected
// suggestion; and a name for it.
func (v *reviewView) bulkTarget() ([]int64, string) {
	r, ok := v.current()
	if !ok {
		return nil, ""
	}
	if r.level == levelItem {
		r = reviewRow{level: levelDay, rule: r.rule, group: r.group}
	}
	var ids []int64
	for _, g := range v.groups {
		for _, t := range g.items {
			if r.under(t) {
				ids = append(ids, t.ID)
			}
		}
	}
	name := v.ruleName(r.rule)
	switch r.level {
	case levelActor:
		name += " · " + r.group.actorName()
	case levelDay:
		name += " · " + r.group.title()
	}
	return ids, name
}

// onRunRules runs the enabled rules as a cancellable job, then reloads.
func (v *reviewView) onRunRules() {
	if v.refuseChange() || !v.g.canStartJob() {
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
		if v.onChanged != nil {
			v.onChanged() // the tree's counts and the overview's waiting rules
		}
		if err == nil {
			v.status.SetText(fmt.Sprintf("%s ran: %s.", plural(int64(len(res)), "rule"),
				plural(int64(added), "new suggestion")))
			v.showCoverage(res)
		}
		v.g.win.Canvas().Focus(v.list)
	})
}

// showCoverage lists the rules that could not judge every item, with why:
// "0 found" on events a rule cannot judge must not read as innocence.
func (v *reviewView) showCoverage(res []casefile.RuleResult) {
	var lines []string
	for _, r := range res {
		if r.Coverage.Reason != "" {
			lines = append(lines, fmt.Sprintf("%s (%d found): %s", r.Rule, r.Matched, r.Coverage))
		}
	}
	if len(lines) == 0 {
		v.coverage.Hide()
		return
	}
	v.coverage.SetText("Not every item could be judged:\n" + strings.Join(lines, "\n"))
	v.coverage.Show()
}

// onBulkGroup accepts or rejects the selected group (a rule, an actor or a
// day), after asking.
func (v *reviewView) onBulkGroup(accept bool) {
	ids, name := v.bulkTarget()
	v.confirmBulk(ids, accept, fmt.Sprintf("of %q", name))
}

// onBulkChecked accepts or rejects the checked suggestions, after asking.
func (v *reviewView) onBulkChecked(accept bool) {
	var ids []int64
	for _, g := range v.groups {
		for _, t := range g.items {
			if v.checked[t.ID] {
				ids = append(ids, t.ID)
			}
		}
	}
	v.confirmBulk(ids, accept, "checked")
}

// confirmBulk asks before a bulk review, then saves it.
func (v *reviewView) confirmBulk(ids []int64, accept bool, what string) {
	if len(ids) == 0 || v.working || v.refuseChange() {
		return
	}
	verb := "Reject"
	if accept {
		verb = "Accept"
	}
	msg := fmt.Sprintf("%s all %s %s?", verb, plural(int64(len(ids)), "suggestion"), what)
	if accept {
		msg += "\nEach becomes an exhibit with its own number."
	}
	keep := v.selected
	d := dialog.NewConfirm(verb+" "+plural(int64(len(ids)), "suggestion"), msg, func(ok bool) {
		if ok {
			v.review(ids, accept, keep)
		}
	}, v.g.win)
	v.bulkDialog = d
	d.Show()
}

// review saves a decision in a goroutine, then reloads with the selection
// on row keep (the next suggestion, as the reviewed ones leave the list).
func (v *reviewView) review(ids []int64, accept bool, keep int) {
	if len(ids) == 0 || v.working || v.refuseChange() {
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
			for _, id := range ids {
				delete(v.checked, id)
			}
			v.reload(keep)
			if v.onChanged != nil {
				v.onChanged()
			}
		})
	})
}

// onKey runs a review key of keyBindings; it reports whether it used the key.
func (v *reviewView) onKey(k fyne.KeyName) bool {
	b, ok := binding(whereReview, k)
	if ok {
		b.review(v)
	}
	return ok
}

// decide accepts or rejects the selected suggestion, or asks before doing
// so to every one under the selected heading.
func (v *reviewView) decide(accept bool) {
	r, ok := v.current()
	switch {
	case ok && r.level == levelItem:
		v.review([]int64{r.t.ID}, accept, v.selected)
	case ok:
		v.onBulkGroup(accept)
	}
}

// checkSelected checks or unchecks the selected suggestion, or folds or
// unfolds the selected heading.
func (v *reviewView) checkSelected() {
	r, ok := v.current()
	if ok && r.level == levelItem {
		v.setChecked(r.t.ID, !v.checked[r.t.ID])
	} else if ok {
		v.toggle(v.selected)
	}
}

// setChecked checks or unchecks a suggestion for a bulk review.
func (v *reviewView) setChecked(id int64, on bool) {
	if on {
		v.checked[id] = true
	} else {
		delete(v.checked, id)
	}
	v.list.Refresh()
	v.updateButtons()
}

// step moves the selection to the next (+1) or previous (-1) suggestion,
// past headers, unfolding the group it enters.
func (v *reviewView) step(dir int) {
	if i := v.nextItem(v.selected, dir, true); i >= 0 {
		v.list.Select(i)
		v.list.ScrollTo(i)
	}
}

// onNote asks for a note on the selected suggestion's item and saves it.
func (v *reviewView) onNote() {
	r, ok := v.current()
	if !ok || r.level != levelItem || v.refuseChange() {
		return
	}
	item := r.t.Item
	v.note = newNoteForm(v.g.win, item, func(text string, private bool) {
		v.bg.spawn(func() {
			_, err := v.c.AddNote(context.Background(), item, text, private)
			v.bg.do(func() {
				if err != nil {
					v.g.showError("Could not save the note", err)
					return
				}
				v.status.SetText("Note added to " + item.String() + ".")
				if v.onChanged != nil {
					v.onChanged()
				}
			})
		})
	})
	v.note.dlg.Show()
	v.g.win.Canvas().Focus(v.note.text)
}

// refuseChange says so and reports true when the case is read-only.
func (v *reviewView) refuseChange() bool {
	if v.readOnly && v.g.cv != nil {
		return v.g.cv.refuseChange()
	}
	return v.readOnly
}

// ruleRank is a rule's place in the case's list of rules; rules the list
// lacks come after it.
func (v *reviewView) ruleRank(id string) int {
	if r, ok := v.ranks[id]; ok {
		return r
	}
	return len(v.ranks)
}

// lastIfEmpty orders an empty value ("no actor", "no date") after the rest.
func lastIfEmpty(a, b string) int {
	switch {
	case a == "" && b != "":
		return 1
	case a != "" && b == "":
		return -1
	}
	return 0
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
	itemList
	v *reviewView
}

// reviewIndent is the width of one level of indentation in the queue.
const reviewIndent = 18

func newReviewList(v *reviewView) *reviewList {
	l := &reviewList{v: v}
	length := func() int { return len(v.rows) }
	create := func() fyne.CanvasObject {
		indent := canvas.NewRectangle(color.Transparent)
		fold := widget.NewButtonWithIcon("", theme.MenuDropDownIcon(), nil)
		fold.Importance = widget.LowImportance
		check := widget.NewCheck("", nil)
		tag := widget.NewLabel("")
		tag.Importance = widget.LowImportance
		return container.NewBorder(nil, nil, container.NewHBox(indent, fold, check), tag, truncLabel(""))
	}
	update := func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(v.rows) {
			return
		}
		r := v.rows[id]
		row := o.(*fyne.Container)
		text, left, tag := row.Objects[0].(*widget.Label), row.Objects[1].(*fyne.Container), row.Objects[2].(*widget.Label)
		indent, fold, check := left.Objects[0].(*canvas.Rectangle), left.Objects[1].(*widget.Button), left.Objects[2].(*widget.Check)
		indent.SetMinSize(fyne.NewSize(float32(r.level)*reviewIndent, 1))
		text.TextStyle.Bold = r.header()
		if r.header() {
			check.Hide()
			fold.Show()
			fold.SetIcon(foldIcon(!v.isFolded(r)))
			fold.OnTapped = func() { v.toggle(v.rowOf(r)) }
			tag.SetText("")
		}
		switch r.level {
		case levelRule:
			text.SetText(fmt.Sprintf("%s (%d)", v.ruleName(r.rule), r.count))
			tag.SetText(r.rule)
		case levelActor:
			text.SetText(fmt.Sprintf("%s (%d) · %s", r.group.actorName(), r.count, plural(int64(r.days), "day")))
		case levelDay:
			text.SetText(fmt.Sprintf("%s (%d)", r.group.dayName(), r.count))
		default:
			fold.Hide()
			check.Show()
			id := r.t.ID
			check.OnChanged = nil
			check.SetChecked(v.checked[id])
			check.OnChanged = func(on bool) { v.setChecked(id, on) }
			text.SetText(explanation(r.t.Tagging))
			tag.SetText(strings.Join([]string{r.t.Tag, r.t.Item.String()}, " · "))
		}
		text.Refresh()
	}
	// A double tap, like Enter, folds a heading or opens a suggestion's item.
	l.setUp(length, create, update)
	l.self = l
	l.onOpen = func(widget.ListItemID) { v.onEnter() }
	l.OnSelected = func(id widget.ListItemID) {
		v.selected = id
		v.updateButtons()
		if id < len(v.rows) && !v.rows[id].header() && v.onSelected != nil {
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

// rowOf finds the row showing the same header as r now.
func (v *reviewView) rowOf(r reviewRow) int {
	k := r.key()
	for i, x := range v.rows {
		if x.level == r.level && x.key() == k {
			return i
		}
	}
	return -1
}

// foldIcon is the icon of a header's fold button.
func foldIcon(open bool) fyne.Resource {
	if open {
		return theme.MenuDropDownIcon()
	}
	return theme.MenuExpandIcon()
}

// TypedKey takes the review keys and leaves the rest (arrows up and down,
// page keys) to the list.
func (l *reviewList) TypedKey(e *fyne.KeyEvent) {
	if !l.v.onKey(e.Name) {
		l.itemList.TypedKey(e)
	}
}

// TypedRune swallows the review letters so they do not reach elsewhere.
func (l *reviewList) TypedRune(r rune) {}

// noteForm asks for a note on an item.
type noteForm struct {
	text    *dialogEntry
	private *dialogCheck
	dlg     *dialog.FormDialog
}

func newNoteForm(win fyne.Window, item model.ItemID, onSave func(text string, private bool)) *noteForm {
	f := &noteForm{}
	f.text = newMultiLineEntry()
	f.text.SetPlaceHolder("What you noticed, what to check next")
	f.text.SetMinRowsVisible(4)
	f.text.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("write the note")
		}
		return nil
	}
	f.private = newDialogCheck("Private: never printed in reports or exports", nil)
	f.dlg = dialog.NewForm("Note on "+item.String(), "Save note", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Note", f.text),
		widget.NewFormItem("", f.private),
	}, func(ok bool) {
		if ok {
			onSave(strings.TrimSpace(f.text.Text), f.private.Checked)
		}
	}, win)
	f.dlg.Resize(fyne.NewSize(520, 0))
	return f
}

// exhibitsView lists the confirmed evidence: EX number, tag and citation.
type exhibitsView struct {
	title   *widget.Label
	list    *itemList
	content fyne.CanvasObject

	ex []casefile.Exhibit
}

func newExhibitsView() *exhibitsView {
	v := &exhibitsView{}
	v.title = widget.NewLabelWithStyle("Exhibits", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.list = newItemList(func() int { return len(v.ex) }, func() fyne.CanvasObject {
		// Bold, not monospace: the window already sets headings in bold,
		// and Fyne parses its fonts again (about 6 MB, its emoji font
		// included) for each text style it meets, so a monospace label
		// here cost the idle window 6 MB for the exhibit numbers alone.
		// The figures of the default font are of one width anyway.
		num := widget.NewLabelWithStyle("EX-0000", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
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

// selectRule unfolds a rule and selects its heading.
func (v *reviewView) selectRule(id string) {
	if !v.loaded || v.stale || v.loading {
		v.pendingRule = id // opened when the queue arrives
		return
	}
	for i, r := range v.rows {
		if r.level == levelRule && r.rule == id {
			v.setOpen(i, true)
			return
		}
	}
}
