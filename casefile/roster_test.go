package casefile_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

// The Lumora fixtures are fictional logs in the shapes of real exports
// (CloudTrail, Okta, Entra ID, GCP audit, Google Workspace, sshd);
// testdata/context holds a roster, a data map and IP ranges written for
// them. The expected suggestions below were worked out by hand from the
// files, event by event, in the comments beside each.
var lumoraLogs = []string{
	"../importer/testdata/logfixtures/lumora_cloudtrail_records.json",
	"../importer/testdata/logfixtures/lumora_okta_systemlog.json",
	"../importer/testdata/logfixtures/lumora_azure_signins.json",
	"../importer/testdata/logfixtures/lumora_gcp_audit.json",
	"../importer/testdata/logfixtures/lumora_workspace_activities.json",
	"../importer/testdata/logfixtures/lumora_auth.log",
}

// suggested returns the rule's suggestions as "actor|action" of their
// events, with the explanations by the same key.
func suggested(t *testing.T, c *casefile.Case, rule string) ([]string, map[string]string) {
	t.Helper()
	sg, err := c.Suggestions(t.Context(), rule, "")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	expl := map[string]string{}
	for _, s := range sg {
		if s.Item.Kind != model.ItemEvent {
			t.Fatalf("%s suggested %s, not an event", rule, s.Item)
		}
		e, err := c.Event(t.Context(), s.Item.N)
		if err != nil {
			t.Fatal(err)
		}
		k := e.ActorName + "|" + e.Action
		keys = append(keys, k)
		expl[k] = s.Explanation
	}
	slices.Sort(keys)
	return keys, expl
}

func coverageOf(t *testing.T, res []casefile.RuleResult, rule string) casefile.Coverage {
	t.Helper()
	for _, r := range res {
		if r.Rule == rule {
			return r.Coverage
		}
	}
	t.Fatalf("rule %s did not run", rule)
	return casefile.Coverage{}
}

func TestRulesOnRealLogShapesSayWhatTheyCouldNotJudgeWithoutRosterOrMap(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, lumoraLogs...)
	res, err := c.RunRules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	_, evts := countItems(t, c)
	fa := coverageOf(t, res, "foreign-access")
	if fa.Items != evts || fa.Evaluable != 0 || !strings.Contains(fa.Reason, "none has a data category") ||
		!strings.Contains(fa.Reason, "casebook datamap") {
		t.Errorf("foreign-access coverage = %+v, want %d events, 0 evaluable, no data category: load a data map", fa, evts)
	}
	if nr := coverageOf(t, res, "not-on-roster"); nr.Evaluable != 0 || !strings.Contains(nr.Reason, "no roster") {
		t.Errorf("not-on-roster coverage = %+v, want no roster loaded", nr)
	}
	if sg, _ := suggested(t, c, "not-on-roster"); len(sg) != 0 {
		t.Errorf("not-on-roster suggested %v with no roster loaded", sg)
	}
	// Sign-ins carry their own country in Okta and Entra ID: those two
	// from abroad (SG, IN) are found without any table.
	if sg, _ := suggested(t, c, "foreign-signin"); !slices.Equal(sg, []string{
		"aiko.tanaka@lumora.example|user.session.start", "priya.raman@lumora.example|sign-in"}) {
		t.Errorf("foreign-signin = %v", sg)
	}
	// The sshd lines, the Workspace records and two CloudTrail calls carry
	// no country and no IP table is loaded: foreign-signin says so, and
	// which table would help.
	if fs := coverageOf(t, res, "foreign-signin"); fs.Evaluable == 0 || fs.Evaluable >= fs.Items ||
		!strings.Contains(fs.String(), "casebook ipranges") {
		t.Errorf("foreign-signin coverage = %+v (%s)", fs, fs)
	}
}

func countItems(t *testing.T, c *casefile.Case) (segs, evts int64) {
	t.Helper()
	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if s.Kind == model.KindTranscript {
			segs += s.Records
		} else {
			evts += s.Records
		}
	}
	return segs, evts
}

func TestRosterAndDataMapTurnRealLogShapesIntoEvidence(t *testing.T) {
	ctx := t.Context()
	c, _ := newCase(t)
	if _, err := c.ImportIPRanges(ctx, "testdata/context/lumora_ipranges.csv"); err != nil {
		t.Fatal(err)
	}
	importOK(t, c, casefile.ImportOptions{}, lumoraLogs...)
	// The map first: the roster then re-matches events that already carry
	// mapped categories, and both survive each other's reloads.
	dm, err := c.ImportDataMap(ctx, "testdata/context/lumora_datamap.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Mapped: the S3 object (phone), the DynamoDB table (messages), the
	// BigQuery us_users table (email), the media bucket, the KMS Decrypt,
	// the Workspace download of "US creators 2024-03" (contacts).
	if dm.Entries != 6 || dm.Matched != 6 {
		t.Errorf("data map: %+v, want 6 entries matching 6 events", dm)
	}
	ro, err := c.ImportRoster(ctx, "testdata/context/lumora_roster.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Not matched: s3.amazonaws.com, the ETL service account, sshd's
	// "admin" and "oracle"; every other event is one of the five people.
	_, evts := countItems(t, c)
	if ro.Entries != 5 || ro.Matched != evts-4 {
		t.Errorf("roster: %+v, want 5 people matching %d events", ro, evts-4)
	}
	res, err := c.RunRules(ctx)
	if err != nil {
		t.Fatal(err)
	}

	want := map[string][]string{
		// Mia's GetObject came from 203.0.113.10 (CN by the IP table) on
		// the US phone bucket; Daniel (roster: Manila, PH; the log gives no
		// country) scanned the US messages table.
		"foreign-access": {"arn:aws:iam::111122223333:user/mia.chen|GetObject",
			"arn:aws:sts::111122223333:assumed-role/DataExport/daniel.okafor|Scan"},
		// Tomas read us_users from 198.51.100.77, a US address by the IP
		// table, though the roster bases him in Mexico City.
		"roster-abroad": {"tomas.reyes@lumora.example|jobservice.jobcompleted"},
		"not-on-roster": {"admin|sshd failed password", "etl-vendor@lumora-prod.iam.gserviceaccount.com|storage.objects.get",
			"oracle|sshd invalid user", "s3.amazonaws.com|Decrypt"},
		// Aiko's Okta session from 203.0.113.55 (CN by IP, though Okta
		// says SG) and Priya's Entra ID sign-in from India.
		"foreign-signin": {"aiko.tanaka@lumora.example|user.session.start", "priya.raman@lumora.example|sign-in"},
		// Daniel: Okta says PH at 03:20:01 and Workspace sees his password
		// change from 198.51.100.91 (IN) in the same second.
		"impossible-travel": {"daniel.okafor@lumora.example|CHANGE_PASSWORD, CHANGE_PASSWORD_ON_NEXT_LOGIN"},
		// Mia: CN first, then US (Okta); Daniel: PH, then IN; Tomas: US
		// (GCP, 03-07), then CN (his failed sign-in from 203.0.113.200).
		"first-seen-country": {"daniel.okafor@lumora.example|CHANGE_PASSWORD, CHANGE_PASSWORD_ON_NEXT_LOGIN",
			"mia.chen@lumora.example|user.session.start", "tomas.reyes@lumora.example|sign-in failed"},
	}
	for rule, w := range want {
		slices.Sort(w)
		got, expl := suggested(t, c, rule)
		if !slices.Equal(got, w) {
			t.Errorf("%s suggested\n  %v\nwant\n  %v", rule, got, w)
		}
		for k, x := range expl {
			if x == "" {
				t.Errorf("%s: %s has no explanation", rule, k)
			}
		}
	}
	// The explanations name the roster entry and the map entry.
	_, expl := suggested(t, c, "roster-abroad")
	if x := expl["tomas.reyes@lumora.example|jobservice.jobcompleted"]; !strings.Contains(x, "roster row 4: Tomas Reyes (Mexico City, MX") ||
		!strings.Contains(x, "data map row 3: resource, re:projects/[^/]+/datasets/us_users/.*, email, US") {
		t.Errorf("roster-abroad explanation %q names neither the roster row nor the map row", x)
	}
	_, expl = suggested(t, c, "foreign-access")
	if x := expl["arn:aws:sts::111122223333:assumed-role/DataExport/daniel.okafor|Scan"]; !strings.Contains(x, "PH") ||
		!strings.Contains(x, "roster row 2: Daniel Okafor") || !strings.Contains(x, "data map row 2") {
		t.Errorf("foreign-access explanation %q: want the roster's PH and both entries named", x)
	}
	// Mia's GetObject has its country from the IP, its category from the
	// map: evaluable events of foreign-access are those with a country,
	// a category and a region — GetObject, Scan, jobcompleted, download.
	if fa := coverageOf(t, res, "foreign-access"); fa.Evaluable != 4 {
		t.Errorf("foreign-access coverage %+v, want 4 evaluable", fa)
	}
	// Running again adds nothing.
	again, err := c.RunRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if r.Added != 0 {
			t.Errorf("second run of %s added %d", r.Rule, r.Added)
		}
	}
	// The person behind an ARN is searchable by name.
	hits, err := c.Search(ctx, casefile.Query{Text: `"Daniel Okafor"`, Filters: casefile.Filters{Kind: "event"}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range hits.Hits {
		if e, err := c.Event(ctx, mustN(t, h.ID)); err == nil && strings.Contains(e.ActorName, "assumed-role/DataExport/daniel.okafor") {
			found = true
		}
	}
	if !found {
		t.Errorf("searching the roster name did not find the ARN's event (%d hits)", len(hits.Hits))
	}
	// Records are untouched: verify still passes, the seal does not cover
	// the context.
	if rep, err := c.Verify(ctx, nil); err != nil || !rep.OK {
		t.Errorf("verify after roster and map: %v %+v", err, rep)
	}
}

func mustN(t *testing.T, id string) int64 {
	t.Helper()
	x, err := model.ParseItemID(id)
	if err != nil {
		t.Fatal(err)
	}
	return x.N
}

func TestRosterAndDataMapRefuseBadRowsNamingFileAndRow(t *testing.T) {
	ctx := t.Context()
	c, _ := newCase(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.csv", "name,email,country\nAna Ruiz,ana@lumora.example,ES\n")
	if _, err := c.ImportRoster(ctx, good, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, body, want string }{
		{"country.csv", "name,email,country\nBo Lind,bo@lumora.example,Atlantis\n", "country.csv:2: row 1: country \"Atlantis\""},
		{"noheader.csv", "Bo Lind,bo@lumora.example\n", "noheader.csv:1: no roster header"},
		{"empty.csv", "name,email\n,\n", "has a header but no people"},
	} {
		_, err := c.ImportRoster(ctx, write(tc.file, tc.body), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", tc.file, err, tc.want)
		}
	}
	for _, tc := range []struct{ file, body, want string }{
		{"field.csv", "field,pattern,category,region\nbucket,x*,phone,US\n", "field.csv:2: field \"bucket\""},
		{"regex.csv", "resource,re:(,phone,US\n", "regex.csv:1: pattern \"re:(\""},
		{"region.csv", "resource,x*,phone,Mars\n", "region.csv:1: region \"Mars\""},
	} {
		_, err := c.ImportDataMap(ctx, write(tc.file, tc.body), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.file, err, tc.want)
		}
	}
	// Nothing half-written: the good roster stands.
	people, err := c.Roster(ctx)
	if err != nil || len(people) != 1 || people[0].Name != "Ana Ruiz" {
		t.Errorf("roster after refusals = %+v, %v", people, err)
	}
}
