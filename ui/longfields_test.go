package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"casebook/casefile"
	"casebook/model"
)

// longNote is a fictional note longer than any dialog is wide.
var longNote = strings.Repeat("Ask Mia Chen who approved the nightly export of the US phone numbers to Beijing. ", 6)

// Long notes and statements wrap in their fields: typing one does not widen
// the field (its dialog would grow past the window) but adds lines.
func TestLongNotesAndStatementsWrapInTheirFields(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	cv.selectItem(selection{item: model.ItemID{Kind: model.ItemSegment, N: 1}, text: "The master admin can see US user data"})
	cv.onTag()
	g.settle(t)
	if cv.tagDialog == nil {
		t.Fatal("no tag dialog")
	}
	form := newStatementForm(g.win, casefile.Statement{}, nil)
	for name, e := range map[string]interface {
		MinSize() fyne.Size
		SetText(string)
	}{"the tag's note": cv.tagDialog.note, "the statement's words": form.words} {
		before := e.MinSize()
		e.SetText(longNote)
		after := e.MinSize()
		if after.Width > before.Width+1 {
			t.Errorf("%s widened from %v to %v: it scrolls sideways instead of wrapping", name, before.Width, after.Width)
		}
	}
	if cv.tagDialog.note.Wrapping != fyne.TextWrapWord || form.words.Wrapping != fyne.TextWrapWord {
		t.Error("a note or statement field does not wrap words")
	}
}
