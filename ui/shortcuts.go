package ui

import (
	"fmt"
	"runtime"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Where a key works.
const (
	whereWindow = "Anywhere"     // the window's menus carry it (or the canvas, when no menu item does)
	whereReview = "Review queue" // while the review queue has the keyboard
	whereDialog = "Any dialog"   // while a dialog shows
	// whereList: while a list of hits, suggestions, exhibits, linked items
	// or segments has the keyboard.
	whereList   = "Lists: hits, suggestions, exhibits, linked items, the Reader's segments"
	whereFind   = "Find in this transcript" // while the Reader's find field has the keyboard
	whereSearch = "The search field"        // while the search field has the keyboard
	// whereReader: while the Reader's segments have the keyboard and the transcript has a recording.
	whereReader = "The Reader, when the transcript has a recording"
)

// keyBinding is one key of the window: the key and its modifier, where it
// works, what it does, and what runs it. keyBindings is the one table of
// them: it registers the keys (menu shortcuts, the review queue's keys,
// the dialogs' keys, the lists' and Find's keys) and is what Help → Keyboard shortcuts lists, so the
// two cannot drift. Each row sets the one handler its place calls.
type keyBinding struct {
	key   fyne.KeyName
	mod   fyne.KeyModifier // 0, or fyne.KeyModifierShortcutDefault (Ctrl; ⌘ on macOS), fyne.KeyModifierAlt …
	where string
	does  string // what it does, as Help lists it
	menu  string // the menu item that carries the key, "" when none (whereWindow)

	run    func(*gui)             // whereWindow
	review func(*reviewView)      // whereReview
	dialog func(fyne.Canvas) bool // whereDialog: given the canvas whose top overlay is the dialog; false when it did nothing
	list   func(*itemList)        // whereList
	find   func(*findBar)         // whereFind
	search func(*resultsView)     // whereSearch
	reader func(*readerView)      // whereReader
}

// keyBindings lists every key of the window, in the order Help shows them.
// A function, not a variable: the handlers reach code that reads the table.
func keyBindings() []keyBinding {
	ctrl := fyne.KeyModifierShortcutDefault
	return []keyBinding{
		{key: fyne.KeyO, mod: ctrl, where: whereWindow, menu: "Open case…", does: "Open a case", run: (*gui).onOpen},
		{key: fyne.KeyI, mod: ctrl, where: whereWindow, menu: "Import files…", does: "Import files into the case",
			run: onCase((*caseView).onImportFiles)},
		{key: fyne.KeyF, mod: ctrl, where: whereWindow, menu: "Search", does: "Go to the search bar; in the Reader, find in the transcript",
			run: onCase((*caseView).onFind)},
		{key: fyne.KeyLeft, mod: fyne.KeyModifierAlt, where: whereWindow, menu: "Back", does: "Back to where you were before opening an item in context",
			run: onCase((*caseView).goBack)},
		{key: fyne.KeyRight, mod: fyne.KeyModifierAlt, where: whereWindow, menu: "Forward", does: "Forward again after going back",
			run: onCase((*caseView).goForward)},
		{key: fyne.KeyT, mod: ctrl, where: whereWindow, menu: "Tag the selection…", does: "Tag the selected hit, segment or row",
			run: onCase((*caseView).onTag)},
		{key: fyne.KeyE, mod: ctrl, where: whereWindow, menu: "Export report…", does: "Export the PDF report",
			run: onCase((*caseView).onExportReport)},
		{key: fyne.KeyComma, mod: ctrl, where: whereWindow, menu: "Settings…", does: "Open the case's settings",
			run: onCase((*caseView).onSettings)},

		{key: fyne.KeyA, where: whereReview, does: "Accept the suggestion (on a heading: the whole group, after asking)",
			review: func(v *reviewView) { v.decide(true) }},
		{key: fyne.KeyR, where: whereReview, does: "Reject the suggestion (on a heading: the whole group, after asking)",
			review: func(v *reviewView) { v.decide(false) }},
		{key: fyne.KeyJ, where: whereReview, does: "Next suggestion", review: func(v *reviewView) { v.step(1) }},
		{key: fyne.KeyK, where: whereReview, does: "Previous suggestion", review: func(v *reviewView) { v.step(-1) }},
		{key: fyne.KeyN, where: whereReview, does: "Write a note on the suggestion's item", review: (*reviewView).onNote},
		{key: fyne.KeyX, where: whereReview, does: "Check the suggestion for a bulk review (on a heading: fold or unfold)",
			review: (*reviewView).checkSelected},
		{key: fyne.KeySpace, where: whereReview, does: "Check the suggestion for a bulk review (on a heading: fold or unfold)",
			review: (*reviewView).checkSelected},
		{key: fyne.KeyRight, where: whereReview, does: "Unfold the heading", review: func(v *reviewView) { v.setOpen(v.selected, true) }},
		{key: fyne.KeyLeft, where: whereReview, does: "Fold the heading (on a suggestion: its day)",
			review: func(v *reviewView) { v.setOpen(v.selected, false) }},
		{key: fyne.KeyReturn, where: whereReview, does: "Fold or unfold the heading; on a suggestion, open its item in context",
			review: (*reviewView).onEnter},
		{key: fyne.KeyEnter, where: whereReview, does: "Fold or unfold the heading; on a suggestion, open its item in context",
			review: (*reviewView).onEnter},

		{key: fyne.KeyReturn, where: whereList, does: "Open the selected item in context: its segment in the Reader, its row in the Access log (or double-click it)",
			list: (*itemList).open},
		{key: fyne.KeyEnter, where: whereList, does: "Open the selected item in context: its segment in the Reader, its row in the Access log (or double-click it)",
			list: (*itemList).open},
		{key: fyne.KeyDown, where: whereList, does: "Next item", list: func(l *itemList) { l.move(1) }},
		{key: fyne.KeyUp, where: whereList, does: "Previous item", list: func(l *itemList) { l.move(-1) }},
		{key: fyne.KeyPageDown, where: whereList, does: "Ten items down", list: func(l *itemList) { l.move(10) }},
		{key: fyne.KeyPageUp, where: whereList, does: "Ten items up", list: func(l *itemList) { l.move(-10) }},
		{key: fyne.KeyHome, where: whereList, does: "First item", list: func(l *itemList) { l.moveTo(-1) }},
		{key: fyne.KeyEnd, where: whereList, does: "Last item", list: func(l *itemList) { l.moveTo(1) }},

		{key: fyne.KeyDown, where: whereSearch, does: "Go to the hits: the first is selected and the list takes the keyboard",
			search: (*resultsView).focusHits},

		{key: fyne.KeySpace, where: whereReader, does: "Play the selected segment from the recording; again: pause, resume",
			reader: func(v *readerView) { v.play.playSelected() }},
		{key: fyne.KeyReturn, where: whereReader, does: "Play on from the selected segment to the end of the recording",
			reader: func(v *readerView) { v.play.playOnSelected() }},
		{key: fyne.KeyEnter, where: whereReader, does: "Play on from the selected segment to the end of the recording",
			reader: func(v *readerView) { v.play.playOnSelected() }},

		{key: fyne.KeyReturn, where: whereFind, does: "Next place found", find: func(f *findBar) { f.step(1) }},
		{key: fyne.KeyEnter, where: whereFind, does: "Next place found", find: func(f *findBar) { f.step(1) }},
		{key: fyne.KeyDown, where: whereFind, does: "Next place found", find: func(f *findBar) { f.step(1) }},
		{key: fyne.KeyReturn, mod: fyne.KeyModifierShift, where: whereFind, does: "Previous place found",
			find: func(f *findBar) { f.step(-1) }},
		{key: fyne.KeyUp, where: whereFind, does: "Previous place found", find: func(f *findBar) { f.step(-1) }},
		{key: fyne.KeyEscape, where: whereFind, does: "Close Find", find: (*findBar).close},

		{key: fyne.KeyReturn, where: whereDialog, does: "Confirm: the dialog's highlighted button", dialog: confirmDialog},
		{key: fyne.KeyEnter, where: whereDialog, does: "Confirm: the dialog's highlighted button", dialog: confirmDialog},
		{key: fyne.KeyReturn, mod: ctrl, where: whereDialog, does: "Confirm, also from a field of several lines",
			dialog: confirmDialog},
		{key: fyne.KeySpace, where: whereDialog, does: "Confirm, when no field has the keyboard", dialog: confirmDialog},
		{key: fyne.KeyEscape, where: whereDialog, does: "Cancel or close the dialog", dialog: cancelDialog},
	}
}

// onCase makes a window key's handler of a case action.
func onCase(f func(*caseView)) func(*gui) {
	return func(g *gui) { g.withCase(f) }
}

// binding finds the row of a key (with no modifier) in a place.
func binding(where string, k fyne.KeyName) (keyBinding, bool) {
	return bindingMod(where, k, 0)
}

// bindingMod finds the row of a key with a modifier in a place.
func bindingMod(where string, k fyne.KeyName, mod fyne.KeyModifier) (keyBinding, bool) {
	for _, b := range keyBindings() {
		if b.where == where && b.key == k && b.mod == mod {
			return b, true
		}
	}
	return keyBinding{}, false
}

// menuItem makes the menu item that carries a window key, by its label.
// It panics when the table has no such row: a menu label and its row are
// changed together.
func (g *gui) menuItem(label string) *fyne.MenuItem {
	for _, b := range keyBindings() {
		if b.where == whereWindow && b.menu == label {
			it := fyne.NewMenuItem(label, func() { b.run(g) })
			it.Shortcut = &desktop.CustomShortcut{KeyName: b.key, Modifier: b.mod}
			return it
		}
	}
	panic("ui: no key binding for the menu item " + label)
}

// registerKeys adds the window keys no menu item carries to the canvas,
// and lets the dialog keys reach a dialog while nothing in it has the
// keyboard.
func (g *gui) registerKeys() {
	c := g.win.Canvas()
	for _, b := range keyBindings() {
		sc := &desktop.CustomShortcut{KeyName: b.key, Modifier: b.mod}
		switch {
		case b.where == whereWindow && b.menu == "":
			c.AddShortcut(sc, func(fyne.Shortcut) { b.run(g) })
		case b.where == whereDialog && b.mod != 0:
			c.AddShortcut(sc, func(fyne.Shortcut) { dialogKey(c, b.key, b.mod, false) })
		}
	}
	c.SetOnTypedKey(func(e *fyne.KeyEvent) { dialogKey(c, e.Name, 0, false) })
}

// keyName is how Help writes a key with its modifier: "Ctrl+O" (⌘O on
// macOS), "→", "Enter".
func keyName(k fyne.KeyName, mod fyne.KeyModifier) string {
	names := map[fyne.KeyName]string{fyne.KeyReturn: "Enter", fyne.KeyEnter: "Enter", fyne.KeyEscape: "Esc",
		fyne.KeyRight: "→", fyne.KeyLeft: "←", fyne.KeyUp: "↑", fyne.KeyDown: "↓", fyne.KeySpace: "Space",
		fyne.KeyPageUp: "Page Up", fyne.KeyPageDown: "Page Down"}
	s, ok := names[k]
	if !ok {
		s = string(k)
	}
	mac := runtime.GOOS == "darwin"
	var p []string
	for _, m := range []struct {
		mod        fyne.KeyModifier
		name, macN string
	}{{fyne.KeyModifierControl, "Ctrl", "⌃"}, {fyne.KeyModifierAlt, "Alt", "⌥"}, {fyne.KeyModifierShift, "Shift", "⇧"},
		{fyne.KeyModifierSuper, "Super", "⌘"}} {
		// KeyModifierShortcutDefault is Control, or Super (⌘) on macOS.
		if mod&m.mod == 0 {
			continue
		}
		if mac {
			p = append(p, m.macN)
		} else {
			p = append(p, m.name)
		}
	}
	if mac {
		return strings.Join(p, "") + s
	}
	return strings.Join(append(p, s), "+")
}

// shortcutsHelp is Help → Keyboard shortcuts, in Markdown, made from
// keyBindings: one line per place and action, its keys joined.
func shortcutsHelp() string {
	type line struct {
		where, does string
		keys        []string
	}
	var lines []line
	for _, b := range keyBindings() {
		k := keyName(b.key, b.mod)
		if i := slices.IndexFunc(lines, func(l line) bool { return l.where == b.where && l.does == b.does }); i >= 0 {
			if !slices.Contains(lines[i].keys, k) {
				lines[i].keys = append(lines[i].keys, k)
			}
			continue
		}
		lines = append(lines, line{b.where, b.does, []string{k}})
	}
	var sb strings.Builder
	sb.WriteString("## Keyboard shortcuts\n")
	where := ""
	for _, l := range lines {
		if l.where != where {
			where = l.where
			fmt.Fprintf(&sb, "\n**%s**\n\n", where)
		}
		fmt.Fprintf(&sb, "- **%s** — %s\n", strings.Join(l.keys, " or "), l.does)
	}
	sb.WriteString("\nIn the search bar, Enter runs the query. The menus show each key beside its item.")
	return sb.String()
}
