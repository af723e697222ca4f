package casefile_test

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/index"
	"casebook/model"
)

// FuzzEventIPs feeds raw log lines to the address finder: real lines from
// the importer's sshd, auditd and Apache samples and this package's own as
// seeds. Whatever it finds is a canonical address, once, that the line
// spells out (in canonical form, or in the form written).
func FuzzEventIPs(f *testing.F) {
	for _, path := range []string{
		"testdata/search_sshd_auth.log", "testdata/search_web_access.log",
		"../importer/testdata/logfixtures/lumora_auth.log", "../importer/testdata/logfixtures/lumora_audit.log",
		"../importer/testdata/logs/crowdsec_apache2-logs.log",
	} {
		file, err := os.Open(path)
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for n := 0; n < 40 && sc.Scan(); n++ {
			f.Add(sc.Text())
		}
		file.Close()
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := casefile.EventIPs(model.Event{Raw: raw})
		seen := map[string]bool{}
		for _, ip := range got {
			if c, ok := index.CanonicalIP(ip); !ok || c != ip {
				t.Fatalf("%q: %q is not a canonical address", raw, ip)
			}
			if seen[ip] {
				t.Fatalf("%q: %q twice in %v", raw, ip, got)
			}
			seen[ip] = true
			if !strings.Contains(strings.ToLower(raw), ip) && !writtenIn(raw, ip) {
				t.Fatalf("%q: %q is not in the line", raw, ip)
			}
		}
	})
}

// writtenIn reports whether some address-like run of raw is the address ip
// in another spelling (upper case, leading zeros, ::ffff: mapped).
func writtenIn(raw, ip string) bool {
	runs := strings.FieldsFunc(raw, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r == '.' || r == ':')
	})
	return slices.ContainsFunc(runs, func(run string) bool {
		for _, cand := range []string{run, strings.Trim(run, ".:"), run[:max(0, strings.LastIndexByte(run, ':'))]} {
			if c, ok := index.CanonicalIP(cand); ok && c == ip {
				return true
			}
		}
		return false
	})
}
