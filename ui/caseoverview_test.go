package ui

import (
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// fixtureCountries counts the fixture log's readable rows by their
// office_country, and finds their first and last day, reading the CSV here.
func fixtureCountries(t *testing.T) (map[string]int64, string, string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(fixtureAccessLog)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	country := slices.Index(rows[0], "office_country")
	out := map[string]int64{}
	var first, last string
	for _, r := range rows[1:] {
		at, err := time.Parse(time.RFC3339, r[0])
		if err != nil {
			continue // the row the importer rejects
		}
		out[r[country]]++
		d := at.Format(time.DateOnly)
		if first == "" || d < first {
			first = d
		}
		last = max(last, d)
	}
	return out, first, last
}

func TestOpeningACaseShowsItsOverviewAndEachNextStepGoesThere(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	if cv.tabs.Selected() != cv.homeTab {
		t.Fatalf("the case opened on %q, want the overview", cv.tabs.Selected().Text)
	}
	home := cv.home.content
	capture(t, g.win, "overview")
	byCountry, first, last := fixtureCountries(t)
	var events int64
	for _, n := range byCountry {
		events += n
	}
	assertShows(t, home, "Test case")
	assertShows(t, home, fmt.Sprintf("1 access log: %d events, %s to %s.", events, first, last))
	assertShows(t, home, "1 transcript: 1 meeting, 3 segments.")
	for code, n := range byCountry {
		buttonLabelled(t, home, fmt.Sprintf("%s  %d", code, n))
	}
	rules, err := c.Rules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	enabled := 0
	for _, r := range rules {
		if r.Enabled {
			enabled++
		}
	}
	assertShows(t, home, fmt.Sprintf("%d rules have never run: their suggestions do not cover the case as it is now.", enabled))
	rejects := ""
	for _, s := range visibleTexts(home) {
		if strings.HasPrefix(s, "access.csv: 1 rejected row") {
			rejects = s
		}
	}
	if rejects == "" {
		t.Fatalf("the overview does not name access.csv's rejected row: %q", visibleTexts(home))
	}

	// Show opens the rejected rows.
	test.Tap(rowButton(t, home, rejects, "Show"))
	g.settle(t)
	assertShows(t, g.win.Canvas().Overlays().Top(), "Rejected rows of src-"+fmt.Sprint(sourceNamed(t, c, "access.csv").ID)+" (1)")
	pressKey(g.win, fyne.KeyEscape)

	// Run the rules: they run, the review shows their suggestions, and the
	// overview no longer lists them as waiting.
	test.Tap(buttonLabelled(t, home, "Run the rules"))
	g.settle(t)
	if cv.tabs.Selected() != cv.reviewTab {
		t.Errorf("Run the rules left the %q tab showing", cv.tabs.Selected().Text)
	}
	open, err := c.Suggestions(t.Context(), "", "suggested")
	if err != nil || len(open) == 0 {
		t.Fatalf("%d open suggestions after running the rules (%v)", len(open), err)
	}
	cv.tabs.Select(cv.homeTab)
	g.settle(t)
	for _, s := range visibleTexts(home) {
		if strings.Contains(s, "never run") {
			t.Errorf("after running the rules the overview still says %q", s)
		}
	}
	want := fmt.Sprintf("%d suggestions of the rules wait for review.", len(open))
	assertShows(t, home, want)
	test.Tap(rowButton(t, home, want, "Review"))
	if cv.tabs.Selected() != cv.reviewTab {
		t.Errorf("Review left the %q tab showing", cv.tabs.Selected().Text)
	}

	// A statement without evidence: Link evidence shows it.
	st, err := c.AddStatement(t.Context(), "Lumora spokesperson", "2024-03-05", "No US user data is viewed from abroad.", "")
	if err != nil {
		t.Fatal(err)
	}
	cv.tabs.Select(cv.homeTab)
	g.settle(t)
	want = "1 statement of 1 has no evidence linked, the first by Lumora spokesperson: “No US user data is viewed from abroad.”."
	assertShows(t, home, want)
	test.Tap(rowButton(t, home, want, "Link evidence"))
	g.settle(t)
	if cv.tabs.Selected() != cv.statementsTab || cv.stmts.selected != st.ID {
		t.Errorf("Link evidence shows %q with statement %d selected, want statement %d", cv.tabs.Selected().Text,
			cv.stmts.selected, st.ID)
	}

	// A country searches its events.
	cv.tabs.Select(cv.homeTab)
	g.settle(t)
	test.Tap(buttonLabelled(t, home, fmt.Sprintf("CN  %d", byCountry["CN"])))
	g.settle(t)
	if cv.tabs.Selected() != cv.searchTab || cv.results.total != uint64(byCountry["CN"]) {
		t.Errorf("CN shows %q with %d hits, want the search with the %d CN events", cv.tabs.Selected().Text,
			cv.results.total, byCountry["CN"])
	}
	assertShows(t, cv.results.content, fmt.Sprintf("%d hits for everything (country CN).", byCountry["CN"]))
}

// rowButton finds the button on the overview's line that reads text.
func rowButton(t *testing.T, o fyne.CanvasObject, text, label string) *widget.Button {
	t.Helper()
	for _, obj := range test.LaidOutObjects(o) {
		row, ok := obj.(*fyne.Container)
		if !ok || len(row.Objects) < 3 {
			continue
		}
		l, ok := row.Objects[0].(*widget.Label)
		if !ok || l.Text != text {
			continue
		}
		for _, x := range row.Objects[1:] {
			if c, ok := x.(*fyne.Container); ok {
				for _, b := range c.Objects {
					if b, ok := b.(*widget.Button); ok && b.Text == label {
						return b
					}
				}
			}
		}
	}
	t.Fatalf("no %q button beside %q", label, text)
	return nil
}

func TestTheCaseTitleAndCountsWrapInsteadOfBeingCutOff(t *testing.T) {
	g := newTestGUI(t)
	dir := t.TempDir() + "/case"
	title := "Lumora: US user data viewed from abroad by the Beijing and Singapore offices, 2022 (fictional)"
	c, err := casefile.Create(t.Context(), dir, casefile.CreateOptions{Title: title, Investigator: "Tess Tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	cv := openTestCase(t, g, c, dir)
	g.win.Resize(fyne.NewSize(1024, 700))
	cv.outer.SetOffset(0.2)
	relayoutWindow(g.win)
	for _, l := range []*widget.Label{cv.header, cv.home.title} {
		var lines []string
		for _, o := range test.LaidOutObjects(l) {
			if tx, ok := o.(*canvas.Text); ok && tx.Visible() && tx.Text != "" {
				lines = append(lines, tx.Text)
			}
		}
		shown := strings.Join(lines, " ")
		if strings.Contains(shown, "…") || !strings.Contains(oneLine(shown), oneLine(title)) {
			t.Errorf("the label %.30q… shows %q, want the whole title", l.Text, lines)
		}
		if len(lines) < 2 {
			t.Errorf("a long title on %.0f points shows on one line: %q", l.Size().Width, lines)
		}
	}
	if !strings.Contains(cv.header.Text, "0 sources · 0 segments · 0 events") {
		t.Errorf("the header reads %q", cv.header.Text)
	}
}

func TestRunningTheRulesFromTheMenuUpdatesTheOverviewShown(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	if len(cv.home.shown.Rules) == 0 {
		t.Fatal("a new case lists no rule waiting")
	}
	menuItem(t, g, "Run rules").Action()
	g.settle(t)
	if cv.tabs.Selected() != cv.homeTab {
		t.Fatalf("running the rules left the overview for %q", cv.tabs.Selected().Text)
	}
	if n := len(cv.home.shown.Rules); n != 0 {
		t.Errorf("after running the rules the overview still lists %d waiting", n)
	}
	open, err := c.Suggestions(t.Context(), "", "suggested")
	if err != nil {
		t.Fatal(err)
	}
	if cv.home.shown.OpenSuggestions != int64(len(open)) {
		t.Errorf("the overview counts %d suggestions to review, the case has %d", cv.home.shown.OpenSuggestions, len(open))
	}
}
