package importer

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"casebook/model"
)

// eventSink keeps everything an access-log parser sends.
type eventSink struct {
	events  []*model.Event
	warns   []string
	rejects []Rejection
	strict  bool // refuse the first rejection, as --strict does
}

func (s *eventSink) Segment(*model.Segment) error {
	return fmt.Errorf("an access-log parser sent a segment")
}
func (s *eventSink) Event(e *model.Event) error {
	c := *e
	s.events = append(s.events, &c)
	return nil
}
func (s *eventSink) Warn(line int, msg string) {
	s.warns = append(s.warns, fmt.Sprintf("%d: %s", line, msg))
}
func (s *eventSink) Reject(r Rejection) error {
	s.rejects = append(s.rejects, r)
	if s.strict {
		return fmt.Errorf("line %d: %s (strict)", r.Line, r.Reason)
	}
	return nil
}

// parseLog runs the named access-log format on data.
func parseLog(t testing.TB, format, name string, data []byte, opts Options) (*eventSink, Meta, error) {
	t.Helper()
	f, err := Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	s := &eventSink{}
	meta, err := f.Parse(context.Background(), Input{Name: name, R: bytes.NewReader(data), Size: int64(len(data)), Opts: opts}, s)
	return s, meta, err
}

// mustParseLog parses data, fails on an error, and checks the invariants
// every access-log parser keeps: rows increase, offsets and lines are in
// the input, the time is set and in UTC, Raw is what the file holds at the
// offset (decoded, for uncompressed input in another encoding).
func mustParseLog(t testing.TB, format, name string, data []byte, opts Options) *eventSink {
	t.Helper()
	s, _, err := parseLog(t, format, name, data, opts)
	if err != nil {
		t.Fatalf("%s as %s: %v", name, format, err)
	}
	checkEvents(t, s.events, data)
	return s
}

func checkEvents(t testing.TB, evs []*model.Event, data []byte) {
	t.Helper()
	last := 0
	for i, e := range evs {
		if e.Row <= last {
			t.Fatalf("event %d has row %d after row %d", i+1, e.Row, last)
		}
		last = e.Row
		if e.Line < 1 || e.Offset < 0 || e.Offset >= int64(len(data)) {
			t.Fatalf("event %d (row %d) at line %d offset %d, outside the %d-byte input", i+1, e.Row, e.Line, e.Offset, len(data))
		}
		if e.Time.IsZero() || e.Time.Location() != timeUTC || e.TimeText == "" {
			t.Fatalf("event row %d: time %v (%q)", e.Row, e.Time, e.TimeText)
		}
		if e.Raw == "" {
			t.Fatalf("event row %d has no raw text", e.Row)
		}
		if !IsGzip(data) && len(e.Raw) < maxRejectRaw {
			at := data[e.Offset:]
			if d := Decoder(SniffEncoding(data[:min(len(data), HeadSize)])); d != nil {
				// Raw is decoded text: decode the original from the offset.
				at, _ = d.Bytes(at[:min(len(at), 4*len(e.Raw)+8)])
			}
			if !bytes.HasPrefix(at, []byte(e.Raw)) {
				t.Fatalf("event row %d: the input at offset %d reads %q, Raw is %q", e.Row, e.Offset,
					at[:min(len(at), 60)], cutText(e.Raw, 60))
			}
		}
	}
}

// rejectReasons lists the reasons of the rejections.
func (s *eventSink) rejectReasons() []string {
	var out []string
	for _, r := range s.rejects {
		out = append(out, fmt.Sprintf("%d: %s", r.Line, r.Reason))
	}
	return out
}

var timeUTC = mustUTC()

func mustUTC() *time.Location { return time.UTC }
