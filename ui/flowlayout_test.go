package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// A flow of buttons keeps them on one line when they fit and wraps them
// when they do not, asking only for the widest button's width.
func TestFlowWrapsButtons(t *testing.T) {
	test.NewTempApp(t)
	a, b, c := widget.NewButton("Accept group", nil), widget.NewButton("Reject group", nil), widget.NewButton("Accept checked (0)", nil)
	row := container.New(&flow{}, a, b, c)
	if w := row.MinSize().Width; w != c.MinSize().Width {
		t.Errorf("the flow asks for %v, the widest button is %v", w, c.MinSize().Width)
	}
	row.Resize(fyne.NewSize(2000, 100))
	if a.Position().Y != c.Position().Y || c.Position().X <= b.Position().X {
		t.Errorf("wide: the buttons are not on one line: %v %v %v", a.Position(), b.Position(), c.Position())
	}
	one := row.MinSize().Height
	narrow := a.MinSize().Width + b.MinSize().Width
	row.Resize(fyne.NewSize(narrow, 100))
	if c.Position().Y <= a.Position().Y || c.Position().X != 0 {
		t.Errorf("narrow: the last button did not wrap: %v", c.Position())
	}
	if h := row.MinSize().Height; h <= one {
		t.Errorf("narrow: the flow asks for %v high, as on one line (%v)", h, one)
	}
	for _, o := range []fyne.CanvasObject{a, b, c} {
		if o.Position().X+o.Size().Width > narrow+0.5 {
			t.Errorf("a button ends at %v, past the width %v", o.Position().X+o.Size().Width, narrow)
		}
	}
}
