package casefile

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/oschwald/maxminddb-golang/v2"

	"casebook/internal/mmdbtest"
	"casebook/store"
)

// BenchmarkIPCountryLookup measures what placing one event's IP costs at
// import: the same 20,000 IPv4 /24 and 4,000 IPv6 /48 networks as a CSV
// range table and as a MaxMind DB (built here, fictional), looked up for a
// mix of addresses inside and outside them. Run it with
// go test -tags migrated_fynedo -run '^$' -bench IPCountryLookup ./casefile/
func BenchmarkIPCountryLookup(b *testing.B) {
	countries := []string{"US", "CN", "DE", "FR", "SG", "BR", "IN", "JP"}
	var nets []mmdbtest.Network
	var ranges []store.IPRange
	for i := range 20000 {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(11 + i/256/256), byte(i / 256), byte(i), 0}), 24)
		nets = append(nets, mmdbtest.Network{Prefix: p.String(), Country: countries[i%len(countries)]})
		ranges = append(ranges, store.IPRange{Lo: netip.AddrFrom16(p.Addr().As16()), Hi: netip.AddrFrom16(mmdbtest.LastAddr(p).As16()), Country: countries[i%len(countries)]})
	}
	for i := range 4000 {
		p := netip.MustParsePrefix(fmt.Sprintf("2001:db8:%x::/48", i))
		nets = append(nets, mmdbtest.Network{Prefix: p.String(), Country: countries[i%len(countries)]})
		ranges = append(ranges, store.IPRange{Lo: p.Addr(), Hi: mmdbtest.LastAddr(p), Country: countries[i%len(countries)]})
	}
	data, err := mmdbtest.Build(mmdbtest.Options{Built: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)}, nets...)
	if err != nil {
		b.Fatal(err)
	}
	r, err := maxminddb.OpenBytes(data)
	if err != nil {
		b.Fatal(err)
	}
	var ips []string
	for i := range 1024 {
		switch i % 4 {
		case 0, 1:
			ips = append(ips, fmt.Sprintf("11.%d.%d.%d", (i*7)%78, i%256, i%250+1))
		case 2:
			ips = append(ips, fmt.Sprintf("2001:db8:%x::%x", (i*13)%4000, i))
		default:
			ips = append(ips, fmt.Sprintf("100.64.%d.%d", i%256, i%200)) // in neither
		}
	}
	for _, bc := range []struct {
		name string
		en   *enricher
	}{
		{"csv-ranges", &enricher{ranges: ranges}},
		{"mmdb", &enricher{ipdbs: []ipLookupDB{{id: 1, r: r}}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			found := 0
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if c, _ := bc.en.ipCountry(ips[i%len(ips)]); c != "" {
					found++
				}
			}
			if found == 0 {
				b.Fatal("no address was placed")
			}
		})
	}
}
