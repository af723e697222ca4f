// Command xwdcheck reads a screen dump in X Window Dump format (what `xwd
// -root` writes) and tells whether something was drawn on it: it prints the
// size, the number of distinct colours and the share of the most common one,
// and exits 1 when the picture is (nearly) one colour. make test-windows
// uses it to check that casebook.exe drew its window under Wine and Xvfb.
//
//	xwdcheck [-min-colours N] [-max-share F] FILE.xwd
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	minColours := flag.Int("min-colours", 16, "fewest distinct colours a drawn screen has")
	maxShare := flag.Float64("max-share", 0.97, "largest share of the screen the most common colour may cover")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: xwdcheck [-min-colours N] [-max-share F] FILE.xwd")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "xwdcheck:", err)
		os.Exit(2)
	}
	defer f.Close()
	s, err := readStats(f)
	if err != nil {
		fmt.Fprintf(os.Stderr, "xwdcheck: %s: %v\n", flag.Arg(0), err)
		os.Exit(2)
	}
	share := float64(s.top) / float64(s.width*s.height)
	fmt.Printf("%dx%d, %d colours, the most common on %.1f%% of the screen\n", s.width, s.height, s.colours, 100*share)
	if s.colours < *minColours || share > *maxShare {
		fmt.Println("nothing drawn")
		os.Exit(1)
	}
}

// stats is what xwdcheck measures of a picture.
type stats struct {
	width, height int
	colours       int // distinct pixel values
	top           int // pixels of the most common value
}

// header is the fixed part of an XWD file (X11's XWDFileHeader, version 7),
// all fields big-endian 32-bit.
type header struct {
	HeaderSize, FileVersion, PixmapFormat, PixmapDepth, PixmapWidth, PixmapHeight uint32
	XOffset, ByteOrder, BitmapUnit, BitmapBitOrder, BitmapPad, BitsPerPixel       uint32
	BytesPerLine, VisualClass, RedMask, GreenMask, BlueMask, BitsPerRGB           uint32
	ColormapEntries, NColors, WindowWidth, WindowHeight, WindowX, WindowY         uint32
	WindowBorderWidth                                                             uint32
}

// readStats counts the pixel values of a ZPixmap XWD picture of 8, 16, 24 or
// 32 bits per pixel.
func readStats(r io.Reader) (stats, error) {
	var h header
	if err := binary.Read(r, binary.BigEndian, &h); err != nil {
		return stats{}, fmt.Errorf("header: %w", err)
	}
	const zPixmap = 2
	if h.FileVersion != 7 || h.PixmapFormat != zPixmap {
		return stats{}, fmt.Errorf("not a version 7 ZPixmap dump (version %d, format %d)", h.FileVersion, h.PixmapFormat)
	}
	bpp := int(h.BitsPerPixel)
	if bpp%8 != 0 || bpp == 0 || bpp > 32 || h.PixmapWidth == 0 || h.PixmapHeight == 0 ||
		int(h.BytesPerLine) < int(h.PixmapWidth)*bpp/8 || h.PixmapWidth*h.PixmapHeight > 1<<26 {
		return stats{}, fmt.Errorf("unsupported picture: %dx%d, %d bits per pixel, %d bytes per line",
			h.PixmapWidth, h.PixmapHeight, bpp, h.BytesPerLine)
	}
	// The window name ends the header; the colour map (12 bytes an entry) follows it.
	skip := int64(h.HeaderSize) - int64(binary.Size(h)) + 12*int64(h.NColors)
	if skip < 0 {
		return stats{}, fmt.Errorf("header size %d too small", h.HeaderSize)
	}
	if _, err := io.CopyN(io.Discard, r, skip); err != nil {
		return stats{}, fmt.Errorf("colour map: %w", err)
	}
	s := stats{width: int(h.PixmapWidth), height: int(h.PixmapHeight)}
	counts := map[uint32]int{}
	line := make([]byte, h.BytesPerLine)
	for y := 0; y < s.height; y++ {
		if _, err := io.ReadFull(r, line); err != nil {
			return stats{}, fmt.Errorf("row %d: %w", y, err)
		}
		for x := 0; x < s.width; x++ {
			var v uint32
			for _, b := range line[x*bpp/8 : (x+1)*bpp/8] {
				v = v<<8 | uint32(b) // byte order does not matter for counting
			}
			counts[v]++
		}
	}
	s.colours = len(counts)
	for _, n := range counts {
		s.top = max(s.top, n)
	}
	return s, nil
}
