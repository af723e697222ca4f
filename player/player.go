// Package player plays recordings: a span of a media.Stream (or from a point to its end) at 0.75× to 2× speed
// with the pitch kept, with pause, stop and the position heard. Sound goes to an Output: the system's device
// through oto (DeviceOutput) or NullOutput, which plays nothing and keeps the samples (tests, machines with no
// sound card). Only the ui package imports player; a missing device is an error value, never a panic.
package player

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"casebook/media"
)

// Speeds are the playback speeds offered, slowest first.
var Speeds = []float64{0.75, 1, 1.25, 1.5, 2}

// ToEnd as a Play end plays on to the end of the recording.
const ToEnd int64 = -1

// Player plays one stream at a time on an Output. Its methods may be called from any goroutine.
type Player struct {
	out Output

	mu       sync.Mutex
	speed    float64
	cur      *playing
	onUpdate func()
}

// playing is one Play.
type playing struct {
	stream     media.Stream
	rate, ch   int
	startFrame int64 // first frame of the span
	endFrame   int64 // frame the span ends before
	pb         Playback
	src        *spanReader
	speed      float64
	paused     bool
	ended      bool
	endedAt    int64         // frame heard last, once ended
	finished   chan struct{} // closed once the end is recorded
}

// New makes a Player that plays on out (DeviceOutput{} or a *NullOutput).
func New(out Output) *Player {
	return &Player{out: out, speed: 1}
}

// OnUpdate sets f to be called (from a goroutine of the player) when a playback starts, pauses, resumes or
// ends. f must not call back into the Player synchronously from a lock of its own.
func (p *Player) OnUpdate(f func()) {
	p.mu.Lock()
	p.onUpdate = f
	p.mu.Unlock()
}

// notify calls the OnUpdate function.
func (p *Player) notify() {
	p.mu.Lock()
	f := p.onUpdate
	p.mu.Unlock()
	if f != nil {
		f()
	}
}

// SetSpeed sets the speed of the next Play (and restarts a playback going on at the position heard). Only the
// values of Speeds are accepted.
func (p *Player) SetSpeed(speed float64) error {
	ok := false
	for _, v := range Speeds {
		ok = ok || v == speed
	}
	if !ok {
		return fmt.Errorf("playback speed %.2f× is not one of 0.75×, 1×, 1.25×, 1.5×, 2×", speed)
	}
	p.mu.Lock()
	p.speed = speed
	cur := p.cur
	p.mu.Unlock()
	if cur == nil || cur.ended || cur.speed == speed {
		return nil
	}
	pos := p.positionFrame()
	p.mu.Lock()
	paused, toEnd := cur.paused, cur.src.toEnd
	p.mu.Unlock()
	if err := p.playFrames(cur.stream, pos, cur.endFrame, toEnd, false); err != nil {
		return err
	}
	if paused {
		p.Pause()
	}
	return nil
}

// Speed is the speed set.
func (p *Player) Speed() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.speed
}

// Play plays frames [FrameAt(startMS), FrameAt(endMS)) of s (to its end when endMS is ToEnd, or when the
// stream ends first), stopping what was playing. The Player owns s from here: it closes it when another stream is played or on Close.
func (p *Player) Play(s media.Stream, startMS, endMS int64) error {
	info := s.Info()
	from := media.FrameAt(startMS, info.SampleRate)
	to := info.Frames
	toEnd := endMS == ToEnd
	if !toEnd {
		// Not cut at Info().Frames: for a stream ffmpeg decodes that is the container's estimate; the
		// playback ends where the stream does.
		to = media.FrameAt(endMS, info.SampleRate)
	}
	if from < 0 || from >= to || (info.Decoder != "ffmpeg" && from >= info.Frames) {
		return fmt.Errorf("play %d–%d ms: outside the recording (%d ms)", startMS, endMS, info.Duration.Milliseconds())
	}
	return p.playFrames(s, from, to, toEnd, true)
}

// playFrames starts a playback of frames [from, to) of s.
func (p *Player) playFrames(s media.Stream, from, to int64, toEnd, newStream bool) error {
	p.mu.Lock()
	old := p.cur
	p.cur = nil
	speed := p.speed
	p.mu.Unlock()
	if old != nil {
		old.pb.Close()
		old.src.close() // an output still pulling gets io.EOF, never the stream being moved
		if newStream && old.stream != s {
			old.stream.Close()
		}
	}
	info := s.Info()
	if err := s.SeekFrame(from); err != nil {
		return fmt.Errorf("play: %w", err)
	}
	src := &spanReader{s: s, ch: info.Channels, left: to - from, toEnd: toEnd}
	var r io.Reader = &pcmBytes{read: src.Read}
	if speed != 1 {
		st := newStretcher(src.Read, info.SampleRate, info.Channels, speed)
		r = &pcmBytes{read: st.Read}
	}
	cr := &countingReader{r: r}
	src.counted = cr
	pb, err := p.out.Start(info.SampleRate, info.Channels, cr)
	if err != nil {
		return fmt.Errorf("play: %w", err)
	}
	cur := &playing{stream: s, rate: info.SampleRate, ch: info.Channels, startFrame: from, endFrame: to, pb: pb,
		src: src, speed: speed, finished: make(chan struct{})}
	p.mu.Lock()
	p.cur = cur
	p.mu.Unlock()
	go func() {
		<-pb.Done()
		p.mu.Lock()
		if p.cur == cur && !cur.ended {
			cur.ended = true
			cur.endedAt = from + src.read()
		}
		p.mu.Unlock()
		close(cur.finished)
		p.notify()
	}()
	p.notify()
	return nil
}

// Pause pauses the playback going on.
func (p *Player) Pause() {
	p.mu.Lock()
	cur := p.cur
	if cur != nil && !cur.ended {
		cur.paused = true
	}
	p.mu.Unlock()
	if cur != nil && !cur.ended {
		cur.pb.Pause()
		p.notify()
	}
}

// Resume goes on after Pause.
func (p *Player) Resume() {
	p.mu.Lock()
	cur := p.cur
	if cur != nil {
		cur.paused = false
	}
	p.mu.Unlock()
	if cur != nil && !cur.ended {
		cur.pb.Resume()
		p.notify()
	}
}

// Playing reports whether sound is being played (started, not paused, not ended).
func (p *Player) Playing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cur != nil && !p.cur.paused && !p.cur.ended
}

// Stop stops the playback (the stream stays open for the next Play).
func (p *Player) Stop() {
	p.mu.Lock()
	cur := p.cur
	p.mu.Unlock()
	if cur == nil {
		return
	}
	pos := p.positionFrame()
	p.mu.Lock()
	if !cur.ended {
		cur.ended, cur.endedAt = true, pos
	}
	p.mu.Unlock()
	cur.pb.Close()
	cur.src.close()
}

// Close stops and closes the stream.
func (p *Player) Close() error {
	p.Stop()
	p.mu.Lock()
	cur := p.cur
	p.cur = nil
	p.mu.Unlock()
	if cur != nil {
		return cur.stream.Close()
	}
	return nil
}

// Wait blocks until the playback going on ends (or d passes); it reports whether it ended.
func (p *Player) Wait(d time.Duration) bool {
	p.mu.Lock()
	cur := p.cur
	p.mu.Unlock()
	if cur == nil {
		return true
	}
	select {
	case <-cur.finished:
		return true
	case <-time.After(d):
		return false
	}
}

// Position is the time in the recording being heard: the frames the output has taken, less what it holds
// unheard, mapped back through the speed.
func (p *Player) Position() time.Duration {
	p.mu.Lock()
	cur := p.cur
	p.mu.Unlock()
	if cur == nil {
		return 0
	}
	return time.Duration(float64(p.positionFrame()) / float64(cur.rate) * float64(time.Second))
}

// positionFrame is Position as a frame of the recording.
func (p *Player) positionFrame() int64 {
	p.mu.Lock()
	cur := p.cur
	p.mu.Unlock()
	if cur == nil {
		return 0
	}
	p.mu.Lock()
	ended, at := cur.ended, cur.endedAt
	p.mu.Unlock()
	if ended && at > 0 {
		return at
	}
	heard := (cur.src.counted.n() - int64(cur.pb.Buffered())) / int64(2*cur.ch)
	pos := cur.startFrame + int64(float64(heard)*cur.speed)
	return max(cur.startFrame, min(pos, cur.startFrame+cur.src.read(), cur.endFrame))
}

// Span is the frames [start, end) of the playback going on or last played, and the rate; ok is false when
// nothing was played.
func (p *Player) Span() (start, end int64, rate int, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur == nil {
		return 0, 0, 0, false
	}
	return p.cur.startFrame, p.cur.endFrame, p.cur.rate, true
}

// ErrNoDeviceMessage is the words a window shows when there is no sound device.
func ErrNoDeviceMessage(err error) string {
	if errors.Is(err, ErrNoDevice) {
		return "No sound device: playback is off on this machine (" + err.Error() + "). Everything else works."
	}
	return err.Error()
}

// spanReader reads at most left frames of a stream (all of it when toEnd).
type spanReader struct {
	mu      sync.Mutex
	s       media.Stream
	ch      int
	left    int64
	toEnd   bool
	done    int64
	closed  bool
	counted *countingReader
}

// close makes every later Read return io.EOF.
func (r *spanReader) close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
}

// Read reads interleaved frames of the span.
func (r *spanReader) Read(p []int16) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || (r.left <= 0 && !r.toEnd) {
		return 0, io.EOF
	}
	want := len(p) / r.ch * r.ch
	if !r.toEnd && int64(want) > r.left*int64(r.ch) {
		want = int(r.left) * r.ch
	}
	n, err := r.s.Read(p[:want])
	r.left -= int64(n / r.ch)
	r.done += int64(n / r.ch)
	return n, err
}

// read is the frames read from the stream so far.
func (r *spanReader) read() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.done
}

// pcmBytes turns a reader of samples into a reader of little-endian bytes.
type pcmBytes struct {
	read    func([]int16) (int, error)
	samples []int16
	pending []byte
}

// Read fills p with whole samples.
func (b *pcmBytes) Read(p []byte) (int, error) {
	if len(b.pending) == 0 {
		want := len(p) / 2
		if want == 0 {
			return 0, nil
		}
		if cap(b.samples) < want {
			b.samples = make([]int16, want)
		}
		n, err := b.read(b.samples[:want])
		if n == 0 {
			if err == nil {
				err = io.ErrNoProgress
			}
			return 0, err
		}
		b.pending = make([]byte, n*2)
		for i, v := range b.samples[:n] {
			binary.LittleEndian.PutUint16(b.pending[i*2:], uint16(v))
		}
	}
	n := copy(p, b.pending)
	b.pending = b.pending[n:]
	return n, nil
}

// countingReader counts the bytes an output has taken.
type countingReader struct {
	r     io.Reader
	mu    sync.Mutex
	total int64
}

// Read passes through and counts.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.mu.Lock()
	c.total += int64(n)
	c.mu.Unlock()
	return n, err
}

// n is the bytes taken so far.
func (c *countingReader) n() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}
