package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"casebook/model"
)

// DefaultMaxLine is the longest line (or CSV row) an importer accepts, in bytes.
const DefaultMaxLine = 4 << 20

// Options are the investigator's choices for one import.
type Options struct {
	Kind    model.SourceKind  // restrict detection to this kind ("" for any)
	Format  string            // force this format by name ("" to detect)
	TZ      *time.Location    // zone for times written without an offset (nil: UTC)
	Map     map[string]string // role -> column, for access logs
	Date    string            // the date a transcript describes (YYYY-MM-DD), overriding what the file says
	MaxLine int               // longest accepted line in bytes (0: DefaultMaxLine)
	Year    int               // the year for times written without one (syslog); 0: unknown
	// DateOrder is how numeric dates whose values cannot tell are read:
	// "dmy" (10/05/2025 is 10 May) or "mdy" (5 October); "" decides from
	// the column's values and refuses a column they cannot decide.
	DateOrder string
	// NoHeader reads a delimited access log whose first row is data, not
	// column names: its columns are named "column 1", "column 2", … and
	// its first row is data row 1.
	NoHeader bool
}

// Location returns the zone for times without an offset.
func (o Options) Location() *time.Location {
	if o.TZ == nil {
		return time.UTC
	}
	return o.TZ
}

// LineLimit returns the longest accepted line in bytes.
func (o Options) LineLimit() int {
	if o.MaxLine <= 0 {
		return DefaultMaxLine
	}
	return o.MaxLine
}

// Sink receives the records a parser finds, in order. Returning an error stops
// the parse; the error is passed back from Parse.
type Sink interface {
	// Segment receives one transcript segment. Seq, Line and Offset are set by the parser.
	Segment(s *model.Segment) error
	// Event receives one access event. Row, Line, Offset and Raw are set by the parser.
	Event(e *model.Event) error
	// Warn records a problem that did not stop the parse; line is 0 when it concerns the whole file.
	Warn(line int, msg string)
	// Reject records a row or line that could not be turned into a record.
	// A non-nil error (the investigator asked for --strict) must stop the
	// parse and be returned from Parse.
	Reject(r Rejection) error
}

// Rejection is a row or line that could not be turned into a record.
type Rejection struct {
	Line   int    // 1-based line in the original where it starts
	Row    int    // 1-based data row for tabular formats, 0 otherwise
	Raw    string // the row or line as it stands (valid UTF-8, possibly cut to a limit)
	Reason string // why it was refused, one line
}

// Input is one file handed to a parser.
type Input struct {
	Name string    // file name for messages (base name or archive path)
	R    io.Reader // the file's bytes, from the start
	Size int64     // total size in bytes, or -1 when unknown
	Opts Options
	// Reopen, when set, reads the same bytes again from the start (for a
	// first pass over a column whose first rows cannot decide how its dates
	// read). Parsers work without it.
	Reopen func() (io.ReadCloser, error)
}

// reread is in read again from its start through Reopen (decompressed when
// gzip), for a first pass; close it when done.
func (in Input) reread() (Input, io.Closer, error) {
	rc, err := in.Reopen()
	if err != nil {
		return in, nil, Errorf(in.Name, 0, "read the file again for its dates: %v", err)
	}
	again := in
	again.R = rc
	if again, err = gunzipInput(again); err != nil {
		rc.Close()
		return in, nil, err
	}
	return again, rc, nil
}

// Meta is what a parser learned about the file as a whole.
type Meta struct {
	Encoding  string // "utf-8", "utf-8-bom", "utf-16le", "windows-1252", ...
	Title     string // a title found in the file, if any
	Describes string // the date the file describes (YYYY-MM-DD), "" when unknown
	TimeZone  string // the zone used for times written without an offset
}

// Format is one file format Casebook can read.
type Format struct {
	Name    string           // stable name, used by --format, e.g. "vtt"
	Kind    model.SourceKind // what the records are
	Version int              // bumped whenever the parser's output changes
	Title   string           // human description, e.g. "WebVTT captions"
	// Detect returns a confidence from 0 (not this format) to 100 (certainly
	// this format) given the file name and its first bytes (up to 64 KiB).
	Detect func(name string, head []byte) int
	// Parse reads the whole input and sends its records to sink.
	Parse func(ctx context.Context, in Input, sink Sink) (Meta, error)
	// Fallback, when set, is asked only when the investigator has named
	// this format's kind and no format of that kind recognised the file:
	// a confidence that it can still read it (a one-line transcript).
	Fallback func(name string, head []byte) int
}

// ImporterID names the parser and its version, as recorded on a source.
func (f *Format) ImporterID() string { return fmt.Sprintf("casebook/%s@%d", f.Name, f.Version) }

var (
	mu      sync.RWMutex
	formats = map[string]*Format{}
)

// Register adds a format; its parser's records reach the sink with their
// text cleaned of invalid UTF-8 and NUL bytes. It panics on a duplicate name, which is a
// programming error.
func Register(f Format) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := formats[f.Name]; dup {
		panic("importer: duplicate format " + f.Name)
	}
	parse := f.Parse
	f.Parse = func(ctx context.Context, in Input, sink Sink) (Meta, error) {
		return parse(ctx, in, cleanSink{sink})
	}
	formats[f.Name] = &f
}

// Formats lists the registered formats sorted by name.
func Formats() []*Format {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]*Format, 0, len(formats))
	for _, f := range formats {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup returns the format with the given name.
func Lookup(name string) (*Format, error) {
	mu.RLock()
	defer mu.RUnlock()
	f, ok := formats[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q: %w", name, model.ErrInvalid)
	}
	return f, nil
}

// HeadSize is how many leading bytes Detect is given.
const HeadSize = 64 << 10

// ErrUnknownFormat is returned by Detect when no format recognises a file.
var ErrUnknownFormat = errors.New("not a file Casebook can import")

// Detect picks the format that recognises head with the highest confidence,
// among formats of the given kind ("" for any). Ties go to the name that
// sorts first, so detection is deterministic.
func Detect(name string, head []byte, kind model.SourceKind) (*Format, error) {
	if len(head) == 0 {
		return nil, fmt.Errorf("%s: empty file: %w", name, ErrUnknownFormat)
	}
	if bytes.HasPrefix(head, evtxMagic) {
		return nil, refuseBinaryEVTX(name)
	}
	if looksBinary(head) {
		return nil, fmt.Errorf("%s: %w: %s", name, ErrUnknownFormat, binaryRefusal(name, head))
	}
	var best *Format
	bestScore := 0
	for _, f := range Formats() {
		if kind != "" && f.Kind != kind {
			continue
		}
		if s := f.Detect(name, head); s > bestScore {
			best, bestScore = f, s
		}
	}
	if best == nil && kind != "" && !bytes.HasPrefix(head, zipMagic) { // fallbacks read text, not zip containers
		for _, f := range Formats() {
			if f.Kind == kind && f.Fallback != nil {
				if s := f.Fallback(name, head); s > bestScore {
					best, bestScore = f, s
				}
			}
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%s: %w: %s", name, ErrUnknownFormat, refusal(name, head, kind))
	}
	if kind != "" && bestScore <= 60 {
		// A weak guess of the asked kind loses to a sure one of another:
		// an Event Viewer CSV is not a "Name: text" transcript.
		for _, f := range Formats() {
			if s := f.Detect(name, head); f.Kind != kind && s >= 90 {
				return nil, fmt.Errorf("%s: %w: it reads as %s (%s) at %d%%, of kind %s, not as a %s (the best %s format gave %d%%): "+
					"import it without --kind %s; %s", name, ErrUnknownFormat, f.Name, f.Title, s, f.Kind, kind, kind, bestScore, kind, refusalWayForward)
			}
		}
	}
	return best, nil
}

// Error is a problem at a place in a file. It prints as "file:line: message".
type Error struct {
	File string
	Line int // 0 when it concerns the whole file
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Unwrap makes every Error an ErrInvalid.
func (e *Error) Unwrap() error { return model.ErrInvalid }

// Errorf builds an Error.
func Errorf(file string, line int, format string, args ...any) error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}
