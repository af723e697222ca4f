// Package mmdbtest builds small MaxMind DB (.mmdb) files for tests, with
// MaxMind's own writer (github.com/maxmind/mmdbwriter), so that tests never
// need a downloaded GeoLite2 or DB-IP database. The records have the shape of
// the GeoLite2/GeoIP2 Country and City databases (country.iso_code,
// country.names.en, registered_country, and city.names.en for a City type).
// Only tests import it.
package mmdbtest

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Network is one prefix of a test database and the country it is in.
type Network struct {
	Prefix  string // "203.0.113.0/24", "2001:db8:1::/48"
	Country string // ISO alpha-2; "" writes a record without a country (as an ASN database would)
	City    string // written as city.names.en when set
}

// Options are the metadata of a test database.
type Options struct {
	Type        string    // database_type, e.g. "GeoLite2-Country"; "GeoLite2-Country" when empty
	Built       time.Time // build_epoch
	Description string    // description.en
	IPv4Only    bool      // an ip_version 4 database
}

// Build returns the bytes of a MaxMind DB file holding nets. Documentation
// and other reserved ranges are allowed, so tests can use fictional addresses.
func Build(opts Options, nets ...Network) ([]byte, error) {
	if opts.Type == "" {
		opts.Type = "GeoLite2-Country"
	}
	ipv := 6
	if opts.IPv4Only {
		ipv = 4
	}
	w, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            opts.Type,
		Description:             map[string]string{"en": opts.Description},
		Languages:               []string{"en"},
		IPVersion:               ipv,
		RecordSize:              24,
		BuildEpoch:              opts.Built.Unix(),
		IncludeReservedNetworks: true,
	})
	if err != nil {
		return nil, err
	}
	for _, n := range nets {
		p, err := netip.ParsePrefix(n.Prefix)
		if err != nil {
			return nil, err
		}
		rec := mmdbtype.Map{}
		if n.Country != "" {
			c := mmdbtype.Map{"iso_code": mmdbtype.String(n.Country), "names": mmdbtype.Map{"en": mmdbtype.String("Country " + n.Country)}}
			rec["country"] = c
			rec["registered_country"] = c
		} else {
			rec["autonomous_system_number"] = mmdbtype.Uint32(64512)
		}
		if n.City != "" {
			rec["city"] = mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(n.City)}}
		}
		// InsertRange takes the first and last address as byte slices: no
		// package of ours imports net.
		p = p.Masked()
		if err := w.InsertRange(p.Addr().AsSlice(), LastAddr(p).AsSlice(), rec); err != nil {
			return nil, fmt.Errorf("insert %s: %w", n.Prefix, err)
		}
	}
	var b bytes.Buffer
	if _, err := w.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// LastAddr is the last address of a prefix.
func LastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// Write builds a database and writes it as dir/name, failing the test on error.
func Write(t testing.TB, dir, name string, opts Options, nets ...Network) string {
	t.Helper()
	b, err := Build(opts, nets...)
	if err != nil {
		t.Fatalf("build %s: %v", name, err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Nets parses "PREFIX=CC" pairs, for short test tables.
func Nets(pairs ...string) []Network {
	var out []Network
	for _, s := range pairs {
		p, c, _ := strings.Cut(s, "=")
		out = append(out, Network{Prefix: p, Country: c})
	}
	return out
}
