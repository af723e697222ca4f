package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// transcribeDialog types what is said in a passage of a recording: in and
// out times, speaker, words. The segment is marked as typed by hand, with
// who and when in the audit trail.
type transcribeDialog struct {
	v       *caseView
	api     recordingsAPI
	rec     model.Source
	length  int64 // the recording's length, ms (0 until known)
	start   *dialogEntry
	end     *dialogEntry
	speaker *dialogEntry
	text    *widget.Entry
	status  *widget.Label
	dlg     *dialog.CustomDialog
	saved   model.Segment // the last segment saved, for tests
}

// openTranscribeDialog opens the hand-transcription dialog for a recording,
// with the passage from startMS to endMS proposed (endMS 0: none yet).
func (v *caseView) openTranscribeDialog(rec model.Source, startMS, endMS int64) *transcribeDialog {
	api, ok := v.c.(recordingsAPI)
	if !ok || rec.Kind != model.KindRecording || v.refuseChange() {
		return nil
	}
	d := &transcribeDialog{v: v, api: api, rec: rec}
	d.start, d.end, d.speaker = newEntry(), newEntry(), newEntry()
	d.start.SetPlaceHolder("in, e.g. 1:02.5")
	d.end.SetPlaceHolder("out, e.g. 1:07")
	d.speaker.SetPlaceHolder("who speaks")
	if endMS > startMS {
		d.start.SetText(casefile.FormatMS(startMS))
		d.end.SetText(casefile.FormatMS(endMS))
	}
	d.text = widget.NewMultiLineEntry()
	d.text.Wrapping = fyne.TextWrapWord
	d.text.SetPlaceHolder("what was said, word for word")
	d.text.SetMinRowsVisible(4)
	d.status = widget.NewLabel("The passage becomes a segment of " + rec.Name + ", marked as typed by hand; your name and the time go into the audit trail.")
	d.status.Wrapping = fyne.TextWrapWord
	d.status.Importance = widget.LowImportance
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	times := container.NewGridWithColumns(2, container.NewVBox(bold("In"), d.start), container.NewVBox(bold("Out"), d.end))
	form := container.NewVBox(times, bold("Speaker"), d.speaker, bold("Words"), d.text, d.status)
	save := widget.NewButtonWithIcon("Save segment", theme.DocumentSaveIcon(), d.onSave)
	save.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons("Transcribe a passage of "+rec.Name, form, v.g.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, save})
	d.dlg.Resize(fyne.NewSize(600, 0))
	d.dlg.Show()
	v.g.bg.spawn(func() {
		r, err := api.Recording(context.Background(), rec.ID)
		v.g.bg.do(func() {
			if err == nil {
				d.length = r.DurationMS
				d.start.SetPlaceHolder(fmt.Sprintf("in, 0:00.000 to %s", casefile.FormatMS(r.DurationMS)))
			}
		})
	})
	return d
}

func (d *transcribeDialog) fail(err error) {
	d.status.Importance = widget.DangerImportance
	d.status.SetText(sentence(err))
}

// onSave checks the passage and saves it in the background.
func (d *transcribeDialog) onSave() {
	start, err := casefile.ParseClock(d.start.Text)
	if err != nil {
		d.fail(fmt.Errorf("in: %w", err))
		return
	}
	end, err := casefile.ParseClock(d.end.Text)
	if err != nil {
		d.fail(fmt.Errorf("out: %w", err))
		return
	}
	words, speaker := strings.TrimSpace(d.text.Text), strings.TrimSpace(d.speaker.Text)
	if words == "" {
		d.fail(fmt.Errorf("type the words said"))
		return
	}
	v := d.v
	d.status.Importance = widget.LowImportance
	d.status.SetText("Saving…")
	v.g.bg.spawn(func() {
		g, err := d.api.TranscribeSegment(context.Background(), d.rec.ID, start, end, speaker, words)
		v.g.bg.do(func() {
			if err != nil {
				d.fail(err)
				return
			}
			d.saved = g
			d.dlg.Hide()
			v.reload()
		})
	})
}
