package player

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"casebook/media"
)

// open opens a recording of media's test data.
func open(t *testing.T, name string) media.Stream {
	t.Helper()
	s, err := media.Open(context.Background(), filepath.Join("..", "media", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// clipSamples is what media.WriteClipWAV cuts for a span: the reference for what playback must deliver.
func clipSamples(t *testing.T, name string, startMS, endMS int64) []int16 {
	t.Helper()
	var buf bytes.Buffer
	if _, err := media.WriteClipWAV(context.Background(), filepath.Join("..", "media", "testdata", name), startMS, endMS, &buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()[44:]
	out := make([]int16, len(b)/2)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(b[i*2:]))
	}
	return out
}

// playAll plays a span on a fast NullOutput and returns what it delivered.
func playAll(t *testing.T, p *Player, out *NullOutput, s media.Stream, startMS, endMS int64) []int16 {
	t.Helper()
	out.Reset()
	if err := p.Play(s, startMS, endMS); err != nil {
		t.Fatal(err)
	}
	if !p.Wait(20 * time.Second) {
		t.Fatal("playback did not end")
	}
	return out.Samples()
}

// TestSpanIsExact: at 1× the samples delivered for a span are exactly its frames, as WriteClipWAV cuts them,
// for WAV, FLAC, MP3 and (through ffmpeg) Ogg, and playing on to the end delivers the rest of the recording.
func TestSpanIsExact(t *testing.T) {
	for _, name := range []string{"speech.wav", "speech.flac", "speech.mp3", "speech.ogg"} {
		t.Run(name, func(t *testing.T) {
			if _, err := exec.LookPath("ffmpeg"); err != nil && name == "speech.ogg" {
				t.Skip("ffmpeg is not installed (make setup installs it): Ogg is decoded by it")
			}
			out := &NullOutput{}
			p := New(out)
			s := open(t, name)
			defer p.Close()
			for _, span := range [][2]int64{{1234, 3456}, {0, 250}, {5000, 5512}} {
				got := playAll(t, p, out, s, span[0], span[1])
				want := clipSamples(t, name, span[0], span[1])
				if !equal(got, want) {
					t.Errorf("span %v: %d samples delivered, differing from the %d of the clip", span, len(got), len(want))
				}
				if r, ch := out.Format(); r != 16000 || ch != 1 {
					t.Errorf("output format %d Hz × %d", r, ch)
				}
			}
			got := playAll(t, p, out, s, 5000, ToEnd)
			if want := clipSamples(t, name, 5000, 6000); !equal(got, want) {
				t.Errorf("to the end: %d samples, want %d", len(got), len(want))
			}
			if pos := p.Position(); pos != time.Duration(88204)*time.Second/16000 {
				t.Errorf("position after playing to the end: %v", pos)
			}
		})
	}
}

// equal compares sample slices.
func equal(a, b []int16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sineWAV writes a WAV of a 220 Hz tone (rate Hz, mono, secs seconds).
func sineWAV(t *testing.T, rate int, secs float64) string {
	t.Helper()
	n := int(float64(rate) * secs)
	b := make([]byte, 44+2*n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+2*n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1)
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], uint32(rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(rate*2))
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(2*n))
	for i := 0; i < n; i++ {
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(int16(12000*math.Sin(2*math.Pi*220*float64(i)/float64(rate)))))
	}
	p := filepath.Join(t.TempDir(), "tone.wav")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// pitch estimates a tone's frequency from its zero crossings (the middle of the samples).
func pitch(samples []int16, rate int) float64 {
	s := samples[len(samples)/10 : len(samples)*9/10]
	crossings := 0
	for i := 1; i < len(s); i++ {
		if (s[i-1] < 0) != (s[i] < 0) {
			crossings++
		}
	}
	return float64(crossings) / 2 / (float64(len(s)) / float64(rate))
}

// TestSpeedKeepsPitch: at each speed the span lasts 1/speed as long (±1%) and a 220 Hz tone stays at 220 Hz
// (±2%): the speed changes, the pitch does not. Speech at 2× is half as long too.
func TestSpeedKeepsPitch(t *testing.T) {
	tone := sineWAV(t, 16000, 3)
	for _, speed := range Speeds {
		out := &NullOutput{}
		p := New(out)
		if err := p.SetSpeed(speed); err != nil {
			t.Fatal(err)
		}
		s, err := media.Open(context.Background(), tone)
		if err != nil {
			t.Fatal(err)
		}
		got := playAll(t, p, out, s, 0, 3000)
		want := 48000 / speed
		if math.Abs(float64(len(got))-want) > want/100 {
			t.Errorf("%.2f×: %d samples, want %.0f ±1%%", speed, len(got), want)
		}
		if f := pitch(got, 16000); math.Abs(f-220) > 220*0.02 {
			t.Errorf("%.2f×: the tone is at %.1f Hz, want 220", speed, f)
		}
		p.Close()
	}
	out := &NullOutput{}
	p := New(out)
	defer p.Close()
	if err := p.SetSpeed(2); err != nil {
		t.Fatal(err)
	}
	got := playAll(t, p, out, open(t, "speech.wav"), 1000, 5000)
	if math.Abs(float64(len(got))-32000) > 320 {
		t.Errorf("speech at 2×: %d samples, want 32000 ±1%%", len(got))
	}
	if err := p.SetSpeed(3); err == nil {
		t.Errorf("speed 3× accepted")
	}
}

// TestPositionPauseStop: at real-time pace the position moves with the clock, holds while paused, reaches the
// span's end; Stop ends playback early.
func TestPositionPauseStop(t *testing.T) {
	out := &NullOutput{RealTime: true, Chunk: 160}
	p := New(out)
	defer p.Close()
	updates := make(chan struct{}, 100)
	p.OnUpdate(func() { updates <- struct{}{} })
	s := open(t, "speech.wav")
	if err := p.Play(s, 1000, 2000); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	pos := p.Position()
	if pos < 1100*time.Millisecond || pos > 1900*time.Millisecond || !p.Playing() {
		t.Errorf("after 400 ms of a span from 1 s: position %v, playing %v", pos, p.Playing())
	}
	p.Pause()
	time.Sleep(50 * time.Millisecond)
	held := p.Position()
	time.Sleep(300 * time.Millisecond)
	if p.Position() != held || p.Playing() {
		t.Errorf("paused: position moved from %v to %v", held, p.Position())
	}
	p.Resume()
	if !p.Wait(5 * time.Second) {
		t.Fatal("did not end")
	}
	if pos := p.Position(); pos != 2*time.Second || p.Playing() {
		t.Errorf("at the end: %v, playing %v", pos, p.Playing())
	}
	if len(out.Samples()) != 16000 {
		t.Errorf("%d samples for a 1 s span", len(out.Samples()))
	}
	if len(updates) < 3 {
		t.Errorf("%d updates for start, pause, resume and end", len(updates))
	}
	out.Reset()
	if err := p.Play(s, 0, ToEnd); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	p.Stop()
	n := len(out.Samples())
	time.Sleep(200 * time.Millisecond)
	if len(out.Samples()) != n || n == 0 || n > 16000 || p.Playing() {
		t.Errorf("after Stop: %d then %d samples, playing %v", n, len(out.Samples()), p.Playing())
	}
	if err := p.Play(s, 6000, 7000); err == nil {
		t.Errorf("a span after the end played")
	}
}

// TestNoDevice: on a machine with no sound card, DeviceOutput gives ErrNoDevice with the system's words, and
// the message for a window says playback is off and nothing else is.
func TestNoDevice(t *testing.T) {
	p := New(DeviceOutput{})
	err := p.Play(open(t, "speech.wav"), 0, 500)
	if err == nil {
		p.Close()
		t.Skip("this machine has a sound device: the missing-device path cannot be seen here")
	}
	if !errors.Is(err, ErrNoDevice) {
		t.Fatalf("Play without a device: %v, want ErrNoDevice", err)
	}
	msg := ErrNoDeviceMessage(err)
	if !bytes.Contains([]byte(msg), []byte("No sound device")) || p.Playing() {
		t.Errorf("message %q", msg)
	}
	t.Logf("no device: %s", msg)
}
