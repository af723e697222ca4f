package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/media"
	"casebook/model"
	"casebook/player"
)

// recordingSource is what the Reader's playback needs from a case: the recording a transcript is paired
// with and its loudness strip.
type recordingSource interface {
	RecordingFor(ctx context.Context, sourceID int64) (model.Pairing, model.Source, string, error)
	Loudness(ctx context.Context, recordingID int64, n int) ([]float32, error)
}

// playbackOutput makes the output the Reader plays on: the sound device. Tests set a player.NullOutput.
var playbackOutput = func() player.Output { return player.DeviceOutput{} }

// loudnessBuckets is how many loudness buckets the strip draws.
const loudnessBuckets = 240

// playbackBar is the Reader's playback of the recording a transcript is paired with: play/pause, the
// position over the recording (a slider), the speed, and a loudness strip with the segments and tagged quotes
// marked. It is hidden for a transcript with no recording. Fields are touched on the UI goroutine only; the
// player reports from its goroutines through bg.do.
type playbackBar struct {
	v   *readerView
	c   recordingSource
	bg  *runner
	out player.Output

	box     *fyne.Container
	play    *widget.Button
	slider  *widget.Slider
	speed   *widget.Select
	status  *widget.Label
	strip   *loudnessStrip
	sliding bool // the slider is being moved by the position, not by a hand

	gen      int
	pairing  model.Pairing
	rec      model.Source
	path     string
	info     media.Info
	player   *player.Player
	stream   media.Stream // opened on the first play, owned by the player
	heard    int64        // the segment being heard, 0 when none
	polling  bool
	paused   bool  // paused by a hand (Space, the button): the next press resumes
	movedTo  int64 // where the slider was moved by a hand while nothing played, -1 when not
	lastErr  string
	spanEnd  int64 // the end of the segment span playing (ms of the recording), -1: playing on
	onChange func()
}

// newPlaybackBar makes the bar of a reader, hidden until a paired transcript is loaded.
func newPlaybackBar(v *readerView, c recordingSource, bg *runner) *playbackBar {
	b := &playbackBar{v: v, c: c, bg: bg, spanEnd: -1, movedTo: -1}
	b.play = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), b.onPlayButton)
	b.slider = widget.NewSlider(0, 1)
	b.slider.Step = 100
	b.slider.OnChangeEnded = func(ms float64) {
		if !b.sliding {
			b.movedTo = int64(ms)
			b.playFrom(int64(ms), player.ToEnd, b.player != nil && b.player.Playing())
		}
	}
	var speeds []string
	for _, s := range player.Speeds {
		speeds = append(speeds, speedName(s))
	}
	b.speed = widget.NewSelect(speeds, b.onSpeed)
	b.speed.SetSelected(speedName(1))
	b.status = widget.NewLabel("")
	b.status.Truncation = fyne.TextTruncateEllipsis
	b.strip = newLoudnessStrip()
	b.strip.onTap = func(ms int64) { b.playFrom(ms, player.ToEnd, true) }
	controls := container.NewBorder(nil, nil, container.NewHBox(b.play, b.speed), nil, b.slider)
	b.box = container.NewVBox(controls, b.strip, b.status)
	b.box.Hide()
	return b
}

// speedName is how the speed choice writes a speed: "1.25×".
func speedName(s float64) string { return fmt.Sprintf("%g×", s) }

// load looks for the recording of transcript s (in a goroutine) and shows the bar when there is one.
func (b *playbackBar) load(s model.Source) {
	b.gen++
	gen := b.gen
	b.stop()
	b.rec, b.path, b.info, b.heard, b.lastErr = model.Source{}, "", media.Info{}, 0, ""
	b.box.Hide()
	if b.c == nil {
		return
	}
	b.bg.spawn(func() {
		ctx := context.Background()
		pairing, rec, path, err := b.c.RecordingFor(ctx, s.ID)
		if errors.Is(err, casefile.ErrNotPaired) || (err != nil && errors.Is(err, model.ErrNotFound)) {
			return
		}
		var info media.Info
		var levels []float32
		if err == nil {
			info, err = media.Probe(ctx, path)
		}
		if err == nil {
			levels, err = b.c.Loudness(ctx, rec.ID, loudnessBuckets)
		}
		b.bg.do(func() {
			if gen != b.gen {
				return
			}
			b.box.Show()
			if err != nil {
				b.setStatus("The recording cannot be played: " + sentence(err))
				b.play.Disable()
				return
			}
			b.play.Enable()
			b.pairing, b.rec, b.path, b.info = pairing, rec, path, info
			b.slider.Max = float64(info.Duration.Milliseconds())
			b.slider.Refresh()
			b.strip.levels, b.strip.durationMS, b.strip.posMS = levels, info.Duration.Milliseconds(), -1
			b.marksChanged()
			b.setStatus(b.describe(0))
		})
	})
}

// describe is the status line: the recording, the position and its length, the pairing's offset.
func (b *playbackBar) describe(posMS int64) string {
	offset := ""
	if b.pairing.OffsetMS != 0 && b.pairing.RecordingID != b.pairing.TranscriptID {
		offset = fmt.Sprintf(" · transcript from %.2f s", float64(b.pairing.OffsetMS)/1000)
	}
	return fmt.Sprintf("%s · %s / %s%s · Space: play the segment · Enter: play on", b.rec.Name,
		clock(posMS), clock(b.info.Duration.Milliseconds()), offset)
}

// setStatus shows a line under the strip.
func (b *playbackBar) setStatus(s string) { b.status.SetText(s) }

// marksChanged marks the transcript's segments and tagged quotes on the strip (after either loaded).
func (b *playbackBar) marksChanged() {
	if b.strip.durationMS <= 0 {
		return
	}
	var marks []stripMark
	for _, g := range b.v.segs {
		if g.StartMS < 0 {
			continue
		}
		start, end := b.span(g)
		marks = append(marks, stripMark{startMS: start, endMS: end})
	}
	for _, g := range b.v.segs {
		if len(b.v.quotes[g.ID]) > 0 && g.StartMS >= 0 {
			start, end := b.span(g)
			marks = append(marks, stripMark{startMS: start, endMS: end, quote: true})
		}
	}
	b.strip.marks = marks
	b.strip.Refresh()
}

// span is a segment's span in the recording's milliseconds (the pairing's offset applied); a segment with no
// end runs to the next one's start or the recording's end.
func (b *playbackBar) span(g model.Segment) (int64, int64) {
	end := g.EndMS
	if end <= g.StartMS {
		end = b.info.Duration.Milliseconds() - b.pairing.OffsetMS
		for _, h := range b.v.segs {
			if h.StartMS > g.StartMS && h.StartMS < end {
				end = h.StartMS
			}
		}
	}
	return g.StartMS + b.pairing.OffsetMS, end + b.pairing.OffsetMS
}

// ready reports whether there is a recording to play.
func (b *playbackBar) ready() bool { return b.path != "" && b.box.Visible() }

// playSelected plays the selected segment's span; pressed again while it plays, it pauses (and resumes).
func (b *playbackBar) playSelected() {
	g, ok := b.v.selectedSegment()
	if !b.ready() || !ok {
		return
	}
	if g.StartMS < 0 {
		b.setStatus("This segment has no time: it cannot be found in the recording.")
		return
	}
	start, end := b.span(g)
	if b.player != nil && b.heard == g.ID && b.spanEnd == end {
		if b.player.Playing() {
			b.player.Pause()
			b.paused = true
			b.showState()
			return
		}
		if b.paused {
			b.paused = false
			b.player.Resume()
			b.showState()
			b.poll()
			return
		}
	}
	b.playFrom(start, end, true)
}

// playOnSelected plays on from the selected segment to the end of the recording.
func (b *playbackBar) playOnSelected() {
	g, ok := b.v.selectedSegment()
	if !b.ready() || !ok || g.StartMS < 0 {
		return
	}
	start, _ := b.span(g)
	b.playFrom(start, player.ToEnd, true)
}

// onPlayButton plays or pauses: from the selected segment, or on from where it was.
func (b *playbackBar) onPlayButton() {
	switch {
	case b.player != nil && b.player.Playing():
		b.player.Pause()
		b.paused = true
	case b.player != nil && b.paused:
		b.paused = false
		b.player.Resume()
		b.poll()
	default:
		if _, ok := b.v.selectedSegment(); ok && b.movedTo < 0 {
			b.playOnSelected()
			return
		}
		b.playFrom(int64(b.slider.Value), player.ToEnd, true) // where the slider was moved to
		return
	}
	b.showState()
}

// onSpeed sets the speed chosen.
func (b *playbackBar) onSpeed(name string) {
	for _, s := range player.Speeds {
		if speedName(s) == name && b.player != nil {
			if err := b.player.SetSpeed(s); err != nil {
				b.setStatus(sentence(err))
			}
		}
	}
}

// speedChosen is the speed of the choice.
func (b *playbackBar) speedChosen() float64 {
	for _, s := range player.Speeds {
		if speedName(s) == b.speed.Selected {
			return s
		}
	}
	return 1
}

// playFrom plays [startMS, endMS) of the recording (endMS ToEnd: on to its end). When start is false it only
// moves the position shown.
func (b *playbackBar) playFrom(startMS, endMS int64, start bool) {
	if !b.ready() {
		return
	}
	if !start {
		b.showPosition(startMS)
		return
	}
	if b.player == nil {
		b.out = playbackOutput()
		b.player = player.New(b.out)
		p := b.player
		gen := b.gen
		p.OnUpdate(func() {
			// The player calls this from its goroutines and from Play, Pause and Resume on this one: the
			// update is applied later, on the UI goroutine.
			b.bg.spawn(func() {
				b.bg.do(func() {
					if gen == b.gen && b.player == p {
						b.showState()
					}
				})
			})
		})
	}
	if b.stream == nil {
		s, err := media.Open(context.Background(), b.path)
		if err != nil {
			b.setStatus("The recording cannot be played: " + sentence(err))
			return
		}
		b.stream = s
	}
	_ = b.player.SetSpeed(b.speedChosen())
	b.spanEnd, b.paused, b.movedTo = endMS, false, -1
	if err := b.player.Play(b.stream, startMS, endMS); err != nil {
		b.lastErr = player.ErrNoDeviceMessage(err)
		b.setStatus(b.lastErr)
		return
	}
	b.lastErr = ""
	b.showPosition(startMS)
	b.poll()
}

// poll follows the position heard while playing: a goroutine asks the player every 50 ms and applies it on
// the UI goroutine.
func (b *playbackBar) poll() {
	if b.polling || b.player == nil {
		return
	}
	b.polling = true
	p, gen := b.player, b.gen
	b.bg.spawn(func() {
		for {
			time.Sleep(50 * time.Millisecond)
			playing := p.Playing()
			pos := p.Position().Milliseconds()
			b.bg.do(func() {
				if gen == b.gen && b.player == p {
					b.showPosition(pos)
				}
			})
			if !playing {
				b.bg.do(func() {
					if gen == b.gen && b.player == p {
						b.polling = false
						b.showState()
					}
				})
				return
			}
		}
	})
}

// showState shows play or pause on the button.
func (b *playbackBar) showState() {
	if b.player != nil && b.player.Playing() {
		b.play.SetIcon(theme.MediaPauseIcon())
	} else {
		b.play.SetIcon(theme.MediaPlayIcon())
	}
	if b.player != nil {
		b.showPosition(b.player.Position().Milliseconds())
	}
}

// showPosition moves the slider and the strip's line to posMS (of the recording) and highlights the segment
// being heard, scrolling it into view.
func (b *playbackBar) showPosition(posMS int64) {
	b.sliding = true
	b.slider.SetValue(float64(posMS))
	b.sliding = false
	b.strip.posMS = posMS
	b.strip.Refresh()
	if b.lastErr == "" {
		b.setStatus(b.describe(posMS))
	}
	heard := int64(0)
	t := posMS - b.pairing.OffsetMS
	if b.spanEnd >= 0 && posMS >= b.spanEnd {
		t-- // a segment's span played to its end: it stays the one heard, not the next
	}
	at := -1
	idx := sort.Search(len(b.v.segs), func(i int) bool { return b.v.segs[i].StartMS > t }) - 1
	for i := idx; i >= 0 && i >= idx-3; i-- { // the last segment started by t that has not ended
		g := b.v.segs[i]
		if g.StartMS < 0 {
			continue
		}
		if _, end := b.span(g); t+b.pairing.OffsetMS < end || i == idx && end == b.spanEnd {
			heard, at = g.ID, i
			break
		}
	}
	if heard == b.heard {
		return
	}
	old := b.v.indexOf(b.heard)
	b.heard = heard
	if old >= 0 {
		b.v.list.RefreshItem(old)
	}
	if at >= 0 {
		b.v.list.RefreshItem(at)
		b.v.list.ScrollTo(at)
	}
	if b.onChange != nil {
		b.onChange()
	}
}

// heardMark is what a row's time column shows: the time, led by ▶ on the segment being heard.
func (b *playbackBar) heardMark(g model.Segment, when string) string {
	if b.heard != 0 && g.ID == b.heard {
		return "▶ " + when
	}
	return when
}

// segmentList is the Reader's list of segments: the list keys of itemList, and the Reader's own (Space and
// Enter play the recording) when the transcript has one.
type segmentList struct {
	itemList
	v *readerView
}

// newSegmentList makes the Reader's list, as newItemList does.
func newSegmentList(v *readerView, length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *segmentList {
	l := &segmentList{v: v}
	l.setUp(length, create, update)
	l.self = l
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey runs the Reader's keys of keyBindings when a recording is there, else the list's.
func (l *segmentList) TypedKey(e *fyne.KeyEvent) {
	if b, ok := binding(whereReader, e.Name); ok && l.v.play.ready() {
		b.reader(l.v)
		return
	}
	l.itemList.TypedKey(e)
}

// stop ends the playback and closes the recording (a new transcript is loaded).
func (b *playbackBar) stop() {
	if b.player != nil {
		if _, _, _, owned := b.player.Span(); !owned && b.stream != nil {
			b.stream.Close() // never played: the player does not own it
		}
		b.player.Close()
	} else if b.stream != nil {
		b.stream.Close()
	}
	b.player, b.stream, b.polling, b.paused, b.spanEnd, b.movedTo = nil, nil, false, false, -1, -1
	b.play.SetIcon(theme.MediaPlayIcon())
}
