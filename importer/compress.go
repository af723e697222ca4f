package importer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
)

// Compressed inputs. A .gz log is read through gzip as a stream, never
// unpacked to disk. Offsets, lines and rows of the events of a compressed
// file are positions in the DECOMPRESSED stream (what `zcat FILE` prints),
// since the compressed bytes have no lines to cite. Zip archives are
// handled entry by entry by ArchiveEntries; a log inside a zip is an
// ordinary entry.

var gzipMagic = []byte{0x1f, 0x8b}

// IsGzip reports whether head starts like a gzip stream.
func IsGzip(head []byte) bool { return bytes.HasPrefix(head, gzipMagic) }

// Decompress returns a reader of r's decompressed bytes when head (the
// file's first bytes) is a gzip stream, with the name the file has without
// its compression suffix ("access.log.gz" → "access.log") and
// compressed=true. Otherwise it returns r itself, name, false. Read errors
// of a corrupt stream surface from the returned reader.
func Decompress(name string, head []byte, r io.Reader) (out io.Reader, inner string, compressed bool, err error) {
	if !IsGzip(head) {
		return r, name, false, nil
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, name, true, Errorf(name, 0, "not a readable gzip file: %v", err)
	}
	inner = name
	for _, suf := range []string{".gz", ".gzip", ".tgz"} {
		if strings.HasSuffix(strings.ToLower(inner), suf) {
			inner = inner[:len(inner)-len(suf)]
			break
		}
	}
	if inner == name && zr.Name != "" {
		inner = zr.Name
	}
	return &gzipErrReader{zr: zr, name: name}, inner, true, nil
}

// DecompressedHead returns up to HeadSize decompressed bytes of a gzip head
// (for Detect), the inner name, and whether head was compressed. A head cut
// short mid-stream yields what could be read.
func DecompressedHead(name string, head []byte) ([]byte, string, bool) {
	r, inner, ok, err := Decompress(name, head, bytes.NewReader(head))
	if !ok || err != nil {
		return head, name, ok
	}
	buf := make([]byte, HeadSize)
	n, _ := io.ReadFull(r, buf)
	return buf[:n], inner, true
}

// gzipErrReader names the file in gzip's errors.
type gzipErrReader struct {
	zr   *gzip.Reader
	name string
}

func (g *gzipErrReader) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, Errorf(g.name, 0, "gzip: %v", err)
	}
	return n, err
}

// gunzipInput makes every access-log parser accept a gzip stream directly,
// whether it came through Detect or --format.
func gunzipInput(in Input) (Input, error) {
	br := bufio.NewReaderSize(in.R, HeadSize)
	head, _ := br.Peek(2)
	r, _, ok, err := Decompress(in.Name, head, br)
	if err != nil {
		return in, err
	}
	in.R = r
	if ok {
		in.Size = -1
	}
	return in, nil
}
