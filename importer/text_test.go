package importer

import (
	"strings"
	"testing"
)

func TestCleanTextStripsTagsDecodesEntitiesAndCollapsesSpace(t *testing.T) {
	for in, want := range map[string]string{
		"<i>Last</i>  spring":                    "Last spring",
		`<font color="#ff0">It ran</font>`:       "It ran",
		"<c.yellow.bg_blue>Who</c> &amp; why":    "Who & why",
		"<00:00:11.000>Nobody <b>did</b>":        "Nobody did",
		"{\\an8}Top line":                        "Top line",
		"a < b and c > d":                        "a < b and c > d",
		"x <3 y":                                 "x <3 y",
		"&lt;staging&gt;&nbsp;bucket&lrm;&#39;s": "<staging> bucket's",
		"  many\t\n spaces  ":                    "many spaces",
		"<lang zh>数据</lang>\u200f":               "数据",
		"unclosed <b tag":                        "unclosed <b tag",
		"</>end":                                 "end",
	} {
		if got := cleanText(in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseClockReadsEveryTimeForm(t *testing.T) {
	for in, want := range map[string]int64{
		"00:00:01.000": 1000, "00:00:01,250": 1250, "0:0:0.570": 570, "01:02.5": 62500, "1:02:03": 3723000,
		"12:34": 754000, "00:00:08": 8000, "100:00:00.001": 360000001,
	} {
		if got, ok := parseClock(in); !ok || got != want {
			t.Errorf("parseClock(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "12", "00:60:00", "a:b", "1:2:3:4", "00:00:xx.000", "00:01.", "-1:00"} {
		if _, ok := parseClock(bad); ok {
			t.Errorf("parseClock(%q) accepted", bad)
		}
	}
}

func TestCollapseSpaceMatchesFieldsJoin(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a", "a ", "a  b", "a b", "a\tb", "数据 stays", "x\u00a0y", "a \u2003 b ", "  ", "é è"} {
		want := strings.Join(strings.Fields(s), " ")
		if got := collapseSpace(s); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestSplitCSVLineHandlesQuotes(t *testing.T) {
	for in, want := range map[string][]string{
		`a,b,c`:               {"a", "b", "c"},
		`"a, b",c`:            {"a, b", "c"},
		`"say ""hi""",x`:      {`say "hi"`, "x"},
		"\"two\nlines\",y":    {"two\nlines", "y"},
		`5" screen,z`:         {`5" screen`, "z"},
		`"unterminated,still`: {"unterminated,still"},
		`"",`:                 {"", ""},
		`"q"tail,n`:           {"qtail", "n"},
	} {
		got, _ := splitCSVLine(in, ',')
		if strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			t.Errorf("splitCSVLine(%q) = %q, want %q", in, got, want)
		}
	}
}
