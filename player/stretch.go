package player

import (
	"errors"
	"io"
	"math"
)

// stretcher changes the speed of speech without changing its pitch, by WSOLA (waveform-similarity overlap-add):
// the output is built of Hann-windowed segments of L frames overlapping by half; segment k is taken from the
// input near k·L/2·speed, at the shift (within ±L/4) where it best continues the previous segment, so the
// pitch periods line up and the voice keeps its pitch. At speed 1 it is not used: the samples pass unchanged.
type stretcher struct {
	read  func([]int16) (int, error) // the source: interleaved frames, io.EOF at the end
	ch    int
	speed float64
	l     int // segment length in frames
	hs    int // output hop: l/2
	delta int // search range in frames
	win   []float64

	in      []int16 // buffered input, interleaved; in[0] is input frame inBase
	inBase  int64
	eof     bool
	k       int64     // next segment
	prevPos int64     // input frame where the previous segment started
	acc     []float64 // overlap accumulator, l frames interleaved
	out     []int16   // finished output not yet returned
	done    bool
}

// newStretcher makes a stretcher for a source at rate Hz with ch channels.
func newStretcher(read func([]int16) (int, error), rate, ch int, speed float64) *stretcher {
	l := rate * 30 / 1000 // 30 ms segments
	l -= l % 2
	if l < 32 {
		l = 32
	}
	s := &stretcher{read: read, ch: ch, speed: speed, l: l, hs: l / 2, delta: l / 4, acc: make([]float64, l*ch)}
	s.win = make([]float64, l)
	for i := range s.win {
		s.win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(l)) // periodic Hann: halves overlap to 1
	}
	return s
}

// fill reads input until frame upto (exclusive) is buffered or the source ends.
func (s *stretcher) fill(upto int64) error {
	buf := make([]int16, 2048*s.ch)
	for !s.eof && s.inBase+int64(len(s.in)/s.ch) < upto {
		n, err := s.read(buf)
		s.in = append(s.in, buf[:n]...)
		if errors.Is(err, io.EOF) {
			s.eof = true
		} else if err != nil {
			return err
		}
	}
	return nil
}

// avail is the input frames buffered up to (exclusive).
func (s *stretcher) avail() int64 { return s.inBase + int64(len(s.in)/s.ch) }

// at is input frame f, channel c.
func (s *stretcher) at(f int64, c int) float64 { return float64(s.in[int(f-s.inBase)*s.ch+c]) }

// step makes the next segment and moves hs frames of finished output to s.out.
func (s *stretcher) step() error {
	nominal := int64(math.Round(float64(s.k) * float64(s.hs) * s.speed))
	if err := s.fill(nominal + int64(s.l+s.delta) + 1); err != nil {
		return err
	}
	pos := nominal
	if s.k > 0 {
		natural := s.prevPos + int64(s.hs) // where the previous segment would go on
		lo, hi := nominal-int64(s.delta), nominal+int64(s.delta)
		if lo < s.inBase {
			lo = s.inBase
		}
		if hi+int64(s.l) > s.avail() {
			hi = s.avail() - int64(s.l)
		}
		best := math.Inf(-1)
		for cand := lo; cand <= hi; cand++ {
			var num, e float64
			for i := int64(0); i < int64(s.hs); i += 2 {
				if natural+i >= s.avail() {
					break
				}
				var x, y float64
				for c := 0; c < s.ch; c++ {
					x += s.at(cand+i, c)
					y += s.at(natural+i, c)
				}
				num += x * y
				e += x * x
			}
			if v := num / math.Sqrt(e+1); v > best {
				best, pos = v, cand
			}
		}
	}
	if pos+int64(s.l) > s.avail() { // the input ends inside this segment: flush and stop
		s.flush(pos)
		return nil
	}
	for i := 0; i < s.l; i++ {
		for c := 0; c < s.ch; c++ {
			s.acc[i*s.ch+c] += s.win[i] * s.at(pos+int64(i), c)
		}
	}
	if s.k == 0 { // nothing overlaps the first half of the first segment: do not fade it in
		for i := 0; i < s.hs; i++ {
			for c := 0; c < s.ch; c++ {
				s.acc[i*s.ch+c] = s.at(pos+int64(i), c)
			}
		}
	}
	s.emit(s.hs)
	s.prevPos = pos
	s.k++
	// Forget input no later segment can use.
	keep := min(s.prevPos, int64(math.Round(float64(s.k)*float64(s.hs)*s.speed))-int64(s.delta))
	if drop := keep - s.inBase; drop > 4096 {
		s.in = append(s.in[:0], s.in[int(drop)*s.ch:]...)
		s.inBase = keep
	}
	return nil
}

// emit moves n finished frames from the accumulator to out.
func (s *stretcher) emit(n int) {
	for i := 0; i < n*s.ch; i++ {
		v := math.Round(s.acc[i])
		s.out = append(s.out, int16(math.Max(-32768, math.Min(32767, v))))
	}
	copy(s.acc, s.acc[n*s.ch:])
	for i := len(s.acc) - n*s.ch; i < len(s.acc); i++ {
		s.acc[i] = 0
	}
}

// flush ends the output: the half segment still overlapping, faded out as the window already has it.
func (s *stretcher) flush(pos int64) {
	if s.k > 0 {
		s.emit(s.hs)
	}
	_ = pos
	s.done = true
}

// Read returns stretched frames; io.EOF after the last.
func (s *stretcher) Read(p []int16) (int, error) {
	for len(s.out) < len(p) && !s.done {
		if err := s.step(); err != nil {
			return 0, err
		}
	}
	if len(s.out) == 0 {
		return 0, io.EOF
	}
	n := min(len(p)/s.ch*s.ch, len(s.out))
	copy(p, s.out[:n])
	s.out = s.out[n:]
	return n, nil
}
