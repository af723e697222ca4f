package ui

import (
	"casebook/assets"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"casebook/casefile"
	"casebook/internal/sysopen"
)

// AppID is the application's unique id; Fyne keeps its preferences (the
// recent cases) under it.
const AppID = "io.casebook.app"

const (
	prefRecent     = "recentCases"
	prefWidth      = "windowWidth"
	prefHeight     = "windowHeight"
	prefOuterSplit = "paneSources"
	prefInnerSplit = "paneDetails"
	maxRecent      = 8
)

// Run opens the Casebook window and returns the process exit code when it
// closes. With dir empty it shows the start screen; otherwise it opens the
// case in dir (falling back to the start screen, with the error, when dir is
// not a case).
func Run(dir string) int {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("casebook.png", assets.Icon))
	w := a.NewWindow("Casebook")
	p := a.Preferences()
	w.Resize(fyne.NewSize(float32(p.FloatWithFallback(prefWidth, 1280)), float32(p.FloatWithFallback(prefHeight, 820))))
	g := newGUI(a, w)
	if dir != "" {
		a.Lifecycle().SetOnStarted(func() { g.openCase(dir) })
	}
	w.SetMaster()
	// The window's size and pane widths are kept as they change: on SIGTERM
	// and Ctrl+C Fyne quits by itself, too soon to write them at the end
	// (shutdown then cancels the running job and closes the case).
	stop := make(chan struct{})
	go func() {
		tick := time.NewTicker(2 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				fyne.Do(g.rememberLayout)
			}
		}
	}()
	w.ShowAndRun()
	close(stop)
	g.shutdown()
	return 0
}

// rememberLayout keeps the window's size and the pane widths while the
// window is open.
func (g *gui) rememberLayout() {
	if g.closing {
		return
	}
	g.rememberSize()
	if g.cv != nil {
		g.cv.rememberPanes()
	}
}

// gui is the window: the start screen or the case workbench above the
// progress panel, with the menu and keyboard shortcuts.
type gui struct {
	app  fyne.App
	win  fyne.Window
	prog *progressPanel
	body *fyne.Container

	start *startView
	cv    *caseView // nil while no case is open

	bg      *runner
	closing bool
	unpack  *unpackDialog // kept filled in between attempts

	changeItems []*fyne.MenuItem                             // the menu items that change the case
	opener      func(ctx context.Context, path string) error // the system viewer; tests replace it
}

func newGUI(a fyne.App, w fyne.Window) *gui {
	g := &gui{app: a, win: w, bg: newRunner(), opener: sysopen.Open}
	g.prog = newProgressPanel(g.bg)
	g.body = container.NewStack()
	g.start = newStartView(g)
	g.applyTheme()
	w.SetContent(container.NewBorder(nil, g.prog.box, nil, nil, g.body))
	w.SetMainMenu(g.menu())
	g.registerKeys()
	w.SetCloseIntercept(g.onCloseRequested)
	w.SetOnDropped(g.onDropped)
	g.showStart()
	return g
}

func (g *gui) menu() *fyne.MainMenu {
	onCase := func(label string, f func(*caseView)) *fyne.MenuItem {
		return fyne.NewMenuItem(label, func() { g.withCase(f) })
	}
	// change marks an item that changes the case: disabled while a
	// read-only case is open.
	g.changeItems = nil
	change := func(it *fyne.MenuItem) *fyne.MenuItem {
		g.changeItems = append(g.changeItems, it)
		return it
	}
	// The items with a key come from keyBindings, with their action.
	open := g.menuItem("Open case…")
	imp := change(g.menuItem("Import files…"))
	find := g.menuItem("Search")
	tag := change(g.menuItem("Tag the selection…"))
	report := change(g.menuItem("Export report…"))
	settings := g.menuItem("Settings…")
	return fyne.NewMainMenu(
		fyne.NewMenu("File",
			fyne.NewMenuItem("New case…", g.start.onNew),
			open,
			fyne.NewMenuItem("Open case read-only…", g.onOpenReadOnly),
			fyne.NewMenuItem("Open the demo case", g.openDemo),
			fyne.NewMenuItemSeparator(),
			report,
			change(onCase("Export data (CSV, JSON Lines, FollowTheMoney)…", (*caseView).onExportData)),
			fyne.NewMenuItemSeparator(),
			onCase("Pack case for hand-over…", (*caseView).onPack),
			fyne.NewMenuItem("Unpack a case…", g.onUnpack),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Close case", g.onCloseCase),
		),
		fyne.NewMenu("Case",
			imp,
			change(onCase("Import a folder…", (*caseView).onImportFolder)),
			fyne.NewMenuItemSeparator(),
			onCase("Verify case", (*caseView).onVerify),
			onCase("Verify case, reading every original again", (*caseView).onVerifyDeep),
			onCase("Verify a report against the case…", (*caseView).onVerifyReport),
			change(onCase("Reindex", (*caseView).onReindex)),
			fyne.NewMenuItemSeparator(),
			settings,
		),
		fyne.NewMenu("Evidence",
			tag,
			onCase("Review suggestions", (*caseView).onShowReview),
			change(onCase("Run rules", func(v *caseView) { v.review.onRunRules() })),
			onCase("Edit rules…", (*caseView).onEditRules),
			fyne.NewMenuItemSeparator(),
			onCase("Manage tags…", (*caseView).onManageTags),
		),
		fyne.NewMenu("Search", find,
			onCase("Saved searches…", (*caseView).onSavedSearches),
			onCase("Batch search a list of terms…", (*caseView).onBatchSearch),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Search syntax…", g.onSearchHelp)),
		fyne.NewMenu("Go", g.menuItem("Back"), g.menuItem("Forward")),
		fyne.NewMenu("Help",
			fyne.NewMenuItem("Your first case…", g.onFirstCaseHelp),
			fyne.NewMenuItem("Keyboard shortcuts…", g.onShortcutsHelp),
			fyne.NewMenuItem("Search syntax…", g.onSearchHelp),
			fyne.NewMenuItem("Formats Casebook reads…", g.onFormatsHelp)),
	)
}

// updateMenu disables the items that change a case while a read-only case
// is open.
func (g *gui) updateMenu() {
	ro := g.cv != nil && g.cv.readOnly != ""
	for _, it := range g.changeItems {
		it.Disabled = ro
	}
	if m := g.win.MainMenu(); m != nil {
		m.Refresh()
	}
}

// withCase runs a case action, or says that no case is open.
func (g *gui) withCase(f func(*caseView)) {
	if g.cv == nil {
		dialog.ShowInformation("No case open", "Open or create a case first.", g.win)
		return
	}
	f(g.cv)
}

// showStart shows the start screen.
func (g *gui) showStart() {
	g.win.SetTitle("Casebook")
	g.start.refresh()
	g.body.Objects = []fyne.CanvasObject{g.start.content}
	g.body.Refresh()
}

// showCase shows the workbench for an opened case.
func (g *gui) showCase(c caseAPI, dir string) {
	if g.closing {
		_ = c.Close()
		return
	}
	g.cv = newCaseView(c, g, dir)
	g.addRecent(dir)
	g.win.SetTitle("Casebook — " + filepath.Base(dir))
	g.body.Objects = []fyne.CanvasObject{g.cv.content}
	g.body.Refresh()
	g.updateMenu()
	g.cv.reload()
}

// showError shows a one-line error; a cancelled job says only that.
func (g *gui) showError(title string, err error) {
	if errors.Is(err, context.Canceled) && !strings.Contains(strings.ToLower(title), "cancel") {
		title = "Cancelled"
	}
	d := dialog.NewInformation(title, sentence(err), g.win)
	d.Show()
}

// canStartJob says whether a long job may start, telling the investigator
// when one is already running.
func (g *gui) canStartJob() bool {
	if g.prog.Busy() {
		dialog.ShowInformation("Busy", "Wait for the running job to finish, or cancel it.", g.win)
		return false
	}
	return true
}

// onOpen asks for a case folder and opens it.
func (g *gui) onOpen() {
	if !g.canStartJob() {
		return
	}
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			g.showError("Could not open the folder", err)
			return
		}
		if u != nil {
			g.openCase(u.Path())
		}
	}, g.win)
	if recent := g.recent(); len(recent) > 0 {
		setLocation(d, filepath.Dir(recent[0]))
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// onOpenReadOnly asks for a case folder and opens it for reading only:
// nothing in the folder is written, every change is refused.
func (g *gui) onOpenReadOnly() {
	if !g.canStartJob() {
		return
	}
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			g.showError("Could not open the folder", err)
			return
		}
		if u != nil {
			g.openCaseWith(u.Path(), true)
		}
	}, g.win)
	if recent := g.recent(); len(recent) > 0 {
		setLocation(d, filepath.Dir(recent[0]))
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// setLocation starts a file dialog in dir, when dir exists.
func setLocation(d *dialog.FileDialog, dir string) {
	if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
		d.SetLocation(l)
	}
}

// openCase closes the open case, if any, and opens the case in dir as a
// job: opening may rebuild the search index.
func (g *gui) openCase(dir string) { g.openCaseWith(dir, false) }

// openCaseWith is openCase, for reading only when readOnly is set.
func (g *gui) openCaseWith(dir string, readOnly bool) {
	if !g.canStartJob() {
		return
	}
	g.closeCase()
	var c *casefile.Case
	open := casefile.Open
	if readOnly {
		open = casefile.OpenReadOnly
	}
	g.prog.start("Opening "+filepath.Base(dir), func(ctx context.Context, p casefile.ProgressFunc) error {
		var err error
		c, err = open(ctx, dir, p)
		return err
	}, func(err error) {
		if err != nil {
			g.showStart()
			g.showError("Could not open the case", err)
			return
		}
		g.showCase(c, dir)
	})
}

// demoDir is where the demo case is built.
func demoDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "casebook", "demo-case"), nil
}

// openDemo opens the demo case, building it first when it is missing.
func (g *gui) openDemo() {
	dir, err := demoDir()
	if err != nil {
		g.showError("Could not find a place for the demo case", err)
		return
	}
	if casefile.IsCase(dir) {
		g.openCase(dir)
		return
	}
	if !g.canStartJob() {
		return
	}
	g.closeCase()
	var c *casefile.Case
	g.prog.start("Building the demo case", func(ctx context.Context, p casefile.ProgressFunc) error {
		// Not a case: a leftover of an interrupted build. It is ours to remove.
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
			return err
		}
		var err error
		if c, err = casefile.BuildDemo(ctx, dir, p); err != nil {
			_ = os.RemoveAll(dir)
		}
		return err
	}, func(err error) {
		if err != nil {
			g.showError("Could not build the demo case", err)
			return
		}
		g.showCase(c, dir)
	})
}

// createCase creates a case in dir as a job and opens it.
func (g *gui) createCase(dir string, opts casefile.CreateOptions) {
	if !g.canStartJob() {
		return
	}
	g.closeCase()
	var c *casefile.Case
	g.prog.start("Creating "+filepath.Base(dir), func(ctx context.Context, _ casefile.ProgressFunc) error {
		var err error
		c, err = casefile.Create(ctx, dir, opts)
		return err
	}, func(err error) {
		if err != nil {
			g.showError("Could not create the case", err)
			return
		}
		g.showCase(c, dir)
	})
}

// onCloseCase closes the case and returns to the start screen.
func (g *gui) onCloseCase() {
	if g.cv == nil || !g.canStartJob() {
		return
	}
	if err := g.closeCase(); err != nil {
		g.showError("Closing the case failed", err)
	}
	g.showStart()
}

// closeCase closes the open case, if any, releasing its lock.
func (g *gui) closeCase() error {
	if g.cv == nil {
		return nil
	}
	cv := g.cv
	g.cv = nil
	g.updateMenu()
	return cv.close()
}

// onCloseRequested runs when the investigator closes the window: it cancels
// the running job, waits for the window's goroutines, closes the case (so
// its lock is released) and then the window.
func (g *gui) onCloseRequested() {
	if g.closing {
		return
	}
	g.closing = true
	g.rememberSize()
	g.prog.onCancel()
	if g.cv != nil {
		g.cv.reader.play.stop() // the playback's goroutine ends with it, so the wait below does not
		g.cv.idx.stop()
		g.cv.rememberPanes()
		g.cv.results.abandon()
	}
	go func() {
		g.bg.wait()
		// Fyne writes preferences a moment after they change; closing at
		// once could lose the window's size.
		time.Sleep(prefsSettle)
		g.bg.do(func() {
			_ = g.closeCase()
			g.win.Close()
		})
	}()
}

// prefsSettle is how long closing waits for Fyne to write the preferences.
var prefsSettle = 300 * time.Millisecond

// shutdown runs after the event loop ended (the window closed, or the app
// quit from the menu): it cancels what still runs and closes the case.
func (g *gui) shutdown() {
	if !g.closing {
		g.rememberSize()
	}
	g.closing = true
	if g.prog.cancel != nil {
		g.prog.cancel()
	}
	if g.cv != nil {
		g.cv.idx.stop()
	}
	done := make(chan struct{})
	go func() {
		g.bg.wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	_ = g.closeCase()
}

// recent lists the recently opened cases, newest first.
func (g *gui) recent() []string {
	return g.app.Preferences().StringList(prefRecent)
}

// addRecent puts dir at the top of the recent cases.
func (g *gui) addRecent(dir string) {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	list := slices.DeleteFunc(g.recent(), func(s string) bool { return s == dir })
	list = append([]string{dir}, list...)
	if len(list) > maxRecent {
		list = list[:maxRecent]
	}
	g.app.Preferences().SetStringList(prefRecent, list)
}

// rememberSize keeps the window's size for the next start.
func (g *gui) rememberSize() {
	size := g.win.Canvas().Size()
	if size.Width >= 400 && size.Height >= 300 {
		p := g.app.Preferences()
		p.SetFloat(prefWidth, float64(size.Width))
		p.SetFloat(prefHeight, float64(size.Height))
	}
}
