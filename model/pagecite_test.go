package model

import "testing"

func TestPageCite(t *testing.T) {
	for _, c := range []struct {
		p, l, ep, el int
		want         string
	}{
		{0, 0, 0, 0, ""},
		{982, 3, 982, 7, "982:3–7"},
		{982, 24, 983, 2, "982:24–983:2"},
		{982, 5, 982, 5, "982:5"},
		{12, 0, 12, 0, "12"},
		{12, 0, 13, 0, "12–13"},
		{982, 3, 0, 0, "982:3"}, // no end: the start alone
		{982, 24, 983, 0, "982:24–983"},
	} {
		s := Segment{Page: c.p, PageLine: c.l, EndPage: c.ep, EndPageLine: c.el}
		if got := s.PageCite(); got != c.want {
			t.Errorf("%d:%d–%d:%d cites %q, want %q", c.p, c.l, c.ep, c.el, got, c.want)
		}
	}
}
