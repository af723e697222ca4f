package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// statementKeeper is what the statements tab needs from a case.
type statementKeeper interface {
	hitSearcher // the link dialog's search
	Statements(ctx context.Context) ([]casefile.Statement, error)
	AddStatement(ctx context.Context, who, when, words, where string) (casefile.Statement, error)
	LinkStatement(ctx context.Context, statement int64, item model.ItemID, relation, note string) (casefile.StatementLink, error)
	UpdateStatement(ctx context.Context, id int64, who, when, words, where string) (casefile.Statement, error)
	UnlinkStatement(ctx context.Context, link int64) error
	StatementFrom(ctx context.Context, item model.ItemID) (casefile.Statement, error)
}

// The relations a link can have.
const (
	relSupports    = "supports"
	relContradicts = "contradicts"
)

// statementsView is the statements tab: the claims on record with their
// link counts, New statement…, and under the selected statement its
// linked items with buttons that link the item the details show.
type statementsView struct {
	c   statementKeeper
	g   *gui
	bg  *runner
	sel func() selection // what the details show

	newBtn, editBtn    *widget.Button
	recordBtn          *widget.Button // record the selected segment as a statement
	unlinkBtn          *widget.Button
	supportBtn, contra *widget.Button
	findBtn            *widget.Button // Find evidence to link…: the link dialog
	selLabel           *widget.Label
	note               *widget.Entry
	status             *widget.Label
	list               *widget.List
	linksTitle         *widget.Label
	words              *widget.Label // the selected statement in full
	links              *itemList     // double-click or Enter opens the item in context
	content            fyne.CanvasObject

	// Touched on the UI goroutine only.
	statements []casefile.Statement
	selected   int64 // the selected statement's id; 0 when none
	link       int64 // the selected link's id; 0 when none
	loaded     bool
	gen        int
	working    bool
	readOnly   bool           // the case refuses changes
	form       *statementForm // the last one opened, for tests
	linkDialog *linkDialog    // the last one opened, for tests

	onChanged func()            // a statement or link changed
	onOpen    func(item string) // open a linked item in context
}

func newStatementsView(c statementKeeper, g *gui, sel func() selection) *statementsView {
	v := &statementsView{c: c, g: g, bg: g.bg, sel: sel}
	v.newBtn = widget.NewButtonWithIcon("New statement…", theme.ContentAddIcon(), v.onNew)
	v.newBtn.Importance = widget.HighImportance
	v.editBtn = widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), v.onEdit)
	v.recordBtn = widget.NewButtonWithIcon("Record selection as statement…", theme.DocumentSaveIcon(), v.onRecord)
	v.unlinkBtn = widget.NewButtonWithIcon("Remove link", theme.DeleteIcon(), v.onUnlink)
	v.unlinkBtn.Importance = widget.LowImportance
	v.supportBtn = widget.NewButtonWithIcon("Link selection as supporting", theme.ConfirmIcon(),
		func() { v.onLink(relSupports) })
	v.contra = widget.NewButtonWithIcon("…as contradicting", theme.CancelIcon(),
		func() { v.onLink(relContradicts) })
	v.findBtn = widget.NewButtonWithIcon("Find evidence to link…", theme.SearchIcon(), v.onFindEvidence)
	v.selLabel = truncLabel("")
	v.selLabel.Importance = widget.LowImportance
	v.words = widget.NewLabel("")
	v.words.Wrapping = fyne.TextWrapWord
	v.words.Hide()
	v.note = widget.NewEntry()
	v.note.SetPlaceHolder("Note for the link (optional)")
	v.status = widget.NewLabel("Loading the statements…")
	v.status.Wrapping = fyne.TextWrapWord
	v.list = widget.NewList(func() int { return len(v.statements) }, v.createRow, v.updateRow)
	v.list.OnSelected = v.onSelected
	v.list.OnUnselected = func(widget.ListItemID) { v.selected = 0; v.showLinks() }
	v.linksTitle = widget.NewLabelWithStyle("Linked items", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.links = newItemList(func() int { return len(v.current().Links) }, func() fyne.CanvasObject {
		rel := widget.NewLabelWithStyle("contradicts", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		item := widget.NewLabel("seg-000000") // not monospace: see newExhibitsView
		return container.NewBorder(nil, nil, container.NewHBox(rel, item), nil, truncLabel(""))
	}, v.updateLink)
	v.links.OnSelected = func(id widget.ListItemID) {
		if l := v.current().Links; id < len(l) {
			v.link = l[id].ID
		}
		v.updateButtons()
	}
	v.links.OnUnselected = func(widget.ListItemID) { v.link = 0; v.updateButtons() }
	v.links.onOpen = func(id widget.ListItemID) {
		if l := v.current().Links; id < len(l) && v.onOpen != nil {
			v.onOpen(l[id].Item)
		}
	}

	top := container.NewVBox(container.New(&flow{}, v.newBtn, v.editBtn, v.recordBtn), v.status)
	buttons := container.NewVBox(container.New(&flow{}, v.findBtn, v.supportBtn, v.contra, v.unlinkBtn), v.selLabel)
	bottom := container.NewBorder(container.NewVBox(widget.NewSeparator(), v.words, v.linksTitle, buttons, v.note),
		nil, nil, nil, v.links)
	split := container.NewVSplit(v.list, bottom)
	split.SetOffset(0.55)
	v.content = container.NewBorder(top, nil, nil, nil, split)
	v.updateButtons()
	return v
}

// show loads the statements the first time the tab shows.
func (v *statementsView) show() {
	if !v.loaded {
		v.reload()
	}
}

// reload fetches the statements in a goroutine and applies them at once,
// keeping the selected statement selected.
func (v *statementsView) reload() {
	v.loaded = true
	v.gen++
	gen := v.gen
	v.bg.spawn(func() {
		st, err := v.c.Statements(context.Background())
		v.bg.do(func() {
			if gen != v.gen {
				return
			}
			if err != nil {
				v.status.SetText("Could not list the statements: " + sentence(err))
				return
			}
			v.set(st)
			if v.onChanged != nil {
				v.onChanged()
			}
		})
	})
}

// set shows the statements and selects the one selected before, if any.
func (v *statementsView) set(st []casefile.Statement) {
	v.statements = st
	if len(st) == 0 {
		v.status.SetText("No statements yet. Record a claim with New statement…, then link evidence to it.")
	} else {
		v.status.SetText(plural(int64(len(st)), "statement") + ". Select one to see and add its evidence.")
	}
	v.list.Refresh()
	keep := v.selected
	v.list.UnselectAll()
	for i, s := range st {
		if s.ID == keep {
			v.list.Select(i)
			v.list.ScrollTo(i)
		}
	}
	v.showLinks()
}

// current is the selected statement, or an empty one.
func (v *statementsView) current() casefile.Statement {
	for _, s := range v.statements {
		if s.ID == v.selected && v.selected != 0 {
			return s
		}
	}
	return casefile.Statement{}
}

func (v *statementsView) onSelected(id widget.ListItemID) {
	if id < len(v.statements) {
		v.selected = v.statements[id].ID
	}
	v.showLinks()
}

// showLinks lists the selected statement's links.
func (v *statementsView) showLinks() {
	s := v.current()
	if s.ID == 0 {
		v.words.Hide()
	} else {
		v.words.SetText("“" + oneLine(s.Words) + "” — " + statementMeta(s))
		v.words.Show()
	}
	switch {
	case s.ID == 0:
		v.linksTitle.SetText("Linked items: select a statement")
	case len(s.Links) == 0:
		v.linksTitle.SetText("No linked items yet: Find evidence to link…, or link the hit or segment the details show")
	default:
		v.linksTitle.SetText(fmt.Sprintf("Linked items (%d)", len(s.Links)))
	}
	v.link = 0
	v.links.UnselectAll()
	v.links.Refresh()
	v.updateButtons()
}

// updateButtons enables linking when a statement and an item are selected.
func (v *statementsView) updateButtons() {
	sel := v.sel()
	if sel.item.N == 0 {
		v.selLabel.SetText("Select a hit or segment to link it.")
	} else {
		v.selLabel.SetText("Selected: " + sel.item.String())
	}
	enable := func(b *widget.Button, on bool) {
		if on && !v.working && !v.readOnly {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if v.readOnly {
		v.newBtn.Disable()
	} else {
		v.newBtn.Enable()
	}
	enable(v.editBtn, v.selected != 0)
	enable(v.findBtn, v.selected != 0)
	enable(v.recordBtn, sel.item.Kind == model.ItemSegment && sel.item.N != 0)
	enable(v.unlinkBtn, v.selected != 0 && v.link != 0)
	enable(v.supportBtn, v.selected != 0 && sel.item.N != 0)
	enable(v.contra, v.selected != 0 && sel.item.N != 0)
}

// onLink links the item the details show to the selected statement.
func (v *statementsView) onLink(relation string) {
	item, stmt := v.sel().item, v.selected
	if item.N == 0 || stmt == 0 || v.working || v.readOnly {
		return
	}
	v.saveLink(stmt, item, relation, strings.TrimSpace(v.note.Text), func() { v.note.SetText("") })
}

// onRecord drafts a statement from the selected transcript segment (who,
// the day, the words and where, with its page and line or line, file and
// SHA-256), opens the form on the draft, and on Record stores it linked to
// the segment it was recorded from.
func (v *statementsView) onRecord() {
	item := v.sel().item
	if item.Kind != model.ItemSegment || item.N == 0 || v.readOnly || v.working {
		return
	}
	v.bg.spawn(func() {
		draft, err := v.c.StatementFrom(context.Background(), item)
		v.bg.do(func() {
			if err != nil {
				v.g.showError("Could not draft the statement", err)
				return
			}
			v.form = newStatementForm(v.g.win, draft, func(who, when, words, where string) {
				v.bg.spawn(func() {
					ctx := context.Background()
					st, err := v.c.AddStatement(ctx, who, when, words, where)
					if err == nil {
						_, err = v.c.LinkStatement(ctx, st.ID, item, relSupports, "the passage the statement was recorded from")
					}
					v.bg.do(func() {
						if err != nil {
							v.g.showError("Could not record the statement", err)
						}
						v.selected = st.ID
						v.reload()
					})
				})
			})
			v.form.dlg.Show()
		})
	})
}

// onNew opens the form for a new statement.
func (v *statementsView) onNew() {
	if v.readOnly {
		return
	}
	v.form = newStatementForm(v.g.win, casefile.Statement{}, v.add)
	v.form.dlg.Show()
}

// onEdit opens the form on the selected statement.
func (v *statementsView) onEdit() {
	s := v.current()
	if s.ID == 0 || v.readOnly {
		return
	}
	id := s.ID
	v.form = newStatementForm(v.g.win, s, func(who, when, words, where string) {
		v.bg.spawn(func() {
			_, err := v.c.UpdateStatement(context.Background(), id, who, when, words, where)
			v.bg.do(func() {
				if err != nil {
					v.g.showError("Could not change the statement", err)
					return
				}
				v.reload()
			})
		})
	})
	v.form.dlg.Show()
}

// onUnlink removes the selected link from its statement.
func (v *statementsView) onUnlink() {
	link := v.link
	if link == 0 || v.working || v.readOnly {
		return
	}
	v.working = true
	v.updateButtons()
	v.bg.spawn(func() {
		err := v.c.UnlinkStatement(context.Background(), link)
		v.bg.do(func() {
			v.working = false
			if err != nil {
				v.g.showError("Could not remove the link", err)
				v.updateButtons()
				return
			}
			v.reload()
		})
	})
}

// add saves a new statement in a goroutine and selects it.
func (v *statementsView) add(who, when, words, where string) {
	v.bg.spawn(func() {
		st, err := v.c.AddStatement(context.Background(), who, when, words, where)
		v.bg.do(func() {
			if err != nil {
				v.g.showError("Could not record the statement", err)
				return
			}
			v.selected = st.ID
			v.reload()
		})
	})
}

func (v *statementsView) createRow() fyne.CanvasObject {
	meta := truncLabel("")
	meta.TextStyle.Bold = true
	counts := widget.NewLabel("")
	counts.Importance = widget.LowImportance
	words := truncLabel("")
	return container.NewBorder(nil, nil, nil, counts, container.New(&tightColumn{}, meta, words))
}

func (v *statementsView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(v.statements) {
		return
	}
	s := v.statements[id]
	row := o.(*fyne.Container)
	lines := row.Objects[0].(*fyne.Container)
	lines.Objects[0].(*widget.Label).SetText(statementMeta(s))
	lines.Objects[1].(*widget.Label).SetText("“" + oneLine(s.Words) + "”")
	sup, con := linkCounts(s)
	row.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%d supporting · %d contradicting", sup, con))
}

func (v *statementsView) updateLink(id widget.ListItemID, o fyne.CanvasObject) {
	links := v.current().Links
	if id >= len(links) {
		return
	}
	l := links[id]
	row := o.(*fyne.Container)
	left := row.Objects[1].(*fyne.Container)
	rel := left.Objects[0].(*widget.Label)
	rel.SetText(l.Relation)
	rel.Importance = widget.SuccessImportance
	if l.Relation == relContradicts {
		rel.Importance = widget.DangerImportance
	}
	rel.Refresh()
	left.Objects[1].(*widget.Label).SetText(l.Item)
	row.Objects[0].(*widget.Label).SetText(oneLine(l.Note))
}

// statementMeta says who made a statement, when and where.
func statementMeta(s casefile.Statement) string {
	meta := s.Who
	if s.When != "" {
		meta += " · " + s.When
	}
	if s.Where != "" {
		meta += " · " + s.Where
	}
	return meta
}

// linkCounts counts a statement's supporting and contradicting links.
func linkCounts(s casefile.Statement) (supports, contradicts int) {
	for _, l := range s.Links {
		switch l.Relation {
		case relSupports:
			supports++
		case relContradicts:
			contradicts++
		}
	}
	return supports, contradicts
}

// statementForm is the New statement… and Edit… dialog.
type statementForm struct {
	who, when, words, where *dialogEntry
	dlg                     *dialog.FormDialog
}

// newStatementForm builds the form, filled from s when it edits one.
func newStatementForm(win fyne.Window, s casefile.Statement, onAdd func(who, when, words, where string)) *statementForm {
	f := &statementForm{}
	required := func(what string) fyne.StringValidator {
		return func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errors.New(what)
			}
			return nil
		}
	}
	f.who = newEntry()
	f.who.SetPlaceHolder("Who said it")
	f.who.Validator = required("say who made the statement")
	f.when = newEntry()
	f.when.SetPlaceHolder("YYYY-MM-DD")
	f.when.Validator = func(s string) error {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		if _, err := time.Parse(dayLayout, s); err != nil {
			return errors.New("write the date as YYYY-MM-DD")
		}
		return nil
	}
	f.words = newMultiLineEntry() // long words wrap, never scroll sideways
	f.words.SetPlaceHolder("The words, as said")
	f.words.SetMinRowsVisible(3)
	f.words.Validator = required("write the words of the statement")
	f.where = newEntry()
	f.where.SetPlaceHolder("Where it was said (optional)")
	items := []*widget.FormItem{
		widget.NewFormItem("Who", f.who),
		widget.NewFormItem("When", f.when),
		widget.NewFormItem("Words", f.words),
		widget.NewFormItem("Where", f.where),
	}
	title, confirm := "New statement", "Record"
	if s.ID != 0 {
		title, confirm = "Edit statement", "Save"
	}
	// An edited statement, or a draft from a transcript passage.
	f.who.SetText(s.Who)
	f.when.SetText(s.When)
	f.words.SetText(s.Words)
	f.where.SetText(s.Where)
	f.dlg = dialog.NewForm(title, confirm, "Cancel", items, func(ok bool) {
		if ok {
			onAdd(strings.TrimSpace(f.who.Text), strings.TrimSpace(f.when.Text),
				strings.TrimSpace(f.words.Text), strings.TrimSpace(f.where.Text))
		}
	}, win)
	f.dlg.Resize(fyne.NewSize(520, 0))
	return f
}

// selectID selects a statement by id, loading the statements first when
// they are not yet.
func (v *statementsView) selectID(id int64) {
	v.selected = id
	if !v.loaded {
		v.reload()
		return
	}
	for i, s := range v.statements {
		if s.ID == id {
			v.list.Select(i)
			v.list.ScrollTo(i)
		}
	}
}
