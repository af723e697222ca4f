package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"time"

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
	files  []string         // the files of an import, for "file 2 of 5"
	rate   rateMeter        // speed and time left of the current stage
	now    func() time.Time // the clock, for tests

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
	p := &progressPanel{bg: bg, now: time.Now}
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
	p.rate = rateMeter{}
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
			p.busy, p.cancel, p.files = false, nil, nil
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
		if i := slices.Index(p.files, pr.File); i >= 0 && len(p.files) > 1 {
			text += fmt.Sprintf(" (file %d of %d)", i+1, len(p.files))
		}
	}
	bytes := pr.Stage == "import" || pr.Stage == "pack" || pr.Stage == "unpack"
	if pr.Total > 0 && !bytes {
		text += fmt.Sprintf(" (%s of %s)", thousands(pr.Done), thousands(pr.Total))
	}
	if speed, left, ok := p.rate.add(pr, p.now()); ok {
		if bytes {
			text += fmt.Sprintf(" · %.1f MB/s", speed/1e6)
		} else {
			text += " · " + thousands(int64(speed)) + " " + rateUnit(pr.Stage) + "/s"
		}
		if left > 0 {
			text += " · about " + approxDuration(left) + " left"
		}
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

// startFiles is start for an import of files: the panel says which of
// them is being read.
func (p *progressPanel) startFiles(title string, files []string, work jobWork, done func(error)) bool {
	if !p.start(title, work, done) {
		return false
	}
	p.files = files
	return true
}

// rateMeter measures how fast a stage goes and how long it has left, from
// the reports since the stage (or its total) last changed.
type rateMeter struct {
	stage     string
	total     int64
	since     time.Time
	sinceDone int64
}

// rateWarmUp is how long a stage runs before its speed is shown.
const rateWarmUp = 500 * time.Millisecond

// add takes a report and returns units per second and the time left, once
// the stage has run long enough to tell.
func (m *rateMeter) add(pr casefile.Progress, now time.Time) (speed float64, left time.Duration, ok bool) {
	if pr.Stage != m.stage || pr.Total != m.total || pr.Done < m.sinceDone {
		*m = rateMeter{stage: pr.Stage, total: pr.Total, since: now, sinceDone: pr.Done}
		return 0, 0, false
	}
	el := now.Sub(m.since)
	if el < rateWarmUp || pr.Done <= m.sinceDone {
		return 0, 0, false
	}
	speed = float64(pr.Done-m.sinceDone) / el.Seconds()
	if pr.Total > pr.Done {
		left = time.Duration(float64(pr.Total-pr.Done) / speed * float64(time.Second))
	}
	return speed, left, true
}

// rateUnit names what a stage counts.
func rateUnit(stage string) string {
	switch stage {
	case "index", "rebuild":
		return "items"
	case "verify":
		return "sources"
	}
	return "rows"
}

// approxDuration renders a time left as "12 s", "3 min" or "2 h 5 min".
func approxDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", max(1, int(d.Round(time.Second)/time.Second)))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	}
	h := int(d / time.Hour)
	return fmt.Sprintf("%d h %d min", h, int((d-time.Duration(h)*time.Hour).Round(time.Minute)/time.Minute))
}

// thousands renders n with thousands separators: 12,345.
func thousands(n int64) string { return casefile.Commas(n) }
