package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// What the window's smaller tools need from a case: exports, saved
// searches, rules, batch searches and tags.
type toolKeeper interface {
	Export(ctx context.Context, w io.Writer, opts casefile.ExportOptions) (int, error)
	DeleteSearch(ctx context.Context, name string) error
	SaveRule(ctx context.Context, r casefile.Rule) error
	BatchSearch(ctx context.Context, terms []casefile.BatchTerm, base casefile.Query) ([]casefile.BatchResult, error)
	CreateTag(ctx context.Context, name, color, description string) (model.Tag, error)
	RenameTag(ctx context.Context, from, to string) error
	MergeTag(ctx context.Context, from, into string) error
	DeleteTag(ctx context.Context, name string) error
}

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
// search as CSV or JSON Lines, or the case as FollowTheMoney entities.
type exportDialog struct {
	v          *caseView
	what       *widget.RadioGroup
	format     *widget.Select
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
	d.format = widget.NewSelect([]string{formatCSV, formatJSONL, formatFtM}, func(f string) {
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
		opts.Format = casefile.ExportFtM
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
	v.g.prog.start("Exporting", func(ctx context.Context, _ casefile.ProgressFunc) error {
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

// rulesDialog is Evidence → Edit rules…: every rule, enabled or not, with
// its condition and explanation to change.
type rulesDialog struct {
	v           *caseView
	rules       []casefile.Rule
	selected    int
	list        *widget.List
	enabled     *widget.Check
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
	d.enabled = widget.NewCheck("Enabled: Run rules runs it", nil)
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

// batchDialog is Search → Batch search…: a list of terms, each counted
// within the current filters, a row to run any of them.
type batchDialog struct {
	v       *caseView
	terms   *dialogEntry
	within  *widget.Check
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
	d.within = widget.NewCheck("Only within the current filters", nil)
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
	into     *widget.Select        // its merge target
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
	into := widget.NewSelect(others, nil)
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
