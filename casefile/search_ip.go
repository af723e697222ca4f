package casefile

import (
	"casebook/index"
	"casebook/model"
)

// EventIPs returns the IP addresses an event carries, each once, in
// canonical form (203.0.113.7, 2001:db8::1): its mapped IP first, then the
// addresses written anywhere in its raw line ("Failed password for root
// from 203.0.113.9 port 52144"). These are what ip: and the IP filter find
// it by.
func EventIPs(e model.Event) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if c, ok := index.CanonicalIP(s); ok && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	add(e.IP)
	if len(out) == 0 {
		// A mapped value with a port or brackets: [2001:db8::1]:443.
		for _, s := range ipsIn(e.IP) {
			add(s)
		}
	}
	for _, s := range ipsIn(e.Raw) {
		add(s)
	}
	return out
}

// ipsIn returns the IPv4 and IPv6 addresses written in s, standing on
// their own (not inside a longer word or number): 203.0.113.9,
// 203.0.113.9:22 (the port is dropped), [2001:db8::1]:443, fe80::1.
// Dotted runs that are not four numbers (versions like 1.2.3.4.5) and
// colon runs that are not addresses (times, MAC addresses, std::vector)
// are not.
func ipsIn(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		if !isIPByte(s[i]) {
			i++
			continue
		}
		j := i
		dots, colons := 0, 0
		for j < len(s) && isIPByte(s[j]) {
			switch s[j] {
			case '.':
				dots++
			case ':':
				colons++
			}
			j++
		}
		run, start := s[i:j], i
		i = j
		if dots < 3 && colons < 2 {
			continue
		}
		if start > 0 && isWordByte(s[start-1]) || j < len(s) && (isWordByte(s[j]) || s[j] == '/') {
			continue // inside a longer word, or a CIDR prefix rather than an address
		}
		run = trimIPRun(run)
		if _, ok := index.CanonicalIP(run); ok {
			out = append(out, run)
			continue
		}
		// 203.0.113.9:22, an IPv4 address and a port.
		if k := lastByte(run, ':'); k > 0 && dots == 3 {
			if c, ok := index.CanonicalIP(run[:k]); ok && len(c) <= 15 {
				out = append(out, run[:k])
			}
		}
	}
	return out
}

// trimIPRun drops what ends a sentence or a label after an address
// ("from 203.0.113.9." or "client 203.0.113.9:"), keeping the "::" that
// ends an IPv6 address like 2001:db8::.
func trimIPRun(run string) string {
	for len(run) > 0 {
		last := run[len(run)-1]
		if last == '.' || last == ':' && !(len(run) >= 2 && run[len(run)-2] == ':') {
			run = run[:len(run)-1]
			continue
		}
		return run
	}
	return run
}

func lastByte(s string, b byte) int {
	for k := len(s) - 1; k >= 0; k-- {
		if s[k] == b {
			return k
		}
	}
	return -1
}

// isIPByte reports whether c can be part of a written IP address.
func isIPByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':'
}

// isWordByte reports whether c continues a word (so an address-like run
// next to it is part of something else).
func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}
