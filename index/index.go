package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// MappingVersion changes whenever the mapping or the documents change shape;
// an index built with another version is rebuilt.
const MappingVersion = 1

var (
	keyApplied = []byte("casebook.applied")
	keyMapping = []byte("casebook.mapping")
	keyCase    = []byte("casebook.case")
	keyState   = []byte("casebook.state")
)

// ErrStale means the index was built for another case or mapping version, or
// an earlier rebuild did not finish: it must be rebuilt.
var ErrStale = errors.New("index is stale")

// Doc is what the index stores of one segment or event.
type Doc struct {
	ID       string    `json:"-"`
	Kind     string    `json:"kind"` // "segment" or "event"
	Source   string    `json:"source"`
	Text     string    `json:"text"`
	CJK      string    `json:"cjk,omitempty"`
	Speaker  string    `json:"speaker,omitempty"`
	Actor    string    `json:"actor,omitempty"`
	Country  string    `json:"country,omitempty"`
	Office   string    `json:"office,omitempty"`
	Category string    `json:"category,omitempty"`
	Approval string    `json:"approval,omitempty"` // "yes" or "no" for events
	Time     time.Time `json:"time,omitempty"`
	Records  float64   `json:"records,omitempty"`
	Tags     []string  `json:"tag,omitempty"`
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
}

func buildMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = en.AnalyzerName
	im.DefaultField = "text"
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store = false
	text.IncludeTermVectors = true
	text.IncludeInAll = false

	cjkText := bleve.NewTextFieldMapping()
	cjkText.Analyzer = cjk.AnalyzerName
	cjkText.Store = false
	cjkText.IncludeTermVectors = true
	cjkText.IncludeInAll = false

	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = true
		return f
	}
	dt := bleve.NewDateTimeFieldMapping()
	dt.Store = false
	dt.IncludeInAll = false
	num := bleve.NewNumericFieldMapping()
	num.Store = false
	num.IncludeInAll = false

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("text", text)
	dm.AddFieldMappingsAt("cjk", cjkText)
	for _, f := range []string{"kind", "source", "speaker", "actor", "country", "office", "category", "approval", "tag"} {
		dm.AddFieldMappingsAt(f, kw())
	}
	dm.AddFieldMappingsAt("time", dt)
	dm.AddFieldMappingsAt("records", num)
	im.DefaultMapping = dm
	return im
}

// openConfig is the configuration for creating or opening an index: a held
// index fails after bolt_timeout instead of blocking forever. Bleve writes
// into the map it is given (paths among other things), so every call gets
// a fresh one.
func openConfig() map[string]interface{} {
	return map[string]interface{}{"bolt_timeout": "2s"}
}

// Create makes a new, empty index at path (which must not exist) for the
// case with the given id.
func Create(path, caseID string) (*Index, error) {
	idx, err := bleve.NewUsing(path, buildMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, openConfig())
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
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
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	idx, err := bleve.OpenUsing(path, openConfig())
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
	return ix, nil
}

// MarkReady records that a build has finished; until then Open reports the
// index as stale.
func (ix *Index) MarkReady() error {
	b := ix.idx.NewBatch()
	b.SetInternal(keyState, []byte("ready"))
	return ix.idx.Batch(b)
}

// Close closes the index.
func (ix *Index) Close() error { return ix.idx.Close() }

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
	if err := ctx.Err(); err != nil {
		return err
	}
	b := ix.idx.NewBatch()
	for i := range docs {
		if err := b.Index(docs[i].ID, docs[i]); err != nil {
			return fmt.Errorf("index %s: %w", docs[i].ID, err)
		}
	}
	for _, id := range deletes {
		b.Delete(id)
	}
	b.SetInternal(keyApplied, []byte(pos.String()))
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("index batch: %w", err)
	}
	return nil
}

// DocCount returns how many documents the index holds.
func (ix *Index) DocCount() (uint64, error) { return ix.idx.DocCount() }

// Hit is one search result.
type Hit struct {
	ID    string
	Score float64
	// Matches are the byte ranges of matching terms in the document's text
	// (the Text field, or CJK when the match was there, which holds the same
	// text). The index stores no text itself; callers cut snippets from the
	// record.
	Matches []Span
}

// Span is a byte range [Start, End) in a document's text.
type Span struct{ Start, End int }

// Results is one page of search results.
type Results struct {
	Total  uint64
	Hits   []Hit
	Facets map[string][]FacetCount
}

// FacetCount is one value of a facet with its count.
type FacetCount struct {
	Term  string
	Count int
}

// Request is a search.
type Request struct {
	Query  string   // query-string syntax
	Size   int      // hits per page (default 20)
	From   int      // offset
	Facets []string // keyword fields to count
	ByTime bool     // sort by time instead of score
}

// Search runs a query-string search.
func (ix *Index) Search(ctx context.Context, r Request) (Results, error) {
	var q query.Query
	if strings.TrimSpace(r.Query) == "" || strings.TrimSpace(r.Query) == "*" {
		q = bleve.NewMatchAllQuery()
	} else {
		qs := bleve.NewQueryStringQuery(r.Query)
		if _, err := qs.Parse(); err != nil {
			return Results{}, fmt.Errorf("query %q: %w", r.Query, err)
		}
		// Also look in the CJK field so Chinese, Japanese and Korean text is found.
		cq := bleve.NewMatchQuery(r.Query)
		cq.SetField("cjk")
		cq.Analyzer = cjk.AnalyzerName
		cq.SetBoost(0.5)
		if hasCJK(r.Query) {
			q = bleve.NewDisjunctionQuery(qs, cq)
		} else {
			q = qs
		}
	}
	size := r.Size
	if size <= 0 {
		size = 20
	}
	req := bleve.NewSearchRequestOptions(q, size, r.From, false)
	req.IncludeLocations = true
	if r.ByTime {
		req.SortBy([]string{"time", "_id"})
	}
	for _, f := range r.Facets {
		req.AddFacet(f, bleve.NewFacetRequest(f, 20))
	}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return Results{}, fmt.Errorf("search %q: %w", r.Query, err)
	}
	out := Results{Total: res.Total, Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		hit := Hit{ID: h.ID, Score: h.Score}
		for _, field := range []string{"text", "cjk"} {
			for _, locs := range h.Locations[field] {
				for _, l := range locs {
					hit.Matches = append(hit.Matches, Span{Start: int(l.Start), End: int(l.End)})
				}
			}
		}
		out.Hits = append(out.Hits, hit)
	}
	for name, fr := range res.Facets {
		var fc []FacetCount
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				fc = append(fc, FacetCount{Term: t.Term, Count: t.Count})
			}
		}
		out.Facets[name] = fc
	}
	return out, nil
}

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
