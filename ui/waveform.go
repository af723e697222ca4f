package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// stripMark is a span of the recording marked on the loudness strip, in milliseconds of the recording.
type stripMark struct {
	startMS, endMS int64
	quote          bool // a tagged quote (drawn in the quote colour), else a segment
}

// loudnessStrip draws a recording's loudness over the meeting's length, the transcript's segments under it
// and the tagged quotes over them, and a line at the position heard. A tap plays on from there. Touched on the
// UI goroutine only.
type loudnessStrip struct {
	widget.BaseWidget

	levels     []float32   // loudness buckets, 0..1
	durationMS int64       // the recording's length
	marks      []stripMark // segments and quotes
	posMS      int64       // the position heard, -1 when none
	onTap      func(ms int64)
}

// newLoudnessStrip makes an empty strip.
func newLoudnessStrip() *loudnessStrip {
	s := &loudnessStrip{posMS: -1}
	s.ExtendBaseWidget(s)
	return s
}

// Tapped plays on from the time tapped.
func (s *loudnessStrip) Tapped(e *fyne.PointEvent) {
	if s.onTap == nil || s.durationMS <= 0 || s.Size().Width <= 0 {
		return
	}
	s.onTap(int64(float64(e.Position.X) / float64(s.Size().Width) * float64(s.durationMS)))
}

// CreateRenderer draws the strip.
func (s *loudnessStrip) CreateRenderer() fyne.WidgetRenderer {
	r := &stripRenderer{s: s, bg: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)),
		pos: canvas.NewRectangle(theme.Color(theme.ColorNameError))}
	return r
}

// stripHeight is the strip's height: bars above, a band of marks below.
const stripHeight = 36

// stripRenderer lays out the strip's rectangles again on each refresh.
type stripRenderer struct {
	s    *loudnessStrip
	bg   *canvas.Rectangle
	bars []fyne.CanvasObject
	mks  []fyne.CanvasObject
	pos  *canvas.Rectangle
}

// Layout places the bars, the marks and the position line.
func (r *stripRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.build(size)
}

// MinSize is a thin strip.
func (r *stripRenderer) MinSize() fyne.Size { return fyne.NewSize(100, stripHeight) }

// build makes the bars and marks for size.
func (r *stripRenderer) build(size fyne.Size) {
	s := r.s
	barH := size.Height - 8
	r.bars = r.bars[:0]
	if n := len(s.levels); n > 0 {
		w := size.Width / float32(n)
		fg := theme.Color(theme.ColorNameForeground)
		for i, l := range s.levels {
			h := max(1, barH*min(1, l*3)) // speech is rarely above a third of full scale
			b := canvas.NewRectangle(withAlpha(fg, 150))
			b.Move(fyne.NewPos(float32(i)*w, (barH-h)/2))
			b.Resize(fyne.NewSize(max(1, w-0.5), h))
			r.bars = append(r.bars, b)
		}
	}
	r.mks = r.mks[:0]
	if s.durationMS > 0 {
		x := func(ms int64) float32 { return float32(float64(ms) / float64(s.durationMS) * float64(size.Width)) }
		for _, m := range s.marks {
			c, y, h := theme.Color(theme.ColorNamePrimary), barH+1, float32(3)
			if m.quote {
				c, y, h = theme.Color(theme.ColorNameSuccess), barH+4, 4
			}
			rect := canvas.NewRectangle(c)
			rect.Move(fyne.NewPos(x(m.startMS), y))
			rect.Resize(fyne.NewSize(max(2, x(m.endMS)-x(m.startMS)-1), h))
			r.mks = append(r.mks, rect)
		}
		if s.posMS >= 0 {
			r.pos.Move(fyne.NewPos(x(s.posMS)-1, 0))
			r.pos.Resize(fyne.NewSize(2, size.Height))
		}
	}
	if s.posMS < 0 {
		r.pos.Hide()
	} else {
		r.pos.Show()
	}
}

// withAlpha is c with alpha a.
func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// Refresh draws again.
func (r *stripRenderer) Refresh() {
	r.build(r.s.Size())
	r.bg.Refresh()
	canvas.Refresh(r.s)
}

// Objects are the background, the bars, the marks and the position line.
func (r *stripRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg}
	objs = append(objs, r.bars...)
	objs = append(objs, r.mks...)
	return append(objs, r.pos)
}

// Destroy does nothing.
func (r *stripRenderer) Destroy() {}
