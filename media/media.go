// Package media reads recordings: it probes a file for its format, rate, channels and length, decodes it as a
// stream of interleaved signed 16-bit samples with exact seeking, cuts sample-exact WAV clips and computes a
// loudness strip. WAV, MP3 and FLAC are decoded in Go (go-audio/wav, go-mp3, mewkiz/flac); every other
// container (m4a, mp4, ogg, opus, webm, ...) goes through the ffmpeg program when it is installed. media never
// opens a sound device and never a network connection.
package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Info describes a recording as read from its bytes.
type Info struct {
	Format     string        // "wav", "mp3", "flac", or the ffmpeg format name ("mov,mp4,m4a,...", "ogg", ...)
	SampleRate int           // Hz
	Channels   int           // channels per frame
	Frames     int64         // samples per channel
	Duration   time.Duration // Frames / SampleRate
	Decoder    string        // "go-wav", "go-mp3", "go-flac", "ffmpeg"
}

// ErrNoFFmpeg is returned for a file that needs ffmpeg to be decoded when ffmpeg is not installed.
var ErrNoFFmpeg = errors.New("this recording needs ffmpeg to be decoded and ffmpeg is not installed " +
	"(install the ffmpeg package; WAV, MP3 and FLAC work without it)")

// ErrNotAudio is returned for a file that is not a recording media can read.
var ErrNotAudio = errors.New("not a recording that can be read")

// recordingExts are the file name extensions IsRecordingName accepts.
var recordingExts = map[string]bool{
	".wav": true, ".mp3": true, ".flac": true, ".m4a": true, ".mp4": true, ".ogg": true, ".opus": true,
	".webm": true, ".aac": true, ".wma": true, ".mkv": true, ".mov": true,
}

// IsRecordingName reports whether a file name has the extension of a recording (.wav .mp3 .flac .m4a .mp4
// .ogg .opus .webm .aac .wma .mkv .mov), case-insensitively.
func IsRecordingName(name string) bool {
	return recordingExts[strings.ToLower(filepath.Ext(name))]
}

// Stream decodes interleaved signed 16-bit PCM, little by little (memory flat in the file's length).
type Stream interface {
	// Info describes the recording.
	Info() Info
	// Read fills p with interleaved samples (a whole number of frames when len(p) allows it); io.EOF at the end.
	Read(p []int16) (int, error)
	// SeekFrame moves so that the next Read starts exactly at frame.
	SeekFrame(frame int64) error
	// Close releases the file (and ends ffmpeg, for a stream it decodes).
	Close() error
}

// FrameAt maps a time to a frame: round(ms * rate / 1000).
func FrameAt(ms int64, rate int) int64 {
	return int64(math.Round(float64(ms) * float64(rate) / 1000))
}

// durationOf is frames/rate as a time.Duration.
func durationOf(frames int64, rate int) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(float64(frames) / float64(rate) * float64(time.Second))
}

// kind is the decoder chosen for a file by its first bytes.
type kind int

const (
	kindFFmpeg kind = iota
	kindWAV
	kindMP3
	kindFLAC
)

// sniff chooses a decoder by the file's magic bytes (not its name).
func sniff(head []byte) kind {
	switch {
	case len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WAVE")):
		return kindWAV
	case len(head) >= 4 && bytes.Equal(head[:4], []byte("fLaC")):
		return kindFLAC
	case len(head) >= 3 && bytes.Equal(head[:3], []byte("ID3")):
		// ID3 tags precede MP3 frames (and, rarely, FLAC: mewkiz/flac skips them, so look past the tag).
		if n := id3Size(head); n > 0 && n+4 <= len(head) && bytes.Equal(head[n:n+4], []byte("fLaC")) {
			return kindFLAC
		}
		return kindMP3
	case len(head) >= 2 && head[0] == 0xFF && head[1]&0xE6 == 0xE2: // MPEG audio layer III sync
		return kindMP3
	}
	return kindFFmpeg
}

// id3Size is the length of an ID3v2 tag at the start of b, header included; 0 when there is none.
func id3Size(b []byte) int {
	if len(b) < 10 || !bytes.Equal(b[:3], []byte("ID3")) {
		return 0
	}
	n := int(b[6]&0x7f)<<21 | int(b[7]&0x7f)<<14 | int(b[8]&0x7f)<<7 | int(b[9]&0x7f)
	if b[5]&0x10 != 0 {
		n += 10 // footer
	}
	return 10 + n
}

// readHead reads up to n bytes from the start of path.
func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	m, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b[:m], nil
}

// Open opens a recording for decoding. WAV, MP3 and FLAC (told by their first bytes) are decoded in Go; any
// other file through ffmpeg (ErrNoFFmpeg when it is not installed, ErrNotAudio when ffmpeg finds no audio).
func Open(ctx context.Context, path string) (Stream, error) {
	head, err := readHead(path, 64<<10)
	if err != nil {
		return nil, fmt.Errorf("open recording %s: %w", path, err)
	}
	var s Stream
	switch sniff(head) {
	case kindWAV:
		s, err = openWAV(path)
	case kindMP3:
		s, err = openMP3(path)
	case kindFLAC:
		s, err = openFLAC(path)
	default:
		s, err = openFFmpeg(ctx, path)
	}
	if err != nil {
		return nil, fmt.Errorf("open recording %s: %w", path, err)
	}
	return s, nil
}

// Probe reads a recording's format, rate, channels and exact length. For WAV and FLAC the length comes from
// the headers; for MP3 from the frame headers and the encoder's gapless (LAME/Info) tag; for files decoded by
// ffmpeg, ffprobe names the format and the frames are counted by decoding (exactly what Open yields).
func Probe(ctx context.Context, path string) (Info, error) {
	s, err := Open(ctx, path)
	if err != nil {
		return Info{}, err
	}
	defer s.Close()
	info := s.Info()
	if fs, ok := s.(*ffmpegStream); ok {
		n, err := fs.countFrames(ctx)
		if err != nil {
			return Info{}, fmt.Errorf("probe recording %s: %w", path, err)
		}
		info.Frames = n
		info.Duration = durationOf(n, info.SampleRate)
	}
	return info, nil
}

// safely runs f and turns a panic inside a third-party decoder (a malformed file) into ErrNotAudio.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: decoder failed: %v", ErrNotAudio, r)
		}
	}()
	return f()
}
