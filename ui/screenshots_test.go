package ui

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
	"casebook/player"
)

// screenshotSize is the window size of the screenshots.
var screenshotSize = fyne.NewSize(1440, 900)

// TestScreenshots renders the main screens of the demo case to PNG files in
// $CASEBOOK_SCREENSHOTS (make screenshots), on the test driver's software
// canvas: no display is needed. It is skipped when the variable is unset.
func TestScreenshots(t *testing.T) {
	out := os.Getenv("CASEBOOK_SCREENSHOTS")
	if out == "" {
		t.Skip("set CASEBOOK_SCREENSHOTS to a folder to render the screenshots (make screenshots)")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	g := newTestGUI(t)
	g.app.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	g.win.Resize(screenshotSize)
	shotNow := func(name string) {
		t.Helper()
		relayoutWindow(g.win)
		f, err := os.Create(filepath.Join(out, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, g.win.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
	}
	// shot waits for the window to settle first (settling waits for background work, playback included).
	shot := func(name string) {
		t.Helper()
		g.settle(t)
		shotNow(name)
	}
	closeOverlays := func() {
		for g.win.Canvas().Overlays().Top() != nil {
			g.win.Canvas().Overlays().Top().Hide()
			g.win.Canvas().Overlays().Remove(g.win.Canvas().Overlays().Top())
		}
	}

	root := t.TempDir()
	dir := filepath.Join(root, "lumora-demo")
	c, err := casefile.BuildDemo(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })

	// The start screen, with a few fictional recent cases.
	g.app.Preferences().SetStringList(prefRecent, []string{
		"/home/ines/cases/lumora-demo", "/home/ines/cases/payroll-leak-2024", "/home/ines/cases/harbour-contracts"})
	g.showStart()
	shot("start")

	cv := openTestCase(t, g, c, dir)

	// The overview the case opens on: what it holds and what waits.
	shot("overview")

	// Search with a filter chip, a hit selected.
	cv.tabs.Select(cv.searchTab)
	cv.results.filters.set("country", "CN")
	cv.results.filters.refreshChips()
	searchFor(t, g, cv, "data")
	if len(cv.results.hits) > 0 {
		cv.results.list.Select(0)
	}
	shot("search")

	// A transcript in the reader, a segment selected.
	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var transcript, log model.Source
	for _, s := range srcs {
		if s.Kind == model.KindTranscript && transcript.ID == 0 {
			transcript = s
		}
		if s.Kind == model.KindAccessLog {
			log = s
		}
	}
	// A hit opened in context (a double-click): its segment selected in the
	// Reader among its neighbours, the words searched for marked.
	cv.results.filters.set("country", "")
	cv.results.filters.refreshChips()
	searchFor(t, g, cv, `"master admin" approved`)
	if i := slices.IndexFunc(cv.results.hits, func(h casefile.Hit) bool { return h.Kind == "segment" }); i >= 0 {
		cv.openHit(cv.results.hits[i])
	} else {
		cv.sources.selectSource(sourceUID(transcript))
		g.settle(t)
		cv.reader.list.Select(3)
	}
	shot("reader")

	// The access log, sorted by records, a row selected.
	cv.sources.selectSource(sourceUID(log))
	g.settle(t)
	cv.alog.sort("records")
	g.settle(t)
	cv.alog.sort("records")
	g.settle(t)
	cv.alog.table.Select(widget.TableCellID{Row: 0, Col: 1})
	shot("access-log")

	// The timeline.
	cv.tabs.Select(cv.timelineTab)
	shot("timeline")

	// Review: the rules run, the queue grouped, one group unfolded.
	cv.tabs.Select(cv.reviewTab)
	cv.review.onRunRules()
	g.settle(t)
	rv := cv.review
	if i := slices.IndexFunc(rv.rows, func(r reviewRow) bool { return r.level == levelActor }); i >= 0 {
		// Accept the first actor's first suggestion with J and A, fold the
		// actor again and select the next one, ready for a bulk review.
		rv.list.Select(i)
		rv.onKey(fyne.KeyJ)
		rv.onKey(fyne.KeyA)
		g.settle(t)
		rv.setOpen(i, false)
		if j := slices.IndexFunc(rv.rows[i+1:], func(r reviewRow) bool { return r.level == levelActor }); j >= 0 {
			rv.list.Select(i + 1 + j)
		}
	}
	shot("review")

	// Statements: the company's claims, one with evidence linked.
	cv.tabs.Select(cv.searchTab)
	cv.results.filters.set("country", "")
	cv.results.filters.refreshChips()
	searchFor(t, g, cv, `"master admin"`)
	if len(cv.results.hits) > 0 {
		cv.results.list.Select(0)
	}
	cv.tabs.Select(cv.statementsTab)
	g.settle(t)
	cv.stmts.list.Select(0)
	cv.stmts.onLink(relContradicts)
	g.settle(t)
	shot("statements")

	// The report dialog with its preview.
	cv.onExportReport()
	g.settle(t)
	cv.reportDialog.path.SetText("/home/ines/cases/lumora-demo-report.pdf")
	shot("report")
	closeOverlays()

	// Settings, on the policy.
	cv.onSettings()
	g.settle(t)
	cv.settings.tabs.SelectIndex(1)
	shot("settings")
	// The roster and data map the demo case ships, loaded.
	cv.settings.tabs.SelectIndex(len(cv.settings.tabs.Items) - 1)
	g.settle(t)
	shot("settings-roster")
	closeOverlays()

	// The mapping dialog for a log whose columns Casebook cannot place.
	vendor := filepath.Join(root, "vendor-export.csv")
	if err := os.WriteFile(vendor, []byte(screenshotVendorLog), 0o600); err != nil {
		t.Fatal(err)
	}
	cv.startImport([]string{vendor}, false)
	g.settle(t)
	if cv.mapDialog != nil {
		cv.mapDialog.setRole("actor", "usr")
	}
	shot("mapping")
	closeOverlays()

	// Speakers: the hearing's "Mr. Okafor" and "Ms. Abernathy" merged into
	// the people they are; Daniel Okafor selected, his lines searched.
	if err := c.SetSpeakerDetails(t.Context(), "Daniel Okafor", "Privacy counsel", "Austin"); err != nil {
		t.Fatal(err)
	}
	tree := cv.sources.tree
	for _, k := range sourceKinds {
		tree.CloseBranch(string(k))
	}
	tree.OpenBranch(branchSpeakers)
	for label, person := range map[string]string{"Mr. Okafor": "Daniel Okafor", "Ms. Abernathy": "Claire Abernathy"} {
		cv.onMergeSpeaker(label)
		cv.speakerForm.person.SetText(person)
		cv.speakerForm.dlg.Submit()
		g.settle(t)
	}
	cv.results.entry.SetText("")
	cv.results.filters.sort.SetSelected(sortTime) // a stable order
	g.settle(t)
	tree.Select(branchSpeakers + facetSep + "Daniel Okafor")
	g.settle(t)
	if len(cv.results.hits) > 0 {
		cv.results.list.Select(0)
		cv.showSpeaker("Daniel Okafor")
	}
	tree.ScrollTo(branchSpeakers)
	shot("speakers")

	// A recipient checks a report against the case, exhibit by exhibit.
	closeOverlays()
	ctx := t.Context()
	for _, id := range []model.ItemID{{Kind: model.ItemEvent, N: 1}, {Kind: model.ItemSegment, N: 2}} {
		if _, err := c.Tag(ctx, id, "key-evidence", casefile.TagOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	report := filepath.Join(root, "report.pdf")
	if err := c.WriteReportFile(ctx, report, casefile.ReportOptions{Date: time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	cv.checkReport(report)
	shot("verify-report")
	closeOverlays()

	// Quote by selecting: a quote tagged earlier marked in the reader, and
	// more words selected in the details, ready for Tag….
	cv.tabs.Select(cv.searchTab)
	cv.results.filters.set("speaker", "")
	cv.results.filters.refreshChips()
	searchFor(t, g, cv, `"master admin" approved`)
	if i := slices.IndexFunc(cv.results.hits, func(h casefile.Hit) bool { return h.Kind == "segment" }); i >= 0 {
		h := cv.results.hits[i]
		cv.openHit(h)
		g.settle(t)
		// The words after "master admin" up to "every table", which the
		// search does not mark, so the quote's own mark shows.
		lower := strings.ToLower(h.Text)
		at := strings.Index(lower, "master admin") + len("master admin ")
		end := strings.Index(lower, "every table") + len("every table")
		if at < len("master admin ") || end <= at {
			at, end = 0, len(h.Text)
		}
		from, to := len([]rune(h.Text[:at])), len([]rune(h.Text[:end]))
		id, _ := model.ParseItemID(h.ID)
		if _, err := c.Tag(ctx, id, "key-quote", casefile.TagOptions{Quote: fmt.Sprintf("%d:%d", from, to)}); err != nil {
			t.Fatal(err)
		}
		cv.loadItemTags(id)
		g.settle(t)
		q := cv.details.quote
		g.win.Canvas().Focus(q)
		pressKeys(q, fyne.KeyHome)
		q.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
		for range min(from, 40) {
			pressKeys(q, fyne.KeyRight)
		}
		q.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	}
	shot("reader-quote")

	// The demo's meeting with its recording (espeak-ng, no real voice), playing on from its second segment: the
	// bar's strip with the segments marked, the row heard marked ▶. No machine here has a sound card, so the
	// samples go to the null output, at the pace a device would take them.
	closeOverlays()
	withOutput(t, &player.NullOutput{RealTime: true})
	var meeting model.Source
	for _, s := range srcs {
		if _, _, _, err := c.RecordingFor(ctx, s.ID); err == nil && s.Kind == model.KindTranscript {
			meeting = s
		}
	}
	if meeting.ID == 0 {
		t.Fatal("the demo case has no transcript paired with a recording")
	}
	cv.sources.selectSource(sourceUID(meeting))
	g.settle(t)
	b := cv.reader.play
	if !b.ready() {
		t.Fatalf("no playback for the demo's meeting: %q", b.status.Text)
	}
	cv.reader.list.Select(1)
	press(cv.reader, fyne.KeyReturn)
	g.pumpUntil(t, func() bool { return len(cv.reader.segs) > 2 && b.heard == cv.reader.segs[2].ID })
	shotNow("reader-playing") // while it plays
	b.player.Stop()
	g.settle(t)
}

// screenshotVendorLog is a fictional export with headers no format knows.
const screenshotVendorLog = "evt_when;usr;site_cc;obj;qty;ticket\n" +
	"2022-02-01T08:15:00Z;Wei Zhang;CN;us_users.phone;1204;\n" +
	"2022-02-01T08:17:41Z;Wei Zhang;CN;us_users.email;880;\n" +
	"2022-02-01T09:02:10Z;Li Na;CN;us_users.device_id;50000;APR-2022-00031\n" +
	"2022-02-02T14:20:05Z;Mia Chen;US;us_users.profile;12;APR-2022-00032\n" +
	"2022-02-02T23:48:19Z;Li Na;CN;us_users.precise_location;7310;\n" +
	"2022-02-03T01:05:44Z;Wei Zhang;CN;us_users.contacts;2250;\n" +
	"2022-02-03T10:30:00Z;Daniel Okafor;US;us_users.profile;3;APR-2022-00033\n"
