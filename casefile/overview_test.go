package casefile_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"casebook/assets/demo"
	"casebook/casefile"
	"casebook/model"
)

// TestTheOverviewOfTheDemoCaseAgreesWithItsFiles checks every figure of the
// overview against the demo's files and manifest, read here without the
// importer: the access log's rows by office_country and its first and last
// timestamp, the transcripts and their dates, the statements.
func TestTheOverviewOfTheDemoCaseAgreesWithItsFiles(t *testing.T) {
	c := demoCase(t)
	m := casefile.DemoManifest()
	files, err := demo.Files()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(files[m.AccessLog.Name])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	col := func(name string) int {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("no column %s in %v", name, head)
		}
		return i
	}
	cc, tc := col("office_country"), col("timestamp")
	byCountry := map[string]int64{}
	var first, last time.Time
	for _, r := range rows[1:] {
		byCountry[r[cc]]++
		at, err := time.Parse(time.RFC3339, r[tc])
		if err != nil {
			t.Fatalf("row %v: %v", r, err)
		}
		if first.IsZero() || at.Before(first) {
			first = at
		}
		if at.After(last) {
			last = at
		}
	}
	dates := make([]string, 0, len(m.Transcripts))
	var segments int64
	for _, tr := range m.Transcripts {
		dates = append(dates, tr.Date)
		segments += int64(tr.Segments)
	}
	slices.Sort(dates)

	start := time.Now()
	o, err := c.Overview(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the overview of the demo case (%d events) took %v", o.Events, time.Since(start))

	if o.Title != m.Title || o.Investigator != m.Investigator {
		t.Errorf("title %q by %q, want %q by %q", o.Title, o.Investigator, m.Title, m.Investigator)
	}
	if o.Transcripts != len(m.Transcripts) || o.AccessLogs != 1 || o.Meetings != len(m.Transcripts) {
		t.Errorf("%d transcripts, %d access logs, %d meetings; want %d, 1, %d", o.Transcripts, o.AccessLogs, o.Meetings,
			len(m.Transcripts), len(m.Transcripts))
	}
	if o.Segments != segments || o.Events != int64(len(rows)-1) {
		t.Errorf("%d segments and %d events, want %d and %d", o.Segments, o.Events, segments, len(rows)-1)
	}
	if o.MeetingsFrom != dates[0] || o.MeetingsTo != dates[len(dates)-1] {
		t.Errorf("meetings from %s to %s, want %s to %s", o.MeetingsFrom, o.MeetingsTo, dates[0], dates[len(dates)-1])
	}
	if !o.EventsFrom.Equal(first) || !o.EventsTo.Equal(last) {
		t.Errorf("events from %v to %v, want %v to %v", o.EventsFrom, o.EventsTo, first, last)
	}
	if len(o.Countries) != len(byCountry) {
		t.Errorf("%d countries, want %d: %v", len(o.Countries), len(byCountry), o.Countries)
	}
	for i, cn := range o.Countries {
		if cn.Events != byCountry[cn.Country] {
			t.Errorf("%q: %d events, the file has %d rows", cn.Country, cn.Events, byCountry[cn.Country])
		}
		if i > 0 && cn.Events > o.Countries[i-1].Events {
			t.Errorf("%s (%d) listed after %s (%d)", cn.Country, cn.Events, o.Countries[i-1].Country, o.Countries[i-1].Events)
		}
	}

	// The shared case had its rules run once, after the import: none waits,
	// and every suggestion they added is open.
	if len(o.Rules) != 0 {
		t.Errorf("rules waiting on a case whose rules ran after its import: %+v", o.Rules)
	}
	var added int64
	for _, r := range demoRuns {
		added += int64(r.Added)
	}
	if o.OpenSuggestions != added || added == 0 {
		t.Errorf("%d open suggestions, the rules added %d", o.OpenSuggestions, added)
	}
	if o.Statements != int64(len(m.Statements)) || len(o.Unsupported) != len(m.Statements) {
		t.Errorf("%d statements, %d without evidence; the demo records %d, none linked", o.Statements, len(o.Unsupported),
			len(m.Statements))
	}
	// The sources' own rows say which have rejects or warnings (the demo's
	// should have none; TestTheOverviewSaysWhatWaits makes some).
	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var troubled, listed []string
	for _, s := range srcs {
		if s.Rejects > 0 || len(s.Warnings) > 0 {
			troubled = append(troubled, s.Name)
		}
	}
	for _, s := range o.Troubled {
		listed = append(listed, s.Name)
	}
	if !slices.Equal(listed, troubled) {
		t.Errorf("sources with rejects or warnings: %v, want %v", listed, troubled)
	}
}

// TestTheOverviewSaysWhatWaits follows a small case through what the
// overview lists as waiting: rules never run, then run, then run before an
// import; a statement without evidence until one is linked; a log with a
// rejected row.
func TestTheOverviewSaysWhatWaits(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture)
	rules, err := c.Rules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var enabled []string
	for _, r := range rules {
		if r.Enabled {
			enabled = append(enabled, r.ID)
		}
	}
	o, err := c.Overview(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if o.RulesEnabled != len(enabled) || len(o.Rules) != len(enabled) {
		t.Fatalf("%d of %d enabled rules wait, want all %d", len(o.Rules), o.RulesEnabled, len(enabled))
	}
	for _, w := range o.Rules {
		if w.Why != casefile.RuleNeverRun || !w.LastRun.IsZero() {
			t.Errorf("rule %s: %q (last run %v), want never run", w.ID, w.Why, w.LastRun)
		}
	}

	if _, err := c.RunRules(t.Context()); err != nil {
		t.Fatal(err)
	}
	if o, err = c.Overview(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(o.Rules) != 0 {
		t.Errorf("after running the rules, %d still wait: %+v", len(o.Rules), o.Rules)
	}

	// A log with a row that cannot be read: imported after the rules ran.
	log := filepath.Join(t.TempDir(), "late.csv")
	body := "timestamp,employee_id,employee_name,office,office_country,resource,data_category,subject_region,record_count,approval_id\n" +
		"2022-03-01T09:15:00Z,E100,Wei Zhang,Beijing,CN,user_db,phone,US,1200,\n" +
		"not a time,E102,Ana Ruiz,Madrid,ES,user_db,phone,EU,7,\n"
	if err := os.WriteFile(log, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	importOK(t, c, casefile.ImportOptions{}, log)
	if o, err = c.Overview(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(o.Rules) != len(enabled) {
		t.Errorf("after an import, %d of %d rules wait", len(o.Rules), len(enabled))
	}
	for _, w := range o.Rules {
		if w.Why != casefile.RuleBeforeImport || w.LastRun.IsZero() || w.LastRun.After(o.LastImport) {
			t.Errorf("rule %s: %q, last run %v, last import %v", w.ID, w.Why, w.LastRun, o.LastImport)
		}
	}
	if len(o.Troubled) != 1 || o.Troubled[0].Name != "late.csv" || o.Troubled[0].Rejects != 1 {
		t.Errorf("sources with rejects or warnings: %+v, want late.csv with 1 reject", o.Troubled)
	}
	if len(o.Countries) != 1 || o.Countries[0] != (casefile.CountryCount{Country: "CN", Events: 1}) {
		t.Errorf("events by country %+v, want CN 1", o.Countries)
	}

	// Running one rule leaves the others waiting.
	if _, err := c.RunRules(t.Context(), enabled[0]); err != nil {
		t.Fatal(err)
	}
	if o, err = c.Overview(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(o.Rules) != len(enabled)-1 || slices.ContainsFunc(o.Rules, func(w casefile.RuleWaiting) bool { return w.ID == enabled[0] }) {
		t.Errorf("after running %s alone, waiting: %+v", enabled[0], o.Rules)
	}

	st, err := c.AddStatement(t.Context(), "Lumora spokesperson", "2022-05-01", "No US user data is viewed from abroad.", "press release")
	if err != nil {
		t.Fatal(err)
	}
	if o, err = c.Overview(t.Context()); err != nil {
		t.Fatal(err)
	}
	if o.Statements != 1 || len(o.Unsupported) != 1 || o.Unsupported[0].ID != st.ID {
		t.Fatalf("%d statements, without evidence %+v; want statement %d", o.Statements, o.Unsupported, st.ID)
	}
	if _, err := c.LinkStatement(t.Context(), st.ID, model.ItemID{Kind: model.ItemEvent, N: 1}, "contradicts", ""); err != nil {
		t.Fatal(err)
	}
	if o, err = c.Overview(t.Context()); err != nil {
		t.Fatal(err)
	}
	if o.Statements != 1 || len(o.Unsupported) != 0 {
		t.Errorf("after linking evidence, %d of %d statements have none", len(o.Unsupported), o.Statements)
	}
}
