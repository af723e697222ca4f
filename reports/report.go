package reports

import "time"

// Report is everything a report shows. casefile fills it from the case.
type Report struct {
	Title        string
	Investigator string
	CaseID       string
	Summary      Summary
	Sections     []Section // findings: one per statement and per tag
	Sources      []Source  // the chain of custody
	Methodology  []string  // paragraphs: the policy and rules as run
	Rules        []Rule    // rules run, with their parameters
	Audit        []AuditLine
	Searches     []NamedQuery // saved searches used
	People       []string     // names of people, for pseudonymisation
	// Manifest, when set, is attached to the PDF as ManifestName and its
	// SHA-256 printed in the chain of custody, so a reader can check the
	// report's exhibits against the case (casebook verify-report).
	Manifest []byte
}

// ManifestName is the name of the manifest attached to a report.
const ManifestName = "casebook-manifest.json"

// Summary is the report's opening numbers.
type Summary struct {
	Transcripts, AccessLogs int
	Recordings              int // sound recordings (sources of kind recording)
	Segments, Events        int64
	ExhibitsByTag           []Count
	ForeignByMonth          []MonthCount // foreign accesses per month and country, for the chart
	TopActors               []Count
}

// Count is a label with a number.
type Count struct {
	Label string
	N     int64
}

// MonthCount is how many foreign accesses one country had in one month.
type MonthCount struct {
	Month   string // YYYY-MM
	Country string
	N       int64
}

// Section is one chapter of findings.
type Section struct {
	Title    string
	Intro    []string // paragraphs (e.g. the statement's words, who and when)
	Exhibits []Exhibit
}

// Exhibit kinds.
const (
	ExhibitQuote  = "quote"  // a transcript passage with the quote highlighted
	ExhibitEvent  = "event"  // one access event as a table of fields
	ExhibitEvents = "events" // many events as a paginated table
)

// Exhibit is one piece of evidence.
type Exhibit struct {
	Number string // EX-0001
	Kind   string
	Tag    string
	Role   string // "supports" or "contradicts" under a statement, else ""
	Note   string
	// Redacted withholds the exhibit's content (text, context, fields,
	// rows): it prints as a bar, keeping its number, tag and citation.
	Redacted bool
	// Quote exhibits: the segments around the quote, and the quote's place in Text.
	Speaker  string
	Meeting  string
	TimeCode string
	Before   string // the previous segment, "Speaker: text"
	Text     string // the segment holding the quote
	Start    int    // byte range of the quote in Text (Start == End: the whole segment)
	End      int
	After    string // the next segment
	// Event exhibits.
	Fields []Field
	// Events exhibits.
	Header  []string
	Rows    [][]string
	Weights []float64 // relative column widths (nil: equal)
	// Every exhibit cites where it comes from.
	Citation Citation
}

// Field is a name and value.
type Field struct{ Name, Value string }

// Citation says exactly where an exhibit comes from. Row, Line and Offset
// are cited when known: a zero Row or Line is unknown, and so is a zero
// Offset except on line 1 (a record further down cannot start at byte 0).
type Citation struct {
	File   string
	SHA256 string
	Line   int
	Row    int
	Offset int64
	// NoOffset says the source has no byte positions (a .docx or .xlsx is a
	// zip: Line is a paragraph or sheet row), so no byte is cited at all.
	NoOffset bool
	TimeCode string
	PageLine string // a paginated transcript's page and line, "982:3–7"
	// The recording a quote can be heard on: its file, SHA-256 and the
	// span in it (the pairing's offset applied, "0:02.537–0:04.937").
	// Empty when the transcript has no recording.
	SoundFile, SoundSHA256, SoundSpan string
	// ByHand says the quote was typed by hand while listening to the
	// recording, by whom and when; empty for a transcript's segment.
	ByHand string
}

// Source is one imported file, for the chain of custody.
type Source struct {
	ID         string
	Name       string
	Size       int64
	SHA256     string
	ImportedAt time.Time
	Importer   string
	Encoding   string
	Records    int64
	Rejects    int64
	Warnings   int
}

// Rule is a rule as run.
type Rule struct {
	Name, Condition, Parameters string
	Suggestions                 int
	// Coverage says how many items the rule could judge and why not the
	// rest ("4 of 19 events; 15 have no data category: load a data map"),
	// so that a rule with no suggestions is not read as "nothing happened".
	Coverage string
}

// AuditLine is one entry of the audit summary.
type AuditLine struct {
	Seq    int64
	At     time.Time
	Actor  string
	Action string
	Detail string
}

// NamedQuery is a saved search.
type NamedQuery struct{ Name, Query string }

// Options are the investigator's choices for one report.
type Options struct {
	Marking      string    // e.g. "CONFIDENTIAL — PREPARED FOR COUNSEL"
	Bates        string    // Bates prefix; "" for no stamp
	BatesStart   int       // first Bates number (default 1)
	Paper        string    // "A4" (default) or "Letter"
	Date         time.Time // the report's date (also fixes the PDF's creation date)
	Redact       []string  // words and names printed as solid bars
	Pseudonymise bool      // replace People with Employee A, B, …
}
