package casefile_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"casebook/casefile"
	"casebook/model"
)

// oddLog is an access log whose headers no format recognises.
const oddLog = "when_utc;emp;loc_cc;tbl;n_rows\n" +
	"2022-01-01T00:00:00Z;Wei Zhang;CN;us_users.phone;1204\n" +
	"2022-01-02T09:30:00Z;Li Na;CN;us_users.device_id;50000\n" +
	"2022-01-02T10:00:00Z;Mia Chen;US;us_users.profile;12\n"

func TestPreviewLogShowsTheColumnsAndFirstRowsAndSaysWhichRolesAreUnsure(t *testing.T) {
	c, _ := newCase(t)
	odd := writeFile(t, "vendor.csv", oddLog)

	pv, err := c.PreviewLog(t.Context(), odd, casefile.ImportOptions{}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if !pv.Tabular || !pv.NeedsMapping() {
		t.Fatalf("the odd log is tabular %v, needs mapping %v; want both", pv.Tabular, pv.NeedsMapping())
	}
	if got := strings.Join(pv.Header, ","); got != "when_utc,emp,loc_cc,tbl,n_rows" {
		t.Errorf("header %q", got)
	}
	if len(pv.Rows) != 3 || pv.Rows[1][1] != "Li Na" {
		t.Errorf("rows %q, want the three data rows", pv.Rows)
	}
	if !slices.Contains(pv.Unsure, "actor") {
		t.Errorf("unsure roles %v, want actor among them", pv.Unsure)
	}

	// With the columns mapped by hand it is sure, and the import follows the mapping.
	m := map[string]string{"time": "when_utc", "actor": "emp", "country": "loc_cc", "resource": "tbl", "approval": "n_rows", "records": "n_rows"}
	delete(m, "approval")
	pv, err = c.PreviewLog(t.Context(), odd, casefile.ImportOptions{Map: m}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if p := pv.Placed["actor"]; p.Header != "emp" || p.By != "map" {
		t.Errorf("actor placed at %+v, want emp by map", p)
	}

	if err := c.SaveMappingProfile(t.Context(), "vendor-y", m, ""); err != nil {
		t.Fatal(err)
	}
	profiles, err := c.MappingProfiles(t.Context())
	if err != nil || len(profiles) != 1 || profiles[0].Name != "vendor-y" || profiles[0].Mapping["actor"] != "emp" {
		t.Fatalf("profiles %+v, %v; want vendor-y", profiles, err)
	}
	pv, err = c.PreviewLog(t.Context(), odd, casefile.ImportOptions{Profile: "vendor-y"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if pv.Placed["country"].Header != "loc_cc" || len(pv.Rows) != 1 {
		t.Errorf("the profile placed country at %+v with %d rows", pv.Placed["country"], len(pv.Rows))
	}
	importOK(t, c, casefile.ImportOptions{Kind: model.KindAccessLog, Profile: "vendor-y"}, odd)
	hits := eventsOf(t, c, "actor:zhang")
	if len(hits) != 1 || hits[0].Country != "CN" {
		t.Errorf("the mapped import finds %+v for actor:zhang", hits)
	}
}

func TestPreviewLogOfAKnownLogOrATranscriptAsksForNoMapping(t *testing.T) {
	c, _ := newCase(t)
	pv, err := c.PreviewLog(t.Context(), accessFixture, casefile.ImportOptions{}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if !pv.Tabular || pv.NeedsMapping() || pv.Format != "csv-accesslog" || len(pv.Rows) == 0 {
		t.Errorf("the fixture log: tabular %v, needs mapping %v (unsure %v), format %s, %d rows",
			pv.Tabular, pv.NeedsMapping(), pv.Unsure, pv.Format, len(pv.Rows))
	}
	pv, err = c.PreviewLog(t.Context(), transcriptFixture, casefile.ImportOptions{}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if pv.NeedsMapping() || pv.Kind != string(model.KindTranscript) {
		t.Errorf("the transcript: kind %q, needs mapping %v", pv.Kind, pv.NeedsMapping())
	}
	json := writeFile(t, "okta.jsonl", `{"published":"2022-01-01T00:00:00Z","actor":{"alternateId":"wei@lumora.example"},"client":{"ipAddress":"203.0.113.14"}}`+"\n")
	pv, err = c.PreviewLog(t.Context(), json, casefile.ImportOptions{}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if !pv.Tabular || !slices.Contains(pv.Header, "actor.alternateId") || len(pv.Rows) != 1 {
		t.Errorf("JSON lines preview: tabular %v header %v rows %v", pv.Tabular, pv.Header, pv.Rows)
	}
}

func TestImportFilesWalksFoldersAsImportDoes(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.csv", "a.txt", ".hidden.txt", "sub/c.vtt"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	files, err := casefile.ImportFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		names = append(names, filepath.ToSlash(rel))
	}
	if strings.Join(names, ",") != "a.txt,b.csv,sub/c.vtt" {
		t.Errorf("files %v", names)
	}
	if _, err := casefile.ImportFiles([]string{filepath.Join(dir, "missing.csv")}); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("a missing file gave %v", err)
	}
}

func TestTheReviewQueueCarriesEachSuggestionsActorAndDay(t *testing.T) {
	c := evidenceCase(t)
	if _, err := c.RunRules(t.Context()); err != nil {
		t.Fatal(err)
	}
	q, err := c.ReviewQueue(t.Context(), "suggested")
	if err != nil {
		t.Fatal(err)
	}
	open, err := c.Suggestions(t.Context(), "", "suggested")
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != len(open) || len(q) == 0 {
		t.Fatalf("queue %d, open suggestions %d", len(q), len(open))
	}
	var sawEvent bool
	for _, it := range q {
		if it.Item.Kind != model.ItemEvent {
			continue
		}
		sawEvent = true
		e, err := c.Event(t.Context(), it.Item.N)
		if err != nil {
			t.Fatal(err)
		}
		if it.Actor != e.ActorName || it.Day != e.Time.UTC().Format("2006-01-02") {
			t.Errorf("%s: actor %q day %q, want %q %s", it.Item, it.Actor, it.Day, e.ActorName, e.Time.Format("2006-01-02"))
		}
	}
	if !sawEvent {
		t.Error("no event suggestions in the fixture")
	}
	counts, err := c.OpenSuggestionCounts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != len(open) {
		t.Errorf("counts %v sum to %d, want %d", counts, total, len(open))
	}
}

func TestAStatementCanBeEditedAndALinkRemovedWithTheHistoryKept(t *testing.T) {
	c := evidenceCase(t)
	st, err := c.AddStatement(t.Context(), "Spokesperson", "2022-03-01", "No data left the country.", "")
	if err != nil {
		t.Fatal(err)
	}
	l, err := c.LinkStatement(t.Context(), st.ID, model.ItemID{Kind: model.ItemEvent, N: 1}, "contradicts", "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.UpdateStatement(t.Context(), st.ID, "Chief spokesperson", "2022-03-02", "No US data left the country.", "Hearing")
	if err != nil {
		t.Fatal(err)
	}
	if got.Who != "Chief spokesperson" || got.When != "2022-03-02" || got.Where != "Hearing" || len(got.Links) != 1 {
		t.Errorf("updated statement %+v", got)
	}
	if _, err := c.UpdateStatement(t.Context(), st.ID, "", "", "words", ""); err == nil {
		t.Error("a statement without who was accepted")
	}
	if _, err := c.UpdateStatement(t.Context(), st.ID, "x", "March", "words", ""); err == nil {
		t.Error("a date that is not YYYY-MM-DD was accepted")
	}
	if err := c.UnlinkStatement(t.Context(), l.ID); err != nil {
		t.Fatal(err)
	}
	all, err := c.Statements(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(all[0].Links) != 0 {
		t.Errorf("the removed link is still listed: %+v", all[0].Links)
	}
	acts := auditActions(t, c)
	if !slices.Contains(acts, "statement-edit") || !slices.Contains(acts, "unlink") {
		t.Errorf("audit actions %v lack statement-edit and unlink", acts)
	}
}

func TestSettingsTheInvestigatorAndTheAccessLogTableSortedByAColumn(t *testing.T) {
	c := evidenceCase(t)
	if err := c.SetInvestigator(t.Context(), "Ines Investigator"); err != nil {
		t.Fatal(err)
	}
	if got := c.Investigator(t.Context()); got != "Ines Investigator" {
		t.Errorf("investigator %q", got)
	}
	if err := c.SetInvestigator(t.Context(), " "); err == nil {
		t.Error("an empty name was accepted")
	}
	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var log model.Source
	for _, s := range srcs {
		if s.Kind == model.KindAccessLog {
			log = s
		}
	}
	evs, err := c.AccessLogEvents(t.Context(), log.ID, "records", true, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(evs)) != log.Records {
		t.Fatalf("%d events, the source has %d", len(evs), log.Records)
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].RecordCount > evs[i-1].RecordCount {
			t.Fatalf("records not descending at %d: %d after %d", i, evs[i].RecordCount, evs[i-1].RecordCount)
		}
	}
	page, err := c.AccessLogEvents(t.Context(), log.ID, "", false, 2, 2)
	if err != nil || len(page) != 2 || page[0].Row != 3 {
		t.Errorf("page 2 of the file order: %+v, %v", page, err)
	}
	if _, err := c.AccessLogEvents(t.Context(), log.ID, "raw; DROP TABLE events", false, 0, 1); err == nil {
		t.Error("an unknown sort column was accepted")
	}
	n, err := c.IPRangeCount(t.Context())
	if err != nil || n != 0 {
		t.Errorf("IP ranges %d, %v", n, err)
	}
}

func TestTheReportPreviewListsTheSectionsAndExhibitsTheReportWillHold(t *testing.T) {
	c := evidenceCase(t)
	if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemEvent, N: 1}, "foreign-access", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := c.AddStatement(t.Context(), "Spokesperson", "2022-03-01", "No data left the country.", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LinkStatement(t.Context(), st.ID, model.ItemID{Kind: model.ItemEvent, N: 1}, "contradicts", ""); err != nil {
		t.Fatal(err)
	}
	out, err := c.ReportPreview(t.Context(), casefile.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Sections) != 2 || out.Statement != 1 || !strings.HasPrefix(out.Sections[1].Title, "Tag: foreign-access") {
		t.Fatalf("sections %+v", out.Sections)
	}
	if !strings.HasPrefix(out.Sections[0].Exhibits[0], "EX-0001 (contradicts) event") {
		t.Errorf("the statement's exhibit reads %q", out.Sections[0].Exhibits[0])
	}
	if out.Sources != 2 || out.Exhibits != 2 || len(out.ByTag) != 1 {
		t.Errorf("outline %+v", out)
	}
	none, err := c.ReportPreview(t.Context(), casefile.ReportOptions{Tags: []string{"key-quote"}, Statements: []int64{-1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(none.Sections) != 0 {
		t.Errorf("with no matching tags or statements the outline has %+v", none.Sections)
	}
}

// bigLog is an access log of n rows, in the fixture's format.
func bigLog(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("timestamp,employee_id,employee_name,office,office_country,resource,data_category,subject_region,record_count,approval_id\n")
	for i := range n {
		fmt.Fprintf(&b, "2022-01-%02dT%02d:%02d:%02dZ,E%d,Person %d,Beijing,CN,us_users.phone,phone,US,%d,\n",
			1+i%28, i%24, i%60, (i/60)%60, 1000+i%50, i%50, 1+i%900)
	}
	return writeFile(t, "big.csv", b.String())
}

// TestCatchingUpInBatchesLetsSearchesRunBetweenBatches imports a log of
// 9,000 rows without indexing it, then catches up in batches: each report
// comes while the case is not held (a search run from it returns, seeing
// the items indexed so far), the counts only grow, and at the end every
// row is searchable.
func TestCatchingUpInBatchesLetsSearchesRunBetweenBatches(t *testing.T) {
	c, dir := newCase(t)
	const rows = 9000
	res := importOK(t, c, casefile.ImportOptions{DeferIndex: true}, bigLog(t, rows))
	if res[0].Records != rows {
		t.Fatalf("imported %d records, want %d", res[0].Records, rows)
	}
	if n := searchTotal(t, c); n != 0 {
		t.Fatalf("the index holds %d items before the catch-up", n)
	}
	evs, err := c.AccessLogEvents(t.Context(), 1, "records", true, 0, 10)
	if err != nil || len(evs) != 10 {
		t.Fatalf("the access-log table is not usable before the catch-up: %d rows, %v", len(evs), err)
	}
	var reports []casefile.Progress
	var seen []uint64
	err = c.CatchUp(t.Context(), func(p casefile.Progress) {
		reports = append(reports, p)
		seen = append(seen, searchTotal(t, c)) // would deadlock if the case were held
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) < 2 {
		t.Fatalf("%d reports, want one a batch (several for %d rows)", len(reports), rows)
	}
	for i, p := range reports {
		if p.Stage != "index" || p.Total != rows || p.Done > p.Total || (i > 0 && p.Done <= reports[i-1].Done) {
			t.Errorf("report %d: %+v", i, p)
		}
		if seen[i] != uint64(p.Done) {
			t.Errorf("after report %d (%d done) a search finds %d items", i, p.Done, seen[i])
		}
	}
	if last := reports[len(reports)-1]; last.Done != rows {
		t.Errorf("the last report says %d of %d", last.Done, last.Total)
	}
	if n := searchTotal(t, c); n != rows {
		t.Errorf("after the catch-up the index holds %d items, want %d", n, rows)
	}
	if p := verifyProblems(t, c); len(p) != 0 {
		t.Errorf("verify after the catch-up: %v", p)
	}

	// Cancelled before it starts, it stops at once; the next open catches up.
	res = importOK(t, c, casefile.ImportOptions{DeferIndex: true}, transcriptFixture)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := c.CatchUp(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled catch-up: %v", err)
	}
	c = reopen(t, c, dir)
	if n := searchTotal(t, c); n != uint64(rows+res[0].Records) {
		t.Errorf("after reopening the index holds %d items, want %d", n, rows+res[0].Records)
	}
}

func TestPackProtectionTellsWhatUnpackWillNeed(t *testing.T) {
	defer casefile.SetScryptWorkFactorForTest(10)()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opts casefile.PackOptions
		want string
	}{
		{"plain", casefile.PackOptions{}, casefile.PackPlain},
		{"passphrase", casefile.PackOptions{Passphrase: "correct horse"}, casefile.PackPassphrase},
		{"keys", casefile.PackOptions{Recipients: []string{id.Recipient().String()}}, casefile.PackKeys},
	} {
		_, pack, _ := packedCase(t, tc.opts)
		got, err := casefile.PackProtection(pack)
		if err != nil || got != tc.want {
			t.Errorf("%s pack: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if _, err := casefile.PackProtection(filepath.Join(t.TempDir(), "missing.zip")); err == nil {
		t.Error("a missing pack file gave no error")
	}
	broken := writeFile(t, "broken.zip", "age-encryption.org/v1\nnot a header")
	if _, err := casefile.PackProtection(broken); err == nil || !strings.Contains(err.Error(), "damaged or was altered") {
		t.Errorf("a broken age header: %v", err)
	}
}
