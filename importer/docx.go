package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"casebook/model"
)

// DOCX transcripts (Word, Google Meet and Microsoft Teams exports). The
// paragraphs of word/document.xml are read in order; a speaker paragraph
// is "Name  0:05" or "Name 00:01:02" (Teams, the words in the paragraphs
// that follow), "Name: text", or starts with a bold run naming the speaker.
// A paragraph holding only a time sets the start of the next segment.
// docProps/core.xml gives the title and the date (dcterms:created).
//
// Subtitles typed or pasted into Word (paragraphs holding cue numbers,
// "00:02:17,400 --> 00:02:20,400" timing lines and the cue text, one line a
// paragraph) are read as the SubRip or WebVTT cues they are (docxCues).
//
// A DOCX is compressed, so a segment cannot point into the file's bytes:
// Line is the 1-based paragraph number in word/document.xml and Offset is 0.

const (
	docxMaxFile  = 64 << 20  // largest .docx read into memory
	docxMaxEntry = 64 << 20  // largest uncompressed part read
	docxMaxTotal = 128 << 20 // all parts read together
)

func init() {
	Register(Format{
		Name:    "docx",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "Word transcript (.docx; Line = paragraph number, Offset 0)",
		Detect:  detectDOCX,
		Parse:   parseDOCX,
	})
}

var zipMagic = []byte("PK\x03\x04")

func detectDOCX(name string, head []byte) int {
	if !bytes.HasPrefix(head, zipMagic) {
		return 0
	}
	if bytes.Contains(head, []byte("word/")) {
		return 90
	}
	if nameHas(name, ".docx") {
		return 80
	}
	return 0
}

// docxPara is one paragraph: its text and the text of its leading bold runs.
type docxPara struct {
	text string
	bold string
}

var (
	docxTimed   = regexp.MustCompile(`^(\S.{0,79}?)[ \t\x{00a0}]+(\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)$`)
	docxTimeOne = regexp.MustCompile(`^\[?(\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\]?$`)
)

func parseDOCX(ctx context.Context, in Input, sink Sink) (Meta, error) {
	data, err := io.ReadAll(io.LimitReader(in.R, docxMaxFile+1))
	if err != nil {
		return Meta{}, Errorf(in.Name, 0, "read: %v", err)
	}
	if len(data) > docxMaxFile {
		return Meta{}, Errorf(in.Name, 0, "DOCX larger than %d MiB", docxMaxFile>>20)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Meta{}, Errorf(in.Name, 0, "not a DOCX file: %v", err)
	}
	budget := int64(docxMaxTotal)
	var docXML, coreXML []byte
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			if docXML, err = readZipPart(f, &budget); err != nil {
				return Meta{}, Errorf(in.Name, 0, "%v", err)
			}
		case "docProps/core.xml":
			if coreXML, err = readZipPart(f, &budget); err != nil {
				return Meta{}, Errorf(in.Name, 0, "%v", err)
			}
		}
	}
	if docXML == nil {
		return Meta{}, Errorf(in.Name, 0, "not a DOCX file: no word/document.xml")
	}
	title, date := docxCore(coreXML)
	paras, err := docxParagraphs(ctx, docXML)
	if err != nil {
		return Meta{}, Errorf(in.Name, 0, "word/document.xml: %v", err)
	}
	if format := docxCueFormat(paras); format != "" {
		return docxCues(ctx, in, sink, paras, format, title, date)
	}
	w := newSegWriter(ctx, sink)
	var cur *model.Segment
	var raw strings.Builder
	nextMS := int64(-1)
	flush := func() error {
		if cur == nil {
			return nil
		}
		cur.Text = collapseSpace(raw.String())
		raw.Reset()
		s := cur
		cur = nil
		return w.emit(s)
	}
	start := func(no int, speaker, text string, ms int64) error {
		if err := flush(); err != nil {
			return err
		}
		cur = newSeg(no, 0)
		cur.Speaker, cur.StartMS = NormalizeSpeaker(speaker), ms
		if ms < 0 {
			cur.StartMS = nextMS
		}
		nextMS = -1
		raw.WriteString(text)
		return nil
	}
	for i, p := range paras {
		no := i + 1
		t := collapseSpace(p.text)
		var err error
		switch {
		case t == "":
			continue
		case docxTimeOne.MatchString(t):
			m := docxTimeOne.FindStringSubmatch(t)
			if ms, ok := parseClock(m[1]); ok {
				nextMS = ms
			}
			continue
		case docxTimedHeader(p.text):
			m := docxTimed.FindStringSubmatch(t)
			ms, ok := parseClock(m[2])
			if !ok {
				ms = -1
			}
			err = start(no, m[1], "", ms)
		case p.bold != "" && len([]rune(p.bold)) <= 60 && strings.Trim(p.bold, ": ") != "":
			name := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(p.bold), ":"))
			rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p.text), strings.TrimSpace(p.bold)))
			rest = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
			err = start(no, name, rest, -1)
		default:
			if name, text, ok := splitSpeaker(t); ok {
				err = start(no, name, text, -1)
			} else if cur == nil {
				err = start(no, "", t, -1)
			} else {
				raw.WriteByte(' ')
				raw.WriteString(t)
			}
		}
		if err != nil {
			return Meta{}, err
		}
	}
	if err := flush(); err != nil {
		return Meta{}, err
	}
	return transcriptMeta(in, EncUTF8, title, date), nil
}

// docxTimedHeader reports whether a paragraph is "Name  0:05": a short name
// set off from the time by two or more spaces or a tab (Teams), or a name
// whose every word is capitalized ("Mia Chen 0:05"), so that a sentence
// ending in a time ("we start at 10:30") is not taken for a speaker.
func docxTimedHeader(raw string) bool {
	t := collapseSpace(raw)
	if len(t) > 300 {
		return false
	}
	m := docxTimed.FindStringSubmatch(t)
	if m == nil {
		return false
	}
	words := strings.Fields(m[1])
	if len(words) > 6 {
		return false
	}
	trimmed := strings.TrimRight(raw, " \t\u00a0")
	before := strings.TrimSuffix(trimmed, m[2])
	if strings.HasSuffix(before, "  ") || strings.HasSuffix(before, "\t") || strings.HasSuffix(before, "\u00a0 ") {
		return true
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsNumber(r) {
			return false
		}
	}
	return true
}

// readZipPart reads one part of a DOCX, refusing parts larger than
// docxMaxEntry and stopping once the budget for all parts is spent.
func readZipPart(f *zip.File, budget *int64) ([]byte, error) {
	if f.UncompressedSize64 > docxMaxEntry {
		return nil, errors.New(f.Name + ": part larger than 64 MiB")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, errors.New(f.Name + ": " + err.Error())
	}
	defer rc.Close()
	lim := min(int64(docxMaxEntry), *budget)
	b, err := io.ReadAll(io.LimitReader(rc, lim+1))
	if err != nil {
		return nil, errors.New(f.Name + ": " + err.Error())
	}
	if int64(len(b)) > lim {
		return nil, errors.New(f.Name + ": uncompressed size over the limit")
	}
	*budget -= int64(len(b))
	return b, nil
}

// docxCore reads the title and creation date from docProps/core.xml.
func docxCore(data []byte) (title, date string) {
	if data == nil {
		return "", ""
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var in string
	for {
		tok, err := d.Token()
		if err != nil {
			return title, date
		}
		switch t := tok.(type) {
		case xml.StartElement:
			in = t.Name.Local
		case xml.EndElement:
			in = ""
		case xml.CharData:
			switch in {
			case "title":
				if title == "" {
					title = collapseSpace(string(t))
				}
			case "created":
				if s := strings.TrimSpace(string(t)); len(s) >= 10 && DateFromName(s[:10]) == s[:10] {
					date = s[:10]
				}
			}
		}
	}
}

// docxParagraphs reads the w:p paragraphs of word/document.xml.
func docxParagraphs(ctx context.Context, data []byte) ([]docxPara, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var paras []docxPara
	var text, bold strings.Builder
	inPara, inRun, inRPr, runBold, inText, leading := false, false, false, false, false, true
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return paras, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				inPara, leading = true, true
				text.Reset()
				bold.Reset()
			case "r":
				inRun, runBold = true, false
			case "rPr":
				inRPr = inRun
			case "b":
				if inRPr {
					v := amiAttr(t, "val")
					runBold = v == "" || v == "1" || v == "true" || v == "on"
				}
			case "t":
				inText = inRun
			case "tab":
				if inRun {
					text.WriteByte('\t')
				}
			case "br", "cr":
				if inRun {
					text.WriteByte('\n')
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "p":
				if inPara {
					paras = append(paras, docxPara{text: text.String(), bold: strings.TrimSpace(bold.String())})
				}
				inPara = false
			case "r":
				inRun = false
			case "rPr":
				inRPr = false
			case "t":
				inText = false
			}
		case xml.CharData:
			if !inText || !inPara {
				continue
			}
			text.Write(t)
			if leading {
				if runBold {
					bold.Write(t)
				} else if strings.TrimSpace(string(t)) != "" {
					leading = false
				}
			}
		}
	}
}

// docxCueFormat tells whether the paragraphs are subtitles typed into the
// document: "srt" or "vtt" when at least one paragraph line is a cue timing
// line ("start --> end", both times h:mm:ss with optional fraction) and
// timing lines are at least one in six of the non-blank lines, as in any
// cue file (number, timing, one or two lines of text); "" otherwise.
func docxCueFormat(paras []docxPara) string {
	timings, lines := 0, 0
	vtt := false
	for _, p := range paras {
		for _, l := range strings.Split(p.text, "\n") {
			t := strings.TrimSpace(strings.ReplaceAll(l, "\u00a0", " "))
			if t == "" {
				continue
			}
			if lines == 0 && isVTTHeader(t) {
				vtt = true
			}
			lines++
			if strings.Contains(t, "-->") && docxCueTiming(t) {
				timings++
			}
		}
	}
	switch {
	case timings == 0 || timings*6 < lines:
		return ""
	case vtt:
		return "vtt"
	}
	return "srt"
}

// docxCueTiming reports whether a line is a cue timing line: SubRip's, or
// WebVTT's whose times may leave out the hours.
func docxCueTiming(t string) bool {
	if srtTiming.MatchString(t) {
		return true
	}
	a, b, ok := vttTiming(t)
	if !ok {
		return false
	}
	_, ok1 := parseClock(a)
	_, ok2 := parseClock(b)
	return ok1 && ok2
}

// docxCues reads cue-shaped paragraphs with the SubRip or WebVTT parser:
// the paragraphs become the lines of a text (a line break inside a
// paragraph starts a new line), and every segment, warning and rejection
// the parser sends is cited at its paragraph, Offset 0, as in every DOCX.
func docxCues(ctx context.Context, in Input, sink Sink, paras []docxPara, format, title, date string) (Meta, error) {
	var text strings.Builder
	paraOf := []int{0} // paraOf[line] is the paragraph of a 1-based line
	for i, p := range paras {
		for _, l := range strings.Split(p.text, "\n") {
			text.WriteString(strings.ReplaceAll(l, "\u00a0", " "))
			text.WriteByte('\n')
			paraOf = append(paraOf, i+1)
		}
	}
	f, err := Lookup(format)
	if err != nil {
		return Meta{}, Errorf(in.Name, 0, "%v", err)
	}
	cin := in
	cin.R = strings.NewReader(text.String())
	cin.Size = int64(text.Len())
	meta, err := f.Parse(ctx, cin, &docxCueSink{Sink: sink, paraOf: paraOf})
	if err != nil {
		return Meta{}, fmt.Errorf("%w (read as subtitles typed into the document)", err)
	}
	if title == "" {
		title = meta.Title
	}
	if date == "" {
		date = meta.Describes
	}
	return transcriptMeta(in, EncUTF8, title, date), nil
}

// docxCueSink cites what the cue parser sends at paragraphs of the DOCX.
type docxCueSink struct {
	Sink
	paraOf []int
}

func (s *docxCueSink) para(line int) int {
	if line > 0 && line < len(s.paraOf) {
		return s.paraOf[line]
	}
	return 0
}

func (s *docxCueSink) Segment(g *model.Segment) error {
	g.Line, g.Offset, g.Length = s.para(g.Line), 0, 0
	return s.Sink.Segment(g)
}

func (s *docxCueSink) Warn(line int, msg string) { s.Sink.Warn(s.para(line), msg) }

func (s *docxCueSink) Reject(r Rejection) error {
	r.Line = s.para(r.Line)
	return s.Sink.Reject(r)
}
