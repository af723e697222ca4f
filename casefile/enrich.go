package casefile

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"

	"casebook/model"
	"casebook/store"
)

// enricher fills in an event's country from the case's own tables — the
// place table (office or city to country) and the IP-range table the
// investigator imported — and flags events whose given country disagrees
// with their IP's. It never looks anything up on a network.
type enricher struct {
	places  map[string]string // lower-case name -> ISO alpha-2
	ranges  []store.IPRange   // sorted by Lo
	ipdbs   []ipLookupDB      // the case's IP databases, the most recently loaded first (see ipdb.go)
	context *contextApplier   // the roster and the data map (see roster.go); set by Import
}

func (c *Case) newEnricher(ctx context.Context) (*enricher, error) {
	own, err := c.store.Places(ctx)
	if err != nil {
		return nil, err
	}
	places := make(map[string]string, len(builtinPlaces)+len(own))
	for k, v := range builtinPlaces {
		places[k] = v
	}
	for k, v := range own {
		places[k] = v
	}
	ranges, err := c.store.IPRanges(ctx)
	if err != nil {
		return nil, err
	}
	ipdbs, err := c.openIPDatabases(ctx)
	if err != nil {
		return nil, err
	}
	return &enricher{places: places, ranges: ranges, ipdbs: ipdbs}, nil
}

// place returns the country of an office or location name, trying the whole
// name, then each comma-separated part ("Beijing, China").
func (en *enricher) place(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return ""
	}
	if c, ok := en.places[n]; ok {
		return c
	}
	parts := strings.Split(n, ",")
	for i := len(parts) - 1; i >= 0; i-- {
		p := strings.TrimSpace(parts[i])
		if c, ok := en.places[p]; ok {
			return c
		}
		if c := countryCode(p); c != "" {
			return c
		}
	}
	return ""
}

// ipCountry returns the country of ip and where it came from: the case's
// IP-range table first (from 0: the investigator's own table is the most
// specific), then each IP database, the most recently loaded first (from its
// id); the first that knows the address answers. ("", -1) when none does.
func (en *enricher) ipCountry(ip string) (country string, from int64) {
	if (len(en.ranges) == 0 && len(en.ipdbs) == 0) || ip == "" {
		return "", -1
	}
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return "", -1
	}
	a = netip.AddrFrom16(a.As16())
	i, found := slices.BinarySearchFunc(en.ranges, a, func(r store.IPRange, t netip.Addr) int { return r.Lo.Compare(t) })
	if !found {
		i--
	}
	if i >= 0 && en.ranges[i].Hi.Compare(a) >= 0 {
		return en.ranges[i].Country, 0
	}
	for _, db := range en.ipdbs {
		if c := db.country(a); c != "" {
			return c, db.id
		}
	}
	return "", -1
}

// apply fills Country, CountryFrom, IPCountry and Flags. ipFrom says where
// IPCountry came from (see ipCountry; -1 when it is empty).
func (en *enricher) apply(e *model.Event) (ipFrom int64) {
	if e.Country != "" {
		if c := countryCode(e.Country); c != "" {
			e.Country = c
		}
		e.CountryFrom = "source"
	} else if c := en.place(e.Office); c != "" {
		e.Country, e.CountryFrom = c, "place"
	}
	if e.ApproverCountry != "" {
		if c := countryCode(e.ApproverCountry); c != "" {
			e.ApproverCountry = c
		}
	}
	e.IPCountry, ipFrom = en.ipCountry(e.IP)
	switch {
	case e.IPCountry == "":
	case e.Country == "":
		e.Country, e.CountryFrom = e.IPCountry, "ip"
	case e.Country != e.IPCountry:
		e.Flags = append(e.Flags, model.FlagCountryMismatch)
	}
	return ipFrom
}

// countryCode turns an ISO alpha-2 code (any case) or an English country
// name into the upper-case alpha-2 code; "" when it is neither.
func countryCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 2 && isLetters(s) {
		return strings.ToUpper(s)
	}
	return countryNames[strings.ToLower(s)]
}

func isLetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

// SetPlaces adds entries to the case's place table (office or city name to
// ISO country code); they apply to imports from now on.
func (c *Case) SetPlaces(ctx context.Context, places map[string]string) error {
	clean := make(map[string]string, len(places))
	for n, cc := range places {
		code := countryCode(cc)
		if strings.TrimSpace(n) == "" || code == "" {
			return fmt.Errorf("place %q: %q is not a country: %w", n, cc, model.ErrInvalid)
		}
		clean[strings.TrimSpace(n)] = code
	}
	return c.store.SetPlaces(ctx, c.Investigator(ctx), clean)
}

// ImportPlaces reads a CSV of "name,country" rows (a header row is skipped)
// into the case's place table.
func (c *Case) ImportPlaces(ctx context.Context, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, cleanOSError(err))
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = -1
	places := map[string]string{}
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if len(rec) < 2 {
			return 0, fmt.Errorf("%s:%d: want name,country", path, line)
		}
		code := countryCode(rec[1])
		if code == "" {
			if line == 1 {
				continue // header
			}
			return 0, fmt.Errorf("%s:%d: %q is not a country code or name", path, line, rec[1])
		}
		places[strings.TrimSpace(rec[0])] = code
	}
	if len(places) == 0 {
		return 0, fmt.Errorf("%s: no places found", path)
	}
	return len(places), c.SetPlaces(ctx, places)
}

// ImportIPRanges replaces the case's IP-range table with a CSV of
// "first,last,country" rows — the layout of the free DB-IP and IP2Location
// "lite" country files (IP2Location's numeric IPv4 form is read too). The
// table is the case's own: nothing is ever looked up on a network.
func (c *Case) ImportIPRanges(ctx context.Context, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, cleanOSError(err))
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var ranges []store.IPRange
	for line := 1; ; line++ {
		if line%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if len(rec) < 3 {
			return 0, fmt.Errorf("%s:%d: want first,last,country", path, line)
		}
		lo, err1 := parseRangeAddr(rec[0])
		hi, err2 := parseRangeAddr(rec[1])
		code := countryCode(rec[2])
		if err1 != nil || err2 != nil || code == "" || hi.Compare(lo) < 0 {
			if line == 1 {
				continue // header
			}
			if strings.TrimSpace(rec[2]) == "-" || strings.TrimSpace(rec[2]) == "ZZ" {
				continue // IP2Location's "unknown" rows
			}
			return 0, fmt.Errorf("%s:%d: not a range: %q", path, line, strings.Join(rec, ","))
		}
		ranges = append(ranges, store.IPRange{Lo: lo, Hi: hi, Country: code})
	}
	if len(ranges) == 0 {
		return 0, fmt.Errorf("%s: no IP ranges found", path)
	}
	slices.SortFunc(ranges, func(a, b store.IPRange) int { return a.Lo.Compare(b.Lo) })
	for i := 1; i < len(ranges); i++ {
		if ranges[i].Lo.Compare(ranges[i-1].Hi) <= 0 {
			return 0, fmt.Errorf("%s: ranges %s-%s and %s-%s overlap", path, ranges[i-1].Lo, ranges[i-1].Hi, ranges[i].Lo, ranges[i].Hi)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(ranges), c.store.ReplaceIPRanges(ctx, c.Investigator(ctx), path, ranges)
}

// parseRangeAddr reads an address as text or as IP2Location's decimal IPv4
// number, returned in 16-byte form.
func parseRangeAddr(s string) (netip.Addr, error) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.AddrFrom16(a.As16()), nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > 0xFFFFFFFF {
		return netip.Addr{}, fmt.Errorf("not an address: %q", s)
	}
	a := netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	return netip.AddrFrom16(a.As16()), nil
}

// Rejects lists the rows refused when a source (0: every source) was imported.
func (c *Case) Rejects(ctx context.Context, sourceID int64) ([]model.Rejection, error) {
	return c.store.Rejects(ctx, sourceID)
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
