package importer

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestTTMLTimeExpressions(t *testing.T) {
	root := func(attrs ...string) ttmlRates {
		se := xml.StartElement{}
		for i := 0; i+1 < len(attrs); i += 2 {
			se.Attr = append(se.Attr, xml.Attr{Name: xml.Name{Space: "http://www.w3.org/ns/ttml#parameter", Local: attrs[i]}, Value: attrs[i+1]})
		}
		return newTTMLRates(se)
	}
	def := root()
	f25 := root("frameRate", "25")
	ntsc := root("frameRate", "30", "frameRateMultiplier", "1000 1001")
	ticks := root("tickRate", "10000000")
	for _, c := range []struct {
		r    ttmlRates
		in   string
		want int64
		ok   bool
	}{
		{def, "00:00:01.000", 1000, true},
		{def, "01:02:03.5", 3723500, true},
		{def, "00:00:01", 1000, true},
		{f25, "00:00:01:12", 1480, true},
		{f25, "00:02:33:11", 153440, true},
		{def, "00:00:01:15", 1500, true}, // 30 frames a second by default
		{ntsc, "00:00:00:30", 1001, true},
		{def, "1.5s", 1500, true},
		{def, "1500ms", 1500, true},
		{def, "2m", 120000, true},
		{def, "0.5h", 1800000, true},
		{f25, "90f", 3600, true},
		{ticks, "227080000t", 22708, true},
		{root("frameRate", "24"), "48t", 2000, true}, // ticks default to frames × sub-frames
		{def, "19.764", 19764, true},                 // a bare number is seconds
		{def, "3:58.640", 238640, true},
		{def, "", 0, false},
		{def, "1.5x", 0, false},
		{def, "00:61:00.000", 0, false},
		{def, "-1s", 0, false},
	} {
		got, ok := c.r.ms(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("%q = %d %v, want %d %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// lumoraTTML is a fictional Lumora meeting as TTML: agents with names in the
// head, ticks, nested divs with begin offsets, dur, <br/>, spans, metadata
// inside a <p>, a cue whose begin cannot be read, and a plain label.
const lumoraTTML = `<?xml version="1.0" encoding="UTF-8"?>
<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"
    xmlns:ttm="http://www.w3.org/ns/ttml#metadata" ttp:tickRate="10000000" xml:lang="en">
  <head>
    <metadata>
      <ttm:title>Lumora export review</ttm:title>
      <ttm:agent type="person" xml:id="mia"><ttm:name type="full">Mia Chen</ttm:name></ttm:agent>
      <ttm:agent type="person" xml:id="dan"><ttm:name type="full">Daniel Okafor</ttm:name></ttm:agent>
    </metadata>
  </head>
  <body>
    <div begin="10s">
      <p begin="10000000t" end="40000000t" ttm:agent="mia">When did the <span>bulk</span> export<br/>start?</p>
      <div begin="5s" ttm:agent="dan">
        <p begin="0s" dur="2.5s">Last spring.<metadata><ttm:desc>not spoken</ttm:desc></metadata></p>
        <p begin="soon" end="1s">broken</p>
      </div>
    </div>
    <div><p begin="00:01:00.000" end="00:01:02.000">Digo: nothing here names a speaker.</p></div>
  </body>
</tt>
`

func TestTTMLAgentsNestedDivsAndOffsets(t *testing.T) {
	data := []byte(lumoraTTML)
	for _, name := range []string{"review.ttml", "review.xml", "review.dfxp", "review"} {
		if f, err := Detect(name, data, ""); err != nil || f.Name != "ttml" {
			t.Errorf("%s detected as %v (%v)", name, fname(f), err)
		}
	}
	sink, meta := mustParse(t, "ttml", "review.ttml", data)
	want := []struct {
		speaker, text string
		start, end    int64
		line          int
		at            string
	}{
		{"Mia Chen", "When did the bulk export start?", 11000, 14000, 13, `<p begin="10000000t"`},
		{"Daniel Okafor", "Last spring.", 15000, 17500, 15, `<p begin="0s" dur="2.5s">`},
		{"", "Digo: nothing here names a speaker.", 60000, 62000, 19, `<p begin="00:01:00.000"`},
	}
	if len(sink.segs) != len(want) {
		t.Fatalf("got %d segments: %+v", len(sink.segs), sink.segs)
	}
	for i, w := range want {
		s := sink.segs[i]
		if s.Speaker != w.speaker || s.Text != w.text || s.StartMS != w.start || s.EndMS != w.end || s.Line != w.line {
			t.Errorf("segment %d = %q %q %d-%d line %d, want %+v", i+1, s.Speaker, s.Text, s.StartMS, s.EndMS, s.Line, w)
		}
		assertAt(t, data, s, w.at)
		if !strings.HasSuffix(string(data[s.Offset:s.Offset+s.Length]), "</p>") {
			t.Errorf("segment %d does not span to its </p>: %q", i+1, data[s.Offset:s.Offset+s.Length])
		}
	}
	if len(sink.rejects) != 1 || !strings.HasPrefix(sink.rejects[0], `16: bad TTML begin time "soon"`) {
		t.Errorf("rejects = %q", sink.rejects)
	}
	if meta.Title != "Lumora export review" {
		t.Errorf("title %q", meta.Title)
	}
}

func TestTTMLOffsetsInUTF16AreBytesOfTheOriginal(t *testing.T) {
	text := strings.Replace(lumoraTTML, `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
	data := encodeUTF16(t, text, false)
	if f, err := Detect("review.xml", data, ""); err != nil || f.Name != "ttml" {
		t.Errorf("UTF-16 TTML detected as %v (%v)", fname(f), err)
	}
	sink, meta := mustParse(t, "ttml", "review.ttml", data)
	if meta.Encoding != EncUTF16LE || len(sink.segs) != 3 {
		t.Fatalf("meta %+v, %d segments", meta, len(sink.segs))
	}
	s := sink.segs[1]
	want := encodeUTF16(t, `<p begin="0s"`, false)[2:] // without the byte-order mark
	if got := data[s.Offset : s.Offset+int64(len(want))]; string(got) != string(want) {
		t.Errorf("segment 2 at %d reads %q", s.Offset, got)
	}
}

func TestTTMLRefusesOtherXMLAndHugeText(t *testing.T) {
	if f, err := Detect("doc.xml", []byte(`<?xml version="1.0"?><html><p>x</p></html>`), ""); err == nil && f.Name == "ttml" {
		t.Errorf("an XHTML file was taken for TTML")
	}
	if f, err := Detect("doc.xml", []byte(`<tt><body><p begin="1s">x</p></body></tt>`), ""); err == nil && f.Name == "ttml" {
		t.Errorf("a <tt> outside the TTML namespace in a .xml file was taken for TTML")
	}
	_, _, err := parseWith(t, "ttml", "x.ttml", []byte(`<html/>`), Options{})
	if err == nil || !strings.Contains(err.Error(), "x.ttml") || !strings.Contains(err.Error(), "not a TTML file") {
		t.Errorf("err = %v", err)
	}
	big := `<tt xmlns="http://www.w3.org/ns/ttml"><body><p begin="1s">` + strings.Repeat("x", 5000) + `</p></body></tt>`
	_, _, err = parseWith(t, "ttml", "big.ttml", []byte(big), Options{MaxLine: 1000})
	if err == nil || !strings.Contains(err.Error(), "big.ttml:1:") || !strings.Contains(err.Error(), "limit") {
		t.Errorf("err = %v", err)
	}
}

// TestTTMLTimesInsideTimedDivs: TTML times are relative to the enclosing
// begin, but exporters such as Apple's repeat absolute times inside a <div>
// with both begin and end; those are read as absolute when they fit it.
func TestTTMLTimesInsideTimedDivs(t *testing.T) {
	data := []byte(`<tt xmlns="http://www.w3.org/ns/ttml"><body dur="3:00">
<div begin="19.764" end="59.300"><p begin="19.764" end="21.900">absolute, as Apple writes</p></div>
<div begin="60s" end="70s"><p begin="2s" end="4s">relative inside a timed div</p></div>
<div begin="100s"><p begin="1s" end="2s">relative inside an open div</p><p>untimed</p></div>
</body></tt>`)
	sink, _ := mustParse(t, "ttml", "x.ttml", data)
	want := [][2]int64{{19764, 21900}, {62000, 64000}, {101000, 102000}, {100000, -1}}
	if len(sink.segs) != len(want) {
		t.Fatalf("got %d segments", len(sink.segs))
	}
	for i, w := range want {
		if s := sink.segs[i]; s.StartMS != w[0] || s.EndMS != w[1] {
			t.Errorf("segment %d %q at %d-%d, want %d-%d", i+1, s.Text, s.StartMS, s.EndMS, w[0], w[1])
		}
	}
}
