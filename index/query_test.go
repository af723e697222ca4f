package index_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"casebook/index"
)

func TestTheParserBuildsTheExpectedTree(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "*"},
		{"*", "*"},
		{"admin", "admin"},
		{"master admin", "(AND master admin)"},
		{"master AND admin", "(AND master admin)"},
		{"master && admin", "(AND master admin)"},
		{"master OR admin", "(OR master admin)"},
		{"master || admin", "(OR master admin)"},
		// AND binds tighter than OR; juxtaposition is AND.
		{"a OR b c", "(OR a (AND b c))"},
		{"a b OR c", "(OR (AND a b) c)"},
		{"a OR b AND c OR d", "(OR a (AND b c) d)"},
		{`(master OR admin) AND "user data" NOT test`, `(AND (OR master admin) "user data" (NOT test))`},
		{"-test", "(NOT test)"},
		{"NOT test", "(NOT test)"},
		{"!test", "(NOT test)"},
		{"+admin -test", "(AND admin (NOT test))"},
		{"NOT NOT a", "(NOT (NOT a))"},
		{"a NOT (b OR c)", "(AND a (NOT (OR b c)))"},
		{`"seen china"~5`, `"seen china"~5`},
		{`speaker:"Mia Chen"`, `speaker:"Mia Chen"`},
		{"country:CN", "country:CN"},
		{"Country:cn", "country:cn"},
		{"time:[2022-01-01 TO 2022-03-31]", "time:[2022-01-01 TO 2022-03-31]"},
		{"time:{2022-01-01 TO 2022-03-31}", "time:{2022-01-01 TO 2022-03-31}"},
		{"time:[2022-01-01 TO *]", "time:[2022-01-01 TO *]"},
		{"time:2022-01-12", "time:[2022-01-12 TO 2022-01-12]"},
		{"time:2022-01-12T09:14:03Z", "time:[2022-01-12T09:14:03Z TO 2022-01-12T09:14:03Z]"},
		{"records:>1000", "records:{1000 TO *}"},
		{"records:>=1000", "records:[1000 TO *}"},
		{"records:<10", "records:{* TO 10}"},
		{"records:<=10", "records:{* TO 10]"},
		{"records:[10 TO 100]", "records:[10 TO 100]"},
		{"records:1204", "records:[1204 TO 1204]"},
		{"tag:foreign-access", "tag:foreign-access"},
		{"acc*ss", "w/acc*ss/"},
		{"adm?n", "w/adm?n/"},
		{"admn~1", "admn~1"},
		{"admn~", "admn~2"},
		{"/reg.x/", "/reg.x/"},
		{`/a\/b/`, "/a/b/"},
		{"speaker:(mia OR wei)", "(OR speaker:mia speaker:wei)"},
		{"speaker:(mia wei)", "(AND speaker:mia speaker:wei)"},
		{"speaker:mia*", "speaker:w/mia*/"},
		{"actor:/li.*/", "actor:/li.*/"},
		{`"say \"hi\""`, `"say \"hi\""`},
		{`foo\:bar`, "foo:bar"},
		{`a\ b`, "a b"},
		{"APR-2022-00017", "APR-2022-00017"},
		{"us_users.phone", "us_users.phone"},
		{"数据", "数据"},
		{"((a))", "a"},
		{"a AND (b OR (c -d))", "(AND a (OR b (AND c (NOT d))))"},
		{"kind:event approval:no", "(AND kind:event approval:no)"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			n, err := index.ParseQuery(tc.in)
			if err != nil {
				t.Fatalf("parse %q: %v", tc.in, err)
			}
			if got := n.String(); got != tc.want {
				t.Errorf("parse %q = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestAMalformedQueryNamesTheColumn(t *testing.T) {
	for _, tc := range []struct {
		in   string
		col  int
		want string
	}{
		{`"unterminated`, 1, "unterminated quote"},
		{`admin "user data`, 7, "unterminated quote"},
		{"(master OR admin", 1, "unclosed parenthesis"},
		{"(master OR admin) AND (x", 23, "unclosed parenthesis"},
		{"master)", 7, "unmatched closing parenthesis"},
		{"()", 2, "empty parentheses"},
		{"master OR", 8, "OR needs something on its right"},
		{"OR master", 1, "OR needs something on its left"},
		{"AND master", 1, "AND needs something on its left"},
		{"master AND", 8, "AND needs something on its right"},
		{"master -", 8, "needs something to negate"},
		{"NOT", 1, "needs something to negate"},
		{"colour:red", 1, `unknown field "colour"`},
		{"speaker:", 1, "a value is needed after speaker:"},
		{"time:[2022-01-01 TO 2022-03-31", 6, "unclosed range"},
		{"time:[2022-01-01 2022-03-31]", 18, "TO expected"},
		{"time:[2022-13-45 TO 2023]", 6, "not a date"},
		{"records:>lots", 10, "not a number"},
		{"records:[1 TO 2} )", 18, "unmatched closing parenthesis"},
		{"speaker:[a TO b]", 9, "ranges need a time or number field"},
		{"country:>CN", 9, "comparisons need a time or number field"},
		{`"seen china"~`, 13, "proximity needs a distance"},
		{"admn~3", 5, "fuzzy distance can be 0, 1 or 2"},
		{"~2", 1, "~ must follow a word or a phrase"},
		{"/abc", 1, "unterminated regular expression"},
		{"//", 1, "empty regular expression"},
		{`""`, 1, "empty phrase"},
		{`a\`, 2, "nothing to escape"},
		{"[a TO b]", 1, "a range must follow a field"},
		{">5", 1, "must follow a field"},
		{"speaker:(country:CN)", 10, "a field inside speaker:"},
		{"数据 )", 4, "unmatched closing parenthesis"},
		{strings.Repeat("(", 200) + "a" + strings.Repeat(")", 200), 101, "nested too deeply"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			_, err := index.ParseQuery(tc.in)
			var qe *index.QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("parse %q: %v, want a *QueryError", tc.in, err)
			}
			if qe.Pos != tc.col || !strings.Contains(qe.Msg, tc.want) {
				t.Errorf("parse %q: column %d %q, want column %d %q", tc.in, qe.Pos, qe.Msg, tc.col, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "query: column ") {
				t.Errorf("error %q does not start with the column", err)
			}
		})
	}
}

func TestColumnsCountCharactersNotBytes(t *testing.T) {
	_, err := index.ParseQuery(`数据 "未闭合`)
	var qe *index.QueryError
	if !errors.As(err, &qe) || qe.Pos != 4 {
		t.Fatalf("error %v, want column 4", err)
	}
}

var fuzzSeeds = []string{
	`(master OR admin) AND "user data" NOT test`, `-term`, `+term`, `"seen china"~5`, `speaker:"Mia Chen"`,
	`country:CN`, `time:[2022-01-01 TO 2022-03-31]`, `time:{2022-01-01 TO 2022-03-31}`, `records:>1000`,
	`records:[10 TO 100]`, `tag:foreign-access`, `acc*ss`, `admn~1`, `/reg.x/`, `speaker:(mia OR wei)`, `数据`,
	`"unterminated`, `(a OR`, `a\`, `time:2022`, `records:<=5 && !x || y`,
	`ip:2001:db8::/32`, `fe80::1 OR ip:203.0.113.0/24`, `(::1)`, `ip:fe80::`, `kind:transcript`, `dead:beef:`,
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			n, err := index.ParseQuery(s)
			if err != nil {
				var qe *index.QueryError
				if !errors.As(err, &qe) {
					t.Errorf("parse %q: error %v is not a *QueryError", s, err)
				} else if qe.Pos < 1 || qe.Pos > len([]rune(s))+1 {
					t.Errorf("parse %q: column %d outside the query", s, qe.Pos)
				}
				return
			}
			if n == nil {
				t.Errorf("parse %q: nil tree and no error", s)
				return
			}
			_ = n.String()
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("parse %q did not finish", s)
		}
	})
}
