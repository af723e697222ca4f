package index_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"casebook/index"
)

// recordDocs are events and segments written like the real thing: raw
// sshd, web and audit lines with addresses, e-mail addresses, paths and
// names with diacritics (all fictional).
var recordDocs = []index.Doc{
	{ID: "evt-1", Kind: "event", Source: "src-1", Actor: "root", IPs: []string{"203.0.113.9"},
		Text: "Mar  3 04:12:09 bastion-01 sshd[2211]: Failed password for root from 203.0.113.9 port 52144 ssh2"},
	{ID: "evt-2", Kind: "event", Source: "src-1", Actor: "deploy", IPs: []string{"203.0.113.200", "10.20.30.40"},
		Text: "Mar  3 04:13:00 bastion-01 sshd[2230]: Accepted publickey for deploy from 203.0.113.200 port 40022 ssh2 (via 10.20.30.40)"},
	{ID: "evt-3", Kind: "event", Source: "src-2", Actor: "tl.zeous.daclitan@company.com", IPs: []string{"2001:db8:85a3::8a2e:370:7334"},
		Text: `2001:db8:85a3::8a2e:370:7334 - tl.zeous.daclitan@company.com [03/Mar/2024:09:00:01 +0000] "GET https://files.example.com/reports/q3_summary.pdf?id=4 HTTP/1.1" 200 5120 "Mozilla/5.0 (X11; Linux x86_64) Firefox/124.0"`},
	{ID: "evt-4", Kind: "event", Source: "src-2", Actor: "Jörg Müller", IPs: []string{"2001:db9::1", "::ffff:198.51.100.77"},
		Text: "type=USER_LOGIN msg=audit(1709456401.120:311): exe=/usr/sbin/sshd hostname=ws-ángeles-07 res=failed error=PermissionDenied"},
	{ID: "evt-5", Kind: "event", Source: "src-2", Actor: "Muller", IPs: []string{"not an address", "10.255.255.255"},
		Text: "User Muller opened /var/log/auth.log on pod checkout-7f9c"},
	{ID: "seg-1", Kind: "segment", Source: "src-3", Speaker: "María José Ángeles", Text: "Nos vemos en Los Ángeles el lunes."},
	{ID: "seg-2", Kind: "segment", Source: "src-3", Speaker: "Tom Angeles", Text: "The Los Angeles office called about 203.0.113.9 again."},
	{ID: "seg-3", Kind: "segment", Source: "src-3", Speaker: "Li Na", Text: "我们先讨论用户数据的导出问题。", CJK: "我们先讨论用户数据的导出问题。"},
}

func TestIPQueries(t *testing.T) {
	ix := newTestIndex(t, recordDocs)
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"ip:203.0.113.9", []string{"evt-1"}},
		{"ip:203.0.113.0/24", []string{"evt-1", "evt-2"}},
		{"ip:203.0.113.128/25", []string{"evt-2"}},
		{"ip:10.0.0.0/8", []string{"evt-2", "evt-5"}},
		{"ip:0.0.0.0/0", []string{"evt-1", "evt-2", "evt-4", "evt-5"}},
		{"ip:198.51.100.77", []string{"evt-4"}},        // indexed as ::ffff:198.51.100.77
		{"ip:::ffff:198.51.100.77", []string{"evt-4"}}, // and asked that way
		{"ip:2001:db8::/32", []string{"evt-3"}},
		{"ip:2001:db8:0:0::/64", nil},
		{"ip:2001:db8:85a3::/48", []string{"evt-3"}},
		{"ip:2001:DB8:85A3:0:0:8A2E:0370:7334", []string{"evt-3"}},
		{"ip:2001:db8::/31", []string{"evt-3", "evt-4"}},
		{"ip:::/0", []string{"evt-1", "evt-2", "evt-3", "evt-4", "evt-5"}},
		{`ip:"10.20.30.40"`, []string{"evt-2"}},
		{"ip:10.20.30.40/32", []string{"evt-2"}},
		{"ip:203.0.113.*", []string{"evt-1", "evt-2"}},
		{"ip:203.0.113.9 OR ip:2001:db9::1", []string{"evt-1", "evt-4"}},
		// A bare address in the box: the events carrying it and the text
		// that mentions it.
		{"203.0.113.9", []string{"evt-1", "seg-2"}},
		{"2001:db9::1", []string{"evt-4"}},
		{"2001:db8::/32", []string{"evt-3"}},
		{"(2001:db9::1)", []string{"evt-4"}},
		{"10.0.0.0/8 AND muller", []string{"evt-5"}},
	} {
		if got := ids(t, ix, index.Request{Query: c.q}); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.q, got, c.want)
		}
	}
	if got := ids(t, ix, index.Request{Filter: index.Filter{IP: "203.0.113.0/24"}}); !slices.Equal(got, []string{"evt-1", "evt-2"}) {
		t.Errorf("ip filter: got %v", got)
	}
	for _, q := range []string{"ip:203.0.113", "ip:not-an-ip", "ip:10.0.0.0/33"} {
		_, err := ix.Search(context.Background(), index.Request{Query: q})
		if err == nil || !strings.Contains(err.Error(), "is not an IP address") {
			t.Errorf("%s: want a refusal naming the value, got %v", q, err)
		}
	}
	if _, err := ix.Search(context.Background(), index.Request{Filter: index.Filter{IP: "203.0.113.300"}}); err == nil {
		t.Error("ip filter 203.0.113.300: want an error")
	}
	res, err := ix.Search(context.Background(), index.Request{Query: "*", Facets: []string{"ip"}})
	if err != nil {
		t.Fatal(err)
	}
	var terms []string
	for _, f := range res.Facets["ip"] {
		terms = append(terms, f.Term)
	}
	slices.Sort(terms)
	want := []string{"10.20.30.40", "10.255.255.255", "198.51.100.77", "2001:db8:85a3::8a2e:370:7334", "2001:db9::1", "203.0.113.200", "203.0.113.9"}
	if !slices.Equal(terms, want) {
		t.Errorf("ip facet: got %v, want %v", terms, want)
	}
}

func TestEveryWordOfTheRecord(t *testing.T) {
	ix := newTestIndex(t, recordDocs)
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"failed password", []string{"evt-1"}},
		{"sshd", []string{"evt-1", "evt-2", "evt-4"}},
		{"bastion", []string{"evt-1", "evt-2"}},
		{"bastion-01", []string{"evt-1", "evt-2"}},
		{"publickey", []string{"evt-2"}},
		// An e-mail address: its parts, and the whole address.
		{"daclitan", []string{"evt-3"}},
		{"zeous", []string{"evt-3"}},
		{"tl.zeous.daclitan@company.com", []string{"evt-3"}},
		{`"tl.zeous.daclitan@company.com"`, []string{"evt-3"}},
		{"actor:tl.zeous.daclitan@company.com", []string{"evt-3"}},
		// URLs, paths and their parts.
		{"files.example.com", []string{"evt-3"}},
		{"example", []string{"evt-3"}},
		{"summary", []string{"evt-3"}},
		{"q3_summary.pdf", []string{"evt-3"}},
		{"firefox", []string{"evt-3"}},
		{"/var/log/auth.log", []string{"evt-5"}},
		{`"auth.log"`, []string{"evt-5"}},
		{"auth", []string{"evt-5"}},
		{"sbin", []string{"evt-4"}},
		{"PermissionDenied", []string{"evt-4"}},
		{"checkout-7f9c", []string{"evt-5"}},
		{"USER_LOGIN", []string{"evt-4"}},
		{"login", []string{"evt-4"}},
		// A whole joined word does not match one of its parts alone.
		{"log.auth", nil},
	} {
		if got := ids(t, ix, index.Request{Query: c.q}); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.q, got, c.want)
		}
	}
}

func TestAccentsFold(t *testing.T) {
	ix := newTestIndex(t, recordDocs)
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"angeles", []string{"evt-4", "seg-1", "seg-2"}},
		{"Ángeles", []string{"evt-4", "seg-1", "seg-2"}},
		{"muller", []string{"evt-5"}}, // the text; the actor field is not text
		{`"los angeles"`, []string{"seg-1", "seg-2"}},
		// Typed with its accents, a quoted phrase asks for that spelling.
		{`"Los Ángeles"`, []string{"seg-1"}},
		{`"ángeles"`, []string{"evt-4", "seg-1"}},
		{"angel*", []string{"evt-4", "seg-1", "seg-2"}},
		// Names: a word, and the whole name typed without its accents.
		{"actor:muller", []string{"evt-4", "evt-5"}},
		{"actor:müller", []string{"evt-4"}},
		{`actor:"jorg muller"`, []string{"evt-4"}},
		{`actor:"Jörg Müller"`, []string{"evt-4"}},
		{`actor:"Jorg Müller"`, nil},
		{"speaker:angeles", []string{"seg-1", "seg-2"}},
		{`speaker:"maria jose angeles"`, []string{"seg-1"}},
		// CJK as before.
		{"导出", []string{"seg-3"}},
	} {
		if got := ids(t, ix, index.Request{Query: c.q}); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.q, got, c.want)
		}
	}
	if got := ids(t, ix, index.Request{Filter: index.Filter{Speaker: "Maria Jose Angeles"}}); !slices.Equal(got, []string{"seg-1"}) {
		t.Errorf("speaker filter without accents: got %v", got)
	}
}

func TestEnumeratedValuesAreChecked(t *testing.T) {
	ix := newTestIndex(t, recordDocs)
	for _, c := range []struct {
		q    string
		f    index.Filter
		want int
	}{
		{q: "kind:transcript", want: 3}, {q: "kind:segment", want: 3}, {q: "kind:Transcripts", want: 3},
		{q: "kind:accesslog", want: 5}, {q: "kind:event", want: 5}, {q: `kind:"access-log"`, want: 5},
		{f: index.Filter{Kind: "transcript"}, want: 3}, {f: index.Filter{Kind: "accesslog"}, want: 5},
		{f: index.Filter{Kind: "EVENT"}, want: 5},
	} {
		if got := ids(t, ix, index.Request{Query: c.q, Filter: c.f}); len(got) != c.want {
			t.Errorf("%q %+v: %d hits, want %d", c.q, c.f, len(got), c.want)
		}
	}
	for _, c := range []struct {
		q    string
		f    index.Filter
		want string
	}{
		{q: "kind:evnet", want: "segment (or transcript) and event (or accesslog)"},
		{q: "kind:source", want: "sources are not search hits"},
		{q: "approval:maybe", want: "not yes or no"},
		{f: index.Filter{Kind: "log-file"}, want: "kind filter"},
		{f: index.Filter{Approval: "y"}, want: "approval filter"},
	} {
		_, err := ix.Search(context.Background(), index.Request{Query: c.q, Filter: c.f})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q %+v: want an error with %q, got %v", c.q, c.f, c.want, err)
		}
	}
}

func TestMatchesPointIntoTheText(t *testing.T) {
	// A part points at itself inside its word and a folded word at the
	// word as written, so snippets cut from the record mark the right text.
	// The matches are those the hit carries (fields that keep positions)
	// and those the query's highlighter finds in the text (the stemmed
	// field), as casefile puts them together.
	ix := newTestIndex(t, recordDocs)
	for _, c := range []struct{ q, doc, want string }{
		{"daclitan", "evt-3", "daclitan"}, // the part itself
		{"angeles", "seg-1", "Ángeles"},
		{`"auth.log"`, "evt-5", "auth.log"},
	} {
		res, err := ix.Search(context.Background(), index.Request{Query: c.q, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		var text string
		for _, d := range recordDocs {
			if d.ID == c.doc {
				text = d.Text
			}
		}
		found := false
		for _, h := range res.Hits {
			if h.ID != c.doc {
				continue
			}
			for _, m := range append(h.Matches, ix.Highlighter(c.q)(text)...) {
				if text[m.Start:m.End] == c.want {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: no match marks %q in %s", c.q, c.want, c.doc)
		}
	}
}

func TestARefusedValueNamesItsColumn(t *testing.T) {
	for _, c := range []struct {
		q   string
		pos int
	}{
		{"sshd kind:evnet", 11}, {"kind:(segment OR evnet)", 18}, {`approval:"maybe"`, 10}, {"x ip:10.0.0.300", 6},
	} {
		_, err := index.ParseQuery(c.q)
		var qe *index.QueryError
		if !errors.As(err, &qe) || qe.Pos != c.pos {
			t.Errorf("%s: got %v, want an error at column %d", c.q, err, c.pos)
		}
	}
}
