package main

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// dump builds a 32-bit ZPixmap XWD picture with a window name, as xwd writes.
func dump(t *testing.T, w, h int, pixel func(x, y int) uint32) []byte {
	t.Helper()
	name := []byte("xwdump\x00")
	hd := header{HeaderSize: uint32(binary.Size(header{}) + len(name)), FileVersion: 7, PixmapFormat: 2,
		PixmapDepth: 24, PixmapWidth: uint32(w), PixmapHeight: uint32(h), BitsPerPixel: 32,
		BytesPerLine: uint32(4 * w), NColors: 2}
	var b bytes.Buffer
	if err := binary.Write(&b, binary.BigEndian, hd); err != nil {
		t.Fatal(err)
	}
	b.Write(name)
	b.Write(make([]byte, 12*2)) // the colour map
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			binary.Write(&b, binary.LittleEndian, pixel(x, y))
		}
	}
	return b.Bytes()
}

func TestReadStatsCountsColoursAndTheCommonest(t *testing.T) {
	// A black screen with a 10x5 window of 25 colours in its top-left corner.
	s, err := readStats(bytes.NewReader(dump(t, 40, 20, func(x, y int) uint32 {
		if x < 10 && y < 5 {
			return uint32(1 + (x+10*y)%25)
		}
		return 0
	})))
	if err != nil {
		t.Fatal(err)
	}
	if s.width != 40 || s.height != 20 || s.colours != 26 || s.top != 40*20-50 {
		t.Fatalf("stats = %+v, want 40x20, 26 colours, top %d", s, 40*20-50)
	}
}

func TestReadStatsRefusesWhatIsNotAnXWD(t *testing.T) {
	bad := dump(t, 4, 4, func(x, y int) uint32 { return 0 })
	bad[7] = 6 // file version 6
	if _, err := readStats(bytes.NewReader(bad)); err == nil {
		t.Error("version 6 dump accepted")
	}
	short := dump(t, 4, 4, func(x, y int) uint32 { return 0 })
	if _, err := readStats(bytes.NewReader(short[:len(short)-3])); err == nil {
		t.Error("truncated dump accepted")
	}
}
