package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vbauerster/cupwriter"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"casebook/casefile"
)

// progressFlags are the options every command takes for how its long jobs
// show their progress on standard error. Run takes them out of the
// arguments, wherever they are, before the command parses its own flags.
type progressFlags struct {
	quiet bool
	mode  string
}

func (o *progressFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("progress")
	fs.BoolVar(&o.quiet, "quiet", false, "show no progress on standard error (errors are still printed there)")
	fs.StringVar(&o.mode, "progress", progressAuto, "show the progress of long jobs on standard error as `MODE`: auto "+
		"(live bars when standard error is a terminal and --json is not given, nothing otherwise) or plain (a plain "+
		"line every few seconds, for log files)")
	return fs
}

// The values of --progress.
const (
	progressAuto  = "auto"
	progressPlain = "plain"
)

// barRoom is the width a bar keeps for itself on a narrow terminal.
const barRoom = 14

// plainEvery is how often --progress=plain prints a line.
const plainEvery = 3 * time.Second

// isProgressFlag reports whether the argument a is --quiet or --progress,
// and whether it takes the next argument as its value.
func isProgressFlag(a string) (is, wantsValue bool) {
	if !strings.HasPrefix(a, "-") {
		return false, false
	}
	name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
	switch name {
	case "quiet":
		return true, false
	case "progress":
		return true, !hasValue
	}
	return false, false
}

// takeProgressFlags removes --quiet and --progress from args (up to a
// "--") and parses them. json reports whether --json is among the rest.
func takeProgressFlags(args []string) (rest []string, o progressFlags, json bool, err error) {
	var mine []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if is, wantsValue := isProgressFlag(a); is {
			mine = append(mine, a)
			if wantsValue {
				if i+1 >= len(args) {
					return nil, o, false, usagef("flag %s needs a value (auto or plain)", a)
				}
				i++
				mine = append(mine, args[i])
			}
			continue
		}
		if name, v, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && name == "json" {
			b, perr := strconv.ParseBool(v)
			json = !hasValue || perr == nil && b
		}
		rest = append(rest, a)
	}
	if err := o.flagSet().Parse(mine); err != nil {
		return nil, o, false, usagef("%v", err)
	}
	if o.mode != progressAuto && o.mode != progressPlain {
		return nil, o, false, usagef("--progress must be auto or plain, not %q", o.mode)
	}
	return rest, o, json, nil
}

// progressView shows the progress reports of a command's jobs on standard
// error: live bars (mpb) when it is a terminal, a plain line every few
// seconds with --progress=plain, else nothing. Every report comes from the
// casefile.ProgressFunc the job takes, the same reports the window shows.
type progressView struct {
	ctx   context.Context
	w     io.Writer // standard error, unwrapped
	bars  bool
	plain bool

	mu      sync.Mutex
	ended   bool
	p       *mpb.Progress
	cur     *jobLine // the stage in hand
	overall *jobLine // an import of several files: which file of how many
	last    time.Time
	now     func() time.Time
}

// jobLine is one stage of a job (one file of an import) and its bar. Its
// state has a lock of its own, the only one the bar's decorators take
// (mpb calls them while the view may wait on the bar).
type jobLine struct {
	mu  sync.Mutex
	st  jobState
	bar *mpb.Bar
}

// jobState is a stage's latest report, when it began and from where.
type jobState struct {
	key     string
	pr      casefile.Progress
	began   time.Time
	from    int64 // Done when the stage began, for its speed
	fromRec int64
	files   int       // an import's file count, for the overall line
	ended   time.Time // when Done reached Total: its speed stays as it was
}

func newJobLine(st jobState) *jobLine { return &jobLine{st: st} }

func (l *jobLine) state() jobState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st
}

func (l *jobLine) set(pr casefile.Progress, now time.Time) {
	l.mu.Lock()
	l.st.pr = pr
	if pr.Total > 0 && pr.Done >= pr.Total && l.st.ended.IsZero() {
		l.st.ended = now
	}
	l.mu.Unlock()
}

// newProgressView decides how progress is shown: not at all with --quiet,
// or by default when stderr is no terminal or --json is given.
func newProgressView(ctx context.Context, stderr io.Writer, o progressFlags, json bool) *progressView {
	v := &progressView{ctx: ctx, w: stderr, now: time.Now}
	switch {
	case o.quiet:
	case o.mode == progressPlain:
		v.plain = true
	case !json && isTerminal(stderr):
		v.bars = true
	}
	v.last = v.now()
	return v
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress returns the function a job reports to, or nil when nothing is
// shown (so jobs skip the work of reporting).
func (e *env) progress() casefile.ProgressFunc {
	if e.prog == nil || !e.prog.bars && !e.prog.plain {
		return nil
	}
	return e.prog.report
}

// report takes one report from a job's goroutine.
func (v *progressView) report(pr casefile.Progress) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.ended {
		return
	}
	now := v.now()
	if pr.Stage == "import" && pr.Files > 0 && v.ctx.Err() == nil {
		v.startFile(pr, now)
		return
	}
	key := pr.Stage
	if pr.Stage == "import" {
		key += "\x00" + pr.File
	}
	fresh := v.cur == nil
	if !fresh {
		cur := v.cur.state()
		// A stage that starts again (verify's two passes) is a new stage.
		fresh = cur.key != key || pr.Done < cur.pr.Done && pr.Stage != "import"
	}
	if fresh && v.ctx.Err() != nil {
		return // cancelled: the stage in hand stays as it stopped
	}
	if fresh {
		v.next(newJobLine(jobState{key: key, pr: pr, began: now, from: pr.Done, fromRec: pr.Records}))
	}
	v.cur.set(pr, now)
	if v.cur.bar != nil {
		if pr.Total > 0 {
			v.cur.bar.SetTotal(pr.Total, false)
		}
		v.cur.bar.SetCurrent(min(pr.Done, max(pr.Total, pr.Done)))
	}
	if v.plain && now.Sub(v.last) >= plainEvery {
		v.last = now
		fmt.Fprintf(v.w, "casebook: %s\n", v.describe(v.cur.state(), now, true, 0))
	}
}

// startFile takes the report that starts each file of an import.
func (v *progressView) startFile(pr casefile.Progress, now time.Time) {
	if pr.Files < 2 {
		return
	}
	if v.overall == nil {
		v.overall = newJobLine(jobState{key: "files", began: now, files: pr.Files})
		if v.bars {
			v.overall.bar = v.bar(v.overall, int64(pr.Files), false)
		}
	}
	v.overall.set(pr, now)
	if v.overall.bar != nil {
		v.overall.bar.SetCurrent(pr.Done)
	}
}

// next ends the stage in hand, as finished, and begins l.
func (v *progressView) next(l *jobLine) {
	v.complete(v.cur)
	st := l.state()
	if st.pr.Stage != "import" && v.overall != nil {
		v.complete(v.overall)
		v.overall = nil
	}
	v.cur = l
	if v.bars {
		l.bar = v.bar(l, st.pr.Total, v.overall != nil)
	}
}

// bar adds a bar for l: a bar when its total is known, a spinner else.
func (v *progressView) bar(l *jobLine, total int64, removeOnComplete bool) *mpb.Bar {
	if v.p == nil {
		v.p = mpb.NewWithContext(context.WithoutCancel(v.ctx), mpb.WithConsoleWriter(sizedConsole{cupwriter.New(v.w, false)}), mpb.WithWidth(24),
			mpb.WithRefreshRate(120*time.Millisecond))
	}
	name := decor.Any(func(decor.Statistics) string {
		return v.title(l.state())
	}, decor.WCSyncSpaceR)
	detail := decor.Any(func(s decor.Statistics) string {
		return v.describe(l.state(), v.now(), false, s.AvailableWidth-barRoom)
	})
	opts := []mpb.BarOption{mpb.PrependDecorators(name), mpb.AppendDecorators(detail),
		mpb.BarOptional(mpb.BarRemoveOnComplete(), removeOnComplete)}
	if total <= 0 {
		return v.p.New(0, mpb.SpinnerStyle(), opts...)
	}
	return v.p.AddBar(total, opts...)
}

// complete marks l finished: its bar full.
func (v *progressView) complete(l *jobLine) {
	if l == nil {
		return
	}
	l.mu.Lock()
	total := l.st.pr.Total
	if l.st.key == "files" {
		total = int64(l.st.files)
		l.st.pr.File = ""
	}
	if total > 0 {
		l.st.pr.Done = total
	}
	if l.st.ended.IsZero() {
		l.st.ended = v.now()
	}
	l.mu.Unlock()
	if l.bar == nil {
		return
	}
	if total > 0 {
		l.bar.SetTotal(total, true)
	} else {
		l.bar.SetTotal(-1, true)
	}
}

// end finishes the display before the command writes its result, or when
// it returns: the last stage is shown finished when the command succeeded
// and as it stopped when it failed. Reports after end are dropped.
func (v *progressView) end(ok bool) {
	v.mu.Lock()
	if v.ended {
		v.mu.Unlock()
		return
	}
	v.ended = true
	for _, l := range []*jobLine{v.cur, v.overall} {
		if l == nil || l.bar == nil {
			continue
		}
		if ok {
			v.complete(l)
		} else {
			l.bar.Abort(false)
		}
	}
	p := v.p
	v.mu.Unlock()
	if p != nil {
		p.Wait()
	}
}

// endIfShown ends the display if anything is shown (a write before the
// first report, a passphrase prompt say, leaves progress to come), as
// finished unless the job was cancelled.
func (v *progressView) endIfShown() {
	v.mu.Lock()
	shown := v.cur != nil || v.overall != nil
	v.mu.Unlock()
	if shown {
		v.end(v.ctx.Err() == nil)
	}
}

// title is a stage's name on its bar: what is done, to which file.
func (v *progressView) title(l jobState) string {
	if l.key == "files" {
		return fmt.Sprintf("import: file %d of %d", min(l.pr.Done+1, int64(l.files)), l.files)
	}
	t := stageName(l.pr.Stage)
	if l.pr.File != "" {
		name := []rune(filepath.Base(l.pr.File))
		if len(name) > 32 {
			name = append(name[:31], '…')
		}
		t += " " + string(name)
	}
	return t
}

// stageName is what the command line calls a casefile progress stage.
func stageName(stage string) string {
	switch stage {
	case "index":
		return "indexing"
	case "rebuild":
		return "rebuilding the index"
	case "search":
		return "search --all"
	}
	return stage
}

// describe renders a stage's position: done of total, counts, speed and
// the time left. full adds the title, for --progress=plain. Within width
// (0: any), the parts that matter least are left out first.
func (v *progressView) describe(l jobState, now time.Time, full bool, width int) string {
	pr := l.pr
	type part struct {
		text string
		rank int // 0 always shown; the highest are dropped first
	}
	var parts []part
	add := func(rank int, text string) { parts = append(parts, part{text, rank}) }
	if full {
		add(0, v.title(l))
	}
	if l.key == "files" {
		if pr.File != "" {
			add(1, filepath.Base(pr.File))
		}
	} else {
		v.position(l, now, full, add)
	}
	if v.ctx.Err() != nil {
		add(0, "cancelling… (Ctrl+C again to quit at once)")
	}
	for {
		var texts []string
		worst := -1
		for _, p := range parts {
			texts = append(texts, p.text)
			if worst < 0 || p.rank > parts[worst].rank {
				worst = len(texts) - 1
			}
		}
		line := strings.Join(texts, " · ")
		if width <= 0 || len([]rune(line)) <= width || parts[worst].rank == 0 {
			return line
		}
		parts = append(parts[:worst], parts[worst+1:]...)
	}
}

// position adds a stage's done of total, its counts, speed and time left.
func (v *progressView) position(l jobState, now time.Time, full bool, add func(rank int, text string)) {
	pr := l.pr
	bytes := pr.Stage == "import" || pr.Stage == "pack" || pr.Stage == "unpack"
	count := func(n int64) string {
		if bytes {
			return byteSize(n)
		}
		return casefile.Commas(n)
	}
	pos := count(pr.Done)
	if pr.Total > 0 {
		pos += " of " + count(pr.Total)
		if full {
			pos += fmt.Sprintf(" (%d%%)", pr.Done*100/pr.Total)
		}
	}
	add(0, pos)
	if pr.Stage == "import" {
		add(2, casefile.Commas(pr.Records)+" records")
		add(3, casefile.Commas(pr.Rejects)+" rejects")
	}
	if !l.ended.IsZero() {
		now = l.ended
	}
	el := now.Sub(l.began)
	if el < time.Second || pr.Done <= l.from {
		add(4, shortDuration(el))
		return
	}
	speed := float64(pr.Done-l.from) / el.Seconds()
	switch {
	case pr.Stage == "import":
		add(4, casefile.Commas(int64(float64(pr.Records-l.fromRec)/el.Seconds()))+" rows/s")
	case bytes:
		add(4, byteSize(int64(speed))+"/s")
	default:
		add(4, casefile.Commas(int64(speed))+" "+unitOf(pr.Stage)+"/s")
	}
	if pr.Total > pr.Done {
		add(1, "ETA "+shortDuration(time.Duration(float64(pr.Total-pr.Done)/speed*float64(time.Second))))
	}
}

// unitOf names what a stage counts.
func unitOf(stage string) string {
	switch stage {
	case "index", "rebuild":
		return "docs"
	case "verify", "verify --deep":
		return "sources"
	case "verify records", "export":
		return "rows"
	case "search":
		return "hits"
	case "rules":
		return "rules"
	}
	return "items"
}

// byteSize renders a byte count: 512 B, 3.2 MiB, 1.1 GiB.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, u := float64(n)/unit, 0
	for f >= unit && u < 4 {
		f /= unit
		u++
	}
	return fmt.Sprintf("%.1f %ciB", f, "KMGTP"[u])
}

// shortDuration renders a duration to the second: 45s, 3m07s, 1h02m.
func shortDuration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
}

// sizedConsole is the terminal the bars are drawn on, taken as 80 columns
// by 24 lines when it does not tell its size (a pseudo-terminal nobody set,
// as script(1) makes).
type sizedConsole struct{ *cupwriter.Writer }

func (c sizedConsole) GetTermSize() (width, height int, err error) {
	width, height, err = c.Writer.GetTermSize()
	if err != nil || width <= 0 {
		return 80, 24, nil
	}
	return width, max(height, 24), nil
}

// endsProgress is a writer that finishes the progress display before its
// first write, so that a command's result or error is not drawn over by a
// bar.
type endsProgress struct {
	w io.Writer
	v *progressView
}

func (w endsProgress) Write(b []byte) (int, error) {
	w.v.endIfShown()
	return w.w.Write(b)
}

// progressFlagsAfterCommand moves --quiet and --progress given before the
// command (casebook --quiet import …) to after it, where Run takes them.
func progressFlagsAfterCommand(args []string) []string {
	var lead []string
	for len(args) > 0 {
		is, wantsValue := isProgressFlag(args[0])
		if !is {
			break
		}
		n := 1
		if wantsValue && len(args) > 1 {
			n = 2
		}
		lead, args = append(lead, args[:n]...), args[n:]
	}
	if len(lead) == 0 || len(args) == 0 {
		return append(args, lead...)
	}
	return append(append([]string{args[0]}, lead...), args[1:]...)
}

// progressBeside is progress for a job that writes its result to standard
// output as it goes (search --all, export or pack to -): none when standard
// output is the terminal the bars would be drawn on.
func (e *env) progressBeside() casefile.ProgressFunc {
	if w, ok := e.stdout.(endsProgress); ok && w.v.bars && isTerminal(w.w) {
		return nil
	}
	return e.progress()
}

// writeProgressHelp is "casebook help progress".
func writeProgressHelp(w io.Writer) {
	wrap(w, "", "Long jobs show their progress on standard error when it is a terminal: an import per file (bytes read "+
		"of the file's size, records, rejects, rows per second, time left) and then its indexing, index catch-up and "+
		"reindex, rules run (per rule), report, export, pack and unpack, verify and verify --deep, and search --all "+
		"when its hits go to a file. Several files show which file of how many is in hand. Standard output is never "+
		"touched: it holds the same table or JSON with or without progress. When standard error is not a terminal, or "+
		"with --json, nothing is shown and no terminal escape codes are written.")
	fmt.Fprintln(w)
	wrap(w, "", "Ctrl+C cancels the job cleanly: an import rolls back the file in hand (each file is all or nothing), "+
		"keeps the files before it, says so in one line and exits 1. A second Ctrl+C within two seconds quits at once "+
		"(exit 130); what was not committed is not in the case.")
	fmt.Fprintln(w, "\nFlags of every command:")
	writeFlags(w, new(progressFlags).flagSet())
}
