package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

const fixtureTranscript = "Mia Chen: The master admin can see US user data\n" +
	"Wei Zhang: Approval was not required\n" +
	"Mia Chen: Then the admin console logs should show it\n"

const fixtureAccessLog = "timestamp,employee_id,employee_name,office,office_country,resource,data_category,subject_region,record_count,approval_id\n" +
	"2024-03-01T09:15:00Z,E100,Wei Zhang,Beijing,CN,user_db,PII,US,1200,\n" +
	"2024-03-01T10:00:00Z,E101,Mia Chen,Mountain View,US,user_db,PII,US,5,APR-1\n" +
	"2024-03-02T11:30:00Z,E100,Wei Zhang,Beijing,CN,admin_console,PII,US,300,\n" +
	"yesterday,E102,Ana Ruiz,Madrid,ES,user_db,PII,EU,7,\n" // rejected: a warning for the badge

// newTestCase creates a real case in a temporary folder and imports a small
// transcript and access log into it. The case is closed when the test ends.
func newTestCase(t *testing.T) (*casefile.Case, string) {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{"meeting.txt": fixtureTranscript, "access.csv": fixtureAccessLog}
	var paths []string
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	dir := filepath.Join(root, "case")
	c, err := casefile.Create(t.Context(), dir, casefile.CreateOptions{Title: "Test case", Investigator: "Tess Tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	results, err := c.Import(t.Context(), paths, casefile.ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("import %s: %v", r.File, r.Err)
		}
	}
	return c, dir
}

// harness is the window on the test driver with a stand-in for the real
// driver's event loop: results the window's goroutines apply are queued and
// run on the test goroutine by settle and pumpUntil, never concurrently
// with the test's own use of the widgets.
type harness struct {
	*gui
	queue chan func()
}

// newTestGUI builds the window on the test driver. The window's goroutines
// are settled before the test's other clean-ups run.
func newTestGUI(t *testing.T) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	h := &harness{gui: newGUI(a, w), queue: make(chan func())}
	h.bg.do = func(f func()) { h.queue <- f }
	w.Resize(fyne.NewSize(1200, 800))
	t.Cleanup(func() { h.settle(t) })
	return h
}

// settle runs queued results until no goroutine of the window is left.
func (h *harness) settle(t *testing.T) {
	t.Helper()
	h.pumpUntil(t, func() bool { return h.bg.pending.Load() == 0 })
}

// pumpUntil runs queued results on the test goroutine until cond holds.
func (h *harness) pumpUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case f := <-h.queue:
			f()
			continue
		default:
		}
		if cond() {
			return
		}
		select {
		case f := <-h.queue:
			f()
		case <-time.After(2 * time.Millisecond):
		case <-deadline:
			t.Fatal("timed out waiting for the window's goroutines")
		}
	}
}

// openTestCase shows the workbench for c and waits until it has loaded.
func openTestCase(t *testing.T, g *harness, c caseAPI, dir string) *caseView {
	t.Helper()
	g.showCase(c, dir)
	g.settle(t)
	if g.cv == nil {
		t.Fatal("no case view after showCase")
	}
	// Detach the case from the view so the test's clean-up closes it once.
	t.Cleanup(func() { g.cv = nil })
	return g.cv
}

// visibleTexts lists the text of every visible label and rich text under o,
// as laid out.
func visibleTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, obj := range test.LaidOutObjects(o) {
		if !obj.Visible() {
			continue
		}
		switch w := obj.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.RichText:
			out = append(out, w.String())
		}
	}
	return out
}

// assertShows fails unless some visible text under o equals want.
func assertShows(t *testing.T, o fyne.CanvasObject, want string) {
	t.Helper()
	texts := visibleTexts(o)
	for _, s := range texts {
		if s == want {
			return
		}
	}
	t.Errorf("%q is not shown; shown: %s", want, strings.Join(texts, " | "))
}

// menuItem finds a main-menu item by its label.
func menuItem(t *testing.T, g *harness, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range g.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %q", label)
	return nil
}

// capture writes the window as a PNG to $CASEBOOK_CAPTURE/name.png when
// that variable is set, for looking at a test's screen.
func capture(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := os.Getenv("CASEBOOK_CAPTURE")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// relayout lays every container and widget under o out again at its size,
// top down, as the real driver does each frame when a minimum size changed
// (the test canvas does not).
func relayout(o fyne.CanvasObject) {
	switch c := o.(type) {
	case *fyne.Container:
		if c.Layout != nil {
			c.Layout.Layout(c.Objects, c.Size())
		}
		for _, child := range c.Objects {
			relayout(child)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(c)
		if r == nil {
			return
		}
		r.Layout(c.Size())
		for _, child := range r.Objects() {
			relayout(child)
		}
	}
}

// relayoutWindow lays out the window's content and its overlays again.
func relayoutWindow(w fyne.Window) {
	for range 2 {
		relayout(w.Content())
		for _, o := range w.Canvas().Overlays().List() {
			relayout(o)
		}
	}
}
