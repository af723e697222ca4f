package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// contextTables is the settings tab for the roster (who the actors are) and
// the data map (what the resources hold): what is loaded, and buttons to
// load a new one as a cancellable job.
type contextTables struct {
	d            *settingsDialog
	rosterStatus *widget.Label
	mapStatus    *widget.Label
	loadRoster   *widget.Button
	loadMap      *widget.Button
	content      fyne.CanvasObject
	people       int // for tests: the roster size last shown
}

func newContextTables(d *settingsDialog) *contextTables {
	t := &contextTables{d: d, rosterStatus: widget.NewLabel(""), mapStatus: widget.NewLabel("")}
	t.rosterStatus.Wrapping = fyne.TextWrapWord
	t.mapStatus.Wrapping = fyne.TextWrapWord
	t.loadRoster = widget.NewButtonWithIcon("Load a roster (CSV or .xlsx)…", theme.FolderOpenIcon(), func() { d.pickCSV(t.onLoadRoster) })
	t.loadMap = widget.NewButtonWithIcon("Load a data map (CSV or .xlsx)…", theme.FolderOpenIcon(), func() { d.pickCSV(t.onLoadMap) })
	rosterHint := widget.NewLabel("The roster says who the actors are: a header row naming any of employee id, email, user, arn, " +
		"name, office, country, team, employer. An event whose actor matches an identifier (any case; an e-mail's local part " +
		"and an ARN's user name too) gets that person, and the office and country its log left empty. Loading replaces the " +
		"roster and re-matches every event at once; the records themselves are not changed.")
	mapHint := widget.NewLabel("The data map says what the resources hold: rows of field, pattern, category, region " +
		"(resource, arn:aws:s3:::us-user-*/*, phone, US). An event whose field matches gets that data category and subject " +
		"region where its log named none; the first matching row wins.")
	for _, l := range []*widget.Label{rosterHint, mapHint} {
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
	}
	t.content = container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle("Roster", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		rosterHint, t.rosterStatus, container.NewHBox(t.loadRoster),
		widget.NewSeparator(),
		widget.NewLabelWithStyle("Data map", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		mapHint, t.mapStatus, container.NewHBox(t.loadMap)))
	return t
}

// show fills the status lines from what the case holds (UI goroutine).
func (t *contextTables) show(people []model.RosterEntry, dm []model.DataMapEntry, err error) {
	if err != nil {
		t.rosterStatus.SetText("Could not read the roster and data map: " + sentence(err))
		return
	}
	t.people = len(people)
	t.rosterStatus.SetText("No roster loaded: actors are known only by the identifiers their logs give.")
	if len(people) > 0 {
		t.rosterStatus.SetText(plural(int64(len(people)), "person") + " on the roster.")
	}
	t.mapStatus.SetText("No data map loaded: events have a data category only where their log states one.")
	if len(dm) > 0 {
		t.mapStatus.SetText(plural(int64(len(dm)), "data-map row") + " loaded.")
	}
}

// load reads the tables in the background.
func (t *contextTables) load(c contextKeeper) {
	t.d.g.bg.spawn(func() {
		ctx := context.Background()
		people, err := c.Roster(ctx)
		dm, derr := c.DataMap(ctx)
		t.d.g.bg.do(func() { t.show(people, dm, firstErr(err, derr)) })
	})
}

func (t *contextTables) onLoadRoster(path string) { t.run("roster", path) }
func (t *contextTables) onLoadMap(path string)    { t.run("data map", path) }

// run loads a roster or a data map as a cancellable job with progress.
func (t *contextTables) run(what, path string) {
	c, ok := t.d.c.(contextKeeper)
	if !ok || !t.d.g.canStartJob() {
		return
	}
	var res casefile.ContextResult
	t.d.setStatus("Loading the "+what+" from "+path+"…", false)
	t.d.g.prog.start("Loading the "+what, func(ctx context.Context, progress casefile.ProgressFunc) error {
		var err error
		if what == "roster" {
			res, err = c.ImportRoster(ctx, path, progress)
		} else {
			res, err = c.ImportDataMap(ctx, path, progress)
		}
		return err
	}, func(err error) {
		if err != nil {
			t.d.setStatus("The "+what+" was not loaded: "+sentence(err)+". Nothing in the case changed.", true)
			return
		}
		hit := "have a person"
		if what != "roster" {
			hit = "have a mapped category"
		}
		msg := fmt.Sprintf("Loaded %s from %s: %s of %s events %s (%s changed).", plural(int64(res.Entries), "row"),
			res.File, casefile.Commas(res.Matched), casefile.Commas(res.Events), hit, casefile.Commas(res.Changed))
		if len(res.Ambiguous) > 0 {
			msg += fmt.Sprintf(" %d identifiers name two people and match neither.", len(res.Ambiguous))
		}
		t.d.setStatus(msg, false)
		t.load(c)
	})
}

// contextKeeper is what the tab needs from a case.
type contextKeeper interface {
	Roster(ctx context.Context) ([]model.RosterEntry, error)
	DataMap(ctx context.Context) ([]model.DataMapEntry, error)
	ImportRoster(ctx context.Context, path string, progress casefile.ProgressFunc) (casefile.ContextResult, error)
	ImportDataMap(ctx context.Context, path string, progress casefile.ProgressFunc) (casefile.ContextResult, error)
}
