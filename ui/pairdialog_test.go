package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casebook/casefile"
	"casebook/model"
)

// newRecordingCase is a case holding a WebVTT transcript and a recording
// whose names do not match (so nothing is paired on import): media's
// synthesised speech, 5.5 s.
func newRecordingCase(t *testing.T) (*casefile.Case, string, model.Source, model.Source) {
	t.Helper()
	root := t.TempDir()
	wav, err := os.ReadFile(filepath.Join("..", "media", "testdata", "speech.wav"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "call.wav"), wav, 0o600)
	os.WriteFile(filepath.Join(root, "notes.vtt"), []byte("WEBVTT\n\n00:00:00.000 --> 00:00:01.900\n<v Chair>Northwind Lumen weekly sync.\n\n"+
		"00:00:02.100 --> 00:00:04.500\n<v Dana Ferro>Oslo still has standing access.\n"), 0o600)
	dir := filepath.Join(root, "case")
	c, err := casefile.Create(t.Context(), dir, casefile.CreateOptions{Title: "Recordings", Investigator: "Tess Tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	res, err := c.Import(t.Context(), []string{filepath.Join(root, "call.wav"), filepath.Join(root, "notes.vtt")}, casefile.ImportOptions{}, nil)
	if err != nil || res[0].Err != nil || res[1].Err != nil || res[1].PairedWith != "" {
		t.Fatalf("import: %v %+v", err, res)
	}
	srcs, _ := c.Sources(t.Context())
	return c, dir, srcs[0], srcs[1]
}

func TestThePairDialogPairsATranscriptWithARecordingAtAnOffset(t *testing.T) {
	g := newTestGUI(t)
	c, dir, rec, tr := newRecordingCase(t)
	cv := openTestCase(t, g, c, dir)
	if got := cv.sources.byKind[model.KindRecording]; len(got) != 1 || got[0].ID != rec.ID {
		t.Fatalf("the case tree lists recordings %+v", got)
	}
	cv.onSourceSelected(tr)
	g.settle(t)
	test.Tap(buttonLabelled(t, cv.details.actions, "Pair with a recording…"))
	g.settle(t)
	top := g.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Pair… opened no dialog")
	}
	// The dialog was opened on the transcript; the one recording is chosen.
	d := cv.openPairDialog(tr)
	g.settle(t)
	if d.transcript.Selected != sourceChoice(tr) || d.recording.Selected != sourceChoice(rec) {
		t.Fatalf("chosen: %q and %q", d.transcript.Selected, d.recording.Selected)
	}
	d.offset.SetText("soon")
	d.onPair()
	g.settle(t)
	if d.status.Text == "" || !strings.Contains(d.status.Text, "soon") {
		t.Errorf("a bad offset says %q", d.status.Text)
	}
	d.offset.SetText("1.25s")
	d.onPair()
	g.settle(t)
	ps, _ := c.Pairings(t.Context())
	if len(ps) != 1 || ps[0].TranscriptID != tr.ID || ps[0].RecordingID != rec.ID || ps[0].OffsetMS != 1250 || ps[0].How != model.PairedByHand {
		t.Fatalf("pairings %+v (dialog says %q)", ps, d.status.Text)
	}
	// Opened again, it shows the pairing and can undo it.
	d2 := cv.openPairDialog(tr)
	g.settle(t)
	if d2.offset.Text != "0:01.250" || d2.unpair.Disabled() {
		t.Errorf("the dialog shows offset %q, unpair disabled %v", d2.offset.Text, d2.unpair.Disabled())
	}
	d2.onUnpair()
	g.settle(t)
	if ps, _ := c.Pairings(t.Context()); len(ps) != 0 {
		t.Fatalf("after Unpair: %+v", ps)
	}
}

func TestTheTranscribeDialogSavesAHandTypedSegment(t *testing.T) {
	g := newTestGUI(t)
	c, dir, rec, _ := newRecordingCase(t)
	cv := openTestCase(t, g, c, dir)
	cv.onSourceSelected(rec)
	g.settle(t)
	test.Tap(buttonLabelled(t, cv.details.actions, "Transcribe a passage…"))
	g.settle(t)
	d := cv.openTranscribeDialog(rec, 2100, 4500)
	g.settle(t)
	if d.start.Text != "0:02.100" || d.end.Text != "0:04.500" || d.length != 5513 {
		t.Fatalf("proposed %q–%q of %d ms", d.start.Text, d.end.Text, d.length)
	}
	d.onSave()
	g.settle(t)
	if !strings.Contains(d.status.Text, "words") || d.saved.ID != 0 {
		t.Fatalf("no words: %q", d.status.Text)
	}
	d.end.SetText("0:09")
	d.speaker.SetText("Dana Ferro")
	d.text.SetText("Oslo still has standing access.")
	d.onSave()
	g.settle(t)
	if d.saved.ID != 0 || !strings.Contains(d.status.Text, "after the end") {
		t.Fatalf("a passage past the end: %q", d.status.Text)
	}
	d.end.SetText("4.5")
	d.onSave()
	g.settle(t)
	if !d.saved.ByHand || d.saved.StartMS != 2100 || d.saved.EndMS != 4500 || d.saved.TypedBy != "Tess Tester" {
		t.Fatalf("saved %+v (%q)", d.saved, d.status.Text)
	}
	segs, _ := c.Segments(t.Context(), rec.ID)
	if len(segs) != 1 || segs[0].Text != "Oslo still has standing access." || segs[0].Speaker != "Dana Ferro" {
		t.Fatalf("the recording's segments %+v", segs)
	}
	cv.details.showSegment(segs[0], rec)
	shown := strings.Join(visibleTexts(cv.details.box), "|")
	if !strings.Contains(shown, "Typed by hand") || !strings.Contains(shown, "Tess Tester, "+segs[0].TypedAt.UTC().Format("2006-01-02")) ||
		strings.Contains(shown, "Byte offset") {
		t.Errorf("the details of a hand-typed segment show %q", shown)
	}
}
