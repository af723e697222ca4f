package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// smallWindow is the smallest window Casebook is laid out for.
var smallWindow = fyne.NewSize(1024, 700)

// At 1024×700 nothing is cut off: whichever tab shows, the window's
// content asks for no more room than the window has (so the window never
// grows by itself), every tab shows its label, every toolbar button lies
// inside the window, and the details pane lays its parts out inside its
// width.
func TestTheWindowFitsAt1024By700(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	g.win.Resize(smallWindow)
	for i, tab := range cv.tabs.Items {
		cv.tabs.Select(tab)
		g.settle(t)
		relayoutWindow(g.win)
		capture(t, g.win, fmt.Sprintf("small-%d-%s", i, tab.Text))
		if m := g.win.Content().MinSize(); m.Width > smallWindow.Width || m.Height > smallWindow.Height {
			t.Errorf("with %s chosen the window asks for %v, more than %v: it would grow", tab.Text, m, smallWindow)
		}
		// The tab fits its place: it needs no sideways scrolling.
		if sc, ok := tab.Content.(*container.Scroll); ok && sc.Content.MinSize().Width > sc.Size().Width+0.5 {
			t.Errorf("the %s tab needs %v, it has %v: it scrolls sideways", tab.Text, sc.Content.MinSize().Width, sc.Size().Width)
		}
	}
	// A job's progress and the index catching up take room too.
	g.prog.box.Show()
	cv.idx.box.Show()
	relayoutWindow(g.win)
	if m := g.win.Content().MinSize(); m.Height > smallWindow.Height {
		t.Errorf("with a job's progress shown the window asks for %v, more than %v: it would grow", m, smallWindow)
	}
	capture(t, g.win, "small-progress")
	for _, tab := range cv.tabs.Items {
		if !tabShown(cv.tabs, tab) {
			t.Errorf("with a job's progress shown the %s tab's label is not shown", tab.Text)
		}
	}
	g.prog.box.Hide()
	cv.idx.box.Hide()
	relayoutWindow(g.win)
	// Every tab shows its label: none is folded into an overflow menu.
	for _, tab := range cv.tabs.Items {
		if !tabShown(cv.tabs, tab) {
			t.Errorf("the %s tab's label is not shown at %v", tab.Text, smallWindow)
		}
	}
	// The toolbar's buttons lie inside the window.
	for _, o := range test.LaidOutObjects(g.win.Content()) {
		b, ok := o.(*widget.Button)
		if !ok || !b.Visible() || b.Text == "" {
			continue
		}
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
		if pos.Y < 60 && pos.X+b.Size().Width > smallWindow.Width+0.5 {
			t.Errorf("the toolbar button %q ends at %v, outside the window", b.Text, pos.X+b.Size().Width)
		}
	}
	// The details pane: each part is as wide as the pane at most, for a
	// source and for an event hit (with its open and IP buttons).
	cv.sources.selectSource(sourceUID(sourceNamed(t, c, "access.csv")))
	g.settle(t)
	detailsFit(t, g, cv, "a source")
	searchFor(t, g, cv, "admin_console")
	if len(cv.results.hits) == 0 {
		t.Fatal("no hit for admin_console")
	}
	cv.results.list.Select(0)
	g.settle(t)
	detailsFit(t, g, cv, "an event hit")
}

// detailsFit fails when a part of the details pane is wider than the pane.
func detailsFit(t *testing.T, g *harness, cv *caseView, what string) {
	t.Helper()
	relayoutWindow(g.win)
	pane := cv.details.scroll.Size().Width
	for _, o := range cv.details.box.Objects {
		if o.Visible() && o.MinSize().Width > pane+0.5 {
			t.Errorf("showing %s, a part of the details needs %v, the pane is %v wide", what, o.MinSize().Width, pane)
		}
	}
}

// tabShown reports whether tab's label shows in the tab bar, inside it.
func tabShown(tabs *container.AppTabs, tab *container.TabItem) bool {
	d := fyne.CurrentApp().Driver()
	right := d.AbsolutePositionForObject(tabs).X + tabs.Size().Width
	for _, o := range test.LaidOutObjects(tabs) {
		if txt, ok := o.(*canvas.Text); ok && txt.Visible() && txt.Text == tab.Text {
			return d.AbsolutePositionForObject(txt).X+txt.MinSize().Width <= right+0.5
		}
	}
	return false
}
