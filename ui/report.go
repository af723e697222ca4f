package ui

import (
	"context"
	"errors"
	"fmt"
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
	ReportPreview(ctx context.Context, opts casefile.ReportOptions) (casefile.ReportOutline, error)
	Tags(ctx context.Context) ([]casefile.TagInfo, error)
	Statements(ctx context.Context) ([]casefile.Statement, error)
}

// defaultMarking is the marking a new report starts with.
const defaultMarking = "CONFIDENTIAL — PREPARED FOR COUNSEL"

// reportDialog asks for the report's options and where to save the PDF,
// previews what the report will hold as the options change, writes it as a
// job, then opens it with the system viewer.
type reportDialog struct {
	c reportWriter
	g *gui

	marking, bates, redact, date, path *dialogEntry
	paper                              *dialogSelect
	pseudonymise, openAfter            *dialogCheck
	tags, statements                   *widget.CheckGroup
	preview                            *widget.RichText
	dlg                                *dialog.CustomDialog

	// Touched on the UI goroutine only.
	stmtIDs map[string]int64 // statement check label -> id
	gen     int
	outline casefile.ReportOutline // the last preview shown

	onDone  func(path string, err error) // after the job, for tests
	replace *dialog.CustomDialog         // the last "Replace …?" asked, for tests
}

// newReportDialog builds the dialog; the PDF goes to path unless changed.
func newReportDialog(c reportWriter, g *gui, path string) *reportDialog {
	d := &reportDialog{c: c, g: g, stmtIDs: map[string]int64{}}
	changed := func(string) { d.refreshPreview() }
	d.marking = newEntry()
	d.marking.SetText(defaultMarking)
	d.bates = newEntry()
	d.bates.SetPlaceHolder("e.g. CB (empty: no Bates numbers)")
	d.paper = newDialogSelect([]string{"A4", "Letter"}, nil)
	d.paper.SetSelected("A4")
	d.pseudonymise = newDialogCheck("People become Employee A, B, …", func(bool) { d.refreshPreview() })
	d.redact = newEntry()
	d.redact.SetPlaceHolder("names or words, comma-separated")
	d.date = newEntry()
	d.date.SetText(time.Now().UTC().Format("2006-01-02"))
	d.date.Validator = func(s string) error {
		if _, err := time.Parse("2006-01-02", strings.TrimSpace(s)); err != nil {
			return errors.New("write the date as YYYY-MM-DD")
		}
		return nil
	}
	d.path = newEntry()
	d.path.SetText(path)
	d.path.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("choose where to save the PDF")
		}
		return nil
	}
	d.tags = widget.NewCheckGroup(nil, func([]string) { d.refreshPreview() })
	d.statements = widget.NewCheckGroup(nil, func([]string) { d.refreshPreview() })
	d.openAfter = newDialogCheck("Open it in the PDF viewer when written", nil)
	d.openAfter.SetChecked(true)
	choose := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), d.onChoose)
	form := widget.NewForm(
		widget.NewFormItem("Marking", d.marking),
		widget.NewFormItem("Bates prefix", d.bates),
		widget.NewFormItem("Paper", d.paper),
		widget.NewFormItem("Pseudonymise", d.pseudonymise),
		widget.NewFormItem("Redact", d.redact),
		widget.NewFormItem("Date", d.date),
		widget.NewFormItem("Save as", container.NewBorder(nil, nil, nil, choose, d.path)),
		widget.NewFormItem("", d.openAfter),
	)
	d.redact.OnChanged = changed
	pick := func(title, hint string, g *widget.CheckGroup) fyne.CanvasObject {
		h := widget.NewLabel(hint)
		h.Importance = widget.LowImportance
		h.Wrapping = fyne.TextWrapWord
		return container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), h, g)
	}
	left := container.NewVScroll(container.NewVBox(form,
		pick("Tags", "Only the evidence of the ticked tags; none ticked: every tag.", d.tags),
		pick("Statements", "Only the ticked statements; none ticked: every statement.", d.statements)))
	d.preview = widget.NewRichText()
	d.preview.Wrapping = fyne.TextWrapWord
	right := container.NewBorder(widget.NewLabelWithStyle("What the report will hold", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, container.NewVScroll(d.preview))
	split := container.NewHSplit(left, right)
	split.SetOffset(0.5)

	export := widget.NewButtonWithIcon("Export", theme.DocumentSaveIcon(), d.onExport)
	export.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons("Export report", split, g.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, export})
	d.dlg.Resize(fitWindow(g.win, fyne.NewSize(1100, 720)))
	d.preview.Segments = previewText("Reading the case…")
	return d
}

// load offers the case's tags with evidence and its statements, then
// previews the report.
func (d *reportDialog) load() {
	d.g.bg.spawn(func() {
		ctx := context.Background()
		tags, terr := d.c.Tags(ctx)
		sts, serr := d.c.Statements(ctx)
		d.g.bg.do(func() {
			if err := firstErr(terr, serr); err != nil {
				d.preview.Segments = previewText("Could not read the case: " + sentence(err))
				d.preview.Refresh()
				return
			}
			var names []string
			for _, t := range tags {
				if !t.Deleted && t.MergedInto == "" && t.Confirmed > 0 {
					names = append(names, fmt.Sprintf("%s (%d)", t.Name, t.Confirmed))
				}
			}
			d.tags.Options = names
			d.tags.Refresh()
			var labels []string
			for _, s := range sts {
				l := fmt.Sprintf("%s, %s: “%s”", clipRunes(s.Who, 24), s.When, clipRunes(oneLine(s.Words), 36))
				d.stmtIDs[l] = s.ID
				labels = append(labels, l)
			}
			d.statements.Options = labels
			d.statements.Refresh()
			d.refreshPreview()
		})
	})
}

// clipRunes shortens s to n characters with an ellipsis.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// options reads the form.
func (d *reportDialog) options() (casefile.ReportOptions, error) {
	date, err := time.Parse("2006-01-02", strings.TrimSpace(d.date.Text))
	if err != nil {
		return casefile.ReportOptions{}, errors.New("the date must be written as YYYY-MM-DD")
	}
	var tags []string
	for _, t := range d.tags.Selected {
		name, _, _ := strings.Cut(t, " (")
		tags = append(tags, name)
	}
	var sts []int64
	for _, s := range d.statements.Selected {
		sts = append(sts, d.stmtIDs[s])
	}
	return casefile.ReportOptions{
		Marking: strings.TrimSpace(d.marking.Text), Bates: strings.TrimSpace(d.bates.Text),
		Paper: d.paper.Selected, Pseudonymise: d.pseudonymise.Checked, Redact: splitList(d.redact.Text), Date: date,
		Tags: tags, Statements: sts,
	}, nil
}

// refreshPreview outlines the report with the current options in a
// goroutine; a newer change wins.
func (d *reportDialog) refreshPreview() {
	opts, err := d.options()
	if err != nil {
		d.preview.Segments = previewText(sentence(err))
		d.preview.Refresh()
		return
	}
	d.gen++
	gen := d.gen
	d.g.bg.spawn(func() {
		out, err := d.c.ReportPreview(context.Background(), opts)
		d.g.bg.do(func() {
			if gen != d.gen {
				return
			}
			if err != nil {
				d.preview.Segments = previewText("Could not outline the report: " + sentence(err))
			} else {
				d.outline = out
				d.preview.Segments = outlineSegments(out)
			}
			d.preview.Refresh()
		})
	})
}

// previewText is one paragraph for the preview.
func previewText(s string) []widget.RichTextSegment {
	return []widget.RichTextSegment{&widget.TextSegment{Text: s, Style: widget.RichTextStyleParagraph}}
}

// outlineSegments renders a report's outline: the summary, then each
// findings section with its exhibits, then the appendices.
func outlineSegments(o casefile.ReportOutline) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	head := func(s string) {
		segs = append(segs, &widget.TextSegment{Text: s, Style: widget.RichTextStyle{
			ColorName: theme.ColorNameForeground, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameText}})
	}
	para := func(s string) {
		segs = append(segs, &widget.TextSegment{Text: s, Style: widget.RichTextStyleParagraph})
	}
	list := func(items []string) {
		var ls []widget.RichTextSegment
		for _, it := range items {
			ls = append(ls, &widget.ParagraphSegment{Texts: []widget.RichTextSegment{
				&widget.TextSegment{Text: it, Style: widget.RichTextStyleInline}}})
		}
		if len(ls) > 0 {
			segs = append(segs, &widget.ListSegment{Items: ls})
		}
	}
	head("Summary")
	para(fmt.Sprintf("%s in %s; %s from %s.", plural(int64(o.Exhibits), "exhibit"), plural(int64(len(o.Sections)), "findings section"),
		plural(int64(o.Sources), "source"), "the chain of custody"))
	if len(o.ByTag) > 0 {
		para("Exhibits by tag: " + strings.Join(o.ByTag, ", ") + ".")
	}
	if o.People > 0 {
		para(fmt.Sprintf("%s pseudonymised as Employee A, B, …", plural(int64(o.People), "person")))
	}
	if o.Redacted > 0 {
		para(fmt.Sprintf("%s withheld by the redact tag: numbered and cited, content barred.", plural(int64(o.Redacted), "exhibit")))
	}
	if len(o.Sections) == 0 {
		para("No findings: accept suggestions or tag items, or tick other tags and statements.")
	}
	for _, s := range o.Sections {
		head(s.Title)
		if len(s.Exhibits) == 0 {
			para("No evidence linked yet.")
			continue
		}
		list(s.Exhibits)
	}
	head("Appendices")
	list([]string{
		fmt.Sprintf("Chain of custody: %s with their SHA-256", plural(int64(o.Sources), "source")),
		fmt.Sprintf("Methodology: the policy and %s as run", plural(int64(o.Rules), "rule")),
		fmt.Sprintf("Saved searches: %d", o.Searches),
		fmt.Sprintf("Audit trail: %s", plural(int64(o.Audit), "entry")),
	})
	return segs
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
	open := d.openAfter.Checked
	d.replace = d.g.askBeforeReplacing(strings.TrimSpace(d.path.Text), func(path string) { d.write(path, opts, open) })
}

// write writes the report to path as a job.
func (d *reportDialog) write(path string, opts casefile.ReportOptions, open bool) {
	if !d.g.canStartJob() {
		return
	}
	d.dlg.Hide()
	d.g.prog.start("Writing the report", func(ctx context.Context, _ casefile.ProgressFunc) error {
		return d.c.WriteReportFile(ctx, path, opts)
	}, func(err error) {
		if err != nil {
			d.g.showError("The report was not written", err)
		} else {
			d.showWritten(path)
			if open {
				d.g.openFile(path)
			}
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
	open := widget.NewButtonWithIcon("Open the PDF", theme.DocumentIcon(), func() { d.g.openFile(path) })
	open.Importance = widget.HighImportance
	info := dialog.NewCustom("Report written", "Close", container.NewVBox(
		widget.NewLabel("The report was saved to"), where, container.NewHBox(open)), d.g.win)
	info.Resize(fyne.NewSize(560, 0))
	info.Show()
}

// openFile opens a file with the system's viewer in a goroutine, saying
// what to do when that fails.
func (g *gui) openFile(path string) {
	opener := g.opener
	g.bg.spawn(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := opener(ctx, path)
		if err == nil {
			return
		}
		g.bg.do(func() {
			g.showError("Could not open the PDF", fmt.Errorf("%s. Open %s from your file manager", firstLine(err), path))
		})
	})
}

// onExportReport opens the report dialog (File → Export report…, Ctrl+E).
func (v *caseView) onExportReport() {
	if v.refuseChange() {
		return
	}
	d := newReportDialog(v.c, v.g, freeOutputPath(defaultReportPath(v.dir)))
	v.reportDialog = d
	d.dlg.Show()
	d.load()
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
