package ftmcheck

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFtMCheckerRejectsBrokenLines: the checker passes a good export and
// names each broken line, one kind of break at a time.
func TestFtMCheckerRejectsBrokenLines(t *testing.T) {
	m, err := Load(filepath.Join("..", "..", "testdata", "ftm", "defaultModel.json"))
	if err != nil {
		t.Fatal(err)
	}
	const doc = `{"id":"d1","schema":"Document","properties":{"fileName":["a.txt"],"date":["2024-05-01"],"language":["eng"],"contentHash":["da39a3ee5e6b4b0d3255bfef95601890afd80709"]}}`
	const person = `{"id":"p1","schema":"Person","properties":{"name":["Mia Chen"],"country":["us"],"email":["mia@lumora.example"]}}`
	const event = `{"id":"e1","schema":"Event","properties":{"name":["export"],"date":["2024-05-01T10:02:03"],"involved":["p1"],"proof":["d1"],"ipMentioned":["203.0.113.7"]}}`
	good := doc + "\n" + person + "\n" + event + "\n"
	if got := m.Check(strings.NewReader(good)); len(got.Problems) != 0 || got.Entities != 3 {
		t.Fatalf("a good export: %d entities, %v", got.Entities, got.Problems)
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
		got := m.Check(strings.NewReader(good + c.line + "\n"))
		if len(got.Problems) == 0 || !slices.ContainsFunc(got.Problems, func(p string) bool {
			return strings.HasPrefix(p, "line 4: ") && strings.Contains(p, c.want)
		}) {
			t.Errorf("%s: problems %q, want one on line 4 saying %q", c.name, got.Problems, c.want)
		}
	}
}

// TestFtMFile checks an export named by CASEBOOK_FTM_FILE (for instance the
// reference case's, written by make bench or by hand); skipped without it.
func TestFtMFile(t *testing.T) {
	path := os.Getenv("CASEBOOK_FTM_FILE")
	if path == "" {
		t.Skip("CASEBOOK_FTM_FILE names no export to check")
	}
	m, err := Load(filepath.Join("..", "..", "testdata", "ftm", "defaultModel.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := m.Check(f)
	for _, p := range got.Problems {
		t.Error(p)
	}
	t.Logf("%s: %d entities %v", path, got.Entities, got.Schemata)
}
