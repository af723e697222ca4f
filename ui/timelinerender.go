package ui

import (
	"fmt"
	"image/color"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// chartPart is one country's slice of one day's bar.
type chartPart struct {
	rect      *canvas.Rectangle
	bar, part int
}

// chartMonth is a month's label and tick on the x-axis.
type chartMonth struct {
	label *canvas.Text
	tick  *canvas.Line
	index int
}

// chartMeeting is a meeting's marker and label.
type chartMeeting struct {
	line  *canvas.Line
	label *canvas.Text
	index int
}

// chartKey is one entry of the legend.
type chartKey struct {
	swatch *canvas.Rectangle
	label  *canvas.Text
}

type timelineRenderer struct {
	c   *timelineChart
	gen int // the model generation the objects were built for

	bg, sel      *canvas.Rectangle
	xAxis, yAxis *canvas.Line
	yMax, yZero  *canvas.Text
	empty        *canvas.Text
	parts        []chartPart
	months       []chartMonth
	meetings     []chartMeeting
	legend       []chartKey
	objects      []fyne.CanvasObject
}

// rebuild makes the canvas objects for the chart's current model.
func (r *timelineRenderer) rebuild() {
	m := &r.c.model
	r.gen = r.c.gen
	r.parts, r.months, r.meetings, r.legend = nil, nil, nil, nil
	small := theme.CaptionTextSize()
	text := func(s string) *canvas.Text {
		t := canvas.NewText(s, color.Black)
		t.TextSize = small
		return t
	}
	for bi, b := range m.bars {
		for pi, n := range b.parts {
			if n > 0 {
				r.parts = append(r.parts, chartPart{canvas.NewRectangle(seriesColour(pi, m.series[pi])), bi, pi})
			}
		}
	}
	if m.days > 0 {
		last := m.start.AddDate(0, 0, m.days-1)
		mo := time.Date(m.start.Year(), m.start.Month(), 1, 0, 0, 0, 0, time.UTC)
		if mo.Before(m.start) {
			mo = mo.AddDate(0, 1, 0)
		}
		for ; !mo.After(last); mo = mo.AddDate(0, 1, 0) {
			r.months = append(r.months, chartMonth{text(mo.Format("Jan 2006")), canvas.NewLine(color.Black), m.dayIndex(mo)})
		}
		if len(r.months) == 0 || r.months[0].index > 0 {
			// Name where the run starts when it does not start on the 1st.
			first := chartMonth{text(m.start.Format("2 Jan 2006")), canvas.NewLine(color.Black), 0}
			r.months = append([]chartMonth{first}, r.months...)
		}
	}
	for _, mt := range m.meetings {
		title := []rune(mt.title)
		if len(title) > meetingLabelMax {
			title = append(title[:meetingLabelMax-1], '…')
		}
		l := canvas.NewLine(color.Black)
		l.StrokeWidth = 1
		r.meetings = append(r.meetings, chartMeeting{l, text("◆ " + string(title)), mt.index})
	}
	for i, s := range m.series {
		sw := canvas.NewRectangle(seriesColour(i, s))
		sw.CornerRadius = 2
		r.legend = append(r.legend, chartKey{sw, text(fmt.Sprintf("%s %s", s, strconv.FormatInt(m.totals[i], 10)))})
	}
	r.yMax.Text = strconv.FormatInt(m.max, 10)
	r.empty.Text = ""
	if m.days == 0 {
		r.empty.Text = "Nothing dated to draw yet."
	}

	objs := []fyne.CanvasObject{r.bg, r.sel}
	for _, p := range r.parts {
		objs = append(objs, p.rect)
	}
	for _, mt := range r.meetings {
		objs = append(objs, mt.line, mt.label)
	}
	objs = append(objs, r.xAxis, r.yAxis, r.yMax, r.yZero)
	for _, mo := range r.months {
		objs = append(objs, mo.tick, mo.label)
	}
	for _, k := range r.legend {
		objs = append(objs, k.swatch, k.label)
	}
	r.objects = append(objs, r.empty)
	r.applyTheme()
}

// applyTheme colours the text, axes, markers and selection from the theme.
func (r *timelineRenderer) applyTheme() {
	fg := theme.Color(theme.ColorNameForeground)
	faint := theme.Color(theme.ColorNameDisabled)
	marker := fg // apart from the palette's colours in either theme
	for _, t := range []*canvas.Text{r.yMax, r.yZero, r.empty} {
		t.Color = fg
		t.TextSize = theme.CaptionTextSize()
	}
	r.xAxis.StrokeColor, r.yAxis.StrokeColor = fg, fg
	for _, mo := range r.months {
		mo.label.Color, mo.tick.StrokeColor = fg, faint
	}
	for _, mt := range r.meetings {
		mt.line.StrokeColor, mt.label.Color = marker, marker
	}
	for _, k := range r.legend {
		k.label.Color = fg
	}
	sel := color.NRGBAModel.Convert(theme.Color(theme.ColorNamePrimary)).(color.NRGBA)
	sel.A = 0x44
	r.sel.FillColor = sel
	r.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
}

// Layout places everything for the chart's size.
func (r *timelineRenderer) Layout(size fyne.Size) {
	c, m := r.c, &r.c.model
	origin, plot := plotArea(size)
	bottom := origin.Y + plot.Height
	slot := c.slotWidth(size)
	r.bg.Move(origin)
	r.bg.Resize(plot)
	r.xAxis.Position1, r.xAxis.Position2 = fyne.NewPos(origin.X, bottom), fyne.NewPos(origin.X+plot.Width, bottom)
	r.yAxis.Position1, r.yAxis.Position2 = fyne.NewPos(origin.X, origin.Y), fyne.NewPos(origin.X, bottom)
	lh := fyne.MeasureText("0", r.yMax.TextSize, r.yMax.TextStyle).Height
	r.yMax.Move(fyne.NewPos(0, origin.Y-lh/2))
	r.yMax.Resize(fyne.NewSize(origin.X-4, lh))
	r.yZero.Move(fyne.NewPos(0, bottom-lh/2))
	r.yZero.Resize(fyne.NewSize(origin.X-4, lh))
	r.empty.Move(fyne.NewPos(origin.X, origin.Y+plot.Height/2-lh))
	r.empty.Resize(fyne.NewSize(plot.Width, lh))

	// Bars: a small gap between days when there is room for one.
	gap := float32(0)
	if slot >= 4 {
		gap = max(1, slot/6)
	}
	base := make([]float32, len(m.bars)) // height stacked so far per bar
	for _, p := range r.parts {
		b := m.bars[p.bar]
		h := plot.Height * b.height * float32(b.parts[p.part]) / float32(b.total)
		x := c.dayX(b.index, size) + gap/2
		p.rect.Move(fyne.NewPos(x, bottom-base[p.bar]-h))
		p.rect.Resize(fyne.NewSize(max(slot-gap, 1), h))
		base[p.bar] += h
	}

	// Month labels: as many as fit without overlapping.
	nextFree := float32(0)
	for _, mo := range r.months {
		x := c.dayX(mo.index, size)
		w := fyne.MeasureText(mo.label.Text, mo.label.TextSize, mo.label.TextStyle).Width
		show := x >= nextFree && x+w <= size.Width
		mo.label.Hidden, mo.tick.Hidden = !show, !show
		if show {
			nextFree = x + w + 8
		}
		mo.tick.Position1, mo.tick.Position2 = fyne.NewPos(x, origin.Y), fyne.NewPos(x, bottom+4)
		mo.label.Move(fyne.NewPos(x+2, bottom+4))
	}

	// Meetings: a marker through the plot and a label above it, on rows
	// that take turns so neighbouring labels do not overlap.
	rowEnd := make([]float32, chartMeetingRows)
	for _, mt := range r.meetings {
		x := c.dayX(mt.index, size) + slot/2
		mt.line.Position1, mt.line.Position2 = fyne.NewPos(x, origin.Y-2), fyne.NewPos(x, bottom)
		w := fyne.MeasureText(mt.label.Text, mt.label.TextSize, mt.label.TextStyle).Width
		lx := max(min(x-4, size.Width-w), 0)
		row := -1
		for k := range chartMeetingRows { // the first row with room
			if rowEnd[k] <= lx {
				row = k
				break
			}
		}
		// No room left: the marker stays and the label goes; pointing at
		// the day names the meeting.
		mt.label.Hidden = row < 0
		if row >= 0 {
			mt.label.Move(fyne.NewPos(lx, chartLegend+float32(row)*chartMeetingRow))
			rowEnd[row] = lx + w + 6
		}
	}

	// Legend across the top.
	lx := float32(origin.X)
	for _, k := range r.legend {
		k.swatch.Move(fyne.NewPos(lx, 5))
		k.swatch.Resize(fyne.NewSize(11, 11))
		k.label.Move(fyne.NewPos(lx+15, 2))
		lx += 15 + fyne.MeasureText(k.label.Text, k.label.TextSize, k.label.TextStyle).Width + 14
	}

	// The selected range.
	if from, to, ok := c.selection(); ok {
		r.sel.Show()
		r.sel.Move(fyne.NewPos(c.dayX(from, size), origin.Y))
		r.sel.Resize(fyne.NewSize(float32(to-from+1)*slot, plot.Height))
	} else {
		r.sel.Hide()
	}
}

// MinSize leaves room for the margins and a small plot.
func (r *timelineRenderer) MinSize() fyne.Size {
	return fyne.NewSize(chartLeft+chartRight+160, chartTop+chartBottom+80)
}

// Refresh rebuilds the objects when the data changed, then lays out.
func (r *timelineRenderer) Refresh() {
	if r.gen != r.c.gen {
		r.rebuild()
	} else {
		r.applyTheme()
	}
	r.Layout(r.c.Size())
	for _, o := range r.objects {
		canvas.Refresh(o)
	}
}

// Objects lists what the chart draws, back to front.
func (r *timelineRenderer) Objects() []fyne.CanvasObject { return r.objects }

// Destroy has nothing to release.
func (r *timelineRenderer) Destroy() {}
