package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"casebook/model"
)

// The fidelity corpus: real third-party files in testdata/realworld at the
// repository root (see SOURCES.md there). testdata/realworld/expected.py
// reads each file with its own small reader per format, independent of
// Casebook, and writes the expected record count and field values to
// expected.json; this test imports every file as casefile does (detect
// from the name and the first HeadSize bytes, then parse) and compares.

// realworldDir is the corpus, relative to this package.
const realworldDir = "../testdata/realworld"

// realworldEntry is one file of expected.json.
type realworldEntry struct {
	File    string           `json:"file"`
	Format  string           `json:"format"`
	Kind    model.SourceKind `json:"kind"`
	Records int              `json:"records"`
	Year    int              `json:"year"` // --year for year-less syslog stamps
	How     string           `json:"how"`
	Checks  []struct {
		Field  string `json:"field"`
		Record int    `json:"record"`
		Want   string `json:"want"`
	} `json:"checks"`
}

// realworldSink keeps every record and rejection a parser sends.
type realworldSink struct {
	segs    []*model.Segment
	events  []*model.Event
	rejects []Rejection
	warns   []string
}

func (s *realworldSink) Segment(g *model.Segment) error {
	c := *g
	s.segs = append(s.segs, &c)
	return nil
}

func (s *realworldSink) Event(e *model.Event) error {
	c := *e
	s.events = append(s.events, &c)
	return nil
}

func (s *realworldSink) Warn(line int, msg string) {
	s.warns = append(s.warns, fmt.Sprintf("%d: %s", line, msg))
}

func (s *realworldSink) Reject(r Rejection) error {
	s.rejects = append(s.rejects, r)
	return nil
}

// records is how many segments or events arrived.
func (s *realworldSink) records() int { return len(s.segs) + len(s.events) }

// rejectSummary lists the first few rejections for a failure message.
func (s *realworldSink) rejectSummary() string {
	var b strings.Builder
	for i, r := range s.rejects {
		if i == 3 {
			fmt.Fprintf(&b, " … (%d in all)", len(s.rejects))
			break
		}
		fmt.Fprintf(&b, " [line %d: %s]", r.Line, r.Reason)
	}
	return b.String()
}

func loadRealworld(t *testing.T) []realworldEntry {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(realworldDir, "expected.json"))
	if err != nil {
		t.Fatalf("read the corpus expectations: %v", err)
	}
	var entries []realworldEntry
	if err := json.Unmarshal(b, &entries); err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	if len(entries) < 40 {
		t.Fatalf("expected.json lists %d files, the corpus needs at least 40", len(entries))
	}
	return entries
}

func TestRealWorldFilesImportWithEveryRecordAndField(t *testing.T) {
	for _, e := range loadRealworld(t) {
		t.Run(e.File, func(t *testing.T) {
			f, err := Lookup(e.Format)
			if err != nil {
				t.Fatalf("format %s not registered", e.Format)
			}
			data := fetchedFile(t, "realworld", e.File)
			// Detection as casefile does it: the name and the first HeadSize bytes.
			head := data[:min(len(data), HeadSize)]
			got, err := Detect(e.File, head, "")
			switch {
			case err != nil:
				t.Errorf("detect: %v (want %s)", err, e.Format)
			case got.Name != e.Format:
				t.Errorf("detected as %s, want %s", got.Name, e.Format)
			}
			if f.Kind != e.Kind {
				t.Errorf("format %s reads %s, expected.json says %s", f.Name, f.Kind, e.Kind)
			}
			// Parse with the expected format, so a wrong detection still shows
			// what the right parser makes of the file.
			sink := &realworldSink{}
			_, err = f.Parse(context.Background(), Input{Name: e.File, R: bytes.NewReader(data), Size: int64(len(data)),
				Opts: Options{Year: e.Year}}, sink)
			if err != nil {
				t.Fatalf("parse as %s: %v", e.Format, err)
			}
			if n := sink.records(); n != e.Records {
				t.Errorf("%d records, want %d (%s); %d rejected%s", n, e.Records, e.How, len(sink.rejects), sink.rejectSummary())
			}
			for _, c := range e.Checks {
				if msg := checkRealworldField(sink, c.Field, c.Record, c.Want); msg != "" {
					t.Errorf("record %d %s: %s", c.Record, c.Field, msg)
				}
			}
		})
	}
}

// checkRealworldField compares one field of one record; "" when it matches.
// start_ms, speaker, ip, action, resource are exact; text_prefix is the
// start of the text; actor matches the actor's name or id; time compares
// instants at the precision the expectation is written with.
func checkRealworldField(s *realworldSink, field string, i int, want string) string {
	if strings.HasPrefix(field, "time") || field == "ip" || field == "actor" || field == "action" || field == "resource" {
		if i >= len(s.events) {
			return fmt.Sprintf("only %d events", len(s.events))
		}
		e := s.events[i]
		var got string
		switch field {
		case "time":
			w, err := time.Parse(time.RFC3339Nano, want)
			if err != nil {
				return fmt.Sprintf("bad expectation %q: %v", want, err)
			}
			precision := time.Second
			if dot := strings.IndexByte(want, '.'); dot >= 0 {
				digits := len(strings.TrimSuffix(want[dot+1:], "Z"))
				precision = time.Duration(1)
				for k := digits; k < 9; k++ {
					precision *= 10
				}
			}
			if !e.Time.Truncate(precision).Equal(w) {
				return fmt.Sprintf("got %s (%q), want %s", e.Time.Format(time.RFC3339Nano), e.TimeText, want)
			}
			return ""
		case "ip":
			got = e.IP
		case "actor":
			if e.ActorID == want {
				return ""
			}
			got = e.ActorName
		case "action":
			got = e.Action
		case "resource":
			got = e.Resource
		}
		if got != want {
			return fmt.Sprintf("got %q, want %q", got, want)
		}
		return ""
	}
	if i >= len(s.segs) {
		return fmt.Sprintf("only %d segments", len(s.segs))
	}
	g := s.segs[i]
	switch field {
	case "start_ms":
		w, err := strconv.ParseInt(want, 10, 64)
		if err != nil {
			return fmt.Sprintf("bad expectation %q", want)
		}
		if g.StartMS != w {
			return fmt.Sprintf("got %d, want %d", g.StartMS, w)
		}
	case "speaker":
		if g.Speaker != want {
			return fmt.Sprintf("got %q, want %q (text %q)", g.Speaker, want, g.Text)
		}
	case "text_prefix":
		if !strings.HasPrefix(g.Text, want) {
			return fmt.Sprintf("text %q does not start with %q", g.Text, want)
		}
	default:
		return fmt.Sprintf("unknown check field %q", field)
	}
	return ""
}
