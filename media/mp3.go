package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hajimehoshi/go-mp3"
)

// mp3DecoderDelay is the delay of the MP3 synthesis filter bank in samples, as LAME's gapless tag counts it
// (ffmpeg skips encoder delay + 529 too).
const mp3DecoderDelay = 529

// mp3SeekBack is how many MP3 frames before a target SeekFrame starts decoding: the bit reservoir and the
// filter bank's overlap make a frame depend on the ones before it, so decoding from a few frames earlier gives
// the same samples as decoding from the start (checked by TestSeekFrameMatchesLinear).
const mp3SeekBack = 16

// mp3Layout is what media reads itself from an MP3's first frame: go-mp3 tells only the rate.
type mp3Layout struct {
	channels       int
	samplesPerMPEG int   // samples per MPEG frame: 1152 (MPEG-1) or 576 (MPEG-2/2.5)
	infoFrame      bool  // the first frame is a Xing/Info tag (decoded by go-mp3 as silence)
	tagFrames      int64 // MPEG frames of audio as counted by the Xing/Info tag (0: not given)
	gapless        bool  // the tag carries LAME's encoder delay and padding
	delay, padding int64
}

// readMP3Layout finds the first MPEG audio frame of head (after any ID3v2 tag) and reads its channel mode and
// its Xing/Info/LAME tag if it is one.
func readMP3Layout(head []byte) (mp3Layout, error) {
	i := id3Size(head)
	for ; i+4 <= len(head); i++ {
		if head[i] == 0xFF && head[i+1]&0xE0 == 0xE0 && head[i+1]&0x06 == 0x02 && head[i+2]&0xF0 != 0xF0 && head[i+2]&0x0C != 0x0C {
			break
		}
	}
	if i+4 > len(head) {
		return mp3Layout{}, fmt.Errorf("%w: no MP3 frame header", ErrNotAudio)
	}
	h := head[i:]
	version := (h[1] >> 3) & 3 // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
	mono := h[3]>>6 == 3
	l := mp3Layout{channels: 2, samplesPerMPEG: 576}
	if mono {
		l.channels = 1
	}
	side := 17
	switch {
	case version == 3 && mono:
		side = 17
	case version == 3:
		side = 32
	case mono:
		side = 9
	}
	if version == 3 {
		l.samplesPerMPEG = 1152
	}
	t := 4 + side
	if len(h) < t+8 || (!bytes.Equal(h[t:t+4], []byte("Xing")) && !bytes.Equal(h[t:t+4], []byte("Info"))) {
		return l, nil
	}
	l.infoFrame = true
	flags := binary.BigEndian.Uint32(h[t+4:])
	p := t + 8
	if flags&1 != 0 && len(h) >= p+4 {
		l.tagFrames = int64(binary.BigEndian.Uint32(h[p:]))
		p += 4
	}
	if flags&2 != 0 {
		p += 4
	}
	if flags&4 != 0 {
		p += 100
	}
	if flags&8 != 0 {
		p += 4
	}
	// LAME extension: 9 bytes of encoder name, then at +21 12 bits of delay and 12 of padding.
	if len(h) >= p+24 {
		v := int64(h[p+21])<<16 | int64(h[p+22])<<8 | int64(h[p+23])
		l.delay, l.padding = v>>12, v&0xFFF
		l.gapless = true
	}
	return l, nil
}

// mp3Stream decodes an MP3 with go-mp3 (always 16-bit stereo out; a mono file keeps one channel) and trims the
// encoder's delay and padding as the gapless tag says, so its samples line up with the original's.
type mp3Stream struct {
	f      *os.File
	dec    *mp3.Decoder
	info   Info
	layout mp3Layout
	skip   int64 // go-mp3 frames before our frame 0
	pos    int64 // our next frame
	buf    []byte
}

// openMP3 reads an MP3's layout and opens go-mp3 on it (which indexes the frame starts).
func openMP3(path string) (Stream, error) {
	head, err := readHead(path, 64<<10)
	if err != nil {
		return nil, err
	}
	layout, err := readMP3Layout(head)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	s := &mp3Stream{f: f, layout: layout}
	err = safely(func() error {
		d, err := mp3.NewDecoder(f)
		if err != nil {
			return fmt.Errorf("%w: MP3: %v", ErrNotAudio, err)
		}
		s.dec = d
		return nil
	})
	if err != nil {
		f.Close()
		return nil, err
	}
	rate := s.dec.SampleRate()
	decoded := s.dec.Length() / 4
	if rate <= 0 || decoded <= 0 {
		f.Close()
		return nil, fmt.Errorf("%w: MP3 with no frames", ErrNotAudio)
	}
	if layout.infoFrame {
		s.skip = int64(layout.samplesPerMPEG)
	}
	frames := decoded - s.skip
	if layout.gapless {
		s.skip += layout.delay + mp3DecoderDelay
		frames -= layout.delay + layout.padding
		if layout.tagFrames > 0 {
			if n := layout.tagFrames*int64(layout.samplesPerMPEG) - layout.delay - layout.padding; n < frames {
				frames = n
			}
		}
	}
	if frames < 0 {
		frames = 0
	}
	s.info = Info{Format: "mp3", SampleRate: rate, Channels: layout.channels, Frames: frames,
		Duration: durationOf(frames, rate), Decoder: "go-mp3"}
	if err := s.SeekFrame(0); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// Info describes the recording.
func (s *mp3Stream) Info() Info { return s.info }

// readRaw reads up to n go-mp3 frames (4 bytes each) into s.buf.
func (s *mp3Stream) readRaw(n int) ([]byte, error) {
	if cap(s.buf) < n*4 {
		s.buf = make([]byte, n*4)
	}
	b := s.buf[:n*4]
	var got int
	err := safely(func() error {
		var err error
		got, err = io.ReadFull(s.dec, b)
		return err
	})
	if errors.Is(err, io.ErrUnexpectedEOF) || (errors.Is(err, io.EOF) && got > 0) {
		err = nil
	}
	return b[:got/4*4], err
}

// Read converts decoded frames to the file's channels.
func (s *mp3Stream) Read(p []int16) (int, error) {
	ch := s.info.Channels
	want := int64(len(p) / ch)
	if want == 0 {
		return 0, fmt.Errorf("read MP3: buffer of %d samples is smaller than one frame of %d", len(p), ch)
	}
	if left := s.info.Frames - s.pos; want > left {
		want = left
	}
	if want <= 0 {
		return 0, io.EOF
	}
	b, err := s.readRaw(int(want))
	if len(b) == 0 {
		if err == nil || errors.Is(err, io.EOF) {
			return 0, io.EOF
		}
		return 0, fmt.Errorf("decode MP3: %w", err)
	}
	n := len(b) / 4
	for i := 0; i < n; i++ {
		l := int16(binary.LittleEndian.Uint16(b[i*4:]))
		if ch == 1 {
			p[i] = l
		} else {
			p[2*i] = l
			p[2*i+1] = int16(binary.LittleEndian.Uint16(b[i*4+2:]))
		}
	}
	s.pos += int64(n)
	return n * ch, nil
}

// SeekFrame moves to an exact frame: go-mp3 seeks to an MPEG frame mp3SeekBack frames before it and the
// samples up to the target are decoded and dropped.
func (s *mp3Stream) SeekFrame(target int64) error {
	if target < 0 || target > s.info.Frames {
		return fmt.Errorf("seek MP3: frame %d outside 0..%d", target, s.info.Frames)
	}
	if target == s.info.Frames {
		s.pos = target // Read returns io.EOF
		return nil
	}
	raw := target + s.skip
	spf := int64(s.layout.samplesPerMPEG)
	start := (raw/spf - mp3SeekBack) * spf
	if start < 0 {
		start = 0
	}
	err := safely(func() error {
		_, err := s.dec.Seek(start*4, io.SeekStart)
		return err
	})
	if err != nil {
		return fmt.Errorf("seek MP3 to frame %d: %w", target, err)
	}
	for drop := raw - start; drop > 0; {
		n := drop
		if n > 4096 {
			n = 4096
		}
		b, err := s.readRaw(int(n))
		if len(b) == 0 {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("seek MP3 to frame %d: %w", target, err)
		}
		drop -= int64(len(b) / 4)
	}
	s.pos = target
	return nil
}

// Close closes the file.
func (s *mp3Stream) Close() error { return s.f.Close() }
