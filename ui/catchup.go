package ui

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// deferIndexAbove is the size of an import's files above which the search
// index is built in the background after the import: the rows are in the
// case (and the access-log table) at once, and search catches up.
var deferIndexAbove int64 = 50 << 20

// indexStrip is the strip at the bottom of the workbench while the search
// index catches up with an import in the background: how far it got, that
// search is incomplete meanwhile (the access-log table is not), and a
// Cancel button; Resume after a cancel or failure. It runs beside the
// progress panel's jobs, not as one of them.
type indexStrip struct {
	box       *fyne.Container
	text      *widget.Label
	bar       *widget.ProgressBar
	cancelBtn *widget.Button
	resumeBtn *widget.Button

	// Touched on the UI goroutine only.
	running bool
	again   bool // more was deferred while it ran: run once more at the end
	gen     int
	cancel  context.CancelFunc
}

func newIndexStrip(onResume func()) *indexStrip {
	s := &indexStrip{}
	s.text = widget.NewLabel("")
	s.text.Wrapping = fyne.TextWrapWord
	s.bar = widget.NewProgressBar()
	s.cancelBtn = widget.NewButtonWithIcon("Cancel indexing", theme.CancelIcon(), s.onCancel)
	s.resumeBtn = widget.NewButtonWithIcon("Resume indexing", theme.MediaPlayIcon(), onResume)
	s.resumeBtn.Hide()
	s.box = container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), container.NewHBox(s.cancelBtn, s.resumeBtn), s.text),
		s.bar)
	s.box.Hide()
	return s
}

// indexingText is the strip's line while the index catches up.
func indexingText(done, total int64) string {
	pct := 0
	if total > 0 {
		pct = int(done * 100 / total)
	}
	text := fmt.Sprintf("Indexing %d%% — search results are incomplete until it finishes; the access-log table is complete.", pct)
	if total > 0 {
		text += fmt.Sprintf(" (%s of %s items)", thousands(done), thousands(total))
	}
	return text
}

// show puts the catch-up's progress on the strip.
func (s *indexStrip) show(done, total int64) {
	s.text.Importance = widget.MediumImportance
	s.text.SetText(indexingText(done, total))
	s.bar.Max = float64(max(total, 1))
	s.bar.SetValue(float64(min(done, total)))
	s.bar.Show()
	s.cancelBtn.Show()
	s.cancelBtn.Enable()
	s.resumeBtn.Hide()
	s.box.Show()
}

// onCancel stops the catch-up between two batches.
func (s *indexStrip) onCancel() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancelBtn.Disable()
	s.text.SetText("Stopping the indexing…")
}

// stop cancels a running catch-up (the case is closing).
func (s *indexStrip) stop() {
	if s.cancel != nil {
		s.cancel()
	}
}

// startCatchUp brings the search index in step with the database in the
// background, after an import that deferred it.
func (v *caseView) startCatchUp() {
	s := v.idx
	if s.running {
		s.again = true
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.running, s.again, s.cancel = true, false, cancel
	s.gen++
	gen := s.gen
	s.show(0, 0)
	work := v.catchUp
	v.g.bg.spawn(func() {
		err := work(ctx, func(p casefile.Progress) {
			v.g.bg.do(func() {
				if gen == s.gen && s.running && ctx.Err() == nil {
					s.show(p.Done, p.Total)
				}
			})
		})
		cancel()
		v.g.bg.do(func() {
			if gen != s.gen {
				return
			}
			s.running, s.cancel = false, nil
			if v.g.cv != v {
				return
			}
			v.caughtUp(err)
		})
	})
}

// caughtUp shows how a catch-up ended.
func (v *caseView) caughtUp(err error) {
	s := v.idx
	switch {
	case err == nil && s.again:
		v.startCatchUp()
		return
	case err == nil:
		s.box.Hide()
		v.results.rerun()
		v.tline.invalidate(v.tabs.Selected() == v.timelineTab)
		return
	case errors.Is(err, context.Canceled):
		s.text.Importance = widget.WarningImportance
		s.text.SetText("Indexing stopped — search results stay incomplete until it is resumed; " +
			"it also resumes by itself when the case is next opened. The access-log table is complete.")
	default:
		s.text.Importance = widget.DangerImportance
		s.text.SetText("Indexing failed: " + sentence(err) + " Resume it, or run Reindex to rebuild the search index; " +
			"until then search results are incomplete.")
	}
	s.text.Refresh()
	s.bar.Hide()
	s.cancelBtn.Hide()
	s.resumeBtn.Show()
	s.box.Show()
	v.results.rerun()
}

// refuseWhileIndexing says so and reports true while the index catches up:
// verifying or rebuilding it then would race with it.
func (v *caseView) refuseWhileIndexing(what string) bool {
	if !v.idx.running {
		return false
	}
	dialog.ShowInformation("Indexing in the background",
		"The search index is still catching up with the last import. Wait for it to finish, or cancel it, then "+what+".", v.g.win)
	return true
}
