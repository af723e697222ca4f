package ui

import (
	"context"
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// verifier is what the verify views need of the case.
type verifier interface {
	VerifyWith(ctx context.Context, opts casefile.VerifyOptions, progress casefile.ProgressFunc) (casefile.VerifyReport, error)
	CheckReport(ctx context.Context, pdf []byte) (casefile.ReportCheck, error)
	Event(ctx context.Context, id int64) (model.Event, error)
	Segment(ctx context.Context, id int64) (model.Segment, error)
	Source(ctx context.Context, id int64) (model.Source, error)
}

// onVerifyDeep verifies the case and also parses every original again.
func (v *caseView) onVerifyDeep() { v.verify(true) }

// verify checks the case as a job and shows what it found.
func (v *caseView) verify(deep bool) {
	if v.refuseWhileIndexing("verify the case") || !v.g.canStartJob() {
		return
	}
	var rep casefile.VerifyReport
	title := "Verifying the case"
	if deep {
		title = "Verifying the case and reading every original again"
	}
	v.g.prog.start(title, func(ctx context.Context, p casefile.ProgressFunc) error {
		var err error
		rep, err = v.c.VerifyWith(ctx, casefile.VerifyOptions{Deep: deep}, p)
		return err
	}, func(err error) {
		if err != nil {
			v.g.showError("Verification failed", err)
			return
		}
		v.showVerifyReport(rep)
	})
}

// showVerifyReport shows verify's outcome: a line per finding, with Open for
// the record it names.
func (v *caseView) showVerifyReport(rep casefile.VerifyReport) {
	var notes []string
	for _, u := range rep.Unsealed {
		notes = append(notes, u+" was imported before Casebook sealed records: its records are not checked against a seal.")
	}
	if rep.Deep != nil {
		notes = append(notes, rep.Deep.Notes...)
	}
	if rep.OK {
		msg := fmt.Sprintf("No problems: %s re-hashed, %s matching the seals of their imports, %s of the audit trail checked, the index agrees with the database.",
			plural(int64(rep.Sources), "original"), plural(rep.Records, "record"), plural(int64(rep.Audit), "entry"))
		if rep.Deep != nil {
			msg += fmt.Sprintf(" Parsing the originals again gives the %s stored, field by field, and the index holds for each of %s what its record, tags and notes give.",
				plural(rep.Deep.Records, "record"), plural(rep.Deep.Indexed, "item"))
		}
		if len(notes) > 0 {
			msg += "\n\n" + strings.Join(notes, "\n")
		}
		dialog.ShowInformation("Case verified", msg, v.g.win)
		return
	}
	rows := container.NewVBox()
	for _, p := range rep.Problems {
		rows.Add(v.findingRow(p, nil))
	}
	for _, n := range notes {
		rows.Add(wrapped("Note: " + n))
	}
	v.showFindings(fmt.Sprintf("Verification found %s", plural(int64(len(rep.Problems)), "problem")), rows)
}

// onVerifyReport asks for a PDF report and checks it against the case.
func (v *caseView) onVerifyReport() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		v.checkReport(path)
	}, v.g.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

// checkReport checks the report at path as a job and shows each exhibit's outcome.
func (v *caseView) checkReport(path string) {
	if !v.g.canStartJob() {
		return
	}
	var rc casefile.ReportCheck
	v.g.prog.start("Checking the report against the case", func(ctx context.Context, _ casefile.ProgressFunc) error {
		pdf, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rc, err = v.c.CheckReport(ctx, pdf)
		return err
	}, func(err error) {
		if err != nil {
			v.g.showError("The report could not be checked", err)
			return
		}
		v.showReportCheck(rc)
	})
}

// showReportCheck lists the report's exhibits, match or mismatch, with Open
// for each exhibit's record.
func (v *caseView) showReportCheck(rc casefile.ReportCheck) {
	rows := container.NewVBox(wrapped(fmt.Sprintf("Manifest SHA-256 %s, written from case %s.", rc.Manifest, rc.Case)))
	for _, p := range rc.Problems {
		rows.Add(wrapped("MISMATCH: " + p))
	}
	bad := len(rc.Problems)
	for _, ex := range rc.Exhibits {
		verdict := "match"
		if !ex.OK {
			verdict, bad = "MISMATCH", bad+1
		}
		line := fmt.Sprintf("%s  %s  %s", verdict, ex.Exhibit, ex.Item)
		for _, p := range ex.Problems {
			line += "\n    " + p
		}
		for _, n := range ex.Notes {
			line += "\n    note: " + n
		}
		id, err := model.ParseItemID(ex.Item)
		if err != nil {
			rows.Add(wrapped(line))
			continue
		}
		rows.Add(v.findingRow(line, &id))
	}
	for _, n := range rc.Notes {
		rows.Add(wrapped("Note: " + n))
	}
	title := fmt.Sprintf("Report verified: all %d exhibits match the case", len(rc.Exhibits))
	if !rc.OK {
		title = fmt.Sprintf("Report check found %s", plural(int64(bad), "mismatch"))
	}
	v.showFindings(title, rows)
}

// findingRow is one finding; when it names a record (given, or the item id
// it starts with), an Open button shows that record in the details.
func (v *caseView) findingRow(text string, item *model.ItemID) fyne.CanvasObject {
	if item == nil {
		head, _, _ := strings.Cut(text, ":")
		if id, err := model.ParseItemID(strings.TrimSpace(head)); err == nil {
			item = &id
		}
	}
	label := wrapped(text)
	if item == nil || item.Kind == model.ItemSource {
		return label
	}
	id := *item
	open := widget.NewButton("Open "+id.String(), func() { v.openItem(id) })
	return container.NewBorder(nil, nil, nil, open, label)
}

// showFindings shows rows of findings in a scrolling dialog.
func (v *caseView) showFindings(title string, rows *fyne.Container) {
	d := dialog.NewCustom(title, "Close", container.NewVScroll(rows), v.g.win)
	d.Resize(fitWindow(v.g.win, fyne.NewSize(900, 480)))
	v.findings = d
	d.Show()
}

// openItem reads a segment or event and shows it in the details.
func (v *caseView) openItem(id model.ItemID) {
	v.g.bg.spawn(func() {
		ctx := context.Background()
		var seg model.Segment
		var evt model.Event
		var src model.Source
		var err error
		switch id.Kind {
		case model.ItemSegment:
			if seg, err = v.c.Segment(ctx, id.N); err == nil {
				src, err = v.c.Source(ctx, seg.SourceID)
			}
		case model.ItemEvent:
			if evt, err = v.c.Event(ctx, id.N); err == nil {
				src, err = v.c.Source(ctx, evt.SourceID)
			}
		}
		v.g.bg.do(func() {
			if v.g.cv != v {
				return
			}
			switch {
			case err != nil:
				v.g.showError("Could not open "+id.String(), err)
			case id.Kind == model.ItemSegment:
				v.onSegmentSelected(seg, src)
			case id.Kind == model.ItemEvent:
				v.onLogEventSelected(evt, src)
			}
		})
	})
}

// wrapped is a selectable label that wraps at words.
func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true
	return l
}
