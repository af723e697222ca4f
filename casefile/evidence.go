package casefile

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"casebook/model"
	"casebook/store"
)

// Tagging is one tag on one item (a source, a segment or a quote inside it,
// or an event), made by hand or suggested by a rule.
type Tagging = store.Tagging

// TagInfo is a tag with its state and counts.
type TagInfo = store.TagInfo

// Statement is a claim the investigator records, with its evidence links.
type Statement = store.Statement

// StatementLink ties evidence to a statement.
type StatementLink = store.StatementLink

// DefaultTags are the tags every case starts with; rules add their own tags
// (bulk, off-hours, offshore-copy) the same way.
var DefaultTags = []model.Tag{
	{Name: "foreign-access", Color: "#c0392b", Description: "protected home-user data touched from abroad"},
	{Name: "no-approval", Color: "#d35400", Description: "protected data touched without an approval id"},
	{Name: "foreign-approver", Color: "#8e44ad", Description: "approval granted from outside the home jurisdictions"},
	{Name: "sensitive-data", Color: "#2c3e50", Description: "protected categories of personal data"},
	{Name: "key-quote", Color: "#2980b9", Description: "words that matter"},
	{Name: "contradicts-statement", Color: "#c0392b", Description: "evidence against a public claim"},
	{Name: "follow-up", Color: "#7f8c8d", Description: "to look at again"},
}

// evidenceReady remembers the cases whose default tags and rules exist.
var evidenceReady sync.Map // *Case -> bool

// ensureEvidence creates the default tags and built-in rules (and the tags
// those rules apply) the first time a case's evidence is used, so cases made
// before evidence existed get them too.
func (c *Case) ensureEvidence(ctx context.Context) error {
	if _, ok := evidenceReady.Load(c); ok || c.readOnly != "" {
		// A read-only case lists what it holds; it cannot be given the
		// default tags and rules, and need not be to be read.
		return nil
	}
	who := c.Investigator(ctx)
	tags := append([]model.Tag(nil), DefaultTags...)
	for _, r := range BuiltinRules() {
		tags = append(tags, model.Tag{Name: r.Tag})
	}
	if err := c.store.EnsureTags(ctx, who, tags); err != nil {
		return err
	}
	if err := c.store.EnsureRules(ctx, who, BuiltinRules()); err != nil {
		return err
	}
	evidenceReady.Store(c, true)
	return nil
}

// afterChange brings the index in step so the change is searchable at once.
func (c *Case) afterChange(ctx context.Context) error { return c.syncIndex(ctx, nil) }

// Tags lists the case's tags with counts.
func (c *Case) Tags(ctx context.Context) ([]TagInfo, error) {
	if err := c.ensureEvidence(ctx); err != nil {
		return nil, err
	}
	return c.store.Tags(ctx)
}

// CreateTag adds a tag; nested tags use "/" ("foreign-access/CN").
func (c *Case) CreateTag(ctx context.Context, name, color, description string) (model.Tag, error) {
	if err := c.ensureEvidence(ctx); err != nil {
		return model.Tag{}, err
	}
	return c.store.CreateTag(ctx, c.Investigator(ctx), model.Tag{Name: name, Color: color, Description: description})
}

// RenameTag renames a tag and its children; tagged items are re-indexed.
func (c *Case) RenameTag(ctx context.Context, from, to string) error {
	if err := c.store.RenameTag(ctx, c.Investigator(ctx), from, to); err != nil {
		return err
	}
	return c.afterChange(ctx)
}

// MergeTag moves every tagging of from onto into; from is kept as merged.
func (c *Case) MergeTag(ctx context.Context, from, into string) error {
	if err := c.store.MergeTag(ctx, c.Investigator(ctx), from, into); err != nil {
		return err
	}
	return c.afterChange(ctx)
}

// DeleteTag soft-deletes a tag; its taggings are kept, marked removed.
func (c *Case) DeleteTag(ctx context.Context, name string) error {
	if err := c.store.DeleteTag(ctx, c.Investigator(ctx), name); err != nil {
		return err
	}
	return c.afterChange(ctx)
}

// TagOptions are the optional parts of a tagging.
type TagOptions struct {
	Note       string
	Quote      string  // "START:END", a character range inside a segment's text
	Confidence float64 // 0–1; 1 when zero
}

// ParseQuote parses "START:END" (character offsets, END exclusive).
func ParseQuote(s string) (start, end int, err error) {
	a, b, ok := strings.Cut(s, ":")
	start, err1 := strconv.Atoi(strings.TrimSpace(a))
	end, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || start < 0 || end <= start {
		return 0, 0, fmt.Errorf("quote %q: want START:END with 0 <= START < END: %w", s, model.ErrInvalid)
	}
	return start, end, nil
}

// Tag tags one item by hand: a confirmed tagging with the next exhibit
// number, findable by tag:NAME as soon as Tag returns. A tag that does not
// exist yet is created.
func (c *Case) Tag(ctx context.Context, item model.ItemID, tag string, opts TagOptions) (Tagging, error) {
	ts, err := c.tagItems(ctx, []model.ItemID{item}, tag, opts, false)
	if err != nil {
		return Tagging{}, err
	}
	return ts[0], nil
}

// TagSearch tags every hit of a search (all pages) and returns the new
// taggings; items that already carry the tag are left as they are.
func (c *Case) TagSearch(ctx context.Context, q Query, tag string, opts TagOptions) ([]Tagging, error) {
	var items []model.ItemID
	err := c.SearchAll(ctx, q, func(h Hit) error {
		id, err := model.ParseItemID(h.ID)
		if err == nil {
			items = append(items, id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, nil
	}
	return c.tagItems(ctx, items, tag, opts, true)
}

func (c *Case) tagItems(ctx context.Context, items []model.ItemID, tag string, opts TagOptions, skipDup bool) ([]Tagging, error) {
	if err := c.ensureEvidence(ctx); err != nil {
		return nil, err
	}
	name, err := store.NormalizeTagName(tag)
	if err != nil {
		return nil, err
	}
	if err := c.ensureTag(ctx, name); err != nil {
		return nil, err
	}
	qs, qe := -1, -1
	if opts.Quote != "" {
		if qs, qe, err = ParseQuote(opts.Quote); err != nil {
			return nil, err
		}
	}
	conf := opts.Confidence
	if conf <= 0 || conf > 1 {
		conf = 1
	}
	who := c.Investigator(ctx)
	ts := make([]Tagging, 0, len(items))
	for _, it := range items {
		if len(items) == 1 {
			if err := c.store.ItemExists(ctx, it); err != nil {
				return nil, err
			}
		}
		if qs >= 0 {
			if err := c.checkQuote(ctx, it, qs, qe); err != nil {
				return nil, err
			}
		}
		t := Tagging{Tag: name, QuoteStart: qs, QuoteEnd: qe, Confidence: conf}
		t.Item, t.Note, t.By, t.Origin, t.Status = it, opts.Note, who, store.OriginHand, store.StatusConfirmed
		ts = append(ts, t)
	}
	out, err := c.store.AddTaggings(ctx, who, ts, skipDup)
	if err != nil {
		return nil, err
	}
	return out, c.afterChange(ctx)
}

// ensureTag creates a tag by name (and its missing parents) when absent.
func (c *Case) ensureTag(ctx context.Context, name string) error {
	var tags []model.Tag
	parts := strings.Split(name, "/")
	for i := range parts {
		tags = append(tags, model.Tag{Name: strings.Join(parts[:i+1], "/")})
	}
	return c.store.EnsureTags(ctx, c.Investigator(ctx), tags)
}

// checkQuote validates a character range against a segment's text.
func (c *Case) checkQuote(ctx context.Context, it model.ItemID, start, end int) error {
	if it.Kind != model.ItemSegment {
		return fmt.Errorf("a quote is a range inside a segment, not %s: %w", it, model.ErrInvalid)
	}
	seg, err := c.store.Segment(ctx, it.N)
	if err != nil {
		return err
	}
	if n := len([]rune(seg.Text)); end > n {
		return fmt.Errorf("quote %d:%d is outside %s, which has %d characters: %w", start, end, it, n, model.ErrInvalid)
	}
	return nil
}

// Untag removes a tag from an item (marked removed, kept in the record).
func (c *Case) Untag(ctx context.Context, item model.ItemID, tag string) error {
	if _, err := c.store.RemoveTagging(ctx, c.Investigator(ctx), item, tag); err != nil {
		return err
	}
	return c.afterChange(ctx)
}

// Taggings lists taggings (see store.TaggingFilter).
func (c *Case) Taggings(ctx context.Context, f store.TaggingFilter) ([]Tagging, error) {
	return c.store.Taggings(ctx, f)
}

// Suggestions lists rule suggestions: of one rule when rule is not "", of
// one status when status is not "" (open ones are "suggested").
func (c *Case) Suggestions(ctx context.Context, rule, status string) ([]Tagging, error) {
	if err := c.ensureEvidence(ctx); err != nil {
		return nil, err
	}
	return c.store.Taggings(ctx, store.TaggingFilter{Origin: rule, Status: status, RulesOnly: true})
}

// Review accepts or rejects suggestions by id. Accepted ones become
// confirmed taggings with exhibit numbers, in the order given; a
// correlation's two items are linked as related.
func (c *Case) Review(ctx context.Context, ids []int64, accept bool) ([]Tagging, error) {
	who := c.Investigator(ctx)
	out, err := c.store.Review(ctx, who, ids, accept)
	if err != nil {
		return nil, err
	}
	if accept {
		for _, t := range out {
			if t.Related != "" {
				if err := c.store.AddRelated(ctx, who, t.Item.String(), t.Related, t.Origin, t.Explanation); err != nil {
					return out, err
				}
			}
		}
	}
	return out, c.afterChange(ctx)
}

// Related lists the items linked to item as related evidence.
func (c *Case) Related(ctx context.Context, item model.ItemID) ([]string, error) {
	return c.store.Related(ctx, item.String())
}

// AddNote attaches a note to an item. Private notes are never printed by
// the faces' exports.
func (c *Case) AddNote(ctx context.Context, item model.ItemID, text string, private bool) (model.Note, error) {
	if strings.TrimSpace(text) == "" {
		return model.Note{}, fmt.Errorf("an empty note: %w", model.ErrInvalid)
	}
	if err := c.store.ItemExists(ctx, item); err != nil {
		return model.Note{}, err
	}
	who := c.Investigator(ctx)
	n, err := c.store.AddNote(ctx, who, model.Note{Item: item, Text: text, By: who, Private: private})
	if err != nil {
		return n, err
	}
	return n, c.afterChange(ctx) // searchable as note: at once
}

// Notes lists the notes on item (every note when item is zero) whose text
// contains contains (ignoring case; "" for all). The search index also
// carries notes: note:WORD finds the items.
func (c *Case) Notes(ctx context.Context, item model.ItemID, contains string) ([]model.Note, error) {
	key := ""
	if item.N > 0 {
		key = item.String()
	}
	return c.store.Notes(ctx, key, contains)
}

// AddStatement records a claim: who made it, when (YYYY-MM-DD), the words,
// and where (optional).
func (c *Case) AddStatement(ctx context.Context, who, when, words, where string) (Statement, error) {
	if strings.TrimSpace(who) == "" || strings.TrimSpace(words) == "" {
		return Statement{}, fmt.Errorf("a statement needs who and the words: %w", model.ErrInvalid)
	}
	if when != "" {
		if _, err := time.Parse("2006-01-02", when); err != nil {
			return Statement{}, fmt.Errorf("statement date %q: want YYYY-MM-DD: %w", when, model.ErrInvalid)
		}
	}
	inv := c.Investigator(ctx)
	return c.store.AddStatement(ctx, inv, Statement{Who: who, When: when, Words: words, Where: where, By: inv})
}

// LinkStatement links an item to a statement as "supports" or "contradicts".
func (c *Case) LinkStatement(ctx context.Context, statement int64, item model.ItemID, relation, note string) (StatementLink, error) {
	if err := c.store.ItemExists(ctx, item); err != nil {
		return StatementLink{}, err
	}
	inv := c.Investigator(ctx)
	return c.store.LinkStatement(ctx, inv, statement, StatementLink{Item: item.String(), Relation: relation, Note: note, By: inv})
}

// StatementFrom drafts the statement a transcript passage records, for
// "record as statement": the speaker, the day the transcript describes,
// the words of the segment, and where it was said with its citation — the
// file, the page and line of a paginated transcript ("Tr. 982:24–983:2")
// or the line, the time code and the SHA-256. Nothing is stored: the
// investigator reads the draft, then AddStatement records it.
func (c *Case) StatementFrom(ctx context.Context, item model.ItemID) (Statement, error) {
	if item.Kind != model.ItemSegment {
		return Statement{}, fmt.Errorf("%s: a statement is recorded from a transcript's segment: %w", item, model.ErrInvalid)
	}
	seg, err := c.store.Segment(ctx, item.N)
	if err != nil {
		return Statement{}, err
	}
	src, err := c.store.Source(ctx, seg.SourceID)
	if err != nil {
		return Statement{}, err
	}
	where := "line " + strconv.Itoa(seg.Line)
	if p := seg.PageCite(); p != "" {
		where = "Tr. " + p + ", " + where
	}
	return Statement{Who: seg.Speaker, When: src.Describes, Words: seg.Text,
		Where: strings.TrimSpace(firstNonEmpty(src.Title, "") + " (" + citation(src, where, segTime(seg)) + ", " + item.String() + ")")}, nil
}

// Statements lists the statements with their links.
func (c *Case) Statements(ctx context.Context) ([]Statement, error) { return c.store.Statements(ctx) }

// Exhibit is one piece of confirmed evidence, as a report cites it.
type Exhibit struct {
	Exhibit     string // "EX-0001"
	Item        string
	Tag         string
	Quote       string // the quoted characters, "" when the whole item
	Note        string
	Citation    string // file, short SHA-256, line or row, time code
	Explanation string
	Tagging     int64
}

// Evidence lists the confirmed taggings in exhibit order, with citations.
func (c *Case) Evidence(ctx context.Context) ([]Exhibit, error) {
	ts, err := c.store.Evidence(ctx)
	if err != nil {
		return nil, err
	}
	srcs := map[int64]model.Source{}
	source := func(id int64) model.Source {
		if s, ok := srcs[id]; ok {
			return s
		}
		s, _ := c.store.Source(ctx, id)
		srcs[id] = s
		return s
	}
	out := make([]Exhibit, 0, len(ts))
	for _, t := range ts {
		ex := Exhibit{Exhibit: store.ExhibitLabel(t.Exhibit), Item: t.Item.String(), Tag: t.Tag, Note: t.Note,
			Explanation: t.Explanation, Tagging: t.ID}
		switch t.Item.Kind {
		case model.ItemSegment:
			seg, err := c.store.Segment(ctx, t.Item.N)
			if err != nil {
				return nil, err
			}
			if t.QuoteStart >= 0 {
				rs := []rune(seg.Text)
				ex.Quote = string(rs[min(t.QuoteStart, len(rs)):min(t.QuoteEnd, len(rs))])
			}
			where := "line " + strconv.Itoa(seg.Line)
			if c := seg.PageCite(); c != "" {
				where += ", Tr. " + c
			}
			ex.Citation = citation(source(seg.SourceID), where, segTime(seg))
		case model.ItemEvent:
			e, err := c.store.Event(ctx, t.Item.N)
			if err != nil {
				return nil, err
			}
			when := e.TimeText
			if !e.Time.IsZero() {
				when = e.Time.UTC().Format("2006-01-02 15:04:05Z")
			}
			ex.Citation = citation(source(e.SourceID), fmt.Sprintf("row %d (line %d)", e.Row, e.Line), when)
		case model.ItemSource:
			ex.Citation = citation(source(t.Item.N), "", "")
		}
		out = append(out, ex)
	}
	return out, nil
}

func segTime(s model.Segment) string {
	if s.StartMS < 0 {
		return ""
	}
	d := time.Duration(s.StartMS) * time.Millisecond
	return fmt.Sprintf("%02d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
}

func citation(src model.Source, where, when string) string {
	parts := []string{firstNonEmpty(src.Name, "?")}
	if len(src.SHA256) >= 12 {
		parts = append(parts, "sha256 "+src.SHA256[:12])
	}
	for _, p := range []string{where, when} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// tagsWithAncestors expands "a/b/c" to "a/b/c", "a/b" and "a", so a search
// for a parent tag finds its children's items.
func tagsWithAncestors(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		for {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
			i := strings.LastIndex(n, "/")
			if i < 0 {
				break
			}
			n = n[:i]
		}
	}
	return out
}

// Event returns one access event by id.
func (c *Case) Event(ctx context.Context, id int64) (model.Event, error) {
	return c.store.Event(ctx, id)
}

// Segment returns one transcript segment by id.
func (c *Case) Segment(ctx context.Context, id int64) (model.Segment, error) {
	return c.store.Segment(ctx, id)
}

// UpdateStatement changes a recorded statement; its links stay. The audit
// trail keeps the earlier wording.
func (c *Case) UpdateStatement(ctx context.Context, id int64, who, when, words, where string) (Statement, error) {
	who, when, words, where = strings.TrimSpace(who), strings.TrimSpace(when), strings.TrimSpace(words), strings.TrimSpace(where)
	if who == "" || words == "" {
		return Statement{}, fmt.Errorf("a statement needs who and the words: %w", model.ErrInvalid)
	}
	if when != "" {
		if _, err := time.Parse("2006-01-02", when); err != nil {
			return Statement{}, fmt.Errorf("statement date %q: want YYYY-MM-DD: %w", when, model.ErrInvalid)
		}
	}
	st := Statement{ID: id, Who: who, When: when, Words: words, Where: where}
	if err := c.store.UpdateStatement(ctx, c.Investigator(ctx), st); err != nil {
		return Statement{}, err
	}
	all, err := c.store.Statements(ctx)
	if err != nil {
		return Statement{}, err
	}
	for _, s := range all {
		if s.ID == id {
			return s, nil
		}
	}
	return Statement{}, fmt.Errorf("statement %d: %w", id, model.ErrNotFound)
}

// UnlinkStatement removes an evidence link (by its id) from its statement.
func (c *Case) UnlinkStatement(ctx context.Context, link int64) error {
	return c.store.UnlinkStatement(ctx, c.Investigator(ctx), link)
}
