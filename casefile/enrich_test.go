package casefile_test

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func eventsOf(t *testing.T, c *casefile.Case, q string) []casefile.Hit {
	t.Helper()
	r, err := c.Search(t.Context(), casefile.Query{Text: q, Limit: 100, ByTime: true})
	if err != nil {
		t.Fatal(err)
	}
	return r.Hits
}

func TestCountriesComeFromThePlaceAndIPTablesAndDisagreementsAreFlagged(t *testing.T) {
	c, _ := newCase(t)
	ranges := writeFile(t, "ranges.csv", "203.0.113.0,203.0.113.255,CN\n198.51.100.0,198.51.100.255,US\n2001:db8::,2001:db8::ffff,SG\n")
	if n, err := c.ImportIPRanges(t.Context(), ranges); err != nil || n != 3 {
		t.Fatalf("ip ranges: %d, %v", n, err)
	}
	if err := c.SetPlaces(t.Context(), map[string]string{"Lumora Tower 3": "China"}); err != nil {
		t.Fatal(err)
	}
	log := writeFile(t, "log.csv", `timestamp,employee,office,country,ip,resource
2022-01-01T00:00:00Z,Wei Zhang,Beijing,,192.0.2.1,us_users.phone
2022-01-01T00:01:00Z,Li Na,Lumora Tower 3,,192.0.2.2,us_users.phone
2022-01-01T00:02:00Z,Mia Chen,Austin,US,203.0.113.9,us_users.phone
2022-01-01T00:03:00Z,Priya Raman,,,2001:db8::5,sg_users.contacts
2022-01-01T00:04:00Z,Conor Walsh,Somewhere Unknown,,192.0.2.9,eu_users.profile
`)
	importOK(t, c, casefile.ImportOptions{}, log)
	want := map[string]struct{ country, from string }{
		"Wei Zhang":   {"CN", "place"}, // built-in place table
		"Li Na":       {"CN", "place"}, // the case's own place table, country given by name
		"Mia Chen":    {"US", "source"},
		"Priya Raman": {"SG", "ip"},
		"Conor Walsh": {"", ""},
	}
	srcs, _ := c.Sources(t.Context())
	evts, err := c.Events(t.Context(), srcs[0].ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(evts) != len(want) {
		t.Fatalf("%d events, want %d", len(evts), len(want))
	}
	for _, e := range evts {
		w := want[e.ActorName]
		if e.Country != w.country || e.CountryFrom != w.from {
			t.Errorf("%s: country %q from %q, want %q from %q", e.ActorName, e.Country, e.CountryFrom, w.country, w.from)
		}
		mismatch := slices.Contains(e.Flags, model.FlagCountryMismatch)
		if mismatch != (e.ActorName == "Mia Chen") {
			t.Errorf("%s: country-mismatch flag %v (country %s, ip country %s)", e.ActorName, mismatch, e.Country, e.IPCountry)
		}
	}
	if hits := eventsOf(t, c, "country:CN"); len(hits) != 2 {
		t.Errorf("country:CN finds %d events, want the 2 placed in China", len(hits))
	}
}

func TestBadRowsAreKeptAsRejectsOrRefuseTheFileWhenStrict(t *testing.T) {
	c, dir := newCase(t)
	body := "timestamp,employee,country,resource\n2022-01-01T00:00:00Z,A,US,x\nnot a time,B,US,y\n2022-01-01T00:02:00Z,C,CN,z\n"
	strictLog := writeFile(t, "strict.csv", body)
	before := snap(t, c, dir)
	res, err := c.Import(t.Context(), []string{strictLog}, casefile.ImportOptions{Strict: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "strict.csv:3") || !strings.Contains(res[0].Err.Error(), "row 2") {
		t.Fatalf("strict import of a bad row: %v", res[0].Err)
	}
	if after := snap(t, c, dir); after != before {
		t.Errorf("strict refusal changed the case: %+v -> %+v", before, after)
	}
	lenient := writeFile(t, "lenient.csv", body)
	res = importOK(t, c, casefile.ImportOptions{}, lenient)
	if res[0].Records != 2 || res[0].Rejects != 1 {
		t.Fatalf("lenient import: %d records, %d rejects", res[0].Records, res[0].Rejects)
	}
	rs, err := c.Rejects(t.Context(), 0)
	if err != nil || len(rs) != 1 {
		t.Fatalf("rejects: %v %v", rs, err)
	}
	if rs[0].Line != 3 || rs[0].Row != 2 || rs[0].Raw != "not a time,B,US,y" || !strings.Contains(rs[0].Reason, "not a time") {
		t.Errorf("reject kept as %+v", rs[0])
	}
}

func TestASavedMappingProfileIsReusedByName(t *testing.T) {
	c, _ := newCase(t)
	odd := "when,who,where_cc,what\n2022-01-01T00:00:00Z,Wei Zhang,CN,us_users.phone\n"
	first := writeFile(t, "a.csv", odd)
	importOK(t, c, casefile.ImportOptions{Kind: model.KindAccessLog, Map: map[string]string{"time": "when", "actor": "who", "country": "where_cc", "resource": "what"}, SaveAs: "vendor-x"}, first)
	second := writeFile(t, "b.csv", strings.Replace(odd, "Wei Zhang", "Li Na", 1))
	importOK(t, c, casefile.ImportOptions{Kind: model.KindAccessLog, Profile: "vendor-x"}, second)
	hits := eventsOf(t, c, "country:CN")
	var actors []string
	for _, h := range hits {
		actors = append(actors, h.Actor)
	}
	slices.Sort(actors)
	if strings.Join(actors, ",") != "Li Na,Wei Zhang" {
		t.Errorf("events placed by the profile: %v", actors)
	}
	if _, err := c.Import(t.Context(), []string{second}, casefile.ImportOptions{Profile: "no-such"}, nil); err == nil {
		t.Error("an unknown profile was accepted")
	}
}

func TestAGzippedLogImportsWhatItHolds(t *testing.T) {
	c, _ := newCase(t)
	body, _ := os.ReadFile(accessFixture)
	p := filepath.Join(t.TempDir(), "access.csv.gz")
	f, _ := os.Create(p)
	zw := gzip.NewWriter(f)
	zw.Write(body)
	zw.Close()
	f.Close()
	res := importOK(t, c, casefile.ImportOptions{}, p)
	if want := countLines(t, accessFixture, isDataRow); res[0].Format != "csv-accesslog" || res[0].Records != want {
		t.Errorf("gzipped log: format %s, %d records, want csv-accesslog with %d", res[0].Format, res[0].Records, want)
	}
}
