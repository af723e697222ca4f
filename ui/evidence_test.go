package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// searchFor types a query into the search bar and presses Enter.
func searchFor(t *testing.T, g *harness, cv *caseView, text string) {
	t.Helper()
	cv.results.entry.SetText(text)
	cv.results.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	g.settle(t)
}

func TestPickingACountryFilterNarrowsTheHitsToWhatTheCaseFindsForThatCountry(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	// Opening the case lists everything, which offers the countries it holds.
	country := ""
	for _, o := range cv.results.filters.country.Options {
		if strings.EqualFold(o, "CN") {
			country = o
		}
	}
	if country == "" {
		t.Fatalf("the country filter offers %v, want CN among them", cv.results.filters.country.Options)
	}
	all, err := c.Search(t.Context(), casefile.Query{Limit: resultsPage})
	if err != nil {
		t.Fatal(err)
	}
	want, err := c.Search(t.Context(), casefile.Query{Filters: casefile.Filters{Country: country}, Limit: resultsPage})
	if err != nil {
		t.Fatal(err)
	}
	if want.Total == 0 || want.Total >= all.Total {
		t.Fatalf("the fixture should have some but not all hits in %s: %d of %d", country, want.Total, all.Total)
	}

	cv.results.filters.country.SetSelected(country)
	g.settle(t)

	if cv.results.total != want.Total || cv.results.list.Length() != len(want.Hits) {
		t.Errorf("the window shows %d hits (%d listed), the case finds %d in %s",
			cv.results.total, cv.results.list.Length(), want.Total, country)
	}
	assertShows(t, cv.results.content, plural(int64(want.Total), "hit")+" for everything (country "+country+").")
	assertShows(t, cv.results.facets.tree, "Country")
}

func TestClickingAFacetValueAddsItAsAFilter(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	cv.results.facets.tree.OpenBranch("kind")
	assertShows(t, cv.results.facets.tree, "event")
	cv.results.facets.tree.Select("kind" + facetSep + "event")
	g.settle(t)

	if got := cv.results.filters.filters().Kind; got != "event" {
		t.Fatalf("the kind filter is %q after clicking the facet, want event", got)
	}
	if cv.results.filters.kind.Selected != "event" {
		t.Errorf("the kind select shows %q, want event", cv.results.filters.kind.Selected)
	}
	want, err := c.Search(t.Context(), casefile.Query{Filters: casefile.Filters{Kind: "event"}, Limit: resultsPage})
	if err != nil {
		t.Fatal(err)
	}
	if cv.results.total != want.Total {
		t.Errorf("the window shows %d hits, the case finds %d events", cv.results.total, want.Total)
	}
	assertShows(t, cv.results.content, "kind: event")

	// The chip drops the filter again.
	chip := cv.results.filters.chips.Objects[0].(*widget.Button)
	chip.OnTapped()
	g.settle(t)
	if got := cv.results.filters.filters().Kind; got != "" {
		t.Errorf("the kind filter is still %q after tapping its chip", got)
	}
}

func TestAMalformedQueryIsExplainedUnderTheSearchBar(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	searchFor(t, g, cv, `"unclosed`)

	if !strings.HasPrefix(cv.results.status.Text, "The query is not understood") ||
		!strings.Contains(cv.results.status.Text, "column") {
		t.Errorf("the status says %q, want the query error naming the column", cv.results.status.Text)
	}
	if cv.results.status.Importance != widget.DangerImportance {
		t.Error("the query error is not shown as an error")
	}
}

func TestRunningRulesThenPressingAAcceptsTheSuggestionAsExhibitOne(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	cv.tabs.Select(cv.reviewTab)
	cv.review.onRunRules()
	g.settle(t)

	open, err := c.Suggestions(t.Context(), "", "suggested")
	if err != nil {
		t.Fatal(err)
	}
	if len(open) < 2 {
		t.Fatalf("the fixture should give at least two suggestions, got %d", len(open))
	}
	if got := len(cv.review.rows) - countHeaders(cv.review.rows); got != len(open) {
		t.Fatalf("the queue lists %d suggestions, the case has %d open", got, len(open))
	}
	if !cv.review.rows[0].header() {
		t.Fatal("the queue does not start with a rule's header")
	}
	before, err := c.Evidence(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	// J moves from the header to the first suggestion; K cannot go above it.
	cv.review.list.Select(0)
	g.win.Canvas().Focus(cv.review.list)
	press := func(k fyne.KeyName) {
		g.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: k})
	}
	press(fyne.KeyJ)
	press(fyne.KeyK)
	firstRow := slices.IndexFunc(cv.review.rows, func(r reviewRow) bool { return !r.header() })
	if cv.review.selected != firstRow || cv.review.rows[1].level != levelActor {
		t.Fatalf("J then K left row %d selected, want the first suggestion (%d) under its rule's, actor's and day's headers",
			cv.review.selected, firstRow)
	}
	first := cv.review.rows[firstRow].t
	press(fyne.KeyA)
	g.settle(t)

	after, err := c.Evidence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 {
		t.Fatalf("the case has %d exhibits after accepting, want %d", len(after), len(before)+1)
	}
	if after[0].Exhibit != "EX-0001" || after[0].Tagging != first.ID {
		t.Errorf("exhibit %s is tagging %d, want EX-0001 for the accepted suggestion %d",
			after[0].Exhibit, after[0].Tagging, first.ID)
	}
	assertShows(t, cv.review.exhibits.list, "EX-0001")
	assertShows(t, cv.review.exhibits.content, "Exhibits (1)")
	if slices.ContainsFunc(cv.review.rows, func(r reviewRow) bool { return !r.header() && r.t.ID == first.ID }) {
		t.Error("the accepted suggestion is still in the queue")
	}
	if cv.review.selected < 0 || cv.review.rows[cv.review.selected].header() {
		t.Error("after accepting, the selection did not move on to the next suggestion")
	}
}

func countHeaders(rows []reviewRow) int {
	n := 0
	for _, r := range rows {
		if r.header() {
			n++
		}
	}
	return n
}

func TestTaggingTheSelectedHitThroughTheDialogMakesTheTagFindIt(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	searchFor(t, g, cv, "admin")
	if len(cv.results.hits) == 0 {
		t.Fatal("no hits for admin")
	}
	hit := cv.results.hits[0]
	cv.results.list.Select(0)
	g.settle(t)
	if cv.details.tagBtn.Disabled() {
		t.Fatal("the Tag… button is disabled with a hit selected")
	}

	menuItem(t, g, "Tag the selection…").Action()
	g.settle(t)
	d := cv.tagDialog
	if d == nil || d.sel.item.String() != hit.ID {
		t.Fatalf("no tag dialog for %s", hit.ID)
	}
	if !slices.Contains(d.tags, "key-quote") {
		t.Errorf("the tag select offers %v, want the case's tags", d.tags)
	}
	d.tag.SetText("smoking-gun")
	d.note.SetText("says it plainly")
	if d.quoteStart != nil {
		d.quoteStart.SetText("4")
		d.quoteEnd.SetText("16")
	}
	d.form.Submit()
	g.settle(t)

	res, err := c.Search(t.Context(), casefile.Query{Text: "tag:smoking-gun", Limit: resultsPage})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.Hits, func(h casefile.Hit) bool { return h.ID == hit.ID }) {
		t.Errorf("tag:smoking-gun finds %d hits, not the tagged %s", len(res.Hits), hit.ID)
	}
	if !strings.HasPrefix(cv.details.tags.Text, "smoking-gun (EX-0001)") {
		t.Errorf("the details show tags %q, want smoking-gun (EX-0001)", cv.details.tags.Text)
	}
}

func TestTheReportDialogsJobWritesAPDF(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	menuItem(t, g, "Export report…").Action()
	d := cv.reportDialog
	if d == nil {
		t.Fatal("no report dialog")
	}
	if d.path.Text != defaultReportPath(dir) {
		t.Errorf("the report goes to %q by default, want beside the case", d.path.Text)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	d.path.SetText(path)
	d.bates.SetText("CB")
	d.paper.SetSelected("Letter")
	d.pseudonymise.SetChecked(true)
	d.redact.SetText("Wei Zhang, Beijing")
	var done error = os.ErrInvalid
	d.onDone = func(_ string, err error) { done = err }
	d.onExport()
	if !g.prog.Busy() {
		t.Fatal("the report is not written as a job")
	}
	g.settle(t)

	if done != nil {
		t.Fatalf("the report job ended with %v", done)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Errorf("the report starts with %q, want %%PDF", b[:min(len(b), 8)])
	}
}

func TestTheSearchSyntaxHelpNamesEveryOperator(t *testing.T) {
	if segs := widget.NewRichTextFromMarkdown(searchHelp).Segments; len(segs) < 4 {
		t.Fatalf("the search help renders as %d segments", len(segs))
	}
	text := searchHelp
	for _, want := range []string{`"seen china"~5`, "OR", "NOT", "speaker:", "tag:", "note:", "time:[", "records:>1000", "acc*ss", "admn~1", "/reg.x/"} {
		if !strings.Contains(text, want) {
			t.Errorf("the search help lacks %q", want)
		}
	}
}
