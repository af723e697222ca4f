package player

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
)

// deviceRate and deviceChannels are the format of the one oto context of the process (oto allows one): every
// stream is converted to it.
const (
	deviceRate     = 48000
	deviceChannels = 2
)

// ErrNoDevice is returned by DeviceOutput.Start when the sound device cannot be opened (no sound card, no
// ALSA device, no audio service); the error wrapping it gives the system's words.
var ErrNoDevice = errors.New("no sound device to play on")

var (
	deviceOnce sync.Once
	deviceCtx  *oto.Context
	deviceErr  error
)

// openDevice makes the process's oto context the first time it is needed.
func openDevice() (*oto.Context, error) {
	deviceOnce.Do(func() {
		quietDevice()
		defer func() {
			if r := recover(); r != nil {
				deviceErr = fmt.Errorf("%w: %v", ErrNoDevice, r)
			}
		}()
		ctx, ready, err := oto.NewContext(&oto.NewContextOptions{SampleRate: deviceRate, ChannelCount: deviceChannels,
			Format: oto.FormatSignedInt16LE, BufferSize: 100 * time.Millisecond})
		if err != nil {
			deviceErr = fmt.Errorf("%w: %v", ErrNoDevice, err)
			return
		}
		<-ready
		if err := ctx.Err(); err != nil {
			deviceErr = fmt.Errorf("%w: %v", ErrNoDevice, err)
			return
		}
		deviceCtx = ctx
	})
	return deviceCtx, deviceErr
}

// DeviceOutput plays on the system's sound device through oto (ALSA on Linux, WASAPI on Windows, CoreAudio on
// macOS). The device is opened on the first Start; a machine with none gets ErrNoDevice from Start.
type DeviceOutput struct{}

// Start converts r to the device's format and plays it.
func (DeviceOutput) Start(rate, channels int, r io.Reader) (Playback, error) {
	ctx, err := openDevice()
	if err != nil {
		return nil, err
	}
	conv := &converter{src: r, rate: rate, ch: channels}
	p := ctx.NewPlayer(conv)
	pb := &devicePlayback{p: p, conv: conv, done: make(chan struct{}), stop: make(chan struct{})}
	p.Play()
	go pb.watch()
	return pb, nil
}

// devicePlayback is one oto player.
type devicePlayback struct {
	p        *oto.Player
	conv     *converter
	mu       sync.Mutex
	paused   bool
	done     chan struct{}
	stop     chan struct{}
	stopOnce sync.Once
}

// watch closes done when oto has played everything (it stops playing at the reader's EOF).
func (pb *devicePlayback) watch() {
	defer close(pb.done)
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-pb.stop:
			return
		case <-t.C:
			pb.mu.Lock()
			paused := pb.paused
			pb.mu.Unlock()
			if !paused && !pb.p.IsPlaying() {
				return
			}
		}
	}
}

// Pause pauses the oto player.
func (pb *devicePlayback) Pause() {
	pb.mu.Lock()
	pb.paused = true
	pb.mu.Unlock()
	pb.p.Pause()
}

// Resume plays on.
func (pb *devicePlayback) Resume() {
	pb.mu.Lock()
	pb.paused = false
	pb.mu.Unlock()
	pb.p.Play()
}

// Buffered is what oto holds, in the source's bytes.
func (pb *devicePlayback) Buffered() int {
	devFrames := pb.p.BufferedSize() / (2 * deviceChannels)
	return int(float64(devFrames)*float64(pb.conv.rate)/deviceRate) * 2 * pb.conv.ch
}

// Done is closed when the sound has been played or the playback closed.
func (pb *devicePlayback) Done() <-chan struct{} { return pb.done }

// Close stops the oto player.
func (pb *devicePlayback) Close() error {
	pb.stopOnce.Do(func() { close(pb.stop) })
	<-pb.done
	pb.p.Pause()
	return pb.p.Close()
}

// converter turns 16-bit PCM at any rate and channel count into the device's 48 kHz stereo: mono is doubled,
// stereo kept, of more channels the first two kept; the rate is changed by linear interpolation.
type converter struct {
	src      io.Reader
	rate, ch int
	in       []byte
	prev     [2]float64 // the last source frame (left, right)
	next     [2]float64
	have     bool // prev and next hold frames
	frac     float64
	err      error
}

// frame reads one source frame as left and right.
func (c *converter) frame() ([2]float64, error) {
	need := 2 * c.ch
	if cap(c.in) < need {
		c.in = make([]byte, need)
	}
	if _, err := io.ReadFull(c.src, c.in[:need]); err != nil {
		return [2]float64{}, err
	}
	l := float64(int16(binary.LittleEndian.Uint16(c.in)))
	r := l
	if c.ch >= 2 {
		r = float64(int16(binary.LittleEndian.Uint16(c.in[2:])))
	}
	return [2]float64{l, r}, nil
}

// Read fills p with 48 kHz stereo frames.
func (c *converter) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if !c.have {
		a, err := c.frame()
		if err != nil {
			c.err = err
			return 0, err
		}
		b, err := c.frame()
		if err != nil {
			b = a
		}
		c.prev, c.next, c.have = a, b, true
	}
	step := float64(c.rate) / deviceRate
	n := 0
	for n+4 <= len(p) {
		for c.frac >= 1 {
			f, err := c.frame()
			if err != nil {
				c.err = err
				if n == 0 {
					return 0, err
				}
				return n, nil
			}
			c.prev, c.next = c.next, f
			c.frac--
		}
		for i := 0; i < 2; i++ {
			v := c.prev[i] + (c.next[i]-c.prev[i])*c.frac
			binary.LittleEndian.PutUint16(p[n+2*i:], uint16(int16(v)))
		}
		n += 4
		c.frac += step
	}
	return n, nil
}
