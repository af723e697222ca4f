package index

import (
	"testing"
	"unicode/utf8"
)

// FuzzAnalysis runs the text analyzers (parts and folding) over arbitrary
// text, seeded with real log lines and names: every word they give points
// at bytes inside the text, on rune boundaries, and a query analysed the
// way searches are is never split into parts.
func FuzzAnalysis(f *testing.F) {
	for _, s := range []string{
		"Mar  3 04:12:09 bastion-01 sshd[2211]: Failed password for root from 203.0.113.9 port 52144 ssh2",
		`2001:db8::1 - tl.zeous.daclitan@company.com "GET /reports/q3_summary.pdf?id=4 HTTP/1.1" 200`,
		"type=USER_LOGIN msg=audit(1709456401.120:311): exe=/usr/sbin/sshd hostname=ws-ángeles-07",
		"María José Ángeles: Nos vemos en Los Ángeles.", "Jörg Müller ß æ ø ł", "我们先讨论用户数据的导出问题。",
		"a.b.c_d:e", "...", "_._", "\xff.\xfe", "1.5 v1.2.3",
	} {
		f.Add(s)
	}
	m := buildMapping()
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range []string{textAnalyzer, exactAnalyzer, textQueryAnalyzer, exactQueryAnalyzer} {
			a := m.AnalyzerNamed(name)
			if a == nil {
				t.Fatalf("no analyzer %s", name)
			}
			query := name == textQueryAnalyzer || name == exactQueryAnalyzer
			last := 0
			for _, tok := range a.Analyze([]byte(s)) {
				if query && tok.Position == last {
					t.Fatalf("%s %q: two words at position %d: a query was split", name, s, last)
				}
				last = tok.Position
				if tok.Start < 0 || tok.End > len(s) || tok.Start >= tok.End {
					t.Fatalf("%s %q: token %q at [%d,%d)", name, s, tok.Term, tok.Start, tok.End)
				}
				if utf8.ValidString(s) && (!utf8.RuneStart(s[tok.Start]) || tok.End < len(s) && !utf8.RuneStart(s[tok.End])) {
					t.Fatalf("%s %q: token %q cuts a character at [%d,%d)", name, s, tok.Term, tok.Start, tok.End)
				}
			}
		}
	})
}
