package casefile_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The FollowTheMoney model as the project ships it (testdata/ftm, see
// SOURCES.md there): schemata with their extends, properties and types. The
// export is checked against it line by line, not by eye.

type ftmProperty struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Range string `json:"range"`
}

type ftmSchema struct {
	Abstract   bool                   `json:"abstract"`
	Extends    []string               `json:"extends"`
	Required   []string               `json:"required"`
	Properties map[string]ftmProperty `json:"properties"`
}

type ftmType struct {
	MaxLength int               `json:"maxLength"`
	Values    map[string]string `json:"values"`
}

type ftmModel struct {
	Schemata map[string]*ftmSchema `json:"schemata"`
	Types    map[string]ftmType    `json:"types"`
	props    map[string]map[string]ftmProperty // schema → its own and inherited properties
	parents  map[string]map[string]bool        // schema → itself and every schema it extends
}

// loadFtmModel reads testdata/ftm/defaultModel.json and resolves each
// schema's inheritance by walking extends.
func loadFtmModel(t testing.TB) *ftmModel {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "ftm", "defaultModel.json"))
	if err != nil {
		t.Fatalf("FtM model: %v", err)
	}
	var m ftmModel
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("FtM model: %v", err)
	}
	if len(m.Schemata) < 50 || m.Schemata["Thing"] == nil || !m.Schemata["Thing"].Abstract || len(m.Types["country"].Values) < 200 {
		t.Fatalf("FtM model: not the model (%d schemata)", len(m.Schemata))
	}
	m.props, m.parents = map[string]map[string]ftmProperty{}, map[string]map[string]bool{}
	var walk func(name string, into map[string]ftmProperty, seen map[string]bool)
	walk = func(name string, into map[string]ftmProperty, seen map[string]bool) {
		s := m.Schemata[name]
		if s == nil || seen[name] {
			if s == nil {
				t.Fatalf("FtM model: %s extends an unknown schema", name)
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
		props, seen := map[string]ftmProperty{}, map[string]bool{}
		walk(name, props, seen)
		m.props[name], m.parents[name] = props, seen
	}
	// Sanity: inheritance works as FtM documents it.
	if m.props["Event"]["date"].Type != "date" || m.props["Person"]["country"].Type != "country" ||
		m.props["Table"]["bodyText"].Type != "text" || !m.parents["Person"]["LegalEntity"] {
		t.Fatal("FtM model: inheritance not resolved")
	}
	return &m
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
func (m *ftmModel) value(typ, v string) string {
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

// ftmCheck is what checking an export found.
type ftmCheck struct {
	entities int
	schemata map[string]int
	problems []string
}

// check reads an export, one entity a line, and reports every line that is
// not FtM: bad JSON or keys, a duplicate or missing id, an unknown or abstract
// schema, an unknown property, a bad value for its type, a required property
// missing, and an entity reference to an id not in the export or to an
// entity whose schema is not of the property's range.
func (m *ftmModel) check(r io.Reader) ftmCheck {
	out := ftmCheck{schemata: map[string]int{}}
	bad := func(line int, f string, a ...any) {
		if len(out.problems) < 50 {
			out.problems = append(out.problems, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(f, a...))
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
		out.entities++
		out.schemata[e.Schema]++
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

// TestFtMCheckerRejectsBrokenLines: the checker passes a good export and
// names each broken line, one kind of break at a time.
func TestFtMCheckerRejectsBrokenLines(t *testing.T) {
	m := loadFtmModel(t)
	const doc = `{"id":"d1","schema":"Document","properties":{"fileName":["a.txt"],"date":["2024-05-01"],"language":["eng"],"contentHash":["da39a3ee5e6b4b0d3255bfef95601890afd80709"]}}`
	const person = `{"id":"p1","schema":"Person","properties":{"name":["Mia Chen"],"country":["us"],"email":["mia@lumora.example"]}}`
	const event = `{"id":"e1","schema":"Event","properties":{"name":["export"],"date":["2024-05-01T10:02:03"],"involved":["p1"],"proof":["d1"],"ipMentioned":["203.0.113.7"]}}`
	good := doc + "\n" + person + "\n" + event + "\n"
	if got := m.check(strings.NewReader(good)); len(got.problems) != 0 || got.entities != 3 {
		t.Fatalf("a good export: %d entities, %v", got.entities, got.problems)
	}
	for _, c := range []struct{ name, line, want string }{
		{"unknown schema", `{"id":"x","schema":"Meeting","properties":{}}`, `unknown schema "Meeting"`},
		{"abstract schema", `{"id":"x","schema":"Thing","properties":{"name":["a"]}}`, "abstract schema Thing"},
		{"unknown property", `{"id":"x","schema":"Person","properties":{"name":["a"],"shoeSize":["9"]}}`, `no property "shoeSize"`},
		{"property of another schema", `{"id":"x","schema":"Person","properties":{"name":["a"],"bodyText":["hi"]}}`, `no property "bodyText"`},
		{"date with a zone", `{"id":"x","schema":"Event","properties":{"name":["a"],"date":["2024-05-01T10:02:03Z"]}}`, "not an ISO 8601 date prefix"},
		{"date not ISO", `{"id":"x","schema":"Event","properties":{"name":["a"],"date":["05/01/2024"]}}`, "not an ISO 8601 date prefix"},
		{"date out of range", `{"id":"x","schema":"Event","properties":{"name":["a"],"date":["2024-13-01"]}}`, "not a real date"},
		{"upper-case country", `{"id":"x","schema":"Person","properties":{"name":["a"],"country":["US"]}}`, "not one of FtM's country codes"},
		{"region for a country", `{"id":"x","schema":"Person","properties":{"name":["a"],"country":["emea"]}}`, "not one of FtM's country codes"},
		{"two-letter language", `{"id":"x","schema":"Document","properties":{"fileName":["a"],"language":["en"]}}`, "language codes"},
		{"SHA-256 as contentHash", `{"id":"x","schema":"Document","properties":{"fileName":["a"],"contentHash":["` + strings.Repeat("ab", 32) + `"]}}`, "over the type's 40"},
		{"upper-case SHA-1", `{"id":"x","schema":"Document","properties":{"fileName":["a"],"contentHash":["DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"]}}`, "not a SHA-1"},
		{"bad IP", `{"id":"x","schema":"UserAccount","properties":{"username":["a"],"ipAddress":["10.0.0.300"]}}`, "not an IP address"},
		{"text over its length", `{"id":"x","schema":"Document","properties":{"fileName":["a"],"bodyText":["` + strings.Repeat("w", 65001) + `"]}}`, "over the type's 65000"},
		{"dangling reference", `{"id":"x","schema":"Event","properties":{"name":["a"],"involved":["nobody"]}}`, "not in the export"},
		{"reference out of range", `{"id":"x","schema":"Event","properties":{"name":["a"],"involved":["d1"]}}`, "points at a Document, not a LegalEntity"},
		{"required missing", `{"id":"x","schema":"Person","properties":{"country":["us"]}}`, "without its required name"},
		{"duplicate id", `{"id":"p1","schema":"Person","properties":{"name":["b"]}}`, "id p1 twice"},
		{"unknown key", `{"id":"x","schema":"Person","properties":{"name":["a"]},"caption":"a"}`, "not an entity"},
		{"not JSON", `{"id":"x",`, "not an entity"},
	} {
		got := m.check(strings.NewReader(good + c.line + "\n"))
		if len(got.problems) == 0 || !slices.ContainsFunc(got.problems, func(p string) bool {
			return strings.HasPrefix(p, "line 4: ") && strings.Contains(p, c.want)
		}) {
			t.Errorf("%s: problems %q, want one on line 4 saying %q", c.name, got.problems, c.want)
		}
	}
}
