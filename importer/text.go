package importer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Text encodings Casebook recognises, as recorded on a source.
const (
	EncUTF8    = "utf-8"
	EncUTF8BOM = "utf-8-bom"
	EncUTF16LE = "utf-16le"
	EncUTF16BE = "utf-16be"
	Enc1252    = "windows-1252"
	Enc1251    = "windows-1251" // Cyrillic
	Enc1253    = "windows-1253" // Greek
	Enc1255    = "windows-1255" // Hebrew
	Enc1256    = "windows-1256" // Arabic
	EncGB18030 = "gb18030"
)

// SniffEncoding guesses the text encoding of a file from its first bytes: a
// byte-order mark wins; then valid UTF-8; then GB18030 when every high byte
// forms a valid GBK pair (or the file declares it); else the single-byte
// Windows code page under which the text reads most plausibly (see
// sniffCodePage), Windows-1252 when none reads better.
func SniffEncoding(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return EncUTF8BOM
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return EncUTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return EncUTF16BE
	}
	if validUTF8Prefix(head) {
		return EncUTF8
	}
	if declaresGB(head) || looksGB(head) {
		return EncGB18030
	}
	return sniffCodePage(head)
}

// codePages are the single-byte code pages SniffEncoding tells apart, the
// default first: another wins only by scoring at least minCodePageScore
// and strictly higher, so bytes that are not text at all stay Windows-1252.
// Unpointed Hebrew reads as plausible lower-case Cyrillic too; on a tie the
// Hebrew reading wins, because Cyrillic text read as Hebrew is not a tie
// (its capitals, ы, ь and я are not Hebrew letters, and its words put final
// letter forms in the middle).
var codePages = []struct {
	name string
	cm   *charmap.Charmap
}{
	{Enc1252, charmap.Windows1252},
	{Enc1255, charmap.Windows1255}, // before 1251: see plausibleWord on Hebrew
	{Enc1251, charmap.Windows1251},
	{Enc1256, charmap.Windows1256},
	{Enc1253, charmap.Windows1253},
}

// minCodePageScore is the least score with which a code page other than
// Windows-1252 wins: one stray letter is not evidence.
const minCodePageScore = 3

// singleByte is the table of a single-byte code page, nil for any other encoding.
func singleByte(enc string) *charmap.Charmap {
	for _, c := range codePages {
		if c.name == enc {
			return c.cm
		}
	}
	return nil
}

// sniffCodePage decodes head under each code page of codePages and keeps the
// one whose words read most plausibly (codePageScore).
func sniffCodePage(head []byte) string {
	best, bestScore := Enc1252, 0
	for i, c := range codePages {
		sc := codePageScore(head, c.cm)
		if i == 0 || (sc >= minCodePageScore && sc > bestScore) {
			best, bestScore = c.name, sc
		}
	}
	return best
}

// codePageScore scores head decoded with cm: every word (a run of letters
// and combining marks) holding characters from bytes above 0x7F adds the
// number of those characters when it reads like a word of a real language —
// one script only, no Latin letters inside a Cyrillic, Greek, Arabic or
// Hebrew word, lower, UPPER or Capitalised case, and for Latin words mostly
// plain ASCII letters around the accented ones — and subtracts it when it
// does not. A byte the code page leaves undefined, or one decoding to a C1
// control, costs undefinedByteCost. Text in the wrong code page shows up as words such as
// "ãæÞÚ" (Arabic read as Windows-1252) or "гжЮЪ" (read as Windows-1251).
func codePageScore(head []byte, cm *charmap.Charmap) int {
	score := 0
	var word []rune // the current word's characters
	var high []bool // whether each came from a byte above 0x7F
	flush := func() {
		if len(word) > 0 {
			score += wordScore(word, high)
		}
		word, high = word[:0], high[:0]
	}
	for _, b := range head {
		var r rune
		if b < 0x80 {
			r = rune(b)
		} else {
			r = cm.DecodeByte(b)
		}
		if r == utf8.RuneError || (r >= 0x80 && r < 0xA0) {
			score -= undefinedByteCost
			flush()
			continue
		}
		if unicode.IsLetter(r) || (len(word) > 0 && unicode.Is(unicode.Mn, r)) {
			word = append(word, r)
			high = append(high, b >= 0x80)
			continue
		}
		flush()
	}
	// The last word may be cut by the end of the head: not scored.
	return score
}

// undefinedByteCost is what a byte the code page leaves undefined costs:
// text written in a code page never holds one.
const undefinedByteCost = 20

// wordScore is ± the number of high-byte characters of one decoded word.
func wordScore(word []rune, high []bool) int {
	n := 0
	for _, h := range high {
		if h {
			n++
		}
	}
	if n == 0 {
		return 0
	}
	if plausibleWord(word, high, n) {
		return n
	}
	return -n
}

// plausibleWord applies the tests codePageScore describes, and two more that
// tell scripts with final letter forms apart: Hebrew's final forms (ך ם ן ף ץ)
// end a word and never start or sit inside one, and Greek's final sigma (ς)
// ends a word.
func plausibleWord(word []rune, high []bool, n int) bool {
	var script *unicode.RangeTable
	ascii := 0
	for i, r := range word {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if !high[i] {
			ascii++
		}
		s := scriptOf(r)
		if s == nil {
			return false
		}
		if script == nil {
			script = s
		} else if s != script {
			return false
		}
	}
	if script != unicode.Latin && ascii > 0 {
		return false
	}
	if script == unicode.Latin && n >= 2 && n*3 > len(word)*2 {
		return false // "ÇáÏì": a Latin word of accented letters only
	}
	if !plausibleFinals(word) {
		return false
	}
	return plausibleCase(word)
}

// plausibleFinals reports whether a word's final letter forms stand last.
func plausibleFinals(word []rune) bool {
	for i, r := range word[:len(word)-1] {
		if strings.ContainsRune("ךםןףץς", r) && !unicode.Is(unicode.Mn, word[i+1]) {
			return false
		}
	}
	return true
}

// scriptOf is the script of a letter among those the code pages cover.
func scriptOf(r rune) *unicode.RangeTable {
	for _, s := range []*unicode.RangeTable{unicode.Latin, unicode.Cyrillic, unicode.Arabic, unicode.Greek, unicode.Hebrew} {
		if unicode.Is(s, r) {
			return s
		}
	}
	return nil
}

// plausibleCase reports whether a word is all lower case, all upper case or
// Capitalised (letters without case, as in Arabic and Hebrew, fit any).
func plausibleCase(word []rune) bool {
	upper, lower, upperAfterFirst := 0, 0, 0
	for i, r := range word {
		switch {
		case unicode.IsUpper(r):
			upper++
			if i > 0 {
				upperAfterFirst++
			}
		case unicode.IsLower(r):
			lower++
		}
	}
	return upperAfterFirst == 0 || lower == 0
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut off at the end.
func validUTF8Prefix(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for cut := 1; cut <= 3 && cut < len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) && !utf8.FullRune(b[len(b)-cut:]) {
			return true
		}
	}
	return false
}

func declaresGB(head []byte) bool {
	h := bytes.ToLower(head[:min(len(head), 1024)])
	for _, d := range []string{"gb18030", "gb2312", "gbk"} {
		if bytes.Contains(h, []byte("charset="+d)) || bytes.Contains(h, []byte("encoding=\""+d)) ||
			bytes.Contains(h, []byte("encoding='"+d)) || bytes.Contains(h, []byte("charset=\""+d)) {
			return true
		}
	}
	return false
}

// looksGB reports whether every byte above 0x7F in head starts or ends a
// GBK double-byte (or GB18030 four-byte) sequence, with enough of them to
// tell, and most pairs end in a byte above 0x7F too, as every GB2312
// character does: "Müller" (ü then an ASCII "l") is a GBK pair by the
// rules, but a Western word, not Chinese.
func looksGB(head []byte) bool {
	pairs, highTrail := 0, 0
	for i := 0; i < len(head); i++ {
		c := head[i]
		if c < 0x80 {
			continue
		}
		if c == 0x80 || c == 0xFF || i+1 >= len(head) {
			return i+1 >= len(head) && pairs > 0 && highTrail*2 > pairs // allow a cut at the end
		}
		d := head[i+1]
		switch {
		case d >= 0x40 && d <= 0xFE && d != 0x7F:
			pairs++
			if d >= 0x80 {
				highTrail++
			}
			i++
		case d >= 0x30 && d <= 0x39 && i+3 < len(head): // four-byte form
			pairs++
			i += 3
		default:
			return false
		}
	}
	return pairs >= 2 && highTrail*2 > pairs
}

// Decoder returns the x/text decoder for a recorded encoding (nil for UTF-8).
func Decoder(enc string) *encoding.Decoder {
	switch enc {
	case EncUTF16LE:
		return xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewDecoder()
	case EncUTF16BE:
		return xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM).NewDecoder()
	case EncGB18030:
		return simplifiedchinese.GB18030.NewDecoder()
	}
	if cm := singleByte(enc); cm != nil {
		return cm.NewDecoder()
	}
	return nil
}

// BOMLen is the length of the byte-order mark an encoding starts with.
func BOMLen(enc string) int {
	switch enc {
	case EncUTF8BOM:
		return 3
	case EncUTF16LE, EncUTF16BE:
		return 2
	}
	return 0
}

// eachRecordLine calls fn for each non-blank line of lr with its 1-based row
// number and whether the line held bytes invalid in the file's encoding, and
// checks ctx every 4,096 rows. It returns how many rows there were; an error
// from fn stops it and is returned.
func eachRecordLine(ctx context.Context, lr *LineReader, fn func(l Line, row int, invalid bool) error) (int, error) {
	row := 0
	for {
		inv := lr.Invalid()
		l, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return row, nil
		}
		if err != nil {
			return row, err
		}
		if row%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return row, err
			}
		}
		if strings.TrimSpace(l.Text) == "" {
			continue
		}
		row++
		if err := fn(l, row, lr.Invalid() > inv); err != nil {
			return row, err
		}
	}
}

// Line is one line of a text file.
type Line struct {
	No     int    // 1-based line number
	Offset int64  // byte offset of the line's first byte in the original
	Len    int    // raw length in bytes, without the line end
	Text   string // the line decoded to UTF-8, without the line end
}

// LineReader reads a text file line by line in any supported encoding,
// splitting at LF, CRLF or CR-only line ends, and keeps the exact byte offset
// of every line in the original. Lines longer than the limit are an error,
// never a silent cut.
type LineReader struct {
	name    string
	r       *bufio.Reader
	enc     string
	dec     *encoding.Decoder
	wide    bool // UTF-16: two-byte units
	be      bool
	crOnly  bool
	max     int
	no      int
	off     int64
	buf     []byte
	invalid int
}

// NewLineReader sniffs the encoding and line ends of r and returns a reader
// of its lines. maxLine is the longest accepted raw line in bytes.
func NewLineReader(name string, r io.Reader, maxLine int) (*LineReader, error) {
	if maxLine <= 0 {
		maxLine = DefaultMaxLine
	}
	br := bufio.NewReaderSize(r, HeadSize)
	head, err := br.Peek(HeadSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, Errorf(name, 0, "read: %v", err)
	}
	enc := SniffEncoding(head)
	lr := &LineReader{name: name, r: br, enc: enc, dec: Decoder(enc), max: maxLine}
	lr.wide = enc == EncUTF16LE || enc == EncUTF16BE
	lr.be = enc == EncUTF16BE
	if lr.wide {
		lr.crOnly = !containsUnit(head, '\n', lr.be) && containsUnit(head, '\r', lr.be)
	} else {
		lr.crOnly = !bytes.Contains(head, []byte{'\n'}) && bytes.Contains(head, []byte{'\r'})
	}
	n := BOMLen(enc)
	if _, err := br.Discard(n); err != nil {
		return nil, Errorf(name, 0, "read: %v", err)
	}
	lr.off = int64(n)
	return lr, nil
}

func containsUnit(b []byte, c byte, be bool) bool {
	for i := 0; i+1 < len(b); i += 2 {
		if (be && b[i] == 0 && b[i+1] == c) || (!be && b[i] == c && b[i+1] == 0) {
			return true
		}
	}
	return false
}

// Encoding is the sniffed encoding's name.
func (lr *LineReader) Encoding() string { return lr.enc }

// Invalid counts lines that held bytes invalid in the sniffed encoding.
func (lr *LineReader) Invalid() int { return lr.invalid }

// Next returns the next line, or io.EOF after the last one.
func (lr *LineReader) Next() (Line, error) {
	var raw []byte
	var consumed int
	var err error
	if lr.wide {
		raw, consumed, err = lr.readWide()
	} else {
		raw, consumed, err = lr.readNarrow()
	}
	if err != nil {
		return Line{}, err
	}
	lr.no++
	l := Line{No: lr.no, Offset: lr.off, Len: len(raw)}
	lr.off += int64(consumed)
	l.Text = lr.decode(raw)
	return l, nil
}

func (lr *LineReader) tooLong() error {
	return Errorf(lr.name, lr.no+1, "line longer than the %d-byte limit", lr.max)
}

func (lr *LineReader) readNarrow() ([]byte, int, error) {
	delim := byte('\n')
	if lr.crOnly {
		delim = '\r'
	}
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.r.ReadSlice(delim)
		if len(lr.buf)+len(chunk) > lr.max+2 {
			return nil, 0, lr.tooLong()
		}
		lr.buf = append(lr.buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, 0, Errorf(lr.name, lr.no+1, "read: %v", err)
		}
		if errors.Is(err, io.EOF) && len(lr.buf) == 0 {
			return nil, 0, io.EOF
		}
		break
	}
	consumed := len(lr.buf)
	line := lr.buf
	if n := len(line); n > 0 && line[n-1] == delim {
		line = line[:n-1]
	}
	if !lr.crOnly {
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	if len(line) > lr.max {
		return nil, 0, lr.tooLong()
	}
	return line, consumed, nil
}

func (lr *LineReader) readWide() ([]byte, int, error) {
	lr.buf = lr.buf[:0]
	lf, cr := [2]byte{'\n', 0}, [2]byte{'\r', 0}
	if lr.be {
		lf, cr = [2]byte{0, '\n'}, [2]byte{0, '\r'}
	}
	end := lf
	if lr.crOnly {
		end = cr
	}
	var u [2]byte
	for {
		n, err := io.ReadFull(lr.r, u[:])
		if n == 1 { // odd trailing byte: keep it, the decoder will flag it
			lr.buf = append(lr.buf, u[0])
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				if len(lr.buf) == 0 {
					return nil, 0, io.EOF
				}
				break
			}
			return nil, 0, Errorf(lr.name, lr.no+1, "read: %v", err)
		}
		lr.buf = append(lr.buf, u[0], u[1])
		if u == end {
			break
		}
		if len(lr.buf) > lr.max+4 {
			return nil, 0, lr.tooLong()
		}
	}
	consumed := len(lr.buf)
	line := lr.buf
	if len(line) >= 2 && [2]byte{line[len(line)-2], line[len(line)-1]} == end {
		line = line[:len(line)-2]
	}
	if !lr.crOnly && len(line) >= 2 && [2]byte{line[len(line)-2], line[len(line)-1]} == cr {
		line = line[:len(line)-2]
	}
	if len(line) > lr.max {
		return nil, 0, lr.tooLong()
	}
	return line, consumed, nil
}

func (lr *LineReader) decode(raw []byte) string {
	if lr.dec == nil {
		if utf8.Valid(raw) {
			return string(raw)
		}
		lr.invalid++
		// Invalid UTF-8 in a UTF-8 file: read the line as Windows-1252, the
		// usual culprit, rather than losing its characters.
		if s, err := charmap.Windows1252.NewDecoder().Bytes(raw); err == nil {
			return string(s)
		}
		return strings.ToValidUTF8(string(raw), "\uFFFD")
	}
	s, err := lr.dec.Bytes(raw)
	if err != nil {
		lr.invalid++
		return strings.ToValidUTF8(string(raw), "\uFFFD")
	}
	if !utf8.Valid(s) {
		lr.invalid++
		return strings.ToValidUTF8(string(s), "\uFFFD")
	}
	return string(s)
}

// looksBinary reports whether head holds NUL bytes outside UTF-16 text, or
// many control characters: a file that is not text at all.
func looksBinary(head []byte) bool {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return false
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return false // zip containers (DOCX, archives) are handled by their own formats
	}
	ctrl := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctrl++
		}
	}
	return ctrl*20 > len(head)
}
