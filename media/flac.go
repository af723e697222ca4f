package media

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
)

// flacStream decodes a FLAC file frame by frame with mewkiz/flac, keeping one decoded frame in memory.
type flacStream struct {
	path string
	f    *os.File
	st   *flac.Stream
	info Info
	bps  int
	pend []int16 // interleaved samples of the current frame not yet read
	pos  int64   // frame number of pend[0]
}

// openFLAC reads the STREAMINFO of a FLAC file.
func openFLAC(path string) (Stream, error) {
	s := &flacStream{path: path}
	if err := s.reopen(); err != nil {
		return nil, err
	}
	si := s.st.Info
	if si.SampleRate == 0 || si.NChannels == 0 || si.BitsPerSample == 0 {
		s.Close()
		return nil, fmt.Errorf("%w: FLAC with %d channels at %d Hz", ErrNotAudio, si.NChannels, si.SampleRate)
	}
	s.bps = int(si.BitsPerSample)
	frames := int64(si.NSamples)
	if frames == 0 { // unknown in STREAMINFO: count the frames once
		n, err := s.count()
		if err != nil {
			s.Close()
			return nil, err
		}
		frames = n
	}
	s.info = Info{Format: "flac", SampleRate: int(si.SampleRate), Channels: int(si.NChannels), Frames: frames,
		Duration: durationOf(frames, int(si.SampleRate)), Decoder: "go-flac"}
	return s, nil
}

// reopen opens the file from its start.
func (s *flacStream) reopen() error {
	if s.f != nil {
		s.f.Close()
	}
	f, err := os.Open(s.path)
	if err != nil {
		return err
	}
	s.f, s.st, s.pend, s.pos = f, nil, nil, 0
	err = safely(func() error {
		st, err := flac.NewSeek(f)
		if err != nil {
			return fmt.Errorf("%w: FLAC: %v", ErrNotAudio, err)
		}
		s.st = st
		return nil
	})
	if err != nil {
		f.Close()
		s.f = nil
	}
	return err
}

// count decodes the whole file to count its frames, then starts again.
func (s *flacStream) count() (int64, error) {
	var n int64
	for {
		fr, err := s.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, err
		}
		n += int64(fr.BlockSize)
	}
	return n, s.reopen()
}

// next parses the next FLAC frame.
func (s *flacStream) next() (*frame.Frame, error) {
	var fr *frame.Frame
	err := safely(func() error {
		var err error
		fr, err = s.st.ParseNext()
		return err
	})
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("decode FLAC: %w", err)
	}
	if len(fr.Subframes) != int(s.st.Info.NChannels) {
		return nil, fmt.Errorf("%w: FLAC frame with %d channels in a stream of %d", ErrNotAudio, len(fr.Subframes), s.st.Info.NChannels)
	}
	for _, sf := range fr.Subframes {
		if len(sf.Samples) != int(fr.BlockSize) {
			return nil, fmt.Errorf("%w: FLAC subframe of %d samples in a block of %d", ErrNotAudio, len(sf.Samples), fr.BlockSize)
		}
	}
	return fr, nil
}

// load decodes the next frame into pend as interleaved 16-bit samples.
func (s *flacStream) load() error {
	fr, err := s.next()
	if err != nil {
		return err
	}
	ch := len(fr.Subframes)
	n := int(fr.BlockSize)
	if cap(s.pend) < n*ch {
		s.pend = make([]int16, n*ch)
	}
	s.pend = s.pend[:n*ch]
	bps := int(fr.BitsPerSample)
	if bps == 0 {
		bps = s.bps
	}
	for c, sf := range fr.Subframes {
		for i, v := range sf.Samples {
			if bps > 16 {
				v >>= uint(bps - 16)
			} else if bps < 16 {
				v <<= uint(16 - bps)
			}
			s.pend[i*ch+c] = int16(v)
		}
	}
	return nil
}

// Info describes the recording.
func (s *flacStream) Info() Info { return s.info }

// Read copies whole frames from the decoded FLAC frames.
func (s *flacStream) Read(p []int16) (int, error) {
	ch := s.info.Channels
	if len(p) < ch {
		return 0, fmt.Errorf("read FLAC: buffer of %d samples is smaller than one frame of %d", len(p), ch)
	}
	for len(s.pend) == 0 {
		if s.pos >= s.info.Frames {
			return 0, io.EOF
		}
		if err := s.load(); err != nil {
			return 0, err
		}
	}
	n := len(p) / ch * ch
	if n > len(s.pend) {
		n = len(s.pend)
	}
	if left := (s.info.Frames - s.pos) * int64(ch); int64(n) > left {
		n = int(left)
	}
	copy(p, s.pend[:n])
	s.pend = s.pend[n:]
	s.pos += int64(n / ch)
	return n, nil
}

// SeekFrame moves to an exact frame: mewkiz/flac seeks to the FLAC frame holding it, the samples before it in
// that frame are dropped.
func (s *flacStream) SeekFrame(target int64) error {
	if target < 0 || target > s.info.Frames {
		return fmt.Errorf("seek FLAC: frame %d outside 0..%d", target, s.info.Frames)
	}
	if target == s.info.Frames {
		s.pend, s.pos = nil, target
		return nil
	}
	var start uint64
	err := safely(func() error {
		var err error
		start, err = s.st.Seek(uint64(target))
		return err
	})
	if err != nil || int64(start) > target {
		// No usable seek point: decode from the start.
		if err := s.reopen(); err != nil {
			return fmt.Errorf("seek FLAC: %w", err)
		}
		start = 0
	}
	s.pend, s.pos = nil, int64(start)
	for s.pos <= target {
		if err := s.load(); err != nil {
			return fmt.Errorf("seek FLAC to frame %d: %w", target, err)
		}
		n := int64(len(s.pend) / s.info.Channels)
		if s.pos+n > target {
			s.pend = s.pend[(target-s.pos)*int64(s.info.Channels):]
			s.pos = target
			return nil
		}
		s.pos += n
	}
	s.pend = nil
	return nil
}

// Close closes the file.
func (s *flacStream) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
