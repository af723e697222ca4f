package importer

import (
	"bytes"
	"testing"
	"time"
)

// lumoraNoHeader is a fictional sshd export with no header row.
const lumoraNoHeader = "2022-02-01T08:15:00Z,vagrant,198.51.100.7,login\n" +
	"2022-02-01T08:17:41Z,mira.okafor,203.0.113.5,sudo\n" +
	"2022-02-02T23:48:19Z,vagrant,198.51.100.7,logout\n"

// A file without a header row, read with NoHeader, keeps its first row as
// data row 1 at line 1, byte 0, and its columns are named by number.
func TestCSVLogWithoutHeaderKeepsTheFirstRow(t *testing.T) {
	data := []byte(lumoraNoHeader)
	s := mustParseLog(t, "csv-accesslog", "lumora_sshd.csv", data, Options{NoHeader: true,
		Map: map[string]string{"time": "1", "actor": "column 2", "ip": "column 3", "action": "4"}})
	if len(s.events) != 3 || len(s.rejects) != 0 {
		t.Fatalf("%d events, %d rejects (%v), want 3 and 0", len(s.events), len(s.rejects), s.rejectReasons())
	}
	first := s.events[0]
	if first.Row != 1 || first.Line != 1 || first.Offset != 0 || first.ActorName != "vagrant" || first.IP != "198.51.100.7" || first.Action != "login" {
		t.Errorf("first event: row %d line %d offset %d actor %q ip %q action %q", first.Row, first.Line, first.Offset,
			first.ActorName, first.IP, first.Action)
	}
	if want := time.Date(2022, 2, 1, 8, 15, 0, 0, time.UTC); !first.Time.Equal(want) {
		t.Errorf("first time %v, want %v", first.Time, want)
	}
	second := int64(bytes.IndexByte(data, '\n') + 1)
	if s.events[1].Offset != second || s.events[1].Line != 2 || s.events[1].Row != 2 {
		t.Errorf("second event: row %d line %d offset %d, want 2, 2, %d", s.events[1].Row, s.events[1].Line, s.events[1].Offset, second)
	}
	// Without NoHeader the first row is taken for the header: one row fewer.
	s = mustParseLog(t, "csv-accesslog", "lumora_sshd.csv", data, Options{Map: map[string]string{"time": "1", "actor": "2"}})
	if len(s.events) != 2 {
		t.Errorf("with a header: %d events, want 2", len(s.events))
	}
}

// A first row holding a time or an address is data; a row of names is not.
func TestLooksLikeData(t *testing.T) {
	for _, c := range []struct {
		row  []string
		want bool
	}{
		{[]string{"2022-02-01T08:15:00Z", "vagrant", "198.51.100.7"}, true},
		{[]string{"vagrant", "198.51.100.7", "login"}, true},
		{[]string{"timestamp", "user", "ip"}, false},
		{[]string{"evt_when", "usr", "site_cc"}, false}, // names no role knows, but no value either
		{[]string{"vagrant", "login", "ok"}, false},
		{[]string{"id", "20220201", "count"}, false}, // a number is no time
	} {
		if got := LooksLikeData(c.row); got != c.want {
			t.Errorf("LooksLikeData(%q) = %v, want %v", c.row, got, c.want)
		}
	}
}

// FuzzCSVLogNoHeader reads arbitrary bytes as a CSV log without a header:
// no panic, no hang, the event invariants kept.
func FuzzCSVLogNoHeader(f *testing.F) {
	fuzzLogWith(f, "csv-accesslog", Options{MaxLine: 1 << 16, Year: 2024, NoHeader: true, Map: map[string]string{"time": "1"}},
		lumoraNoHeader, "\n\n2024-01-01,a\n\"x\ny\",\"b\nc")
}
