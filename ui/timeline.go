package ui

import (
	"context"
	"fmt"
	"image/color"
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
	content  fyne.CanvasObject

	// Touched on the UI goroutine only.
	loaded  bool // the data was asked for at least once
	stale   bool // the case changed since; load again when shown
	gen     int
	summary string
	span    string // the selected range, "" when none

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
	top := container.NewBorder(nil, nil, nil, container.NewVBox(v.clearBtn), container.NewVBox(v.status, hint))
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
			m := buildTimeline(tl)
			v.chart.setModel(m)
			if _, _, ok := v.chart.selection(); !ok {
				v.span = "" // the search keeps its dates; its chips drop them
				v.clearBtn.Disable()
			}
			v.summary = timelineSummary(m)
			v.status.SetText(v.summary)
		})
	})
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
