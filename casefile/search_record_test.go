package casefile_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

// recordCase is a case with a real-looking sshd log, a web access log and
// a transcript with accented names (all fictional), imported and indexed.
func recordCase(t *testing.T) *casefile.Case {
	t.Helper()
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, "testdata/search_sshd_auth.log", "testdata/search_web_access.log")
	importOK(t, c, casefile.ImportOptions{Kind: "transcript"}, "testdata/search_names_accents.txt")
	return c
}

// hitLines returns the hits of a query as "file:line", sorted: ssh, web
// and talk are recordCase's three files in the order imported.
func hitLines(t *testing.T, c *casefile.Case, q casefile.Query) []string {
	t.Helper()
	q.Limit = 1000
	res, err := c.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("search %q %+v: %v", q.Text, q.Filters, err)
	}
	var out []string
	for _, h := range res.Hits {
		src := map[string]string{"src-1": "ssh", "src-2": "web", "src-3": "talk"}[h.SourceID]
		out = append(out, src+":"+strconv.Itoa(h.Line))
	}
	slices.Sort(out)
	if int(res.Total) != len(out) {
		t.Errorf("search %q: total %d, %d hits", q.Text, res.Total, len(out))
	}
	return out
}

func eventWith(ip, raw string) model.Event { return model.Event{IP: ip, Raw: raw} }

func TestSearchTheWholeRecord(t *testing.T) {
	c := recordCase(t)
	for _, tc := range []struct {
		q    casefile.Query
		want []string
	}{
		// IP addresses: exact, CIDR v4 and v6, IPv6, bare in the box.
		{casefile.Query{Text: "ip:203.0.113.9"}, []string{"ssh:1", "ssh:2"}},
		{casefile.Query{Text: "ip:203.0.113.0/24"}, []string{"ssh:1", "ssh:2", "web:2"}},
		{casefile.Query{Text: "ip:10.0.0.0/8"}, []string{"ssh:6", "web:3"}},
		{casefile.Query{Text: "ip:2001:db8::/32"}, []string{"ssh:4", "web:1"}},
		{casefile.Query{Text: "ip:2001:db8:4a::17"}, []string{"ssh:4"}},
		{casefile.Query{Text: "203.0.113.9"}, []string{"ssh:1", "ssh:2", "talk:3"}},
		{casefile.Query{Text: "2001:db8:85a3::8a2e:370:7334"}, []string{"web:1"}},
		{casefile.Query{Filters: casefile.Filters{IP: "198.51.100.0/24"}}, []string{"ssh:3"}},
		{casefile.Query{Text: "publickey", Filters: casefile.Filters{IP: "198.51.100.23"}}, []string{"ssh:3"}},
		// Words inside the raw messages.
		{casefile.Query{Text: "failed password"}, []string{"ssh:1"}},
		{casefile.Query{Text: "preauth"}, []string{"ssh:2"}},
		{casefile.Query{Text: "kex_exchange_identification"}, []string{"ssh:6"}},
		{casefile.Query{Text: "identification"}, []string{"ssh:6"}},
		{casefile.Query{Text: "payroll_export.log"}, []string{"ssh:5"}},
		{casefile.Query{Text: "payroll"}, []string{"ssh:5", "talk:2"}},
		{casefile.Query{Text: "bastion-01 AND oracle"}, []string{"ssh:4"}},
		{casefile.Query{Text: "firefox"}, []string{"web:1"}},
		{casefile.Query{Text: "kube-probe"}, []string{"web:3"}},
		{casefile.Query{Text: "customers.csv"}, []string{"web:2"}},
		{casefile.Query{Text: "quillon"}, []string{"ssh:5", "web:1"}}, // not in SHA256:quillonexamplekey, a word of its own
		// E-mail addresses: the parts, and the whole address.
		{casefile.Query{Text: "daclitan"}, []string{"web:1"}},
		{casefile.Query{Text: "tl.zeous.daclitan@company.com"}, []string{"web:1"}},
		{casefile.Query{Text: "nunez"}, []string{"web:2"}},
		// Accents fold; typed with them in quotes, they are required.
		{casefile.Query{Text: "angeles"}, []string{"talk:1", "talk:3"}},
		{casefile.Query{Text: `"Los Ángeles"`}, []string{"talk:1"}},
		{casefile.Query{Text: "muller"}, []string{"talk:2"}},
		{casefile.Query{Text: "exportacion"}, []string{"talk:1"}},
		{casefile.Query{Text: "speaker:muller"}, []string{"talk:2"}},
		{casefile.Query{Filters: casefile.Filters{Speaker: "maria jose angeles"}}, []string{"talk:1"}},
		// Kind synonyms.
		{casefile.Query{Text: "kind:transcript"}, []string{"talk:1", "talk:2", "talk:3"}},
		{casefile.Query{Text: "203.0.113.9", Filters: casefile.Filters{Kind: "accesslog"}}, []string{"ssh:1", "ssh:2"}},
		{casefile.Query{Text: "203.0.113.9", Filters: casefile.Filters{Kind: "transcript"}}, []string{"talk:3"}},
	} {
		if got := hitLines(t, c, tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("%q %+v: got %v, want %v", tc.q.Text, tc.q.Filters, got, tc.want)
		}
	}
	for _, q := range []casefile.Query{
		{Text: "kind:transcrpt"}, {Filters: casefile.Filters{Kind: "logs-file"}}, {Filters: casefile.Filters{Approval: "maybe"}},
		{Filters: casefile.Filters{IP: "203.0.113"}}, {Text: "ip:bastion-01"},
	} {
		if _, err := c.Search(t.Context(), q); err == nil {
			t.Errorf("%q %+v: want a refusal", q.Text, q.Filters)
		} else if !strings.Contains(err.Error(), "segment (or transcript)") && !strings.Contains(err.Error(), "yes or no") &&
			!strings.Contains(err.Error(), "CIDR") {
			t.Errorf("%q %+v: the refusal does not list the valid values: %v", q.Text, q.Filters, err)
		}
	}
}

func TestSnippetMarksTheRawLine(t *testing.T) {
	c := recordCase(t)
	res, err := c.Search(t.Context(), casefile.Query{Text: "daclitan"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("daclitan: %v, %v", res.Hits, err)
	}
	if s := res.Hits[0].Snippet; !strings.Contains(s, "tl.zeous.«daclitan»@company.com") {
		t.Errorf("snippet %q does not mark the part in the address", s)
	}
	res, err = c.Search(t.Context(), casefile.Query{Text: "ip:203.0.113.0/24", Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range res.Facets["ip"] {
		got[f.Term] = f.Count
	}
	if got["203.0.113.9"] != 2 || got["203.0.113.77"] != 1 || len(got) != 2 {
		t.Errorf("ip facet of ip:203.0.113.0/24: %v", got)
	}
}

func TestEventIPs(t *testing.T) {
	for _, tc := range []struct {
		ip, raw string
		want    []string
	}{
		{"", "Failed password for root from 203.0.113.9 port 52144 ssh2", []string{"203.0.113.9"}},
		{"203.0.113.9", "from 203.0.113.9.", []string{"203.0.113.9"}},
		{"[2001:db8::1]:443", "", []string{"2001:db8::1"}},
		{"", "client 198.51.100.4:8443 -> [2001:DB8:0::2]:443 via fe80::1%eth0", []string{"198.51.100.4", "2001:db8::2", "fe80::1"}},
		{"", "addr=::ffff:192.0.2.10 hostname=? terminal=ssh", []string{"192.0.2.10"}},
		{"", "at 10:00:00 std::vector mac 00:1a:2b:3c:4d:5e version 1.2.3.4.5 id 0a1b.2c3d", nil},
		{"", "v1.2.3.4 x203.0.113.9 203.0.113.9z 999.1.1.1", nil},
		{"", "net 2001:db8::/32 ended 2001:db8::", []string{"2001:db8::"}},
	} {
		got := casefile.EventIPs(eventWith(tc.ip, tc.raw))
		if !slices.Equal(got, tc.want) {
			t.Errorf("ip %q raw %q: got %v, want %v", tc.ip, tc.raw, got, tc.want)
		}
	}
}
