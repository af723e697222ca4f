package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// flow lays its objects out left to right at their minimum widths, each
// line as tall as its tallest, starting a new line when the next object
// does not fit: a row of buttons wraps in a narrow window instead of
// widening it. Use a new one per container (it keeps the width it was last
// laid out at, for its minimum height, as Fyne's grid wrap does).
type flow struct {
	width float32
}

// lines places the visible objects in lines within width, calling place for
// each with its line's top and height, and returns the total height.
func (f *flow) lines(objs []fyne.CanvasObject, width float32, place func(o fyne.CanvasObject, x, y, h float32)) float32 {
	pad := theme.Padding()
	var line []fyne.CanvasObject
	var y, x, h float32
	flush := func() {
		if len(line) == 0 {
			return
		}
		lx := float32(0)
		for _, o := range line {
			if place != nil {
				place(o, lx, y, h)
			}
			lx += o.MinSize().Width + pad
		}
		y += h + pad
		line, x, h = line[:0], 0, 0
	}
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if len(line) > 0 && width > 0 && x+m.Width > width {
			flush()
		}
		line = append(line, o)
		x += m.Width + pad
		h = max(h, m.Height)
	}
	flush()
	return max(0, y-pad)
}

// Layout places the objects in lines within size's width.
func (f *flow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	f.width = size.Width
	f.lines(objs, size.Width, func(o fyne.CanvasObject, x, y, h float32) {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(o.MinSize().Width, h))
	})
}

// MinSize is the widest object, and the height of the lines at the width
// last laid out. A width narrower than the widest object is no real
// layout (a hidden tab's, say): the objects then count as one line.
func (f *flow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	width := f.width
	if width < w {
		width = 0
	}
	return fyne.NewSize(w, f.lines(objs, width, nil))
}
