package casefile

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"filippo.io/age/armor"

	"casebook/importer"
	"casebook/index"
	"casebook/model"
	"casebook/reports"
	"casebook/store"
)

// What the window needs beyond the command line's calls: previewing a log's
// columns before import, the review queue grouped by who and when, statement
// editing, settings, the access-log table in any column's order, and a
// preview of a report's contents.

// ImportFiles lists the files an import of paths would read: files as
// given, folders walked as Import walks them (hidden entries and symlinks
// skipped). A path that does not exist is an error naming it.
func ImportFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, cleanOSError(err))
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		found, err := walkFolder(p)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// RolePlacement is where a role's column was found and how sure that is.
type RolePlacement = importer.Placement

// KeyRoles are the roles whose absence makes a log's mapping unsure.
var KeyRoles = []string{"time", "actor", "country", "resource", "approval"}

// LogPreview is the head of a file as the mapping dialog shows it: its
// columns, its first rows, and where Casebook would place each role.
type LogPreview struct {
	File    string
	Format  string // the format Casebook detects, "" when none fits
	Kind    string // transcript or accesslog, "" when unknown
	Tabular bool   // columns that can be mapped: a headed CSV/TSV or JSON objects
	Header  []string
	Rows    [][]string               // the first rows, aligned with Header
	Placed  map[string]RolePlacement // role -> column
	Unsure  []string                 // key roles not placed, or placed with under 50% confidence
	Advice  string                   // the importer's sentence about unsure roles, "" when none
}

// EssentialRoles are the roles without which an access log's events say
// nothing: when and who.
var EssentialRoles = []string{"time", "actor"}

// NeedsMapping reports whether the investigator should place the columns
// by hand before importing: a table whose format is not recognised, or
// whose time or actor column is not placed with confidence. Other unsure
// key roles (a log without approvals, say) are reported by the import as
// warnings; the window offers the mapping for any table on request.
func (p LogPreview) NeedsMapping() bool {
	if !p.Tabular || p.Kind == string(model.KindTranscript) {
		return false
	}
	if p.Format == "" {
		return true
	}
	for _, r := range EssentialRoles {
		if slices.Contains(p.Unsure, r) {
			return true
		}
	}
	return false
}

// PreviewLog reads the head of the file at path and places its columns as
// an import with opts would (a saved profile's mapping and opts.Map
// applied), returning up to rows data rows. A file that is not a table
// (a transcript, a syslog) comes back with Tabular false.
func (c *Case) PreviewLog(ctx context.Context, path string, opts ImportOptions, rows int) (LogPreview, error) {
	pv := LogPreview{File: path, Placed: map[string]RolePlacement{}}
	mapping, format, err := c.mergedMapping(ctx, opts)
	if err != nil {
		return pv, err
	}
	raw, err := readHead(path)
	if err != nil {
		return pv, fmt.Errorf("%s: %w", path, cleanOSError(err))
	}
	if importer.IsArchive(path, raw) {
		return pv, nil // each entry is previewed, or not, when the archive is imported
	}
	head, inner, gz := importer.DecompressedHead(path, raw)

	name := path
	if gz {
		name = strings.TrimSuffix(path, ".gz")
		if inner != "" {
			name = inner
		}
	}
	var f *importer.Format
	if format != "" {
		f, err = importer.Lookup(format)
	} else {
		f, err = importer.Detect(name, head, opts.Kind)
	}
	if err != nil && !errors.Is(err, importer.ErrUnknownFormat) {
		return pv, err
	}
	if f != nil {
		pv.Format, pv.Kind = f.Name, string(f.Kind)
	}
	// The preview shows text as the import will read it: decoded to UTF-8.
	if dr, _, err := importer.DecodedReader(bytes.NewReader(head)); err == nil {
		if dec, err := io.ReadAll(dr); err == nil {
			head = dec
		}
	}
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	if bytes.IndexByte(head, 0) >= 0 {
		return pv, nil // binary: the import will say so
	}
	switch {
	case pv.Format == "jsonl-accesslog" || (pv.Format == "" && jsonObjects(head)):
		pv.Header, pv.Rows = jsonPreview(head, rows)
	case pv.Format == "m365-audit":
		// Its parser places the fields of AuditData itself (--map can
		// name any AuditData.Key): nothing for the dialog to place.
		return pv, nil
	case pv.Format == "csv-accesslog" || pv.Format == "" || looksTabular(head):
		pv.Header, pv.Rows = csvPreview(head, rows, len(raw) == importer.HeadSize)
		// Columns holding JSON objects offer their keys as fields.
		pv.Header, pv.Rows = importer.ExpandJSONColumns(pv.Header, pv.Rows)
	}
	if len(pv.Header) < 2 {
		pv.Header, pv.Rows = nil, nil
		return pv, nil
	}
	if pv.Kind == string(model.KindTranscript) && !looksTabular(head) {
		pv.Header, pv.Rows = nil, nil
		return pv, nil
	}
	pv.Tabular = true
	g, err := importer.DetectRolesMapped(pv.Header, pv.Rows, mapping)
	if err != nil {
		return pv, fmt.Errorf("%s: %w", path, err)
	}
	pv.Placed, pv.Unsure, pv.Advice = g.Placed, g.Unsure(), g.Advice()
	return pv, nil
}

// mergedMapping is opts.Map over the saved profile's mapping, and the format
// to force, as Import merges them.
func (c *Case) mergedMapping(ctx context.Context, opts ImportOptions) (map[string]string, string, error) {
	if opts.Profile == "" {
		return opts.Map, opts.Format, nil
	}
	p, err := c.store.Profile(ctx, opts.Profile)
	if err != nil {
		return nil, "", err
	}
	merged := make(map[string]string, len(p.Mapping)+len(opts.Map))
	for k, v := range p.Mapping {
		merged[k] = v
	}
	for k, v := range opts.Map {
		merged[k] = v
	}
	format := opts.Format
	if format == "" {
		format = p.Format
	}
	return merged, format, nil
}

// jsonObjects reports whether head starts with a JSON object or array.
func jsonObjects(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// looksTabular reports whether the first lines of head split into the same
// number (three or more) of fields by one delimiter.
func looksTabular(head []byte) bool {
	lines := bytes.SplitN(head, []byte{'\n'}, 4)
	if len(lines) < 2 {
		return false
	}
	d := byte(sniffDelim(head))
	n := bytes.Count(lines[0], []byte{d})
	if n < 2 {
		return false
	}
	for _, l := range lines[1 : len(lines)-1] {
		if len(bytes.TrimSpace(l)) > 0 && bytes.Count(l, []byte{d}) < n {
			return false
		}
	}
	return true
}

// sniffDelim picks the delimiter that splits the first line into the most
// fields consistently with the second, as the CSV importer does.
func sniffDelim(head []byte) rune {
	lines := bytes.SplitN(head, []byte{'\n'}, 3)
	best, bestN := ',', 0
	for _, d := range []byte{',', '\t', ';', '|'} {
		n := bytes.Count(lines[0], []byte{d})
		if n > bestN && (len(lines) < 2 || len(bytes.TrimSpace(lines[1])) == 0 || bytes.Count(lines[1], []byte{d}) >= n) {
			best, bestN = rune(d), n
		}
	}
	return best
}

// csvPreview reads the header and up to n rows of a delimited head. When
// the head is cut from a longer file, its last, partial line is left out.
func csvPreview(head []byte, n int, cut bool) ([]string, [][]string) {
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 && cut {
		head = head[:i+1]
	}
	r := csv.NewReader(bytes.NewReader(head))
	r.Comma = sniffDelim(head)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return nil, nil
	}
	var rows [][]string
	for len(rows) < n {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		row := make([]string, len(header))
		copy(row, rec)
		rows = append(rows, row)
	}
	return header, rows
}

// jsonPreview flattens up to n JSON objects of head to dotted keys, ordered
// as the JSON importer orders them: shallow keys first, then alphabetical.
func jsonPreview(head []byte, n int) ([]string, [][]string) {
	dec := json.NewDecoder(bytes.NewReader(head))
	dec.UseNumber()
	var recs []map[string]string
	add := func(v any) {
		if m, ok := v.(map[string]any); ok {
			flat := map[string]string{}
			flatten("", m, flat)
			recs = append(recs, flat)
		}
	}
	for len(recs) < n {
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		if arr, ok := v.([]any); ok {
			for _, e := range arr {
				if len(recs) < n {
					add(e)
				}
			}
			continue
		}
		add(v)
	}
	seen := map[string]bool{}
	var header []string
	for _, r := range recs {
		for k := range r {
			if !seen[k] {
				seen[k] = true
				header = append(header, k)
			}
		}
	}
	sort.Slice(header, func(i, j int) bool {
		di, dj := strings.Count(header[i], "."), strings.Count(header[j], ".")
		if di != dj {
			return di < dj
		}
		return header[i] < header[j]
	})
	rows := make([][]string, len(recs))
	for i, r := range recs {
		row := make([]string, len(header))
		for j, k := range header {
			row[j] = r[k]
		}
		rows[i] = row
	}
	return header, rows
}

func flatten(prefix string, m map[string]any, out map[string]string) {
	for k, v := range m {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch x := v.(type) {
		case map[string]any:
			flatten(key, x, out)
		case string:
			out[key] = x
		case nil:
			out[key] = ""
		case json.Number:
			out[key] = x.String()
		case bool:
			out[key] = strconv.FormatBool(x)
		default:
			b, _ := json.Marshal(x)
			out[key] = string(b)
		}
	}
}

// MappingProfile is a saved column mapping for access logs.
type MappingProfile = store.MappingProfile

// MappingProfiles lists the case's saved mappings by name.
func (c *Case) MappingProfiles(ctx context.Context) ([]MappingProfile, error) {
	return c.store.Profiles(ctx)
}

// SaveMappingProfile keeps a role=column mapping under name, as
// `import --save-profile` does after an import.
func (c *Case) SaveMappingProfile(ctx context.Context, name string, mapping map[string]string, format string) error {
	name = strings.TrimSpace(name)
	if name == "" || len(mapping) == 0 {
		return fmt.Errorf("a mapping profile needs a name and at least one column: %w", model.ErrInvalid)
	}
	for role := range mapping {
		if !validMappingRole(role) {
			return fmt.Errorf("mapping profile %q: unknown role %q: %w", name, role, model.ErrInvalid)
		}
	}
	return c.store.SaveProfile(ctx, c.Investigator(ctx), store.MappingProfile{Name: name, Mapping: mapping, Format: format})
}

func validMappingRole(r string) bool {
	for _, x := range importer.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// ReviewItem is an open suggestion with who it is about and the day, for
// grouping the review queue by rule, actor and day.
type ReviewItem struct {
	Tagging
	Actor string // the event's actor, or the segment's speaker
	Day   string // YYYY-MM-DD of the event, or of the meeting; "" when unknown
}

// ReviewQueue lists the rule suggestions of a status ("suggested" for the
// open ones), each with its actor and day, in the order Suggestions lists
// them.
func (c *Case) ReviewQueue(ctx context.Context, status string) ([]ReviewItem, error) {
	sugg, err := c.Suggestions(ctx, "", status)
	if err != nil {
		return nil, fmt.Errorf("list suggestions: %w", err)
	}
	subj, err := c.store.SuggestionSubjects(ctx, status)
	if err != nil {
		return nil, err
	}
	out := make([]ReviewItem, len(sugg))
	for i, t := range sugg {
		s := subj[t.ID]
		out[i] = ReviewItem{Tagging: t, Actor: s.Actor, Day: s.Day}
	}
	return out, nil
}

// OpenSuggestionCounts counts each rule's open suggestions, by rule id.
func (c *Case) OpenSuggestionCounts(ctx context.Context) (map[string]int, error) {
	if err := c.ensureEvidence(ctx); err != nil {
		return nil, err
	}
	return c.store.OpenSuggestionCounts(ctx)
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

// SetInvestigator changes the name recorded on the case's changes from now
// on.
func (c *Case) SetInvestigator(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("the investigator's name is empty: %w", model.ErrInvalid)
	}
	return c.store.SetMeta(ctx, c.Investigator(ctx), map[string]string{"investigator": name})
}

// Places returns the case's own place table (name → ISO country code); the
// built-in names are not listed.
func (c *Case) Places(ctx context.Context) (map[string]string, error) {
	return c.store.Places(ctx)
}

// IPRangeCount counts the IP ranges loaded into the case.
func (c *Case) IPRangeCount(ctx context.Context) (int, error) {
	return c.store.IPRangeCount(ctx)
}

// EventSortColumns lists the columns AccessLogEvents sorts by.
func EventSortColumns() []string {
	out := make([]string, 0, len(store.EventSortColumns))
	for k := range store.EventSortColumns {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// AccessLogEvents returns one page of an access log's events ordered by
// column (one of EventSortColumns; "" for the file's order).
func (c *Case) AccessLogEvents(ctx context.Context, sourceID int64, column string, desc bool, offset, limit int) ([]model.Event, error) {
	return c.store.SourceEventsSorted(ctx, sourceID, column, desc, offset, limit)
}

// ReportOutline is what a report with given options will hold, for a
// preview before it is written.
type ReportOutline struct {
	Sections  []OutlineSection
	Exhibits  int // exhibits in all the sections
	Sources   int
	Rules     int
	Audit     int      // audit trail entries in the appendix
	Searches  int      // saved searches listed
	ByTag     []string // "tag (n)" lines of the summary
	People    int      // people pseudonymised, when asked
	Redacted  int      // exhibits withheld by the redact tag
	Statement int      // statement sections
}

// OutlineSection is one findings section of a report.
type OutlineSection struct {
	Title    string
	Exhibits []string // "EX-0001 key-quote — speaker, meeting" or "events table (n rows)"
}

// ReportPreview outlines the report WriteReport would write with opts,
// without writing it.
func (c *Case) ReportPreview(ctx context.Context, opts ReportOptions) (ReportOutline, error) {
	r, err := c.buildReport(ctx, opts)
	if err != nil {
		return ReportOutline{}, fmt.Errorf("outline the report: %w", err)
	}
	out := ReportOutline{Sources: len(r.Sources), Rules: len(r.Rules), Audit: len(r.Audit), Searches: len(r.Searches),
		People: len(r.People)}
	for _, t := range r.Summary.ExhibitsByTag {
		out.ByTag = append(out.ByTag, fmt.Sprintf("%s (%d)", t.Label, t.N))
	}
	for _, s := range r.Sections {
		sec := OutlineSection{Title: s.Title}
		if strings.HasPrefix(s.Title, "Statement:") {
			out.Statement++
		}
		for _, e := range s.Exhibits {
			sec.Exhibits = append(sec.Exhibits, outlineExhibit(e))
			if e.Redacted {
				out.Redacted++
			}
			if e.Kind == reports.ExhibitEvents {
				out.Exhibits += len(e.Rows)
			} else {
				out.Exhibits++
			}
		}
		out.Sections = append(out.Sections, sec)
	}
	return out, nil
}

// outlineExhibit is one exhibit as a line of the preview.
func outlineExhibit(e reports.Exhibit) string {
	var b strings.Builder
	if e.Number != "" {
		b.WriteString(e.Number + " ")
	}
	if e.Role != "" {
		b.WriteString("(" + e.Role + ") ")
	}
	switch e.Kind {
	case reports.ExhibitEvents:
		fmt.Fprintf(&b, "table of %d events", len(e.Rows))
	case reports.ExhibitQuote:
		b.WriteString(strings.TrimSpace(e.Speaker + " " + e.TimeCode))
		if e.Meeting != "" {
			b.WriteString(", " + e.Meeting)
		}
	default:
		b.WriteString("event")
		if e.Citation.Row > 0 {
			fmt.Fprintf(&b, ", row %d", e.Citation.Row)
		}
	}
	if e.Citation.File != "" {
		b.WriteString(" — " + e.Citation.File)
	}
	if e.Redacted {
		b.WriteString(" [withheld]")
	}
	return b.String()
}

// catchUpBudget is how many outbox items one batch of CatchUp
// covers before it lets go of the case.
const catchUpBudget = 4 * indexChunk

// CatchUp brings the index in step with the database — what an import with
// DeferIndex left behind becomes searchable — while the window goes on
// working: it holds the case for
// one batch of about catchUpBudget items at a time, so searches (which then
// see the items indexed so far), the access-log table and changes are not
// kept waiting until the end. progress is called after each batch, never
// while the case is held, with Stage "index" and the items done of the
// items behind. Cancelling ctx stops it between batches; what was indexed
// stays indexed, and the next CatchUp or Open goes on from there.
func (c *Case) CatchUp(ctx context.Context, progress ProgressFunc) error {
	var done int64
	for {
		pr, more, err := c.catchUpBatch(ctx, &done)
		if err != nil {
			return fmt.Errorf("update index: %w", err)
		}
		if pr.Total > 0 {
			progress.report(pr)
		}
		if !more {
			return nil
		}
	}
}

// catchUpBatch applies up to catchUpBudget outbox items the index has not
// seen, holding c.mu, and says whether there may be more. When nothing is
// left it makes CatchUp's final check (the index holds exactly the
// database's records; a rebuild otherwise).
func (c *Case) catchUpBatch(ctx context.Context, done *int64) (Progress, bool, error) {
	if err := ctx.Err(); err != nil {
		return Progress{}, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return Progress{}, false, fmt.Errorf("case %s is closed", c.dir)
	}
	if c.idx == nil {
		return Progress{}, false, c.syncIndexLocked(ctx, nil)
	}
	pos, err := c.idx.Applied()
	if err != nil {
		return Progress{}, false, fmt.Errorf("index position: %w", err)
	}
	entries, err := c.store.OutboxAfter(ctx, pos.Seq)
	if err != nil {
		return Progress{}, false, fmt.Errorf("read outbox: %w", err)
	}
	if len(entries) == 0 {
		return Progress{}, false, c.syncIndexLocked(ctx, nil)
	}
	startOf := func(e store.OutboxEntry) int64 {
		if e.Seq == pos.Seq+1 && pos.Partial >= e.Lo {
			return pos.Partial + 1
		}
		return e.Lo
	}
	var left int64
	for _, e := range entries {
		left += e.Hi - startOf(e) + 1
	}
	pr := Progress{Stage: "index", Done: *done, Total: *done + left}
	load, err := c.newDocLoader(ctx)
	if err != nil {
		return pr, false, err
	}
	var docs []index.Doc
	var dels []string
	var covered, batch int64 // items since the last Apply, and in this batch
	for k, e := range entries {
		for start := startOf(e); start <= e.Hi; {
			d, x, last, err := load.chunk(ctx, e.Op, e.Kind, start, e.Hi, indexChunk-len(docs)-len(dels))
			if err != nil {
				return pr, false, err
			}
			docs, dels = append(docs, d...), append(dels, x...)
			covered += last - start + 1
			batch += last - start + 1
			start = last + 1
			at := index.Position{Seq: e.Seq - 1, Partial: last}
			if start > e.Hi {
				at = index.Position{Seq: e.Seq}
			}
			full := len(docs)+len(dels) >= indexChunk
			stop := batch >= catchUpBudget
			end := k == len(entries)-1 && start > e.Hi
			if full || stop || end {
				if err := c.idx.Apply(ctx, docs, dels, at); err != nil {
					return pr, false, err
				}
				docs, dels = docs[:0], dels[:0]
				*done += covered
				pr.Done += covered
				covered = 0
			}
			if stop {
				return pr, true, nil
			}
		}
	}
	return pr, true, nil
}

// How a pack file is protected, as PackProtection tells it.
const (
	PackPlain      = "plain"      // a zip in clear
	PackPassphrase = "passphrase" // age, to a passphrase
	PackKeys       = "keys"       // age, to age public keys: an identity file opens it
)

// PackProtection reads the header of the pack file at path and tells how it
// is protected (PackPlain, PackPassphrase or PackKeys), so that a window can
// ask for just what Unpack will need. A file that is not age-encrypted is
// PackPlain; Unpack says whether it is a pack at all.
func PackProtection(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, cleanOSError(err))
	}
	defer f.Close()
	head := make([]byte, len(armorIntro))
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	var r io.Reader
	switch {
	case strings.HasPrefix(string(head), ageIntro):
		r = io.MultiReader(bytes.NewReader(head), f)
	case strings.HasPrefix(string(head), armorIntro):
		r = armor.NewReader(io.MultiReader(bytes.NewReader(head), f))
	default:
		return PackPlain, nil
	}
	// The header: the version line, then "-> TYPE args" stanzas, then "---".
	hdr, _ := io.ReadAll(io.LimitReader(r, 64<<10))
	scrypt, keys := false, false
	for _, line := range strings.Split(string(hdr), "\n") {
		if strings.HasPrefix(line, "---") {
			break
		}
		if typ, ok := strings.CutPrefix(line, "-> "); ok {
			typ, _, _ = strings.Cut(typ, " ")
			scrypt = scrypt || typ == "scrypt"
			keys = keys || typ != "scrypt"
		}
	}
	switch {
	case scrypt:
		return PackPassphrase, nil
	case keys:
		return PackKeys, nil
	}
	return "", fmt.Errorf("%s: an age-encrypted file whose header cannot be read (the pack is damaged or was altered)", path)
}
