package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// columns lays its objects out left to right in fixed widths; the last
// object takes whatever width is left. Rows of a list built with the same
// columns line up like a table.
type columns []float32

// Layout places the objects in their columns.
func (c columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	x := float32(0)
	for i, o := range objs {
		w := size.Width - x
		if i < len(c) && i < len(objs)-1 {
			w = c[i]
		}
		if w < 0 {
			w = 0
		}
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos(x, 0))
		x += w + pad
	}
}

// MinSize is the fixed columns plus the last object's minimum width.
func (c columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var w, h float32
	for i, o := range objs {
		m := o.MinSize()
		if m.Height > h {
			h = m.Height
		}
		if i < len(c) && i < len(objs)-1 {
			w += c[i] + pad
		} else {
			w += m.Width
		}
	}
	return fyne.NewSize(w, h)
}

// tightColumn stacks its objects top to bottom with their inner padding
// overlapping, so two labels read as one two-line item.
type tightColumn struct{}

// Layout stacks the objects, each at its minimum height less the padding
// shared with the one above.
func (tightColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for i, o := range objs {
		h := o.MinSize().Height
		if i > 0 {
			y -= theme.Padding() * 2
		}
		o.Resize(fyne.NewSize(size.Width, h))
		o.Move(fyne.NewPos(0, y))
		y += h
	}
}

// MinSize is the widest object and the stacked heights.
func (tightColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height
		if i > 0 {
			h -= theme.Padding() * 2
		}
	}
	return fyne.NewSize(w, h)
}
