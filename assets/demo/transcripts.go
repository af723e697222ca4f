package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format names the importers are expected to detect for each transcript.
const (
	FormatVTT         = "vtt"              // WebVTT (Teams voice tags or Zoom "Name: text" cues)
	FormatSRT         = "srt"              // SubRip with "NAME:" prefixes
	FormatOtter       = "otter"            // Otter.ai text export
	FormatRev         = "rev"              // Rev text export
	FormatHearing     = "hearing"          // legislative hearing transcript
	FormatPlain       = "plain-transcript" // generic "Name: text" lines
	FormatZoomChat    = "zoom-chat"        // Zoom chat log
	FormatWhisperJSON = "whisper-json"     // OpenAI Whisper JSON output
	FormatCSV         = "transcript-csv"   // spreadsheet transcript
)

// Meeting styles choose the filler bank.
const (
	styleMeeting = "meeting"
	styleHearing = "hearing"
	styleChat    = "chat"
)

// line is one scripted utterance.
type line struct {
	Who  string
	Text string
	Kind string // planted quote kind; "" for an ordinary line
}

// pause marks a place in a script where filler talk may go.
func pause() line { return line{} }

func (l line) pause() bool { return l.Who == "" && l.Text == "" }

func countPauses(ls []line) int {
	n := 0
	for _, l := range ls {
		if l.pause() {
			n++
		}
	}
	return n
}

// q marks a scripted line as a planted quote of the given kind.
func q(kind, who, text string) line { return line{Who: who, Text: text, Kind: kind} }

// meeting is one transcript: its script, its filler and its file format.
type meeting struct {
	File, Format, Title, Date string
	Style                     string
	Target                    int // total segments
	Seed                      uint64
	Attendees                 []string
	Topics                    []string
	Script                    []line
	Write                     func(m *meeting, segs []segment, r *rand.Rand) []byte
	Speakers                  bool
	Caption                   int // unattributed segments the importer makes of a preamble
}

// segment is one utterance with its timing, in seconds from the start.
type segment struct {
	Who        string
	Text       string
	Start, End float64
	Planted    bool
}

// renderMeeting builds a meeting's segments and writes its file.
func renderMeeting(m *meeting) ([]byte, TranscriptFile, []PlantedQuote, error) {
	r := rand.New(rand.NewPCG(m.Seed, 0x636173656b))
	if len(m.Script)-countPauses(m.Script) > m.Target {
		return nil, TranscriptFile{}, nil, fmt.Errorf("demo: %s: script longer than target", m.File)
	}
	// Spread the filler over the pauses (all gaps when the script marks none);
	// each pause becomes a short side discussion about one topic.
	var pauses []int
	for i, l := range m.Script {
		if l.pause() {
			pauses = append(pauses, i)
		}
	}
	if len(pauses) == 0 {
		for i := range m.Script {
			pauses = append(pauses, i)
		}
	}
	gaps := make([]int, len(m.Script))
	fill := m.Target - (len(m.Script) - countPauses(m.Script))
	for range fill {
		gaps[pauses[r.IntN(len(pauses))]]++
	}
	var segs []segment
	var quotes []PlantedQuote
	used := map[string]bool{}
	t := 1.5 + r.Float64()*2
	prev := ""
	for i, l := range m.Script {
		var seq []segment
		if !l.pause() {
			seq = append(seq, segment{Who: l.Who, Text: l.Text, Planted: l.Kind != ""})
			prev = l.Who
		}
		topic := []string{m.Topics[r.IntN(len(m.Topics))]}
		for range gaps[i] {
			who := prev
			for who == prev && len(m.Attendees) > 1 {
				who = m.Attendees[r.IntN(len(m.Attendees))]
			}
			seq = append(seq, segment{Who: who, Text: filler(r, m.Style, topic, m.Attendees, who, used)})
			prev = who
		}
		for _, s := range seq {
			words := len(strings.Fields(s.Text))
			s.Start = round2(t)
			s.End = round2(t + float64(words)/2.6 + 0.4 + r.Float64()*0.6)
			t = s.End + 0.2 + r.Float64()*1.6
			if m.Style == styleChat {
				t += 8 + r.Float64()*50
			}
			segs = append(segs, s)
		}
		if l.Kind != "" {
			speaker := l.Who
			switch {
			case !m.Speakers:
				speaker = ""
			case m.Format == FormatSRT:
				// writeSRT writes upper-case "NAME:" labels, and the importer
				// keeps labels exactly as written.
				speaker = strings.ToUpper(speaker)
			}
			quotes = append(quotes, PlantedQuote{File: m.File, Speaker: speaker, Text: l.Text, Kind: l.Kind})
		}
	}
	if len(segs) != m.Target {
		return nil, TranscriptFile{}, nil, fmt.Errorf("demo: %s: %d segments, want %d", m.File, len(segs), m.Target)
	}
	tf := TranscriptFile{Name: m.File, Format: m.Format, Segments: len(segs) + m.Caption, Date: m.Date, Title: m.Title, Speakers: m.Speakers}
	return m.Write(m, segs, r), tf, quotes, nil
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

// hms splits seconds into hours, minutes, seconds and milliseconds.
func hms(sec float64) (h, m, s, ms int) {
	total := int64(sec*1000 + 0.5)
	ms = int(total % 1000)
	total /= 1000
	return int(total / 3600), int(total / 60 % 60), int(total % 60), ms
}

func vttTime(sec float64) string {
	h, m, s, ms := hms(sec)
	return fmt.Sprintf("%02d:%02d:%02d.%03d", h, m, s, ms)
}

func srtTime(sec float64) string {
	h, m, s, ms := hms(sec)
	return fmt.Sprintf("%02d:%02d:%02d,%03d", h, m, s, ms)
}

// vttEscape escapes the characters WebVTT cue text reserves.
func vttEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func guid(r *rand.Rand) string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// writeTeamsVTT writes Microsoft Teams' WebVTT: GUID cue ids and <v> voice tags.
func writeTeamsVTT(m *meeting, segs []segment, r *rand.Rand) []byte {
	var b bytes.Buffer
	b.WriteString("WEBVTT\n\n")
	n := 3 + r.IntN(10)
	for _, s := range segs {
		fmt.Fprintf(&b, "%s/%d-0\n%s --> %s\n<v %s>%s</v>\n\n", guid(r), n, vttTime(s.Start), vttTime(s.End), s.Who, vttEscape(s.Text))
		n += 1 + r.IntN(3)
	}
	return b.Bytes()
}

// writeZoomVTT writes Zoom's transcript WebVTT: numbered cues, "Name: text".
func writeZoomVTT(m *meeting, segs []segment, r *rand.Rand) []byte {
	var b bytes.Buffer
	b.WriteString("WEBVTT\n\n")
	for i, s := range segs {
		fmt.Fprintf(&b, "%d\n%s --> %s\n%s: %s\n\n", i+1, vttTime(s.Start), vttTime(s.End), s.Who, vttEscape(s.Text))
	}
	return b.Bytes()
}

// writeSRT writes SubRip with upper-case "NAME:" prefixes; long cues that are
// not planted quotes wrap onto a second line, as captioning tools do.
func writeSRT(m *meeting, segs []segment, r *rand.Rand) []byte {
	var b bytes.Buffer
	for i, s := range segs {
		text := strings.ToUpper(s.Who) + ": " + s.Text
		if !s.Planted && utf8.RuneCountInString(text) > 60 {
			text = wrapTwo(text)
		}
		fmt.Fprintf(&b, "%d\n%s --> %s\n%s\n\n", i+1, srtTime(s.Start), srtTime(s.End), text)
	}
	return b.Bytes()
}

// wrapTwo breaks s at the space nearest its middle.
func wrapTwo(s string) string {
	mid := len(s) / 2
	best := -1
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && (best < 0 || abs(i-mid) < abs(best-mid)) {
			best = i
		}
	}
	if best < 0 {
		return s
	}
	return s[:best] + "\n" + s[best+1:]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// writeOtter writes Otter.ai's text export: "Name  0:05", the words, a blank
// line, and the closing credit.
func writeOtter(m *meeting, segs []segment, r *rand.Rand) []byte {
	var b bytes.Buffer
	for _, s := range segs {
		h, mi, se, _ := hms(s.Start)
		stamp := fmt.Sprintf("%d:%02d", mi, se)
		if h > 0 {
			stamp = fmt.Sprintf("%d:%02d:%02d", h, mi, se)
		}
		fmt.Fprintf(&b, "%s  %s\n%s\n\n", s.Who, stamp, s.Text)
	}
	b.WriteString("Transcribed by https://otter.ai\n")
	return b.Bytes()
}

// writeRev writes Rev's text export: "Name (00:01:02):", the words, a blank line.
func writeRev(m *meeting, segs []segment, r *rand.Rand) []byte {
	var b bytes.Buffer
	for _, s := range segs {
		h, mi, se, _ := hms(s.Start)
		fmt.Fprintf(&b, "%s (%02d:%02d:%02d):\n%s\n\n", s.Who, h, mi, se, s.Text)
	}
	return b.Bytes()
}

// writeHearing writes a printed-hearing style transcript: a preamble, then
// indented paragraphs that open with the speaker in capitals and a period.
func writeHearing(m *meeting, segs []segment, r *rand.Rand) []byte {
	var b bytes.Buffer
	b.WriteString(hearingPreamble)
	for _, s := range segs {
		fmt.Fprintf(&b, "    %s. %s\n\n", strings.ToUpper(s.Who), s.Text)
	}
	b.WriteString("    [Whereupon, at 11:52 a.m., the hearing was adjourned.]\n")
	return b.Bytes()
}

// hearingCaption counts the segments without a speaker the hearing importer
// makes: each of the preamble's paragraphs (its first line, the title,
// included) and the closing "[Whereupon … adjourned.]" note.
func hearingCaption() int {
	n := 1 // the adjournment note
	for _, p := range strings.Split(hearingPreamble, "\n\n") {
		if strings.TrimSpace(p) != "" {
			n++
		}
	}
	return n
}

const hearingPreamble = `                                 EXCERPT

          SELECT COMMITTEE ON PLATFORM ACCOUNTABILITY (FICTIONAL)

        HEARING ON THE HANDLING OF AMERICANS' DATA BY SHORT-VIDEO APPS

                        TUESDAY, APRIL 12, 2022

    The committee met, pursuant to notice, at 10:02 a.m., in Room 214,
Senator Dana Merriweather, chair of the committee, presiding.
    Present: Senators Merriweather, Halvorsen, and Whitcombe.
    Witnesses: Ms. Claire Abernathy, Vice President, Public Policy, Lumora
Inc., Austin, Texas; accompanied by Mr. Daniel Okafor, U.S. Counsel, Lumora Inc.

`

// writePlain writes generic "Name: text" lines.
func writePlain(m *meeting, segs []segment, r *rand.Rand) []byte {
	var b bytes.Buffer
	for _, s := range segs {
		fmt.Fprintf(&b, "%s: %s\n", s.Who, s.Text)
	}
	return b.Bytes()
}

// writeZoomChat writes Zoom's saved chat: "HH:MM:SS<TAB>Name:<TAB>text" with
// CRLF line ends; clock times start at the meeting's start.
func writeZoomChat(m *meeting, segs []segment, r *rand.Rand) []byte {
	const start = 15*3600 + 1*60 + 2 // 15:01:02, as in the file name
	var b bytes.Buffer
	for _, s := range segs {
		h, mi, se, _ := hms(start + s.Start)
		fmt.Fprintf(&b, "%02d:%02d:%02d\t%s:\t%s\r\n", h, mi, se, s.Who, s.Text)
	}
	return b.Bytes()
}

// writeWhisper writes openai-whisper's JSON as Python's json.dump does:
// one line, ", " and ": " separators, non-ASCII escaped, no speakers.
func writeWhisper(m *meeting, segs []segment, r *rand.Rand) []byte {
	var all, b bytes.Buffer
	for _, s := range segs {
		all.WriteString(" " + s.Text)
	}
	b.WriteString(`{"text": ` + pyString(all.String()) + `, "segments": [`)
	for i, s := range segs {
		if i > 0 {
			b.WriteString(", ")
		}
		seek := int(s.Start/30) * 3000
		base := float64(seek) / 100
		tokens := []string{strconv.Itoa(50365 + int((s.Start-base)/0.02))}
		for range len(strings.Fields(s.Text))*4/3 + 1 {
			tokens = append(tokens, strconv.Itoa(220+r.IntN(30000)))
		}
		tokens = append(tokens, strconv.Itoa(50365+int((s.End-base)/0.02)))
		fmt.Fprintf(&b, `{"id": %d, "seek": %d, "start": %s, "end": %s, "text": %s, "tokens": [%s], "temperature": 0.0, "avg_logprob": %s, "compression_ratio": %s, "no_speech_prob": %s}`,
			i, seek, pyFloat(s.Start), pyFloat(s.End), pyString(" "+s.Text), strings.Join(tokens, ", "),
			pyFloat(-0.1-r.Float64()*0.4), pyFloat(1.2+r.Float64()*0.5), pyFloat(0.001+r.Float64()*0.05))
	}
	b.WriteString(`], "language": "en"}`)
	return b.Bytes()
}

// pyFloat renders f as Python's repr would (for the ranges used here).
func pyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// pyString renders s as Python's json.dumps with ensure_ascii.
func pyString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c < 0x20 || c > 0x7e:
			if c > 0xffff {
				c -= 0x10000
				fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(c>>10), 0xdc00+(c&0x3ff))
			} else {
				fmt.Fprintf(&b, `\u%04x`, c)
			}
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// writeCSVTranscript writes a spreadsheet's "CSV UTF-8" export: a byte-order
// mark, CRLF line ends, columns speaker,start,end,text in seconds.
func writeCSVTranscript(m *meeting, segs []segment, r *rand.Rand) []byte {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write([]string{"speaker", "start", "end", "text"})
	for _, s := range segs {
		w.Write([]string{s.Who, strconv.FormatFloat(s.Start, 'f', 2, 64), strconv.FormatFloat(s.End, 'f', 2, 64), s.Text})
	}
	w.Flush()
	return b.Bytes()
}
