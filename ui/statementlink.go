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
	"casebook/model"
)

// linkSearchLimit is how many hits the link dialog lists for a query.
const linkSearchLimit = 100

// linkDialog links evidence to a statement from inside it: a search field,
// the hits, supports or contradicts, a note, and Link — without fetching
// the item in another tab first.
type linkDialog struct {
	v    *statementsView
	stmt casefile.Statement

	query    *dialogEntry
	status   *widget.Label
	list     *widget.List
	relation *widget.RadioGroup
	note     *dialogEntry
	linkBtn  *widget.Button
	dlg      *dialog.CustomDialog

	// Touched on the UI goroutine only.
	hits   []casefile.Hit
	picked int // the selected hit; -1 when none
	gen    int
}

// onFindEvidence opens the link dialog on the selected statement.
func (v *statementsView) onFindEvidence() {
	s := v.current()
	if s.ID == 0 || v.readOnly {
		return
	}
	d := &linkDialog{v: v, stmt: s, picked: -1}
	d.query = newEntry()
	d.query.SetPlaceHolder(`Search the case, e.g. "master admin" or country:CN approval:no`)
	d.query.OnSubmitted = func(string) { d.search() }
	find := widget.NewButtonWithIcon("", theme.SearchIcon(), d.search)
	d.status = widget.NewLabel("Search for the passage or the log row that bears on the statement, pick it, then Link.")
	d.status.Wrapping = fyne.TextWrapWord
	d.list = widget.NewList(func() int { return len(d.hits) }, func() fyne.CanvasObject {
		meta := truncLabel("")
		meta.SizeName = theme.SizeNameCaptionText
		snippet := widget.NewRichText()
		snippet.Truncation = fyne.TextTruncateEllipsis
		return container.New(&tightColumn{}, meta, snippet)
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(d.hits) {
			return
		}
		h := d.hits[id]
		lines := o.(*fyne.Container)
		lines.Objects[0].(*widget.Label).SetText(hitMeta(h))
		rt := lines.Objects[1].(*widget.RichText)
		rt.Segments = highlight(h.Snippet)
		rt.Refresh()
	})
	d.list.OnSelected = func(id widget.ListItemID) {
		d.picked = id
		d.updateLink()
	}
	d.list.OnUnselected = func(widget.ListItemID) {
		d.picked = -1
		d.updateLink()
	}
	d.relation = widget.NewRadioGroup([]string{relSupports, relContradicts}, nil)
	d.relation.Horizontal = true
	d.relation.Required = true
	d.relation.SetSelected(relContradicts)
	d.note = newEntry()
	d.note.SetPlaceHolder("Note for the link (optional)")
	claim := widget.NewLabel("“" + oneLine(s.Words) + "” — " + statementMeta(s))
	claim.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(claim, container.NewBorder(nil, nil, nil, find, d.query), d.status)
	bottom := container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, widget.NewLabel("The item"), nil, d.relation),
		container.NewBorder(nil, nil, widget.NewLabel("Note"), nil, d.note))
	d.linkBtn = widget.NewButtonWithIcon("Link", theme.ConfirmIcon(), d.onLink)
	d.linkBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons("Link evidence to the statement", container.NewBorder(top, bottom, nil, nil, d.list), v.g.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.linkBtn})
	d.dlg.Resize(fyne.NewSize(820, 620))
	d.updateLink()
	v.linkDialog = d
	d.dlg.Show()
	v.g.win.Canvas().Focus(d.query)
}

// search runs the query in a goroutine and lists its hits; a newer search
// wins.
func (d *linkDialog) search() {
	q := strings.TrimSpace(d.query.Text)
	if q == "" {
		d.status.SetText("Type what to search for, then press Enter.")
		return
	}
	d.gen++
	gen := d.gen
	d.status.SetText("Searching…")
	d.v.bg.spawn(func() {
		res, err := d.v.c.Search(context.Background(), casefile.Query{Text: q, Limit: linkSearchLimit})
		d.v.bg.do(func() {
			if gen != d.gen {
				return
			}
			d.hits, d.picked = nil, -1
			if err != nil {
				d.status.SetText(searchError(err))
			} else {
				d.hits = res.Hits
				switch {
				case res.Total == 0:
					d.status.SetText("No hits for " + queryAsTyped(q) + ".")
				case res.Total > uint64(len(res.Hits)):
					d.status.SetText(fmt.Sprintf("%s hits for %s; the first %d are listed. Pick one, then Link.",
						thousands(int64(res.Total)), queryAsTyped(q), len(res.Hits)))
				default:
					d.status.SetText(fmt.Sprintf("%s for %s. Pick one, then Link.", plural(int64(res.Total), "hit"), queryAsTyped(q)))
				}
			}
			d.list.UnselectAll()
			d.list.Refresh()
			d.list.ScrollToTop()
			d.updateLink()
		})
	})
}

// updateLink enables Link when a hit is picked.
func (d *linkDialog) updateLink() {
	if d.picked >= 0 && d.picked < len(d.hits) {
		d.linkBtn.SetText("Link " + d.hits[d.picked].ID)
		d.linkBtn.Enable()
		return
	}
	d.linkBtn.SetText("Link")
	d.linkBtn.Disable()
}

// onLink links the picked hit to the statement and closes the dialog.
func (d *linkDialog) onLink() {
	if d.picked < 0 || d.picked >= len(d.hits) {
		return
	}
	item, err := model.ParseItemID(d.hits[d.picked].ID)
	if err != nil {
		d.status.SetText("Cannot link " + d.hits[d.picked].ID + ": " + sentence(err))
		return
	}
	v, stmt := d.v, d.stmt.ID
	d.dlg.Hide()
	v.saveLink(stmt, item, d.relation.Selected, strings.TrimSpace(d.note.Text), func() { v.selected = stmt })
}

// saveLink links item to statement stmt in a goroutine; when it is saved,
// after runs (when set) and the statements are listed again.
func (v *statementsView) saveLink(stmt int64, item model.ItemID, relation, note string, after func()) {
	v.working = true
	v.updateButtons()
	v.bg.spawn(func() {
		_, err := v.c.LinkStatement(context.Background(), stmt, item, relation, note)
		v.bg.do(func() {
			v.working = false
			if err != nil {
				v.g.showError("Could not link the evidence", err)
				v.updateButtons()
				return
			}
			if after != nil {
				after()
			}
			v.reload()
		})
	})
}
