package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// listRow finds the laid-out row of a list showing item id, as the
// investigator would click it.
func listRow(t *testing.T, l *itemList, id widget.ListItemID) *tapRow {
	t.Helper()
	l.ScrollTo(id)
	for _, o := range test.LaidOutObjects(l) {
		if r, ok := o.(*tapRow); ok && r.id == id && r.Visible() {
			return r
		}
	}
	t.Fatalf("row %d of the list is not laid out", id)
	return nil
}

// doubleClick taps a list's row twice, as a double-click does.
func doubleClick(t *testing.T, l *itemList, id widget.ListItemID) {
	t.Helper()
	r := listRow(t, l, id)
	test.Tap(r)
	test.Tap(r)
}

// hitIndex finds the hit with an id among the results shown.
func hitIndex(t *testing.T, cv *caseView, id string) int {
	t.Helper()
	for i, h := range cv.results.hits {
		if h.ID == id {
			return i
		}
	}
	t.Fatalf("%s is not among the %d hits shown", id, len(cv.results.hits))
	return -1
}

// searchOne searches in the window and returns the one hit of a kind the
// case finds for the query, and its row among the hits shown.
func searchOne(t *testing.T, g *harness, c *casefile.Case, cv *caseView, query, kind string) (casefile.Hit, int) {
	t.Helper()
	cv.tabs.Select(cv.searchTab)
	searchFor(t, g, cv, query)
	want, err := c.Search(t.Context(), casefile.Query{Text: query, Filters: casefile.Filters{Kind: kind}})
	if err != nil || len(want.Hits) != 1 {
		t.Fatalf("the fixture's %ss with %s: %v %+v", kind, query, err, want.Hits)
	}
	return want.Hits[0], hitIndex(t, cv, want.Hits[0].ID)
}

// markedWords lists the words a reader row marks, a mark of several words
// as one (the row draws each word after its first run as a run of its own).
func markedWords(segs []widget.RichTextSegment) []string {
	return styledRuns(segs, func(st widget.RichTextStyle) bool { return st.TextStyle.Bold })
}

// styledRuns joins the consecutive segments of a reader row whose style is
// picked into one text each, without the zero-width spaces that lead words
// or the spaces that end them.
func styledRuns(segs []widget.RichTextSegment, pick func(widget.RichTextStyle) bool) []string {
	var out []string
	in := false
	for _, s := range segs {
		ts, ok := s.(*widget.TextSegment)
		if !ok || !pick(ts.Style) {
			in = false
			continue
		}
		t := strings.ReplaceAll(ts.Text, string(zeroWidthSpace), "")
		if in {
			out[len(out)-1] += t
		} else {
			out = append(out, t)
		}
		in = true
	}
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

func TestDoubleClickingASearchHitOpensItsSegmentInTheReaderAndBackReturnsToTheHit(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	hit, i := searchOne(t, g, c, cv, "console", "segment")

	// One tap selects: the details show the hit, the Reader is untouched.
	test.Tap(listRow(t, cv.results.list, i))
	if got := cv.details.value("ID"); got != hit.ID {
		t.Fatalf("a tap shows %q in the details, want %s", got, hit.ID)
	}
	if cv.tabs.Selected() != cv.searchTab {
		t.Fatal("one tap left the Search tab")
	}
	doubleClick(t, cv.results.list, i)
	g.settle(t)

	if cv.tabs.Selected() != cv.readerTab {
		t.Fatalf("a double-click on a hit shows the %s tab, want the Reader", cv.tabs.Selected().Text)
	}
	seg, ok := cv.reader.selectedSegment()
	if !ok || (model.ItemID{Kind: model.ItemSegment, N: seg.ID}).String() != hit.ID {
		t.Fatalf("the Reader selects %+v, want %s", seg, hit.ID)
	}
	if !strings.HasPrefix(cv.reader.title.Text, "meeting.txt — 3 segments") {
		t.Errorf("the Reader's title is %q", cv.reader.title.Text)
	}
	if got := cv.details.value("ID"); got != hit.ID {
		t.Errorf("the details show %q, want the segment %s", got, hit.ID)
	}
	row := cv.reader.indexOf(seg.ID)
	found, _ := cv.reader.find.marksOf(row)
	marked := markedWords(markedLine(seg.Text, append(cv.reader.marks[seg.ID], found...), [2]int{}))
	if len(marked) != 1 || !strings.EqualFold(marked[0], "console") {
		t.Errorf("the Reader marks %q in %q, want console", marked, seg.Text)
	}
	// Its neighbours are in the list's view: every segment of a short
	// transcript is laid out.
	for n := range len(cv.reader.segs) {
		listRow(t, &cv.reader.list.itemList, n)
	}
	relayoutWindow(g.win)
	capture(t, g.win, "open-in-context-reader")

	// Back returns to the hit; Forward to the Reader again.
	menuItem(t, g, "Back").Action()
	g.settle(t)
	if cv.tabs.Selected() != cv.searchTab || cv.results.list.selectedRow() != i || cv.details.value("ID") != hit.ID {
		t.Fatalf("Back shows the %s tab, row %d, details %q; want the hit %s in Search",
			cv.tabs.Selected().Text, cv.results.list.selectedRow(), cv.details.value("ID"), hit.ID)
	}
	if cv.fwdBtn.Disabled() {
		t.Error("after Back, Forward is disabled")
	}
	menuItem(t, g, "Forward").Action()
	g.settle(t)
	if s, ok := cv.reader.selectedSegment(); cv.tabs.Selected() != cv.readerTab || !ok || s.ID != seg.ID {
		t.Fatalf("Forward shows the %s tab, segment %+v", cv.tabs.Selected().Text, s)
	}
	if !cv.fwdBtn.Disabled() || cv.backBtn.Disabled() {
		t.Error("at the newest place Forward should be off and Back on")
	}
}

func TestEnterOnAnEventHitOpensItsRowInTheAccessLogWithTheRawRowInTheDetails(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	hit, i := searchOne(t, g, c, cv, "admin_console", "event")
	// The row as the fixture has it: its third data line.
	raw := strings.Split(fixtureAccessLog, "\n")[3]
	if !strings.Contains(raw, "admin_console") {
		t.Fatalf("the fixture's line 4 is %q", raw)
	}

	cv.results.list.Select(i)
	g.settle(t)
	// The details of the hit show the raw row, read in the background.
	if cv.details.raw.Text != raw || !cv.details.raw.Visible() {
		t.Errorf("the hit's details show %q, want the raw row %q", cv.details.raw.Text, raw)
	}
	if got := cv.details.rawHead.Text; got != "Line 4 as it stands in the original" {
		t.Errorf("the raw row's heading is %q", got)
	}
	g.win.Canvas().Focus(cv.results.list)
	pressKey(g.win, fyne.KeyReturn)
	g.settle(t)

	if cv.tabs.Selected() != cv.logTab {
		t.Fatalf("Enter on an event hit shows the %s tab, want the Access log", cv.tabs.Selected().Text)
	}
	e, ok := cv.alog.selectedEvent()
	if !ok || (model.ItemID{Kind: model.ItemEvent, N: e.ID}).String() != hit.ID || e.Row != 3 {
		t.Fatalf("the Access log selects %+v, want %s (row 3)", e, hit.ID)
	}
	if cv.details.value("ID") != hit.ID || cv.details.raw.Text != raw {
		t.Errorf("the details show %q with %q, want %s with its raw row", cv.details.value("ID"), cv.details.raw.Text, hit.ID)
	}
	relayoutWindow(g.win)
	capture(t, g.win, "open-in-context-log")
	menuItem(t, g, "Back").Action()
	g.settle(t)
	if cv.tabs.Selected() != cv.searchTab {
		t.Errorf("Back shows the %s tab", cv.tabs.Selected().Text)
	}
}

func TestSuggestionsExhibitsAndLinkedItemsOpenInContext(t *testing.T) {
	g := newTestGUI(t)
	c, cv := groupCase(t, g)
	rv := cv.review

	// A suggestion: Enter on it opens its event.
	rv.step(1) // the first suggestion, its group unfolded
	r, ok := rv.current()
	if !ok || r.header() {
		t.Fatal("the queue shows no suggestion")
	}
	item := r.t.Item
	g.win.Canvas().Focus(rv.list)
	pressKey(g.win, fyne.KeyReturn)
	g.settle(t)
	if e, ok := cv.alog.selectedEvent(); cv.tabs.Selected() != cv.logTab || !ok || e.ID != item.N {
		t.Fatalf("Enter on a suggestion about %s shows the %s tab, event %+v", item, cv.tabs.Selected().Text, e)
	}
	menuItem(t, g, "Back").Action()
	g.settle(t)
	if cv.tabs.Selected() != cv.reviewTab {
		t.Fatalf("Back shows the %s tab, want Review", cv.tabs.Selected().Text)
	}

	// An exhibit with a quote: double-click opens the segment, the quote
	// marked.
	segs, err := c.Segments(t.Context(), sourceNamed(t, c, "meeting.txt").ID)
	if err != nil || len(segs) < 2 {
		t.Fatalf("segments: %v %d", err, len(segs))
	}
	seg := segs[1] // "Approval was not required"
	quoted := model.ItemID{Kind: model.ItemSegment, N: seg.ID}
	if _, err := c.Tag(t.Context(), quoted, "key-quote", casefile.TagOptions{Quote: "9:16"}); err != nil {
		t.Fatal(err)
	}
	rv.reload(-1)
	g.settle(t)
	ex := -1
	for i, e := range rv.exhibits.ex {
		if e.Item == quoted.String() {
			ex = i
		}
	}
	if ex < 0 {
		t.Fatalf("the exhibits %+v lack %s", rv.exhibits.ex, quoted)
	}
	doubleClick(t, rv.exhibits.list, ex)
	g.settle(t)
	s, ok := cv.reader.selectedSegment()
	if cv.tabs.Selected() != cv.readerTab || !ok || s.ID != seg.ID {
		t.Fatalf("a double-click on the exhibit shows the %s tab, segment %+v", cv.tabs.Selected().Text, s)
	}
	if got := markedWords(markedLine(s.Text, cv.reader.marks[s.ID], [2]int{})); len(got) != 1 || got[0] != string([]rune(s.Text)[9:16]) {
		t.Errorf("the quote is marked as %q in %q", got, s.Text)
	}

	// A statement's linked item: Enter opens it.
	st, err := c.AddStatement(t.Context(), "Spokesperson", "2024-03-05", "No data went abroad.", "")
	if err != nil {
		t.Fatal(err)
	}
	evt := model.ItemID{Kind: model.ItemEvent, N: 1}
	if _, err := c.LinkStatement(t.Context(), st.ID, evt, relContradicts, ""); err != nil {
		t.Fatal(err)
	}
	cv.tabs.Select(cv.statementsTab)
	g.settle(t)
	cv.stmts.selectID(st.ID)
	g.settle(t)
	if len(cv.stmts.current().Links) != 1 {
		t.Fatalf("the statement shows %d links", len(cv.stmts.current().Links))
	}
	cv.stmts.links.Select(0)
	g.win.Canvas().Focus(cv.stmts.links)
	pressKey(g.win, fyne.KeyReturn)
	g.settle(t)
	if e, ok := cv.alog.selectedEvent(); cv.tabs.Selected() != cv.logTab || !ok || e.ID != evt.N {
		t.Fatalf("Enter on a linked item shows the %s tab, event %+v", cv.tabs.Selected().Text, e)
	}
	menuItem(t, g, "Back").Action()
	g.settle(t)
	if cv.tabs.Selected() != cv.statementsTab {
		t.Errorf("Back shows the %s tab, want Statements", cv.tabs.Selected().Text)
	}
	// The exhibit was opened from Review: the next Back goes there (the
	// tab picked by hand in between is no stop), and Forward retraces.
	menuItem(t, g, "Back").Action()
	g.settle(t)
	if cv.tabs.Selected() != cv.reviewTab {
		t.Errorf("a second Back shows the %s tab, want Review", cv.tabs.Selected().Text)
	}
	menuItem(t, g, "Forward").Action()
	menuItem(t, g, "Forward").Action()
	g.settle(t)
	if e, ok := cv.alog.selectedEvent(); cv.tabs.Selected() != cv.logTab || !ok || e.ID != evt.N {
		t.Errorf("Forward twice shows the %s tab, event %+v; want the linked event", cv.tabs.Selected().Text, e)
	}
}

func TestCtrlFInTheReaderFindsInTheTranscriptWithNextAndPrevious(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	src := sourceNamed(t, c, "meeting.txt")
	cv.onSourceSelected(src)
	g.settle(t)
	if cv.tabs.Selected() != cv.readerTab {
		t.Fatal("picking the transcript did not show the Reader")
	}
	menuItem(t, g, "Search").Action() // Ctrl+F
	f := cv.reader.find
	if !f.box.Visible() || g.win.Canvas().Focused() != f.entry {
		t.Fatal("Ctrl+F in the Reader did not open Find with the keyboard in its field")
	}
	// The places, counted from the fixture as written.
	var want []int
	for i, line := range strings.Split(strings.TrimSpace(fixtureTranscript), "\n") {
		if strings.Contains(strings.ToLower(line), "admin") {
			want = append(want, i)
		}
	}
	if len(want) != 2 {
		t.Fatalf("the fixture has admin in lines %v", want)
	}
	test.Type(f.entry, "ADMIN")
	sel := func() int { return cv.reader.list.selectedRow() }
	if sel() != want[0] || f.count.Text != "1 of 2" {
		t.Fatalf("typing selects row %d and says %q, want row %d and 1 of 2", sel(), f.count.Text, want[0])
	}
	pressKey(g.win, fyne.KeyReturn)
	if sel() != want[1] || f.count.Text != "2 of 2" {
		t.Fatalf("Enter selects row %d and says %q, want row %d and 2 of 2", sel(), f.count.Text, want[1])
	}
	if got := cv.details.value("ID"); got != (model.ItemID{Kind: model.ItemSegment, N: cv.reader.segs[want[1]].ID}).String() {
		t.Errorf("the details show %q, want the segment found", got)
	}
	found, current := f.marksOf(want[1])
	if len(found) != 1 || cv.reader.segs[want[1]].Text[current[0]:current[1]] != "admin" {
		t.Errorf("the current place is %v of %v in %q", current, found, cv.reader.segs[want[1]].Text)
	}
	relayoutWindow(g.win)
	capture(t, g.win, "find-in-transcript")
	pressKey(g.win, fyne.KeyReturn) // round the end
	if sel() != want[0] || f.count.Text != "1 of 2" {
		t.Errorf("Enter at the last place selects row %d (%q), want the first again", sel(), f.count.Text)
	}
	pressKey(g.win, fyne.KeyUp)
	if sel() != want[1] {
		t.Errorf("↑ selects row %d, want the previous place, row %d", sel(), want[1])
	}
	test.Tap(f.prev)
	if sel() != want[0] {
		t.Errorf("the previous button selects row %d, want %d", sel(), want[0])
	}
	f.entry.SetText("nowhere said")
	if f.count.Text != "Not found" || !f.next.Disabled() {
		t.Errorf("a word not in the transcript says %q", f.count.Text)
	}
	pressKey(g.win, fyne.KeyEscape)
	if f.box.Visible() || len(f.hits) != 0 {
		t.Error("Esc left Find open")
	}
	// Elsewhere Ctrl+F still goes to the search bar.
	cv.tabs.Select(cv.searchTab)
	menuItem(t, g, "Search").Action()
	if g.win.Canvas().Focused() != cv.results.entry {
		t.Error("Ctrl+F outside the Reader did not go to the search bar")
	}
}

func TestTheDetailsShowEveryTagsNoteAndANewSearchDropsAStaleItem(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	res, err := c.Search(t.Context(), casefile.Query{Text: "console", Filters: casefile.Filters{Kind: "event"}})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("%v %+v", err, res.Hits)
	}
	item, _ := model.ParseItemID(res.Hits[0].ID)
	if _, err := c.Tag(t.Context(), item, "follow-up", casefile.TagOptions{Note: "Ask Lumora's auditor who let this through"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tag(t.Context(), item, "no-approval", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	searchFor(t, g, cv, "note:auditor")
	if len(cv.results.hits) != 1 || cv.results.hits[0].ID != item.String() {
		t.Fatalf("note:auditor in the window finds %d hits", len(cv.results.hits))
	}
	cv.results.list.Select(0)
	g.settle(t)
	tags := strings.Split(cv.details.tags.Text, "\n")
	if len(tags) != 2 || !strings.HasSuffix(tags[0], " — Ask Lumora's auditor who let this through") ||
		!strings.HasPrefix(tags[0], "follow-up (EX-") || strings.Contains(tags[1], " — ") {
		t.Errorf("the details show the tags %q, want follow-up with its note and no-approval without", tags)
	}

	// A new search that still finds the item keeps it; one that does not
	// leaves the details empty.
	searchFor(t, g, cv, "console")
	if cv.details.value("ID") != item.String() || cv.results.list.selectedRow() != hitIndex(t, cv, item.String()) {
		t.Errorf("a search still finding %s shows %q, row %d", item, cv.details.value("ID"), cv.results.list.selectedRow())
	}
	searchFor(t, g, cv, "approval")
	for _, h := range cv.results.hits {
		if h.ID == item.String() {
			t.Fatalf("the fixture's %s has approval", item)
		}
	}
	if got := cv.details.value("ID"); got != "" || cv.sel.item.N != 0 {
		t.Errorf("after a search without it the details still show %q", got)
	}
	// A tap on a row already selected shows it again.
	cv.results.list.Select(0)
	cv.details.clear()
	test.Tap(listRow(t, cv.results.list, 0))
	if got := cv.details.value("ID"); got != cv.results.hits[0].ID {
		t.Errorf("a tap on the selected hit shows %q, want %s", got, cv.results.hits[0].ID)
	}
}
