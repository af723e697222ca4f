package player

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"
)

// TestConverter: what DeviceOutput gives oto (no device here to hear it): 16 kHz mono becomes 48 kHz stereo,
// three frames per source frame, both channels the source's, in-between frames interpolated.
func TestConverter(t *testing.T) {
	src := []int16{0, 300, -300, 3000, 32767, -32768}
	var b bytes.Buffer
	for _, v := range src {
		_ = binary.Write(&b, binary.LittleEndian, v)
	}
	out, err := io.ReadAll(&converter{src: &b, rate: 16000, ch: 1})
	if err != nil {
		t.Fatal(err)
	}
	frames := len(out) / 4
	if frames < 3*(len(src)-1) || frames > 3*len(src) {
		t.Fatalf("%d frames at 48 kHz for %d at 16 kHz", frames, len(src))
	}
	at := func(i, c int) int16 { return int16(binary.LittleEndian.Uint16(out[i*4+2*c:])) }
	for i := 0; i < frames; i++ {
		if at(i, 0) != at(i, 1) {
			t.Fatalf("frame %d: left %d, right %d", i, at(i, 0), at(i, 1))
		}
	}
	for k, v := range src[:len(src)-1] {
		if at(3*k, 0) != v {
			t.Errorf("frame %d is %d, want the source's %d", 3*k, at(3*k, 0), v)
		}
	}
	if got := at(4, 0); got != 100 { // a third of the way from 300 to -300
		t.Errorf("interpolated frame 4 is %d, want 100", got)
	}
}
