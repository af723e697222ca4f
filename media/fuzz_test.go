package media

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// fuzzDecode writes data to a file and runs a decoder over it the way Probe, Open, SeekFrame and Read do: any
// error is fine, a panic or a hang is not.
func fuzzDecode(t *testing.T, data []byte, ext string, open func(string) (Stream, error)) {
	path := filepath.Join(t.TempDir(), "f"+ext)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := open(path)
	if err != nil {
		return
	}
	defer s.Close()
	info := s.Info()
	if info.Channels <= 0 || info.SampleRate <= 0 || info.Frames < 0 {
		t.Fatalf("opened with %+v", info)
	}
	buf := make([]int16, 1024*info.Channels)
	read := func() {
		for i := 0; i < 400; i++ { // enough for the seeds, bounded for any input
			if _, err := s.Read(buf); err != nil {
				return
			}
		}
	}
	read()
	if info.Frames > 0 {
		_ = s.SeekFrame(info.Frames / 2)
		read()
		_ = s.SeekFrame(0)
		read()
	}
	if sniff(data) == kindFFmpeg {
		return // Probe would hand it to ffmpeg: not this package's code, and a process per input
	}
	if _, err := Probe(context.Background(), path); err != nil && errors.Is(err, io.EOF) {
		t.Fatalf("Probe returned a bare io.EOF: %v", err)
	}
}

// seed adds a fixture and a few cuts of it to the corpus.
func seed(f *testing.F, name string) {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:min(len(b), 4096)])
	f.Add(b[:min(len(b), 600)])
	f.Add(b[:min(len(b), 64)])
}

// FuzzWAV runs the WAV decoder (go-audio/wav headers, samples read here) over mutated WAV files.
func FuzzWAV(f *testing.F) {
	seed(f, "speech.wav")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, ".wav", openWAV) })
}

// FuzzMP3 runs the MP3 decoder (gapless tag read here, go-mp3) over mutated MP3 files.
func FuzzMP3(f *testing.F) {
	seed(f, "speech.mp3")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, ".mp3", openMP3) })
}

// FuzzFLAC runs the FLAC decoder (mewkiz/flac) over mutated FLAC files.
func FuzzFLAC(f *testing.F) {
	seed(f, "speech.flac")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, ".flac", openFLAC) })
}
