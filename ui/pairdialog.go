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

// recordingsAPI is what the pairing and hand-transcription dialogs need
// from a case (a *casefile.Case has it).
type recordingsAPI interface {
	Pairings(ctx context.Context) ([]model.Pairing, error)
	Pair(ctx context.Context, transcriptID, recordingID int64, offsetMS int64) error
	Unpair(ctx context.Context, transcriptID int64) error
	Recording(ctx context.Context, sourceID int64) (model.Recording, error)
	TranscribeSegment(ctx context.Context, recordingID int64, startMS, endMS int64, speaker, text string) (model.Segment, error)
}

// pairDialog ties a transcript to the recording it was made from, with
// the offset where the transcript starts in the recording.
type pairDialog struct {
	v          *caseView
	api        recordingsAPI
	transcript *dialogSelect
	recording  *dialogSelect
	offset     *dialogEntry
	status     *widget.Label
	unpair     *widget.Button
	dlg        *dialog.CustomDialog
	ids        map[string]int64 // choice label → source id
	pairings   map[int64]model.Pairing
	done       string // what the last pairing did, for tests
}

// sourceChoice is how a source is offered in the dialogs' lists.
func sourceChoice(s model.Source) string { return fmt.Sprintf("%s  %s", sourceUID(s), s.Name) }

// openPairDialog opens the Pair… dialog with s (a transcript or a
// recording) chosen. It returns nil when the case cannot pair.
func (v *caseView) openPairDialog(s model.Source) *pairDialog {
	api, ok := v.c.(recordingsAPI)
	if !ok || v.refuseChange() {
		return nil
	}
	d := &pairDialog{v: v, api: api, ids: map[string]int64{}, pairings: map[int64]model.Pairing{}}
	var ts, rs []string
	for _, k := range []model.SourceKind{model.KindTranscript, model.KindRecording} {
		for _, src := range v.sources.byKind[k] {
			label := sourceChoice(src)
			d.ids[label] = src.ID
			if k == model.KindTranscript {
				ts = append(ts, label)
			} else {
				rs = append(rs, label)
			}
		}
	}
	d.transcript = newDialogSelect(ts, func(string) { d.showPairing() })
	d.recording = newDialogSelect(rs, nil)
	d.offset = newEntry()
	d.offset.SetPlaceHolder("0 (or 12.3s, 1:02.5, -2s)")
	d.status = widget.NewLabel("A time t in the transcript is t + offset in the recording. The pairing is recorded in the audit trail.")
	d.status.Wrapping = fyne.TextWrapWord
	d.status.Importance = widget.LowImportance
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	form := container.NewVBox(bold("Transcript"), d.transcript, bold("Recording"), d.recording,
		bold("The transcript starts this far into the recording"), d.offset, d.status)
	pair := widget.NewButtonWithIcon("Pair", theme.ConfirmIcon(), d.onPair)
	pair.Importance = widget.HighImportance
	d.unpair = widget.NewButtonWithIcon("Unpair", theme.ContentClearIcon(), d.onUnpair)
	d.unpair.Disable()
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons("Pair a transcript with its recording", form, v.g.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.unpair, pair})
	d.dlg.Resize(fyne.NewSize(600, 0))
	switch s.Kind {
	case model.KindTranscript:
		d.transcript.SetSelected(sourceChoice(s))
	case model.KindRecording:
		d.recording.SetSelected(sourceChoice(s))
	}
	if len(rs) == 1 && d.recording.Selected == "" {
		d.recording.SetSelected(rs[0])
	}
	d.dlg.Show()
	v.g.bg.spawn(func() {
		ps, err := api.Pairings(context.Background())
		v.g.bg.do(func() {
			if err != nil {
				d.fail(err)
				return
			}
			for _, p := range ps {
				d.pairings[p.TranscriptID] = p
			}
			d.showPairing()
		})
	})
	return d
}

// showPairing shows the chosen transcript's current pairing, if any.
func (d *pairDialog) showPairing() {
	p, ok := d.pairings[d.ids[d.transcript.Selected]]
	if !ok {
		d.unpair.Disable()
		return
	}
	d.unpair.Enable()
	for label, id := range d.ids {
		if id == p.RecordingID && d.recording.Selected != label {
			d.recording.SetSelected(label)
		}
	}
	d.offset.SetText(casefile.FormatMS(p.OffsetMS))
	d.status.Importance = widget.LowImportance
	d.status.SetText(fmt.Sprintf("Paired now (by %s) at offset %s: pairing again replaces it.", p.How, casefile.FormatMS(p.OffsetMS)))
}

func (d *pairDialog) fail(err error) {
	d.status.Importance = widget.DangerImportance
	d.status.SetText(sentence(err))
}

// onPair checks the choices and pairs in the background.
func (d *pairDialog) onPair() {
	t, r := d.ids[d.transcript.Selected], d.ids[d.recording.Selected]
	if t == 0 || r == 0 {
		d.fail(fmt.Errorf("choose a transcript and a recording"))
		return
	}
	var off int64
	if text := strings.TrimSpace(d.offset.Text); text != "" {
		var err error
		if off, err = casefile.ParseClock(text); err != nil {
			d.fail(fmt.Errorf("the offset: %w", err))
			return
		}
	}
	d.run(func(ctx context.Context) error { return d.api.Pair(ctx, t, r, off) },
		fmt.Sprintf("Paired %s with %s at offset %s.", strings.Fields(d.transcript.Selected)[0], strings.Fields(d.recording.Selected)[0], casefile.FormatMS(off)))
}

// onUnpair removes the chosen transcript's pairing.
func (d *pairDialog) onUnpair() {
	t := d.ids[d.transcript.Selected]
	d.run(func(ctx context.Context) error { return d.api.Unpair(ctx, t) }, "Unpaired "+strings.Fields(d.transcript.Selected)[0]+".")
}

// run does a change in the background and, on the main goroutine, closes
// the dialog and reloads the case, or says why it failed.
func (d *pairDialog) run(change func(context.Context) error, done string) {
	v := d.v
	d.status.Importance = widget.LowImportance
	d.status.SetText("Saving…")
	v.g.bg.spawn(func() {
		err := change(context.Background())
		v.g.bg.do(func() {
			if err != nil {
				d.fail(err)
				return
			}
			d.done = done
			d.dlg.Hide()
			v.reload()
		})
	})
}
