// Package demo generates Casebook's built-in demo case: a FICTIONAL
// investigation into "Lumora", an invented short-video company whose US user
// data was viewed from offices abroad in 2022 while it told an invented
// legislative committee that strict approval controls existed.
//
// Every person, company, committee and quote in the case is made up. The
// generator is deterministic: Files returns the same bytes on every call, on
// every machine, so tests of later features can rely on the evidence the
// Manifest lists (planted access-log rows and planted quotes).
//
// The package uses only the standard library.
package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// Kinds of planted access-log rows. A row can carry several kinds; the
// manifest then lists it once per kind.
const (
	// KindForeignAccess marks a row where staff in an office outside the US
	// (CN, SG or IE) touched protected US user data.
	KindForeignAccess = "foreign-access"
	// KindNoApproval marks a row that touched protected data (any office)
	// without an approval id.
	KindNoApproval = "no-approval"
	// KindForeignApprover marks a row on protected US data whose approval was
	// granted by an approver outside the US.
	KindForeignApprover = "foreign-approver"
	// KindBulk marks a row on protected data with more records than the bulk
	// threshold (DemoBulkThreshold), or one of the rows of a day on which an
	// actor's volume of protected records was far above their usual day.
	KindBulk = "bulk"
	// KindOffHours marks a row on protected data made outside the office's
	// working hours (08:00–19:00, Monday to Friday, in the office's own time
	// zone; see OfficeZones).
	KindOffHours = "off-hours"
	// KindOffshoreCopy marks a read of US users' protected data from the
	// backup copy kept in Singapore (resources matching Policy.Offshore) on or
	// after Policy.OffshoreFrom.
	KindOffshoreCopy = "offshore-copy"
)

// DemoBulkThreshold is the record count above which one row is bulk.
const DemoBulkThreshold = 10000

// OfficeZones are the IANA time zones of Lumora's offices.
var OfficeZones = map[string]string{
	"Austin": "America/Chicago", "Toronto": "America/Toronto", "Beijing": "Asia/Shanghai",
	"Shanghai": "Asia/Shanghai", "Singapore": "Asia/Singapore", "Dublin": "Europe/Dublin",
}

// Policy is the part of the investigator's policy the demo data assumes
// beyond Casebook's defaults.
type Policy struct {
	Offshore     []string // resource patterns (SQL LIKE) of storage located abroad
	OffshoreFrom string   // YYYY-MM-DD: reads of that storage count from this day
}

// Kinds of planted quotes.
const (
	// QuoteContradicts marks words that contradict one of the Statements.
	QuoteContradicts = "contradicts-statement"
	// QuoteKey marks an important admission or fact.
	QuoteKey = "key-quote"
	// QuoteStatement marks the company's own public claim, as spoken.
	QuoteStatement = "statement"
)

// Manifest lists the planted evidence of the demo case, so tests can check
// that later features find it.
type Manifest struct {
	Title         string           // the case title
	Investigator  string           // the fictional investigator who opens the case
	Transcripts   []TranscriptFile // the meeting transcripts, in date order
	AccessLog     LogFile          // the access log
	PlantedRows   []PlantedRow     // suspicious access-log rows, by row then kind
	PlantedQuotes []PlantedQuote   // quotes that matter, in file order
	Statements    []Statement      // the company's fictional public claims
	Policy        Policy           // policy settings the planted offshore rows assume
}

// TranscriptFile describes one transcript of the demo case.
type TranscriptFile struct {
	Name     string // file name inside the case folder
	Format   string // format name the importer should detect, e.g. "vtt"
	Segments int    // segments (utterances) the importer should produce
	Date     string // the meeting date, YYYY-MM-DD
	Title    string // a human title for the meeting
	Speakers bool   // false when the format carries no speaker names
}

// LogFile describes the access log of the demo case.
type LogFile struct {
	Name    string   // file name inside the case folder
	Rows    int      // data rows, not counting the header
	Columns []string // the header, in order
}

// PlantedRow is one access-log row planted as evidence.
type PlantedRow struct {
	File    string // the access log's file name
	Row     int    // 1-based data row number (the header is row 0)
	Kind    string // KindForeignAccess, KindNoApproval, KindForeignApprover, KindBulk, KindOffHours or KindOffshoreCopy
	ActorID string // employee id of the person who accessed the data
	Country string // the actor's office country
	Why     string // one sentence saying why the row matters
}

// PlantedQuote is one sentence planted in a transcript.
type PlantedQuote struct {
	File    string // the transcript's file name
	Speaker string // the speaker as the importer should show it ("" when the format has none)
	Text    string // exact words: a substring of one segment's text and of the file's bytes
	Kind    string // QuoteContradicts, QuoteKey or QuoteStatement
}

// Statement is one of Lumora's fictional public claims that the evidence
// contradicts.
type Statement struct {
	Who   string // who said it, with role
	Date  string // YYYY-MM-DD
	Where string // the setting, e.g. the hearing
	Words string // the claim, verbatim
	File  string // the demo file that records it ("" when none)
}

// Case-level facts.
const (
	caseTitle     = "Lumora: US user data viewed from abroad (demo, fictional)"
	investigator  = "Alex Marlowe"
	accessLogName = "lumora_data_access_2022.csv"
)

type generated struct {
	files    map[string][]byte
	manifest Manifest
	err      error
}

var (
	genOnce sync.Once
	gen     generated
)

// build generates the case once; callers get copies.
func build() *generated {
	genOnce.Do(func() {
		gen.files = map[string][]byte{}
		gen.manifest = Manifest{Title: caseTitle, Investigator: investigator}
		for _, m := range meetings() {
			data, tf, quotes, err := renderMeeting(m)
			if err != nil {
				gen.err = err
				return
			}
			gen.files[tf.Name] = data
			gen.manifest.Transcripts = append(gen.manifest.Transcripts, tf)
			gen.manifest.PlantedQuotes = append(gen.manifest.PlantedQuotes, quotes...)
		}
		data, lf, rows, err := accessLog()
		if err != nil {
			gen.err = err
			return
		}
		gen.files[lf.Name] = data
		gen.manifest.AccessLog = lf
		gen.manifest.PlantedRows = rows
		gen.manifest.Statements = statements()
		gen.manifest.Policy = Policy{Offshore: []string{offshorePattern}, OffshoreFrom: offshoreFrom}
	})
	return &gen
}

// Files returns the demo case's source files as name -> bytes,
// deterministically (same bytes every call). The map and slices are fresh
// copies the caller may modify.
func Files() (map[string][]byte, error) {
	g := build()
	if g.err != nil {
		return nil, g.err
	}
	out := make(map[string][]byte, len(g.files))
	for k, v := range g.files {
		out[k] = bytes.Clone(v)
	}
	return out, nil
}

// Load returns the demo case's manifest without writing any files.
func Load() Manifest {
	return cloneManifest(build().manifest)
}

// Write writes Files() into dir (created 0700 if missing, files 0600) and
// returns the manifest. It does not write the manifest itself; see
// WriteManifest.
func Write(dir string) (Manifest, error) {
	files, err := Files()
	if err != nil {
		return Manifest{}, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Manifest{}, fmt.Errorf("demo: %w", err)
	}
	for _, name := range sortedKeys(files) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o600); err != nil {
			return Manifest{}, fmt.Errorf("demo: %w", err)
		}
	}
	return Load(), nil
}

// WriteManifest writes m as indented JSON to path (mode 0600), for example as
// "demo-manifest.json" beside the folder Write filled. The manifest is not
// evidence, so it is never part of Files.
func WriteManifest(path string, m Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("demo: manifest: %w", err)
	}
	data = append(data, '\n')
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

func cloneManifest(m Manifest) Manifest {
	m.Transcripts = append([]TranscriptFile(nil), m.Transcripts...)
	m.AccessLog.Columns = append([]string(nil), m.AccessLog.Columns...)
	m.PlantedRows = append([]PlantedRow(nil), m.PlantedRows...)
	m.PlantedQuotes = append([]PlantedQuote(nil), m.PlantedQuotes...)
	m.Statements = append([]Statement(nil), m.Statements...)
	m.Policy.Offshore = append([]string(nil), m.Policy.Offshore...)
	return m
}

func sortedKeys(m map[string][]byte) []string {
	return slices.Sorted(maps.Keys(m))
}
