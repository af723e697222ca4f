package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casebook/casefile"
	"casebook/model"
)

// closeTop closes the topmost dialog.
func closeTop(g *harness) {
	if top := g.win.Canvas().Overlays().Top(); top != nil {
		top.Hide()
		g.win.Canvas().Overlays().Remove(top)
	}
}

func TestExportDataWritesEventsAsCSVAndTheCurrentSearchAsJSONLines(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)

	menuItem(t, g, "Export data (CSV, JSON Lines, FollowTheMoney)…").Action()
	d := cv.exportDialog
	if d == nil {
		t.Fatal("Export data… opened no dialog")
	}
	if !strings.HasSuffix(d.path.Text, "case-evidence.csv") {
		t.Errorf("the dialog proposes %q", d.path.Text)
	}
	d.what.SetSelected(exportEvents)
	if !strings.HasSuffix(d.path.Text, "case-events.csv") {
		t.Errorf("for events the dialog proposes %q", d.path.Text)
	}
	out := filepath.Join(t.TempDir(), "events.csv")
	d.path.SetText(out)
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Export"))
	g.settle(t)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no export written: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 4 || !strings.Contains(lines[1], "Wei Zhang") {
		t.Errorf("the events export holds %d lines, want a header and 3 events:\n%s", len(lines), b)
	}
	if d.written != "Wrote 3 rows to "+out+"." {
		t.Errorf("the export says %q", d.written)
	}
	closeTop(g)

	// The current search, as JSON Lines.
	searchFor(t, g, cv, "admin")
	cv.onExportData()
	d = cv.exportDialog
	d.format.SetSelected(formatJSONL)
	d.what.SetSelected(d.what.Options[2])
	if !strings.Contains(d.what.Options[2], "“admin”") {
		t.Errorf("the search choice reads %q", d.what.Options[2])
	}
	out = filepath.Join(t.TempDir(), "admin.jsonl")
	d.path.SetText(out)
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Export"))
	g.settle(t)
	b, err = os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(string(b)), "\n")
	if uint64(len(lines)) != cv.results.total {
		t.Errorf("the search export holds %d lines, the search %d hits", len(lines), cv.results.total)
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &row); err != nil || row["id"] == nil {
		t.Errorf("the first line %q is not a hit as JSON (%v)", lines[0], err)
	}
	trail, _ := c.AuditTrail(t.Context())
	if n := countAudit(trail, "export"); n != 2 {
		t.Errorf("the audit trail records %d exports, want 2", n)
	}
}

func countAudit(trail []model.AuditEntry, action string) int {
	n := 0
	for _, a := range trail {
		if a.Action == action {
			n++
		}
	}
	return n
}

func TestSavedSearchesCanBeRunAndDeletedFromTheirDialog(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	for _, n := range []string{"Beijing admins", "Approvals"} {
		if _, err := c.SaveSearch(t.Context(), n, casefile.Query{Text: "admin", Filters: casefile.Filters{Country: "CN"}}); err != nil {
			t.Fatal(err)
		}
	}
	cv := openTestCase(t, g, c, dir)
	menuItem(t, g, "Saved searches…").Action()
	g.settle(t)
	d := cv.searchesDialog
	if len(d.searches) != 2 {
		t.Fatalf("the dialog lists %d searches", len(d.searches))
	}
	assertShows(t, d.list, "admin · country CN")
	d.list.Select(0)
	name := d.searches[0].Name
	test.Tap(d.delBtn)
	if d.confirm == nil {
		t.Fatal("Delete… asked nothing")
	}
	d.confirm.Confirm()
	g.settle(t)
	left, err := c.SavedSearches(t.Context())
	if err != nil || len(left) != 1 || left[0].Name == name {
		t.Errorf("after deleting %s the case keeps %+v (%v)", name, left, err)
	}
	if len(d.searches) != 1 {
		t.Errorf("the dialog lists %d searches after the delete", len(d.searches))
	}
	if got := nodeText(cv.sources, branchSearches); got != "Saved searches (1)" {
		t.Errorf("the tree reads %q", got)
	}
	d.list.Select(0)
	test.Tap(d.runBtn)
	g.settle(t)
	if cv.results.entry.Text != "admin" || cv.results.filters.filters().Country != "CN" {
		t.Errorf("Run searched %q in %q", cv.results.entry.Text, cv.results.filters.filters().Country)
	}
}

func TestEditingARuleDisablesItOrExplainsABadCondition(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	menuItem(t, g, "Edit rules…").Action()
	g.settle(t)
	d := cv.rulesDialog
	i := -1
	for k, r := range d.rules {
		if r.ID == "no-approval" {
			i = k
		}
	}
	if i < 0 {
		t.Fatalf("the dialog lists no no-approval rule among %d", len(d.rules))
	}
	enabledBefore := len(cv.sources.ov.rules)
	d.list.Select(i)
	if d.condition.Text != "category IN protected AND approval = ''" || d.enabled.Disabled() {
		t.Errorf("the form shows %q (enabled box disabled %v)", d.condition.Text, d.enabled.Disabled())
	}

	d.condition.SetText("category IN protected AND approval = ")
	test.Tap(d.saveBtn)
	g.settle(t)
	if !strings.HasPrefix(d.status.Text, "The rule was not saved: ") || !strings.Contains(d.status.Text, "Correct it") {
		t.Errorf("a bad condition: the status says %q", d.status.Text)
	}

	d.condition.SetText("category IN protected AND approval = '' AND records > 100")
	d.enabled.SetChecked(false)
	test.Tap(d.saveBtn)
	g.settle(t)
	if d.status.Text != "Saved. Run rules to apply it." {
		t.Errorf("the status says %q", d.status.Text)
	}
	rules, err := c.Rules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.ID == "no-approval" && (r.Enabled || !strings.HasSuffix(r.Condition, "records > 100")) {
			t.Errorf("the case keeps %+v", r)
		}
	}
	if got := len(cv.sources.ov.rules); got != enabledBefore-1 {
		t.Errorf("the tree lists %d enabled rules, want %d", got, enabledBefore-1)
	}
}

func TestABatchSearchCountsEachTermAndRunsOneOnRequest(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	menuItem(t, g, "Batch search a list of terms…").Action()
	d := cv.batchDialog
	d.setTerms([]casefile.BatchTerm{{Term: "admin", Label: "the role"}, {Term: "actor:zhang"}, {Term: "(admin"}})
	test.Tap(d.runBtn)
	g.settle(t)
	if len(d.results) != 3 {
		t.Fatalf("%d results for 3 terms", len(d.results))
	}
	for i, q := range []string{"admin", "actor:zhang"} {
		n, err := c.Count(t.Context(), casefile.Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if d.results[i].Hits != n || d.results[i].Err != nil {
			t.Errorf("%s: %d hits (%v), the case counts %d", q, d.results[i].Hits, d.results[i].Err, n)
		}
	}
	if d.results[0].Label != "the role" || d.results[2].Err == nil {
		t.Errorf("results %+v", d.results)
	}
	assertShows(t, d.list, "✗")
	if !strings.Contains(d.status.Text, "1 could not be read") {
		t.Errorf("the status says %q", d.status.Text)
	}
	d.list.Select(1)
	g.settle(t)
	if cv.results.entry.Text != "actor:zhang" || cv.tabs.Selected() != cv.searchTab {
		t.Errorf("selecting a result searched %q", cv.results.entry.Text)
	}
}

func TestTagsCanBeCreatedRenamedMergedAndDeletedFromTheirDialog(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemSegment, N: 1}, "admin-quote", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	cv := openTestCase(t, g, c, dir)
	menuItem(t, g, "Manage tags…").Action()
	g.settle(t)
	d := cv.tagsDialog
	find := func(name string) int {
		for i, tg := range d.tags {
			if tg.Name == name {
				return i
			}
		}
		return -1
	}
	live := func() map[string]casefile.TagInfo {
		infos, err := c.Tags(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]casefile.TagInfo{}
		for _, tg := range infos {
			if !tg.Deleted && tg.MergedInto == "" {
				out[tg.Name] = tg
			}
		}
		return out
	}

	test.Tap(d.newBtn)
	d.entry.SetText("quotes")
	d.form.Submit()
	g.settle(t)
	if _, ok := live()["quotes"]; !ok || find("quotes") < 0 {
		t.Fatal("New tag… created nothing")
	}

	d.list.Select(find("admin-quote"))
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Rename…"))
	d.entry.SetText("role-quote")
	d.form.Submit()
	g.settle(t)
	if tags := live(); tags["role-quote"].Confirmed != 1 {
		t.Errorf("after the rename the tags are %v", tags)
	}

	d.list.Select(find("role-quote"))
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Merge into…"))
	d.into.SetSelected("quotes")
	d.form.Submit()
	g.settle(t)
	tags := live()
	if _, ok := tags["role-quote"]; ok || tags["quotes"].Confirmed != 1 {
		t.Errorf("after the merge the tags are %v", tags)
	}
	if got := nodeText(cv.sources, branchTags+facetSep+"quotes"); got != "quotes | 1 exhibit" {
		t.Errorf("the tree reads %q", got)
	}

	d.list.Select(find("quotes"))
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Delete…"))
	d.confirm.Confirm()
	g.settle(t)
	if _, ok := live()["quotes"]; ok || find("quotes") >= 0 {
		t.Error("Delete… left the tag")
	}
}

func TestASourceWithRejectedRowsOffersToListThemAndHelpListsTheFormats(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	src := sourceNamed(t, c, "access.csv")
	cv.sources.selectSource(sourceUID(src))
	g.settle(t)
	test.Tap(buttonLabelled(t, cv.details.content, "Show the 1 rejected row…"))
	g.settle(t)
	top := g.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no rejected rows shown")
	}
	assertShows(t, top, "Rejected rows of "+sourceUID(src)+" (1)")
	assertShows(t, top, "yesterday,E102,Ana Ruiz,Madrid,ES,user_db,PII,EU,7,")
	closeTop(g)

	// A transcript without rejects offers nothing.
	cv.sources.selectSource(sourceUID(sourceNamed(t, c, "meeting.txt")))
	g.settle(t)
	if cv.details.actions.Visible() {
		t.Error("a source without rejected rows offers actions")
	}

	menuItem(t, g, "Formats Casebook reads…").Action()
	top = g.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Help shows no formats")
	}
	assertShows(t, top, "Formats")
	help := formatsHelp()
	for _, f := range casefile.Formats() {
		if !strings.Contains(help, "**"+f.Title+"**") {
			t.Errorf("the formats help does not list %s:\n%s", f.Title, help)
		}
	}
}

func TestUntagTakesATagOffTheSelectedItem(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	seg := model.ItemID{Kind: model.ItemSegment, N: 1}
	if _, err := c.Tag(t.Context(), seg, "key-quote", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	cv := openTestCase(t, g, c, dir)
	searchFor(t, g, cv, `"master admin"`)
	if len(cv.results.hits) == 0 || cv.results.hits[0].ID != seg.String() {
		t.Fatalf("the search finds %+v, want %s", cv.results.hits, seg)
	}
	cv.results.list.Select(0)
	g.settle(t)
	if cv.details.untagBtn.Disabled() || !cv.details.untagRow.Visible() {
		t.Fatal("Untag… is not offered on a tagged item")
	}
	capture(t, g.win, "untag")
	test.Tap(cv.details.untagBtn)
	if cv.untagDialog == nil {
		t.Fatal("Untag… opened no dialog")
	}
	cv.untagDialog.Submit()
	g.settle(t)
	ex, err := c.Evidence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 0 {
		t.Errorf("after Untag the case keeps %+v", ex)
	}
	if cv.details.untagRow.Visible() || cv.details.tags.Text != "None yet." {
		t.Errorf("after Untag the details show tags %q", cv.details.tags.Text)
	}
}
