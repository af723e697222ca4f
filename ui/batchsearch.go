package ui

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// batchDialog is Search → Batch search…: a list of terms, each counted
// within the current filters, a row to run any of them.
type batchDialog struct {
	v       *caseView
	terms   *dialogEntry
	within  *dialogCheck
	labels  map[string]string // term → label, from a loaded list
	results []casefile.BatchResult
	list    *widget.List
	status  *widget.Label
	runBtn  *widget.Button
	dlg     *dialog.CustomDialog
}

// onBatchSearch opens the batch search dialog.
func (v *caseView) onBatchSearch() {
	d := &batchDialog{v: v, labels: map[string]string{}}
	d.terms = newMultiLineEntry()
	d.terms.SetPlaceHolder("one search a line, e.g.\nmaster admin\nactor:zhang AND approval:no\n\"US user data\"")
	d.terms.SetMinRowsVisible(6)
	load := widget.NewButtonWithIcon("Load a list…", theme.FileIcon(), d.onLoad)
	d.within = newDialogCheck("Only within the current filters", nil)
	if desc := v.results.filters.describe(); desc != "" {
		d.within.SetText("Only within the current filters: " + desc)
		d.within.SetChecked(true)
	} else {
		d.within.Disable()
	}
	d.runBtn = widget.NewButtonWithIcon("Count the hits", theme.SearchIcon(), d.onRun)
	d.runBtn.Importance = widget.HighImportance
	d.status = widget.NewLabel("Each line is a query in the search language; a CSV or JSON Lines list (term, label) can be loaded. " +
		"Select a result to run that search.")
	d.status.Wrapping = fyne.TextWrapWord
	d.list = widget.NewList(func() int { return len(d.results) }, func() fyne.CanvasObject {
		return container.New(columns{90, 160}, truncLabel(""), truncLabel(""), truncLabel(""))
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(d.results) {
			return
		}
		r := d.results[id]
		c := o.(*fyne.Container).Objects
		hits := thousands(int64(r.Hits))
		if r.Err != nil {
			hits = "✗"
		}
		c[0].(*widget.Label).SetText(hits)
		c[1].(*widget.Label).SetText(r.Label)
		term := r.Term
		if r.Err != nil {
			term += " — " + searchError(r.Err)
		}
		c[2].(*widget.Label).SetText(term)
	})
	d.list.OnSelected = func(id widget.ListItemID) {
		if id >= len(d.results) || d.results[id].Err != nil {
			return
		}
		d.dlg.Hide()
		v.results.entry.SetText(d.results[id].Term)
		v.results.onSubmitted(d.results[id].Term)
		v.tabs.Select(v.searchTab)
	}
	top := container.NewVBox(d.terms, container.NewHBox(load, d.runBtn), d.within, d.status)
	d.dlg = dialog.NewCustom("Batch search", "Close", container.NewBorder(top, nil, nil, nil, d.list), v.g.win)
	d.dlg.Resize(fyne.NewSize(860, 620))
	v.batchDialog = d
	d.dlg.Show()
	v.g.win.Canvas().Focus(d.terms)
}

// onLoad reads a list of terms (CSV or JSON Lines) into the box.
func (d *batchDialog) onLoad() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		terms, err := casefile.ReadBatchTerms(io.LimitReader(r, 16<<20))
		_ = r.Close()
		if err != nil {
			d.status.Importance = widget.DangerImportance
			d.status.SetText("Could not read the list: " + sentence(err) + ". Give a term a line (CSV: term,label) or JSON Lines with \"term\".")
			return
		}
		d.setTerms(terms)
	}, d.v.g.win)
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

// setTerms fills the box with terms, keeping their labels.
func (d *batchDialog) setTerms(terms []casefile.BatchTerm) {
	var lines []string
	for _, t := range terms {
		lines = append(lines, t.Term)
		if t.Label != "" {
			d.labels[t.Term] = t.Label
		}
	}
	d.terms.SetText(strings.Join(lines, "\n"))
	d.status.Importance = widget.MediumImportance
	d.status.SetText(plural(int64(len(terms)), "term") + " loaded. Press Count the hits.")
}

// onRun counts each term's hits in a goroutine.
func (d *batchDialog) onRun() {
	var terms []casefile.BatchTerm
	for _, line := range strings.Split(d.terms.Text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			terms = append(terms, casefile.BatchTerm{Term: line, Label: d.labels[line]})
		}
	}
	if len(terms) == 0 {
		d.status.Importance = widget.DangerImportance
		d.status.SetText("Write at least one search, one a line.")
		return
	}
	var base casefile.Query
	if d.within.Checked {
		base.Filters = d.v.results.filters.filters()
	}
	v := d.v
	d.runBtn.Disable()
	d.status.Importance = widget.MediumImportance
	d.status.SetText("Counting…")
	v.g.bg.spawn(func() {
		res, err := v.c.BatchSearch(context.Background(), terms, base)
		v.g.bg.do(func() {
			d.runBtn.Enable()
			if err != nil {
				d.status.Importance = widget.DangerImportance
				d.status.SetText("The batch did not run: " + sentence(err))
				return
			}
			d.results = res
			d.list.Refresh()
			bad := 0
			for _, r := range res {
				if r.Err != nil {
					bad++
				}
			}
			msg := plural(int64(len(res)), "search") + " counted."
			if bad > 0 {
				msg += fmt.Sprintf(" %d could not be read (✗): correct them and count again.", bad)
			}
			d.status.SetText(msg + " Select one to run it.")
		})
	})
}
