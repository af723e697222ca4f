package reports

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// ManifestDigest is the SHA-256 of a manifest as printed in the report.
func ManifestDigest(m []byte) string {
	h := sha256.Sum256(m)
	return hex.EncodeToString(h[:])
}

// ReadBack is what can be read back from a PDF that Write produced.
type ReadBack struct {
	Manifest []byte   // the attached manifest, nil when there is none
	Pages    []string // the text drawn, one string per content stream in file order
}

// maxStream bounds what one stream may inflate to (a hostile PDF).
const maxStream = 256 << 20

var (
	streamStart = regexp.MustCompile(`(?s)<<(.{0,600}?)>>\s*stream\r?\n`)
	lengthKey   = regexp.MustCompile(`/Length (\d+)`)
)

// Read reads a report written by Write: its attached manifest and the text of
// its pages. It understands the PDFs Casebook writes (uncompressed object
// structure, Flate streams, text as UTF-16 strings), not PDFs in general: a
// report rewritten by another program is refused with the reason.
func Read(pdf []byte) (ReadBack, error) {
	var out ReadBack
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return out, errors.New("not a PDF")
	}
	for pos := 0; ; {
		loc := streamStart.FindSubmatchIndex(pdf[pos:])
		if loc == nil {
			break
		}
		dict := string(pdf[pos+loc[2] : pos+loc[3]])
		begin := pos + loc[1]
		m := lengthKey.FindStringSubmatch(dict)
		if m == nil {
			return out, fmt.Errorf("a stream at byte %d has no length: not a PDF as Casebook writes them", begin)
		}
		n, _ := strconv.Atoi(m[1])
		if n < 0 || begin+n > len(pdf) {
			return out, fmt.Errorf("a stream at byte %d runs past the end of the file", begin)
		}
		raw := pdf[begin : begin+n]
		pos = begin + n
		if strings.Contains(dict, "/Length1") || strings.Contains(dict, "/Subtype /Image") {
			continue // a font program or an image
		}
		body := raw
		if strings.Contains(dict, "/FlateDecode") {
			zr, err := zlib.NewReader(bytes.NewReader(raw))
			if err != nil {
				return out, fmt.Errorf("a stream at byte %d cannot be inflated: %w", begin, err)
			}
			body, err = io.ReadAll(io.LimitReader(zr, maxStream))
			if err != nil {
				return out, fmt.Errorf("a stream at byte %d cannot be inflated: %w", begin, err)
			}
		}
		if strings.Contains(dict, "/EmbeddedFile") {
			if out.Manifest != nil {
				return out, errors.New("more than one file is attached")
			}
			out.Manifest = body
			continue
		}
		if bytes.Contains(body, []byte("BT")) {
			out.Pages = append(out.Pages, drawnText(body))
		}
	}
	return out, nil
}

// drawnText returns the strings a content stream shows (Tj and TJ), each text
// object on a line of its own.
func drawnText(cs []byte) string {
	var b strings.Builder
	for i := 0; i < len(cs); i++ {
		switch cs[i] {
		case '(':
			s, end := literal(cs, i)
			b.WriteString(decodeUTF16(s))
			i = end
		case 'E':
			if i+1 < len(cs) && cs[i+1] == 'T' && (i == 0 || isSpace(cs[i-1])) {
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// literal reads the PDF string literal starting at cs[i] == '(' and returns
// its bytes and the index of its closing parenthesis.
func literal(cs []byte, i int) ([]byte, int) {
	var out []byte
	depth := 0
	for j := i; j < len(cs); j++ {
		c := cs[j]
		switch {
		case c == '\\' && j+1 < len(cs):
			j++
			switch e := cs[j]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r', '\n':
				// a line continuation
			default:
				if e >= '0' && e <= '7' {
					v, k := 0, 0
					for ; k < 3 && j+k < len(cs) && cs[j+k] >= '0' && cs[j+k] <= '7'; k++ {
						v = v*8 + int(cs[j+k]-'0')
					}
					out = append(out, byte(v))
					j += k - 1
				} else {
					out = append(out, e)
				}
			}
		case c == '(':
			if depth > 0 {
				out = append(out, c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return out, j
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out, len(cs)
}

// decodeUTF16 decodes the big-endian UTF-16 of Casebook's Unicode fonts.
func decodeUTF16(b []byte) string {
	if len(b)%2 != 0 {
		return string(b)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}
