package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Fyne's dialogs take no keys of their own: a key reaches the widget that
// has the keyboard, or the canvas when none has. The canvas passes the
// dialog keys of keyBindings to the top dialog (registerKeys), and the
// fields of our dialogs (dialogEntry) pass Enter and Esc on instead of
// swallowing them.

// dialogKey runs the dialog key k (with modifier mod) on the dialog shown
// over canvas c; typing says a text field has the keyboard, where Space is
// a space. It reports whether the key did something.
func dialogKey(c fyne.Canvas, k fyne.KeyName, mod fyne.KeyModifier, typing bool) bool {
	if c == nil || c.Overlays().Top() == nil {
		return false
	}
	for _, b := range keyBindings() {
		if b.where != whereDialog || b.key != k || b.mod != mod {
			continue
		}
		if typing && k == fyne.KeySpace {
			return false
		}
		return b.dialog(c)
	}
	return false
}

// confirmDialog taps the top dialog's default button: its one enabled
// high-importance button (Yes, Save, Create, Export …), or its only button.
func confirmDialog(c fyne.Canvas) bool {
	buttons := dialogButtons(c.Overlays().Top())
	high := slices.DeleteFunc(slices.Clone(buttons), func(b *widget.Button) bool { return b.Importance != widget.HighImportance })
	switch {
	case len(high) == 1:
		return tapEnabled(high[0])
	case len(high) == 0 && len(buttons) == 1:
		return tapEnabled(buttons[0])
	}
	return false
}

// cancelLabels are the labels of the buttons that leave a dialog without
// doing anything, in the order they are preferred.
var cancelLabels = []string{"Cancel", "Close", "No", "OK"}

// cancelDialog taps the top dialog's Cancel (or Close, No, OK) button, or
// its only button.
func cancelDialog(c fyne.Canvas) bool {
	buttons := dialogButtons(c.Overlays().Top())
	for _, label := range cancelLabels {
		for _, b := range buttons {
			if b.Text == label {
				return tapEnabled(b)
			}
		}
	}
	if len(buttons) == 1 {
		return tapEnabled(buttons[0])
	}
	return false
}

// tapEnabled taps b as a click would, unless it is disabled.
func tapEnabled(b *widget.Button) bool {
	if b.Disabled() || b.OnTapped == nil {
		return false
	}
	b.Tapped(nil)
	return true
}

// dialogButtons lists the visible buttons under o, looking into the
// containers and the containing widgets a dialog is built of.
func dialogButtons(o fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *widget.Button:
			out = append(out, w)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case *widget.PopUp:
			walk(w.Content)
		case *container.Scroll:
			walk(w.Content)
		case *container.Split:
			walk(w.Leading)
			walk(w.Trailing)
		case *container.AppTabs:
			if it := w.Selected(); it != nil {
				walk(it.Content)
			}
		case *widget.Form:
			for _, it := range w.Items {
				walk(it.Widget)
			}
		}
	}
	walk(o)
	return out
}

// dialogEntry is the text field of our dialogs: Esc cancels the dialog and
// Enter in a one-line field confirms it (unless the field has its own
// OnSubmitted), as with no field focused; Ctrl+Enter confirms from a field
// of several lines, where Enter starts a new line.
type dialogEntry struct {
	widget.Entry
}

// newEntry makes a one-line dialog field.
func newEntry() *dialogEntry {
	e := &dialogEntry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// newMultiLineEntry makes a dialog field of several lines, wrapping words.
func newMultiLineEntry() *dialogEntry {
	e := newEntry()
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	return e
}

// TypedKey passes Esc, and Enter in a one-line field, to the dialog.
func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	dialogKeyOf(e, &e.Entry, k)
}

// TypedShortcut passes the dialog's shortcuts (Ctrl+Enter) to the dialog.
func (e *dialogEntry) TypedShortcut(s fyne.Shortcut) {
	if !dialogShortcutOf(e, s) {
		e.Entry.TypedShortcut(s)
	}
}

// dialogSelectEntry is a dialog field with a list to pick from, taking the
// dialog keys as dialogEntry does.
type dialogSelectEntry struct {
	widget.SelectEntry
}

// newSelectEntry makes a dialog field offering options.
func newSelectEntry(options []string) *dialogSelectEntry {
	e := &dialogSelectEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetOptions(options)
	return e
}

// TypedKey passes Esc, and Enter, to the dialog.
func (e *dialogSelectEntry) TypedKey(k *fyne.KeyEvent) {
	dialogKeyOf(e, &e.Entry, k)
}

// TypedShortcut passes the dialog's shortcuts to the dialog.
func (e *dialogSelectEntry) TypedShortcut(s fyne.Shortcut) {
	if !dialogShortcutOf(e, s) {
		e.SelectEntry.TypedShortcut(s)
	}
}

// dialogKeyOf gives a dialog the keys its field o (whose entry is in)
// passes on, and the field the rest.
func dialogKeyOf(o fyne.CanvasObject, in *widget.Entry, k *fyne.KeyEvent) {
	passes := k.Name == fyne.KeyEscape ||
		(k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && !in.MultiLine && in.OnSubmitted == nil
	if passes && dialogKey(canvasOf(o), k.Name, 0, true) {
		return
	}
	in.TypedKey(k)
}

// dialogShortcutOf runs a dialog key with a modifier typed in the field o.
func dialogShortcutOf(o fyne.CanvasObject, s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && dialogKey(canvasOf(o), cs.KeyName, cs.Modifier, true)
}

// canvasOf is the canvas o is shown on, nil when none.
func canvasOf(o fyne.CanvasObject) fyne.Canvas {
	if a := fyne.CurrentApp(); a != nil {
		return a.Driver().CanvasForObject(o)
	}
	return nil
}

// dialogCheck is a check box in a dialog: Space ticks it, and Enter and Esc
// reach the dialog (a focused widget.Check swallows every key).
type dialogCheck struct {
	widget.Check
}

// newDialogCheck makes a dialog's check box, as widget.NewCheck does.
func newDialogCheck(label string, changed func(bool)) *dialogCheck {
	c := &dialogCheck{}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey passes Enter and Esc to the dialog.
func (c *dialogCheck) TypedKey(k *fyne.KeyEvent) {
	if !dialogKey(canvasOf(c), k.Name, 0, true) {
		c.Check.TypedKey(k)
	}
}

// dialogSelect is a drop-down in a dialog: Space and the arrows choose, and
// Enter and Esc reach the dialog.
type dialogSelect struct {
	widget.Select
}

// newDialogSelect makes a dialog's drop-down, as widget.NewSelect does.
func newDialogSelect(options []string, changed func(string)) *dialogSelect {
	s := &dialogSelect{}
	s.Options, s.OnChanged = options, changed
	s.PlaceHolder = "(Select one)"
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey passes Enter and Esc to the dialog, the other keys to the
// drop-down.
func (s *dialogSelect) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyEscape:
		if dialogKey(canvasOf(s), k.Name, 0, true) {
			return
		}
	}
	s.Select.TypedKey(k)
}
