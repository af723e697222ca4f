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

// savedSearchesDialog is Search → Saved searches…: each saved search with
// Run and Delete.
type savedSearchesDialog struct {
	v        *caseView
	list     *widget.List
	searches []casefile.SavedSearch
	selected int
	runBtn   *widget.Button
	delBtn   *widget.Button
	status   *widget.Label
	dlg      *dialog.CustomDialog
	confirm  *dialog.ConfirmDialog // the last delete confirmation, for tests
}

// onSavedSearches opens the saved searches dialog.
func (v *caseView) onSavedSearches() {
	d := &savedSearchesDialog{v: v, selected: -1}
	d.list = widget.NewList(func() int { return len(d.searches) }, func() fyne.CanvasObject {
		name := truncLabel("")
		name.TextStyle.Bold = true
		return container.New(&tightColumn{}, name, truncLabel(""))
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(d.searches) {
			return
		}
		s := d.searches[id]
		lines := o.(*fyne.Container).Objects
		lines[0].(*widget.Label).SetText(s.Name)
		lines[1].(*widget.Label).SetText(savedSearchText(s))
	})
	d.list.OnSelected = func(id widget.ListItemID) { d.selected = id; d.update() }
	d.list.OnUnselected = func(widget.ListItemID) { d.selected = -1; d.update() }
	d.runBtn = widget.NewButtonWithIcon("Run", theme.SearchIcon(), d.onRun)
	d.runBtn.Importance = widget.HighImportance
	d.delBtn = widget.NewButtonWithIcon("Delete…", theme.DeleteIcon(), d.onDelete)
	d.status = widget.NewLabel("Loading…")
	d.status.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(d.status, container.NewHBox(d.runBtn, d.delBtn), nil, nil, d.list)
	d.dlg = dialog.NewCustom("Saved searches", "Close", content, v.g.win)
	d.dlg.Resize(fyne.NewSize(640, 440))
	v.searchesDialog = d
	d.update()
	d.load()
	d.dlg.Show()
}

// savedSearchText is a saved search's query and filters on one line.
func savedSearchText(s casefile.SavedSearch) string {
	text := firstNonEmpty(s.Query, "everything")
	var fs []string
	f := s.Filters
	for _, p := range [][2]string{{"kind", f.Kind}, {"country", f.Country}, {"tag", f.Tag}, {"approval", f.Approval},
		{"speaker", f.Speaker}, {"actor", f.Actor}, {"source", f.Source}, {"office", f.Office}, {"category", f.Category},
		{"from", f.From}, {"to", f.To}} {
		if p[1] != "" {
			fs = append(fs, p[0]+" "+p[1])
		}
	}
	if len(fs) > 0 {
		text += " · " + strings.Join(fs, ", ")
	}
	return text
}

// load lists the saved searches in a goroutine.
func (d *savedSearchesDialog) load() {
	v := d.v
	v.g.bg.spawn(func() {
		ss, err := v.c.SavedSearches(context.Background())
		v.g.bg.do(func() {
			if err != nil {
				d.status.SetText("Could not list the saved searches: " + sentence(err))
				return
			}
			d.searches = ss
			d.selected = -1
			d.list.UnselectAll()
			d.list.Refresh()
			if len(ss) == 0 {
				d.status.SetText("No saved searches. Save one with the disk button beside the search bar.")
			} else {
				d.status.SetText(plural(int64(len(ss)), "saved search") + ". Select one to run or delete it.")
			}
			d.update()
		})
	})
}

// update enables what applies to the selection.
func (d *savedSearchesDialog) update() {
	if d.selected < 0 || d.selected >= len(d.searches) {
		d.runBtn.Disable()
		d.delBtn.Disable()
		return
	}
	d.runBtn.Enable()
	if d.v.readOnly != "" {
		d.delBtn.Disable()
	} else {
		d.delBtn.Enable()
	}
}

// onRun runs the selected search in the search tab.
func (d *savedSearchesDialog) onRun() {
	if d.selected < 0 || d.selected >= len(d.searches) {
		return
	}
	d.dlg.Hide()
	d.v.onTreeSearch(d.searches[d.selected])
}

// onDelete deletes the selected search, after asking.
func (d *savedSearchesDialog) onDelete() {
	if d.selected < 0 || d.selected >= len(d.searches) || d.v.refuseChange() {
		return
	}
	v := d.v
	name := d.searches[d.selected].Name
	d.confirm = dialog.NewConfirm("Delete the saved search", fmt.Sprintf("Delete “%s”? The evidence it found stays tagged.", name), func(ok bool) {
		if !ok {
			return
		}
		v.g.bg.spawn(func() {
			err := v.c.DeleteSearch(context.Background(), name)
			v.g.bg.do(func() {
				if err != nil {
					v.g.showError("The search was not deleted", err)
					return
				}
				d.load()
				v.loadOverview()
			})
		})
	}, v.g.win)
	d.confirm.Show()
}
