package ui

import (
	"fmt"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// freeOutputPath is path when no file is there, else a free dated name
// beside it: what the report and export dialogs suggest.
func freeOutputPath(path string) string {
	if path == "" || casefile.CheckNewOutput(path, time.Now()) == nil {
		return path
	}
	return casefile.DatedName(path, time.Now())
}

// askBeforeReplacing calls write with path when no file is there. When one
// is, it asks first — save under a new dated name (the default button),
// replace the file, or cancel — and returns the question, for tests; a
// report or export never replaces a file silently.
func (g *gui) askBeforeReplacing(path string, write func(path string)) *dialog.CustomDialog {
	if casefile.CheckNewOutput(path, time.Now()) == nil {
		write(path)
		return nil
	}
	dated := casefile.DatedName(path, time.Now())
	msg := widget.NewLabel(fmt.Sprintf("%s already exists in %s.\nSave the new one as %s, or replace the file?",
		filepath.Base(path), filepath.Dir(path), filepath.Base(dated)))
	msg.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	keep := widget.NewButtonWithIcon("Save as "+filepath.Base(dated), theme.DocumentSaveIcon(), func() {
		d.Hide()
		write(dated)
	})
	keep.Importance = widget.HighImportance
	replace := widget.NewButtonWithIcon("Replace", theme.WarningIcon(), func() {
		d.Hide()
		write(path)
	})
	replace.Importance = widget.DangerImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Replace "+filepath.Base(path)+"?", msg, g.win)
	d.SetButtons([]fyne.CanvasObject{cancel, replace, keep})
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
	return d
}
