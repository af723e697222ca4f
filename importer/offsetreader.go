package importer

import (
	"bufio"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// OffsetReader reads a text file as UTF-8 and maps any offset in that
// decoded text back to the byte offset in the original file, so a record
// found in a Windows code page, GB18030 or UTF-16 file is still cited at its
// exact bytes. For UTF-8 the mapping is the identity shifted by the
// byte-order mark.
//
// The mapping is kept as runs of characters that have the same decoded and
// original widths; SourceOffset must be asked for ascending offsets, and
// forgets the runs behind the one asked for, so memory stays bounded by what
// has been read ahead.
type OffsetReader struct {
	r    *bufio.Reader
	enc  string
	bom  int64
	dec  *encoding.Decoder // nil for UTF-8
	src  int64             // original offset of the next byte of r
	out  int64             // decoded offset of the next decoded byte
	buf  []byte            // decoded bytes not yet read
	runs []offsetRun
	err  error
}

// offsetRun is n characters, each dl bytes decoded and sl bytes in the
// original, starting at decoded offset out and original offset src.
type offsetRun struct {
	out, src int64
	dl, sl   int64
	n        int64
}

// NewOffsetReader sniffs r's encoding, skips the byte-order mark and returns
// a reader of the text as UTF-8 together with the encoding's name.
func NewOffsetReader(r io.Reader) (*OffsetReader, string, error) {
	br := bufio.NewReaderSize(r, HeadSize)
	head, err := br.Peek(HeadSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	enc := SniffEncoding(head)
	bom := BOMLen(enc)
	if _, err := br.Discard(bom); err != nil {
		return nil, "", err
	}
	o := &OffsetReader{r: br, enc: enc, bom: int64(bom), dec: Decoder(enc), src: int64(bom)}
	return o, enc, nil
}

// Read implements io.Reader over the decoded text.
func (o *OffsetReader) Read(p []byte) (int, error) {
	if o.dec == nil {
		return o.r.Read(p)
	}
	for len(o.buf) < len(p) && o.err == nil {
		o.decodeOne()
	}
	n := copy(p, o.buf)
	o.buf = o.buf[n:]
	if n == 0 && o.err != nil {
		return 0, o.err
	}
	if len(o.buf) == 0 {
		o.buf = nil
	}
	return n, nil
}

// decodeOne decodes the next character of the original into buf and
// records its widths.
func (o *OffsetReader) decodeOne() {
	c, err := o.r.ReadByte()
	if err != nil {
		o.err = err
		return
	}
	var sl int
	var dec [utf8.UTFMax * 2]byte
	var dl int
	switch {
	case c < 0x80 && o.enc != EncUTF16LE && o.enc != EncUTF16BE:
		dec[0], dl, sl = c, 1, 1
	case singleByte(o.enc) != nil:
		dl = utf8.EncodeRune(dec[:], singleByte(o.enc).DecodeByte(c))
		sl = 1
	default:
		// Offer the decoder one more byte at a time until it takes some:
		// what it takes is exactly one character (or one invalid byte).
		_ = o.r.UnreadByte()
		for k := 1; k <= 4; k++ {
			peek, perr := o.r.Peek(k)
			atEOF := perr != nil
			o.dec.Reset()
			nd, ns, terr := o.dec.Transform(dec[:], peek, atEOF)
			if ns > 0 || (terr != nil && !errors.Is(terr, transform.ErrShortSrc)) || atEOF {
				if ns == 0 {
					ns = max(1, len(peek))
					nd = utf8.EncodeRune(dec[:], utf8.RuneError)
				}
				dl, sl = nd, ns
				break
			}
		}
		if sl == 0 { // never settled: one invalid byte
			dl, sl = utf8.EncodeRune(dec[:], utf8.RuneError), 1
		}
		_, _ = o.r.Discard(sl)
	}
	o.buf = append(o.buf, dec[:dl]...)
	o.note(int64(dl), int64(sl))
}

// note records one character of widths dl (decoded) and sl (original).
func (o *OffsetReader) note(dl, sl int64) {
	if k := len(o.runs) - 1; k >= 0 && o.runs[k].dl == dl && o.runs[k].sl == sl {
		o.runs[k].n++
	} else {
		o.runs = append(o.runs, offsetRun{out: o.out, src: o.src, dl: dl, sl: sl, n: 1})
	}
	o.out += dl
	o.src += sl
}

// SourceOffset returns the byte offset in the original of the decoded
// offset d. Offsets must be asked for in ascending order.
func (o *OffsetReader) SourceOffset(d int64) int64 {
	if o.dec == nil {
		return d + o.bom
	}
	i := 0
	for i+1 < len(o.runs) && o.runs[i+1].out <= d {
		i++
	}
	if i > 0 {
		o.runs = o.runs[i:]
	}
	if len(o.runs) == 0 || d < o.runs[0].out {
		return o.bom + min(d, o.src-o.bom)
	}
	r := o.runs[0]
	k := (d - r.out) / r.dl
	if k > r.n {
		k = r.n
	}
	return r.src + k*r.sl
}

// DecodedReader sniffs r's encoding and returns a reader of its text as
// UTF-8, without the byte-order mark, and the encoding's name. Use
// NewOffsetReader when offsets in the original are needed.
func DecodedReader(r io.Reader) (io.Reader, string, error) {
	o, enc, err := NewOffsetReader(r)
	if err != nil {
		return nil, "", err
	}
	return o, enc, nil
}
