package importer

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// Dates as people export them, each with the instant it names (written by
// hand from the text, not computed by the parser).
func TestTimesAsPeopleWriteThem(t *testing.T) {
	for in, want := range map[string]string{
		"May 10, 2025":                          "2025-05-10T00:00:00Z",
		"10 May 2025":                           "2025-05-10T00:00:00Z",
		"10 May 2025 16:05":                     "2025-05-10T16:05:00Z",
		"10 May 2025 4:05 PM":                   "2025-05-10T16:05:00Z",
		"May 10, 2025 4:05:03 pm":               "2025-05-10T16:05:03Z",
		"May 10, 2025 4:05 p.m.":                "2025-05-10T16:05:00Z",
		"Saturday, May 10, 2025":                "2025-05-10T00:00:00Z",
		"Saturday, May 10, 2025 12:05:03 AM":    "2025-05-10T00:05:03Z",
		"9/20/2023 4:05:03 AM":                  "2023-09-20T04:05:03Z",
		"2025-05-10 14:03:00 CEST":              "2025-05-10T12:03:00Z",
		"2025-05-10 14:03:00 Europe/Berlin":     "2025-05-10T12:03:00Z",
		"May 10, 2025 9:00 AM America/New_York": "2025-05-10T13:00:00Z",
		"5/10/2025 4:05 PM UTC+2":               "2025-05-10T14:05:00Z",
		"5/10/2025 4:05 PM (UTC+05:30)":         "2025-05-10T10:35:00Z",
		"10 May 2025 16:05 +0200":               "2025-05-10T14:05:00Z",
		"2026-01-24T06:54:24.0000000Z ":         "2026-01-24T06:54:24Z",
		"/Date(1695182703000)/":                 "2023-09-20T04:05:03Z",
		`\/Date(1695182703000+0200)\/`:          "2023-09-20T04:05:03Z",
	} {
		got, err := ParseTime(in, nil)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("ParseTime(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"May 32, 2025", "10 Mai 2025", "5/10/2025 4:05 PM Mars/Olympus", "5/10/2025 UTC+25"} {
		if got, err := ParseTime(bad, nil); err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", bad, got)
		}
	}
}

// The day/month order of a column: 13..31 first makes it day first (even
// when another value has its second number over 12, which is then refused);
// else a second number over 12 makes it month first; --date-order decides
// otherwise; with nothing to tell, the rows are refused naming --date-order.
func TestDateOrderDecidedPerColumn(t *testing.T) {
	row := func(d string) string { return d + ",lumora-app,mira.okafor,203.0.113.5,read\n" }
	head := "date,system,user,ip,action\n"
	cases := []struct {
		name  string
		dates []string
		order string
		want  []string // RFC 3339 per row, "!" + part of the reason when refused
	}{
		{"day first", []string{"05/10/2025", "13/10/2025"}, "", []string{"2025-10-05T00:00:00Z", "2025-10-13T00:00:00Z"}},
		{"month first", []string{"05/10/2025", "10/13/2025"}, "", []string{"2025-05-10T00:00:00Z", "2025-10-13T00:00:00Z"}},
		{"day first wins", []string{"05/10/2025", "10/13/2025", "13/10/2025"}, "",
			[]string{"2025-10-05T00:00:00Z", "!reads only with the other day/month order", "2025-10-13T00:00:00Z"}},
		{"ambiguous", []string{"05/10/2025", "06/10/2025"}, "", []string{"!--date-order dmy or mdy", "!--date-order dmy or mdy"}},
		{"flag dmy", []string{"05/10/2025", "06/10/2025"}, "dmy", []string{"2025-10-05T00:00:00Z", "2025-10-06T00:00:00Z"}},
		{"flag mdy", []string{"05/10/2025", "06/10/2025"}, "mdy", []string{"2025-05-10T00:00:00Z", "2025-06-10T00:00:00Z"}},
		{"flag mdy refuses day first", []string{"05/10/2025", "13/10/2025"}, "mdy", []string{"2025-05-10T00:00:00Z", "!as --date-order says"}},
		{"12-hour clock", []string{"05/10/2025 4:05:03 PM", "05/13/2025 12:01 AM"}, "", []string{"2025-05-10T16:05:03Z", "2025-05-13T00:01:00Z"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(head)
			for _, d := range c.dates {
				b.WriteString(row(d))
			}
			s, _, err := parseLog(t, "csv-accesslog", "x.csv", []byte(b.String()), Options{DateOrder: c.order})
			var got []string
			ev, rj := 0, 0
			for row := 1; row <= len(c.dates); row++ {
				switch {
				case ev < len(s.events) && s.events[ev].Row == row:
					got = append(got, s.events[ev].Time.Format(time.RFC3339))
					ev++
				case rj < len(s.rejects) && s.rejects[rj].Row == row:
					got = append(got, "!"+s.rejects[rj].Reason)
					rj++
				default:
					got = append(got, "?")
				}
			}
			for i, w := range c.want {
				if strings.HasPrefix(w, "!") != strings.HasPrefix(got[i], "!") || !strings.Contains(got[i], strings.TrimPrefix(w, "!")) {
					t.Errorf("row %d: got %q, want %q (err %v)", i+1, got[i], w, err)
				}
			}
		})
	}
}

// reopenable reads data again and again, as casefile's stored original does.
func reopenable(data []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
}

// A time-ordered log whose first 300 rows are all in the first twelve days:
// only a value far down the file tells the order. With Reopen the parser
// reads the column once first and every row is read day first; without it
// the rows before that value are refused, each saying why (but for
// 05/05, which reads the same both ways).
func TestDateOrderFromAllValuesOfALongFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,user,ip,action\n")
	n := 0
	for day := 1; day <= 13; day++ {
		for i := 0; i < 25; i++ {
			fmt.Fprintf(&b, "%02d/05/2025 %02d:%02d,user%d,203.0.113.%d,read\n", day, i%24, i, i, i+1)
			n++
		}
	}
	data := []byte(b.String())
	s, _, err := parseLog(t, "csv-accesslog", "long.csv", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// 05/05 reads the same both ways and 13/05 tells: 50 rows read
	if len(s.events) != 50 || len(s.rejects) != n-50 || !strings.Contains(s.rejects[0].Reason, "--date-order") {
		t.Fatalf("without a first pass: %d events %d rejects (%v)", len(s.events), len(s.rejects), s.rejectReasons()[:1])
	}
	f, _ := Lookup("csv-accesslog")
	s2 := &eventSink{}
	if _, err := f.Parse(t.Context(), Input{Name: "long.csv", R: bytes.NewReader(data), Size: int64(len(data)), Reopen: reopenable(data)}, s2); err != nil {
		t.Fatal(err)
	}
	checkEvents(t, s2.events, data)
	if len(s2.events) != n || len(s2.rejects) != 0 {
		t.Fatalf("with a first pass: %d events %d rejects", len(s2.events), len(s2.rejects))
	}
	if got := s2.events[25].Time.Format(time.RFC3339); got != "2025-05-02T00:00:00Z" {
		t.Errorf("row 26 (02/05/2025 00:00) read as %s", got)
	}
}

func FuzzDateOrderColumn(f *testing.F) {
	f.Add("05/10/2025\n13/10/2025\n", "")
	f.Add("05/10/2025 4:05 PM UTC+2\n10/13/2025\n", "mdy")
	f.Add("May 10, 2025\n10 May 2025 16:05 Europe/Berlin\n", "dmy")
	f.Fuzz(func(t *testing.T, dates, order string) {
		if order != "dmy" && order != "mdy" {
			order = ""
		}
		p := newTimeParser(nil, true, nil, order, nil)
		for i, d := range strings.Split(dates, "\n") {
			p.Observe(d)
			if i > 200 {
				break
			}
		}
		p.Settled()
		for i, d := range strings.Split(dates, "\n") {
			got, err := p.Parse(d, i+1)
			if err == nil && (got.Location() != time.UTC || got.Year() < minYear || got.Year() > maxYear) {
				t.Fatalf("%q read as %v", d, got)
			}
			if i > 200 {
				break
			}
		}
	})
}

// JSON Lines read the whole time key once too when the first records
// cannot tell the day/month order.
func TestDateOrderFromAllValuesOfJSONLines(t *testing.T) {
	var b strings.Builder
	n := 0
	for day := 1; day <= 13; day++ {
		for i := 0; i < 20; i++ {
			fmt.Fprintf(&b, `{"timestamp":"%02d/05/2025 %02d:00","user":"user%d","ip":"203.0.113.%d","action":"read"}`+"\n", day, i, i, i+1)
			n++
		}
	}
	data := []byte(b.String())
	f, _ := Lookup("jsonl-accesslog")
	s := &eventSink{}
	if _, err := f.Parse(t.Context(), Input{Name: "long.jsonl", R: bytes.NewReader(data), Size: int64(len(data)), Reopen: reopenable(data)}, s); err != nil {
		t.Fatal(err)
	}
	if len(s.events) != n || len(s.rejects) != 0 {
		t.Fatalf("%d events %d rejects (%v)", len(s.events), len(s.rejects), s.rejectReasons())
	}
	if got := s.events[20].Time.Format(time.RFC3339); got != "2025-05-02T00:00:00Z" {
		t.Errorf("record 21 (02/05/2025 00:00) read as %s", got)
	}
}
