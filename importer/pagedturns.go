package importer

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"casebook/model"
)

// What the hearing and court transcript parsers share: the whole file read
// as lines (their layouts need to look ahead and at the whole hearing to
// tell a speaker line from a short paragraph), and the step that assembles
// turns, and the notes between them, from content lines that carry their
// page and line, into segments cited by page and line.

// maxPagedBytes bounds the transcripts read whole: a printed hearing of a
// thousand pages is a few megabytes.
const maxPagedBytes = 128 << 20

// readAllLines reads every line of the input, refusing files larger than
// maxPagedBytes with an error naming the line.
func readAllLines(ctx context.Context, in Input) ([]Line, *LineReader, error) {
	lr, err := NewLineReader(in.Name, in.R, in.Opts.LineLimit())
	if err != nil {
		return nil, nil, err
	}
	var lines []Line
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		l, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if l.Offset > maxPagedBytes {
			return nil, nil, Errorf(in.Name, l.No, "a transcript of more than %d MiB: split it into volumes", maxPagedBytes>>20)
		}
		lines = append(lines, l)
	}
	return lines, lr, nil
}

// where is the place of one content line: in the file and on the page.
type where struct {
	no         int   // line in the file
	off        int64 // byte offset of the line
	length     int   // bytes of the line
	page, line int   // page and line on the page (0 when not paginated / not numbered)
}

func lineWhere(l Line, page, pline int) where {
	return where{no: l.No, off: l.Offset, length: l.Len, page: page, line: pline}
}

// pagedTurns assembles segments: a turn opens with a speaker, content lines
// add to it, a note (a bracketed or parenthesised remark of the reporter) is
// a segment of its own without a speaker, and text after a note without a
// new speaker continues the last speaker in a new segment. Segments before
// the first turn (the caption of the transcript) are held back and sent
// with the first turn, so nothing is sent from a file that is not this
// format.
type pagedTurns struct {
	w        *segWriter
	cur      *model.Segment
	raw      strings.Builder
	hyphen   bool   // the text so far ends with a word broken at the line end
	speaker  string // the speaker a line without a header continues
	turns    int
	inNote   bool
	pending  []*model.Segment
	lastText string // the last content line added, for the layouts' look-behind
}

func newPagedTurns(ctx context.Context, sink Sink) *pagedTurns {
	return &pagedTurns{w: newSegWriter(ctx, sink)}
}

// turn closes what is open and opens a turn of speaker at p, with the words
// on the header line.
func (b *pagedTurns) turn(speaker string, p where, startMS int64, text string) error {
	if err := b.close(); err != nil {
		return err
	}
	b.turns++
	for _, s := range b.pending {
		if err := b.w.emit(s); err != nil {
			return err
		}
	}
	b.pending = nil
	b.speaker = speaker
	b.open(speaker, p, startMS)
	b.add(text, p)
	return nil
}

// note closes what is open and opens a note at p; notes have no speaker.
func (b *pagedTurns) note(p where, text string) error {
	if err := b.close(); err != nil {
		return err
	}
	b.open("", p, -1)
	b.inNote = true
	b.add(text, p)
	return nil
}

func (b *pagedTurns) open(speaker string, p where, startMS int64) {
	b.cur = newSeg(p.no, p.off)
	b.cur.Speaker, b.cur.StartMS = speaker, startMS
	b.cur.Length = int64(p.length)
	if p.page > 0 {
		b.cur.Page, b.cur.PageLine, b.cur.EndPage, b.cur.EndPageLine = p.page, p.line, p.page, p.line
	}
}

// add appends a content line's text to the open segment, opening one for
// the last speaker when none is, and extends its span in the file and on
// the page. A word broken at the end of the previous line ("co-" then
// "founder") is joined again.
func (b *pagedTurns) add(text string, p where) {
	if b.cur == nil {
		b.open(b.speaker, p, -1)
	}
	if text = strings.TrimSpace(text); text != "" {
		if b.raw.Len() > 0 && !(b.hyphen && startsLower(text)) {
			b.raw.WriteByte(' ')
		}
		b.raw.WriteString(text)
		b.hyphen = brokenWord(text)
		b.lastText = text
	}
	if end := p.off + int64(p.length); end-b.cur.Offset > b.cur.Length {
		b.cur.Length = end - b.cur.Offset
	}
	if p.page > 0 {
		if b.cur.Page == 0 {
			b.cur.Page, b.cur.PageLine = p.page, p.line
		}
		if p.page > b.cur.EndPage || (p.page == b.cur.EndPage && p.line > b.cur.EndPageLine) {
			b.cur.EndPage, b.cur.EndPageLine = p.page, p.line
		}
	}
}

// close sends the open segment (or holds it back before the first turn).
func (b *pagedTurns) close() error {
	b.inNote = false
	if b.cur == nil {
		return nil
	}
	b.cur.Text = cleanText(b.raw.String())
	b.raw.Reset()
	b.hyphen = false
	s := b.cur
	b.cur = nil
	if b.turns == 0 {
		b.pending = append(b.pending, s)
		return nil
	}
	return b.w.emit(s)
}

// brokenWord reports whether s ends with a word cut at a hyphen ("co-"),
// not with a dash ("--") or a lone hyphen.
func brokenWord(s string) bool {
	if !strings.HasSuffix(s, "-") || strings.HasSuffix(s, "--") || len(s) < 2 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:len(s)-1])
	return unicode.IsLetter(r)
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// Dates written out in the heading of a hearing or a court transcript:
// "WEDNESDAY, JANUARY 31, 2024", "May 29, 2024", "06/24/2025 02:30 PM EDT".
var (
	monthDate = regexp.MustCompile(`(?i)\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\s?\d)\b`)
	slashDate = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b`)
	months    = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
)

// writtenDate finds a date written out in s ("TUESDAY, MARCH 23, 2023",
// "May 29, 2024", US "06/24/2025") or as YYYY-MM-DD, as YYYY-MM-DD.
func writtenDate(s string) string {
	if m := monthDate.FindStringSubmatch(s); m != nil {
		mo := months[strings.ToLower(m[1])[:3]]
		d, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(strings.ReplaceAll(m[3], " ", "")) // "202 4": a space read into the year
		if v := isoDate(y, mo, d); v != "" {
			return v
		}
	}
	if m := slashDate.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[1])
		d, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		if v := isoDate(y, mo, d); v != "" {
			return v
		}
	}
	return dateInText(s)
}

// isoDate renders a valid calendar date as YYYY-MM-DD, else "".
func isoDate(y, m, d int) string {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return ""
	}
	v := strconv.Itoa(y) + "-" + twoDigits(m) + "-" + twoDigits(d)
	if DateFromName(v) != v {
		return ""
	}
	return v
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
