package ui

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"casebook/casefile"
)

// timelineTranscript is a meeting whose file name gives its date.
const timelineTranscript = "Mia Chen: The admin console shows who copied the user table\n" +
	"Wei Zhang: Nobody outside the US touched it\n"

// timelineRows are access-log rows on six days in eight countries, so the
// chart has to group the smallest as "other".
var timelineRows = []string{
	"2022-01-10T09:00:00Z,E1,Wei Zhang,Beijing,CN,user_db,PII,US,100,",
	"2022-01-10T09:30:00Z,E1,Wei Zhang,Beijing,CN,user_db,PII,US,200,",
	"2022-01-10T10:00:00Z,E1,Wei Zhang,Beijing,CN,admin_console,PII,US,300,",
	"2022-01-10T11:00:00Z,E2,Mia Chen,Mountain View,US,user_db,PII,US,5,APR-1",
	"2022-01-12T11:00:00Z,E2,Mia Chen,Mountain View,US,user_db,PII,US,5,APR-2",
	"2022-01-14T08:00:00Z,E1,Wei Zhang,Beijing,CN,user_db,PII,US,50,",
	"2022-01-14T08:10:00Z,E1,Wei Zhang,Beijing,CN,user_db,PII,US,60,",
	"2022-01-14T12:00:00Z,E3,Lena Vogel,Berlin,DE,user_db,PII,EU,7,APR-3",
	"2022-01-20T12:00:00Z,E4,Ana Ruiz,Madrid,ES,user_db,PII,EU,7,",
	"2022-02-03T09:00:00Z,E1,Wei Zhang,Beijing,CN,user_db,PII,US,10,",
	"2022-02-03T09:05:00Z,E5,Luc Martin,Paris,FR,user_db,PII,EU,3,",
	"2022-02-03T09:10:00Z,E6,Tom Hale,London,GB,user_db,PII,EU,3,",
	"2022-02-03T09:15:00Z,E7,Ravi Iyer,Bangalore,IN,user_db,PII,US,3,",
	"2022-02-04T01:00:00Z,E8,Ken Sato,Tokyo,JP,user_db,PII,US,9,",
}

// newTimelineCase creates a real case holding a dated meeting and an
// access log spread over several days and countries.
func newTimelineCase(t *testing.T) (*casefile.Case, string) {
	t.Helper()
	root := t.TempDir()
	header := strings.SplitN(fixtureAccessLog, "\n", 2)[0]
	files := map[string]string{
		"2022-01-14_sync.txt": timelineTranscript,
		"access.csv":          header + "\n" + strings.Join(timelineRows, "\n") + "\n",
	}
	var paths []string
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	dir := filepath.Join(root, "case")
	c, err := casefile.Create(t.Context(), dir, casefile.CreateOptions{Title: "Timeline case", Investigator: "Tess Tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	results, err := c.Import(t.Context(), paths, casefile.ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("import %s: %v", r.File, r.Err)
		}
	}
	return c, dir
}

// showTimeline opens the timeline tab and waits for its data.
func showTimeline(t *testing.T, g *harness, cv *caseView) *timelineChart {
	t.Helper()
	cv.tabs.Select(cv.timelineTab)
	g.settle(t)
	ch := cv.tline.chart
	if ch.model.days == 0 {
		t.Fatalf("the timeline drew nothing; it says %q", cv.tline.status.Text)
	}
	if ch.Size().Width < 300 || ch.Size().Height < 150 {
		t.Fatalf("the chart is %v, not sized to the tab", ch.Size())
	}
	return ch
}

func TestTheTimelineHasABarForEachDayWithEventsAsTallAsItsShareOfTheBusiestDay(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTimelineCase(t)
	cv := openTestCase(t, g, c, dir)
	ch := showTimeline(t, g, cv)

	tl, err := c.Timeline(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	perDay := map[string]int64{}
	countries := map[string]bool{}
	busiest := int64(0)
	for _, d := range tl.Days {
		perDay[d.Day] += d.N
		busiest = max(busiest, perDay[d.Day])
		countries[d.Country] = true
	}
	if len(perDay) < 5 || len(countries) <= timelineTopCountries {
		t.Fatalf("the fixture should give several days and more than %d countries: %v", timelineTopCountries, perDay)
	}
	m := ch.model
	if len(m.bars) != len(perDay) {
		t.Fatalf("the chart has %d bars, the case has events on %d days", len(m.bars), len(perDay))
	}
	if m.max != busiest {
		t.Errorf("the y-axis tops out at %d, the busiest day has %d events", m.max, busiest)
	}
	for _, b := range m.bars {
		want := float64(perDay[b.day]) / float64(busiest)
		if b.total != perDay[b.day] || math.Abs(float64(b.height)-want) > 1e-6 {
			t.Errorf("the bar for %s has %d events at height %.3f, want %d at %.3f",
				b.day, b.total, b.height, perDay[b.day], want)
		}
		var sum int64
		for _, n := range b.parts {
			sum += n
		}
		if sum != b.total {
			t.Errorf("the stack for %s adds up to %d, not %d", b.day, sum, b.total)
		}
	}
	if len(m.series) != timelineTopCountries+1 || m.series[len(m.series)-1] != otherCountries {
		t.Errorf("the legend is %v, want the top %d countries and %q", m.series, timelineTopCountries, otherCountries)
	}
	if m.series[0] != "CN" {
		t.Errorf("the legend starts with %s, want CN (most events)", m.series[0])
	}
	if len(m.meetings) != len(tl.Meetings) || len(m.meetings) != 1 || m.meetings[0].day != "2022-01-14" {
		t.Errorf("the chart marks meetings %v, the case has %v", m.meetings, tl.Meetings)
	}

	// The drawn rectangles follow the model: the busiest day fills the plot.
	_, plot := plotArea(ch.Size())
	r := test.WidgetRenderer(ch).(*timelineRenderer)
	drawn := make([]float32, len(m.bars))
	for _, p := range r.parts {
		drawn[p.bar] += p.rect.Size().Height
	}
	for i, b := range m.bars {
		if want := plot.Height * b.height; math.Abs(float64(drawn[i]-want)) > 0.5 {
			t.Errorf("the bar for %s is drawn %.1f high, want %.1f", b.day, drawn[i], want)
		}
	}
	texts := map[string]bool{}
	for _, o := range r.Objects() {
		if tx, ok := o.(*canvas.Text); ok && o.Visible() {
			texts[tx.Text] = true
		}
	}
	for _, want := range []string{"10 Jan 2022", "Feb 2022", "◆ 2022-01-14_sync", "CN 6", "other 2"} {
		found := false
		for s := range texts {
			found = found || strings.HasPrefix(s, want)
		}
		if !found {
			t.Errorf("the chart does not show %q; it shows %v", want, texts)
		}
	}
}

func TestDraggingAcrossTheTimelineSearchesThoseDays(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTimelineCase(t)
	cv := openTestCase(t, g, c, dir)
	ch := showTimeline(t, g, cv)

	// Drag from the middle of the second bar's day to the fourth's, as
	// the desktop driver reports it: each event at the pointer, with the
	// movement since the last one.
	m := ch.model
	from, to := m.bars[1], m.bars[3]
	size := ch.Size()
	slot := ch.slotWidth(size)
	y := size.Height / 2
	x1 := ch.dayX(from.index, size) + slot/2
	x2 := ch.dayX(to.index, size) + slot/2
	step := (x2 - x1) / 2
	ch.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x1+step, y)}, Dragged: fyne.NewDelta(step, 0)})
	ch.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x2, y)}, Dragged: fyne.NewDelta(x2-x1-step, 0)})
	if a, b, ok := ch.selection(); !ok || a != from.index || b != to.index {
		t.Fatalf("while dragging the chart shades days %d–%d, want %d–%d", a, b, from.index, to.index)
	}
	ch.DragEnd()
	g.settle(t)

	f := cv.results.filters.filters()
	if f.From != from.day || f.To != to.day {
		t.Fatalf("the search filters are From %q To %q, want %s to %s", f.From, f.To, from.day, to.day)
	}
	if cv.tabs.Selected() != cv.searchTab {
		t.Error("the search tab does not show after the drag")
	}
	want, err := c.Search(t.Context(), casefile.Query{Filters: casefile.Filters{From: from.day, To: to.day}, Limit: resultsPage})
	if err != nil {
		t.Fatal(err)
	}
	all, err := c.Search(t.Context(), casefile.Query{Limit: resultsPage})
	if err != nil {
		t.Fatal(err)
	}
	if want.Total == 0 || want.Total >= all.Total {
		t.Fatalf("the range should hold some but not all hits: %d of %d", want.Total, all.Total)
	}
	if cv.results.total != want.Total || cv.results.list.Length() != len(want.Hits) {
		t.Errorf("the window shows %d hits (%d listed), the case finds %d from %s to %s",
			cv.results.total, cv.results.list.Length(), want.Total, from.day, to.day)
	}

	// Clear range drops the shading and the dates.
	cv.tabs.Select(cv.timelineTab)
	test.Tap(cv.tline.clearBtn)
	g.settle(t)
	if _, _, ok := ch.selection(); ok {
		t.Error("the range is still shaded after Clear range")
	}
	if f := cv.results.filters.filters(); f.From != "" || f.To != "" {
		t.Errorf("the search still filters From %q To %q after Clear range", f.From, f.To)
	}
	if cv.results.total != all.Total {
		t.Errorf("after Clear range the window shows %d hits, the case has %d", cv.results.total, all.Total)
	}
}

func TestTheTimelineLoadsAgainAfterAnImport(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTimelineCase(t)
	cv := openTestCase(t, g, c, dir)
	ch := showTimeline(t, g, cv)
	before := ch.model.days

	p := filepath.Join(t.TempDir(), "2022-03-01_followup.txt")
	if err := os.WriteFile(p, []byte("Ana Ruiz: We should check March too\nMia Chen: The March logs are in\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cv.runImport([]string{p})
	g.settle(t)

	if tl, err := c.Timeline(t.Context()); err != nil || len(tl.Meetings) != 2 {
		t.Fatalf("the case has meetings %v after the import (%v); shown: %q", tl.Meetings, err,
			visibleTexts(g.win.Canvas().Overlays().Top()))
	}
	if ch.model.days <= before || len(ch.model.meetings) != 2 {
		t.Errorf("after importing a March meeting the chart spans %d days (was %d) with %d meetings, want it longer with 2",
			ch.model.days, before, len(ch.model.meetings))
	}
}
