package player

import (
	"errors"
	"io"
	"sync"
	"time"
)

// Output is where a Player sends sound: the sound device (DeviceOutput) or nowhere (NullOutput, for tests and
// machines with no sound card).
type Output interface {
	// Start plays the interleaved signed 16-bit little-endian PCM read from r at rate Hz and channels per
	// frame, pulling from r in its own goroutine until r returns an error (io.EOF at the end). It returns an
	// error, never panics, when there is no device to play on.
	Start(rate, channels int, r io.Reader) (Playback, error)
}

// Playback is one Start of an Output.
type Playback interface {
	// Pause stops pulling and sounding; Resume goes on from there.
	Pause()
	// Resume goes on after Pause.
	Resume()
	// Buffered is how many bytes the output has read from r and not yet sounded.
	Buffered() int
	// Done is closed when r is used up and its sound has been heard, or after Close.
	Done() <-chan struct{}
	// Close stops at once.
	Close() error
}

// NullOutput consumes sound without a device: at real-time pace (RealTime) or as fast as it is asked, and
// keeps every sample it was given (Samples) so tests can check what would have been heard.
type NullOutput struct {
	// RealTime paces consumption at the stream's rate, as a device would.
	RealTime bool
	// Chunk is how many frames it takes at a time (default 512).
	Chunk int

	mu      sync.Mutex
	samples []int16
	rate    int
	ch      int
}

// Samples returns a copy of every sample delivered to the output since it was made (or Reset).
func (o *NullOutput) Samples() []int16 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]int16(nil), o.samples...)
}

// Format is the rate and channels of the last Start.
func (o *NullOutput) Format() (rate, channels int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.rate, o.ch
}

// Reset forgets the samples delivered so far.
func (o *NullOutput) Reset() {
	o.mu.Lock()
	o.samples = nil
	o.mu.Unlock()
}

// Start consumes r in a goroutine.
func (o *NullOutput) Start(rate, channels int, r io.Reader) (Playback, error) {
	if rate <= 0 || channels <= 0 {
		return nil, errors.New("null output: no rate or channels")
	}
	o.mu.Lock()
	o.rate, o.ch = rate, channels
	o.mu.Unlock()
	chunk := o.Chunk
	if chunk <= 0 {
		chunk = 512
	}
	pb := &nullPlayback{done: make(chan struct{}), stop: make(chan struct{}), resume: make(chan struct{}, 1)}
	go pb.run(o, r, rate, channels, chunk)
	return pb, nil
}

// nullPlayback is a Start of NullOutput.
type nullPlayback struct {
	mu       sync.Mutex
	paused   bool
	done     chan struct{}
	stop     chan struct{}
	resume   chan struct{}
	stopOnce sync.Once
}

// run pulls r until it ends or the playback is closed.
func (pb *nullPlayback) run(o *NullOutput, r io.Reader, rate, channels, chunk int) {
	defer close(pb.done)
	buf := make([]byte, chunk*channels*2)
	began := time.Now()
	var frames int64
	for {
		for {
			pb.mu.Lock()
			paused := pb.paused
			pb.mu.Unlock()
			if !paused {
				break
			}
			select {
			case <-pb.stop:
				return
			case <-pb.resume:
			}
			began = time.Now().Add(-time.Duration(float64(frames) / float64(rate) * float64(time.Second)))
		}
		select {
		case <-pb.stop:
			return
		default:
		}
		n, err := io.ReadFull(r, buf)
		n -= n % 2
		if n > 0 {
			o.mu.Lock()
			for i := 0; i < n; i += 2 {
				o.samples = append(o.samples, int16(uint16(buf[i])|uint16(buf[i+1])<<8))
			}
			o.mu.Unlock()
			frames += int64(n / 2 / channels)
			if o.RealTime {
				due := began.Add(time.Duration(float64(frames) / float64(rate) * float64(time.Second)))
				select {
				case <-pb.stop:
					return
				case <-time.After(time.Until(due)):
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// Pause stops consuming.
func (pb *nullPlayback) Pause() {
	pb.mu.Lock()
	pb.paused = true
	pb.mu.Unlock()
}

// Resume goes on consuming.
func (pb *nullPlayback) Resume() {
	pb.mu.Lock()
	pb.paused = false
	pb.mu.Unlock()
	select {
	case pb.resume <- struct{}{}:
	default:
	}
}

// Buffered is 0: what NullOutput takes counts as heard.
func (pb *nullPlayback) Buffered() int { return 0 }

// Done is closed when the stream has been consumed or closed.
func (pb *nullPlayback) Done() <-chan struct{} { return pb.done }

// Close stops consuming and waits for the goroutine to end.
func (pb *nullPlayback) Close() error {
	pb.stopOnce.Do(func() { close(pb.stop) })
	<-pb.done
	return nil
}
