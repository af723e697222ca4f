package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// TestTheMenusAndHelpShowTheKeysTheTableRegisters checks that the one
// table of keys, the menus and Help → Keyboard shortcuts agree: every
// menu item with a key is a row of the table with that key, every window
// row is carried by its menu item, and Help lists every row.
func TestTheMenusAndHelpShowTheKeysTheTableRegisters(t *testing.T) {
	g := newTestGUI(t)
	rows := keyBindings()
	menuKeys := map[string]*desktop.CustomShortcut{}
	for _, m := range g.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut == nil {
				continue
			}
			sc, ok := it.Shortcut.(*desktop.CustomShortcut)
			if !ok {
				t.Errorf("%s carries a %T", it.Label, it.Shortcut)
				continue
			}
			menuKeys[it.Label] = sc
		}
	}
	inTable := map[string]bool{}
	for _, b := range rows {
		handlers := 0
		for _, set := range []bool{b.run != nil, b.review != nil, b.dialog != nil, b.list != nil, b.find != nil, b.search != nil, b.reader != nil} {
			if set {
				handlers++
			}
		}
		okPlace := b.where == whereWindow && b.run != nil || b.where == whereReview && b.review != nil ||
			b.where == whereDialog && b.dialog != nil || b.where == whereList && b.list != nil || b.where == whereFind && b.find != nil ||
			b.where == whereSearch && b.search != nil || b.where == whereReader && b.reader != nil
		if handlers != 1 || !okPlace {
			t.Errorf("%s (%s) has %d handlers, not its place's", keyName(b.key, b.mod), b.where, handlers)
		}
		if b.menu == "" {
			continue
		}
		inTable[b.menu] = true
		sc, ok := menuKeys[b.menu]
		if !ok || sc.KeyName != b.key || sc.Modifier != b.mod {
			t.Errorf("the menu item %s carries %v, the table says %s", b.menu, sc, keyName(b.key, b.mod))
		}
	}
	for label := range menuKeys {
		if !inTable[label] {
			t.Errorf("the menu item %s has a key the table does not list", label)
		}
	}

	help := shortcutsHelp()
	for _, b := range rows {
		if !strings.Contains(help, keyName(b.key, b.mod)) || !strings.Contains(help, b.does) {
			t.Errorf("Help does not list %s — %s", keyName(b.key, b.mod), b.does)
		}
	}
	for _, want := range []string{"**Ctrl+O** — Open a case", "**X or Space** — Check the suggestion",
		"**Enter** — Confirm", "**Esc** — Cancel or close the dialog"} {
		if !strings.Contains(help, want) {
			t.Errorf("Help lacks %q:\n%s", want, help)
		}
	}
	menuItem(t, g, "Keyboard shortcuts…").Action()
	assertShows(t, g.win.Canvas().Overlays().Top(), "Keyboard shortcuts")
	pressKey(g.win, fyne.KeyEscape)
	if dialogShown(g.win) {
		t.Error("Esc left Help open")
	}
	menuItem(t, g, "Your first case…").Action()
	assertShows(t, g.win.Canvas().Overlays().Top(), "Your first case")
	pressKey(g.win, fyne.KeyReturn)
	if dialogShown(g.win) {
		t.Error("Enter left the guide open")
	}
}

// TestEveryReviewKeyOfTheTableReachesTheQueue types each review key of
// the table on the focused queue and checks that the queue took it.
func TestEveryReviewKeyOfTheTableReachesTheQueue(t *testing.T) {
	g := newTestGUI(t)
	_, cv := groupCase(t, g)
	rv := cv.review
	g.win.Canvas().Focus(rv.list)
	for _, b := range keyBindings() {
		if b.where != whereReview {
			continue
		}
		if !rv.onKey(b.key) {
			t.Errorf("the queue did not take %s", keyName(b.key, b.mod))
		}
		for dialogShown(g.win) {
			pressKey(g.win, fyne.KeyEscape)
		}
		g.settle(t)
	}
	if rv.onKey(fyne.KeyQ) {
		t.Error("the queue took Q, which the table does not list")
	}
}
