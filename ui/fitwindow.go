package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// fitWindow is size made to fit inside win's canvas with a margin: Fyne
// lays a dialog out at the size asked even when the window is smaller, and
// cuts off what does not fit.
func fitWindow(win fyne.Window, size fyne.Size) fyne.Size {
	c := win.Canvas().Size()
	if c.Width <= 0 || c.Height <= 0 {
		return size
	}
	margin := 4 * theme.Padding()
	return fyne.NewSize(min(size.Width, c.Width-margin), min(size.Height, c.Height-margin))
}
