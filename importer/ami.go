package importer

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"casebook/model"
	"golang.org/x/text/encoding/charmap"
)

// AMI Meeting Corpus NXT word files (ES2002a.A.words.xml): one <w
// starttime endtime> element per word, punctuation as <w punc="true">, and
// <vocalsound>, <disfmarker>, <gap>, <pause> … elements, which are ignored.
// Words are merged into utterances: a new one starts after a pause of more
// than amiPause, or after sentence-final punctuation followed by a pause of
// more than amiSentencePause. The speaker comes from a "speaker" or "who"
// attribute, else from the file name (ES2002a.A.words.xml → "Speaker A").
//
// encoding/xml never expands entities declared in a DTD, so entity bombs
// cannot grow; only the predefined and HTML entities are known. The file is
// held in memory (at most amiMaxSize) so that ISO-8859-1 and Windows-1252
// text can be decoded while each utterance keeps its exact byte offset.

const (
	amiPause         = 1.0  // seconds of silence that end an utterance
	amiSentencePause = 0.25 // seconds of silence after . ? ! that end one
	amiMaxSize       = 256 << 20
)

func init() {
	Register(Format{
		Name:    "ami-xml",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "AMI corpus NXT word-level XML",
		Detect:  detectAMI,
		Parse:   parseAMI,
	})
}

var (
	amiNameSpeaker = regexp.MustCompile(`(?i)\.([A-Z0-9]{1,3})\.words\.xml$`)
	xmlDeclEnc     = regexp.MustCompile(`^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']`)
)

func detectAMI(name string, head []byte) int {
	s := headText(head)
	if !strings.Contains(s, "<w ") || !strings.Contains(s, "starttime=") {
		return 0
	}
	if strings.Contains(s, "nite:root") || strings.Contains(s, "nite:id") {
		return 92
	}
	return 70
}

// amiWord is one <w> element.
type amiWord struct {
	start, end float64 // -1 when missing
	text       string
	punc       bool
	speaker    string
	off, stop  int64 // byte span in the decoded data
}

// toUTF8 decodes single-byte text into UTF-8 and returns the positions in
// the output where a character grew, for mapping offsets back.
func toUTF8(data []byte, cm *charmap.Charmap) ([]byte, []int64) {
	out := make([]byte, 0, len(data)+len(data)/8)
	var grew []int64
	for _, c := range data {
		if c < 0x80 {
			out = append(out, c)
			continue
		}
		r := cm.DecodeByte(c)
		at := int64(len(out))
		out = utf8.AppendRune(out, r)
		for i := int64(1); i < int64(len(out))-at; i++ {
			grew = append(grew, at)
		}
	}
	return out, grew
}

func parseAMI(ctx context.Context, in Input, sink Sink) (Meta, error) {
	data, err := io.ReadAll(io.LimitReader(in.R, amiMaxSize+1))
	if err != nil {
		return Meta{}, Errorf(in.Name, 0, "read: %v", err)
	}
	if len(data) > amiMaxSize {
		return Meta{}, Errorf(in.Name, 0, "XML file larger than %d MiB", amiMaxSize>>20)
	}
	enc := EncUTF8
	var grew []int64
	if bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
		enc = EncUTF8BOM
	}
	declared := ""
	if m := xmlDeclEnc.FindSubmatch(data[:min(len(data), 256)]); m != nil {
		declared = strings.ToLower(string(m[1]))
	}
	doc := data
	switch {
	case enc == EncUTF8BOM:
	case strings.Contains(declared, "1252"):
		enc = Enc1252
		doc, grew = toUTF8(data, charmap.Windows1252)
	case declared == "iso-8859-1" || declared == "latin1" || declared == "iso8859-1" || declared == "latin-1" ||
		(!utf8.Valid(data) && declared == ""):
		enc = "iso-8859-1"
		doc, grew = toUTF8(data, charmap.ISO8859_1)
	}
	orig := func(off int64) int64 { // decoded offset -> offset in the file
		return off - int64(sort.Search(len(grew), func(i int) bool { return grew[i] >= off }))
	}
	lines := newLineIndex(data)
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		return r, nil // already UTF-8
	}
	fileSpeaker := ""
	if m := amiNameSpeaker.FindStringSubmatch(path.Base(strings.ReplaceAll(in.Name, "\\", "/"))); m != nil {
		fileSpeaker = "Speaker " + strings.ToUpper(m[1])
	}
	title := ""
	if i := strings.Index(path.Base(in.Name), "."); i > 0 && fileSpeaker != "" {
		title = path.Base(in.Name)[:i]
	}
	var warn warnings
	w := newSegWriter(ctx, sink)
	var utt []amiWord
	flush := func() error {
		if len(utt) == 0 {
			return nil
		}
		var b strings.Builder
		for i, wd := range utt {
			if i > 0 && !wd.punc {
				b.WriteByte(' ')
			}
			b.WriteString(wd.text)
		}
		first, last := utt[0], utt[len(utt)-1]
		off := orig(first.off)
		s := newSeg(lines.line(off), off)
		s.Length = orig(last.stop) - off
		s.Speaker = first.speaker
		s.StartMS, s.EndMS = amiMS(first.start), amiMS(last.end)
		s.Text = collapseSpace(b.String())
		utt = utt[:0]
		return w.emit(s)
	}
	words := 0
	var cur *amiWord
	var text strings.Builder
	rootSpeaker := ""
	seenRoot := false
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		off := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := lines.line(orig(d.InputOffset()))
			if words == 0 {
				return Meta{}, Errorf(in.Name, line, "not an AMI words file: %v", err)
			}
			return Meta{}, Errorf(in.Name, line, "bad XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			sp := amiAttr(t, "speaker", "who", "participant")
			if !seenRoot {
				seenRoot, rootSpeaker = true, sp
				if id := amiAttr(t, "id"); id != "" {
					title, _, _ = strings.Cut(id, ".") // "ES2002a.A.words" -> "ES2002a"
				}
			}
			if t.Name.Local != "w" {
				continue
			}
			cur = &amiWord{start: amiTime(amiAttr(t, "starttime")), end: amiTime(amiAttr(t, "endtime")),
				punc: amiAttr(t, "punc") == "true", off: off}
			cur.speaker = NormalizeSpeaker(strings.ReplaceAll(firstOf(sp, rootSpeaker, fileSpeaker), "_", " "))
			text.Reset()
		case xml.CharData:
			if cur != nil {
				text.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local != "w" || cur == nil {
				continue
			}
			words++
			cur.stop = d.InputOffset()
			cur.text = collapseSpace(text.String())
			wd := *cur
			cur = nil
			if wd.text == "" {
				continue
			}
			if len(utt) > 0 {
				prev := utt[len(utt)-1]
				gap := amiGap(utt, wd)
				final := prev.punc && strings.ContainsAny(prev.text, ".?!")
				if (!wd.punc && (gap > amiPause || (final && gap > amiSentencePause))) || wd.speaker != prev.speaker {
					if err := flush(); err != nil {
						return Meta{}, err
					}
				}
			}
			if len(utt) == 0 && wd.punc {
				warn.add(lines.line(orig(wd.off)), "punctuation without a word before it")
			}
			utt = append(utt, wd)
		}
	}
	if err := flush(); err != nil {
		return Meta{}, err
	}
	if words == 0 {
		return Meta{}, Errorf(in.Name, 0, "not an AMI words file: no <w> elements")
	}
	warn.flush(sink)
	return transcriptMeta(in, enc, title, ""), nil
}

// amiGap is the silence in seconds between the utterance so far and w.
func amiGap(utt []amiWord, w amiWord) float64 {
	end := -1.0
	for i := len(utt) - 1; i >= 0 && end < 0; i-- {
		end = utt[i].end
	}
	if end < 0 || w.start < 0 {
		return 0
	}
	return w.start - end
}

func amiAttr(t xml.StartElement, names ...string) string {
	for _, n := range names {
		for _, a := range t.Attr {
			if a.Name.Local == n {
				return a.Value
			}
		}
	}
	return ""
}

func amiTime(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return -1
	}
	if _, ok := secondsToMS(f); !ok {
		return -1
	}
	return f
}

func amiMS(f float64) int64 {
	if ms, ok := secondsToMS(f); ok {
		return ms
	}
	return -1
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
