package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// overviewer is what the overview needs from a case.
type overviewer interface {
	Overview(ctx context.Context) (casefile.Overview, error)
}

// caseOverview is the first tab of an opened case: what the case holds,
// what waits for the investigator, each with the button that goes there,
// and the next steps.
type caseOverview struct {
	src overviewer
	bg  *runner

	title   *widget.Label
	byline  *widget.Label
	holds   *fyne.Container
	waits   *fyne.Container
	steps   *fyne.Container
	content fyne.CanvasObject

	// Touched on the UI goroutine only.
	gen      int
	loaded   bool
	shown    casefile.Overview
	readOnly bool // the case refuses changes: no running rules, no import

	// What its buttons do, set by the case view.
	onRunRules, onReview, onImport, onSearchAll, onTimeline, onReport, onGuide func()
	onCountry                                                                  func(code string)
	onStatement                                                                func(id int64)
	onSource                                                                   func(s model.Source)
}

func newCaseOverview(src overviewer, bg *runner) *caseOverview {
	v := &caseOverview{src: src, bg: bg}
	v.title = widget.NewLabelWithStyle("Loading…", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.SizeName = theme.SizeNameSubHeadingText
	v.title.Wrapping = fyne.TextWrapWord
	v.byline = widget.NewLabel("")
	v.byline.Wrapping = fyne.TextWrapWord
	v.holds = container.NewVBox()
	v.waits = container.NewVBox()
	v.steps = container.NewVBox()
	heading := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	body := container.NewVBox(v.title, v.byline,
		widget.NewSeparator(), heading("In this case"), v.holds,
		widget.NewSeparator(), heading("Waiting for you"), v.waits,
		widget.NewSeparator(), heading("Next steps"), v.steps)
	v.content = container.NewVScroll(container.NewPadded(body))
	return v
}

// reload fetches the overview in a goroutine and shows it in one call on
// the UI goroutine; a newer reload wins.
func (v *caseOverview) reload() {
	v.gen++
	gen := v.gen
	v.bg.spawn(func() {
		o, err := v.src.Overview(context.Background())
		v.bg.do(func() {
			if gen != v.gen {
				return
			}
			if err != nil {
				v.title.SetText("Could not sum the case up: " + sentence(err))
				return
			}
			v.set(o)
		})
	})
}

// set shows an overview.
func (v *caseOverview) set(o casefile.Overview) {
	v.shown, v.loaded = o, true
	v.title.SetText(o.Title)
	by := []string{}
	if o.Investigator != "" {
		by = append(by, "Investigator: "+o.Investigator)
	}
	if !o.LastImport.IsZero() {
		by = append(by, "last import "+o.LastImport.Local().Format("2006-01-02 15:04"))
	}
	v.byline.SetText(strings.Join(by, " · "))
	v.holds.Objects = v.holdsRows(o)
	v.waits.Objects = v.waitRows(o)
	v.steps.Objects = v.stepRows(o)
	v.holds.Refresh()
	v.waits.Refresh()
	v.steps.Refresh()
}

// holdsRows is what the case holds: sources by kind with the meetings and
// the dates they span, and events by country.
func (v *caseOverview) holdsRows(o casefile.Overview) []fyne.CanvasObject {
	if o.Transcripts+o.AccessLogs == 0 {
		return []fyne.CanvasObject{overviewLine(theme.InfoIcon(), "Nothing is imported yet: drop transcripts and access logs on the window, or import them.", nil)}
	}
	var rows []fyne.CanvasObject
	if o.Transcripts > 0 {
		s := fmt.Sprintf("%s: %s, %s", countOf(int64(o.Transcripts), "transcript"), countOf(int64(o.Meetings), "meeting"),
			countOf(o.Segments, "segment"))
		if o.MeetingsFrom != "" {
			s += ", " + dateSpan(o.MeetingsFrom, o.MeetingsTo)
		}
		rows = append(rows, overviewLine(theme.DocumentIcon(), s+".", nil))
	}
	if o.AccessLogs > 0 {
		s := fmt.Sprintf("%s: %s", countOf(int64(o.AccessLogs), "access log"), countOf(o.Events, "event"))
		if !o.EventsFrom.IsZero() {
			s += ", " + dateSpan(o.EventsFrom.Format(time.DateOnly), o.EventsTo.Format(time.DateOnly))
		}
		rows = append(rows, overviewLine(theme.GridIcon(), s+".", nil))
	}
	if len(o.Countries) > 0 {
		rows = append(rows, widget.NewLabel("Events by country (a click searches them):"))
		grid := container.NewGridWithColumns(4)
		for _, c := range o.Countries {
			label := c.Country
			if label == "" {
				label = "no country"
			}
			b := widget.NewButton(fmt.Sprintf("%s  %s", label, thousands(c.Events)), nil)
			b.Importance = widget.LowImportance
			b.Alignment = widget.ButtonAlignLeading
			if code := c.Country; code != "" {
				b.OnTapped = func() { call1(v.onCountry, code) }
			} else {
				b.Disable()
			}
			grid.Add(b)
		}
		rows = append(rows, grid)
	}
	return rows
}

// waitRows is what waits, each with the button that goes there; a line
// saying nothing waits when nothing does.
func (v *caseOverview) waitRows(o casefile.Overview) []fyne.CanvasObject {
	var rows []fyne.CanvasObject
	imported := o.Transcripts+o.AccessLogs > 0
	if len(o.Rules) > 0 && imported {
		why := map[string]int64{}
		for _, r := range o.Rules {
			why[r.Why]++
		}
		var parts []string
		for _, w := range []string{casefile.RuleNeverRun, casefile.RuleBeforeImport, casefile.RuleEditedSince} {
			if n := why[w]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %s", plural(n, "rule"), ruleWhy(w, n)))
			}
		}
		b := overviewButton("Run the rules", theme.MediaPlayIcon(), v.onRunRules)
		if v.readOnly {
			b.Disable()
		}
		rows = append(rows, overviewLine(theme.WarningIcon(), joinSentence(parts)+
			": their suggestions do not cover the case as it is now.", b))
	}
	if o.OpenSuggestions > 0 {
		rows = append(rows, overviewLine(theme.ConfirmIcon(),
			countOf(o.OpenSuggestions, "suggestion")+" of the rules "+waitVerb(o.OpenSuggestions)+" for review.",
			overviewButton("Review", theme.NavigateNextIcon(), v.onReview)))
	}
	if n := len(o.Unsupported); n > 0 {
		s := fmt.Sprintf("%s of %d %s no evidence linked", plural(int64(n), "statement"), o.Statements, hasVerb(n))
		first := o.Unsupported[0]
		s += fmt.Sprintf(", the first by %s: “%s”.", first.Who, clipRunes(oneLine(first.Words), 90))
		id := first.ID
		rows = append(rows, overviewLine(theme.AccountIcon(), s,
			overviewButton("Link evidence", theme.NavigateNextIcon(), func() { call1(v.onStatement, id) })))
	}
	for _, s := range o.Troubled {
		var what []string
		if s.Rejects > 0 {
			what = append(what, countOf(s.Rejects, "rejected row"))
		}
		if n := len(s.Warnings); n > 0 {
			what = append(what, fmt.Sprintf("%s (%s)", plural(int64(n), "warning"), clipRunes(s.Warnings[0], 120)))
		}
		src := s
		rows = append(rows, overviewLine(theme.ErrorIcon(), s.Name+": "+strings.Join(what, ", ")+".",
			overviewButton("Show", theme.NavigateNextIcon(), func() { call1(v.onSource, src) })))
	}
	if len(rows) == 0 {
		msg := "Nothing waits: every rule has run since the last import, no suggestion waits for review, every statement has evidence and every file was read whole."
		if !imported {
			msg = "Nothing waits yet: import the case's files first."
		}
		rows = append(rows, overviewLine(theme.ConfirmIcon(), msg, nil))
	}
	return rows
}

// stepRows are the buttons to what the investigator does next.
func (v *caseOverview) stepRows(o casefile.Overview) []fyne.CanvasObject {
	imp := overviewButton("Import files…", theme.ContentAddIcon(), v.onImport)
	if v.readOnly {
		imp.Disable()
	}
	search := overviewButton("Search everything", theme.SearchIcon(), v.onSearchAll)
	tl := overviewButton("Timeline", theme.HistoryIcon(), v.onTimeline)
	report := overviewButton("Export report…", theme.DocumentPrintIcon(), v.onReport)
	guide := overviewButton("Your first case…", theme.HelpIcon(), v.onGuide)
	if v.readOnly {
		report.Disable() // as on the toolbar: a read-only case writes no report
	}
	if o.Transcripts+o.AccessLogs == 0 {
		imp.Importance = widget.HighImportance
		search.Disable()
		tl.Disable()
		report.Disable()
	}
	return []fyne.CanvasObject{container.New(&flow{}, imp, search, tl, report, guide)} // wraps in a narrow window
}

// overviewLine is one line of the overview: an icon, words that wrap, and
// the button that goes there (nil for none).
func overviewLine(icon fyne.Resource, text string, action *widget.Button) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	var right fyne.CanvasObject
	if action != nil {
		right = container.NewCenter(action)
	}
	return container.NewBorder(nil, nil, widget.NewIcon(icon), right, l)
}

// overviewButton is a button of the overview that runs f (when set).
func overviewButton(label string, icon fyne.Resource, f func()) *widget.Button {
	return widget.NewButtonWithIcon(label, icon, func() {
		if f != nil {
			f()
		}
	})
}

// call1 calls f with a value when f is set.
func call1[T any](f func(T), x T) {
	if f != nil {
		f(x)
	}
}

// dateSpan is "2022-01-14 to 2022-08-30", or one day.
func dateSpan(from, to string) string {
	if from == to {
		return "on " + from
	}
	return from + " to " + to
}

// ruleWhy says why n rules wait, after "N rules".
func ruleWhy(why string, n int64) string {
	switch why {
	case casefile.RuleNeverRun:
		if n == 1 {
			return "has never run"
		}
		return "have never run"
	case casefile.RuleEditedSince:
		if n == 1 {
			return "was changed since it last ran"
		}
		return "were changed since they last ran"
	}
	return "ran before the last import"
}

// waitVerb is "waits" or "wait".
func waitVerb(n int64) string {
	if n == 1 {
		return "waits"
	}
	return "wait"
}

// hasVerb is "has" or "have", after "N of M statements".
func hasVerb(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

// joinSentence joins clauses with commas and a last "and".
func joinSentence(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// newOverviewTab makes the overview, wires its buttons to the case view
// and returns its tab, the first of the workbench.
func (v *caseView) newOverviewTab() *container.TabItem {
	o := newCaseOverview(v.c, v.g.bg)
	o.readOnly = v.readOnly != ""
	o.onRunRules = func() {
		v.tabs.Select(v.reviewTab)
		v.review.onRunRules()
	}
	o.onReview = v.onShowReview
	o.onImport = v.onImportFiles
	o.onSearchAll = func() {
		f := v.results.filters
		for _, p := range f.active() {
			f.set(p[0], "")
		}
		v.results.entry.SetText("")
		f.changed()
		v.tabs.Select(v.searchTab)
	}
	o.onTimeline = func() { v.tabs.Select(v.timelineTab) }
	o.onReport = v.onExportReport
	o.onGuide = v.g.onFirstCaseHelp
	o.onCountry = func(code string) {
		f := v.results.filters
		for _, p := range f.active() {
			f.set(p[0], "")
		}
		v.results.entry.SetText("")
		f.set("country", code)
		f.changed()
		v.tabs.Select(v.searchTab)
	}
	o.onStatement = v.onTreeStatement
	o.onSource = func(s model.Source) {
		v.sources.selectSource(sourceUID(s))
		if s.Rejects > 0 {
			v.showRejects(sourceUID(s))
		}
	}
	v.home = o
	v.homeTab = container.NewTabItemWithIcon("Overview", theme.HomeIcon(), o.content)
	return v.homeTab
}
