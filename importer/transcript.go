package importer

import (
	"context"
	"html"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"casebook/model"
)

// Helpers shared by the transcript parsers: numbering and forwarding
// segments, cleaning cue text, reading clock times and seconds, collecting
// warnings, and deciding the date a transcript describes.

// segWriter numbers segments in order and forwards them to a sink, checking
// the context every so often.
type segWriter struct {
	ctx  context.Context
	sink Sink
	seq  int
}

func newSegWriter(ctx context.Context, sink Sink) *segWriter {
	return &segWriter{ctx: ctx, sink: sink}
}

// emit numbers s and sends it. Segments without text are dropped.
func (w *segWriter) emit(s *model.Segment) error {
	if s.Text == "" {
		return nil
	}
	if s.Offset < 0 {
		s.Offset = 0
	}
	if s.Length < 0 {
		s.Length = 0
	}
	w.seq++
	s.Seq = w.seq
	if w.seq%256 == 0 {
		if err := w.ctx.Err(); err != nil {
			return err
		}
	}
	return w.sink.Segment(s)
}

// newSeg returns a segment with unknown times at a place in the original.
func newSeg(line int, off int64) *model.Segment {
	return &model.Segment{StartMS: -1, EndMS: -1, Line: line, Offset: off}
}

// warnings groups repeated lenient problems into one warning each, naming
// how often they happened and the first lines where they did.
type warnings struct {
	order []string
	lines map[string][]int
	count map[string]int
}

func (w *warnings) add(line int, msg string) {
	if w.lines == nil {
		w.lines, w.count = map[string][]int{}, map[string]int{}
	}
	if _, ok := w.count[msg]; !ok {
		w.order = append(w.order, msg)
	}
	w.count[msg]++
	if len(w.lines[msg]) < 10 {
		w.lines[msg] = append(w.lines[msg], line)
	}
}

// flush sends one warning per kind of problem to sink.
func (w *warnings) flush(sink Sink) {
	for _, msg := range w.order {
		n, ls := w.count[msg], w.lines[msg]
		if n == 1 {
			sink.Warn(ls[0], msg)
			continue
		}
		parts := make([]string, len(ls))
		for i, l := range ls {
			parts[i] = strconv.Itoa(l)
		}
		more := ""
		if n > len(ls) {
			more = ", …"
		}
		sink.Warn(ls[0], msg+" ("+strconv.Itoa(n)+" times: lines "+strings.Join(parts, ", ")+more+")")
	}
	w.order, w.lines, w.count = nil, nil, nil
}

// stripTags removes markup: <tag …>, </tag>, </>, timestamp tags such as
// <00:00:01.000>, and ASS overrides such as {\an8}. A '<' or '{' that does
// not open such a tag is kept.
func stripTags(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '<' && c != '{' {
			continue
		}
		end := tagEnd(s, i)
		if end < 0 {
			continue
		}
		if b.Cap() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:i])
		last = end
		i = end - 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// tagEnd returns the index just after the tag starting at s[i], or -1.
func tagEnd(s string, i int) int {
	rest := s[i+1:]
	if s[i] == '{' {
		if !strings.HasPrefix(rest, "\\") {
			return -1
		}
		j := strings.IndexAny(rest, "{}")
		if j < 0 || rest[j] != '}' {
			return -1
		}
		return i + 1 + j + 1
	}
	if rest == "" {
		return -1
	}
	c := rest[0]
	switch {
	case c == '/' && len(rest) > 1 && rest[1] == '>':
		return i + 3
	case c == '/' && len(rest) > 1 && isASCIILetter(rest[1]), isASCIILetter(c):
		j := strings.IndexAny(rest, "<>")
		if j < 0 || rest[j] != '>' {
			return -1
		}
		return i + 1 + j + 1
	case c >= '0' && c <= '9':
		j := 1
		for j < len(rest) && (rest[j] >= '0' && rest[j] <= '9' || rest[j] == ':' || rest[j] == '.' || rest[j] == ',') {
			j++
		}
		if j < len(rest) && rest[j] == '>' {
			return i + 1 + j + 1
		}
	}
	return -1
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

var (
	// invisible formatting characters dropped from clean text
	invisible = strings.NewReplacer("\u200e", "", "\u200f", "", "\ufeff", "", "\u200b", "", "\u202a", "",
		"\u202b", "", "\u202c", "", "\u202d", "", "\u202e", "", "\u2066", "", "\u2067", "", "\u2068", "", "\u2069", "")
)

// cleanText strips markup tags (<i>, <b>, <font …>, <c.class>, <v …>,
// timestamp tags, {\an8}), decodes HTML entities, drops bidi and zero-width
// marks and collapses whitespace.
func cleanText(s string) string {
	if strings.ContainsAny(s, "<{") {
		s = stripTags(s)
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0xE2) >= 0 || strings.IndexByte(s, 0xEF) >= 0 {
		s = invisible.Replace(s)
	}
	return collapseSpace(s)
}

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string {
	prevSpace := true // at the start, a space would be leading
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c == ' ' && prevSpace) {
				return strings.Join(strings.Fields(s), " ")
			}
			prevSpace = c == ' '
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return strings.Join(strings.Fields(s), " ")
		}
		prevSpace = false
		i += size
	}
	if prevSpace && s != "" {
		return strings.TrimRight(s, " ")
	}
	return s
}

// parseClock reads a clock time: H:MM:SS.mmm, HH:MM:SS,mmm, MM:SS.mmm,
// M:SS, H:MM:SS, or unpadded forms such as 0:0:0.570, into milliseconds.
func parseClock(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	frac := ""
	if i := strings.LastIndexAny(s, ".,"); i >= 0 {
		frac, s = s[i+1:], s[:i]
		if frac == "" || len(frac) > 9 || !allDigits(frac) {
			return 0, false
		}
	}
	n := strings.Count(s, ":")
	if n < 1 || n > 2 {
		return 0, false
	}
	var ms int64
	for i := 0; i <= n; i++ {
		p := s
		if j := strings.IndexByte(s, ':'); j >= 0 {
			p, s = s[:j], s[j+1:]
		}
		if p == "" || len(p) > 9 || !allDigits(p) {
			return 0, false
		}
		v, _ := strconv.ParseInt(p, 10, 64)
		if i > 0 && v > 59 {
			return 0, false
		}
		ms = ms*60 + v
	}
	ms *= 1000
	if frac != "" {
		f := (frac + "000")[:3]
		v, _ := strconv.ParseInt(f, 10, 64)
		ms += v
	}
	return ms, true
}

// maxMS bounds the times accepted from files: 100,000 hours.
const maxMS = int64(100000) * 3600 * 1000

// secondsToMS turns seconds into milliseconds, refusing NaN, infinities,
// negative and absurd values.
func secondsToMS(f float64) (int64, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f*1000 > float64(maxMS) {
		return 0, false
	}
	return int64(math.Round(f * 1000)), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

var contentDate = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[^0-9]|$)`)

// dateInText finds the first valid YYYY-MM-DD date written in s.
func dateInText(s string) string {
	for _, m := range contentDate.FindAllStringSubmatch(s, -1) {
		d := m[1] + "-" + m[2] + "-" + m[3]
		if DateFromName(d) == d {
			return d
		}
	}
	return ""
}

// describes decides the date a transcript describes: the investigator's
// choice, else the date the content gives, else one in the file name.
func describes(in Input, fromContent string) string {
	switch {
	case in.Opts.Date != "":
		return in.Opts.Date
	case fromContent != "":
		return fromContent
	}
	return DateFromName(in.Name)
}

// transcriptMeta builds the Meta every transcript parser returns.
func transcriptMeta(in Input, enc, title, date string) Meta {
	return Meta{Encoding: enc, Title: title, Describes: describes(in, date), TimeZone: in.Opts.Location().String()}
}

// headText decodes the head given to Detect (any supported encoding, a cut
// character at the end tolerated) and turns CRLF and CR line ends into LF.
func headText(head []byte) string {
	enc := SniffEncoding(head)
	b := head[BOMLen(enc):]
	var s string
	if d := Decoder(enc); d != nil {
		if enc == EncUTF16LE || enc == EncUTF16BE {
			b = b[:len(b)&^1]
		}
		out, err := d.Bytes(b)
		if err != nil {
			s = strings.ToValidUTF8(string(b), "\uFFFD")
		} else {
			s = string(out)
		}
	} else {
		s = string(b)
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s
}

// headLines returns up to n lines of the decoded head, the last (possibly
// cut) line dropped when the head fills HeadSize.
func headLines(head []byte, n int) []string {
	s := headText(head)
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	} else if len(head) >= HeadSize && len(lines) > 1 {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// nameHas reports whether the file name ends with one of the extensions
// (case-insensitive), which adds a few points of confidence.
func nameHas(name string, exts ...string) bool {
	n := strings.ToLower(name)
	for _, e := range exts {
		if strings.HasSuffix(n, e) {
			return true
		}
	}
	return false
}

// lineIndex maps byte offsets to 1-based line numbers in data held in memory.
type lineIndex struct {
	nl []int // offsets of '\n' (or lone '\r')
}

func newLineIndex(data []byte) *lineIndex {
	li := &lineIndex{}
	for i, c := range data {
		if c == '\n' || (c == '\r' && (i+1 >= len(data) || data[i+1] != '\n')) {
			li.nl = append(li.nl, i)
		}
	}
	return li
}

// line returns the 1-based line holding the byte at off.
func (li *lineIndex) line(off int64) int {
	return sort.Search(len(li.nl), func(i int) bool { return int64(li.nl[i]) >= off }) + 1
}

// splitSpeaker splits "Name: text" at the start of a caption line (Zoom
// transcripts, SubRip speaker prefixes) into the normalized name and the
// text: a name of one to six words, the first starting with a capital letter
// or a digit, optionally after a dash. ok is false when s does not start with
// a speaker.
func splitSpeaker(s string) (name, text string, ok bool) {
	i := strings.IndexByte(s, ':')
	if i < 1 || i > 400 || i+1 >= len(s) || (s[i+1] != ' ' && s[i+1] != '\t') {
		return "", s, false
	}
	text = strings.TrimLeft(s[i+1:], " \t")
	if text == "" {
		return "", s, false
	}
	if r, _ := utf8.DecodeRuneInString(text); unicode.IsSpace(r) {
		return "", s, false
	}
	n := s[:i]
	if strings.HasPrefix(n, "-") {
		n = n[1:]
	} else if strings.HasPrefix(n, "–") {
		n = n[len("–"):]
	}
	n = strings.TrimLeft(n, " \t\r\n\f")
	n = strings.TrimRight(n, " \t")
	words := strings.FieldsFunc(n, func(r rune) bool { return r == ' ' || r == '\t' })
	if len(words) == 0 || len(words) > 6 {
		return "", s, false
	}
	for k, w := range words {
		for j, r := range w {
			if k == 0 && j == 0 {
				if !unicode.IsUpper(r) && !unicode.IsNumber(r) {
					return "", s, false
				}
				continue
			}
			if unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r) || strings.ContainsRune(".'’-", r) ||
				(k > 0 && (r == '(' || r == ')')) {
				continue
			}
			return "", s, false
		}
	}
	return NormalizeSpeaker(n), text, true
}
