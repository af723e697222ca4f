package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// pressKey types a key as the desktop driver delivers it: to the widget
// that has the keyboard, else to the canvas.
func pressKey(w fyne.Window, k fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: k}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	if h := w.Canvas().OnTypedKey(); h != nil {
		h(ev)
	}
}

// dialogShown reports whether an overlay (a dialog) is shown.
func dialogShown(w fyne.Window) bool {
	top := w.Canvas().Overlays().Top()
	return top != nil && top.Visible()
}

// dayRows lists the rows of the review queue that head a day.
func dayRows(rv *reviewView) []int {
	var out []int
	for i, r := range rv.rows {
		if r.level == levelDay {
			out = append(out, i)
		}
	}
	return out
}

// openIDs lists the suggestions open in the queue.
func openIDs(rv *reviewView) []int64 {
	var out []int64
	for _, gr := range rv.groups {
		for _, it := range gr.items {
			out = append(out, it.ID)
		}
	}
	slices.Sort(out)
	return out
}

func TestTheGroupConfirmationTakesEnterSpaceAndEsc(t *testing.T) {
	g := newTestGUI(t)
	c, cv := groupCase(t, g)
	rv := cv.review
	for _, k := range []fyne.KeyName{fyne.KeyEscape, fyne.KeyReturn, fyne.KeySpace} {
		days := dayRows(rv)
		if len(days) == 0 {
			t.Fatalf("no day left to review before %s", k)
		}
		before := openIDs(rv)
		ids := rv.groups[slices.Index(rv.groups, rv.rows[days[0]].group)].items
		rv.list.Select(days[0])
		g.win.Canvas().Focus(rv.list)
		pressKey(g.win, fyne.KeyA)
		if rv.bulkDialog == nil || !dialogShown(g.win) {
			t.Fatalf("A on a day heading asked nothing")
		}
		if f := g.win.Canvas().Focused(); f != nil {
			t.Fatalf("the confirmation opened with %T focused", f)
		}
		pressKey(g.win, k)
		g.settle(t)
		if dialogShown(g.win) {
			t.Fatalf("%s left the confirmation open", k)
		}
		after := openIDs(rv)
		got := suggestionsByID(t, c, []int64{ids[0].ID})
		switch k {
		case fyne.KeyEscape:
			if !slices.Equal(after, before) || got[0].Status != "suggested" {
				t.Errorf("Esc: %d of %d suggestions left open, the first is %s", len(after), len(before), got[0].Status)
			}
		default:
			if len(after) != len(before)-len(ids) || got[0].Status != "confirmed" {
				t.Errorf("%s: %d of %d suggestions left open after accepting %d; the first is %s", k, len(after),
					len(before), len(ids), got[0].Status)
			}
		}
		rv.bulkDialog = nil
	}
}

func TestAFieldOfADialogPassesEnterAndEscToTheDialog(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	// Save the search: Enter in its name field saves it.
	cv.results.entry.SetText("admin")
	cv.onSaveSearch()
	name := formEntry(t, g.win)
	g.win.Canvas().Focus(name)
	name.SetText("admin talk")
	pressKey(g.win, fyne.KeyReturn)
	g.settle(t)
	if dialogShown(g.win) {
		t.Fatal("Enter in the name field left the dialog open")
	}
	saved, err := c.SavedSearches(t.Context())
	if err != nil || len(saved) != 1 || saved[0].Name != "admin talk" {
		t.Fatalf("saved searches %+v (%v), want admin talk", saved, err)
	}

	// Esc in the field cancels; nothing is saved.
	cv.onSaveSearch()
	name = formEntry(t, g.win)
	g.win.Canvas().Focus(name)
	name.SetText("never saved")
	pressKey(g.win, fyne.KeyEscape)
	g.settle(t)
	if dialogShown(g.win) {
		t.Fatal("Esc in the name field left the dialog open")
	}
	if saved, _ = c.SavedSearches(t.Context()); len(saved) != 1 {
		t.Errorf("Esc saved the search: %+v", saved)
	}

	// An empty name keeps Save disabled: Enter does nothing.
	cv.onSaveSearch()
	name = formEntry(t, g.win)
	g.win.Canvas().Focus(name)
	pressKey(g.win, fyne.KeyReturn)
	if !dialogShown(g.win) {
		t.Error("Enter closed the dialog with its Save button disabled")
	}
	pressKey(g.win, fyne.KeyEscape)

	// A note of several lines: Enter is a new line, Ctrl+Enter saves.
	cv.sel = selection{}
	cv.onSourceSelected(sourceNamed(t, c, "meeting.txt"))
	g.settle(t)
	cv.onNoteItem()
	f := cv.noteForm
	if g.win.Canvas().Focused() != f.text {
		t.Fatalf("the note form opened with %T focused, want its text", g.win.Canvas().Focused())
	}
	f.text.SetText("first line")
	f.text.CursorColumn = len("first line")
	pressKey(g.win, fyne.KeyReturn)
	if !dialogShown(g.win) || f.text.Text != "first line\n" {
		t.Fatalf("Enter in the note gave %q (dialog shown %v), want a new line", f.text.Text, dialogShown(g.win))
	}
	f.text.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault})
	g.settle(t)
	if dialogShown(g.win) {
		t.Fatal("Ctrl+Enter in the note left the form open")
	}
	notes, err := c.Notes(t.Context(), cv.sel.item, "")
	if err != nil || len(notes) != 1 || notes[0].Text != "first line" {
		t.Errorf("notes %+v (%v), want the one just written", notes, err)
	}
}

// formEntry is the first text field of the form in the window's top
// dialog.
func formEntry(t *testing.T, w fyne.Window) *dialogEntry {
	t.Helper()
	var found *dialogEntry
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *widget.PopUp:
			walk(x.Content)
		case *widget.Form:
			for _, it := range x.Items {
				if e, ok := it.Widget.(*dialogEntry); ok && found == nil {
					found = e
				}
			}
		}
	}
	walk(w.Canvas().Overlays().Top())
	if found == nil {
		t.Fatal("the dialog has no text field")
	}
	return found
}

// dialogFieldsOf lists the dialog fields shown in the window's top overlay.
func dialogFieldsOf(w fyne.Window) []fyne.Focusable {
	return dialogWidgetsOf(w, func(o fyne.CanvasObject) bool {
		switch o.(type) {
		case *dialogEntry, *dialogSelectEntry:
			return true
		}
		return false
	})
}

// dialogWidgetsOf lists the focusable widgets shown in the window's top
// overlay that pick picks.
func dialogWidgetsOf(w fyne.Window, pick func(fyne.CanvasObject) bool) []fyne.Focusable {
	var out []fyne.Focusable
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if f, ok := o.(fyne.Focusable); ok && pick(o) {
			out = append(out, f)
			return
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *widget.PopUp:
			walk(x.Content)
		case *container.Scroll:
			walk(x.Content)
		case *container.Split:
			walk(x.Leading)
			walk(x.Trailing)
		case *container.AppTabs:
			if it := x.Selected(); it != nil {
				walk(it.Content)
			}
		case *widget.Form:
			for _, it := range x.Items {
				walk(it.Widget)
			}
		}
	}
	walk(w.Canvas().Overlays().Top())
	return out
}

func TestEscInAFieldOfEveryDialogClosesIt(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	searchFor(t, g, cv, "admin")
	cv.tabs.Select(cv.searchTab)
	cv.results.list.Select(0) // something to tag
	g.settle(t)
	for _, tc := range []struct {
		name string
		open func()
	}{
		{"Save the search", cv.onSaveSearch},
		{"Tag", cv.onTag},
		{"Note", cv.onNoteItem},
		{"Settings", cv.onSettings},
		{"Export report", cv.onExportReport},
		{"Export data", cv.onExportData},
		{"Pack", cv.onPack},
		{"Batch search", cv.onBatchSearch},
		{"Rules", cv.onEditRules},
		{"New tag", func() { cv.onManageTags(); g.settle(t); cv.tagsDialog.onNew() }},
		{"Unpack", g.onUnpack},
		{"New case", g.start.onNew},
		{"New statement", func() { cv.tabs.Select(cv.statementsTab); g.settle(t); cv.stmts.onNew() }},
	} {
		tc.open()
		g.settle(t)
		overlays := len(g.win.Canvas().Overlays().List())
		fields := dialogFieldsOf(g.win)
		if overlays == 0 || len(fields) == 0 {
			t.Errorf("%s: %d overlays, %d dialog fields", tc.name, overlays, len(fields))
			continue
		}
		g.win.Canvas().Focus(fields[0])
		pressKey(g.win, fyne.KeyEscape)
		g.settle(t)
		if n := len(g.win.Canvas().Overlays().List()); n != overlays-1 {
			t.Errorf("%s: Esc in its first field left %d of %d overlays", tc.name, n, overlays)
		}
		for len(g.win.Canvas().Overlays().List()) > 0 {
			closeTop(g)
		}
	}
}

// A check box or drop-down of a dialog that has the keyboard passes Esc to
// the dialog (Fyne's own swallow every key), and Enter confirms; Space
// still ticks the box.
func TestEscOnACheckBoxOrDropDownOfADialogClosesIt(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	pick := func(o fyne.CanvasObject) bool {
		switch o.(type) {
		case *dialogCheck, *dialogSelect:
			return true
		}
		return false
	}
	seen := 0
	for _, tc := range []struct {
		name string
		open func()
	}{
		{"Export report", cv.onExportReport},
		{"Export data", cv.onExportData},
		{"Batch search", cv.onBatchSearch},
		{"Rules", func() { cv.onEditRules(); g.settle(t); cv.rulesDialog.list.Select(0) }},
		{"Settings, on the policy", func() { cv.onSettings(); g.settle(t); cv.settings.tabs.SelectIndex(1) }},
	} {
		tc.open()
		g.settle(t)
		ws := dialogWidgetsOf(g.win, pick)
		if len(ws) == 0 {
			t.Errorf("%s: no check box or drop-down", tc.name)
		}
		for _, w := range ws {
			overlays := len(g.win.Canvas().Overlays().List())
			if ch, ok := w.(*dialogCheck); ok {
				was := ch.Checked
				g.win.Canvas().Focus(w)
				ch.TypedRune(' ')
				if ch.Checked == was && !ch.Disabled() {
					t.Errorf("%s: Space did not tick %q", tc.name, ch.Text)
				}
			}
			g.win.Canvas().Focus(w)
			pressKey(g.win, fyne.KeyEscape)
			g.settle(t)
			if n := len(g.win.Canvas().Overlays().List()); n != overlays-1 {
				t.Errorf("%s: Esc on its %T left %d of %d overlays", tc.name, w, n, overlays)
			}
			seen++
			for len(g.win.Canvas().Overlays().List()) > 0 {
				closeTop(g)
			}
			tc.open()
			g.settle(t)
		}
		for len(g.win.Canvas().Overlays().List()) > 0 {
			closeTop(g)
		}
	}
	if seen < 5 {
		t.Errorf("only %d check boxes and drop-downs tried", seen)
	}
}
