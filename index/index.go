package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion changes whenever the mapping or the documents change shape;
// an index built with another version is rebuilt.
const MappingVersion = 9

var (
	keyApplied = []byte("casebook.applied")
	keyMapping = []byte("casebook.mapping")
	keyCase    = []byte("casebook.case")
	keyState   = []byte("casebook.state")
)

// ErrStale means the index was built for another case or mapping version, or
// an earlier rebuild did not finish: it must be rebuilt.
var ErrStale = errors.New("index is stale")

// Doc is what the index holds of one segment or event. Keyword values are
// normalised on the way in (lower case; country upper case), so the caller
// need not. Empty values and a zero Time are left out of the index.
type Doc struct {
	ID       string
	Kind     string // "segment" or "event"
	Source   string // "src-7"
	Text     string // indexed stemmed ("text") and exact ("exact")
	CJK      string // the text again when it holds Han, Kana or Hangul
	Speaker  string
	Person   string // the person the speaker label was merged into, or the roster's name for an event's actor
	Actor    string
	Country  string
	Office   string
	Category string
	Approval string    // "yes" or "no" for events
	Time     time.Time // the event's time, or the segment's meeting date plus its start
	Records  *float64  // the event's record count, nil when unknown
	Tags     []string
	Notes    string   // the investigator's notes on the item (note:)
	IPs      []string // IP addresses the item carries (ip:); values that are not addresses are left out
}

// fields renders a document as the field map Bleve indexes.
func (d Doc) fields() map[string]interface{} {
	m := map[string]interface{}{"text": d.Text}
	if d.Notes != "" {
		m[fieldNote] = d.Notes
	}
	for k, v := range map[string]string{"kind": d.Kind, "source": d.Source, "cjk": d.CJK, "speaker": d.Speaker,
		"actor": d.Actor, "country": d.Country, "office": d.Office, "category": d.Category, "approval": d.Approval} {
		if v = strings.TrimSpace(v); v != "" {
			if k != "cjk" {
				v = normalizeKeyword(k, v)
			}
			m[k] = v
		}
	}
	if p := strings.TrimSpace(d.Person); p != "" && m["actor"] != nil && !strings.EqualFold(p, d.Actor) {
		// An event's actor as the log names it and as the roster does:
		// actor:"Daniel Okafor" finds his ARN's events.
		m["actor"] = []string{m["actor"].(string), normalizeKeyword("actor", p)}
	}
	if p := strings.TrimSpace(d.Person); p != "" && m["speaker"] != nil {
		// Both names: speaker:"Mia Chen" finds what "Speaker 2" said once
		// the label was merged into her, and the label still finds it.
		m["speaker"] = []string{m["speaker"].(string), normalizeKeyword("speaker", p)}
	}
	for f := range wordFields {
		// A name with diacritics also as folded, so speaker:"jorg muller"
		// finds "Jörg Müller" (the folded field exists only for them).
		var folded []string
		switch v := m[f].(type) {
		case string:
			if fv := Fold(v); fv != v {
				folded = append(folded, fv)
			}
		case []string:
			for _, x := range v {
				if fv := Fold(x); fv != x {
					folded = append(folded, fv)
				}
			}
		}
		if len(folded) > 0 {
			m[f+foldSuffix] = folded
		}
	}
	ipFields(m, d.IPs)
	if !d.Time.IsZero() {
		// Time as three single terms rather than Bleve's date-time field,
		// whose sixteen prefix terms a document cost about a third of all
		// indexing time for an access log: the instant (sorts as text),
		// the day (ranges of days are a few hundred terms) and the month
		// (the histogram).
		t := d.Time.UTC()
		m["time"] = timeTerm(t)
		m[fieldDay] = t.Format(dayLayout)
		m[fieldMonth] = t.Format(monthLayout)
	}
	if d.Records != nil {
		m["records"] = *d.Records
	}
	if len(d.Tags) > 0 {
		tags := make([]string, 0, len(d.Tags))
		for _, t := range d.Tags {
			if t = strings.TrimSpace(t); t != "" {
				tags = append(tags, normalizeKeyword("tag", t))
			}
		}
		m["tag"] = tags
	}
	return m
}

// indexed is the field map Bleve is given: the fields and their digest.
func (d Doc) indexed() map[string]interface{} {
	m := d.fields()
	m[fieldDigest] = digestOf(m)
	return m
}

// Layouts of the time terms: fixed width, so that text order is time order
// (years 0000 to 9999).
const (
	instantLayout = "2006-01-02T15:04:05.000000000Z"
	dayLayout     = "2006-01-02"
	monthLayout   = "2006-01"
)

// timeTerm is the "time" term of an instant.
func timeTerm(t time.Time) string { return t.UTC().Format(instantLayout) }

// normalizeKeyword is how a keyword value is indexed and queried: country
// codes upper case, everything else lower case.
func normalizeKeyword(field, v string) string {
	if field == "country" {
		return strings.ToUpper(v)
	}
	return strings.ToLower(v)
}

// Position is how far through the database's outbox the index has applied:
// every entry up to Seq, and within entry Seq+1 every item up to Partial.
type Position struct {
	Seq     int64
	Partial int64
}

func (p Position) String() string {
	return strconv.FormatInt(p.Seq, 10) + "/" + strconv.FormatInt(p.Partial, 10)
}

func parsePosition(b []byte) (Position, error) {
	s, part, ok := strings.Cut(string(b), "/")
	if !ok {
		return Position{}, fmt.Errorf("bad position %q", b)
	}
	seq, err1 := strconv.ParseInt(s, 10, 64)
	p, err2 := strconv.ParseInt(part, 10, 64)
	if err1 != nil || err2 != nil {
		return Position{}, fmt.Errorf("bad position %q", b)
	}
	return Position{Seq: seq, Partial: p}, nil
}

// Index is an open Bleve index.
type Index struct {
	idx  bleve.Index
	path string
	// snapshotDir is the folder of a copy opened by OpenSnapshot, removed
	// on Close; "" otherwise.
	snapshotDir string
	// released is when mapped segment pages were last given back.
	released mappedRelease
}

// Names of the analyzers and fields the mapping defines beyond Bleve's own.
const (
	// exactAnalyzer splits on Unicode word boundaries and lower-cases:
	// no stemming and no stop words, for quoted phrases, proximity,
	// wildcards, fuzzy terms and regular expressions. It adds the parts of
	// joined words and the folded form of words with diacritics (see
	// analysis.go).
	exactAnalyzer = "casebook_exact"

	// foldSuffix names the keyword field that holds a name field's value
	// with its diacritics folded, for the names that have any.
	foldSuffix = "_fold"

	fieldExactText = "exact" // the text, unstemmed
	fieldCJK       = "cjk"   // the text again when it holds Han, Kana or Hangul
	fieldNote      = "note"  // the investigator's notes on the item
	fieldDay       = "day"   // the item's UTC day, YYYY-MM-DD (time ranges)
	fieldMonth     = "month" // the item's UTC month, YYYY-MM (the histogram)
)

// keywordFields are matched as whole values, lower-cased (country upper-cased).
var keywordFields = []string{"kind", "source", "speaker", "actor", "country", "office", "category", "approval", "tag"}

// wordFields are keyword fields also indexed word by word, so speaker:mia
// finds "Mia Chen"; the words go into "<field>_words".
var wordFields = map[string]bool{"speaker": true, "actor": true, "office": true}

func buildMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	for name, cfg := range analyzerConfigs() {
		if err := im.AddCustomAnalyzer(name, cfg); err != nil {
			panic(err) // a programming error in a constant configuration
		}
	}
	im.DefaultAnalyzer = textAnalyzer
	im.DefaultField = "text"
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	textField := func(name, analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name = name
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = true
		return f
	}
	num := bleve.NewNumericFieldMapping()
	num.Store = false
	num.IncludeInAll = false
	num.DocValues = true

	dm := bleve.NewDocumentStaticMapping()
	// One JSON property, two fields: "text" stemmed, "exact" not.
	// The stemmed field keeps no term vectors (positions and offsets): they
	// were over a third of the index and of the time to build it. Its
	// matches are found again in the hit's text (Highlighter), and a word
	// that analyses to several terms is looked for as a phrase in "exact",
	// which keeps them for phrases, proximity and patterns.
	stemmed := textField("text", textAnalyzer)
	stemmed.IncludeTermVectors = false
	dm.AddFieldMappingsAt("text", stemmed, textField(fieldExactText, exactAnalyzer))
	dm.AddFieldMappingsAt(fieldCJK, textField(fieldCJK, cjk.AnalyzerName))
	dm.AddFieldMappingsAt(fieldNote, textField(fieldNote, textAnalyzer))
	for _, f := range keywordFields {
		if wordFields[f] {
			words := textField(f+"_words", exactAnalyzer)
			dm.AddFieldMappingsAt(f, kw(), words)
			folded := kw()
			folded.DocValues = false
			dm.AddFieldMappingsAt(f+foldSuffix, folded)
			continue
		}
		dm.AddFieldMappingsAt(f, kw())
	}
	dm.AddFieldMappingsAt(fieldIP, kw()) // counted by the facet
	ipHexField := kw()
	ipHexField.DocValues = false
	dm.AddFieldMappingsAt(fieldIPHex, ipHexField)
	dm.AddFieldMappingsAt("time", kw())     // sorts by time
	dm.AddFieldMappingsAt(fieldMonth, kw()) // counted by the histogram
	day := kw()
	day.DocValues = false
	dm.AddFieldMappingsAt(fieldDay, day)
	dm.AddFieldMappingsAt("records", num)
	dm.AddFieldMappingsAt(fieldDigest, digestField())
	// No "_all" composite field: every query names its fields (the default
	// is "text"), and the composite costs a pass over every token of every
	// document (about 10% of indexing time in the profile of an access log).
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	return im
}

// openConfig is the configuration for creating or opening an index: a held
// index fails after bolt_timeout instead of blocking forever, and merges
// follow mergePlan. Bleve writes into the map it is given (paths among
// other things), so every call gets a fresh one.
func openConfig() map[string]interface{} {
	return map[string]interface{}{
		"bolt_timeout": "2s",
		// Bleve reads these options as JSON: the plan's own struct has
		// function fields JSON cannot carry, so only what differs from
		// Bleve's default is given.
		"scorchMergePlanOptions": map[string]interface{}{"MaxSegmentSize": mergePlan().MaxSegmentSize},
	}
}

// maxSegmentDocs caps the documents of a segment that a merge produces.
// Bleve's default (five million) lets its tiered merger fold ten segments of
// 100,000 documents into one of a million once a case passes two million
// events: a merge that reads 600 MB of segment files through their memory
// maps, so the process's resident memory grew with the case (a 2M-row log's
// catch-up peaked at 1,135 MB against 502 MB at 1M). Under the cap a merge
// reads less than 200,000 documents' worth of segments (about 130 MB), and
// the same catch-up peaks at 660 MB in the same time. Search and the event
// filters measured the same over the capped and the uncapped 2M-row index
// (the queries of make bench: p95 18.6 against 18.4 ms; filters p50 0.79
// against 0.90 ms): a term's postings are read segment by segment either
// way. A variable so tests can use a small cap.
var maxSegmentDocs = 200_000

// mergePlan is the merge policy: Bleve's default tiers under maxSegmentDocs.
func mergePlan() mergeplan.MergePlanOptions {
	opts := mergeplan.DefaultMergePlanOptions
	opts.MaxSegmentSize = int64(maxSegmentDocs)
	return opts
}

// Create makes a new, empty index at path (which must not exist) for the
// case with the given id. An empty path makes an index held in memory only
// (for a read-only case whose index on disk cannot be used).
func Create(path, caseID string) (*Index, error) {
	idx, err := bleve.NewUsing(path, buildMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, openConfig())
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	if path != "" {
		// Bleve writes its index_meta.json with 0666 less the umask; the
		// rest of its files are owner-only already.
		if err := os.Chmod(filepath.Join(path, "index_meta.json"), 0o600); err != nil {
			idx.Close()
			return nil, fmt.Errorf("create index %s: %w", path, err)
		}
	}
	ix := &Index{idx: idx, path: path}
	b := idx.NewBatch()
	b.SetInternal(keyMapping, []byte(strconv.Itoa(MappingVersion)))
	b.SetInternal(keyCase, []byte(caseID))
	b.SetInternal(keyApplied, []byte(Position{}.String()))
	b.SetInternal(keyState, []byte("building"))
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	return ix, nil
}

// Open opens the index at path and checks that it belongs to the case and
// has the current mapping version and a finished build. A missing index is
// os.ErrNotExist; a stale one is ErrStale; anything else that fails to open
// is treated by callers as corrupt.
func Open(path, caseID string) (*Index, error) {
	return open(path, caseID, openConfig())
}

// OpenReadOnly opens the index at path like Open, for reading only: Bleve
// writes nothing to it (for a case on read-only storage).
func OpenReadOnly(path, caseID string) (*Index, error) {
	cfg := openConfig()
	cfg["read_only"] = true
	return open(path, caseID, cfg)
}

func open(path, caseID string, cfg map[string]interface{}) (*Index, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	idx, err := bleve.OpenUsing(path, cfg)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	ix := &Index{idx: idx, path: path}
	check := func(key []byte, want string) error {
		v, err := idx.GetInternal(key)
		if err != nil {
			return err
		}
		if string(v) != want {
			return fmt.Errorf("%s is %q, want %q: %w", key, v, want, ErrStale)
		}
		return nil
	}
	for _, c := range []struct {
		key  []byte
		want string
	}{{keyMapping, strconv.Itoa(MappingVersion)}, {keyCase, caseID}, {keyState, "ready"}} {
		if err := check(c.key, c.want); err != nil {
			idx.Close()
			return nil, fmt.Errorf("open index %s: %w", path, err)
		}
	}
	// Opening read every segment's doc-value headers through its mapping.
	_, _ = ix.releaseMapped()
	return ix, nil
}

// MarkReady records that a build has finished; until then Open reports the
// index as stale.
func (ix *Index) MarkReady() error {
	b := ix.idx.NewBatch()
	b.SetInternal(keyState, []byte("ready"))
	return ix.idx.Batch(b)
}

// Close closes the index (and removes the copy OpenSnapshot made).
func (ix *Index) Close() error {
	err := ix.idx.Close()
	if ix.snapshotDir != "" {
		if rerr := os.RemoveAll(ix.snapshotDir); err == nil {
			err = rerr
		}
	}
	return err
}

// Applied returns how far through the outbox the index has got.
func (ix *Index) Applied() (Position, error) {
	v, err := ix.idx.GetInternal(keyApplied)
	if err != nil {
		return Position{}, err
	}
	return parsePosition(v)
}

// Apply indexes docs, deletes ids, and records pos, in one atomic batch.
func (ix *Index) Apply(ctx context.Context, docs []Doc, deletes []string, pos Position) error {
	b := ix.NewBulk(ctx)
	if err := b.Add(docs, deletes, pos); err != nil {
		b.Close()
		return err
	}
	return b.Close()
}

// DocCount returns how many documents the index holds.
func (ix *Index) DocCount() (uint64, error) { return ix.idx.DocCount() }

// HasCJK reports whether s holds Han, Hiragana, Katakana or Hangul letters.
func HasCJK(s string) bool { return hasCJK(s) }

func hasCJK(s string) bool {
	for _, r := range s {
		if (r >= 0x3040 && r <= 0x30FF) || (r >= 0x3400 && r <= 0x9FFF) || (r >= 0xAC00 && r <= 0xD7AF) ||
			(r >= 0xF900 && r <= 0xFAFF) || (r >= 0x20000 && r <= 0x2FA1F) {
			return true
		}
	}
	return false
}
