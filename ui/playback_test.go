package ui

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/media"
	"casebook/model"
	"casebook/player"
)

// standupVTT is a fictional captioned meeting of Northwind Lumen, timed against media's speech.wav
// (synthesised speech, no real voice).
const standupVTT = "WEBVTT\n\n" +
	"00:00:00.500 --> 00:00:01.800\n<v Dana Ferro>Northwind Lumen weekly sync.\n\n" +
	"00:00:01.800 --> 00:00:03.200\n<v Dana Ferro>Oslo still has\n\n" +
	"00:00:03.200 --> 00:00:05.000\n<v Priya Okafor>standing access.\n"

// standupOffsetMS is the pairing's offset the tests set: the transcript starts this far into the recording.
const standupOffsetMS = 250

// withOutput makes the Reader play on out for the test.
func withOutput(t *testing.T, out player.Output) {
	t.Helper()
	old := playbackOutput
	playbackOutput = func() player.Output { return out }
	t.Cleanup(func() { playbackOutput = old })
}

// openStandup imports standup.vtt and standup.wav into the test case, pairs them with standupOffsetMS and
// opens the transcript in the Reader; it returns the transcript and the recording's stored path.
func openStandup(t *testing.T, g *harness, c *casefile.Case, cv *caseView) (model.Source, string) {
	t.Helper()
	root := t.TempDir()
	wav, err := os.ReadFile(filepath.Join("..", "media", "testdata", "speech.wav"))
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{filepath.Join(root, "standup.vtt"), filepath.Join(root, "standup.wav")}
	if err := os.WriteFile(paths[0], []byte(standupVTT), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(paths[1], wav, 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := c.Import(t.Context(), paths, casefile.ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	tr, rec := sourceNamed(t, c, "standup.vtt"), sourceNamed(t, c, "standup.wav")
	if _, _, _, err := c.RecordingFor(t.Context(), tr.ID); errors.Is(err, casefile.ErrNotPaired) {
		err = c.Pair(t.Context(), tr.ID, rec.ID, standupOffsetMS)
		if err != nil {
			t.Fatal(err)
		}
	} else if err := c.SetOffset(t.Context(), tr.ID, standupOffsetMS); err != nil {
		t.Fatal(err)
	}
	_, _, path, err := c.RecordingFor(t.Context(), tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	cv.reload()
	g.settle(t)
	cv.sources.selectSource(sourceUID(tr))
	g.settle(t)
	relayoutWindow(g.win)
	if len(cv.reader.segs) != 3 {
		t.Fatalf("the reader shows %d segments of standup.vtt: %q", len(cv.reader.segs), cv.reader.title.Text)
	}
	return tr, path
}

// clipOf is what media.WriteClipWAV cuts of a recording for a span: the samples a segment's playback must be.
func clipOf(t *testing.T, path string, startMS, endMS int64) []int16 {
	t.Helper()
	var buf bytes.Buffer
	if _, err := media.WriteClipWAV(context.Background(), path, startMS, endMS, &buf); err != nil {
		t.Fatal(err)
	}
	return pcmOf(buf.Bytes()[44:])
}

// pcmOf reads little-endian 16-bit samples.
func pcmOf(b []byte) []int16 {
	out := make([]int16, len(b)/2)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(b[i*2:]))
	}
	return out
}

// press types a key into the Reader's segments.
func press(v *readerView, k fyne.KeyName) { v.list.TypedKey(&fyne.KeyEvent{Name: k}) }

// TestReaderPlaysSegments: a paired transcript shows the playback bar (loudness strip over the recording with
// its three segments marked, a slider as long as the recording); Space plays exactly the selected segment's span,
// the offset applied; Enter plays on from a segment and the highlight follows the segment heard; 2× plays the
// span in half the samples.
func TestReaderPlaysSegments(t *testing.T) {
	out := &player.NullOutput{}
	withOutput(t, out)
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	v := cv.reader
	_, path := openStandup(t, g, c, cv)
	b := v.play
	if !b.box.Visible() || !b.ready() {
		t.Fatalf("no playback bar for a paired transcript: %q", b.status.Text)
	}
	if len(b.strip.levels) != loudnessBuckets || b.slider.Max != 5512 || len(b.strip.marks) != 3 {
		t.Fatalf("strip of %d levels, slider to %v, %d marks", len(b.strip.levels), b.slider.Max, len(b.strip.marks))
	}
	if m := b.strip.marks[1]; m.startMS != 1800+standupOffsetMS || m.endMS != 3200+standupOffsetMS {
		t.Errorf("the second segment is marked at %d–%d ms", m.startMS, m.endMS)
	}
	// The half second of silence before the speech is quieter than the speech.
	if l := b.strip.levels; l[5]*10 > maxOf(l[40:200]) {
		t.Errorf("loudness: silence %.4f, speech up to %.4f", l[5], maxOf(l[40:200]))
	}

	// A quote tagged in segment 3 is marked on the strip over that segment's span.
	if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemSegment, N: v.segs[2].ID}, "standing-access",
		casefile.TagOptions{Quote: "0:8"}); err != nil {
		t.Fatal(err)
	}
	v.reloadQuotes(v.segs[2].ID)
	g.settle(t)
	if n := len(b.strip.marks); n != 4 || !b.strip.marks[3].quote || b.strip.marks[3].startMS != 3200+standupOffsetMS {
		t.Errorf("after tagging a quote the strip marks %+v", b.strip.marks)
	}

	v.list.Select(1)
	press(v, fyne.KeySpace)
	g.pumpUntil(t, func() bool { return b.player != nil && b.player.Wait(0) && !b.polling })
	want := clipOf(t, path, 1800+standupOffsetMS, 3200+standupOffsetMS)
	if got := out.Samples(); !slices.Equal(got, want) {
		t.Fatalf("Space played %d samples, the segment's span is %d (the same samples expected)", len(got), len(want))
	}
	var clip bytes.Buffer // what `casebook clip` writes for the segment: the same samples
	if _, _, err := c.Clip(t.Context(), v.segs[1].ID, &clip); err != nil {
		t.Fatal(err)
	} else if got, cut := out.Samples(), pcmOf(clip.Bytes()[44:]); !slices.Equal(got, cut) {
		t.Errorf("Space played %d samples, casebook clip cuts %d (the same samples expected)", len(got), len(cut))
	}
	if b.heard != v.segs[1].ID {
		t.Errorf("after playing segment 2 the highlight is on %d", b.heard)
	}
	if got := rowTime(v, 1); !strings.HasPrefix(got, "▶") {
		t.Errorf("the row heard shows %q", got)
	}

	// Enter plays on at real-time pace: the highlight moves from segment 1 to 2 to 3.
	out.Reset()
	out.RealTime = true
	v.list.Select(0)
	press(v, fyne.KeyReturn)
	var seen []int64
	g.pumpUntil(t, func() bool {
		if len(seen) == 0 || seen[len(seen)-1] != b.heard {
			seen = append(seen, b.heard)
		}
		return b.heard == v.segs[2].ID
	})
	relayoutWindow(g.win)
	capture(t, g.win, "reader-playing")
	if st := b.status.Text; !strings.Contains(st, "standup.wav · 0:0") || !strings.Contains(st, "from 0.25 s") {
		t.Errorf("status %q", st)
	}
	b.player.Stop()
	g.settle(t)
	if len(seen) < 3 || seen[0] != v.segs[0].ID || seen[1] != v.segs[1].ID {
		t.Errorf("the highlight went %v; segments are %d, %d, %d", seen, v.segs[0].ID, v.segs[1].ID, v.segs[2].ID)
	}
	if rowTime(v, 0) == rowTime(v, 2) || !strings.HasPrefix(rowTime(v, 2), "▶") || strings.HasPrefix(rowTime(v, 0), "▶") {
		t.Errorf("rows show %q, %q", rowTime(v, 0), rowTime(v, 2))
	}
	if pos := int64(b.slider.Value); pos < 3200+standupOffsetMS || pos > 5512 {
		t.Errorf("the slider is at %d ms while segment 3 plays", pos)
	}

	// The slider moved by hand while nothing plays: the play button plays on from there, not from the
	// selected segment.
	out.Reset()
	out.RealTime = false
	b.slider.SetValue(4000)
	b.slider.OnChangeEnded(4000)
	b.play.OnTapped()
	g.pumpUntil(t, func() bool { return b.player.Wait(0) && !b.polling })
	if got, want := out.Samples(), clipOf(t, path, 4000, 6000); !slices.Equal(got, want) {
		t.Errorf("play after moving the slider to 4 s: %d samples, want the %d from there", len(got), len(want))
	}

	// 2×: the same span in half the samples.
	out.Reset()
	out.RealTime = false
	b.speed.SetSelected("2×")
	v.list.Select(1)
	press(v, fyne.KeySpace)
	g.pumpUntil(t, func() bool { return b.player.Wait(0) && !b.polling })
	if n, want := float64(len(out.Samples())), float64(len(want))/2; math.Abs(n-want) > want/100 {
		t.Errorf("2× played %.0f samples, want %.0f ±1%%", n, want)
	}
	if b.lastErr != "" {
		t.Errorf("status %q", b.status.Text)
	}
}

// rowTime is the time column of row i as the list draws it.
func rowTime(v *readerView, i int) string {
	row := v.createRow().(*fyne.Container)
	v.updateRow(i, row)
	return row.Objects[0].(*widget.Label).Text
}

// maxOf is the largest of some levels.
func maxOf(l []float32) float32 {
	var m float32
	for _, v := range l {
		m = max(m, v)
	}
	return m
}

// TestReaderWithoutSoundDevice: on a machine with no sound card, Space shows a clear message in the bar and
// the Reader goes on working; a transcript with no recording shows no bar.
func TestReaderWithoutSoundDevice(t *testing.T) {
	withOutput(t, player.DeviceOutput{})
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	v := cv.reader
	openStandup(t, g, c, cv)
	v.list.Select(0)
	press(v, fyne.KeySpace)
	g.settle(t)
	if b := v.play; b.player != nil && b.player.Playing() {
		b.player.Close()
		t.Skip("this machine has a sound device: the missing-device message cannot be seen here")
	}
	if !strings.Contains(v.play.status.Text, "No sound device") {
		t.Fatalf("status %q, want a clear no-device message", v.play.status.Text)
	}
	press(v, fyne.KeyDown)
	if v.list.selectedRow() != 1 {
		t.Errorf("↓ after the failed play selected row %d", v.list.selectedRow())
	}
	cv.sources.selectSource(sourceUID(sourceNamed(t, c, "meeting.txt")))
	g.settle(t)
	if v.play.box.Visible() {
		t.Errorf("a transcript with no recording shows the playback bar")
	}
}

// TestClosingTheCaseStopsPlayback: closing the case while the recording plays on stops the sound at once, and
// the window's goroutines end (closing the window waits for them).
func TestClosingTheCaseStopsPlayback(t *testing.T) {
	out := &player.NullOutput{RealTime: true}
	withOutput(t, out)
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	openStandup(t, g, c, cv)
	cv.reader.list.Select(0)
	press(cv.reader, fyne.KeyReturn)
	g.pumpUntil(t, func() bool { return len(out.Samples()) > 1600 })
	p := cv.reader.play.player
	if err := g.closeCase(); err != nil {
		t.Fatal(err)
	}
	n := len(out.Samples())
	g.settle(t)
	if p.Playing() || len(out.Samples()) != n || n >= 16000*5 {
		t.Errorf("after closing the case: playing %v, %d then %d samples", p.Playing(), n, len(out.Samples()))
	}
}
