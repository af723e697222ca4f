package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors shared by every layer. The faces (cli, ui) turn them into
// sentences; the layers below wrap them with context.
var (
	// ErrNotFound means the named item does not exist in the case.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate means the item (for example a file with the same SHA-256) is already in the case.
	ErrDuplicate = errors.New("already in the case")
	// ErrLocked means another Casebook process holds the case.
	ErrLocked = errors.New("case is open in another Casebook")
	// ErrNotCase means a folder is not a Casebook case.
	ErrNotCase = errors.New("not a Casebook case")
	// ErrInvalid means the input was malformed.
	ErrInvalid = errors.New("invalid input")
)

// SourceKind says what a source holds.
type SourceKind string

// The kinds of source Casebook imports.
const (
	KindTranscript SourceKind = "transcript"
	KindAccessLog  SourceKind = "accesslog"
	// KindRecording is a sound recording (a meeting's audio): no records of
	// its own at import; segments typed by hand while listening live on it.
	KindRecording SourceKind = "recording"
)

// Valid reports whether k is a known kind.
func (k SourceKind) Valid() bool {
	return k == KindTranscript || k == KindAccessLog || k == KindRecording
}

// Recording is what a recording source's bytes said at import.
type Recording struct {
	SourceID   int64
	Format     string // "wav", "mp3", "flac", or the container ffmpeg names
	SampleRate int    // Hz
	Channels   int
	DurationMS int64
}

// Pairing ties a transcript to the recording it was made from. A time t (ms)
// in the transcript is t + OffsetMS in the recording.
type Pairing struct {
	TranscriptID int64
	RecordingID  int64
	OffsetMS     int64
	How          string // PairedByName (paired on import by matching names) or PairedByHand
}

// How a pairing was made.
const (
	PairedByName = "name"
	PairedByHand = "hand"
)

// Source is one imported file, stored byte-for-byte under its SHA-256.
type Source struct {
	ID           int64
	SHA256       string // lowercase hex
	Size         int64
	Name         string // the original file name (base name, or zip path inside an archive)
	Path         string // where it came from, as given on import (informational)
	Kind         SourceKind
	Format       string // detected or forced format name, e.g. "plain-transcript"
	Encoding     string // detected text encoding, e.g. "utf-8", "utf-16le"
	Importer     string // importer name and version, e.g. "casebook/plain-transcript@1"
	ImportedAt   time.Time
	Title        string
	Describes    string // the date the source describes (YYYY-MM-DD), empty when unknown
	TimeZone     string // zone used for times without an offset
	Records      int64  // segments or events stored
	Rejects      int64  // rows or lines refused
	Warnings     []string
	Investigator string
}

// Segment is one utterance of a transcript, in order.
type Segment struct {
	ID       int64
	SourceID int64
	Seq      int   // 1-based order within the source
	StartMS  int64 // -1 when unknown
	EndMS    int64 // -1 when unknown
	Speaker  string
	Text     string
	Line     int   // 1-based line in the original where the segment starts
	Offset   int64 // byte offset in the original where the segment starts
	Length   int64 // bytes the segment spans in the original (0 when unknown)
	// Where a paginated transcript (a court reporter's or a printed hearing)
	// puts the segment: the page and line it starts on and the page and line
	// it ends on. Page 0 means the transcript has no pages; line 0 means the
	// page has no line numbers.
	Page, PageLine       int
	EndPage, EndPageLine int
	// ByHand marks a segment typed by an investigator while listening to a
	// recording (hand-transcribed); TypedBy and TypedAt say who and when.
	ByHand  bool
	TypedBy string
	TypedAt time.Time
}

// PageCite renders where a paginated transcript puts the segment the way
// lawyers cite it: "982:3–7", "982:24–983:2", "12" or "12–13" for pages
// without line numbers; "" when the transcript has no pages.
func (s *Segment) PageCite() string {
	if s.Page <= 0 {
		return ""
	}
	p, l, ep, el := s.Page, s.PageLine, s.EndPage, s.EndPageLine
	if ep < p {
		ep, el = p, l
	}
	if l <= 0 {
		if ep == p {
			return strconv.Itoa(p)
		}
		return strconv.Itoa(p) + "–" + strconv.Itoa(ep)
	}
	start := strconv.Itoa(p) + ":" + strconv.Itoa(l)
	switch {
	case ep == p && (el <= l):
		return start
	case ep == p:
		return start + "–" + strconv.Itoa(el)
	case el <= 0:
		return start + "–" + strconv.Itoa(ep)
	}
	return start + "–" + strconv.Itoa(ep) + ":" + strconv.Itoa(el)
}

// Event is one row of an access log: who touched which data, when, from where,
// and on whose approval.
type Event struct {
	ID              int64
	SourceID        int64
	Time            time.Time // UTC; zero when the row had no parsable time
	TimeText        string    // the time exactly as written in the source
	ActorName       string
	ActorID         string
	Office          string
	Country         string // ISO 3166 alpha-2 when known
	IP              string
	Action          string
	System          string
	Resource        string
	DataCategory    string
	SubjectRegion   string
	RecordCount     int64 // -1 when unknown
	ApprovalID      string
	Approver        string
	ApproverCountry string
	Purpose         string
	CountryFrom     string   // where Country came from: "source", "place" or "ip" ("" when unknown)
	IPCountry       string   // the country of IP in the case's IP-range table, when known
	Flags           []string // e.g. FlagCountryMismatch
	Raw             string   // the row as it stands in the original
	Row             int      // 1-based data row number (the header is row 0)
	Line            int      // 1-based line in the original where the row starts
	Offset          int64    // byte offset in the original where the row starts
	Context         EventContext
}

// Summary renders the event on one line, for search results and exports.
func (e Event) Summary() string {
	var b strings.Builder
	if !e.Time.IsZero() {
		b.WriteString(e.Time.UTC().Format("2006-01-02 15:04:05Z"))
	} else if e.TimeText != "" {
		b.WriteString(e.TimeText)
	}
	add := func(label, v string) {
		if v == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString(" · ")
		}
		if label != "" {
			b.WriteString(label)
			b.WriteString(" ")
		}
		b.WriteString(v)
	}
	who := e.ActorName
	if e.ActorID != "" {
		if who != "" {
			who += " (" + e.ActorID + ")"
		} else {
			who = e.ActorID
		}
	}
	add("", who)
	where := e.Office
	if e.Country != "" {
		if where != "" {
			where += ", " + e.Country
		} else {
			where = e.Country
		}
	}
	add("at", where)
	add("", e.Action)
	add("", e.Resource)
	add("category", e.DataCategory)
	if e.RecordCount >= 0 {
		add("records", strconv.FormatInt(e.RecordCount, 10))
	}
	if e.ApprovalID != "" {
		add("approval", e.ApprovalID)
	} else {
		add("", "no approval")
	}
	return b.String()
}

// FlagCountryMismatch marks an event whose source-given country disagrees
// with the country of its IP address.
const FlagCountryMismatch = "country-mismatch"

// Rejection is a row or line an importer refused, kept in the case.
type Rejection struct {
	ID       int64
	SourceID int64
	Line     int
	Row      int
	Reason   string
	Raw      string
}

// Tag is a label the investigator applies to items.
type Tag struct {
	ID          int64
	Name        string
	Color       string
	Description string
}

// Tagging links a tag to an item.
type Tagging struct {
	ID     int64
	TagID  int64
	Item   ItemID
	Note   string
	By     string
	At     time.Time
	Origin string // "hand" or the rule that suggested it
	Status string // suggested, confirmed, rejected
}

// Note is the investigator's text attached to an item.
type Note struct {
	ID      int64
	Item    ItemID
	Text    string
	By      string
	At      time.Time
	Private bool
}

// AuditEntry is one link of the case's append-only, hash-chained audit trail.
type AuditEntry struct {
	Seq      int64
	At       time.Time
	Actor    string
	Action   string // import, tag, untag, note, rule, report, create, reindex
	Detail   string // JSON
	PrevHash string
	Hash     string
}

// ItemKind is the kind part of an ItemID.
type ItemKind string

// Item kinds with their id prefixes.
const (
	ItemSource  ItemKind = "src"
	ItemSegment ItemKind = "seg"
	ItemEvent   ItemKind = "evt"
)

// ItemID names one item of the case with a short, stable string such as
// "seg-123".
type ItemID struct {
	Kind ItemKind
	N    int64
}

// String renders the id as "kind-N".
func (i ItemID) String() string { return string(i.Kind) + "-" + strconv.FormatInt(i.N, 10) }

// ParseItemID parses "src-7", "seg-123" or "evt-456".
func ParseItemID(s string) (ItemID, error) {
	k, n, ok := strings.Cut(s, "-")
	if !ok {
		return ItemID{}, fmt.Errorf("item id %q: %w", s, ErrInvalid)
	}
	switch ItemKind(k) {
	case ItemSource, ItemSegment, ItemEvent:
	default:
		return ItemID{}, fmt.Errorf("item id %q: unknown kind: %w", s, ErrInvalid)
	}
	v, err := strconv.ParseInt(n, 10, 64)
	if err != nil || v <= 0 {
		return ItemID{}, fmt.Errorf("item id %q: %w", s, ErrInvalid)
	}
	return ItemID{Kind: ItemKind(k), N: v}, nil
}
