package media

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/go-audio/wav"
)

// WAV format tags this package decodes.
const (
	wavPCM        = 1
	wavFloat      = 3
	wavExtensible = 0xFFFE
)

// wavStream decodes the PCM of a RIFF/WAVE file: go-audio/wav reads the headers, the samples are read straight
// from the data chunk, so seeking is an exact byte offset.
type wavStream struct {
	f         *os.File
	info      Info
	dataStart int64 // file offset of frame 0
	bps       int   // bytes per sample
	float     bool
	pos       int64 // next frame
	buf       []byte
}

// openWAV reads the headers of a WAV file and positions it at its first frame.
func openWAV(path string) (Stream, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	s, err := newWAVStream(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// checkRIFF walks the chunks before the data chunk and rejects sizes go-audio/wav would trust: a fmt chunk
// larger than 1 KiB or a chunk running past the end of the file (go-audio allocates what a header claims).
func checkRIFF(f *os.File, size int64) error {
	var h [12]byte
	if _, err := f.ReadAt(h[:], 0); err != nil || string(h[0:4]) != "RIFF" || string(h[8:12]) != "WAVE" {
		return fmt.Errorf("%w: not a RIFF/WAVE file", ErrNotAudio)
	}
	off := int64(12)
	for off+8 <= size {
		var c [8]byte
		if _, err := f.ReadAt(c[:], off); err != nil {
			return fmt.Errorf("%w: WAV chunk header: %v", ErrNotAudio, err)
		}
		id, n := string(c[:4]), int64(binary.LittleEndian.Uint32(c[4:]))
		if id == "data" {
			return nil
		}
		if (id == "fmt " && n > 1024) || off+8+n > size {
			return fmt.Errorf("%w: WAV chunk %q of %d bytes", ErrNotAudio, id, n)
		}
		off += 8 + n + n%2
	}
	return fmt.Errorf("%w: WAV without a data chunk", ErrNotAudio)
}

// newWAVStream parses the headers of the WAV file f.
func newWAVStream(f *os.File) (*wavStream, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkRIFF(f, st.Size()); err != nil {
		return nil, err
	}
	var d *wav.Decoder
	err = safely(func() error {
		d = wav.NewDecoder(f)
		if !d.IsValidFile() {
			return fmt.Errorf("%w: not a valid WAV file", ErrNotAudio)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		d = wav.NewDecoder(f)
		if err := d.FwdToPCM(); err != nil {
			return fmt.Errorf("%w: WAV without a data chunk: %v", ErrNotAudio, err)
		}
		if d.PCMChunk == nil {
			return fmt.Errorf("%w: WAV without a data chunk", ErrNotAudio)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	start, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	s := &wavStream{f: f, dataStart: start, bps: int(d.BitDepth) / 8}
	format := int(d.WavAudioFormat)
	switch {
	case format == wavFloat && d.BitDepth == 32:
		s.float = true
	case (format == wavPCM || format == wavExtensible) && (d.BitDepth == 8 || d.BitDepth == 16 || d.BitDepth == 24 || d.BitDepth == 32):
	default:
		return nil, fmt.Errorf("%w: WAV format %d with %d bits per sample is not supported", ErrNotAudio, format, d.BitDepth)
	}
	if d.NumChans == 0 || d.SampleRate == 0 {
		return nil, fmt.Errorf("%w: WAV with %d channels at %d Hz", ErrNotAudio, d.NumChans, d.SampleRate)
	}
	size := int64(d.PCMSize)
	if rest := st.Size() - start; size > rest || size <= 0 {
		size = rest // a streamed WAV's data size can be 0 or 0xFFFFFFFF: the data runs to the end
	}
	block := int64(s.bps) * int64(d.NumChans)
	frames := size / block
	s.info = Info{Format: "wav", SampleRate: int(d.SampleRate), Channels: int(d.NumChans), Frames: frames,
		Duration: durationOf(frames, int(d.SampleRate)), Decoder: "go-wav"}
	return s, nil
}

// Info describes the recording.
func (s *wavStream) Info() Info { return s.info }

// Read fills p with whole frames converted to 16 bits.
func (s *wavStream) Read(p []int16) (int, error) {
	ch := s.info.Channels
	want := int64(len(p) / ch)
	if want == 0 {
		return 0, fmt.Errorf("read WAV: buffer of %d samples is smaller than one frame of %d", len(p), ch)
	}
	if left := s.info.Frames - s.pos; want > left {
		want = left
	}
	if want <= 0 {
		return 0, io.EOF
	}
	n := int(want) * ch * s.bps
	if cap(s.buf) < n {
		s.buf = make([]byte, n)
	}
	b := s.buf[:n]
	if _, err := io.ReadFull(s.f, b); err != nil {
		return 0, fmt.Errorf("read WAV: %w", err)
	}
	samples := int(want) * ch
	for i := 0; i < samples; i++ {
		o := i * s.bps
		switch {
		case s.float:
			v := math.Float32frombits(binary.LittleEndian.Uint32(b[o:]))
			p[i] = floatTo16(float64(v))
		case s.bps == 1:
			p[i] = int16((int(b[o]) - 128) << 8)
		case s.bps == 2:
			p[i] = int16(binary.LittleEndian.Uint16(b[o:]))
		case s.bps == 3:
			p[i] = int16(uint16(b[o+1]) | uint16(b[o+2])<<8)
		default:
			p[i] = int16(binary.LittleEndian.Uint32(b[o:]) >> 16)
		}
	}
	s.pos += want
	return samples, nil
}

// floatTo16 converts a sample in [-1, 1] to 16 bits, clipping.
func floatTo16(v float64) int16 {
	v = math.Round(v * 32768)
	if v > 32767 {
		v = 32767
	} else if v < -32768 || math.IsNaN(v) {
		v = -32768
	}
	return int16(v)
}

// SeekFrame moves to an exact frame: a byte offset in the data chunk.
func (s *wavStream) SeekFrame(frame int64) error {
	if frame < 0 || frame > s.info.Frames {
		return fmt.Errorf("seek WAV: frame %d outside 0..%d", frame, s.info.Frames)
	}
	if _, err := s.f.Seek(s.dataStart+frame*int64(s.bps*s.info.Channels), io.SeekStart); err != nil {
		return fmt.Errorf("seek WAV: %w", err)
	}
	s.pos = frame
	return nil
}

// Close closes the file.
func (s *wavStream) Close() error { return s.f.Close() }
