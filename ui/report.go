package ui

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// reportWriter is what the report dialog needs from a case.
type reportWriter interface {
	WriteReportFile(ctx context.Context, path string, opts casefile.ReportOptions) error
}

// defaultMarking is the marking a new report starts with.
const defaultMarking = "CONFIDENTIAL — PREPARED FOR COUNSEL"

// reportDialog asks for the report's options and where to save the PDF,
// writes it as a job, then offers to open it with the system viewer.
type reportDialog struct {
	c reportWriter
	g *gui

	marking, bates, redact, date, path *widget.Entry
	paper                              *widget.Select
	pseudonymise                       *widget.Check
	dlg                                *dialog.CustomDialog

	onDone func(path string, err error) // after the job, for tests
}

// newReportDialog builds the dialog; the PDF goes to path unless changed.
func newReportDialog(c reportWriter, g *gui, path string) *reportDialog {
	d := &reportDialog{c: c, g: g}
	d.marking = widget.NewEntry()
	d.marking.SetText(defaultMarking)
	d.bates = widget.NewEntry()
	d.bates.SetPlaceHolder("e.g. CB (empty: no Bates numbers)")
	d.paper = widget.NewSelect([]string{"A4", "Letter"}, nil)
	d.paper.SetSelected("A4")
	d.pseudonymise = widget.NewCheck("People become Employee A, B, …", nil)
	d.redact = widget.NewEntry()
	d.redact.SetPlaceHolder("names or words, comma-separated")
	d.date = widget.NewEntry()
	d.date.SetText(time.Now().UTC().Format("2006-01-02"))
	d.date.Validator = func(s string) error {
		if _, err := time.Parse("2006-01-02", strings.TrimSpace(s)); err != nil {
			return errors.New("write the date as YYYY-MM-DD")
		}
		return nil
	}
	d.path = widget.NewEntry()
	d.path.SetText(path)
	d.path.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("choose where to save the PDF")
		}
		return nil
	}
	choose := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), d.onChoose)
	form := widget.NewForm(
		widget.NewFormItem("Marking", d.marking),
		widget.NewFormItem("Bates prefix", d.bates),
		widget.NewFormItem("Paper", d.paper),
		widget.NewFormItem("Pseudonymise", d.pseudonymise),
		widget.NewFormItem("Redact", d.redact),
		widget.NewFormItem("Date", d.date),
		widget.NewFormItem("Save as", container.NewBorder(nil, nil, nil, choose, d.path)),
	)
	hint := widget.NewLabel("The report lists every exhibit with its citation, the statements and the sources' hashes.")
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	export := widget.NewButtonWithIcon("Export", theme.DocumentSaveIcon(), d.onExport)
	export.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons("Export report", container.NewVBox(hint, form), g.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, export})
	d.dlg.Resize(fyne.NewSize(620, 0))
	return d
}

// options reads the form.
func (d *reportDialog) options() (casefile.ReportOptions, error) {
	date, err := time.Parse("2006-01-02", strings.TrimSpace(d.date.Text))
	if err != nil {
		return casefile.ReportOptions{}, errors.New("the date must be written as YYYY-MM-DD")
	}
	var redact []string
	for _, w := range strings.Split(d.redact.Text, ",") {
		if w = strings.TrimSpace(w); w != "" {
			redact = append(redact, w)
		}
	}
	return casefile.ReportOptions{
		Marking: strings.TrimSpace(d.marking.Text), Bates: strings.TrimSpace(d.bates.Text),
		Paper: d.paper.Selected, Pseudonymise: d.pseudonymise.Checked, Redact: redact, Date: date,
	}, nil
}

// onChoose picks the PDF's path with a Save dialog.
func (d *reportDialog) onChoose() {
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		p := w.URI().Path()
		_ = w.Close()
		_ = os.Remove(p) // the dialog creates it; the report writes it whole or not at all
		if !strings.HasSuffix(strings.ToLower(p), ".pdf") {
			p += ".pdf"
		}
		d.path.SetText(p)
	}, d.g.win)
	fd.SetFileName(filepath.Base(d.path.Text))
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	setLocation(fd, filepath.Dir(d.path.Text))
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

// onExport writes the report as a job.
func (d *reportDialog) onExport() {
	opts, err := d.options()
	if err == nil && strings.TrimSpace(d.path.Text) == "" {
		err = errors.New("choose where to save the PDF")
	}
	if err != nil {
		dialog.ShowInformation("Check the report options", sentence(err), d.g.win)
		return
	}
	if !d.g.canStartJob() {
		return
	}
	path := strings.TrimSpace(d.path.Text)
	d.dlg.Hide()
	d.g.prog.start("Writing the report", func(ctx context.Context, _ casefile.ProgressFunc) error {
		return d.c.WriteReportFile(ctx, path, opts)
	}, func(err error) {
		if err != nil {
			d.g.showError("The report was not written", err)
		} else {
			d.showWritten(path)
		}
		if d.onDone != nil {
			d.onDone(path, err)
		}
	})
}

// showWritten says where the report is and offers to open it.
func (d *reportDialog) showWritten(path string) {
	where := widget.NewLabel(path)
	where.Wrapping = fyne.TextWrapBreak
	where.Selectable = true
	open := widget.NewButtonWithIcon("Open the PDF", theme.DocumentIcon(), func() {
		u := &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
		if err := d.g.app.OpenURL(u); err != nil {
			d.g.showError("Could not open the PDF", err)
		}
	})
	open.Importance = widget.HighImportance
	info := dialog.NewCustom("Report written", "Close", container.NewVBox(
		widget.NewLabel("The report was saved to"), where, container.NewHBox(open)), d.g.win)
	info.Resize(fyne.NewSize(560, 0))
	info.Show()
}

// onExportReport opens the report dialog (File → Export report…, Ctrl+E).
func (v *caseView) onExportReport() {
	d := newReportDialog(v.c, v.g, defaultReportPath(v.dir))
	v.reportDialog = d
	d.dlg.Show()
}

// defaultReportPath is beside the case folder, named after it.
func defaultReportPath(caseDir string) string {
	if caseDir == "" {
		return ""
	}
	abs, err := filepath.Abs(caseDir)
	if err != nil {
		abs = caseDir
	}
	return filepath.Join(filepath.Dir(abs), filepath.Base(abs)+"-report.pdf")
}
