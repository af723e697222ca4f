package media

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// ffmpegStream decodes any container ffmpeg reads by running `ffmpeg -v error -i FILE -f s16le -acodec
// pcm_s16le -` and reading its output. Seeking backwards starts ffmpeg again and drops the frames before the
// target, so it is exact (the same samples as a decode from the start) at a cost growing with the position.
type ffmpegStream struct {
	ctx  context.Context
	path string
	info Info
	cmd  *exec.Cmd
	out  *bufio.Reader
	pos  int64
	buf  []byte
	errb *strings.Builder
}

// ffprobeOut is the part of `ffprobe -of json` this package reads.
type ffprobeOut struct {
	Streams []struct {
		CodecType  string `json:"codec_type"`
		SampleRate string `json:"sample_rate"`
		Channels   int    `json:"channels"`
	} `json:"streams"`
	Format struct {
		FormatName string `json:"format_name"`
		Duration   string `json:"duration"`
	} `json:"format"`
}

// openFFmpeg reads the format, rate and channels with ffprobe and starts ffmpeg decoding. Frames is estimated
// from the container's duration (Probe counts it exactly by decoding).
func openFFmpeg(ctx context.Context, path string) (Stream, error) {
	probe, err := exec.LookPath("ffprobe")
	if err != nil {
		return nil, ErrNoFFmpeg
	}
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return nil, ErrNoFFmpeg
	}
	cmd := exec.CommandContext(ctx, probe, "-v", "error", "-select_streams", "a:0", "-show_entries",
		"stream=codec_type,sample_rate,channels:format=format_name,duration", "-of", "json", "--", path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: ffprobe: %s", ErrNotAudio, firstLine(stderr.String(), err))
	}
	var po ffprobeOut
	if err := json.Unmarshal(out, &po); err != nil {
		return nil, fmt.Errorf("read ffprobe output: %w", err)
	}
	if len(po.Streams) == 0 {
		return nil, fmt.Errorf("%w: ffprobe finds no audio stream", ErrNotAudio)
	}
	rate, _ := strconv.Atoi(po.Streams[0].SampleRate)
	if rate <= 0 || po.Streams[0].Channels <= 0 {
		return nil, fmt.Errorf("%w: audio stream with %d channels at %d Hz", ErrNotAudio, po.Streams[0].Channels, rate)
	}
	secs, _ := strconv.ParseFloat(po.Format.Duration, 64)
	frames := int64(secs*float64(rate) + 0.5)
	s := &ffmpegStream{ctx: ctx, path: path, info: Info{Format: po.Format.FormatName, SampleRate: rate,
		Channels: po.Streams[0].Channels, Frames: frames, Duration: durationOf(frames, rate), Decoder: "ffmpeg"}}
	if err := s.start(); err != nil {
		return nil, err
	}
	return s, nil
}

// firstLine is the first line of a tool's stderr, or err when it wrote nothing.
func firstLine(stderr string, err error) string {
	if l, _, _ := strings.Cut(strings.TrimSpace(stderr), "\n"); l != "" {
		return l
	}
	return err.Error()
}

// start runs ffmpeg from the beginning of the file.
func (s *ffmpegStream) start() error {
	s.stop()
	cmd := exec.CommandContext(s.ctx, "ffmpeg", "-nostdin", "-v", "error", "-i", s.path, "-vn", "-map", "0:a:0",
		"-f", "s16le", "-acodec", "pcm_s16le", "-")
	s.errb = &strings.Builder{}
	cmd.Stderr = s.errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("start ffmpeg: %w", err)
	}
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return ErrNoFFmpeg
		}
		return fmt.Errorf("start ffmpeg: %w", err)
	}
	s.cmd, s.out, s.pos = cmd, bufio.NewReaderSize(out, 64<<10), 0
	return nil
}

// stop ends a running ffmpeg.
func (s *ffmpegStream) stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd, s.out = nil, nil
}

// Info describes the recording.
func (s *ffmpegStream) Info() Info { return s.info }

// Read reads whole frames of ffmpeg's output.
func (s *ffmpegStream) Read(p []int16) (int, error) {
	ch := s.info.Channels
	want := len(p) / ch
	if want == 0 {
		return 0, fmt.Errorf("read ffmpeg: buffer of %d samples is smaller than one frame of %d", len(p), ch)
	}
	if s.out == nil {
		return 0, io.EOF
	}
	n := want * ch * 2
	if cap(s.buf) < n {
		s.buf = make([]byte, n)
	}
	b := s.buf[:n]
	got, err := io.ReadAtLeast(s.out, b, ch*2)
	got = got / (ch * 2) * (ch * 2)
	if got == 0 {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			werr := s.cmd.Wait()
			s.cmd, s.out = nil, nil
			if werr != nil && s.ctx.Err() == nil {
				return 0, fmt.Errorf("ffmpeg: %s", firstLine(s.errb.String(), werr))
			}
			if s.ctx.Err() != nil {
				return 0, s.ctx.Err()
			}
			return 0, io.EOF
		}
		return 0, fmt.Errorf("read ffmpeg: %w", err)
	}
	for i := 0; i < got/2; i++ {
		p[i] = int16(binary.LittleEndian.Uint16(b[i*2:]))
	}
	s.pos += int64(got / (ch * 2))
	return got / 2, nil
}

// SeekFrame moves to an exact frame: forwards by dropping decoded frames, backwards by starting ffmpeg again.
func (s *ffmpegStream) SeekFrame(target int64) error {
	if target < 0 {
		return fmt.Errorf("seek ffmpeg: frame %d is negative", target)
	}
	if target < s.pos || s.out == nil {
		if err := s.start(); err != nil {
			return err
		}
	}
	tmp := make([]int16, 4096*s.info.Channels)
	for s.pos < target {
		n := int((target - s.pos)) * s.info.Channels
		if n > len(tmp) {
			n = len(tmp)
		}
		if _, err := s.Read(tmp[:n]); err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("seek ffmpeg: frame %d is past the end (%d frames)", target, s.pos)
			}
			return fmt.Errorf("seek ffmpeg: %w", err)
		}
	}
	return nil
}

// countFrames decodes the whole file once to count its frames, then starts again.
func (s *ffmpegStream) countFrames(ctx context.Context) (int64, error) {
	if err := s.start(); err != nil {
		return 0, err
	}
	n, err := io.Copy(io.Discard, s.out)
	if err != nil {
		return 0, fmt.Errorf("decode with ffmpeg: %w", err)
	}
	if err := s.cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("decode with ffmpeg: %s", firstLine(s.errb.String(), err))
	}
	s.cmd, s.out = nil, nil
	frames := n / int64(2*s.info.Channels)
	s.info.Frames, s.info.Duration = frames, durationOf(frames, s.info.SampleRate)
	return frames, nil
}

// Close ends ffmpeg.
func (s *ffmpegStream) Close() error {
	s.stop()
	return nil
}
