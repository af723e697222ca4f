// Package ftmcheck checks FollowTheMoney entities against the FtM model (the
// model JSON vendored in testdata/ftm): schemata with their extends, property
// types, required properties and references. Tests use it; Casebook's program
// does not.
package ftmcheck

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Property is one property of a schema.
type Property struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Range string `json:"range"`
}

// Schema is one schema as the model JSON gives it: its own properties only.
type Schema struct {
	Abstract   bool                `json:"abstract"`
	Extends    []string            `json:"extends"`
	Required   []string            `json:"required"`
	Properties map[string]Property `json:"properties"`
}

// Type is a property type: its longest value and, for codes, its values.
type Type struct {
	MaxLength int               `json:"maxLength"`
	Values    map[string]string `json:"values"`
}

// Model is the FtM model with each schema's inheritance resolved.
type Model struct {
	Schemata map[string]*Schema             `json:"schemata"`
	Types    map[string]Type                `json:"types"`
	props    map[string]map[string]Property // schema → its own and inherited properties
	parents  map[string]map[string]bool     // schema → itself and every schema it extends
}

// Load reads the model JSON (testdata/ftm/defaultModel.json) and resolves
// each schema's inheritance by walking extends.
func Load(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("FtM model: %w", err)
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("FtM model %s: %w", path, err)
	}
	if len(m.Schemata) < 50 || m.Schemata["Thing"] == nil || !m.Schemata["Thing"].Abstract || len(m.Types["country"].Values) < 200 {
		return nil, fmt.Errorf("FtM model %s: not the model (%d schemata)", path, len(m.Schemata))
	}
	var bad error
	m.props, m.parents = map[string]map[string]Property{}, map[string]map[string]bool{}
	var walk func(name string, into map[string]Property, seen map[string]bool)
	walk = func(name string, into map[string]Property, seen map[string]bool) {
		s := m.Schemata[name]
		if s == nil || seen[name] {
			if s == nil {
				bad = fmt.Errorf("FtM model %s: %s extends an unknown schema", path, name)
			}
			return
		}
		seen[name] = true
		for _, p := range s.Extends {
			walk(p, into, seen)
		}
		for k, p := range s.Properties { // a schema's own property wins over an inherited one
			into[k] = p
		}
	}
	for name := range m.Schemata {
		props, seen := map[string]Property{}, map[string]bool{}
		walk(name, props, seen)
		m.props[name], m.parents[name] = props, seen
	}
	if bad != nil {
		return nil, bad
	}
	// Sanity: inheritance works as FtM documents it.
	if m.props["Event"]["date"].Type != "date" || m.props["Person"]["country"].Type != "country" ||
		m.props["Table"]["bodyText"].Type != "text" || !m.parents["Person"]["LegalEntity"] {
		return nil, fmt.Errorf("FtM model %s: inheritance not resolved", path)
	}
	return &m, nil
}

var ftmDateRe = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?)?)?$`)

// ftmDateLayouts are the layouts of the prefixes FtM accepts, by length.
var ftmDateLayouts = map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02", 13: "2006-01-02T15",
	16: "2006-01-02T15:04", 19: "2006-01-02T15:04:05"}

var (
	ftmChecksumRe = regexp.MustCompile(`^[0-9a-f]{40}$`)
	ftmMimeRe     = regexp.MustCompile(`^[a-z]+/[a-z0-9][a-z0-9.+-]*$`)
)

// value checks one value of a property type; "" when it is good.
func (m *Model) value(typ, v string) string {
	tp := m.Types[typ]
	switch {
	case v == "" || strings.TrimSpace(v) != v:
		return "empty or padded value"
	case !utf8.ValidString(v):
		return "invalid UTF-8"
	case tp.MaxLength > 0 && utf8.RuneCountInString(v) > tp.MaxLength:
		return fmt.Sprintf("%d characters, over the type's %d", utf8.RuneCountInString(v), tp.MaxLength)
	}
	switch typ {
	case "date":
		if !ftmDateRe.MatchString(v) {
			return "not an ISO 8601 date prefix (UTC, no zone)"
		}
		if _, err := time.Parse(ftmDateLayouts[len(v)], v); err != nil {
			return "not a real date: " + err.Error()
		}
	case "country", "language", "gender", "topic":
		if _, ok := tp.Values[v]; !ok {
			return "not one of FtM's " + typ + " codes"
		}
	case "number":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "not a number"
		}
	case "ip":
		if _, err := netip.ParseAddr(v); err != nil {
			return "not an IP address"
		}
	case "email":
		at := strings.IndexByte(v, '@')
		if at <= 0 || !strings.Contains(v[at+1:], ".") || strings.ContainsAny(v, " ") {
			return "not an e-mail address"
		}
	case "checksum":
		if !ftmChecksumRe.MatchString(v) {
			return "not a SHA-1 in lower-case hex"
		}
	case "mimetype":
		if !ftmMimeRe.MatchString(v) {
			return "not a MIME type without parameters"
		}
	case "entity":
		// checked against the export's ids once every line is read
	}
	return ""
}

// Result is what checking an export found.
type Result struct {
	Entities int            // lines read as entities
	Schemata map[string]int // entities by schema
	Problems []string       // the first 50 problems, each naming its line
}

// Check reads an export, one entity a line, and reports every line that is
// not FtM: bad JSON or keys, a duplicate or missing id, an unknown or abstract
// schema, an unknown property, a bad value for its type, a required property
// missing, and an entity reference to an id not in the export or to an
// entity whose schema is not of the property's range.
func (m *Model) Check(r io.Reader) Result {
	out := Result{Schemata: map[string]int{}}
	bad := func(line int, f string, a ...any) {
		if len(out.Problems) < 50 {
			out.Problems = append(out.Problems, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(f, a...))
		}
	}
	type ref struct {
		line       int
		prop, to   string
		wantSchema string
	}
	ids := map[string]string{} // id → schema
	var refs []ref
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var e struct {
			ID         string              `json:"id"`
			Schema     string              `json:"schema"`
			Properties map[string][]string `json:"properties"`
		}
		if err := dec.Decode(&e); err != nil {
			bad(line, "not an entity: %v", err)
			continue
		}
		out.Entities++
		out.Schemata[e.Schema]++
		s := m.Schemata[e.Schema]
		switch {
		case e.ID == "" || len(e.ID) > m.Types["entity"].MaxLength:
			bad(line, "id %q", e.ID)
		case ids[e.ID] != "":
			bad(line, "id %s twice (%s and %s)", e.ID, ids[e.ID], e.Schema)
		}
		if s == nil {
			bad(line, "unknown schema %q", e.Schema)
			continue
		}
		if s.Abstract {
			bad(line, "abstract schema %s", e.Schema)
		}
		ids[e.ID] = e.Schema
		for _, req := range s.Required {
			if len(e.Properties[req]) == 0 {
				bad(line, "%s without its required %s", e.Schema, req)
			}
		}
		for name, vals := range e.Properties {
			p, ok := m.props[e.Schema][name]
			if !ok {
				bad(line, "%s has no property %q", e.Schema, name)
				continue
			}
			if len(vals) == 0 {
				bad(line, "%s.%s: no values", e.Schema, name)
			}
			for _, v := range vals {
				if why := m.value(p.Type, v); why != "" {
					bad(line, "%s.%s (%s) %.60q: %s", e.Schema, name, p.Type, v, why)
				}
				if p.Type == "entity" {
					refs = append(refs, ref{line, e.Schema + "." + name, v, p.Range})
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		bad(line, "read: %v", err)
	}
	for _, r := range refs {
		got, ok := ids[r.to]
		switch {
		case !ok:
			bad(r.line, "%s points at %s, which is not in the export", r.prop, r.to)
		case r.wantSchema != "" && !m.parents[got][r.wantSchema]:
			bad(r.line, "%s points at a %s, not a %s", r.prop, got, r.wantSchema)
		}
	}
	return out
}
