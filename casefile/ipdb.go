package casefile

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/oschwald/maxminddb-golang/v2"

	"casebook/model"
	"casebook/reports"
	"casebook/store"
)

// ipdbDir is the folder of a case that holds the IP databases loaded into
// it, each named <sha256>.mmdb and read-only.
const ipdbDir = "ipdb"

// mmdbMarker starts the metadata section at the end of every MaxMind DB file.
var mmdbMarker = []byte("\xAB\xCD\xEFMaxMind.com")

// IPDatabase is an IP geolocation database loaded into the case.
type IPDatabase = store.IPDatabase

// IsIPDatabase reports whether the file at path is a MaxMind DB (.mmdb) file:
// by its content (the metadata marker near its end), not its name.
func IsIPDatabase(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	// The metadata section is at most 128 KiB (the format's limit).
	n := min(fi.Size(), 128<<10)
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, fi.Size()-n); err != nil {
		return false
	}
	return bytes.Contains(buf, mmdbMarker)
}

// LoadIPDatabase loads a MaxMind DB file (GeoLite2 or GeoIP2 Country or City,
// DB-IP lite country or city, or any database whose records carry a country)
// into the case: it is checked whole, copied into the case folder
// (ipdb/<sha256>.mmdb, read-only), and recorded with its SHA-256, type and
// build date in the audit trail. It applies to imports from now on; events
// already imported keep the country they were given. Nothing is looked up on
// a network.
func (c *Case) LoadIPDatabase(ctx context.Context, file string) (IPDatabase, error) {
	if err := c.refuseIfReadOnly(); err != nil {
		return IPDatabase{}, err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return IPDatabase{}, fmt.Errorf("%s: %w", file, cleanOSError(err))
	}
	sum := sha256.Sum256(data)
	d := IPDatabase{Name: filepath.Base(file), SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)),
		LoadedAt: time.Now().UTC(), Investigator: c.Investigator(ctx)}
	meta, err := checkIPDatabase(ctx, data)
	if err != nil {
		return d, fmt.Errorf("%s: %s", file, oneLine(err.Error()))
	}
	d.Type, d.Built, d.IPVersion = meta.DatabaseType, meta.BuildTime().UTC(), int(meta.IPVersion)
	d.Description = oneLine(meta.Description["en"])
	d.Path = path.Join(ipdbDir, d.SHA256+".mmdb")
	for _, have := range mustIPDatabases(c.store.IPDatabases(ctx)) {
		if have.SHA256 == d.SHA256 {
			return d, fmt.Errorf("%s is already loaded as %s (%s): %w", file, have.IPDatabaseRef(), have.Name, model.ErrDuplicate)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	final := filepath.Join(c.dir, filepath.FromSlash(d.Path))
	placed, err := c.placeIPDatabase(data, final)
	if err != nil {
		return d, fmt.Errorf("%s: copy into the case: %w", file, cleanOSError(err))
	}
	if d, err = c.store.AddIPDatabase(ctx, d); err != nil {
		if placed {
			removeOriginal(final)
		}
		return d, fmt.Errorf("%s: %w", file, err)
	}
	return d, nil
}

func mustIPDatabases(ds []IPDatabase, _ error) []IPDatabase { return ds }

// placeIPDatabase writes the copy (synced, read-only) unless an identical
// one is already there; placed says whether this call wrote it.
func (c *Case) placeIPDatabase(data []byte, final string) (placed bool, err error) {
	if have, err := os.ReadFile(final); err == nil && bytes.Equal(have, data) {
		return false, nil
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, err
	}
	// A load interrupted while writing left its temporary copy: the case
	// lock makes this process the only writer, so it is nobody's now.
	if left, err := filepath.Glob(filepath.Join(dir, ".incoming-*")); err == nil {
		for _, p := range left {
			removeOriginal(p)
		}
	}
	f, err := os.CreateTemp(dir, ".incoming-*")
	if err != nil {
		return false, err
	}
	tmp := f.Name()
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		removeOriginal(final) // a damaged copy left by an earlier load
		err = placeOriginal(tmp, final)
	}
	if err != nil {
		removeOriginal(tmp)
		return false, err
	}
	return true, nil
}

// checkIPDatabase opens a MaxMind DB held in memory, verifies its whole
// structure (so that a truncated or corrupt file is refused now, not
// half-read at an import) and checks that its records carry a country.
func checkIPDatabase(ctx context.Context, data []byte) (maxminddb.Metadata, error) {
	if !bytes.Contains(data[max(0, len(data)-128<<10):], mmdbMarker) {
		return maxminddb.Metadata{}, errors.New("not a MaxMind DB (.mmdb) file: no metadata marker; for a CSV of first,last,country rows use a .csv file")
	}
	r, err := maxminddb.OpenBytes(data)
	if err != nil {
		return maxminddb.Metadata{}, fmt.Errorf("not a readable MaxMind DB: %w", err)
	}
	if err := r.Verify(); err != nil {
		return r.Metadata, fmt.Errorf("damaged MaxMind DB (truncated or corrupt): %w", err)
	}
	if err := ctx.Err(); err != nil {
		return r.Metadata, err
	}
	seen := 0
	for res := range r.Networks() {
		if res.Err() != nil {
			return r.Metadata, fmt.Errorf("damaged MaxMind DB: %w", res.Err())
		}
		if mmdbCountry(res) != "" {
			return r.Metadata, nil
		}
		if seen++; seen >= 1000 {
			break
		}
	}
	what := r.Metadata.DatabaseType
	if what == "" {
		what = "this database"
	}
	return r.Metadata, fmt.Errorf("%s gives no country for any of its first %d networks (an ASN or ISP database?): load a Country or City database", what, seen)
}

// mmdbCountry reads the ISO country code of a lookup's record: country.iso_code
// (MaxMind and DB-IP), else a two-letter country or country_code string (other
// producers' country databases). "" when there is none.
func mmdbCountry(res maxminddb.Result) string {
	if !res.Found() {
		return ""
	}
	var code string
	if err := res.DecodePath(&code, "country", "iso_code"); err == nil && code != "" {
		return countryCode(code)
	}
	for _, key := range []string{"country", "country_code"} {
		code = ""
		if err := res.DecodePath(&code, key); err == nil && len(code) == 2 {
			return countryCode(code)
		}
	}
	return ""
}

// ipLookupDB is a loaded IP database opened for an import.
type ipLookupDB struct {
	id int64
	r  *maxminddb.Reader
}

// openIPDatabases opens the case's IP databases in the order they are
// consulted (the most recently loaded first), each checked against the
// SHA-256 recorded when it was loaded: an altered copy stops the import,
// naming the file, rather than placing IPs with data nobody can vouch for.
// They are read into memory, so no file stays open or mapped.
func (c *Case) openIPDatabases(ctx context.Context) ([]ipLookupDB, error) {
	dbs, err := c.store.IPDatabases(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ipLookupDB, 0, len(dbs))
	for _, d := range dbs {
		p := filepath.Join(c.dir, filepath.FromSlash(d.Path))
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("%s (%s, %s): %w (run casebook verify)", p, d.IPDatabaseRef(), d.Name, cleanOSError(err))
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != d.SHA256 {
			return nil, fmt.Errorf("%s (%s, %s): its SHA-256 is not the one recorded when it was loaded (run casebook verify)", p, d.IPDatabaseRef(), d.Name)
		}
		r, err := maxminddb.OpenBytes(data)
		if err != nil {
			return nil, fmt.Errorf("%s (%s, %s): %s", p, d.IPDatabaseRef(), d.Name, oneLine(err.Error()))
		}
		out = append(out, ipLookupDB{id: d.ID, r: r})
	}
	return out, nil
}

// country is the country the database gives a (in 16-byte or 4-byte form).
func (d ipLookupDB) country(a netip.Addr) string {
	return mmdbCountry(d.r.Lookup(a.Unmap()))
}

// IPDatabases lists the IP databases loaded into the case, the most recently
// loaded (the first consulted) first.
func (c *Case) IPDatabases(ctx context.Context) ([]IPDatabase, error) {
	return c.store.IPDatabases(ctx)
}

// IPCountrySource says where an event's IP country came from: "the IP-range
// table", or the IP database with its type and build date ("ipdb-2
// GeoLite2-Country built 2026-11-28"); "" when nothing was recorded.
func (c *Case) IPCountrySource(ctx context.Context, eventID int64) (string, error) {
	db, ok, err := c.store.IPCountryFrom(ctx, eventID)
	if err != nil || !ok {
		return "", err
	}
	if db == 0 {
		return "the IP-range table", nil
	}
	dbs, err := c.store.IPDatabases(ctx)
	if err != nil {
		return "", err
	}
	for _, d := range dbs {
		if d.ID == db {
			return describeIPDatabase(d), nil
		}
	}
	return fmt.Sprintf("ipdb-%d", db), nil
}

// describeIPDatabase names a database the way explanations and the report do.
func describeIPDatabase(d IPDatabase) string {
	t := d.Type
	if t == "" {
		t = d.Name
	}
	return fmt.Sprintf("%s %s built %s", d.IPDatabaseRef(), t, d.Built.Format("2006-01-02"))
}

// checkIPDatabases re-hashes every IP database copy against the SHA-256 its
// load recorded, in the database and in the hash-chained audit trail, and
// returns one line per problem.
func (c *Case) checkIPDatabases(ctx context.Context, trail []model.AuditEntry) ([]string, int, error) {
	dbs, err := c.store.IPDatabases(ctx)
	if err != nil {
		return nil, 0, err
	}
	audited := map[string]string{} // ipdb-N -> sha256 as the audit trail recorded it
	for _, e := range trail {
		if e.Action != "ip-database" {
			continue
		}
		var det struct {
			ID     string `json:"id"`
			SHA256 string `json:"sha256"`
		}
		if json.Unmarshal([]byte(e.Detail), &det) == nil {
			audited[det.ID] = det.SHA256
		}
	}
	var problems []string
	for _, d := range dbs {
		ref := fmt.Sprintf("%s (%s)", d.IPDatabaseRef(), d.Name)
		if a, ok := audited[d.IPDatabaseRef()]; !ok {
			problems = append(problems, ref+": no load of it in the audit trail")
		} else if a != d.SHA256 {
			problems = append(problems, fmt.Sprintf("%s: SHA-256 in the database %s, in the audit trail %s", ref, short(d.SHA256), short(a)))
		}
		p := filepath.Join(c.dir, filepath.FromSlash(d.Path))
		sha, err := hashFile(p)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: the copy %s: %v", ref, d.Path, cleanOSError(err)))
		case sha != d.SHA256:
			problems = append(problems, fmt.Sprintf("%s: the copy %s was altered: SHA-256 %s, recorded %s", ref, d.Path, short(sha), short(d.SHA256)))
		}
	}
	return problems, len(dbs), nil
}

func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func short(sha string) string {
	if len(sha) > 16 {
		return sha[:16] + "…"
	}
	return sha
}

// oneLine folds an error text onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// ipMethodology is the report's methodology paragraph on IP geolocation:
// each IP database loaded, with its type, build date and SHA-256, because IP
// geography changes over time and a reader must be able to tell which
// edition placed an address; and how many events each placed.
func (c *Case) ipMethodology(ctx context.Context) ([]string, error) {
	dbs, err := c.store.IPDatabases(ctx)
	if err != nil {
		return nil, err
	}
	ranges, file, err := c.store.IPRangeTable(ctx)
	if err != nil || (len(dbs) == 0 && ranges == 0) {
		return nil, err
	}
	counts, err := c.store.IPCountryCounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	if ranges > 0 {
		out = append(out, fmt.Sprintf("IP-range table: %d ranges loaded from %s (a CSV the case does not keep; the audit trail "+
			"records its loading). IP country of %d events.", ranges, filepath.Base(file), counts[0]))
	}
	if len(dbs) == 0 {
		return out, nil
	}
	out = append(out, "IP databases. Because IP geography changes over time, each IP database used is named with its "+
		"own build date and the SHA-256 of the copy kept in the case. An address is looked up in the case's IP-range "+
		"table first, then in these databases, the most recently loaded first; the first that knows it gives the IP country.")
	for _, d := range dbs {
		t := d.Type
		if t == "" {
			t = "(no type given)"
		}
		out = append(out, fmt.Sprintf("%s: %s, built %s, file %s (%d bytes), loaded %s, SHA-256 %s. IP country of %d events.",
			d.IPDatabaseRef(), t, d.Built.Format("2006-01-02 15:04 UTC"), d.Name, d.Size,
			d.LoadedAt.Format("2006-01-02"), d.SHA256, counts[d.ID]))
	}
	return out, nil
}

// IPRangeTable describes the case's CSV IP-range table.
type IPRangeTable struct {
	Ranges int64  // rows loaded
	File   string // the file they were loaded from, as it was named
}

// IPRanges describes the case's IP-range table (see ImportIPRanges).
func (c *Case) IPRanges(ctx context.Context) (IPRangeTable, error) {
	n, f, err := c.store.IPRangeTable(ctx)
	return IPRangeTable{Ranges: n, File: f}, err
}

// isIPDatabasePath reports whether a slash-separated path is an IP
// database's place in a case folder: ipdb/<sha256>.mmdb.
func isIPDatabasePath(p string) bool {
	dir, file := path.Split(p)
	sha, ok := strings.CutSuffix(file, ".mmdb")
	return dir == ipdbDir+"/" && ok && isSHA256Hex(sha)
}

// withIPCountrySource adds, after an event exhibit's IP field, the IP's
// country and which table or database gave it, when the import recorded it.
func (c *Case) withIPCountrySource(ctx context.Context, e model.Event, fields []reports.Field) ([]reports.Field, error) {
	if e.IPCountry == "" {
		return fields, nil
	}
	from, err := c.IPCountrySource(ctx, e.ID)
	if err != nil || from == "" {
		return fields, err
	}
	f := reports.Field{Name: "IP country", Value: e.IPCountry + " (from " + from + ")"}
	for i, have := range fields {
		if have.Name == "IP" {
			return slices.Insert(fields, i+1, f), nil
		}
	}
	return append(fields, f), nil
}

// IsIPDatabaseFile reports whether a file given to load IP geography is
// meant as a MaxMind DB: named .mmdb, or one by content. A damaged .mmdb is
// then refused as a database, not read as a CSV of ranges.
func IsIPDatabaseFile(path string) bool {
	return strings.EqualFold(filepath.Ext(path), ".mmdb") || IsIPDatabase(path)
}
