package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// tagsDialog is Evidence → Manage tags…: the case's tags with their counts,
// to create, rename, merge and delete.
type tagsDialog struct {
	v        *caseView
	tags     []casefile.TagInfo
	selected int
	list     *widget.List
	status   *widget.Label
	buttons  []*widget.Button // rename, merge, delete: need a selection
	newBtn   *widget.Button
	dlg      *dialog.CustomDialog
	form     *dialog.FormDialog    // the last form opened, for tests
	entry    *dialogEntry          // its name field
	into     *dialogSelect         // its merge target
	confirm  *dialog.ConfirmDialog // the last delete confirmation, for tests
}

// onManageTags opens the tags dialog.
func (v *caseView) onManageTags() {
	d := &tagsDialog{v: v, selected: -1}
	d.list = widget.NewList(func() int { return len(d.tags) }, func() fyne.CanvasObject {
		count := widget.NewLabel("")
		count.Importance = widget.LowImportance
		return container.NewBorder(nil, nil, nil, count, truncLabel(""))
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(d.tags) {
			return
		}
		t := d.tags[id]
		row := o.(*fyne.Container).Objects
		name := t.Name
		if t.Description != "" {
			name += " — " + t.Description
		}
		row[0].(*widget.Label).SetText(name)
		count := plural(int64(t.Confirmed), "exhibit")
		if t.Suggested > 0 {
			count += " · " + thousands(int64(t.Suggested)) + " suggested"
		}
		row[1].(*widget.Label).SetText(count)
	})
	d.list.OnSelected = func(id widget.ListItemID) { d.selected = id; d.update() }
	d.list.OnUnselected = func(widget.ListItemID) { d.selected = -1; d.update() }
	d.newBtn = widget.NewButtonWithIcon("New tag…", theme.ContentAddIcon(), d.onNew)
	rename := widget.NewButtonWithIcon("Rename…", theme.DocumentCreateIcon(), d.onRename)
	merge := widget.NewButtonWithIcon("Merge into…", theme.ContentPasteIcon(), d.onMerge)
	del := widget.NewButtonWithIcon("Delete…", theme.DeleteIcon(), d.onDelete)
	d.buttons = []*widget.Button{rename, merge, del}
	d.status = widget.NewLabel("Loading…")
	d.status.Wrapping = fyne.TextWrapWord
	bottom := container.NewHBox(d.newBtn, rename, merge, del)
	d.dlg = dialog.NewCustom("Tags", "Close", container.NewBorder(d.status, bottom, nil, nil, d.list), v.g.win)
	d.dlg.Resize(fyne.NewSize(720, 480))
	v.tagsDialog = d
	d.update()
	d.load()
	d.dlg.Show()
}

// load lists the live tags in a goroutine.
func (d *tagsDialog) load() {
	v := d.v
	v.g.bg.spawn(func() {
		infos, err := v.c.Tags(context.Background())
		v.g.bg.do(func() {
			if err != nil {
				d.status.SetText("Could not list the tags: " + sentence(err))
				return
			}
			d.tags = d.tags[:0]
			for _, t := range infos {
				if !t.Deleted && t.MergedInto == "" {
					d.tags = append(d.tags, t)
				}
			}
			d.selected = -1
			d.list.UnselectAll()
			d.list.Refresh()
			d.status.SetText(plural(int64(len(d.tags)), "tag") + ". Renaming, merging and deleting keep the history in the audit trail; " +
				"exhibits keep their numbers.")
			d.update()
		})
	})
}

// update enables what applies.
func (d *tagsDialog) update() {
	ro := d.v.readOnly != ""
	if ro {
		d.newBtn.Disable()
	} else {
		d.newBtn.Enable()
	}
	for _, b := range d.buttons {
		if ro || d.selected < 0 || d.selected >= len(d.tags) {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

// current is the selected tag's name.
func (d *tagsDialog) current() string {
	if d.selected < 0 || d.selected >= len(d.tags) {
		return ""
	}
	return d.tags[d.selected].Name
}

// change runs a change of the tags in a goroutine, then shows them again.
func (d *tagsDialog) change(failTitle string, f func(ctx context.Context) error, done string) {
	v := d.v
	v.g.bg.spawn(func() {
		err := f(context.Background())
		v.g.bg.do(func() {
			if err != nil {
				v.g.showError(failTitle, err)
				return
			}
			d.load()
			v.loadOverview()
			v.loadTagOptions()
			v.review.invalidate(v.tabs.Selected() == v.reviewTab)
			v.results.rerun()
			v.results.showStatus(done)
		})
	})
}

// nameValidator refuses an empty tag name.
func nameValidator(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("write the tag's name")
	}
	return nil
}

// onNew creates a tag.
func (d *tagsDialog) onNew() {
	if d.v.refuseChange() {
		return
	}
	name, desc := newEntry(), newEntry()
	name.SetPlaceHolder("e.g. key-quote, or foreign-access/CN under a parent")
	name.Validator = nameValidator
	desc.SetPlaceHolder("what it marks (optional)")
	d.entry = name
	d.form = dialog.NewForm("New tag", "Create", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Name", name), widget.NewFormItem("Description", desc),
	}, func(ok bool) {
		if !ok {
			return
		}
		n, ds := strings.TrimSpace(name.Text), strings.TrimSpace(desc.Text)
		d.change("The tag was not created", func(ctx context.Context) error {
			_, err := d.v.c.CreateTag(ctx, n, "", ds)
			return err
		}, "Created the tag "+n+".")
	}, d.v.g.win)
	d.form.Resize(fyne.NewSize(480, 0))
	d.form.Show()
}

// onRename renames the selected tag.
func (d *tagsDialog) onRename() {
	from := d.current()
	if from == "" || d.v.refuseChange() {
		return
	}
	name := newEntry()
	name.SetText(from)
	name.Validator = nameValidator
	d.entry = name
	d.form = dialog.NewForm("Rename "+from, "Rename", "Cancel", []*widget.FormItem{widget.NewFormItem("New name", name)}, func(ok bool) {
		if !ok {
			return
		}
		to := strings.TrimSpace(name.Text)
		d.change("The tag was not renamed", func(ctx context.Context) error {
			return d.v.c.RenameTag(ctx, from, to)
		}, "Renamed "+from+" to "+to+".")
	}, d.v.g.win)
	d.form.Resize(fyne.NewSize(420, 0))
	d.form.Show()
}

// onMerge merges the selected tag into another.
func (d *tagsDialog) onMerge() {
	from := d.current()
	if from == "" || d.v.refuseChange() {
		return
	}
	var others []string
	for _, t := range d.tags {
		if t.Name != from {
			others = append(others, t.Name)
		}
	}
	into := newDialogSelect(others, nil)
	into.PlaceHolder = "the tag to keep"
	d.into = into
	item := widget.NewFormItem("Into", into)
	item.HintText = "Its exhibits and suggestions move to the tag kept; " + from + " is then gone."
	d.form = dialog.NewForm("Merge "+from+" into another tag", "Merge", "Cancel", []*widget.FormItem{item}, func(ok bool) {
		if !ok || into.Selected == "" {
			return
		}
		to := into.Selected
		d.change("The tags were not merged", func(ctx context.Context) error {
			return d.v.c.MergeTag(ctx, from, to)
		}, "Merged "+from+" into "+to+".")
	}, d.v.g.win)
	d.form.Resize(fyne.NewSize(460, 0))
	d.form.Show()
}

// onDelete deletes the selected tag, after asking.
func (d *tagsDialog) onDelete() {
	name := d.current()
	if name == "" || d.v.refuseChange() {
		return
	}
	t := d.tags[d.selected]
	msg := fmt.Sprintf("Delete the tag %s? It is taken off %s and %s; the audit trail keeps the history.",
		name, plural(int64(t.Confirmed), "exhibit"), plural(int64(t.Suggested), "suggestion"))
	d.confirm = dialog.NewConfirm("Delete the tag", msg, func(ok bool) {
		if !ok {
			return
		}
		d.change("The tag was not deleted", func(ctx context.Context) error {
			return d.v.c.DeleteTag(ctx, name)
		}, "Deleted the tag "+name+".")
	}, d.v.g.win)
	d.confirm.Show()
}
