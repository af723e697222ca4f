package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

func TestTheSourcesListShowsBothSourcesGroupedByKindWithRecordCountsAndWarnings(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 2 {
		t.Fatalf("the fixture case has %d sources, want 2", len(srcs))
	}
	assertShows(t, cv.sources.tree, "Transcripts (1)")
	assertShows(t, cv.sources.tree, "Access logs (1)")
	for _, s := range srcs {
		assertShows(t, cv.sources.tree, s.Name)
		assertShows(t, cv.sources.tree, plural(s.Records, recordWord(s.Kind)))
		if n := warningCount(s); n > 0 {
			assertShows(t, cv.sources.tree, fmt.Sprintf("⚠ %d", n))
		}
	}
	assertShows(t, g.win.Content(), "Test case\nTess Tester\n2 sources · 3 segments · 3 events")
}

func TestTypingAQueryAndPressingEnterShowsAsManyHitsAsTheCaseFinds(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	want, err := c.Search(t.Context(), casefile.Query{Text: "admin", Limit: resultsPage})
	if err != nil {
		t.Fatal(err)
	}
	if want.Total == 0 {
		t.Fatal("the fixture should have hits for admin")
	}
	test.Type(cv.results.entry, "admin")
	cv.results.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	g.settle(t)

	if got := cv.results.list.Length(); got != len(want.Hits) {
		t.Errorf("the list holds %d hits, the case found %d", got, len(want.Hits))
	}
	assertShows(t, cv.results.content, fmt.Sprintf("%d hits for \"admin\".", want.Total))
	// The snippet renders with the match bold and without the « » markers.
	assertShows(t, cv.results.list, oneLine(strings.NewReplacer("«", "", "»", "").Replace(want.Hits[0].Snippet)))

	cv.results.list.Select(0)
	if got := cv.details.value("ID"); got != want.Hits[0].ID {
		t.Errorf("details show %q, want the selected hit %s", got, want.Hits[0].ID)
	}
	src, _ := cv.sources.source(want.Hits[0].SourceID)
	if got := cv.details.value("SHA-256"); got == "" || got != src.SHA256 {
		t.Errorf("details show sha256 %q, want the source's %q", got, src.SHA256)
	}
}

func TestCtrlFFocusesTheSearchBar(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	find := menuItem(t, g, "Search")
	sc, ok := find.Shortcut.(*desktop.CustomShortcut)
	if !ok || sc.KeyName != fyne.KeyF || sc.Modifier != fyne.KeyModifierShortcutDefault {
		t.Fatalf("the Search menu item's shortcut is %v, want Ctrl+F", find.Shortcut)
	}
	cv.tabs.Select(cv.readerTab)
	find.Action()
	if g.win.Canvas().Focused() != cv.results.entry {
		t.Error("the search bar does not have the focus")
	}
	if cv.tabs.Selected() != cv.searchTab {
		t.Error("the search tab is not shown")
	}
}

func TestSelectingATranscriptSourceLoadsItsSegmentsInTheReader(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var transcript model.Source
	for _, s := range srcs {
		if s.Kind == model.KindTranscript {
			transcript = s
		}
	}
	want, err := c.Segments(t.Context(), transcript.ID)
	if err != nil {
		t.Fatal(err)
	}

	cv.sources.selectSource(sourceUID(transcript))
	g.settle(t)

	if cv.tabs.Selected() != cv.readerTab {
		t.Error("the reader tab is not shown")
	}
	if got := cv.reader.list.Length(); got != len(want) {
		t.Fatalf("the reader lists %d segments, want %d", got, len(want))
	}
	assertShows(t, cv.reader.list, want[0].Speaker)
	assertShows(t, cv.reader.list, want[0].Text)
	if got := cv.details.value("SHA-256"); got != transcript.SHA256 {
		t.Errorf("details show sha256 %q, want %q", got, transcript.SHA256)
	}

	cv.reader.list.Select(1)
	if got := cv.details.value("Line"); got != fmt.Sprint(want[1].Line) {
		t.Errorf("details show line %q, want %d", got, want[1].Line)
	}
}

func TestCancelOnTheProgressPanelCancelsTheRunningJob(t *testing.T) {
	g := newTestGUI(t)
	started := make(chan struct{})
	var got error
	ok := g.prog.start("Waiting for nothing", func(ctx context.Context, report casefile.ProgressFunc) error {
		report(casefile.Progress{Stage: "index", File: "meeting.txt", Done: 1, Total: 4})
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}, func(err error) { got = err })
	if !ok {
		t.Fatal("the job did not start")
	}
	g.pumpUntil(t, func() bool {
		select {
		case <-started:
			return true
		default:
			return false
		}
	})

	if !g.prog.box.Visible() {
		t.Fatal("the progress panel is hidden while a job runs")
	}
	if g.prog.bar.Value != 1 || g.prog.bar.Max != 4 {
		t.Errorf("the bar shows %v of %v, want 1 of 4", g.prog.bar.Value, g.prog.bar.Max)
	}
	assertShows(t, g.prog.box, "Indexing · meeting.txt (1 of 4)")
	if g.prog.start("Another", func(context.Context, casefile.ProgressFunc) error { return nil }, nil) {
		t.Error("a second job started while one runs")
	}

	test.Tap(g.prog.cancelBtn)
	g.settle(t)

	if !errors.Is(got, context.Canceled) {
		t.Errorf("the job ended with %v, want context.Canceled", got)
	}
	if g.prog.box.Visible() || g.prog.Busy() {
		t.Error("the progress panel still shows after the job ended")
	}
}

func TestOpeningACaseFolderShowsTheCaseAndRemembersItAsRecent(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	if err := c.Close(); err != nil { // release the lock so the window can open it
		t.Fatal(err)
	}

	g.openCase(dir)
	g.settle(t)
	if g.cv == nil {
		t.Fatal("the case did not open")
	}
	t.Cleanup(func() { _ = g.closeCase() })
	abs, _ := filepath.Abs(dir)
	if r := g.recent(); len(r) == 0 || r[0] != abs {
		t.Errorf("recent cases are %q, want %q first", r, abs)
	}

	if err := g.closeCase(); err != nil {
		t.Fatal(err)
	}
	g.showStart()
	assertShows(t, g.start.recentList, abs)
}

func TestOpeningAFolderThatIsNotACaseShowsTheErrorOnTheStartScreen(t *testing.T) {
	g := newTestGUI(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}

	g.openCase(dir)
	g.settle(t)

	if g.cv != nil {
		t.Fatal("a case view opened for a folder that is not a case")
	}
	if g.body.Objects[0] != g.start.content {
		t.Error("the start screen is not shown")
	}
	top := g.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no error dialog")
	}
	var found bool
	for _, s := range visibleTexts(top) {
		if strings.Contains(s, "not a Casebook case") && !strings.Contains(s, "\n") {
			found = true
		}
	}
	if !found {
		t.Errorf("the dialog does not say the folder is not a case in one line: %q", visibleTexts(top))
	}
}

func TestHighlightMakesTheMatchesBold(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // bold parts in [ ]
	}{
		{"plain text", "plain text"},
		{"the master «admin» can", "the master [admin] can"},
		{"«a» and «b»", "[a] and [b]"},
		{"line\nbreak «x", "line break [x]"},
	} {
		var b strings.Builder
		for _, s := range highlight(tc.in) {
			ts := s.(*widget.TextSegment)
			if ts.Style.TextStyle.Bold {
				b.WriteString("[" + ts.Text + "]")
			} else {
				b.WriteString(ts.Text)
			}
		}
		if b.String() != tc.want {
			t.Errorf("highlight(%q) = %q, want %q", tc.in, b.String(), tc.want)
		}
	}
}

func TestImportingAFileShowsItsResultAndAddsItToTheSources(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	extra := filepath.Join(t.TempDir(), "followup.txt")
	if err := os.WriteFile(extra, []byte("Wei Zhang: The export went to the Beijing bucket\nMia Chen: Who approved it?\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cv.runImport([]string{extra})
	g.settle(t)

	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 3 {
		t.Fatalf("the case has %d sources after the import, want 3; shown: %q", len(srcs), visibleTexts(g.win.Canvas().Overlays().Top()))
	}
	assertShows(t, cv.sources.tree, "Transcripts (2)")
	assertShows(t, cv.sources.tree, "followup.txt")
	top := g.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no import results dialog")
	}
	assertShows(t, top, "1 file imported, 0 failed.")
	assertShows(t, top, "src-3")
	assertShows(t, top, "✓ imported")
}
