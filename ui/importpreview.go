package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// The import dialog's preview: the files read as the import would read
// them (casefile.DryRunImport) and what would be stored and rejected
// shown, with nothing stored.

// dryRunner is the case's dry run of an import.
type dryRunner interface {
	DryRunImport(ctx context.Context, paths []string, opts casefile.ImportOptions, show int) ([]casefile.DryRunResult, error)
}

// previewShow is how many records and rejections the preview shows per file.
const previewShow = 5

// previewImport reads paths in the background and shows what importing
// them would store and reject.
func (v *caseView) previewImport(paths []string) {
	if len(paths) == 0 {
		return
	}
	if !v.g.canStartJob() {
		return
	}
	// A job, with progress and Cancel: a dry run reads every file whole.
	var res []casefile.DryRunResult
	v.g.prog.start("Previewing "+plural(int64(len(paths)), "path"), func(ctx context.Context, _ casefile.ProgressFunc) error {
		var err error
		res, err = v.c.DryRunImport(ctx, paths, casefile.ImportOptions{}, previewShow)
		return err
	}, func(err error) {
		if v.g.cv != v {
			return
		}
		v.showDryRun(res, err)
	})
}

// showDryRun shows a dry run's outcome in a dialog.
func (v *caseView) showDryRun(res []casefile.DryRunResult, err error) {
	text := widget.NewLabel(dryRunText(res, err))
	text.Wrapping = fyne.TextWrapWord
	text.TextStyle = fyne.TextStyle{Monospace: true}
	d := dialog.NewCustom("Import preview — nothing was stored", "Close", container.NewVScroll(text), v.g.win)
	d.Resize(fitWindow(v.g.win, fyne.NewSize(860, 520)))
	v.dryRunText = text
	d.Show()
}

// dryRunText is what the preview says about each file: the format, what
// would be stored and rejected, the first records, the first rejected rows
// with their reasons, and why a file would be refused.
func dryRunText(res []casefile.DryRunResult, err error) string {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "The preview stopped: %v\n\n", err)
	}
	for i, r := range res {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n", r.File)
		if r.Format != "" {
			fmt.Fprintf(&b, "  read as %s: %s would be stored, %s rejected\n", r.Format, plural(r.Records, "record"), plural(r.Rejects, "row"))
		}
		switch {
		case r.Err != nil:
			fmt.Fprintf(&b, "  would not be imported: %v\n", r.Err)
		case r.Duplicate != "":
			fmt.Fprintf(&b, "  would not be imported: already in the case as %s\n", r.Duplicate)
		}
		if len(r.First) > 0 {
			b.WriteString("  first records:\n")
			for _, l := range r.First {
				fmt.Fprintf(&b, "    %s\n", l)
			}
		}
		if len(r.FirstRej) > 0 {
			b.WriteString("  first rejected:\n")
			for _, rj := range r.FirstRej {
				where := fmt.Sprintf("line %d", rj.Line)
				if rj.Row > 0 {
					where = fmt.Sprintf("row %d", rj.Row)
				}
				fmt.Fprintf(&b, "    %s: %s\n", where, rj.Reason)
			}
		}
		for _, w := range r.Warnings {
			fmt.Fprintf(&b, "  note: %s\n", w)
		}
	}
	return b.String()
}
