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
	Info(ctx context.Context) (casefile.Info, error)
	OriginalPath(src model.Source) string
	Import(ctx context.Context, paths []string, opts casefile.ImportOptions, progress casefile.ProgressFunc) ([]casefile.ImportResult, error)
	Verify(ctx context.Context, progress casefile.ProgressFunc) (casefile.VerifyReport, error)
	Reindex(ctx context.Context, progress casefile.ProgressFunc) error
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
	sources *sourcesView
	results *resultsView
	reader  *readerView
	details *detailsView
	review  *reviewView
	tline   *timelineView
	stmts   *statementsView

	tabs          *container.AppTabs
	searchTab     *container.TabItem
	readerTab     *container.TabItem
	reviewTab     *container.TabItem
	timelineTab   *container.TabItem
	statementsTab *container.TabItem
	content       fyne.CanvasObject

	// Touched on the UI goroutine only.
	sel          selection     // what the details show
	tagDialog    *tagDialog    // the last one opened, for tests
	reportDialog *reportDialog // the last one opened, for tests
}

func newCaseView(c caseAPI, g *gui, dir string) *caseView {
	v := &caseView{c: c, g: g, dir: dir}
	v.header = widget.NewLabelWithStyle("Loading…", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.header.Wrapping = fyne.TextWrapWord
	v.sources = newSourcesView()
	v.sources.onSelected = v.onSourceSelected
	v.results = newResultsView(c, g.bg)
	v.results.onSelected = v.onHitSelected
	v.reader = newReaderView(c, g.bg)
	v.reader.onSelected = v.onSegmentSelected
	v.details = newDetailsView(v.onTag)
	v.review = newReviewView(c, g)
	v.review.onChanged = v.loadTagOptions
	v.review.onSelected = v.onSuggestionSelected
	v.tline = newTimelineView(c, g.bg)
	v.tline.onRange = v.onTimelineRange
	v.tline.onClear = v.onTimelineClear
	v.stmts = newStatementsView(c, g, func() selection { return v.sel })

	v.searchTab = container.NewTabItemWithIcon("Search", theme.SearchIcon(), v.results.content)
	v.readerTab = container.NewTabItemWithIcon("Reader", theme.DocumentIcon(), v.reader.content)
	v.reviewTab = container.NewTabItemWithIcon("Review", theme.ConfirmIcon(), v.review.content)
	v.timelineTab = container.NewTabItemWithIcon("Timeline", theme.HistoryIcon(), v.tline.content)
	v.statementsTab = container.NewTabItemWithIcon("Statements", theme.AccountIcon(), v.stmts.content)
	v.tabs = container.NewAppTabs(v.searchTab, v.readerTab, v.timelineTab, v.reviewTab, v.statementsTab)
	v.tabs.OnSelected = v.onTabSelected

	panes := container.NewVSplit(v.sources.tree, v.results.facets.content)
	panes.SetOffset(0.45)
	left := container.NewBorder(v.header, nil, nil, nil, panes)
	right := container.NewBorder(
		widget.NewLabelWithStyle("Details", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, v.details.content)
	inner := container.NewHSplit(v.tabs, right)
	inner.SetOffset(0.7)
	outer := container.NewHSplit(left, inner)
	outer.SetOffset(0.22)
	v.content = container.NewBorder(v.toolbar(), nil, nil, nil, outer)
	return v
}

func (v *caseView) toolbar() fyne.CanvasObject {
	btn := func(label string, icon fyne.Resource, f func()) *widget.Button {
		b := widget.NewButtonWithIcon(label, icon, f)
		b.Importance = widget.LowImportance
		return b
	}
	return container.NewVBox(container.NewHBox(
		btn("Import files…", theme.ContentAddIcon(), v.onImportFiles),
		btn("Import folder…", theme.FolderIcon(), v.onImportFolder),
		btn("Verify case", theme.ConfirmIcon(), v.onVerify),
		btn("Reindex", theme.ViewRefreshIcon(), v.onReindex),
		widget.NewSeparator(),
		btn("Open case…", theme.FolderOpenIcon(), v.g.onOpen),
		btn("Close case", theme.LogoutIcon(), v.g.onCloseCase),
	), widget.NewSeparator())
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
	v.review.reload(-1)
	v.tline.invalidate(v.tabs.Selected() == v.timelineTab)
	if v.stmts.loaded {
		v.stmts.reload()
	}
	v.loadTagOptions()
}

// onTabSelected gives the review queue the keyboard when its tab shows,
// and loads the timeline and the statements when first shown.
func (v *caseView) onTabSelected(t *container.TabItem) {
	switch t {
	case v.reviewTab:
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
	fmt.Fprintf(&b, "\n%s · %s · %s", plural(int64(in.Sources), "source"),
		plural(in.Segments, "segment"), plural(in.Events, "event"))
	return b.String()
}

func (v *caseView) onSourceSelected(s model.Source) {
	v.details.showSource(s, v.c.OriginalPath(s))
	v.selectItem(selection{item: model.ItemID{Kind: model.ItemSource, N: s.ID}})
	if s.Kind == model.KindTranscript {
		v.reader.load(s)
		v.tabs.Select(v.readerTab)
	}
}

func (v *caseView) onHitSelected(h casefile.Hit) {
	src, _ := v.sources.source(h.SourceID)
	v.details.showHit(h, src)
	id, err := model.ParseItemID(h.ID)
	if err != nil {
		v.selectItem(selection{})
		return
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
	v.stmts.updateButtons()
	if s.item.N != 0 {
		v.loadItemTags(s.item)
	}
}

// onFind moves the focus to the search bar.
func (v *caseView) onFind() {
	v.tabs.Select(v.searchTab)
	v.g.win.Canvas().Focus(v.results.entry)
}

// onVerify re-hashes the originals and checks the case as a job.
func (v *caseView) onVerify() {
	if !v.g.canStartJob() {
		return
	}
	var rep casefile.VerifyReport
	v.g.prog.start("Verifying the case", func(ctx context.Context, p casefile.ProgressFunc) error {
		var err error
		rep, err = v.c.Verify(ctx, p)
		return err
	}, func(err error) {
		switch {
		case err != nil:
			v.g.showError("Verification failed", err)
		case rep.OK:
			dialog.ShowInformation("Case verified", fmt.Sprintf(
				"No problems: %s re-hashed, %s of the audit trail checked, the index agrees with the database.",
				plural(int64(rep.Sources), "original"), plural(int64(rep.Audit), "entry")), v.g.win)
		default:
			text := widget.NewLabel(strings.Join(rep.Problems, "\n"))
			text.Wrapping = fyne.TextWrapWord
			text.Selectable = true
			d := dialog.NewCustom(fmt.Sprintf("Verification found %s", plural(int64(len(rep.Problems)), "problem")),
				"Close", container.NewVScroll(text), v.g.win)
			d.Resize(fyne.NewSize(800, 400))
			d.Show()
		}
	})
}

// onReindex rebuilds the search index from the database as a job.
func (v *caseView) onReindex() {
	if !v.g.canStartJob() {
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

// close abandons running searches and closes the case, releasing its lock.
func (v *caseView) close() error {
	v.results.abandon()
	return v.c.Close()
}

// onShowReview shows the review tab with the queue focused.
func (v *caseView) onShowReview() {
	v.tabs.Select(v.reviewTab)
	v.g.win.Canvas().Focus(v.review.list)
}

// onSuggestionSelected shows a suggestion under review in the details.
func (v *caseView) onSuggestionSelected(t casefile.Tagging, rule string) {
	v.sel = selection{} // review it with A or R; Tag… applies to hits and segments
	v.stmts.updateButtons()
	v.details.set(rule, []field{
		{"Item", t.Item.String()},
		{"Tag", t.Tag},
		{"Rule", t.Origin},
		{"Confidence", strconv.FormatFloat(t.Confidence, 'f', 2, 64)},
		{"Related", t.Related},
		{"Status", t.Status},
	}, t.Explanation)
}
