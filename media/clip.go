package media

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// WriteClipWAV writes frames [FrameAt(startMS), FrameAt(endMS)) of the recording as a 16-bit PCM WAV with the
// recording's rate and channels. Returns the frames written. A span running past the end is cut at the end;
// a span that is empty or starts past the end is an error.
func WriteClipWAV(ctx context.Context, path string, startMS, endMS int64, w io.Writer) (int64, error) {
	s, err := Open(ctx, path)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	info := s.Info()
	if info.Decoder == "ffmpeg" { // Open only estimates an ffmpeg stream's length: count it
		if info, err = Probe(ctx, path); err != nil {
			return 0, err
		}
	}
	from, to := FrameAt(startMS, info.SampleRate), FrameAt(endMS, info.SampleRate)
	if to > info.Frames {
		to = info.Frames
	}
	if from < 0 || from >= to {
		return 0, fmt.Errorf("clip %s: span %d–%d ms is empty or outside the recording (%d ms)", path, startMS, endMS, info.Duration.Milliseconds())
	}
	if err := s.SeekFrame(from); err != nil {
		return 0, fmt.Errorf("clip %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := writeWAVHeader(bw, info.SampleRate, info.Channels, to-from); err != nil {
		return 0, fmt.Errorf("clip %s: %w", path, err)
	}
	buf := make([]int16, 4096*info.Channels)
	out := make([]byte, len(buf)*2)
	var done int64
	for done < to-from {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		want := (to - from - done) * int64(info.Channels)
		if want > int64(len(buf)) {
			want = int64(len(buf))
		}
		n, err := s.Read(buf[:want])
		if n == 0 && err != nil {
			if errors.Is(err, io.EOF) {
				return done, fmt.Errorf("clip %s: recording ended after %d of %d frames", path, done, to-from)
			}
			return done, fmt.Errorf("clip %s: %w", path, err)
		}
		for i, v := range buf[:n] {
			binary.LittleEndian.PutUint16(out[i*2:], uint16(v))
		}
		if _, err := bw.Write(out[:n*2]); err != nil {
			return done, fmt.Errorf("clip %s: write: %w", path, err)
		}
		done += int64(n / info.Channels)
	}
	if err := bw.Flush(); err != nil {
		return done, fmt.Errorf("clip %s: write: %w", path, err)
	}
	return done, nil
}

// writeWAVHeader writes the 44-byte header of a 16-bit PCM WAV holding frames frames.
func writeWAVHeader(w io.Writer, rate, channels int, frames int64) error {
	data := frames * int64(channels) * 2
	if data > math.MaxUint32-36 {
		return fmt.Errorf("clip of %d frames is too long for a WAV file", frames)
	}
	h := make([]byte, 44)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(36+data))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1)
	binary.LittleEndian.PutUint16(h[22:], uint16(channels))
	binary.LittleEndian.PutUint32(h[24:], uint32(rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(rate*channels*2))
	binary.LittleEndian.PutUint16(h[32:], uint16(channels*2))
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(data))
	_, err := w.Write(h)
	return err
}

// Loudness returns n buckets of RMS loudness (0..1, full scale is 1) over the whole recording: bucket i covers
// frames [i*F/n, (i+1)*F/n) of its F frames, all channels together. It decodes the file once, in constant
// memory.
func Loudness(ctx context.Context, path string, n int) ([]float32, error) {
	if n <= 0 {
		return nil, fmt.Errorf("loudness of %s: %d buckets", path, n)
	}
	info, err := Probe(ctx, path)
	if err != nil {
		return nil, err
	}
	s, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	out := make([]float32, n)
	if info.Frames == 0 {
		return out, nil
	}
	sums := make([]float64, n)
	counts := make([]int64, n)
	buf := make([]int16, 8192*info.Channels)
	var frame int64
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		got, err := s.Read(buf)
		for i := 0; i+info.Channels <= got; i += info.Channels {
			b := int(frame * int64(n) / info.Frames)
			if b >= n {
				b = n - 1
			}
			for c := 0; c < info.Channels; c++ {
				v := float64(buf[i+c]) / 32768
				sums[b] += v * v
			}
			counts[b] += int64(info.Channels)
			frame++
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("loudness of %s: %w", path, err)
		}
	}
	for i := range out {
		if counts[i] > 0 {
			out[i] = float32(math.Min(1, math.Sqrt(sums[i]/float64(counts[i]))))
		}
	}
	return out, nil
}
