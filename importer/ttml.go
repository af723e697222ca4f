package importer

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"casebook/model"
)

// TTML and DFXP timed text (.ttml, .dfxp, or .xml whose root is a <tt> in
// the TTML namespace, including the older ttaf1 namespaces of DFXP): each
// <p> in the body is a cue, read as the stream goes, with its begin and
// end (or dur) in clock time ("00:00:01.000", "00:00:01:12" in frames at
// ttp:frameRate) or offset time ("1.5s", "1500ms", "90f", "900t" at
// ttp:tickRate), offset by the begin of the <div>s and <body> around it.
// <br/> is a line break and <span> text is part of the cue. A ttm:agent on
// the <p> (or around it) whose <ttm:agent> in the head has a <ttm:name>
// gives the speaker. A segment starts at its <p> start tag in the original.

func init() {
	Register(Format{
		Name:    "ttml",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "TTML / DFXP timed text (.ttml, .dfxp, .xml)",
		Detect:  detectTTML,
		Parse:   parseTTML,
	})
}

// isTTMLNamespace reports whether ns is the TTML namespace or one of the
// draft (DFXP) ones.
func isTTMLNamespace(ns string) bool {
	return ns == "http://www.w3.org/ns/ttml" || (strings.HasPrefix(ns, "http://www.w3.org/") && strings.HasSuffix(ns, "/ttaf1"))
}

func detectTTML(name string, head []byte) int {
	d := xml.NewDecoder(strings.NewReader(headText(head)))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // headText is UTF-8 already
	for i := 0; i < 64; i++ {
		tok, err := d.Token()
		if err != nil {
			return 0
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local != "tt" {
			return 0
		}
		score := 0
		switch {
		case isTTMLNamespace(se.Name.Space):
			score = 95
		case nameHas(name, ".ttml", ".dfxp"):
			score = 80
		default:
			return 0
		}
		if nameHas(name, ".ttml", ".dfxp") {
			score += 3
		}
		return score
	}
	return 0
}

// ttmlClock is clock time: hours:minutes:seconds with a fraction, or with
// frames (and sub-frames).
var (
	ttmlClock  = regexp.MustCompile(`^(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d+)|:(\d+)(?:\.(\d+))?)?$`)
	ttmlOffset = regexp.MustCompile(`^(\d+(?:\.\d+)?)(h|m|s|ms|f|t)?$`)
)

// ttmlRates are the document's timing parameters.
type ttmlRates struct {
	frame    float64 // frames per second, multiplier applied
	subFrame float64
	tick     float64
}

// newTTMLRates reads ttp:frameRate, ttp:frameRateMultiplier,
// ttp:subFrameRate and ttp:tickRate from the root element.
func newTTMLRates(root xml.StartElement) ttmlRates {
	r := ttmlRates{frame: 30, subFrame: 1, tick: 1}
	frameGiven := false
	for _, a := range root.Attr {
		v := strings.TrimSpace(a.Value)
		switch a.Name.Local {
		case "frameRate":
			if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f < 1000 {
				r.frame, frameGiven = f, true
			}
		case "subFrameRate":
			if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f < 1000 {
				r.subFrame = f
			}
		}
	}
	for _, a := range root.Attr {
		v := strings.TrimSpace(a.Value)
		switch a.Name.Local {
		case "frameRateMultiplier":
			var num, den float64
			if f := strings.Fields(strings.ReplaceAll(v, ":", " ")); len(f) == 2 {
				num, _ = strconv.ParseFloat(f[0], 64)
				den, _ = strconv.ParseFloat(f[1], 64)
			}
			if num > 0 && den > 0 {
				r.frame = r.frame * num / den
			}
		}
	}
	if frameGiven {
		r.tick = r.frame * r.subFrame
	}
	for _, a := range root.Attr {
		if a.Name.Local == "tickRate" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(a.Value), 64); err == nil && f > 0 && f < 1e12 {
				r.tick = f
			}
		}
	}
	return r
}

// ms reads a TTML time expression into milliseconds. A bare number is
// seconds and minutes:seconds is accepted too, as some exporters write them.
func (r ttmlRates) ms(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if m := ttmlClock.FindStringSubmatch(s); m != nil {
		h, _ := strconv.ParseFloat(m[1], 64)
		mi, _ := strconv.ParseFloat(m[2], 64)
		sec, _ := strconv.ParseFloat(m[3], 64)
		if mi > 59 || sec > 60 {
			return 0, false
		}
		t := h*3600 + mi*60 + sec
		switch {
		case m[4] != "":
			f, _ := strconv.ParseFloat("0."+m[4], 64)
			t += f
		case m[5] != "":
			fr, _ := strconv.ParseFloat(m[5], 64)
			if m[6] != "" {
				sub, _ := strconv.ParseFloat(m[6], 64)
				fr += sub / r.subFrame
			}
			t += fr / r.frame
		}
		return secondsToMS(t)
	}
	if m := ttmlOffset.FindStringSubmatch(s); m != nil {
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			return 0, false
		}
		switch m[2] {
		case "h":
			v *= 3600
		case "m":
			v *= 60
		case "ms":
			v /= 1000
		case "f":
			v /= r.frame
		case "t":
			v /= r.tick
		}
		return secondsToMS(v)
	}
	if ms, ok := parseClock(s); ok {
		return ms, true
	}
	return 0, false
}

// ttmlElem is an open element of the body: its absolute interval and its agent.
type ttmlElem struct {
	begin int64 // absolute begin in ms (0 when unknown)
	end   int64 // absolute end in ms, -1 when unknown
	agent string
}

// place turns a child's begin and end (-1 when absent) into absolute times.
// TTML times are relative to the parent's begin; but some exporters (Apple's
// lyrics TTML) repeat absolute times inside timed <div>s. A child whose
// times, read as absolute, fall inside a parent with a known end is read as
// absolute; otherwise the parent's begin is added.
func (parent ttmlElem) place(b, e int64) (int64, int64) {
	if parent.end >= 0 && b >= parent.begin && b <= parent.end && e <= parent.end && parent.begin > 0 {
		return b, e
	}
	if b >= 0 {
		b += parent.begin
	}
	if e >= 0 {
		e += parent.begin
	}
	return b, e
}

// times reads an element's begin, end and dur into absolute times under
// parent; bad names the first attribute that could not be read.
func (r ttmlRates) times(parent ttmlElem, se xml.StartElement) (start, end int64, bad string) {
	b, e, dur := ttmlAttr(se, "begin"), ttmlAttr(se, "end"), ttmlAttr(se, "dur")
	start, end = -1, -1
	if b != "" {
		if ms, ok := r.ms(b); ok {
			start = ms
		} else {
			bad = "bad TTML begin time " + strconv.Quote(b)
		}
	}
	if e != "" {
		if ms, ok := r.ms(e); ok {
			end = ms
		} else if bad == "" {
			bad = "bad TTML end time " + strconv.Quote(e)
		}
	}
	if start >= 0 || end >= 0 {
		start, end = parent.place(start, end)
	}
	if start < 0 && b == "" {
		start = parent.begin // an untimed child starts with its parent
		if parent.begin == 0 && parent.end < 0 {
			start = -1
		}
	}
	if end < 0 && dur != "" {
		if ms, ok := r.ms(dur); ok && start >= 0 {
			end = start + ms
		} else if !ok && bad == "" {
			bad = "bad TTML dur " + strconv.Quote(dur)
		}
	}
	if end < 0 && e == "" && dur == "" {
		end = parent.end
	}
	return start, end, bad
}

// ttmlPara is the <p> being read.
type ttmlPara struct {
	line    int
	off     int64
	start   int64
	end     int64
	speaker string
	lines   []string
	size    int
	depth   int // element depth inside the p
	skip    int // depth of a <metadata> being skipped, 0 when none
	bad     string
}

// errTTMLRun is returned by lineCounter when text or a tag runs on for
// longer than the line limit without markup.
var errTTMLRun = errors.New("a stretch of text or a tag longer than the line limit")

// lineCounter counts the line ends of the decoded stream it passes on, so
// the line of any later offset can be asked for (in ascending order). It
// also refuses a stretch longer than max bytes between two '<' or '>',
// which the XML decoder would otherwise hold whole in memory.
type lineCounter struct {
	r      io.Reader
	max    int
	run    int
	pos    int64
	prevCR bool
	ends   []int64 // offsets of line ends not yet passed by a question
	passed int
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; i++ {
		b := p[i]
		if c.prevCR && b != '\n' {
			c.ends = append(c.ends, c.pos+int64(i)-1)
		}
		if b == '\n' {
			c.ends = append(c.ends, c.pos+int64(i))
		}
		c.prevCR = b == '\r'
		if b == '<' || b == '>' {
			c.run = 0
		} else if c.run++; c.run > c.max {
			c.pos += int64(i)
			return i, errTTMLRun
		}
	}
	c.pos += int64(n)
	return n, err
}

// line returns the 1-based line holding decoded offset off.
func (c *lineCounter) line(off int64) int {
	k := 0
	for k < len(c.ends) && c.ends[k] < off {
		k++
	}
	c.passed += k
	c.ends = c.ends[k:]
	return c.passed + 1
}

func parseTTML(ctx context.Context, in Input, sink Sink) (Meta, error) {
	or, enc, err := NewOffsetReader(in.R)
	if err != nil {
		return Meta{}, Errorf(in.Name, 0, "read: %v", err)
	}
	lc := &lineCounter{r: or, max: in.Opts.LineLimit()}
	d := xml.NewDecoder(lc)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // already UTF-8

	w := newSegWriter(ctx, sink)
	var warn warnings
	emit := newCueEmitter(w, &warn)
	limit := in.Opts.LineLimit()
	var (
		rates   ttmlRates
		seenTT  bool
		inBody  bool
		stack   = []ttmlElem{{end: -1}}
		agents  = map[string]string{}
		agentID string // the <ttm:agent> being read in the head
		inName  bool
		nameBuf strings.Builder
		title   string
		inTitle bool
		para    *ttmlPara
		paras   int
	)
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		off := d.InputOffset()
		lc.line(off) // folds the line ends behind us into a count, keeping the queue short
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := lc.line(max(off, d.InputOffset()-1))
			if errors.Is(err, errTTMLRun) {
				return Meta{}, Errorf(in.Name, line, "text or tag longer than the %d-byte limit", in.Opts.LineLimit())
			}
			if !seenTT {
				return Meta{}, Errorf(in.Name, line, "not a TTML file: %v", err)
			}
			return Meta{}, Errorf(in.Name, line, "bad XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !seenTT {
				if t.Name.Local != "tt" {
					return Meta{}, Errorf(in.Name, lc.line(off), "not a TTML file: the root element is <%s>, not <tt>", t.Name.Local)
				}
				seenTT, rates = true, newTTMLRates(t)
				continue
			}
			if para != nil {
				para.depth++
				switch {
				case para.skip > 0:
				case t.Name.Local == "metadata":
					para.skip = para.depth
				case t.Name.Local == "br":
					para.lines = append(para.lines, "")
					if para.size += 16; para.size > limit {
						return Meta{}, Errorf(in.Name, para.line, "paragraph longer than the %d-byte limit", limit)
					}
				}
				continue
			}
			switch t.Name.Local {
			case "body":
				inBody = true
			case "agent":
				if !inBody {
					agentID = ttmlAttr(t, "id")
				}
				continue
			case "name":
				if agentID != "" {
					inName = true
					nameBuf.Reset()
				}
				continue
			case "title":
				if !inBody && title == "" {
					inTitle = true
				}
				continue
			}
			if !inBody {
				continue
			}
			parent := ttmlElem{}
			if k := len(stack) - 1; k >= 0 {
				parent = stack[k]
			}
			el := ttmlElem{begin: parent.begin, end: parent.end, agent: parent.agent}
			if a := strings.Fields(ttmlAttr(t, "agent")); len(a) > 0 {
				el.agent = a[0]
			}
			start, end, bad := rates.times(parent, t)
			if t.Name.Local != "p" {
				if bad == "" {
					el.begin, el.end = max(start, 0), end
				}
				stack = append(stack, el)
				continue
			}
			stack = append(stack, el)
			line := lc.line(off)
			p := &ttmlPara{line: line, off: or.SourceOffset(off), start: start, end: end, bad: bad, lines: []string{""}}
			p.speaker = agents[el.agent]
			para = p
		case xml.CharData:
			switch {
			case para != nil:
				if para.skip == 0 {
					para.size += len(t)
					if para.size > limit {
						return Meta{}, Errorf(in.Name, para.line, "paragraph longer than the %d-byte limit", limit)
					}
					para.lines[len(para.lines)-1] += string(t)
				}
			case inName:
				if nameBuf.Len() < 1024 {
					nameBuf.Write(t)
				}
			case inTitle:
				if len(title) < 1024 {
					title += string(t)
				}
			}
		case xml.EndElement:
			if para != nil {
				if para.depth > 0 {
					if para.skip == para.depth {
						para.skip = 0
					}
					para.depth--
					continue
				}
				if k := len(stack) - 1; k >= 1 {
					stack = stack[:k]
				}
				p := para
				para = nil
				paras++
				if p.bad != "" {
					if err := sink.Reject(Rejection{Line: p.line, Raw: strings.Join(p.lines, " "), Reason: p.bad}); err != nil {
						return Meta{}, err
					}
					continue
				}
				endOff := or.SourceOffset(d.InputOffset())
				if p.start >= 0 && p.end >= 0 && p.end < p.start {
					warn.add(p.line, "cue ends before it starts")
				}
				lines := make([]Line, len(p.lines))
				for i, s := range p.lines {
					lines[i] = Line{No: p.line, Offset: p.off, Len: int(endOff - p.off), Text: s}
				}
				if err := emit.cue(lines, p.line, p.off, p.line, p.start, p.end, p.speaker); err != nil {
					return Meta{}, err
				}
				continue
			}
			switch t.Name.Local {
			case "name":
				if inName && agentID != "" {
					if _, dup := agents[agentID]; !dup && len(agents) < 10000 {
						agents[agentID] = captionSpeaker(collapseSpace(nameBuf.String()))
					}
				}
				inName = false
				continue
			case "agent":
				agentID = ""
				continue
			case "title":
				inTitle = false
				continue
			case "body":
				inBody = false
			}
			if inBody || t.Name.Local == "body" {
				if k := len(stack) - 1; k >= 1 {
					stack = stack[:k]
				}
			}
		}
	}
	if !seenTT {
		return Meta{}, Errorf(in.Name, 0, "not a TTML file: no <tt> element")
	}
	if err := emit.flush(); err != nil {
		return Meta{}, err
	}
	if paras == 0 {
		sink.Warn(0, "no <p> cues")
	}
	warn.flush(sink)
	return transcriptMeta(in, enc, cleanText(title), ""), nil
}

// ttmlAttr returns the value of the attribute with the given local name
// (xml:id, ttm:agent, begin …), whatever its namespace.
func ttmlAttr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
