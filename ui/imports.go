package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// importPicker gathers the files and folders of one import: the file dialog
// picks one at a time, so the picker lists them and offers to add more.
type importPicker struct {
	v     *caseView
	paths []string
	list  *widget.List
	dlg   dialog.Dialog
}

// onImportFiles picks a file to import, then offers to add more.
func (v *caseView) onImportFiles() {
	if !v.g.canStartJob() {
		return
	}
	p := &importPicker{v: v}
	p.pickFile()
}

// onImportFolder picks a folder to import (its files, recursively).
func (v *caseView) onImportFolder() {
	if !v.g.canStartJob() {
		return
	}
	p := &importPicker{v: v}
	p.pickFolder()
}

func (p *importPicker) pickFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			p.v.g.showError("Could not pick the file", err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		p.add(path)
	}, p.v.g.win)
	p.locate(d)
	d.Show()
}

func (p *importPicker) pickFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			p.v.g.showError("Could not pick the folder", err)
			return
		}
		if u != nil {
			p.add(u.Path())
		}
	}, p.v.g.win)
	p.locate(d)
	d.Show()
}

// locate starts a file dialog beside the last path picked.
func (p *importPicker) locate(d *dialog.FileDialog) {
	if n := len(p.paths); n > 0 {
		setLocation(d, filepath.Dir(p.paths[n-1]))
	}
	d.Resize(fyne.NewSize(900, 600))
}

// add puts a path on the list and shows the picker.
func (p *importPicker) add(path string) {
	p.paths = append(p.paths, path)
	if p.dlg != nil {
		p.list.Refresh()
		return
	}
	p.list = widget.NewList(func() int { return len(p.paths) },
		func() fyne.CanvasObject { return truncLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(p.paths[id]) })
	more := container.NewHBox(
		widget.NewButtonWithIcon("Add file…", theme.FileIcon(), p.pickFile),
		widget.NewButtonWithIcon("Add folder…", theme.FolderIcon(), p.pickFolder),
	)
	content := container.NewBorder(nil, more, nil, nil, p.list)
	p.dlg = dialog.NewCustomConfirm("Import into the case", "Import", "Cancel", content, func(ok bool) {
		if ok {
			p.v.runImport(p.paths)
		}
	}, p.v.g.win)
	p.dlg.Resize(fyne.NewSize(720, 360))
	p.dlg.Show()
}

// runImport imports paths as a job and shows what became of each file.
func (v *caseView) runImport(paths []string) {
	if !v.g.canStartJob() {
		return
	}
	var results []casefile.ImportResult
	title := "Importing " + plural(int64(len(paths)), "item")
	v.g.prog.start(title, func(ctx context.Context, p casefile.ProgressFunc) error {
		var err error
		results, err = v.c.Import(ctx, paths, casefile.ImportOptions{}, p)
		return err
	}, func(err error) {
		if v.g.cv == v {
			v.reload()
			v.results.rerun()
		}
		showImportResults(v.g.win, results, err)
	})
}

// importColumns are the widths of a row of import results: file, source,
// format, records, warnings; the outcome takes the rest.
var importColumns = columns{220, 70, 150, 70, 70}

// showImportResults lists each file's outcome: its source id, format,
// records, warnings and error.
func showImportResults(win fyne.Window, results []casefile.ImportResult, err error) {
	row := func() *fyne.Container {
		return container.New(importColumns, truncLabel(""), truncLabel(""), truncLabel(""), truncLabel(""), truncLabel(""), truncLabel(""))
	}
	header := row()
	for i, h := range []string{"File", "Source", "Format", "Records", "Warnings", "Result"} {
		l := header.Objects[i].(*widget.Label)
		l.SetText(h)
		l.TextStyle.Bold = true
	}
	list := widget.NewList(func() int { return len(results) },
		func() fyne.CanvasObject { return row() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			cells := importRow(results[id])
			for i, obj := range o.(*fyne.Container).Objects {
				obj.(*widget.Label).SetText(cells[i])
			}
		})
	var failed int
	for _, r := range results {
		if r.Err != nil {
			failed++
		}
	}
	summary := fmt.Sprintf("%s imported, %d failed.", plural(int64(len(results)-failed), "file"), failed)
	if err != nil {
		summary += " " + sentence(err)
	}
	content := container.NewBorder(container.NewVBox(widget.NewLabel(summary), header), nil, nil, nil, list)
	d := dialog.NewCustom("Import results", "Close", content, win)
	d.Resize(fyne.NewSize(1000, 420))
	d.Show()
}

// importRow is one file's outcome as the cells of a row.
func importRow(r casefile.ImportResult) []string {
	if r.Err != nil {
		return []string{filepath.Base(r.File), "—", r.Format, "—", "—", "✗ " + sentence(r.Err)}
	}
	return []string{filepath.Base(r.File), r.SourceID, r.Format, strconv.FormatInt(r.Records, 10),
		strconv.Itoa(len(r.Warnings)), "✓ imported"}
}
