package casefile_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/casefile"
	"casebook/internal/mmdbtest"
	"casebook/model"
)

const ipdbAccessFixture = "testdata/ipdb_access.csv" // fictional: IPs, no country column

func sha256Hex(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestIPDatabasesLoadedIntoTheCaseGiveEventsTheirIPCountry goes end to end:
// two MaxMind DB files built here (a Country and a City database of
// different build dates, IPv4 and IPv6 networks) and a CSV range table are
// loaded into a real case, a fictional access log without a country column
// is imported, and each event's IP country comes from the table or database
// the documented order picks; verify passes, names a tampered copy, and the
// report's methodology names each database with its type, build date and
// SHA-256.
func TestIPDatabasesLoadedIntoTheCaseGiveEventsTheirIPCountry(t *testing.T) {
	ctx := t.Context()
	c, dir := newCase(t)
	files := t.TempDir()
	built1 := time.Date(2021, 12, 7, 14, 5, 0, 0, time.UTC)
	built2 := time.Date(2022, 2, 22, 9, 30, 0, 0, time.UTC)
	country := mmdbtest.Write(t, files, "geo-country.mmdb", mmdbtest.Options{Type: "GeoLite2-Country", Built: built1, Description: "Fictional country test database"},
		mmdbtest.Network{Prefix: "203.0.113.0/24", Country: "CN"},
		mmdbtest.Network{Prefix: "198.51.100.128/25", Country: "FR"},
		mmdbtest.Network{Prefix: "2001:db8:1::/48", Country: "DE"},
		mmdbtest.Network{Prefix: "192.0.2.0/24"}, // a record without a country
	)
	city := mmdbtest.Write(t, files, "geo-city.mmdb", mmdbtest.Options{Type: "GeoIP2-City", Built: built2},
		mmdbtest.Network{Prefix: "203.0.113.0/25", Country: "SG", City: "Singapore"},
		mmdbtest.Network{Prefix: "2001:db8:2::/48", Country: "JP", City: "Osaka"},
	)
	ranges := writeFile(t, "ranges.csv", "first,last,country\n198.51.100.0,198.51.100.127,US\n")
	if _, err := c.ImportIPRanges(ctx, ranges); err != nil {
		t.Fatal(err)
	}
	// A temporary copy left by an interrupted load is swept by the next load.
	os.MkdirAll(filepath.Join(dir, "ipdb"), 0o700)
	os.WriteFile(filepath.Join(dir, "ipdb", ".incoming-123"), []byte("half a database"), 0o600)
	d1, err := c.LoadIPDatabase(ctx, country)
	if err != nil {
		t.Fatalf("load %s: %v", country, err)
	}
	d2, err := c.LoadIPDatabase(ctx, city)
	if err != nil {
		t.Fatalf("load %s: %v", city, err)
	}
	if _, err := c.LoadIPDatabase(ctx, country); !errors.Is(err, model.ErrDuplicate) || !strings.Contains(err.Error(), "ipdb-1") {
		t.Errorf("loading the same database again: %v, want a duplicate naming ipdb-1", err)
	}

	// What the case keeps: a read-only copy named by its SHA-256, the metadata, the audit entry.
	for _, w := range []struct {
		d     casefile.IPDatabase
		file  string
		typ   string
		built time.Time
	}{{d1, country, "GeoLite2-Country", built1}, {d2, city, "GeoIP2-City", built2}} {
		sha := sha256Hex(t, w.file)
		if w.d.SHA256 != sha || w.d.Type != w.typ || !w.d.Built.Equal(w.built) || w.d.Name != filepath.Base(w.file) {
			t.Errorf("%s recorded as %+v, want sha %s type %s built %s", w.file, w.d, sha, w.typ, w.built)
		}
		copyPath := filepath.Join(dir, "ipdb", sha+".mmdb")
		if got := sha256Hex(t, copyPath); got != sha {
			t.Errorf("the copy %s hashes to %s", copyPath, got)
		}
		if fi, err := os.Stat(copyPath); err != nil || fi.Mode().Perm()&0o222 != 0 {
			t.Errorf("the copy %s: %v, mode %v (want read-only)", copyPath, err, fi.Mode())
		}
		trail, _ := c.AuditTrail(ctx)
		found := false
		for _, a := range trail {
			found = found || (a.Action == "ip-database" && strings.Contains(a.Detail, sha) && strings.Contains(a.Detail, w.typ))
		}
		if !found {
			t.Errorf("no ip-database audit entry with %s and %s", sha, w.typ)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "ipdb", ".incoming-*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	listed, err := c.IPDatabases(ctx)
	if err != nil || len(listed) != 2 || listed[0].ID != d2.ID {
		t.Fatalf("IPDatabases: %+v, %v; want 2, the most recently loaded first", listed, err)
	}

	importOK(t, c, casefile.ImportOptions{}, ipdbAccessFixture)
	srcs, _ := c.Sources(ctx)
	evts, err := c.Events(ctx, srcs[0].ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ country, from string }{
		"Tomas Berg":  {"SG", "ipdb-2 GeoIP2-City built 2022-02-22"},      // both databases know it: the later loaded answers
		"Ines Moreau": {"US", "the IP-range table"},                       // the table answers before any database
		"Wei Zhang":   {"DE", "ipdb-1 GeoLite2-Country built 2021-12-07"}, // IPv6; only the first database knows it
		"Priya Raman": {"JP", "ipdb-2 GeoIP2-City built 2022-02-22"},      // IPv6, City database
		"Conor Walsh": {"", ""},                                           // a record with no country
		"Mia Chen":    {"", ""},                                           // in no table or database
		"Li Na":       {"FR", "ipdb-1 GeoLite2-Country built 2021-12-07"}, // outside the table's range
	}
	if len(evts) != len(want) {
		t.Fatalf("%d events, want %d", len(evts), len(want))
	}
	for _, e := range evts {
		w := want[e.ActorName]
		wantFrom := "ip"
		if w.country == "" {
			wantFrom = ""
		}
		if e.IPCountry != w.country || e.Country != w.country || e.CountryFrom != wantFrom {
			t.Errorf("%s (%s): ip country %q, country %q from %q; want %q from the IP", e.ActorName, e.IP, e.IPCountry, e.Country, e.CountryFrom, w.country)
		}
		from, err := c.IPCountrySource(ctx, e.ID)
		if err != nil || from != w.from {
			t.Errorf("%s (%s): IP country from %q (%v), want %q", e.ActorName, e.IP, from, err, w.from)
		}
	}
	if hits := eventsOf(t, c, "country:SG"); len(hits) != 1 {
		t.Errorf("country:SG finds %d events, want 1", len(hits))
	}

	rep, err := c.Verify(ctx, nil)
	if err != nil || !rep.OK || rep.IPDatabases != 2 {
		t.Fatalf("verify of the intact case: %+v, %v", rep, err)
	}

	// The report's methodology names each database, its type, build date and
	// SHA-256; an event exhibit says which one placed its IP.
	for _, e := range evts {
		if e.ActorName == "Tomas Berg" {
			if _, err := c.Tag(ctx, model.ItemID{Kind: model.ItemEvent, N: e.ID}, "foreign-access", casefile.TagOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var pdf bytes.Buffer
	if err := c.WriteReport(ctx, &pdf, casefile.ReportOptions{Date: time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(pdfToText(t, pdf.Bytes())), " ")
	if !strings.Contains(flat, "IP country SG (from ipdb-2 GeoIP2-City built 2022-02-22)") {
		t.Errorf("the exhibit does not say which database placed the IP:\n%s", flat)
	}
	meth := flat[strings.LastIndex(flat, "Appendix: Methodology"):]
	for _, s := range []string{"IP geography changes over time", "GeoLite2-Country", "GeoIP2-City", "2021-12-07 14:05 UTC",
		"2022-02-22 09:30 UTC", d1.SHA256, d2.SHA256, "geo-country.mmdb", "geo-city.mmdb",
		"IP-range table: 1 ranges loaded from ranges.csv", "IP country of 1 events", "IP country of 2 events"} {
		if !strings.Contains(meth, s) {
			t.Errorf("the methodology lacks %q:\n%s", s, meth)
		}
	}

	// A tampered copy: verify names it, and no import uses it.
	copy1 := filepath.Join(dir, "ipdb", d1.SHA256+".mmdb")
	os.Chmod(copy1, 0o600)
	b, _ := os.ReadFile(copy1)
	b[len(b)/3] ^= 0x01
	if err := os.WriteFile(copy1, b, 0o600); err != nil {
		t.Fatal(err)
	}
	c = reopen(t, c, dir)
	p := strings.Join(verifyProblems(t, c), "\n")
	if !strings.Contains(p, "ipdb-1 (geo-country.mmdb): the copy ipdb/"+d1.SHA256+".mmdb was altered") {
		t.Errorf("verify does not name the altered copy: %s", p)
	}
	if strings.Contains(p, "ipdb-2") {
		t.Errorf("verify blames the intact database: %s", p)
	}
	deep, err := c.VerifyWith(ctx, casefile.VerifyOptions{Deep: true}, nil)
	if err != nil || deep.OK || !strings.Contains(strings.Join(deep.Problems, "\n"), "ipdb-1 (geo-country.mmdb): the copy") {
		t.Errorf("verify --deep with an altered IP database: %v, %v", deep.Problems, err)
	}
	res, err := c.Import(ctx, []string{writeFile(t, "more.csv", "timestamp,employee,ip\n2022-03-02T08:00:00Z,Tomas Berg,203.0.113.9\n")}, casefile.ImportOptions{}, nil)
	if err == nil && (len(res) == 0 || res[0].Err == nil) {
		t.Errorf("an import with an altered IP database went ahead")
	} else if msg := errText(err, res); !strings.Contains(msg, d1.SHA256+".mmdb") || strings.Contains(msg, "\n") {
		t.Errorf("the import's error does not name the altered copy on one line: %q", msg)
	}
}

func errText(err error, res []casefile.ImportResult) string {
	if err != nil {
		return err.Error()
	}
	return res[0].Err.Error()
}

// TestABadIPDatabaseIsRefusedInOneLineNamingTheFile: truncated, corrupt,
// empty, not a database at all, or a database with no countries (an ASN
// database): one line naming the file, and nothing kept in the case.
func TestABadIPDatabaseIsRefusedInOneLineNamingTheFile(t *testing.T) {
	ctx := t.Context()
	c, dir := newCase(t)
	files := t.TempDir()
	good, err := mmdbtest.Build(mmdbtest.Options{Built: time.Date(2022, 1, 3, 0, 0, 0, 0, time.UTC)},
		mmdbtest.Nets("203.0.113.0/24=CN", "198.51.100.0/24=US", "2001:db8::/32=SG")...)
	if err != nil {
		t.Fatal(err)
	}
	marker := bytes.LastIndex(good, []byte("\xAB\xCD\xEFMaxMind.com"))
	if marker < 0 {
		t.Fatal("the built database has no metadata marker")
	}
	corrupt := bytes.Clone(good)
	for i := 0; i < marker/2; i++ { // the search tree and the start of the data section
		corrupt[i] = 0xFF
	}
	asn := mmdbtest.Write(t, files, "asn.mmdb", mmdbtest.Options{Type: "GeoLite2-ASN"}, mmdbtest.Network{Prefix: "203.0.113.0/24"})
	cases := map[string][]byte{
		"truncated.mmdb":    good[:len(good)/2],
		"no-metadata.mmdb":  good[:marker],
		"corrupt.mmdb":      corrupt,
		"empty.mmdb":        nil,
		"ranges-named.mmdb": []byte("first,last,country\n203.0.113.0,203.0.113.255,CN\n"),
	}
	paths := []string{asn}
	for name, b := range cases {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	for _, p := range paths {
		_, err := c.LoadIPDatabase(ctx, p)
		if err == nil {
			t.Errorf("%s was loaded", filepath.Base(p))
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, p+":") || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q is not one line starting with the file", filepath.Base(p), msg)
		}
	}
	if _, err := c.LoadIPDatabase(ctx, asn); err == nil || !strings.Contains(err.Error(), "no country") {
		t.Errorf("an ASN database: %v, want it refused for having no country", err)
	}
	if dbs, _ := c.IPDatabases(ctx); len(dbs) != 0 {
		t.Errorf("refused databases were recorded: %+v", dbs)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "ipdb")); len(left) != 0 {
		t.Errorf("refused databases left files in ipdb/: %v", left)
	}
	if p := verifyProblems(t, c); len(p) != 0 {
		t.Errorf("verify after the refusals: %v", p)
	}
	if !casefile.IsIPDatabase(filepath.Join(files, "corrupt.mmdb")) || casefile.IsIPDatabase(filepath.Join(files, "ranges-named.mmdb")) {
		t.Error("IsIPDatabase does not go by the content")
	}
}

// TestAPackCarriesTheIPDatabases: the case's IP databases travel in a pack,
// checked like originals, and the unpacked case places IPs with them.
func TestAPackCarriesTheIPDatabases(t *testing.T) {
	ctx := t.Context()
	c, _ := newCase(t)
	db := mmdbtest.Write(t, t.TempDir(), "geo.mmdb", mmdbtest.Options{Built: time.Date(2022, 1, 3, 0, 0, 0, 0, time.UTC)},
		mmdbtest.Nets("203.0.113.0/24=CN", "2001:db8::/32=SG")...)
	d, err := c.LoadIPDatabase(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var zip bytes.Buffer
	if _, err := c.Pack(ctx, &zip, casefile.PackOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(zip.Bytes(), []byte("ipdb/"+d.SHA256+".mmdb")) {
		t.Fatal("the pack does not hold the IP database")
	}
	out := filepath.Join(t.TempDir(), "unpacked")
	if _, err := casefile.Unpack(ctx, bytes.NewReader(zip.Bytes()), out, casefile.UnpackOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := sha256Hex(t, filepath.Join(out, "ipdb", d.SHA256+".mmdb")); got != d.SHA256 {
		t.Errorf("the unpacked copy hashes to %s", got)
	}
	c2, err := casefile.Open(ctx, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	importOK(t, c2, casefile.ImportOptions{}, writeFile(t, "log.csv", "timestamp,employee,ip\n2022-03-02T08:00:00Z,Li Na,2001:db8::7\n"))
	srcs, _ := c2.Sources(ctx)
	evts, _ := c2.Events(ctx, srcs[0].ID, 0, 10)
	if len(evts) != 1 || evts[0].IPCountry != "SG" {
		t.Errorf("after unpacking, the database placed %+v", evts)
	}
}

// TestAnIPv4OnlyDatabasePlacesIPv4AndLeavesIPv6Unplaced: an ip_version 4
// database (some converted country files are) answers IPv4 and leaves IPv6
// addresses without a country rather than failing the import.
func TestAnIPv4OnlyDatabasePlacesIPv4AndLeavesIPv6Unplaced(t *testing.T) {
	ctx := t.Context()
	c, _ := newCase(t)
	db := mmdbtest.Write(t, t.TempDir(), "v4.mmdb", mmdbtest.Options{Type: "Lumora-IPv4-Country", IPv4Only: true},
		mmdbtest.Nets("203.0.113.0/24=CN", "198.51.100.0/24=FR")...)
	d, err := c.LoadIPDatabase(ctx, db)
	if err != nil || d.IPVersion != 4 {
		t.Fatalf("load: %+v, %v", d, err)
	}
	importOK(t, c, casefile.ImportOptions{}, ipdbAccessFixture)
	srcs, _ := c.Sources(ctx)
	evts, _ := c.Events(ctx, srcs[0].ID, 0, 100)
	got := map[string]string{}
	for _, e := range evts {
		got[e.IP] = e.IPCountry
	}
	want := map[string]string{"203.0.113.7": "CN", "198.51.100.20": "FR", "198.51.100.200": "FR", "2001:db8:1::5": "", "2001:db8:2::9": "", "10.20.30.40": ""}
	for ip, w := range want {
		if got[ip] != w {
			t.Errorf("%s: IP country %q, want %q", ip, got[ip], w)
		}
	}
}
