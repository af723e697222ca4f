package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// importPicker gathers the files and folders of one import: the chooser
// ticks several at once, and the picker lists them with the import's
// options and offers to add more.
type importPicker struct {
	v       *caseView
	paths   []string
	list    *widget.List
	check   *dialogCheck
	bgIdx   *dialogCheck // index in the background
	dlg     dialog.Dialog
	chooser *fileChooser // the last one shown, for tests
}

// onImportFiles chooses files and folders to import, then shows them with
// the import's options.
func (v *caseView) onImportFiles() {
	if v.refuseChange() || !v.g.canStartJob() {
		return
	}
	p := &importPicker{v: v}
	p.choose()
}

// onImportFolder is onImportFiles: the chooser ticks folders as well.
func (v *caseView) onImportFolder() { v.onImportFiles() }

// choose shows the chooser; what is ticked joins the list.
func (p *importPicker) choose() {
	p.chooser = newFileChooser(p.v.g.win, p.v.g.app.Preferences(), func(paths []string) { p.add(paths...) })
	p.chooser.show()
}

// add puts paths on the list (once each) and shows the picker.
func (p *importPicker) add(paths ...string) {
	for _, path := range paths {
		if !slices.Contains(p.paths, path) {
			p.paths = append(p.paths, path)
		}
	}
	if p.dlg != nil {
		p.list.Refresh()
		return
	}
	p.list = widget.NewList(func() int { return len(p.paths) },
		func() fyne.CanvasObject { return truncLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(p.paths[id]) })
	more := container.NewHBox(
		widget.NewButtonWithIcon("Add files or folders…", theme.ContentAddIcon(), p.choose),
		widget.NewButtonWithIcon("Preview…", theme.VisibilityIcon(), func() { p.v.previewImport(p.paths) }),
	)
	p.check = newDialogCheck("Let me check the column mapping of every access log (CSV, TSV, JSON)", nil)
	p.bgIdx = newDialogCheck(fmt.Sprintf("Index for search in the background (done anyway above %d MB)", deferIndexAbove>>20), nil)
	bgHint := widget.NewLabel("In the background, the access-log table is usable at once and search catches up.")
	bgHint.Wrapping = fyne.TextWrapWord
	bgHint.Importance = widget.LowImportance
	content := container.NewBorder(nil, container.NewVBox(more, p.check, p.bgIdx, bgHint), nil, nil, p.list)
	p.dlg = dialog.NewCustomConfirm("Import into the case", "Import", "Cancel", content, func(ok bool) {
		if ok {
			p.v.startImportWith(p.paths, p.check.Checked, p.bgIdx.Checked)
		}
	}, p.v.g.win)
	p.dlg.Resize(fitWindow(p.v.g.win, fyne.NewSize(720, 380)))
	p.dlg.Show()
}

// importPlan is how one file is imported: with a mapping of its columns
// (and a profile name to save it under), or skipped.
type importPlan struct {
	mapping map[string]string
	saveAs  string
	skip    bool

	dateOrder string // --date-order for its numeric dates, "" to decide from the values
	noHeader  bool   // its first row is data (import --no-header)
}

// importFlow is one import request on its way: the files it covers, the
// logs whose columns the investigator is placing, and the plan for each.
type importFlow struct {
	v        *caseView
	files    []string
	refused  []casefile.ImportResult // files refused before reading: in the case already
	deferIdx bool                    // import without indexing, then catch the index up in the background
	pending  []casefile.LogPreview   // logs still to map, in order
	plans    map[string]importPlan
}

// runImport imports paths as given, asking for a mapping only where a log's
// columns are not placed with confidence.
func (v *caseView) runImport(paths []string) { v.startImport(paths, false) }

// startImport lists the files of paths and previews each in a goroutine;
// logs whose columns need placing go through the mapping dialog one by one
// (all tabular logs when checkAll), then everything is imported as one job.
func (v *caseView) startImport(paths []string, checkAll bool) {
	v.startImportWith(paths, checkAll, false)
}

// startImportWith is startImport that, when background is set or the files
// total more than deferIndexAbove, stores the records at once and builds
// their search index in the background afterwards. Listing, checking and
// previewing the files runs as a job with progress and Cancel: a folder of
// large logs takes a while.
func (v *caseView) startImportWith(paths []string, checkAll, background bool) {
	if len(paths) == 0 || v.preparing || v.refuseChange() || !v.g.canStartJob() {
		return
	}
	v.preparing = true
	var prep importPrep
	v.g.prog.start("Preparing the import of "+plural(int64(len(paths)), "path"), func(ctx context.Context, p casefile.ProgressFunc) error {
		var err error
		prep, err = v.prepareImport(ctx, paths, checkAll, background, p)
		return err
	}, func(err error) {
		v.preparing = false
		if v.g.cv != v {
			return
		}
		if err != nil {
			v.g.showError("The import did not start", err)
			return
		}
		f := &importFlow{v: v, files: prep.files, refused: prep.refused, pending: prep.need,
			plans: map[string]importPlan{}, deferIdx: prep.deferIndex}
		f.next(prep.profiles)
	})
}

// importPrep is what an import learnt of its files before asking anything:
// the files to read, those refused already (in the case), the logs whose
// columns need placing, and whether to index in the background.
type importPrep struct {
	files      []string
	refused    []casefile.ImportResult
	need       []casefile.LogPreview
	profiles   []casefile.MappingProfile
	deferIndex bool
}

// prepareImport lists the files of paths, refuses those whose bytes are in
// the case already, and previews the rest to find the logs whose columns
// need placing (all tabular logs when checkAll). It runs on the job's
// goroutine.
func (v *caseView) prepareImport(ctx context.Context, paths []string, checkAll, background bool, progress casefile.ProgressFunc) (importPrep, error) {
	var prep importPrep
	files, err := casefile.ImportFiles(paths)
	if err != nil {
		files = paths // the import reports each bad path as a failed file
	}
	dup, err := v.c.AlreadyInCase(ctx, files, progress)
	if err != nil {
		return prep, err
	}
	var size int64
	for _, f := range files {
		if e := dup[f]; e != nil {
			prep.refused = append(prep.refused, casefile.ImportResult{File: f, Err: e})
			continue
		}
		prep.files = append(prep.files, f)
		if st, err := os.Stat(f); err == nil {
			size += st.Size()
		}
	}
	prep.deferIndex = background || size > deferIndexAbove
	for i, f := range prep.files {
		if err := ctx.Err(); err != nil {
			return prep, err
		}
		if progress != nil {
			progress(casefile.Progress{Stage: "check", File: f, Done: int64(i), Total: int64(len(prep.files))})
		}
		pv, err := v.c.PreviewLog(ctx, f, casefile.ImportOptions{}, previewRows)
		if err != nil {
			continue // the import will say what is wrong with it
		}
		if pv.NeedsMapping() || (checkAll && pv.Tabular && pv.Kind != string(model.KindTranscript)) {
			prep.need = append(prep.need, pv)
		}
	}
	if len(prep.need) > 0 {
		prep.profiles = loadMappingProfiles(ctx, v.c)
	}
	return prep, nil
}

// next shows the mapping dialog for the next log that needs one, or starts
// the import when none is left.
func (f *importFlow) next(profiles []casefile.MappingProfile) {
	if len(f.pending) == 0 {
		f.run()
		return
	}
	pv := f.pending[0]
	f.pending = f.pending[1:]
	d := newMappingDialog(f.v.g.win, pv, profiles)
	d.onImport = func(m map[string]string, saveAs string) {
		f.plans[pv.File] = importPlan{mapping: m, saveAs: saveAs, dateOrder: d.dateOrder(), noHeader: pv.NoHeader}
		f.next(profiles)
	}
	d.onSkip = func() {
		f.plans[pv.File] = importPlan{skip: true}
		f.next(profiles)
	}
	f.v.mapDialog = d
	d.dlg.Show()
}

// run imports the files as one job: those without a plan together, then
// each mapped log with its mapping.
func (f *importFlow) run() {
	v := f.v
	var plain, mapped, all []string
	for _, p := range f.files {
		plan, ok := f.plans[p]
		switch {
		case plan.skip:
			continue
		case ok:
			mapped = append(mapped, p)
		default:
			plain = append(plain, p)
		}
		all = append(all, p)
	}
	if len(all) == 0 && len(f.refused) > 0 {
		v.showImportResults(f.refused, nil, nil)
		return
	}
	if len(all) == 0 {
		dialog.ShowInformation("Nothing imported", "Every file was skipped, so nothing was imported.", v.g.win)
		return
	}
	if !v.g.canStartJob() {
		return
	}
	results := slices.Clone(f.refused)
	title := "Importing " + plural(int64(len(all)), "file")
	v.g.prog.startFiles(title, all, func(ctx context.Context, p casefile.ProgressFunc) error {
		agg := newImportProgress(all, p)
		if len(plain) > 0 {
			res, err := v.c.Import(ctx, plain, casefile.ImportOptions{DeferIndex: f.deferIdx}, agg.report)
			results = append(results, res...)
			if err != nil {
				return err
			}
		}
		for _, path := range mapped {
			plan := f.plans[path]
			res, err := v.c.Import(ctx, []string{path}, casefile.ImportOptions{Kind: model.KindAccessLog,
				Map: plan.mapping, SaveAs: plan.saveAs, DeferIndex: f.deferIdx, DateOrder: plan.dateOrder, NoHeader: plan.noHeader}, agg.report)
			results = append(results, res...)
			if err != nil {
				return err
			}
		}
		return nil
	}, func(err error) {
		imported := 0
		for _, r := range results {
			if r.Err == nil {
				imported++
			}
		}
		background := f.deferIdx && imported > 0
		if v.g.cv == v {
			v.reload()
			v.results.rerun()
			if background {
				v.startCatchUp()
			}
		}
		var saved []string
		for _, path := range mapped {
			if n := f.plans[path].saveAs; n != "" {
				for _, r := range results {
					if r.File == path && r.Err == nil {
						saved = append(saved, n)
					}
				}
			}
		}
		v.showImportResults(results, err, saved)
		if background && v.importResults != nil {
			r := v.importResults
			r.summary.SetText(r.summary.Text + " Search is being indexed in the background (see the strip at the bottom): " +
				"its results are incomplete until it finishes; the access-log table is complete now.")
		}
	})
}

// importProgress turns an import's reports into one run over all its files:
// bytes read of all the files' bytes, so the panel can tell the speed and
// the time left.
type importProgress struct {
	index  map[string]int
	before []int64 // bytes of the files before each
	sizes  []int64
	total  int64
	out    casefile.ProgressFunc
}

func newImportProgress(files []string, out casefile.ProgressFunc) *importProgress {
	ip := &importProgress{index: map[string]int{}, out: out}
	for i, f := range files {
		ip.index[f] = i
		var size int64
		if st, err := os.Stat(f); err == nil {
			size = st.Size()
		}
		ip.before = append(ip.before, ip.total)
		ip.sizes = append(ip.sizes, size)
		ip.total += size
	}
	return ip
}

// report passes a report on, an import stage's counted over all the files.
func (ip *importProgress) report(pr casefile.Progress) {
	if ip.out == nil {
		return
	}
	file, _, _ := strings.Cut(pr.File, "!") // an archive's entry counts as the archive
	i, ok := ip.index[file]
	if pr.Stage != "import" || !ok || ip.total == 0 {
		ip.out(pr)
		return
	}
	done := ip.before[i]
	if pr.Total == ip.sizes[i] {
		done += min(pr.Done, pr.Total)
	}
	ip.out(casefile.Progress{Stage: "import", File: file, Done: done, Total: ip.total})
}

// importColumns are the widths of a row of import results: file, source,
// format, records, rows/s, rejects, warnings; the outcome takes the rest.
var importColumns = columns{220, 64, 140, 76, 76, 64, 70}

// importResults is the dialog listing what became of each file, with the
// selected file's warnings and error in full and its rejected rows on
// request.
type importResults struct {
	results []casefile.ImportResult
	list    *widget.List
	summary *widget.Label
	detail  *widget.Label
	rejects *widget.Button
	dlg     *dialog.CustomDialog
}

// showImportResults lists each file's outcome: its source id, format,
// records, speed, rejects, warnings and error; saved names the mapping
// profiles saved.
func (v *caseView) showImportResults(results []casefile.ImportResult, err error, saved []string) {
	d := &importResults{results: results}
	row := func() *fyne.Container {
		objs := make([]fyne.CanvasObject, 8)
		for i := range objs {
			objs[i] = truncLabel("")
		}
		return container.New(importColumns, objs...)
	}
	header := row()
	for i, h := range []string{"File", "Source", "Format", "Records", "Rows/s", "Rejects", "Warnings", "Result"} {
		l := header.Objects[i].(*widget.Label)
		l.SetText(h)
		l.TextStyle.Bold = true
	}
	d.list = widget.NewList(func() int { return len(d.results) },
		func() fyne.CanvasObject { return row() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(d.results) {
				return
			}
			cells := importRow(d.results[id])
			for i, obj := range o.(*fyne.Container).Objects {
				obj.(*widget.Label).SetText(cells[i])
			}
		})
	var failed, inCase int
	for _, r := range results {
		switch {
		case errors.Is(r.Err, model.ErrDuplicate):
			inCase++
		case r.Err != nil:
			failed++
		}
	}
	summary := fmt.Sprintf("%s imported, %d failed.", plural(int64(len(results)-failed-inCase), "file"), failed)
	if inCase > 0 {
		summary += fmt.Sprintf(" %s already in the case, not read again.", plural(int64(inCase), "file"))
	}
	if err != nil {
		summary += " " + sentence(err)
	}
	if len(saved) > 0 {
		summary += " Mapping saved as " + strings.Join(saved, ", ") + "."
	}
	if failed > 0 {
		summary += " Select a file to see why."
	}
	d.summary = widget.NewLabel(summary)
	d.summary.Wrapping = fyne.TextWrapWord
	d.detail = widget.NewLabel("Select a file to see its warnings.")
	d.detail.Wrapping = fyne.TextWrapWord
	d.detail.Selectable = true
	d.rejects = widget.NewButtonWithIcon("Show the rejected rows…", theme.ListIcon(), nil)
	d.rejects.Hide()
	d.list.OnSelected = func(id widget.ListItemID) {
		if id >= len(d.results) {
			return
		}
		r := d.results[id]
		d.detail.SetText(importDetail(r))
		d.rejects.Hide()
		if r.Rejects > 0 && r.SourceID != "" {
			src := r.SourceID
			d.rejects.SetText(fmt.Sprintf("Show the %s…", plural(r.Rejects, "rejected row")))
			d.rejects.OnTapped = func() { v.showRejects(src) }
			d.rejects.Show()
		}
	}
	detail := container.NewVScroll(d.detail)
	detail.SetMinSize(fyne.NewSize(0, 90))
	bottom := container.NewVBox(widget.NewSeparator(), detail, d.rejects)
	content := container.NewBorder(container.NewVBox(d.summary, header), bottom, nil, nil, d.list)
	d.dlg = dialog.NewCustom("Import results", "Close", content, v.g.win)
	d.dlg.Resize(fitWindow(v.g.win, fyne.NewSize(1080, 520)))
	v.importResults = d
	d.dlg.Show()
	if len(results) == 1 || failed > 0 {
		for i, r := range results {
			if len(results) == 1 || r.Err != nil {
				d.list.Select(i)
				break
			}
		}
	}
}

// importRow is one file's outcome as the cells of a row.
func importRow(r casefile.ImportResult) []string {
	if r.Err != nil {
		return []string{filepath.Base(r.File), "—", r.Format, "—", "—", "—", "—", "✗ " + sentence(r.Err)}
	}
	speed := "—"
	if r.Seconds > 0 {
		speed = thousands(int64(float64(r.Records) / r.Seconds))
	}
	return []string{filepath.Base(r.File), r.SourceID, r.Format, thousands(r.Records), speed,
		thousands(r.Rejects), strconv.Itoa(len(r.Warnings)), "✓ imported"}
}

// importDetail is everything about one file's import, for the panel under
// the list.
func importDetail(r casefile.ImportResult) string {
	var b strings.Builder
	b.WriteString(r.File)
	if r.Err != nil {
		b.WriteString("\nNot imported: " + sentence(r.Err))
		b.WriteString("\n" + importAdvice(r.Err))
		return b.String()
	}
	fmt.Fprintf(&b, "\n%s as %s (%s), %s, %s rejected, in %.1f s.", r.SourceID, r.Format, r.Encoding,
		plural(r.Records, "record"), thousands(r.Rejects), r.Seconds)
	if len(r.Warnings) == 0 {
		b.WriteString("\nNo warnings.")
	}
	for _, w := range r.Warnings {
		b.WriteString("\n⚠ " + w)
	}
	return b.String()
}

// importAdvice says what to do about a file that was not imported.
func importAdvice(err error) string {
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "already in the case"):
		return "Nothing to do: the file is in the case already."
	case strings.Contains(msg, "no column placed for: time"), strings.Contains(msg, "mapping"):
		return "Import it again and choose the columns in the mapping dialog (tick “Let me check the column mapping”)."
	case strings.Contains(msg, "unknown format"), strings.Contains(msg, "no format"):
		return "Casebook does not read this kind of file; Help lists the formats it reads."
	case strings.Contains(msg, "cancel"):
		return "Import the file again to finish it; nothing of it was kept."
	}
	return "Fix the file, or import it with a mapping, and try again; nothing of it was kept."
}

// showRejects lists the rows an import refused, with line, row, reason and
// raw text.
func (v *caseView) showRejects(sourceID string) {
	id, err := model.ParseItemID(sourceID)
	if err != nil {
		return
	}
	v.g.bg.spawn(func() {
		rs, err := v.c.Rejects(context.Background(), id.N)
		v.g.bg.do(func() {
			if err != nil {
				v.g.showError("Could not list the rejected rows", err)
				return
			}
			list := widget.NewList(func() int { return len(rs) },
				func() fyne.CanvasObject {
					return container.New(columns{70, 60, 320}, truncLabel(""), truncLabel(""), truncLabel(""), truncLabel(""))
				},
				func(i widget.ListItemID, o fyne.CanvasObject) {
					if i >= len(rs) {
						return
					}
					r := rs[i]
					c := o.(*fyne.Container).Objects
					c[0].(*widget.Label).SetText("line " + strconv.Itoa(r.Line))
					c[1].(*widget.Label).SetText("row " + strconv.Itoa(r.Row))
					c[2].(*widget.Label).SetText(r.Reason)
					c[3].(*widget.Label).SetText(oneLine(r.Raw))
				})
			d := dialog.NewCustom(fmt.Sprintf("Rejected rows of %s (%d)", sourceID, len(rs)), "Close", list, v.g.win)
			d.Resize(fitWindow(v.g.win, fyne.NewSize(1000, 460)))
			d.Show()
		})
	})
}

// onDropped imports what is dropped on the window; on the start screen a
// dropped case folder opens.
func (g *gui) onDropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u != nil && u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	if len(paths) == 0 {
		return
	}
	if g.cv != nil {
		g.cv.startImport(paths, false)
		return
	}
	if len(paths) == 1 && casefile.IsCase(paths[0]) {
		g.openCase(paths[0])
		return
	}
	dialog.ShowInformation("No case open",
		"Open or create a case first, then drop files or folders on the window to import them. A case folder dropped here opens.", g.win)
}
