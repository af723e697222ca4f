package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// The export dialog's choices.
const (
	exportEvidence = "Evidence: every exhibit with its tag, note, quote and citation"
	exportEvents   = "Access events: every event of every access log"
	exportSearch   = "The current search and its filters"
	formatCSV      = "CSV, for spreadsheets"
	formatJSONL    = "JSON Lines, one object a line"
	formatFtM      = "FollowTheMoney entities, for Aleph (the whole case)"
)

// exportDialog is File → Export data…: evidence, events or the current
// search as CSV or JSON Lines, or the whole case as FollowTheMoney entities.
type exportDialog struct {
	v          *caseView
	what       *widget.RadioGroup
	format     *dialogSelect
	path       *dialogEntry
	status     *widget.Label
	dlg        *dialog.CustomDialog
	replace    *dialog.CustomDialog // the last "Replace …?" asked, for tests
	pathEdited bool
	query      casefile.Query // the search when the dialog opened
	written    string         // what the last export wrote, for tests
}

// onExportData opens the export dialog.
func (v *caseView) onExportData() {
	if v.refuseChange() || !v.g.canStartJob() {
		return
	}
	d := &exportDialog{v: v}
	d.query = casefile.Query{Text: v.results.entry.Text, Filters: v.results.filters.filters(), ByTime: v.results.filters.byTime()}
	search := exportSearch
	if q := strings.TrimSpace(d.query.Text); q != "" || d.query.Filters != (casefile.Filters{}) {
		search = fmt.Sprintf("The current search: “%s”", firstNonEmpty(q, "everything"))
		if f := v.results.filters.describe(); f != "" {
			search += " with " + f
		}
	}
	d.what = widget.NewRadioGroup([]string{exportEvidence, exportEvents, search}, func(string) { d.suggestPath() })
	d.what.Required = true
	d.what.SetSelected(exportEvidence)
	d.format = newDialogSelect([]string{formatCSV, formatJSONL, formatFtM}, func(f string) {
		if f == formatFtM {
			d.what.Disable()
		} else {
			d.what.Enable()
		}
		d.suggestPath()
	})
	d.path = newEntry()
	d.path.OnChanged = func(string) { d.pathEdited = true }
	d.format.SetSelected(formatCSV)
	choose := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), d.onChoose)
	d.status = widget.NewLabel("The export is recorded in the audit trail. Private notes are never exported.")
	d.status.Wrapping = fyne.TextWrapWord
	d.status.Importance = widget.LowImportance
	form := container.NewVBox(
		widget.NewLabelWithStyle("Export", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), d.what,
		widget.NewLabelWithStyle("As", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), d.format,
		widget.NewLabelWithStyle("Save as", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, nil, choose, d.path), d.status)
	exportBtn := widget.NewButtonWithIcon("Export", theme.DocumentSaveIcon(), d.onExport)
	exportBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons("Export data", form, v.g.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, exportBtn})
	d.dlg.Resize(fyne.NewSize(640, 0))
	v.exportDialog = d
	d.dlg.Show()
}

// options reads the choices.
func (d *exportDialog) options() casefile.ExportOptions {
	opts := casefile.ExportOptions{Format: casefile.ExportCSV, What: "evidence"}
	switch d.format.Selected {
	case formatJSONL:
		opts.Format = casefile.ExportJSONL
	case formatFtM:
		// FollowTheMoney is the whole case, whatever is chosen above.
		return casefile.ExportOptions{Format: casefile.ExportFtM, What: "all"}
	}
	switch d.what.Selected {
	case exportEvidence:
	case exportEvents:
		opts.What = "events"
	default:
		opts.What, opts.Query = "search", d.query
	}
	return opts
}

// suggestPath names the file after the case, what and format, until the
// investigator writes a path of their own.
func (d *exportDialog) suggestPath() {
	if d.pathEdited || d.path == nil {
		return
	}
	opts := d.options()
	name := opts.What
	ext := "." + opts.Format
	if opts.Format == casefile.ExportFtM {
		name, ext = "ftm", ".ftm.json"
	}
	base := defaultReportPath(d.v.dir)
	base = strings.TrimSuffix(base, "-report.pdf")
	d.path.SetText(freeOutputPath(base + "-" + name + ext))
	d.pathEdited = false
}

// onChoose picks where to save the export.
func (d *exportDialog) onChoose() {
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		p := w.URI().Path()
		_ = w.Close()
		_ = os.Remove(p) // the export writes it whole or not at all
		d.path.SetText(p)
	}, d.v.g.win)
	fd.SetFileName(filepath.Base(d.path.Text))
	setLocation(fd, filepath.Dir(d.path.Text))
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

// onExport writes the export as a job, into a private file renamed into
// place when complete.
func (d *exportDialog) onExport() {
	v := d.v
	path := strings.TrimSpace(d.path.Text)
	if path == "" {
		d.status.Importance = widget.DangerImportance
		d.status.SetText("Choose where to save the export.")
		return
	}
	if !v.g.canStartJob() {
		return
	}
	d.replace = v.g.askBeforeReplacing(path, d.write)
}

// write writes the export to path as a job.
func (d *exportDialog) write(path string) {
	v := d.v
	if !v.g.canStartJob() {
		return
	}
	opts := d.options()
	d.dlg.Hide()
	var n int
	v.g.prog.start("Exporting", func(ctx context.Context, progress casefile.ProgressFunc) error {
		opts.Progress = progress
		f, err := os.CreateTemp(filepath.Dir(path), ".export-*")
		if err != nil {
			return fmt.Errorf("cannot write the export beside %s (%w): choose a folder you can write to", path, err)
		}
		defer os.Remove(f.Name())
		n, err = v.c.Export(ctx, f, opts)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return os.Rename(f.Name(), path)
	}, func(err error) {
		if err != nil {
			v.g.showError("Nothing was exported", err)
			return
		}
		unit := "row"
		if opts.Format == casefile.ExportFtM {
			unit = "entity"
		}
		d.written = fmt.Sprintf("Wrote %s to %s.", plural(int64(n), unit), path)
		l := widget.NewLabel(d.written)
		l.Wrapping = fyne.TextWrapBreak
		l.Selectable = true
		info := dialog.NewCustom("Exported", "Close", l, v.g.win)
		info.Resize(fyne.NewSize(560, 0))
		info.Show()
	})
}
