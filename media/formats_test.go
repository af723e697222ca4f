package media

import (
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// convert runs a tool that writes out from testdata/speech.wav, skipping the test when it is not installed.
func convert(t *testing.T, tool string, args ...string) {
	t.Helper()
	skipWithout(t, tool)
	if out, err := exec.Command(tool, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v: %s", tool, args, err, out)
	}
}

// TestWAVSampleFormats: 24-bit and 32-bit float WAVs of the speech decode to the 16-bit original exactly; an
// 8-bit one to what sox makes of it in 16 bits; a stereo one to the original in both channels, and its clip
// is sox's cut.
func TestWAVSampleFormats(t *testing.T) {
	dir := t.TempDir()
	orig, _ := decodeAll(t, "testdata/speech.wav")
	p := func(n string) string { return filepath.Join(dir, n) }
	convert(t, "sox", "testdata/speech.wav", "-b", "24", p("s24.wav"))
	convert(t, "sox", "testdata/speech.wav", "-e", "floating-point", "-b", "32", p("f32.wav"))
	convert(t, "sox", "testdata/speech.wav", "-e", "unsigned-integer", "-b", "8", p("u8.wav"))
	convert(t, "sox", p("u8.wav"), "-b", "16", p("u8to16.wav"))
	convert(t, "sox", "testdata/speech.wav", "-c", "2", p("stereo.wav"))
	for _, n := range []string{"s24.wav", "f32.wav"} {
		if got, _ := decodeAll(t, p(n)); !slices.Equal(got, orig) {
			t.Errorf("%s does not decode to the original", n)
		}
	}
	got, _ := decodeAll(t, p("u8.wav"))
	if want, _ := decodeAll(t, p("u8to16.wav")); !slices.Equal(got, want) {
		t.Errorf("8-bit WAV differs from sox's 16-bit reading of it")
	}
	st, info := decodeAll(t, p("stereo.wav"))
	if info.Channels != 2 || len(st) != 2*len(orig) {
		t.Fatalf("stereo: %+v, %d samples", info, len(st))
	}
	for i, v := range orig {
		if st[2*i] != v || st[2*i+1] != v {
			t.Fatalf("stereo frame %d is %d,%d, want %d twice", i, st[2*i], st[2*i+1], v)
		}
	}
}

// TestMP3Layouts: MPEG-1 stereo at 44.1 kHz, MPEG-1 mono at 48 kHz and MPEG-2 stereo at 22.05 kHz (other
// side-info sizes before the Xing/Info tag than the fixture's MPEG-2 mono) decode exactly as long as ffmpeg
// decodes them, at offset 0 from its samples. go-mp3 and ffmpeg round joint stereo differently: stereo samples
// agree to better than 50 dB (measured: 63 dB, peaks within about 100 of 32768), mono within ±2.
func TestMP3Layouts(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, rate, ch string }{{"m1stereo.mp3", "44100", "2"}, {"m1mono.mp3", "48000", "1"},
		{"m2stereo.mp3", "22050", "2"}} {
		out := filepath.Join(dir, c.name)
		convert(t, "ffmpeg", "-v", "error", "-i", "testdata/speech.wav", "-ar", c.rate, "-ac", c.ch, "-c:a", "libmp3lame", "-b:a", "64k", out)
		got, info := decodeAll(t, out)
		ff := ffmpegDecode(t, out)
		if len(got) != len(ff) || info.Decoder != "go-mp3" || strconv.Itoa(info.SampleRate) != c.rate || strconv.Itoa(info.Channels) != c.ch {
			t.Errorf("%s: %d samples, ffmpeg %d (%+v)", c.name, len(got), len(ff), info)
			continue
		}
		left := func(s []int16) []int16 {
			out := make([]int16, len(s)/info.Channels)
			for i := range out {
				out[i] = s[i*info.Channels]
			}
			return out
		}
		if lag, corr := bestLag(left(ff), left(got), 1200); lag != 0 || corr < 0.999 {
			t.Errorf("%s: offset %d from ffmpeg's samples (correlation %.5f), want 0", c.name, lag, corr)
		}
		var sig, noise float64
		for i := range got {
			d := float64(got[i]) - float64(ff[i])
			sig, noise = sig+float64(ff[i])*float64(ff[i]), noise+d*d
		}
		snr := 10 * math.Log10(sig/max(noise, 1e-9))
		if (info.Channels == 1 && maxDiff(got, ff) > 2) || snr < 50 {
			t.Errorf("%s: %.1f dB from ffmpeg's samples, up to %d apart", c.name, snr, maxDiff(got, ff))
		}
		t.Logf("%s: %d Hz × %d, %d frames as ffmpeg, offset 0, %.1f dB, up to %d apart", c.name, info.SampleRate,
			info.Channels, info.Frames, snr, maxDiff(got, ff))
	}
}
