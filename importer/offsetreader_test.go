package importer

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// encodedLog is a small access log in UTF-8 with characters outside ASCII
// in every row, so any drift between decoded and original offsets shows.
const encodedLogCSV = "time,user,office,country,approval,purpose\n" +
	"2024-03-01T10:00:00Z,Zoë Müller,Zürich,CH,APR-1,\"revue, étape 1\"\n" +
	"2024-03-01T10:01:00Z,José Peña,Málaga,ES,,\"multi\nline ñ\"\n" +
	"2024-03-01T10:02:00Z,李娜,上海,CN,,检查\n" +
	"2024-03-01T10:03:00Z,Ana,Lisboa,PT,APR-2,ok\n"

func encodeAll(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func TestOffsetsAreExactInEveryEncoding(t *testing.T) {
	latin := strings.ReplaceAll(encodedLogCSV, "2024-03-01T10:02:00Z,李娜,上海,CN,,检查\n", "")
	cases := []struct {
		name string
		data []byte
		enc  string
	}{
		{"utf8.csv", []byte(encodedLogCSV), EncUTF8},
		{"bom.csv", append([]byte{0xEF, 0xBB, 0xBF}, encodedLogCSV...), EncUTF8BOM},
		{"cp1252.csv", encodeAll(t, charmap.Windows1252, latin), Enc1252},
		{"utf16le.csv", encodeAll(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), encodedLogCSV), EncUTF16LE},
		{"utf16be.csv", encodeAll(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), encodedLogCSV), EncUTF16BE},
		{"gb.csv", encodeAll(t, simplifiedchinese.GB18030, encodedLogCSV), EncGB18030},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, meta, err := parseLog(t, "csv-accesslog", c.name, c.data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if meta.Encoding != c.enc {
				t.Fatalf("encoding %q, want %q", meta.Encoding, c.enc)
			}
			want := strings.Count(encodedLogCSV, "2024-")
			if c.name == "cp1252.csv" {
				want--
			}
			if len(s.events) != want {
				t.Fatalf("%d events, want %d; rejects %v", len(s.events), want, s.rejectReasons())
			}
			checkEvents(t, s.events, c.data)
			if s.events[1].Line != 3 || !strings.Contains(s.events[1].Raw, "line ñ") {
				t.Errorf("multi-line row: line %d raw %q", s.events[1].Line, s.events[1].Raw)
			}
		})
	}
}

func TestJSONArrayOffsetsInUTF16(t *testing.T) {
	text := `[{"time":"2024-03-01T10:00:00Z","user":"Zoë","ip":"192.0.2.1","action":"view"},` + "\n" +
		` {"time":"2024-03-01T10:01:00Z","user":"李娜","ip":"192.0.2.2","action":"export"}]`
	data := encodeAll(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), text)
	s := mustParseLog(t, "jsonl-accesslog", "a.json", data, Options{})
	if len(s.events) != 2 {
		t.Fatalf("%d events; rejects %v", len(s.events), s.rejectReasons())
	}
}

func TestOffsetReaderMapsEveryCharacter(t *testing.T) {
	text := "aé李\U0001F600b\n€x"
	for _, e := range []encoding.Encoding{charmap.Windows1252, simplifiedchinese.GB18030,
		unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), unicode.UTF16(unicode.BigEndian, unicode.UseBOM)} {
		src := text
		if e == charmap.Windows1252 {
			src = "aé€b\nx"
		}
		data := encodeAll(t, e, src)
		o, _, err := NewOffsetReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(o)
		if err != nil || string(out) != src {
			t.Fatalf("%v: decoded %q (%v), want %q", e, out, err, src)
		}
		// Every character boundary maps to where that character starts.
		for i, r := range src {
			at := o.SourceOffset(int64(i))
			rest, _ := e.NewDecoder().Bytes(data[at:])
			if !strings.HasPrefix(string(rest), src[i:]) {
				t.Fatalf("%v: offset %d (%q) maps to %d, which reads %q", e, i, r, at, rest)
			}
		}
		if got := o.SourceOffset(int64(len(src))); got != int64(len(data)) {
			t.Errorf("%v: end maps to %d, want %d", e, got, len(data))
		}
	}
}
