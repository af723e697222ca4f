package ui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// timeliner is what the timeline tab needs from a case.
type timeliner interface {
	Timeline(ctx context.Context) (casefile.Timeline, error)
}

// dayLayout is how the timeline writes a day, as casefile does.
const dayLayout = "2006-01-02"

// timelineTopCountries is how many countries get their own colour; the
// rest are stacked together as "other".
const timelineTopCountries = 6

// otherCountries and unknownCountry name the grouped and the blank country.
const (
	otherCountries = "other"
	unknownCountry = "unknown"
)

// timelinePalette colours the countries in legend order; the last colour
// is for "other".
var timelinePalette = []color.NRGBA{
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, // blue
	{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}, // red
	{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, // green
	{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, // orange
	{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}, // purple
	{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff}, // teal
	{R: 0x8c, G: 0x8c, B: 0x8c, A: 0xff}, // grey: other
}

// tlBar is one day's stacked bar.
type tlBar struct {
	day    string
	index  int     // days after the model's first day
	total  int64   // events that day
	parts  []int64 // events per series, in the legend's order
	height float32 // total relative to the busiest day, 0–1
}

// tlMeeting is a meeting's marker.
type tlMeeting struct {
	day   string
	index int
	title string
}

// tlModel is what the chart draws, computed from a casefile.Timeline: a
// continuous run of days from the first to the last dated thing, a bar for
// each day with events, and the meetings.
type tlModel struct {
	start    time.Time // the first day, UTC midnight
	days     int       // days in the run, both ends included; 0 when empty
	series   []string  // countries in legend order, "other" last when present
	totals   []int64   // events per series
	bars     []tlBar
	max      int64 // events on the busiest day
	events   int64
	meetings []tlMeeting
}

// buildTimeline turns the case's per-day, per-country counts into bars.
// The countries with most events get their own colour; the others are
// summed as "other". Days and meetings that do not parse are left out.
func buildTimeline(tl casefile.Timeline) tlModel {
	var m tlModel
	perCountry := map[string]int64{}
	var first, last time.Time
	see := func(d time.Time) {
		if first.IsZero() || d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	var counts []casefile.DayCount
	for _, dc := range tl.Days {
		d, err := time.Parse(dayLayout, dc.Day)
		if err != nil || dc.N <= 0 {
			continue
		}
		see(d)
		counts = append(counts, dc)
		perCountry[countryName(dc.Country)] += dc.N
	}
	var meetings []casefile.Meeting
	for _, mt := range tl.Meetings {
		if d, err := time.Parse(dayLayout, mt.Day); err == nil {
			see(d)
			meetings = append(meetings, mt)
		}
	}
	if first.IsZero() {
		return m
	}
	m.start = first
	m.days = int(last.Sub(first).Hours()/24) + 1

	names := make([]string, 0, len(perCountry))
	for n := range perCountry {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if perCountry[names[i]] != perCountry[names[j]] {
			return perCountry[names[i]] > perCountry[names[j]]
		}
		return names[i] < names[j]
	})
	slot := map[string]int{}
	for i, n := range names {
		if i < timelineTopCountries {
			slot[n] = i
			m.series = append(m.series, n)
			m.totals = append(m.totals, perCountry[n])
			continue
		}
		if i == timelineTopCountries {
			m.series = append(m.series, otherCountries)
			m.totals = append(m.totals, 0)
		}
		slot[n] = timelineTopCountries
		m.totals[timelineTopCountries] += perCountry[n]
	}

	byDay := map[string]int{} // day -> index in m.bars
	for _, dc := range counts {
		i, ok := byDay[dc.Day]
		if !ok {
			d, _ := time.Parse(dayLayout, dc.Day)
			i = len(m.bars)
			byDay[dc.Day] = i
			m.bars = append(m.bars, tlBar{day: dc.Day, index: m.dayIndex(d), parts: make([]int64, len(m.series))})
		}
		m.bars[i].parts[slot[countryName(dc.Country)]] += dc.N
		m.bars[i].total += dc.N
		m.events += dc.N
	}
	sort.Slice(m.bars, func(i, j int) bool { return m.bars[i].index < m.bars[j].index })
	for _, b := range m.bars {
		m.max = max(m.max, b.total)
	}
	for i := range m.bars {
		m.bars[i].height = float32(float64(m.bars[i].total) / float64(m.max))
	}
	for _, mt := range meetings {
		d, _ := time.Parse(dayLayout, mt.Day)
		m.meetings = append(m.meetings, tlMeeting{day: mt.Day, index: m.dayIndex(d), title: mt.Title})
	}
	return m
}

func countryName(c string) string {
	if c == "" {
		return unknownCountry
	}
	return c
}

// dayIndex is how many days d is after the first day.
func (m *tlModel) dayIndex(d time.Time) int { return int(d.Sub(m.start).Hours() / 24) }

// day is the date of the i-th day of the run.
func (m *tlModel) day(i int) string { return m.start.AddDate(0, 0, i).Format(dayLayout) }

// colour is the colour of series i.
func seriesColour(i int, name string) color.Color {
	if name == otherCountries || i >= len(timelinePalette) {
		return timelinePalette[len(timelinePalette)-1]
	}
	return timelinePalette[i]
}

// timelineView is the timeline tab: the chart, a line that says what it
// shows (or what lies under the pointer), and Clear range.
type timelineView struct {
	c  timeliner
	bg *runner

	chart    *timelineChart
	status   *widget.Label
	clearBtn *widget.Button
	focusRow *fyne.Container // what the densest span leaves out, and Show all
	focusMsg *widget.Label
	allBtn   *widget.Button
	content  fyne.CanvasObject

	// Touched on the UI goroutine only.
	loaded  bool // the data was asked for at least once
	stale   bool // the case changed since; load again when shown
	gen     int
	summary string
	span    string            // the selected range, "" when none
	tl      casefile.Timeline // the case's counts, as last loaded
	focus   tlFocus           // the densest span, when a few things lie far from the rest
	showAll bool              // the investigator asked for everything

	onRange func(from, to string) // a range was dragged: search it
	onClear func()                // Clear range: drop the dates again
}

func newTimelineView(c timeliner, bg *runner) *timelineView {
	v := &timelineView{c: c, bg: bg}
	v.chart = newTimelineChart()
	v.chart.onSelect = v.onChartSelect
	v.chart.onHover = v.onChartHover
	v.status = truncLabel("Loading the timeline…") // one line: hovering must not move the chart
	v.clearBtn = widget.NewButtonWithIcon("Clear range", theme.ContentClearIcon(), v.onClearRange)
	v.clearBtn.Disable()
	hint := widget.NewLabel("Drag across days (or click one) to search them.")
	hint.Importance = widget.LowImportance
	hint.Truncation = fyne.TextTruncateEllipsis
	v.focusMsg = widget.NewLabel("")
	v.focusMsg.Wrapping = fyne.TextWrapWord
	v.focusMsg.Importance = widget.WarningImportance
	v.allBtn = widget.NewButtonWithIcon("Show all", theme.ViewFullScreenIcon(), v.onShowAll)
	v.focusRow = container.NewBorder(nil, nil, nil, v.allBtn, v.focusMsg)
	v.focusRow.Hide()
	top := container.NewBorder(nil, v.focusRow, nil, container.NewVBox(v.clearBtn), container.NewVBox(v.status, hint))
	v.content = container.NewBorder(top, nil, nil, nil, v.chart)
	return v
}

// show loads the data the first time the tab shows, and again when the
// case changed since.
func (v *timelineView) show() {
	if !v.loaded || v.stale {
		v.load()
	}
}

// invalidate marks the data old after an import or reindex; visible says
// whether the tab shows, in which case it loads again at once.
func (v *timelineView) invalidate(visible bool) {
	if !v.loaded {
		return
	}
	v.stale = true
	if visible {
		v.load()
	}
}

// load fetches the timeline in a goroutine and applies it in one call.
func (v *timelineView) load() {
	v.loaded, v.stale = true, false
	v.gen++
	gen := v.gen
	v.bg.spawn(func() {
		tl, err := v.c.Timeline(context.Background())
		v.bg.do(func() {
			if gen != v.gen {
				return
			}
			if err != nil {
				v.summary = "Could not draw the timeline: " + sentence(err)
				v.status.SetText(v.summary)
				return
			}
			v.tl = tl
			v.focus = densestSpan(tl)
			v.draw()
		})
	})
}

// draw shows the loaded counts: the densest span when there is one and
// everything was not asked for, else all of them.
func (v *timelineView) draw() {
	tl := v.tl
	v.focusRow.Hide()
	if v.focus.ok {
		if v.showAll {
			v.focusMsg.SetText(fmt.Sprintf("Showing everything: most events (%s) lie from %s to %s.",
				percent(v.focus.inside, v.focus.inside+v.focus.outside), v.focus.from, v.focus.to))
			v.allBtn.SetText("Show the busiest stretch")
		} else {
			tl = v.focus.apply(tl)
			v.focusMsg.SetText(fmt.Sprintf("Not drawn: %s from %s to %s, far from the rest.",
				plural(v.focus.outside, "event"), v.focus.outFirst, v.focus.outLast))
			v.allBtn.SetText("Show all")
		}
		v.focusRow.Show()
	}
	m := buildTimeline(tl)
	v.chart.setModel(m)
	if _, _, ok := v.chart.selection(); !ok {
		v.span = "" // the search keeps its dates; its chips drop them
		v.clearBtn.Disable()
	}
	v.summary = timelineSummary(m)
	v.status.SetText(v.summary)
}

// onShowAll switches between the densest span and everything.
func (v *timelineView) onShowAll() {
	v.showAll = !v.showAll
	v.draw()
}

// percent renders n of total as a whole percentage: 98%.
func percent(n, total int64) string {
	if total <= 0 {
		return "0%"
	}
	return fmt.Sprintf("%d%%", int(math.Round(100*float64(n)/float64(total))))
}

// tlFocus is the stretch of days the timeline opens on when a few dated
// things lie far from the rest (a 2015 log in a 2022 case), which drawn
// together would squash the rest into a few pixels.
type tlFocus struct {
	ok                bool
	from, to          string // the stretch's first and last day with events
	inside, outside   int64  // events in it and out of it
	outFirst, outLast string // the first and last day with events outside
}

// Days with events are grouped into stretches wherever no event falls for
// more than tlGapDays (or a twentieth of the whole run, when longer); the
// stretch holding most events is the focus when the whole run is at least
// tlSquash times as long. A share of the events (the shortest window with
// 95% of them, say) would miss a whole out-of-range log, which can hold
// more than the few per cent left out.
const (
	tlGapDays = 60
	tlSquash  = 3
)

// densestSpan finds the focus of a timeline, or ok false when all of it
// is worth drawing.
func densestSpan(tl casefile.Timeline) tlFocus {
	perDay := map[string]int64{}
	for _, dc := range tl.Days {
		if _, err := time.Parse(dayLayout, dc.Day); err == nil && dc.N > 0 {
			perDay[dc.Day] += dc.N
		}
	}
	if len(perDay) < 2 {
		return tlFocus{}
	}
	days := make([]string, 0, len(perDay))
	for d := range perDay {
		days = append(days, d)
	}
	sort.Strings(days)
	at := func(d string) time.Time { t, _ := time.Parse(dayLayout, d); return t }
	first, last := at(days[0]), at(days[len(days)-1])
	for _, mt := range tl.Meetings {
		if d, err := time.Parse(dayLayout, mt.Day); err == nil {
			first, last = minTime(first, d), maxTime(last, d)
		}
	}
	run := int(last.Sub(first).Hours()/24) + 1
	gap := max(tlGapDays, run/20)
	// The stretches, as index ranges of days.
	best, bestN := [2]int{}, int64(-1)
	start, n, total := 0, int64(0), int64(0)
	for i, d := range days {
		if i > 0 && int(at(d).Sub(at(days[i-1])).Hours()/24) > gap {
			if n > bestN {
				best, bestN = [2]int{start, i - 1}, n
			}
			start, n = i, 0
		}
		n += perDay[d]
		total += perDay[d]
	}
	if n > bestN {
		best, bestN = [2]int{start, len(days) - 1}, n
	}
	span := int(at(days[best[1]]).Sub(at(days[best[0]])).Hours()/24) + 1
	if bestN == total || span*tlSquash > run {
		return tlFocus{}
	}
	f := tlFocus{ok: true, from: days[best[0]], to: days[best[1]], inside: bestN, outside: total - bestN}
	for _, d := range days {
		if d < f.from || d > f.to {
			if f.outFirst == "" {
				f.outFirst = d
			}
			f.outLast = d
		}
	}
	return f
}

// apply keeps the days of tl inside the focus, and the meetings within
// tlGapDays of it.
func (f tlFocus) apply(tl casefile.Timeline) casefile.Timeline {
	var out casefile.Timeline
	for _, dc := range tl.Days {
		if dc.Day >= f.from && dc.Day <= f.to {
			out.Days = append(out.Days, dc)
		}
	}
	from, _ := time.Parse(dayLayout, f.from)
	to, _ := time.Parse(dayLayout, f.to)
	lo, hi := from.AddDate(0, 0, -tlGapDays).Format(dayLayout), to.AddDate(0, 0, tlGapDays).Format(dayLayout)
	for _, mt := range tl.Meetings {
		if mt.Day >= lo && mt.Day <= hi {
			out.Meetings = append(out.Meetings, mt)
		}
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// timelineSummary is the line above the chart.
func timelineSummary(m tlModel) string {
	if m.days == 0 {
		return "Nothing dated yet: import access logs, or transcripts named with a date (2022-01-14_sync.txt)."
	}
	return fmt.Sprintf("%s on %s, %s to %s · %s", plural(m.events, "event"), plural(int64(len(m.bars)), "day"),
		m.day(0), m.day(m.days-1), plural(int64(len(m.meetings)), "meeting"))
}

// onChartSelect searches the dragged range.
func (v *timelineView) onChartSelect(from, to string) {
	v.clearBtn.Enable()
	v.span = from
	if from != to {
		v.span += " to " + to
	}
	v.status.SetText("Searching " + v.span + ".")
	if v.onRange != nil {
		v.onRange(from, to)
	}
}

// onClearRange drops the shaded range and the search's dates.
func (v *timelineView) onClearRange() {
	v.chart.clearSelection()
	v.clearBtn.Disable()
	v.span = ""
	v.status.SetText(v.summary)
	if v.onClear != nil {
		v.onClear()
	}
}

// onChartHover says what lies under the pointer, or the summary again.
func (v *timelineView) onChartHover(day int) {
	if day < 0 {
		if v.span != "" {
			v.status.SetText(v.summary + " · searching " + v.span)
			return
		}
		v.status.SetText(v.summary)
		return
	}
	v.status.SetText(v.chart.describeDay(day))
}
