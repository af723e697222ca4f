package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// readOnlyText is the banner of a read-only case: "Read-only: the folder is
// not writable: permission denied — changes are refused".
func readOnlyText(why string) string {
	if why == "opened read-only" {
		why = "opened for reading only"
	}
	return "Read-only: " + why + " — changes are refused"
}

// readOnlyBanner is the strip under the toolbar of a read-only case.
func readOnlyBanner(why string) (*fyne.Container, *widget.Label) {
	l := widget.NewLabel(readOnlyText(why) + ". Search, read, verify and pack it; " +
		"to change it, copy or unpack it into a folder you can write, or open it where it is writable.")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	l.TextStyle.Bold = true
	return container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, l),
		widget.NewSeparator()), l
}

// refuseChange says so and reports true when the case is read-only; the
// buttons for changes are disabled then, but keys, menus and drops still
// lead here.
func (v *caseView) refuseChange() bool {
	if v.readOnly == "" {
		return false
	}
	dialog.ShowInformation("This case is read-only", readOnlyText(v.readOnly)+
		". Copy or unpack the case into a folder you can write to change it.", v.g.win)
	return true
}

// applyReadOnly disables everything that would change a read-only case.
func (v *caseView) applyReadOnly() {
	if v.readOnly == "" {
		return
	}
	for _, b := range v.changeButtons {
		b.Disable()
	}
	v.details.readOnly = true
	v.review.readOnly = true
	v.review.updateButtons()
	v.stmts.readOnly = true
	v.stmts.updateButtons()
	v.results.saveBtn.Disable()
}
