package ui

import (
	"context"
	"errors"
	"fmt"
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

// caseAPI is what the workbench needs from an open case.
type caseAPI interface {
	sourceLister
	hitSearcher
	segmentLoader
	reviewer
	tagger
	reportWriter
	timeliner
	statementKeeper
	settingsKeeper
	eventPager
	speakerKeeper
	packer
	toolKeeper
	ipCountrySourcer
	contextOpener
	overviewer
	Info(ctx context.Context) (casefile.Info, error)
	Notes(ctx context.Context, item model.ItemID, contains string) ([]model.Note, error)
	Related(ctx context.Context, item model.ItemID) ([]string, error)
	AuditTrail(ctx context.Context) ([]model.AuditEntry, error)
	OriginalPath(src model.Source) string
	Import(ctx context.Context, paths []string, opts casefile.ImportOptions, progress casefile.ProgressFunc) ([]casefile.ImportResult, error)
	PreviewLog(ctx context.Context, path string, opts casefile.ImportOptions, rows int) (casefile.LogPreview, error)
	AlreadyInCase(ctx context.Context, paths []string, progress casefile.ProgressFunc) (map[string]error, error)
	dryRunner
	MappingProfiles(ctx context.Context) ([]casefile.MappingProfile, error)
	Rejects(ctx context.Context, sourceID int64) ([]model.Rejection, error)
	Verify(ctx context.Context, progress casefile.ProgressFunc) (casefile.VerifyReport, error)
	verifier
	ReadOnly() (readOnly bool, why string)
	Reindex(ctx context.Context, progress casefile.ProgressFunc) error
	CatchUp(ctx context.Context, progress casefile.ProgressFunc) error
	Close() error
}

// caseView is the workbench of an open case: the toolbar, the sources on
// the left, search results and the reader in the centre, details on the
// right.
type caseView struct {
	c   caseAPI
	g   *gui
	dir string

	header  *widget.Label
	home    *caseOverview // the first tab: what the case holds and what waits
	sources *sourcesView
	results *resultsView
	reader  *readerView
	details *detailsView
	review  *reviewView
	tline   *timelineView
	stmts   *statementsView
	alog    *accessLogView

	tabs          *container.AppTabs
	homeTab       *container.TabItem
	searchTab     *container.TabItem
	readerTab     *container.TabItem
	reviewTab     *container.TabItem
	timelineTab   *container.TabItem
	statementsTab *container.TabItem
	logTab        *container.TabItem
	outer, inner  *container.Split
	content       fyne.CanvasObject

	// Touched on the UI goroutine only.
	findings      dialog.Dialog  // the last verify or report-check findings shown
	sel           selection      // what the details show
	preparing     bool           // an import's files are being previewed
	tagDialog     *tagDialog     // the last one opened, for tests
	reportDialog  *reportDialog  // the last one opened, for tests
	mapDialog     *mappingDialog // the last one opened, for tests
	importResults *importResults // the last one shown, for tests
	dryRunText    *widget.Label  // the last import preview shown, for tests
	settings      *settingsDialog
	saveDialog    *dialog.FormDialog
	noteForm      *noteForm

	itemTags       []string // the confirmed tags of the item the details show
	untagDialog    *dialog.FormDialog
	shownSpeaker   string        // the speaker the details show, "" when none
	speakerStatus  string        // what the last change of the registry did
	speakerForm    *speakerForm  // the last speaker dialog opened, for tests
	packDialog     *packDialog   // the last one opened, for tests
	exportDialog   *exportDialog // the last one opened, for tests
	searchesDialog *savedSearchesDialog
	rulesDialog    *rulesDialog
	batchDialog    *batchDialog
	tagsDialog     *tagsDialog
	speakerButtons []fyne.CanvasObject // the speaker's actions shown, for tests
	readOnly       string              // why the case refuses changes, "" when it takes them
	banner         *widget.Label       // the read-only banner, nil when the case takes changes
	idx            *indexStrip         // the search index catching up in the background
	// catchUp brings the index in step in batches; tests replace it.
	catchUp       func(ctx context.Context, progress casefile.ProgressFunc) error
	changeButtons []*widget.Button // the toolbar's buttons that change the case

	hist            history        // where Back and Forward go
	backBtn, fwdBtn *widget.Button // the toolbar's Back and Forward
}

func newCaseView(c caseAPI, g *gui, dir string) *caseView {
	v := &caseView{c: c, g: g, dir: dir}
	if ro, why := c.ReadOnly(); ro {
		v.readOnly = why
	}
	v.header = widget.NewLabelWithStyle("Loading…", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.header.Wrapping = fyne.TextWrapWord // the title and counts are never cut off
	v.sources = newSourcesView()
	v.sources.onSelected = v.onSourceSelected
	v.sources.onTag = v.onTreeTag
	v.sources.onSpeaker = v.onTreeSpeaker
	v.sources.onSearch = v.onTreeSearch
	v.sources.onStatement = v.onTreeStatement
	v.sources.onRule = v.onTreeRule
	v.results = newResultsView(c, g.bg)
	v.results.onSelected = v.onHitSelected
	v.results.onSave = v.onSaveSearch
	v.results.onOpen = v.openHit
	v.results.onSearched = v.onSearched
	v.reader = newReaderView(c, g.bg)
	v.reader.onSelected = v.onSegmentSelected
	v.details = newDetailsView(v.onTag, v.onNoteItem, v.onUntag)
	v.review = newReviewView(c, g)
	v.review.onChanged = func() {
		v.loadTagOptions()
		v.loadOverview()
	}
	v.review.onSelected = v.onSuggestionSelected
	v.review.onOpen = func(t casefile.ReviewItem) { v.openInContext(t.Item, nil) }
	v.review.onOpenEx = v.openExhibit
	v.tline = newTimelineView(c, g.bg)
	v.tline.onRange = v.onTimelineRange
	v.tline.onClear = v.onTimelineClear
	v.stmts = newStatementsView(c, g, func() selection { return v.sel })
	v.stmts.onChanged = v.loadOverview
	v.stmts.onOpen = v.openLinked
	v.alog = newAccessLogView(c, g.bg)
	v.alog.onSelected = v.onLogEventSelected

	v.searchTab = container.NewTabItemWithIcon("Search", theme.SearchIcon(), v.results.content)
	v.readerTab = container.NewTabItemWithIcon("Reader", theme.DocumentIcon(), v.reader.content)
	v.reviewTab = container.NewTabItemWithIcon("Review", theme.ConfirmIcon(), v.review.content)
	v.timelineTab = container.NewTabItemWithIcon("Timeline", theme.HistoryIcon(), v.tline.content)
	v.statementsTab = container.NewTabItemWithIcon("Statements", theme.AccountIcon(), v.stmts.content)
	v.logTab = container.NewTabItemWithIcon("Access log", theme.GridIcon(), v.alog.content)
	items := []*container.TabItem{v.newOverviewTab(), v.searchTab, v.readerTab, v.logTab, v.timelineTab, v.reviewTab, v.statementsTab}
	// A tab wider than the window scrolls sideways rather than making the
	// window grow when it is chosen (tabs ask for the widest one's room).
	// Their icons go: labels alone keep the column of tabs short enough for
	// a window 700 pixels high with a job's progress showing.
	for _, it := range items {
		it.Content = container.NewHScroll(it.Content)
		it.Icon = nil
	}
	v.tabs = container.NewAppTabs(items...)
	v.tabs.OnSelected = v.onTabSelected
	// Down the side, every tab keeps its label however narrow the window:
	// along the top, seven tabs fold into a "…" menu below 1,300 pixels.
	v.tabs.SetTabLocation(container.TabLocationLeading)

	panes := container.NewVSplit(v.sources.tree, v.results.facets.content)
	panes.SetOffset(0.45)
	left := container.NewBorder(v.header, nil, nil, nil, panes)
	right := container.NewBorder(
		widget.NewLabelWithStyle("Details", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, v.details.content)
	v.inner = container.NewHSplit(v.tabs, right)
	v.inner.SetOffset(g.app.Preferences().FloatWithFallback(prefInnerSplit, 0.7))
	v.outer = container.NewHSplit(left, v.inner)
	v.outer.SetOffset(g.app.Preferences().FloatWithFallback(prefOuterSplit, 0.22))
	top := v.toolbar()
	if v.readOnly != "" {
		var banner *fyne.Container
		banner, v.banner = readOnlyBanner(v.readOnly)
		top = container.NewVBox(top, banner)
	}
	v.idx = newIndexStrip(v.startCatchUp)
	v.catchUp = c.CatchUp
	v.content = container.NewBorder(top, v.idx.box, nil, nil, v.outer)
	v.applyReadOnly()
	return v
}

func (v *caseView) toolbar() fyne.CanvasObject {
	btn := func(label string, icon fyne.Resource, f func()) *widget.Button {
		b := widget.NewButtonWithIcon(label, icon, f)
		b.Importance = widget.LowImportance
		return b
	}
	importFiles := btn("Import files…", theme.ContentAddIcon(), v.onImportFiles) // files and folders
	reindex := btn("Reindex", theme.ViewRefreshIcon(), v.onReindex)
	report := btn("Export report…", theme.DocumentPrintIcon(), v.onExportReport)
	v.changeButtons = []*widget.Button{importFiles, reindex, report}
	nav := v.navButtons()
	// A window narrower than the buttons scrolls them rather than growing.
	return container.NewVBox(container.NewHScroll(container.NewHBox(
		nav[0], nav[1],
		widget.NewSeparator(),
		importFiles,
		btn("Verify case", theme.ConfirmIcon(), v.onVerify),
		reindex,
		widget.NewSeparator(),
		report,
		btn("Settings…", theme.SettingsIcon(), v.onSettings),
		widget.NewSeparator(),
		btn("Open case…", theme.FolderOpenIcon(), v.g.onOpen),
		btn("Close case", theme.LogoutIcon(), v.g.onCloseCase),
	)), widget.NewSeparator())
}

// reload fetches the case's info and sources in a goroutine and applies
// them in one call on the UI goroutine.
func (v *caseView) reload() {
	v.g.bg.spawn(func() {
		ctx := context.Background()
		info, ierr := v.c.Info(ctx)
		srcs, serr := v.c.Sources(ctx)
		v.g.bg.do(func() {
			if v.g.cv != v {
				return // closed meanwhile
			}
			switch {
			case serr != nil:
				v.header.SetText("Could not list the sources: " + sentence(serr))
			case ierr != nil:
				v.header.SetText("Could not read the case: " + sentence(ierr))
			default:
				v.header.SetText(headerText(info))
			}
			v.sources.set(srcs)
		})
	})
	v.results.rerunOrListAll()
	v.review.invalidate(v.tabs.Selected() == v.reviewTab)
	v.tline.invalidate(v.tabs.Selected() == v.timelineTab)
	if v.stmts.loaded {
		v.stmts.reload()
	}
	v.loadTagOptions()
	v.loadOverview()
}

// loadOverview fetches the case tree's tags, saved searches, statements
// and rules in a goroutine and shows them at once, and sums the case up
// again on the Overview tab.
func (v *caseView) loadOverview() {
	v.home.reload()
	v.g.bg.spawn(func() {
		ctx := context.Background()
		var o overview
		var errs [6]error
		o.speakers, errs[5] = v.c.Speakers(ctx)
		o.tags, errs[0] = v.c.Tags(ctx)
		o.searches, errs[1] = v.c.SavedSearches(ctx)
		o.statements, errs[2] = v.c.Statements(ctx)
		o.rules, errs[3] = v.c.Rules(ctx)
		o.open, errs[4] = v.c.OpenSuggestionCounts(ctx)
		// A read-only case whose built-in tags and rules cannot be set up
		// lists the rest.
		for i, err := range errs {
			if errors.Is(err, casefile.ErrReadOnly) {
				errs[i] = nil
			}
		}
		v.g.bg.do(func() {
			if v.g.cv != v {
				return
			}
			if err := firstErr(errs[:]...); err != nil {
				v.header.SetText("Could not list the speakers, tags, searches, statements or rules: " + sentence(err))
				return
			}
			v.sources.setOverview(o)
			if v.shownSpeaker != "" {
				v.showSpeaker(v.shownSpeaker)
			}
		})
	})
}

// onTreeTag searches the items with a tag picked in the case tree.
func (v *caseView) onTreeTag(name string) {
	f := v.results.filters
	f.set("tag", name)
	f.changed()
	v.tabs.Select(v.searchTab)
}

// onTreeSearch runs a saved search picked in the case tree.
func (v *caseView) onTreeSearch(s casefile.SavedSearch) {
	f := v.results.filters
	for _, p := range f.active() {
		f.set(p[0], "")
	}
	for _, p := range [][2]string{{"kind", s.Filters.Kind}, {"country", s.Filters.Country}, {"tag", s.Filters.Tag},
		{"approval", s.Filters.Approval}, {"speaker", s.Filters.Speaker}, {"actor", s.Filters.Actor},
		{"source", s.Filters.Source}, {"office", s.Filters.Office}, {"category", s.Filters.Category},
		{"ip", s.Filters.IP}, {"from", s.Filters.From}, {"to", s.Filters.To}} {
		if p[1] != "" {
			f.set(p[0], p[1])
		}
	}
	v.results.entry.SetText(s.Query)
	f.changed()
	v.tabs.Select(v.searchTab)
}

// searchIP searches for the items carrying an IP address, as "Search
// this IP" in the details asks: the query ip:ADDRESS, with no filters
// left over from the last search to hide its hits.
func (v *caseView) searchIP(ip string) {
	f := v.results.filters
	for _, p := range f.active() {
		f.set(p[0], "")
	}
	v.results.entry.SetText("ip:" + ip)
	f.changed()
	v.tabs.Select(v.searchTab)
}

// onTreeStatement shows a statement picked in the case tree.
func (v *caseView) onTreeStatement(id int64) {
	v.tabs.Select(v.statementsTab)
	v.stmts.selectID(id)
}

// onTreeRule shows a rule's suggestions picked in the case tree.
func (v *caseView) onTreeRule(id string) {
	v.tabs.Select(v.reviewTab)
	v.review.selectRule(id)
}

// onSaveSearch asks for a name and keeps the current search in the case.
func (v *caseView) onSaveSearch() {
	if v.refuseChange() {
		return
	}
	q := v.results.query
	q.Text = v.results.entry.Text
	q.Filters = v.results.filters.filters()
	name := newEntry()
	name.SetPlaceHolder("e.g. Beijing phone numbers")
	name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("give the search a name")
		}
		return nil
	}
	d := dialog.NewForm("Save the search", "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Name", name),
	}, func(ok bool) {
		if !ok {
			return
		}
		n := strings.TrimSpace(name.Text)
		v.g.bg.spawn(func() {
			_, err := v.c.SaveSearch(context.Background(), n, q)
			v.g.bg.do(func() {
				if err != nil {
					v.g.showError("The search was not saved", err)
					return
				}
				v.results.showStatus("Saved as “" + n + "”: it is listed under Saved searches on the left.")
				v.loadOverview()
			})
		})
	}, v.g.win)
	d.Resize(fyne.NewSize(460, 0))
	v.saveDialog = d
	d.Show()
}

// onTabSelected gives the review queue the keyboard when its tab shows,
// and loads the timeline and the statements when first shown.
func (v *caseView) onTabSelected(t *container.TabItem) {
	switch t {
	case v.homeTab:
		v.home.reload() // what waits changes as the investigator works
	case v.reviewTab:
		v.review.showIfStale()
		v.g.win.Canvas().Focus(v.review.list)
	case v.timelineTab:
		v.tline.show()
	case v.statementsTab:
		v.stmts.show()
	}
}

// onTimelineRange searches the days dragged across on the timeline.
func (v *caseView) onTimelineRange(from, to string) {
	f := v.results.filters
	f.set("from", from)
	f.set("to", to)
	f.changed()
	v.tabs.Select(v.searchTab)
}

// onTimelineClear drops the dates the timeline set and searches again.
func (v *caseView) onTimelineClear() {
	f := v.results.filters
	f.set("from", "")
	f.set("to", "")
	f.changed()
}

// headerText sums the case up above the sources.
func headerText(in casefile.Info) string {
	var b strings.Builder
	b.WriteString(in.Title)
	if in.Investigator != "" {
		b.WriteString("\n" + in.Investigator)
	}
	fmt.Fprintf(&b, "\n%s · %s · %s", countOf(int64(in.Sources), "source"),
		countOf(in.Segments, "segment"), countOf(in.Events, "event"))
	return b.String()
}

func (v *caseView) onSourceSelected(s model.Source) {
	v.details.showSource(s, v.c.OriginalPath(s))
	if s.Rejects > 0 {
		id := sourceUID(s)
		v.details.setActions(widget.NewButtonWithIcon(fmt.Sprintf("Show the %s…", plural(s.Rejects, "rejected row")),
			theme.ListIcon(), func() { v.showRejects(id) }))
	}
	if acts := v.recordingActions(s); len(acts) > 0 {
		v.details.setActions(append(append([]fyne.CanvasObject(nil), v.details.actions.Objects...), acts...)...)
	}
	v.selectItem(selection{item: model.ItemID{Kind: model.ItemSource, N: s.ID}})
	switch s.Kind {
	case model.KindTranscript, model.KindRecording:
		v.reader.load(s)
		v.tabs.Select(v.readerTab)
	case model.KindAccessLog:
		v.alog.load(s)
		v.tabs.Select(v.logTab)
	}
}

// onLogEventSelected shows an access-log row in the details.
func (v *caseView) onLogEventSelected(e model.Event, src model.Source) {
	v.details.showEvent(e, src)
	v.details.setActions(ipActions(casefile.EventIPs(e), v.searchIP)...)
	v.selectItem(selection{item: model.ItemID{Kind: model.ItemEvent, N: e.ID}})
	v.showIPCountrySource(e)
}

func (v *caseView) onHitSelected(h casefile.Hit) {
	src, _ := v.sources.source(h.SourceID)
	v.details.showHit(h, src)
	id, err := model.ParseItemID(h.ID)
	if err != nil {
		v.details.setActions(ipActions(h.IPs, v.searchIP)...)
		v.selectItem(selection{})
		return
	}
	v.details.setActions(append([]fyne.CanvasObject{v.openButton(id, h.Marks)}, ipActions(h.IPs, v.searchIP)...)...)
	if id.Kind == model.ItemEvent {
		v.showRawRow(id)
	}
	text := ""
	if id.Kind == model.ItemSegment {
		text = h.Text
	}
	v.selectItem(selection{item: id, text: text})
}

func (v *caseView) onSegmentSelected(s model.Segment, src model.Source) {
	v.details.showSegment(s, src)
	v.selectItem(selection{item: model.ItemID{Kind: model.ItemSegment, N: s.ID}, text: s.Text})
}

// selectItem records what the details show and loads its tags.
func (v *caseView) selectItem(s selection) {
	v.sel = s
	v.shownSpeaker = ""
	v.stmts.updateButtons()
	if s.item.N != 0 {
		v.loadItemTags(s.item)
	}
}

// onNoteItem asks for a note on the item the details show and saves it.
func (v *caseView) onNoteItem() {
	item := v.sel.item
	if item.N == 0 || v.refuseChange() {
		return
	}
	f := newNoteForm(v.g.win, item, func(text string, private bool) {
		v.g.bg.spawn(func() {
			_, err := v.c.AddNote(context.Background(), item, text, private)
			v.g.bg.do(func() {
				if err != nil {
					v.g.showError("Could not save the note", err)
					return
				}
				if v.sel.item == item {
					v.loadItemTags(item)
				}
			})
		})
	})
	v.noteForm = f
	f.dlg.Show()
	v.g.win.Canvas().Focus(f.text)
}

// onFind moves the focus to the search bar, or in the Reader showing a
// transcript opens Find in this transcript.
func (v *caseView) onFind() {
	if v.tabs.Selected() == v.readerTab && v.reader.source.ID != 0 {
		v.reader.find.show()
		return
	}
	v.tabs.Select(v.searchTab)
	v.g.win.Canvas().Focus(v.results.entry)
}

// onVerify re-hashes the originals, re-hashes every record against its seal
// and checks the case as a job.
func (v *caseView) onVerify() { v.verify(false) }

// onReindex rebuilds the search index from the database as a job.
func (v *caseView) onReindex() {
	if v.refuseChange() || v.refuseWhileIndexing("rebuild it") || !v.g.canStartJob() {
		return
	}
	v.g.prog.start("Rebuilding the search index", func(ctx context.Context, p casefile.ProgressFunc) error {
		return v.c.Reindex(ctx, p)
	}, func(err error) {
		if errors.Is(err, context.Canceled) {
			v.results.rerun()
			v.g.showError("Reindex cancelled", errors.New(
				"the search index was only partly rebuilt, so searches may miss items: run Reindex again before relying on them"))
			return
		}
		if err != nil {
			v.g.showError("Reindex failed", err)
			return
		}
		v.reload()
		v.results.rerun()
		dialog.ShowInformation("Reindex", "The search index was rebuilt from the case database.", v.g.win)
	})
}

// close remembers the pane widths, abandons running searches and closes
// the case, releasing its lock.
func (v *caseView) close() error {
	v.reader.play.stop() // no sound goes on from a closed case
	v.idx.stop()
	v.rememberPanes()
	v.results.abandon()
	return v.c.Close()
}

// onShowReview shows the review tab with the queue focused.
func (v *caseView) onShowReview() {
	v.tabs.Select(v.reviewTab)
	v.g.win.Canvas().Focus(v.review.list)
}

// onSuggestionSelected shows a suggestion under review in the details.
func (v *caseView) onSuggestionSelected(t casefile.ReviewItem, rule string) {
	v.sel = selection{} // review it with A or R; Tag… applies to hits and segments
	v.shownSpeaker = ""
	v.stmts.updateButtons()
	v.details.set(rule, []field{
		{"Item", t.Item.String()},
		{"Actor", t.Actor},
		{"Day", t.Day},
		{"Tag", t.Tag},
		{"Rule", t.Origin},
		{"Confidence", strconv.FormatFloat(t.Confidence, 'f', 2, 64)},
		{"Related", t.Related},
		{"Status", t.Status},
	}, t.Explanation)
	v.details.setActions(v.openButton(t.Item, nil))
}

// rememberPanes keeps the pane widths for the next case opened.
func (v *caseView) rememberPanes() {
	p := v.g.app.Preferences()
	if p.Float(prefOuterSplit) != v.outer.Offset {
		p.SetFloat(prefOuterSplit, v.outer.Offset)
	}
	if p.Float(prefInnerSplit) != v.inner.Offset {
		p.SetFloat(prefInnerSplit, v.inner.Offset)
	}
}
