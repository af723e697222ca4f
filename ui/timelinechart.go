package ui

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The chart's margins: the y-axis labels on the left, the month labels
// below, the legend and the meetings' labels above.
const (
	chartLeft        = 48
	chartRight       = 12
	chartBottom      = 24
	chartLegend      = 22
	chartMeetingRow  = 15
	chartMeetingRows = 3
	chartTop         = chartLegend + chartMeetingRow*chartMeetingRows + 4
	meetingLabelMax  = 22 // runes of a meeting's title shown beside its marker
)

// timelineChart draws events per day as bars stacked by country, meetings
// as vertical markers, and the range being selected. Dragging across it
// (or tapping one day) selects days; onSelect gets the first and last.
type timelineChart struct {
	widget.BaseWidget

	// Touched on the UI goroutine only.
	model      tlModel
	gen        int // bumped by setModel
	selA, selB int // the selected days (indexes into the run); -1 when none
	dragging   bool

	onSelect func(from, to string)
	onHover  func(day int) // -1 when the pointer leaves the chart
}

var (
	_ fyne.Draggable      = (*timelineChart)(nil)
	_ fyne.Tappable       = (*timelineChart)(nil)
	_ desktop.Hoverable   = (*timelineChart)(nil)
	_ fyne.WidgetRenderer = (*timelineRenderer)(nil)
)

func newTimelineChart() *timelineChart {
	c := &timelineChart{selA: -1, selB: -1}
	c.ExtendBaseWidget(c)
	return c
}

// setModel replaces what the chart draws. The selected days stay
// selected when the new run still holds them.
func (c *timelineChart) setModel(m tlModel) {
	from, to, ok := c.selection()
	old := c.model
	c.model = m
	c.gen++
	c.selA, c.selB = -1, -1
	if ok && m.days > 0 {
		a := m.dayIndex(old.start.AddDate(0, 0, from))
		b := m.dayIndex(old.start.AddDate(0, 0, to))
		if a >= 0 && b < m.days {
			c.selA, c.selB = a, b
		}
	}
	c.Refresh()
}

// clearSelection drops the shaded range.
func (c *timelineChart) clearSelection() {
	c.selA, c.selB, c.dragging = -1, -1, false
	c.Refresh()
}

// selection returns the selected days in order, or ok false.
func (c *timelineChart) selection() (from, to int, ok bool) {
	if c.selA < 0 || c.selB < 0 {
		return 0, 0, false
	}
	return min(c.selA, c.selB), max(c.selA, c.selB), true
}

// plotArea is where the bars go inside a chart of the given size.
func plotArea(size fyne.Size) (pos fyne.Position, plot fyne.Size) {
	w := max(size.Width-chartLeft-chartRight, 1)
	h := max(size.Height-chartTop-chartBottom, 1)
	return fyne.NewPos(chartLeft, chartTop), fyne.NewSize(w, h)
}

// slotWidth is the width of one day.
func (c *timelineChart) slotWidth(size fyne.Size) float32 {
	_, plot := plotArea(size)
	return plot.Width / float32(max(c.model.days, 1))
}

// dayX is where day i starts, relative to the chart.
func (c *timelineChart) dayX(i int, size fyne.Size) float32 {
	return chartLeft + float32(i)*c.slotWidth(size)
}

// dayAt is the day under a point, clamped to the run; -1 when the chart
// is empty.
func (c *timelineChart) dayAt(p fyne.Position) int {
	if c.model.days == 0 {
		return -1
	}
	i := int((p.X - chartLeft) / c.slotWidth(c.Size()))
	if p.X < chartLeft {
		i = 0
	}
	return min(max(i, 0), c.model.days-1)
}

// Dragged extends the range from where the drag started to the pointer.
func (c *timelineChart) Dragged(e *fyne.DragEvent) {
	if c.model.days == 0 {
		return
	}
	if !c.dragging {
		c.dragging = true
		c.selA = c.dayAt(e.Position.Subtract(e.Dragged))
	}
	c.selB = c.dayAt(e.Position)
	c.Refresh()
}

// DragEnd searches the selected range.
func (c *timelineChart) DragEnd() {
	if !c.dragging {
		return
	}
	c.dragging = false
	c.selected()
}

// Tapped selects the one day under the pointer.
func (c *timelineChart) Tapped(e *fyne.PointEvent) {
	if c.model.days == 0 {
		return
	}
	c.selA = c.dayAt(e.Position)
	c.selB = c.selA
	c.Refresh()
	c.selected()
}

func (c *timelineChart) selected() {
	from, to, ok := c.selection()
	if ok && c.onSelect != nil {
		c.onSelect(c.model.day(from), c.model.day(to))
	}
}

// MouseIn reports the day under the pointer.
func (c *timelineChart) MouseIn(e *desktop.MouseEvent) { c.MouseMoved(e) }

// MouseMoved reports the day under the pointer.
func (c *timelineChart) MouseMoved(e *desktop.MouseEvent) {
	if c.onHover == nil || c.model.days == 0 {
		return
	}
	if e.Position.X < chartLeft || e.Position.X > c.Size().Width-chartRight {
		c.onHover(-1)
		return
	}
	c.onHover(c.dayAt(e.Position))
}

// MouseOut stops reporting.
func (c *timelineChart) MouseOut() {
	if c.onHover != nil {
		c.onHover(-1)
	}
}

// describeDay says what happened on day i: events by country, meetings.
func (c *timelineChart) describeDay(i int) string {
	m := &c.model
	day := m.day(i)
	var b strings.Builder
	b.WriteString(day + ": ")
	found := false
	for _, bar := range m.bars {
		if bar.index != i {
			continue
		}
		found = true
		b.WriteString(plural(bar.total, "event"))
		var parts []string
		for s, n := range bar.parts {
			if n > 0 {
				parts = append(parts, m.series[s]+" "+strconv.FormatInt(n, 10))
			}
		}
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	if !found {
		b.WriteString("no events")
	}
	for _, mt := range m.meetings {
		if mt.index == i {
			b.WriteString(" · meeting: " + mt.title)
		}
	}
	return b.String()
}

// CreateRenderer builds the chart's renderer.
func (c *timelineChart) CreateRenderer() fyne.WidgetRenderer {
	r := &timelineRenderer{c: c, gen: -1}
	r.bg = canvas.NewRectangle(color.Transparent)
	r.sel = canvas.NewRectangle(color.Transparent)
	r.xAxis = canvas.NewLine(color.Black)
	r.yAxis = canvas.NewLine(color.Black)
	r.yMax = canvas.NewText("", color.Black)
	r.yMax.Alignment = fyne.TextAlignTrailing
	r.yZero = canvas.NewText("0", color.Black)
	r.yZero.Alignment = fyne.TextAlignTrailing
	r.empty = canvas.NewText("", color.Black)
	r.empty.Alignment = fyne.TextAlignCenter
	r.rebuild()
	return r
}
