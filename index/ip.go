package index

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// IP addresses are indexed twice: "ip" holds each address in its canonical
// form (netip's: 203.0.113.7, 2001:db8::1; an IPv4-mapped IPv6 address as
// its IPv4 form), matched exactly and counted by the facet; "ip_hex" holds
// the same address as 32 hex digits of its 16-byte form, so that a CIDR
// prefix is one range of terms in text order (the first address of the
// prefix to the last).
const (
	fieldIP    = "ip"
	fieldIPHex = "ip_hex"
)

// CanonicalIP returns the canonical form of an IP address (IPv4-mapped
// IPv6 addresses as IPv4, zones dropped) and whether s is one.
func CanonicalIP(s string) (string, bool) {
	a, ok := parseIP(s)
	if !ok {
		return "", false
	}
	return a.String(), true
}

func parseIP(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// parsePrefix reads a CIDR prefix (203.0.113.0/24, 2001:db8::/32); host
// bits are ignored (203.0.113.9/24 is 203.0.113.0/24).
func parsePrefix(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, false
	}
	a := p.Addr()
	bits := p.Bits()
	if a.Is4In6() && bits >= 96 {
		a, bits = a.Unmap(), bits-96
	}
	return netip.PrefixFrom(a, bits).Masked(), true
}

// ipHex is the "ip_hex" term of an address.
func ipHex(a netip.Addr) string {
	b := a.As16()
	return hex.EncodeToString(b[:])
}

// prefixRange returns the first and last "ip_hex" terms of a prefix.
func prefixRange(p netip.Prefix) (lo, hi string) {
	first := p.Addr().As16()
	last := first
	bits := p.Bits()
	if p.Addr().Is4() {
		bits += 96
	}
	for i := bits; i < 128; i++ {
		last[i/8] |= 0x80 >> (i % 8)
	}
	return hex.EncodeToString(first[:]), hex.EncodeToString(last[:])
}

// ipFields adds the "ip" and "ip_hex" terms of the addresses in ips to m,
// each address once; values that are not addresses are left out.
func ipFields(m map[string]interface{}, ips []string) {
	var canon, hexes []string
	seen := map[netip.Addr]bool{}
	for _, s := range ips {
		a, ok := parseIP(s)
		if !ok || seen[a] {
			continue
		}
		seen[a] = true
		canon = append(canon, a.String())
		hexes = append(hexes, ipHex(a))
	}
	if len(canon) > 0 {
		m[fieldIP] = canon
		m[fieldIPHex] = hexes
	}
}

// ipQuery matches the items carrying an address (an exact term) or an
// address in a CIDR prefix (a range of terms); ok is false when v is
// neither.
func ipQuery(v string) (q query.Query, ok bool) {
	if strings.Contains(v, "/") {
		p, ok := parsePrefix(v)
		if !ok {
			return nil, false
		}
		if p.Bits() == p.Addr().BitLen() {
			return termQuery(fieldIP, p.Addr().String()), true
		}
		lo, hi := prefixRange(p)
		incl := true
		r := bleve.NewTermRangeInclusiveQuery(lo, hi, &incl, &incl)
		r.SetField(fieldIPHex)
		return r, true
	}
	a, ok := parseIP(v)
	if !ok {
		return nil, false
	}
	return termQuery(fieldIP, a.String()), true
}

// ipValueError is the error for an ip: value that is neither an address
// nor a prefix.
func ipValueError(v string) string {
	return "ip: " + strconv.Quote(v) + " is not an IP address (203.0.113.7, 2001:db8::1) or a CIDR prefix (203.0.113.0/24, 2001:db8::/32)"
}

// ipLiteralLen returns the length in bytes of the IP address or CIDR prefix
// s starts with, when it holds a colon (an IPv6 address, which the query
// lexer would otherwise cut at the colon as if "fe80:" were a field name)
// and ends where a word ends; 0 otherwise.
func ipLiteralLen(s string) int {
	n := 0
	colon := false
	for n < len(s) {
		c := s[n]
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':' || c == '/' {
			colon = colon || c == ':'
			n++
			continue
		}
		break
	}
	if !colon || n < 2 {
		return 0
	}
	if n < len(s) && !strings.ContainsRune(" \t\r\n()", rune(s[n])) {
		return 0
	}
	w := s[:n]
	if _, ok := parsePrefix(w); ok {
		return n
	}
	if _, ok := parseIP(w); ok {
		return n
	}
	return 0
}
