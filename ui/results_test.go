package ui

import (
	"fmt"
	"testing"

	"casebook/casefile"
)

func TestTheHitCountQuotesTheQueryAsTyped(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	for _, tc := range []struct{ typed, shown string }{
		{`"master admin"`, `"master admin"`},
		{`master admin`, `"master admin"`},
		{`speaker:"Mia Chen" admin`, `“speaker:"Mia Chen" admin”`},
	} {
		want, err := c.Search(t.Context(), casefile.Query{Text: tc.typed, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if want.Total == 0 {
			t.Fatalf("the fixture has no hits for %s", tc.typed)
		}
		searchFor(t, g, cv, tc.typed)
		hits := "hits"
		if want.Total == 1 {
			hits = "hit"
		}
		assertShows(t, cv.results.content, fmt.Sprintf("%d %s for %s.", want.Total, hits, tc.shown))
	}
}
