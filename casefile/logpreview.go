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

	"casebook/importer"
	"casebook/model"
	"casebook/store"
)

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
	// NoHeader: the first row of the delimited file is data (it holds a
	// time or an address), so Header names the columns by number
	// ("column 1", …) and Rows start with that row. Import it with
	// ImportOptions.NoHeader.
	NoHeader bool
	Header   []string
	Rows     [][]string               // the first rows, aligned with Header
	Placed   map[string]RolePlacement // role -> column
	Unsure   []string                 // key roles not placed, or placed with under 50% confidence
	Advice   string                   // the importer's sentence about unsure roles, "" when none
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
		if pv.Format == "" && opts.Format == "" && importer.LooksLikeData(pv.Header) || opts.NoHeader {
			pv.NoHeader = true
			pv.Rows = append([][]string{pv.Header}, pv.Rows...)[:min(len(pv.Rows)+1, max(rows, 1))]
			pv.Header = importer.NumberedColumns(len(pv.Header))
		}
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
