package media

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fixtures are the test recordings of testdata (see testdata/README.md).
var fixtures = []string{"speech.wav", "speech.flac", "speech.mp3", "speech.ogg", "speech.m4a"}

// needsFFmpeg reports whether a fixture is decoded by ffmpeg.
func needsFFmpeg(name string) bool {
	return strings.HasSuffix(name, ".ogg") || strings.HasSuffix(name, ".m4a")
}

// skipWithout skips the test when a tool is not installed.
func skipWithout(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make setup installs it; CI has it): this check needs it", tool)
		}
	}
}

// recordedFrames reads testdata/frames.tsv: each fixture's frames as ffmpeg decoded it when it was made.
func recordedFrames(t *testing.T) map[string]int64 {
	t.Helper()
	f, err := os.Open("testdata/frames.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		fields := strings.Split(sc.Text(), "\t")
		n, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		m[fields[0]] = n
	}
	return m
}

// decodeAll reads a whole recording through Open.
func decodeAll(t *testing.T, path string) ([]int16, Info) {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var all []int16
	buf := make([]int16, 777) // odd size: reads that do not line up with decoder frames
	for {
		n, err := s.Read(buf)
		all = append(all, buf[:n]...)
		if errors.Is(err, io.EOF) {
			return all, s.Info()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// ffmpegDecode decodes a file with the ffmpeg program, optionally with an audio filter.
func ffmpegDecode(t *testing.T, path string, filter ...string) []int16 {
	t.Helper()
	args := []string{"-v", "error", "-i", path}
	if len(filter) > 0 {
		args = append(args, "-af", filter[0])
	}
	out, err := exec.Command("ffmpeg", append(args, "-f", "s16le", "-acodec", "pcm_s16le", "-")...).Output()
	if err != nil {
		t.Fatalf("ffmpeg %s: %v", path, err)
	}
	return pcm16(out)
}

// pcm16 reads little-endian 16-bit samples.
func pcm16(b []byte) []int16 {
	r := make([]int16, len(b)/2)
	for i := range r {
		r[i] = int16(binary.LittleEndian.Uint16(b[i*2:]))
	}
	return r
}

// wavSamples reads the samples of a 16-bit PCM WAV whose data chunk follows a 44-byte header, checking it.
func wavSamples(t *testing.T, b []byte) (rate, channels int, samples []int16) {
	t.Helper()
	if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
		t.Fatalf("not a plain 16-bit WAV: % x", b[:min(len(b), 44)])
	}
	if n := binary.LittleEndian.Uint32(b[40:]); int(n) != len(b)-44 {
		t.Fatalf("data chunk says %d bytes, file has %d", n, len(b)-44)
	}
	return int(binary.LittleEndian.Uint32(b[24:])), int(binary.LittleEndian.Uint16(b[22:])), pcm16(b[44:])
}

// TestProbeDuration: each format's frames and duration match what ffmpeg decodes (and soxi counts for WAV and
// FLAC) when the tools are here, and the values recorded by them in testdata/frames.tsv otherwise.
func TestProbeDuration(t *testing.T) {
	recorded := recordedFrames(t)
	_, ffErr := exec.LookPath("ffmpeg")
	_, soxErr := exec.LookPath("soxi")
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			if needsFFmpeg(name) {
				skipWithout(t, "ffmpeg", "ffprobe")
			}
			info, err := Probe(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			want := recorded[name]
			if ffErr == nil {
				want = int64(len(ffmpegDecode(t, path)) / info.Channels)
			}
			if info.Frames != want || info.SampleRate != 16000 || info.Channels != 1 {
				t.Errorf("%+v, want %d frames at 16000 Hz mono", info, want)
			}
			if d := info.Duration.Seconds() - float64(want)/16000; math.Abs(d) > 1e-6 {
				t.Errorf("duration %v for %d frames", info.Duration, want)
			}
			if soxErr == nil && (name == "speech.wav" || name == "speech.flac") {
				out, err := exec.Command("soxi", "-D", path).Output()
				if err != nil {
					t.Fatal(err)
				}
				secs, _ := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
				if math.Abs(secs-info.Duration.Seconds()) > 1e-5 {
					t.Errorf("soxi -D says %.6f s, Probe %v", secs, info.Duration)
				}
			}
			samples, _ := decodeAll(t, path)
			if int64(len(samples)) != info.Frames {
				t.Errorf("decoded %d frames, Probe says %d", len(samples), info.Frames)
			}
		})
	}
}

// TestDecodersAgree: WAV and FLAC decode to the same samples; MP3 decodes in line with the WAV it was encoded
// from (offset 0: the gapless tag's delay is honoured) and within ±2 of ffmpeg's own MP3 decode.
func TestDecodersAgree(t *testing.T) {
	wavS, _ := decodeAll(t, "testdata/speech.wav")
	flacS, _ := decodeAll(t, "testdata/speech.flac")
	if !slices.Equal(wavS, flacS) {
		t.Fatalf("FLAC decodes to other samples than the WAV it was made from")
	}
	mp3S, _ := decodeAll(t, "testdata/speech.mp3")
	if lag, c := bestLag(wavS, mp3S, 2000); lag != 0 || c < 0.98 {
		t.Errorf("MP3 lines up with the WAV at offset %d (correlation %.4f), want 0", lag, c)
	}
	if _, err := exec.LookPath("ffmpeg"); err == nil {
		ff := ffmpegDecode(t, "testdata/speech.mp3")
		if len(ff) != len(mp3S) {
			t.Fatalf("ffmpeg decodes %d MP3 frames, media %d", len(ff), len(mp3S))
		}
		if d := maxDiff(ff, mp3S); d > 2 {
			t.Errorf("MP3 samples differ from ffmpeg's by up to %d", d)
		}
	}
}

// bestLag finds the shift of b against a (within ±maxLag) with the highest normalised correlation.
func bestLag(a, b []int16, maxLag int) (int, float64) {
	best, at := -2.0, 0
	for lag := -maxLag; lag <= maxLag; lag++ {
		var num, da, db float64
		for i := maxLag; i < len(a)-maxLag && i+lag < len(b); i += 2 {
			x, y := float64(a[i]), float64(b[i+lag])
			num, da, db = num+x*y, da+x*x, db+y*y
		}
		if c := num / math.Sqrt(da*db+1e-9); c > best {
			best, at = c, lag
		}
	}
	return at, best
}

// maxDiff is the largest absolute difference of two equally long sample slices.
func maxDiff(a, b []int16) int {
	m := 0
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d < 0 {
			d = -d
		}
		m = max(m, d)
	}
	return m
}

// TestSeekFrameMatchesLinear: after SeekFrame(n) the next samples are exactly samples n.. of a decode from the
// start, for every decoder (MP3 included: its bit reservoir and overlap are rebuilt by decoding from earlier).
func TestSeekFrameMatchesLinear(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			if needsFFmpeg(name) {
				skipWithout(t, "ffmpeg", "ffprobe")
			}
			path := filepath.Join("testdata", name)
			all, _ := decodeAll(t, path)
			s, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			// Forwards and backwards, on and off decoder frame boundaries, the first and the last frame.
			for _, at := range []int64{40000, 0, 1, 4095, 4096, 576 * 37, 576*37 + 1, 88000, 12345, int64(len(all) - 1), 777} {
				if err := s.SeekFrame(at); err != nil {
					t.Fatalf("SeekFrame(%d): %v", at, err)
				}
				want := all[at:min(int64(len(all)), at+1000)]
				got := make([]int16, 0, len(want))
				buf := make([]int16, 300)
				for len(got) < len(want) {
					n, err := s.Read(buf[:min(len(buf), len(want)-len(got))])
					got = append(got, buf[:n]...)
					if err != nil {
						t.Fatalf("read after SeekFrame(%d): %v", at, err)
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("after SeekFrame(%d): samples differ from the linear decode", at)
				}
			}
			if err := s.SeekFrame(int64(len(all))); err != nil {
				t.Fatalf("SeekFrame(end): %v", err)
			}
			if n, err := s.Read(make([]int16, 10)); n != 0 || !errors.Is(err, io.EOF) {
				t.Errorf("read at the end: %d, %v; want 0, io.EOF", n, err)
			}
		})
	}
}

// TestWriteClipWAVMatchesSox: the clip of a span is, sample for sample, the WAV cut by `sox in.wav out.wav trim
// Ns =Ms` at FrameAt of its ends — from the WAV and from the FLAC; from the MP3 it is ffmpeg's own decode cut at
// the same samples, within ±2.
func TestWriteClipWAVMatchesSox(t *testing.T) {
	skipWithout(t, "sox")
	const startMS, endMS = 1234, 3456
	from, to := FrameAt(startMS, 16000), FrameAt(endMS, 16000)
	if from != 19744 || to != 55296 {
		t.Fatalf("FrameAt: %d, %d", from, to)
	}
	cut := filepath.Join(t.TempDir(), "cut.wav")
	if out, err := exec.Command("sox", "testdata/speech.wav", "-b", "16", cut, "trim", strconv.FormatInt(from, 10)+"s", "="+strconv.FormatInt(to, 10)+"s").CombinedOutput(); err != nil {
		t.Fatalf("sox: %v: %s", err, out)
	}
	soxBytes, err := os.ReadFile(cut)
	if err != nil {
		t.Fatal(err)
	}
	_, _, want := wavSamples(t, soxBytes)
	if int64(len(want)) != to-from {
		t.Fatalf("sox cut %d frames, want %d", len(want), to-from)
	}
	for _, name := range []string{"speech.wav", "speech.flac", "speech.mp3"} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := WriteClipWAV(context.Background(), filepath.Join("testdata", name), startMS, endMS, &buf)
			if err != nil {
				t.Fatal(err)
			}
			rate, ch, got := wavSamples(t, buf.Bytes())
			if n != to-from || int64(len(got)) != n || rate != 16000 || ch != 1 {
				t.Fatalf("%d frames (%d in the file) at %d Hz × %d, want %d at 16000 × 1", n, len(got), rate, ch, to-from)
			}
			if name != "speech.mp3" {
				if !slices.Equal(got, want) {
					t.Errorf("clip differs from sox's cut")
				}
				return
			}
			skipWithout(t, "ffmpeg")
			ff := ffmpegDecode(t, "testdata/speech.mp3", "atrim=start_sample="+strconv.FormatInt(from, 10)+":end_sample="+strconv.FormatInt(to, 10))
			if len(ff) != len(got) {
				t.Fatalf("ffmpeg cut %d frames, media %d", len(ff), len(got))
			}
			if d := maxDiff(ff, got); d > 2 {
				t.Errorf("MP3 clip differs from ffmpeg's cut by up to %d", d)
			}
		})
	}
	// A span past the end is cut at the end; an empty one is an error.
	var buf bytes.Buffer
	if n, err := WriteClipWAV(context.Background(), "testdata/speech.wav", 5000, 9000, &buf); err != nil || n != 88204-80000 {
		t.Errorf("span past the end: %d frames, %v", n, err)
	}
	if _, err := WriteClipWAV(context.Background(), "testdata/speech.wav", 6000, 7000, io.Discard); err == nil {
		t.Errorf("a span after the end gave no error")
	}
}

// TestLoudness: n buckets; the half second of silence before the speech is quiet, the speech is not.
func TestLoudness(t *testing.T) {
	for _, name := range []string{"speech.wav", "speech.flac", "speech.mp3"} {
		l, err := Loudness(context.Background(), filepath.Join("testdata", name), 55)
		if err != nil {
			t.Fatal(err)
		}
		if len(l) != 55 {
			t.Fatalf("%s: %d buckets", name, len(l))
		}
		// 55 buckets of 0.1 s: buckets 0–3 are the 0.5 s of padding sox added.
		var loudest float32
		for _, v := range l[6:48] {
			loudest = max(loudest, v)
		}
		for i, v := range l[:4] {
			if v > 0.01 || v*20 > loudest {
				t.Errorf("%s: silent bucket %d has loudness %.4f (loudest speech %.4f)", name, i, v, loudest)
			}
		}
		if loudest < 0.05 || loudest > 1 {
			t.Errorf("%s: loudest speech bucket %.4f", name, loudest)
		}
	}
}

// TestWithoutFFmpeg: with no ffmpeg on PATH, an M4A is ErrNoFFmpeg with a message naming what works without
// it, and WAV, MP3 and FLAC still decode.
func TestWithoutFFmpeg(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Probe(context.Background(), "testdata/speech.m4a")
	if !errors.Is(err, ErrNoFFmpeg) || !strings.Contains(err.Error(), "WAV, MP3 and FLAC") {
		t.Fatalf("m4a without ffmpeg: %v", err)
	}
	for _, name := range []string{"speech.wav", "speech.flac", "speech.mp3"} {
		if _, err := Probe(context.Background(), filepath.Join("testdata", name)); err != nil {
			t.Errorf("%s without ffmpeg: %v", name, err)
		}
	}
}

// TestNotAudio: text and truncated files are ErrNotAudio, not a panic.
func TestNotAudio(t *testing.T) {
	skipWithout(t, "ffmpeg", "ffprobe")
	dir := t.TempDir()
	wav, _ := os.ReadFile("testdata/speech.wav")
	files := map[string][]byte{"notes.txt": []byte("Northwind Lumen minutes, not a recording\n"), "cut.wav": wav[:30],
		"junk.mp3": append([]byte{0xFF, 0xFB}, bytes.Repeat([]byte{0}, 100)...)}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Probe(context.Background(), p); !errors.Is(err, ErrNotAudio) {
			t.Errorf("%s: %v, want ErrNotAudio", name, err)
		}
	}
}

// TestIsRecordingName and FrameAt.
func TestIsRecordingName(t *testing.T) {
	for name, want := range map[string]bool{"Meeting.M4A": true, "a.wav": true, "x.opus": true, "call.webm": true,
		"meeting.vtt": false, "wav": false, "notes.mp3.txt": false} {
		if IsRecordingName(name) != want {
			t.Errorf("IsRecordingName(%q) != %v", name, want)
		}
	}
	if FrameAt(1000, 44100) != 44100 || FrameAt(1, 44100) != 44 || FrameAt(3, 16000) != 48 || FrameAt(12345, 22050) != 272207 {
		t.Errorf("FrameAt")
	}
}
