package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// vendorLog is an access log whose headers no format recognises.
const vendorLog = "when_utc;emp;loc_cc;tbl;n_rows\n" +
	"2024-03-05T01:00:00Z;Wei Zhang;CN;us_users.phone;50\n" +
	"2024-03-05T02:00:00Z;Wei Zhang;CN;us_users.phone;60\n" +
	"2024-03-06T03:00:00Z;Mia Chen;US;us_users.profile;12\n"

// writeTemp writes a file in a fresh temporary folder.
func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// drop drops files on the window as the desktop does.
func drop(g *harness, paths ...string) {
	var uris []fyne.URI
	for _, p := range paths {
		uris = append(uris, storage.NewFileURI(p))
	}
	g.onDropped(fyne.NewPos(400, 300), uris)
}

// sourceNamed finds a source of the case by file name.
func sourceNamed(t *testing.T, c *casefile.Case, name string) model.Source {
	t.Helper()
	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no source %s among %d", name, len(srcs))
	return model.Source{}
}

func TestDroppingALogWithUnknownColumnsAsksForTheMappingImportsWithItAndSavesTheProfile(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	log := writeTemp(t, "vendor.csv", vendorLog)

	drop(g, log)
	g.settle(t)

	d := cv.mapDialog
	if d == nil {
		t.Fatal("dropping a log with unknown columns showed no mapping dialog")
	}
	if g.prog.Busy() {
		t.Fatal("the import started before the columns were placed")
	}
	top := g.win.Canvas().Overlays().Top()
	assertShows(t, top, "Place the columns of vendor.csv")
	capture(t, g.win, "mapping")
	if got := cellText(d.table, 2, 3); got != "us_users.profile" {
		t.Errorf("row 3 of the preview shows %q in column tbl", got)
	}
	if len(d.pv.Rows) != 3 {
		t.Errorf("the preview holds %d rows, want the file's 3", len(d.pv.Rows))
	}

	// Without a time column the import is refused with what to do.
	d.setRole("time", "")
	test.Tap(buttonLabelled(t, top, "Import with this mapping"))
	if !strings.Contains(d.status.Text, "Choose the column that holds the time") {
		t.Errorf("the status says %q, want it to ask for the time column", d.status.Text)
	}

	for role, col := range map[string]string{"time": "when_utc", "actor": "emp", "country": "loc_cc", "resource": "tbl", "records": "n_rows"} {
		d.roles[role].SetSelected(col)
	}
	if got := columnHeading(d.table, 0); got != "when_utc → time" {
		t.Errorf("the first column's heading is %q", got)
	}
	if got := columnHeading(d.table, 1); got != "emp → actor" {
		t.Errorf("the second column's heading is %q", got)
	}
	d.saveAs.SetText("vendor-z")
	test.Tap(buttonLabelled(t, top, "Import with this mapping"))
	g.settle(t)

	src := sourceNamed(t, c, "vendor.csv")
	if src.Kind != model.KindAccessLog || src.Records != 3 {
		t.Fatalf("vendor.csv imported as %s with %d records, want an access log of 3", src.Kind, src.Records)
	}
	res, err := c.Search(t.Context(), casefile.Query{Text: "actor:zhang", Filters: casefile.Filters{Source: sourceUID(src)}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 || res.Hits[0].Country != "CN" {
		t.Errorf("actor:zhang in vendor.csv finds %d hits (country %q), want 2 in CN", res.Total, res.Hits[0].Country)
	}
	profiles, err := c.MappingProfiles(t.Context())
	if err != nil || len(profiles) != 1 || profiles[0].Mapping["actor"] != "emp" {
		t.Errorf("saved profiles %+v (%v), want vendor-z with actor=emp", profiles, err)
	}
	r := cv.importResults
	if r == nil {
		t.Fatal("no import results")
	}
	assertShows(t, r.list, "✓ imported")
	if !strings.Contains(r.summary.Text, "Mapping saved as vendor-z") {
		t.Errorf("the results say %q, want the saved mapping named", r.summary.Text)
	}
	assertShows(t, cv.sources.tree, "Access logs (2)")

	// The next log from the same system starts from the saved mapping.
	next := writeTemp(t, "vendor-2.csv", strings.ReplaceAll(vendorLog, "Wei Zhang", "Li Na"))
	drop(g, next)
	g.settle(t)
	if cv.mapDialog == d || cv.mapDialog.profile == nil {
		t.Fatal("the second log's dialog offers no saved mapping")
	}
	cv.mapDialog.profile.SetSelected("vendor-z")
	if got := cv.mapDialog.roles["actor"].Selected; got != "emp" {
		t.Errorf("after choosing vendor-z the actor is %q, want emp", got)
	}
	cv.mapDialog.submit()
	g.settle(t)
	if s := sourceNamed(t, c, "vendor-2.csv"); s.Records != 3 {
		t.Errorf("vendor-2.csv has %d records, want 3", s.Records)
	}
}

// buttonLabelled finds a visible button by its text under o.
func buttonLabelled(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func TestDroppingAFolderImportsItsFilesWithoutAskingAndListsEachResult(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	folder := t.TempDir()
	for name, body := range map[string]string{
		"followup.txt": "Wei Zhang: The export went to the Beijing bucket\nMia Chen: Who approved it?\n",
		"empty.txt":    "",
	} {
		if err := os.WriteFile(filepath.Join(folder, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	drop(g, folder)
	g.settle(t)

	if cv.mapDialog != nil {
		t.Error("a transcript asked for a column mapping")
	}
	sourceNamed(t, c, "followup.txt")
	r := cv.importResults
	if r == nil {
		t.Fatal("no import results")
	}
	if !strings.HasPrefix(r.summary.Text, "1 file imported, 1 failed.") {
		t.Errorf("the summary says %q", r.summary.Text)
	}
	// The failed file is selected, its reason and what to do shown.
	if !strings.Contains(r.detail.Text, "empty.txt") || !strings.Contains(r.detail.Text, "Not imported: ") {
		t.Errorf("the detail says %q, want why empty.txt was not imported", r.detail.Text)
	}
}

func TestTheImportResultsShowRejectsAndWarningsAndListTheRejectedRows(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	log := writeTemp(t, "more-access.csv", strings.Replace(fixtureAccessLog, "2024-03-01", "2024-04-01", 2))

	cv.runImport([]string{log})
	g.settle(t)

	r := cv.importResults
	if r == nil || len(r.results) != 1 {
		t.Fatal("no import results for the one file")
	}
	assertShows(t, r.list, "1") // one reject
	if !strings.Contains(r.detail.Text, "1 rejected") || !r.rejects.Visible() {
		t.Fatalf("the detail says %q with the rejects button visible %v", r.detail.Text, r.rejects.Visible())
	}
	test.Tap(r.rejects)
	g.settle(t)
	top := g.win.Canvas().Overlays().Top()
	assertShows(t, top, "yesterday,E102,Ana Ruiz,Madrid,ES,user_db,PII,EU,7,")
}

func TestTheProgressTextNamesTheFileSpeedAndTimeLeft(t *testing.T) {
	p := newProgressPanel(newRunner())
	clock := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return clock }
	p.cancel = func() {}
	p.files = []string{"/cases/a.csv", "/cases/b.csv", "/cases/c.csv"}
	p.show(casefile.Progress{Stage: "import", File: "/cases/b.csv", Done: 10_000_000, Total: 40_000_000})
	clock = clock.Add(2 * time.Second)
	p.show(casefile.Progress{Stage: "import", File: "/cases/b.csv", Done: 20_000_000, Total: 40_000_000})
	if want := "Importing · b.csv (file 2 of 3) · 5.0 MB/s · about 4 s left"; p.stage.Text != want {
		t.Errorf("the panel says %q, want %q", p.stage.Text, want)
	}
	p.show(casefile.Progress{Stage: "index", Done: 1000, Total: 50_000})
	clock = clock.Add(time.Second)
	p.show(casefile.Progress{Stage: "index", Done: 9000, Total: 50_000})
	if want := "Indexing (9,000 of 50,000) · 8,000 items/s · about 5 s left"; p.stage.Text != want {
		t.Errorf("the panel says %q, want %q", p.stage.Text, want)
	}
}

// groupCase is the test case with a log that gives one actor several
// suggestions on one day, and its rules run.
func groupCase(t *testing.T, g *harness) (*casefile.Case, *caseView) {
	t.Helper()
	return rulesCase(t, g, "2024-03-05T01:00:00Z,Wei Zhang,Beijing,CN,us_users,phone,US,50,\n"+
		"2024-03-05T02:00:00Z,Wei Zhang,Beijing,CN,us_users,phone,US,60,\n"+
		"2024-03-05T03:00:00Z,Wei Zhang,Beijing,CN,us_users,phone,US,70,\n"+
		"2024-03-06T03:00:00Z,Li Na,Beijing,CN,us_users,phone,US,12,\n")
}

// rulesCase opens the test case with one more access log of these rows
// (time, name, office, country, resource, category, region, records,
// approval), on the review tab with the rules run.
func rulesCase(t *testing.T, g *harness, rows string) (*casefile.Case, *caseView) {
	t.Helper()
	c, dir := newTestCase(t)
	log := writeTemp(t, "phones.csv", "timestamp,employee_name,office,office_country,resource,data_category,subject_region,record_count,approval_id\n"+rows)
	if _, err := c.Import(t.Context(), []string{log}, casefile.ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	cv := openTestCase(t, g, c, dir)
	cv.tabs.Select(cv.reviewTab)
	cv.review.onRunRules()
	g.settle(t)
	return c, cv
}

func TestSuggestionsAreGroupedByRuleActorAndDayAndAGroupIsAcceptedAtOnce(t *testing.T) {
	g := newTestGUI(t)
	c, cv := groupCase(t, g)
	rv := cv.review

	// Every day holds one rule's suggestions about one actor on that day,
	// under the rule's and the actor's headings.
	group, rule, actor := -1, "", ""
	for i, r := range rv.rows {
		switch r.level {
		case levelRule:
			rule = r.rule
		case levelActor:
			actor = r.group.actor
		case levelDay:
			for _, it := range r.group.items {
				if it.Origin != rule || it.Actor != actor || it.Day != r.group.day {
					t.Errorf("day %s holds %s about %s on %s", r.key(), it.Origin, it.Actor, it.Day)
				}
			}
			if r.rule == "foreign-access" && r.group.actor == "Wei Zhang" && r.group.day == "2024-03-05" {
				group = i
			}
		}
	}
	if group < 0 {
		t.Fatalf("no foreign-access day for Wei Zhang on 2024-03-05 among %d rows", len(rv.rows))
	}
	assertShows(t, rv.list, "2024-03-05 (3)")
	assertShows(t, rv.list, "Wei Zhang (3) · 1 day")
	ids := []int64{}
	for _, it := range rv.rows[group].group.items {
		ids = append(ids, it.ID)
	}

	rv.list.Select(group)
	g.win.Canvas().Focus(rv.list)
	if rv.groupAccept.Disabled() || rv.groupAccept.Text != "Accept group (3)" {
		t.Fatalf("the group button reads %q (disabled %v), want Accept group (3)", rv.groupAccept.Text, rv.groupAccept.Disabled())
	}
	g.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyA})
	if rv.bulkDialog == nil {
		t.Fatal("A on a group asked nothing")
	}
	rv.bulkDialog.Confirm()
	g.settle(t)

	done := suggestionsByID(t, c, ids)
	for _, tg := range done {
		if tg.Status != "confirmed" || tg.Exhibit == 0 {
			t.Errorf("suggestion %d is %s (exhibit %d) after accepting its group", tg.ID, tg.Status, tg.Exhibit)
		}
	}
	if len(done) != 3 {
		t.Errorf("%d of the group's suggestions found, want 3", len(done))
	}
	for _, r := range rv.rows {
		if r.level == levelDay && r.rule == "foreign-access" && r.group.actor == "Wei Zhang" && r.group.day == "2024-03-05" {
			t.Error("the accepted day is still listed")
		}
	}
	assertShows(t, rv.exhibits.content, "Exhibits (3)")
}

func TestCheckedSuggestionsAreRejectedTogetherAndNAddsANote(t *testing.T) {
	g := newTestGUI(t)
	c, cv := groupCase(t, g)
	rv := cv.review
	var items []int
	for i, r := range rv.rows {
		if r.level == levelItem {
			items = append(items, i)
		}
	}
	if len(items) < 3 {
		t.Fatalf("only %d suggestions", len(items))
	}
	g.win.Canvas().Focus(rv.list)
	press := func(k fyne.KeyName) { g.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: k}) }

	// N notes the selected suggestion's item.
	rv.list.Select(items[0])
	noted := rv.rows[items[0]].t.Item
	press(fyne.KeyN)
	if rv.note == nil {
		t.Fatal("N opened no note form")
	}
	rv.note.text.SetText("ask HR about the night shift")
	rv.note.dlg.Submit()
	g.settle(t)
	notes, err := c.Notes(t.Context(), noted, "")
	if err != nil || len(notes) != 1 || notes[0].Text != "ask HR about the night shift" {
		t.Fatalf("notes on %s: %+v (%v)", noted, notes, err)
	}

	// X checks the first two; Reject checked rejects exactly those.
	want := []int64{rv.rows[items[0]].t.ID, rv.rows[items[1]].t.ID}
	press(fyne.KeyX)
	rv.list.Select(items[1])
	press(fyne.KeyX)
	if rv.checkedReject.Text != "Reject checked (2)" || rv.checkedReject.Disabled() {
		t.Fatalf("the button reads %q", rv.checkedReject.Text)
	}
	test.Tap(rv.checkedReject)
	rv.bulkDialog.Confirm()
	g.settle(t)
	got := suggestionsByID(t, c, want)
	for _, tg := range got {
		if tg.Status != "rejected" {
			t.Errorf("checked suggestion %d is %s, want rejected", tg.ID, tg.Status)
		}
	}
	if len(rv.checked) != 0 {
		t.Errorf("%d suggestions still checked after the review", len(rv.checked))
	}
	open, err := c.Suggestions(t.Context(), "", "suggested")
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != len(items)-2 {
		t.Errorf("%d suggestions open, want %d", len(open), len(items)-2)
	}
}

func TestALargeQueueStartsFoldedAndJUnfoldsTheNextGroup(t *testing.T) {
	g := newTestGUI(t)
	rv := newReviewView(nil, g.gui)
	rv.ranks = map[string]int{"foreign-access": 0, "bulk": 1} // as the case lists its rules
	var queue []casefile.ReviewItem
	for i := range openGroupsUpTo + 10 {
		it := casefile.ReviewItem{Actor: []string{"Wei Zhang", "Li Na"}[i%2], Day: "2024-03-0" + string(rune('1'+i%3))}
		it.ID = int64(i + 1)
		it.Origin = []string{"foreign-access", "bulk"}[i%2]
		it.Item = model.ItemID{Kind: model.ItemEvent, N: int64(i + 1)}
		queue = append(queue, it)
	}
	rv.setQueue(queue, -1)
	for _, r := range rv.rows {
		if r.level == levelItem {
			t.Fatal("a queue above the limit shows suggestions before a group is unfolded")
		}
	}
	if len(rv.rows) != 2+2 {
		t.Fatalf("%d rows, want 2 rules and 2 folded actors", len(rv.rows))
	}
	rv.list.Select(0)
	rv.onKey(fyne.KeyJ)
	if r, ok := rv.current(); !ok || r.level != levelItem || r.group.actor != "Wei Zhang" || rv.rows[rv.selected-1].level != levelDay {
		t.Fatalf("J selected row %d, want the first suggestion of the first actor's first day", rv.selected)
	}
	rv.onKey(fyne.KeyLeft)
	if r, _ := rv.current(); r.level != levelDay || !rv.isFolded(r) {
		t.Error("← did not fold the day back to its heading")
	}
	ids, name := rv.bulkTarget()
	if len(ids) == 0 || !strings.HasPrefix(name, "foreign-access · Wei Zhang · 2024-03-0") {
		t.Errorf("the day's bulk target is %d suggestions of %q", len(ids), name)
	}
}

func TestSettingsChangeTheInvestigatorPolicyPlacesAndTheme(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	settings := menuItem(t, g, "Settings…")
	if sc, ok := settings.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyComma {
		t.Errorf("Settings… has shortcut %v, want Ctrl+,", settings.Shortcut)
	}
	settings.Action()
	g.settle(t)
	d := cv.settings
	if d == nil || d.investigator.Text != "Tess Tester" || d.home.Text != "US" {
		t.Fatalf("the settings show investigator %q and home %q", d.investigator.Text, d.home.Text)
	}

	d.zone.SetText("Mars/Olympus")
	d.onSave()
	if !strings.Contains(d.status.Text, "Mars/Olympus") || d.status.Importance != widget.DangerImportance {
		t.Errorf("an unknown zone says %q", d.status.Text)
	}
	d.zone.SetText("")
	d.investigator.SetText("Ines Investigator")
	d.home.SetText("us, ca")
	d.protected.SetText("phone, email")
	d.offices.SetText("Beijing=Asia/Shanghai@09:00-18:00")
	d.bulk.SetText("5,000")
	d.days.SetSelected([]string{"Mon", "Tue", "Wed"})
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Save"))
	g.settle(t)

	if got := c.Investigator(t.Context()); got != "Ines Investigator" {
		t.Errorf("the investigator is %q", got)
	}
	p, err := c.Policy(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.Home, ",") != "US,CA" || strings.Join(p.Protected, ",") != "phone,email" || p.BulkThreshold != 5000 {
		t.Errorf("policy home %v protected %v bulk %d", p.Home, p.Protected, p.BulkThreshold)
	}
	if h := p.Offices["Beijing"]; h.Zone != "Asia/Shanghai" || h.Start != "09:00" || h.End != "18:00" {
		t.Errorf("Beijing's hours %+v", h)
	}
	if len(p.DefaultHours.Days) != 3 || p.DefaultHours.Days[0] != time.Monday {
		t.Errorf("working days %v", p.DefaultHours.Days)
	}
	assertShows(t, g.win.Content(), "Test case\nInes Investigator\n2 sources · 3 segments · 3 events")

	d.tabs.SelectIndex(2)
	d.placeName.SetText("Zhongguancun")
	d.placeCountry.SetText("CN")
	d.onAddPlace()
	g.settle(t)
	places, err := c.Places(t.Context())
	if err != nil || places["zhongguancun"] != "CN" {
		t.Errorf("places %v (%v)", places, err)
	}
	assertShows(t, d.placeList, "zhongguancun")

	d.themeChoice.SetSelected(themeDark)
	if vt, ok := g.app.Settings().Theme().(variantTheme); !ok || vt.variant != theme.VariantDark {
		t.Errorf("the theme is %T after choosing Dark", g.app.Settings().Theme())
	}
	if g.app.Preferences().String(prefTheme) != themeDark {
		t.Error("the theme choice is not remembered")
	}
}

func TestAStatementIsEditedAndALinkRemovedInTheStatementsTab(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	st, err := c.AddStatement(t.Context(), "Spokesperson", "2024-03-05", "No data went abroad.", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LinkStatement(t.Context(), st.ID, model.ItemID{Kind: model.ItemEvent, N: 1}, "contradicts", "Beijing"); err != nil {
		t.Fatal(err)
	}
	cv := openTestCase(t, g, c, dir)
	cv.tabs.Select(cv.statementsTab)
	g.settle(t)
	cv.stmts.list.Select(0)
	if cv.stmts.editBtn.Disabled() {
		t.Fatal("Edit… is disabled with a statement selected")
	}
	test.Tap(cv.stmts.editBtn)
	f := cv.stmts.form
	if f.words.Text != "No data went abroad." {
		t.Fatalf("the edit form shows %q", f.words.Text)
	}
	f.words.SetText("No US user data went abroad.")
	f.where.SetText("Press release")
	f.dlg.Submit()
	g.settle(t)
	assertShows(t, cv.stmts.list, "Spokesperson · 2024-03-05 · Press release")
	all, err := c.Statements(t.Context())
	if err != nil || all[0].Words != "No US user data went abroad." {
		t.Fatalf("statements %+v (%v)", all, err)
	}

	cv.stmts.links.Select(0)
	test.Tap(cv.stmts.unlinkBtn)
	g.settle(t)
	all, err = c.Statements(t.Context())
	if err != nil || len(all[0].Links) != 0 {
		t.Errorf("links after removing %+v (%v)", all[0].Links, err)
	}
	assertShows(t, cv.stmts.list, "0 supporting · 0 contradicting")
}

func TestTheReportDialogPreviewsItsContentsAndOpensThePDFWhenWritten(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemEvent, N: 1}, "foreign-access", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemSegment, N: 1}, "key-quote", casefile.TagOptions{Quote: "4:16"}); err != nil {
		t.Fatal(err)
	}
	cv := openTestCase(t, g, c, dir)
	var opened []string
	g.opener = func(_ context.Context, path string) error { opened = append(opened, path); return nil }

	menuItem(t, g, "Export report…").Action()
	g.settle(t)
	d := cv.reportDialog
	if len(d.outline.Sections) != 2 {
		t.Fatalf("the preview has %d sections, want one per tag", len(d.outline.Sections))
	}
	preview := richText(d.preview.Segments)
	for _, want := range []string{"Tag: foreign-access", "Tag: key-quote", "EX-0001", "EX-0002", "Audit trail"} {
		if !strings.Contains(preview, want) {
			t.Errorf("the preview lacks %q:\n%s", want, preview)
		}
	}
	if !slices.Contains(d.tags.Options, "key-quote (1)") {
		t.Fatalf("the tag choices are %v", d.tags.Options)
	}
	d.tags.SetSelected([]string{"key-quote (1)"})
	g.settle(t)
	if p := richText(d.preview.Segments); len(d.outline.Sections) != 1 || !strings.Contains(p, "Tag: key-quote") || strings.Contains(p, "Tag: foreign-access") {
		t.Errorf("with key-quote ticked the preview shows:\n%s", p)
	}

	path := filepath.Join(t.TempDir(), "report.pdf")
	d.path.SetText(path)
	d.onExport()
	g.settle(t)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no PDF: %v", err)
	}
	if len(opened) != 1 || opened[0] != path {
		t.Errorf("the viewer was asked to open %v, want %s", opened, path)
	}
}

func TestTheAccessLogTableShowsTheRowsSortsByAColumnAndShowsARowInTheDetails(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	log := sourceNamed(t, c, "access.csv")

	cv.sources.selectSource(sourceUID(log))
	g.settle(t)
	if cv.tabs.Selected() != cv.logTab {
		t.Fatal("selecting an access log did not show the access-log tab")
	}
	if rows, cols := cv.alog.table.Length(); rows != int(log.Records) || cols != len(logColumns) {
		t.Fatalf("the table is %d×%d, want %d rows", rows, cols, log.Records)
	}
	capture(t, g.win, "alog")
	if got := cellText(cv.alog.table, 0, 2); got != "Wei Zhang" {
		t.Errorf("row 1 shows actor %q", got)
	}
	if got := cellText(cv.alog.table, 0, 5); got != "none" {
		t.Errorf("row 1 shows approval %q, want none", got)
	}
	recordsCol := slices.IndexFunc(logColumns, func(c logColumn) bool { return c.title == "Records" })
	tapHeader(cv.alog.table, recordsCol)
	g.settle(t)
	tapHeader(cv.alog.table, recordsCol)
	g.settle(t)
	if cv.alog.sortBy != "records" || !cv.alog.desc {
		t.Fatalf("sorted by %q desc %v, want records descending", cv.alog.sortBy, cv.alog.desc)
	}
	first, ok := cv.alog.event(0)
	if !ok || first.RecordCount != 1200 {
		t.Fatalf("the first row after sorting has %d records, want the largest, 1200", first.RecordCount)
	}
	assertShows(t, cv.alog.content, "access.csv — 3 events, by records descending")

	cv.alog.table.Select(widget.TableCellID{Row: 0, Col: 2})
	if got, want := cv.details.value("ID"), (model.ItemID{Kind: model.ItemEvent, N: first.ID}).String(); got != want {
		t.Errorf("the details show %q", got)
	}
	if got := cv.details.value("Records"); got != "1,200" {
		t.Errorf("the details show records %q", got)
	}
	if cv.details.tagBtn.Disabled() {
		t.Error("the selected row cannot be tagged")
	}
}

func TestTheMenusCarryTheShortcutsAndThePaneWidthsAreRemembered(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	for label, key := range map[string]fyne.KeyName{"Open case…": fyne.KeyO, "Import files…": fyne.KeyI,
		"Search": fyne.KeyF, "Tag the selection…": fyne.KeyT, "Export report…": fyne.KeyE} {
		sc, ok := menuItem(t, g, label).Shortcut.(*desktop.CustomShortcut)
		if !ok || sc.KeyName != key || sc.Modifier != fyne.KeyModifierShortcutDefault {
			t.Errorf("%s has shortcut %v, want Ctrl+%s", label, menuItem(t, g, label).Shortcut, key)
		}
	}
	cv.outer.SetOffset(0.3)
	cv.inner.SetOffset(0.6)
	if err := g.closeCase(); err != nil {
		t.Fatal(err)
	}
	p := g.app.Preferences()
	if p.Float(prefOuterSplit) != 0.3 || p.Float(prefInnerSplit) != 0.6 {
		t.Errorf("remembered panes %v and %v", p.Float(prefOuterSplit), p.Float(prefInnerSplit))
	}
	g.rememberSize()
	if p.Float(prefWidth) != 1200 || p.Float(prefHeight) < 700 {
		t.Errorf("remembered window %v×%v", p.Float(prefWidth), p.Float(prefHeight))
	}
}

// suggestionsByID returns the case's suggestions with the given ids, in
// whatever status.
func suggestionsByID(t *testing.T, c *casefile.Case, ids []int64) []casefile.Tagging {
	t.Helper()
	all, err := c.Suggestions(t.Context(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	var out []casefile.Tagging
	for _, s := range all {
		if slices.Contains(ids, s.ID) {
			out = append(out, s)
		}
	}
	return out
}

// cellText is what a table cell shows, rendered into a fresh cell as the
// table renders it.
func cellText(t *widget.Table, row, col int) string {
	o := t.CreateCell()
	t.UpdateCell(widget.TableCellID{Row: row, Col: col}, o)
	return o.(*widget.Label).Text
}

// columnHeading is what a table's column heading shows.
func columnHeading(t *widget.Table, col int) string {
	o := t.CreateHeader()
	t.UpdateHeader(widget.TableCellID{Row: -1, Col: col}, o)
	return o.(*widget.Label).Text
}

// tapHeader taps a table's column heading (a button).
func tapHeader(t *widget.Table, col int) {
	o := t.CreateHeader()
	t.UpdateHeader(widget.TableCellID{Row: -1, Col: col}, o)
	test.Tap(o.(*widget.Button))
}

// richText is all the text of rich-text segments, lists included.
func richText(segs []widget.RichTextSegment) string {
	var b strings.Builder
	for _, s := range segs {
		switch x := s.(type) {
		case *widget.ListSegment:
			for _, it := range x.Items {
				b.WriteString(richText([]widget.RichTextSegment{it}) + "\n")
			}
		case *widget.ParagraphSegment:
			b.WriteString(richText(x.Texts))
		default:
			b.WriteString(s.Textual() + "\n")
		}
	}
	return b.String()
}

func TestTheCaseTreeListsTagsSavedSearchesStatementsAndRulesAndPickingOneActs(t *testing.T) {
	g := newTestGUI(t)
	c, cv := groupCase(t, g)
	if _, err := c.AddStatement(t.Context(), "Spokesperson", "2024-03-05", "No data went abroad.", ""); err != nil {
		t.Fatal(err)
	}

	// Save the current search from the search bar.
	cv.tabs.Select(cv.searchTab)
	searchFor(t, g, cv, "admin")
	cv.onSaveSearch()
	cv.saveDialog.Submit() // no name: refused
	g.settle(t)
	if ss, _ := c.SavedSearches(t.Context()); len(ss) != 0 {
		t.Fatal("a search was saved without a name")
	}
	cv.onSaveSearch()
	for _, o := range test.LaidOutObjects(g.win.Canvas().Overlays().Top()) {
		if e, ok := o.(*dialogEntry); ok {
			e.SetText("admin talk")
		}
	}
	cv.saveDialog.Submit()
	g.settle(t)
	ss, err := c.SavedSearches(t.Context())
	if err != nil || len(ss) != 1 || ss[0].Query != "admin" {
		t.Fatalf("saved searches %+v (%v)", ss, err)
	}
	cv.reload()
	g.settle(t)

	tree := cv.sources.tree
	for _, b := range overviewBranches {
		tree.OpenBranch(b)
	}
	open, err := c.OpenSuggestionCounts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range open {
		total += n
	}
	// Tags in use: confirmed or suggested, counted from the case.
	infos, err := c.Tags(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	used := 0
	for _, ti := range infos {
		if !ti.Deleted && ti.MergedInto == "" && ti.Confirmed+ti.Suggested > 0 {
			used++
		}
	}
	if used < 2 {
		t.Fatalf("the case has %d tags in use, the test needs at least 2", used)
	}
	sv := cv.sources
	for uid, want := range map[string]string{
		branchRules:      fmt.Sprintf("Rules (%d · %d to review)", len(sv.ov.rules), total),
		branchSearches:   "Saved searches (1)",
		branchStatements: "Statements (1)",
		branchTags:       fmt.Sprintf("Tags (%d)", used),
	} {
		if got := nodeText(sv, uid); got != want {
			t.Errorf("the tree shows %q, want %q", got, want)
		}
	}
	if got := nodeText(sv, branchSearches+facetSep+"admin talk"); got != "admin talk | admin" {
		t.Errorf("the saved search shows %q", got)
	}
	if got, want := nodeText(sv, branchRules+facetSep+"foreign-access"), fmt.Sprintf("%d to review", open["foreign-access"]); !strings.HasSuffix(got, want) {
		t.Errorf("the rule shows %q, want it to end %q", got, want)
	}
	if got := nodeText(sv, branchTags+facetSep+"foreign-access"); got != "foreign-access | 0 exhibits · 4 suggested" {
		t.Errorf("the tag shows %q", got)
	}

	// A saved search runs; a tag filters; a rule opens the review; a statement its tab.
	cv.results.entry.SetText("")
	tree.Select(branchSearches + facetSep + "admin talk")
	g.settle(t)
	if cv.results.query.Text != "admin" || cv.tabs.Selected() != cv.searchTab {
		t.Errorf("the saved search ran %q", cv.results.query.Text)
	}
	tree.Select(branchRules + facetSep + "foreign-access")
	g.settle(t)
	if r, ok := cv.review.current(); cv.tabs.Selected() != cv.reviewTab || !ok || r.rule != "foreign-access" {
		t.Errorf("picking a rule selected %+v in tab %s", r, cv.tabs.Selected().Text)
	}
	st, _ := c.Statements(t.Context())
	tree.Select(branchStatements + facetSep + fmt.Sprint(st[0].ID))
	g.settle(t)
	if cv.tabs.Selected() != cv.statementsTab || cv.stmts.selected != st[0].ID {
		t.Errorf("picking the statement selected %d", cv.stmts.selected)
	}
}

func TestTheDetailsShowAnItemsNotesStatementsAndHistoryAndNoteAddsOne(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	item := model.ItemID{Kind: model.ItemEvent, N: 1}
	st, err := c.AddStatement(t.Context(), "Spokesperson", "2024-03-05", "No data went abroad.", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LinkStatement(t.Context(), st.ID, item, "contradicts", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tag(t.Context(), item, "foreign-access", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	cv := openTestCase(t, g, c, dir)
	searchFor(t, g, cv, "evt")
	searchFor(t, g, cv, "kind:event")
	i := slices.IndexFunc(cv.results.hits, func(h casefile.Hit) bool { return h.ID == item.String() })
	if i < 0 {
		t.Fatal("evt-1 is not among the events")
	}
	cv.results.list.Select(i)
	g.settle(t)
	test.Tap(cv.details.noteBtn)
	cv.noteForm.text.SetText("check the Beijing VPN logs")
	cv.noteForm.dlg.Submit()
	g.settle(t)

	text := richText(cv.details.context.Segments)
	for _, want := range []string{"Notes", "check the Beijing VPN logs — Tess Tester", "Statements",
		"contradicts “No data went abroad.” (Spokesperson)", "History", "tag by Tess Tester", "note by Tess Tester"} {
		if !strings.Contains(text, want) {
			t.Errorf("the details lack %q:\n%s", want, text)
		}
	}
	notes, err := c.Notes(t.Context(), item, "")
	if err != nil || len(notes) != 1 {
		t.Errorf("notes %+v (%v)", notes, err)
	}
}

// nodeText is what the case tree shows for a node, rendered into a fresh
// node as the tree renders it: its labels' texts joined by " | ".
func nodeText(v *sourcesView, uid string) string {
	branch := v.isBranch(uid)
	o := v.createNode(branch)
	v.updateNode(uid, branch, o)
	var parts []string
	for _, obj := range test.LaidOutObjects(o) {
		if l, ok := obj.(*widget.Label); ok && l.Visible() && l.Text != "" {
			parts = append(parts, l.Text)
		}
	}
	return strings.Join(parts, " | ")
}
