package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// progressPanel runs one long job at a time (open, import, demo build,
// verify, reindex) and shows how it is going: the job, its stage and file,
// a progress bar and a Cancel button that cancels the job's context. It sits
// at the bottom of the window and is hidden when no job runs.
type progressPanel struct {
	bg *runner

	box       *fyne.Container
	title     *widget.Label
	stage     *widget.Label
	bar       *widget.ProgressBar
	spin      *widget.ProgressBarInfinite
	cancelBtn *widget.Button

	// Touched on the UI goroutine only.
	busy   bool
	gen    int
	cancel context.CancelFunc

	// mu guards the latest report between the job and the UI goroutine, so
	// a flood of reports costs one UI update at a time.
	mu      sync.Mutex
	latest  casefile.Progress
	pending bool
}

// jobWork is the body of a long job. It must honour ctx and may report
// progress.
type jobWork func(ctx context.Context, progress casefile.ProgressFunc) error

func newProgressPanel(bg *runner) *progressPanel {
	p := &progressPanel{bg: bg}
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.stage = truncLabel("")
	p.bar = widget.NewProgressBar()
	p.spin = widget.NewProgressBarInfinite()
	p.spin.Stop()
	p.spin.Hide()
	p.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), p.onCancel)
	bars := container.NewStack(p.bar, p.spin)
	p.box = container.NewVBox(
		widget.NewSeparator(),
		container.NewBorder(nil, nil, p.title, p.cancelBtn, p.stage),
		bars,
	)
	p.box.Hide()
	return p
}

// Busy reports whether a job is running.
func (p *progressPanel) Busy() bool { return p.busy }

// start runs work in a goroutine with a fresh context and applies done with
// its error in one call on the UI goroutine. It returns false, running nothing, when another
// job is still running. Call it on the UI goroutine.
func (p *progressPanel) start(title string, work jobWork, done func(error)) bool {
	if p.busy {
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.busy, p.cancel = true, cancel
	p.gen++
	gen := p.gen
	p.title.SetText(title)
	p.stage.SetText("Starting…")
	p.setBar(casefile.Progress{})
	p.cancelBtn.SetText("Cancel")
	p.cancelBtn.Enable()
	p.box.Show()
	report := func(pr casefile.Progress) { p.report(gen, pr) }
	p.bg.spawn(func() {
		err := work(ctx, report)
		cancel()
		p.bg.do(func() {
			p.busy, p.cancel = false, nil
			p.spin.Stop()
			p.box.Hide()
			if done != nil {
				done(err)
			}
		})
	})
	return true
}

// report takes a progress report from the job's goroutine.
func (p *progressPanel) report(gen int, pr casefile.Progress) {
	p.mu.Lock()
	p.latest = pr
	if p.pending {
		p.mu.Unlock()
		return
	}
	p.pending = true
	p.mu.Unlock()
	p.bg.do(func() {
		p.mu.Lock()
		pr := p.latest
		p.pending = false
		p.mu.Unlock()
		if p.busy && p.gen == gen {
			p.show(pr)
		}
	})
}

// show puts a report on screen.
func (p *progressPanel) show(pr casefile.Progress) {
	if p.cancel == nil {
		return
	}
	text := stageTitle(pr.Stage)
	if pr.File != "" {
		text += " · " + filepath.Base(pr.File)
	}
	if pr.Total > 0 {
		text += fmt.Sprintf(" (%d of %d)", pr.Done, pr.Total)
	}
	if p.cancelBtn.Disabled() {
		text = "Cancelling… " + text
	}
	p.stage.SetText(text)
	p.setBar(pr)
}

// setBar shows a determinate bar when the total is known, else a busy one.
func (p *progressPanel) setBar(pr casefile.Progress) {
	if pr.Total <= 0 {
		p.bar.Hide()
		p.spin.Show()
		p.spin.Start()
		return
	}
	p.spin.Stop()
	p.spin.Hide()
	p.bar.Max = float64(pr.Total)
	p.bar.SetValue(float64(min(pr.Done, pr.Total)))
	p.bar.Show()
}

// onCancel cancels the running job's context.
func (p *progressPanel) onCancel() {
	if p.cancel == nil {
		return
	}
	p.cancel()
	p.cancelBtn.SetText("Cancelling…")
	p.cancelBtn.Disable()
	p.stage.SetText("Cancelling…")
}
