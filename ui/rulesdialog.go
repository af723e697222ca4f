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

// rulesDialog is Evidence → Edit rules…: every rule, enabled or not, with
// its condition and explanation to change.
type rulesDialog struct {
	v           *caseView
	rules       []casefile.Rule
	selected    int
	list        *widget.List
	enabled     *dialogCheck
	condition   *dialogEntry
	explanation *dialogEntry
	about       *widget.Label
	status      *widget.Label
	saveBtn     *widget.Button
	dlg         *dialog.CustomDialog
}

// onEditRules opens the rules dialog.
func (v *caseView) onEditRules() {
	d := &rulesDialog{v: v, selected: -1}
	d.list = widget.NewList(func() int { return len(d.rules) }, func() fyne.CanvasObject {
		return container.NewBorder(nil, nil, widget.NewIcon(nil), nil, truncLabel(""))
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(d.rules) {
			return
		}
		r := d.rules[id]
		row := o.(*fyne.Container)
		icon := theme.CheckButtonIcon()
		if r.Enabled {
			icon = theme.CheckButtonCheckedIcon()
		}
		row.Objects[1].(*widget.Icon).SetResource(icon)
		row.Objects[0].(*widget.Label).SetText(r.Name)
	})
	d.list.OnSelected = d.onSelected
	d.enabled = newDialogCheck("Enabled: Run rules runs it", nil)
	d.condition = newMultiLineEntry()
	d.condition.SetMinRowsVisible(4)
	d.condition.Wrapping = fyne.TextWrapWord
	d.condition.SetPlaceHolder("e.g. country NOT IN home AND category IN protected")
	d.explanation = newMultiLineEntry()
	d.explanation.Wrapping = fyne.TextWrapWord
	d.explanation.SetMinRowsVisible(3)
	d.explanation.SetPlaceHolder("shown with each suggestion; {actor}, {country}, {resource}… fill in")
	d.about = widget.NewLabel("Select a rule.")
	d.about.Wrapping = fyne.TextWrapWord
	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	d.saveBtn = widget.NewButtonWithIcon("Save the rule", theme.DocumentSaveIcon(), d.onSave)
	d.saveBtn.Importance = widget.HighImportance
	edit := container.NewVBox(d.about, d.enabled,
		widget.NewLabelWithStyle("Condition", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), d.condition,
		widget.NewLabelWithStyle("Explanation", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), d.explanation,
		container.NewHBox(d.saveBtn), d.status)
	split := container.NewHSplit(d.list, container.NewVScroll(edit))
	split.SetOffset(0.35)
	d.dlg = dialog.NewCustom("Rules", "Close", split, v.g.win)
	d.dlg.Resize(fyne.NewSize(960, 560))
	v.rulesDialog = d
	d.setEditing(false)
	d.load(-1)
	d.dlg.Show()
}

// load lists the rules in a goroutine and selects row keep.
func (d *rulesDialog) load(keep int) {
	v := d.v
	v.g.bg.spawn(func() {
		rules, err := v.c.Rules(context.Background())
		v.g.bg.do(func() {
			if err != nil {
				d.status.SetText("Could not list the rules: " + sentence(err))
				return
			}
			d.rules = rules
			d.list.Refresh()
			if keep >= 0 && keep < len(rules) {
				d.list.Select(keep)
			}
		})
	})
}

// setEditing enables the form when a rule is selected and the case takes
// changes.
func (d *rulesDialog) setEditing(on bool) {
	for _, w := range []fyne.Disableable{d.enabled, d.condition, d.explanation, d.saveBtn} {
		if on && d.v.readOnly == "" {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}

// onSelected shows a rule in the form.
func (d *rulesDialog) onSelected(id widget.ListItemID) {
	if id >= len(d.rules) {
		return
	}
	d.selected = id
	r := d.rules[id]
	about := fmt.Sprintf("%s (%s, a %s rule) suggests the tag %s.", r.Name, r.ID, r.Kind, r.Tag)
	if r.Builtin {
		about += " Built in: its condition can be changed here and is kept in this case only."
	}
	if r.Condition == "" && r.Params != "" && r.Params != "{}" {
		about += " Its settings: " + r.Params + "."
	}
	d.about.SetText(about)
	d.enabled.SetChecked(r.Enabled)
	d.condition.SetText(r.Condition)
	d.explanation.SetText(r.Explanation)
	d.status.SetText("")
	d.setEditing(true)
	if d.v.readOnly != "" {
		d.status.SetText(readOnlyText(d.v.readOnly) + ".")
	}
}

// onSave saves the rule in a goroutine; a condition that does not read is
// explained with where it went wrong.
func (d *rulesDialog) onSave() {
	if d.selected < 0 || d.selected >= len(d.rules) || d.v.refuseChange() {
		return
	}
	v := d.v
	r := d.rules[d.selected]
	r.Enabled = d.enabled.Checked
	r.Condition = strings.TrimSpace(d.condition.Text)
	r.Explanation = strings.TrimSpace(d.explanation.Text)
	keep := d.selected
	d.status.Importance = widget.MediumImportance
	d.status.SetText("Saving…")
	v.g.bg.spawn(func() {
		err := v.c.SaveRule(context.Background(), r)
		v.g.bg.do(func() {
			if err != nil {
				d.status.Importance = widget.DangerImportance
				d.status.SetText("The rule was not saved: " + sentence(err) + ". Correct it and save again.")
				return
			}
			d.status.Importance = widget.SuccessImportance
			d.status.SetText("Saved. Run rules to apply it.")
			d.load(keep)
			v.loadOverview()
		})
	})
}
