package casefile_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casebook/casefile"
)

const m365Dir = "../importer/testdata/m365/"

// An IP written only inside AuditData is found by ip: search, through the
// real index, in each shape the export comes in; so is a value nested deep
// in AuditData and one written past the first 4 KiB of the record.
func TestM365ExportsSearchableInsideAuditData(t *testing.T) {
	c, _ := newCase(t)
	long := filepath.Join(t.TempDir(), "lumora_long_auditdata.csv")
	pad := strings.Repeat("x", 5000)
	csv := "RecordId,CreationDate,RecordType,Operation,UserId,AuditData\r\n" +
		`r1,2025-05-16T09:00:00.0000000Z,6,FileAccessed,noor.lindqvist@lumora.example,"{""CreationTime"":""2025-05-16T09:00:00"",""ClientIP"":""203.0.113.200"",""Padding"":""` + pad +
		`"",""Forwarded"":{""For"":""192.0.2.250""},""Marker"":""lumorazebra""}"` + "\r\n"
	if err := os.WriteFile(long, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	res := importOK(t, c, casefile.ImportOptions{}, m365Dir+"lumora_purview_export.csv", m365Dir+"lumora_ual_powershell.csv",
		m365Dir+"lumora_ual_convertto.json", m365Dir+"lumora_audit_records.jsonl", long)
	for _, r := range res {
		if r.Format != "m365-audit" {
			t.Errorf("%s imported as %s", r.File, r.Format)
		}
	}
	for q, want := range map[string]int{
		"ip:2001:db8:4c::17":        4, // [2001:db8:4c::17]:51544 in AuditData.ClientIP, once per export
		"ip:198.51.100.0/24":        8, // ClientIPAddress with a port, and ClientIP, twice per export
		"ip:203.0.113.90":           4, // written ::ffff:203.0.113.90
		"archive-7@mailbox.example": 4, // a value in AuditData.Parameters
		"ip:192.0.2.250":            1, // past the first 4 KiB of the record
		"lumorazebra":               1,
	} {
		if got := hitIDs(t, c, casefile.Query{Text: q}); len(got) != want {
			t.Errorf("search %q: %d hits %v, want %d", q, len(got), got, want)
		}
	}
}

// The real exports listed in importer/testdata/m365/SOURCES.md, when the
// fetched corpus is on this machine.
func TestM365FetchedExportsSearchable(t *testing.T) {
	dir := os.Getenv("CASEBOOK_FETCHED_CORPUS")
	if dir == "" {
		t.Skip("CASEBOOK_FETCHED_CORPUS is not set (see importer/testdata/m365/SOURCES.md)")
	}
	c, _ := newCase(t)
	csvPath := filepath.Join(dir, "m365", "plaso_m365_activity_log.csv")
	jsonPath := filepath.Join(dir, "m365", "plaso_microsoft_audit_log.jsonl")
	if _, err := os.Stat(csvPath); err != nil {
		t.Skipf("fetched corpus: %v", err)
	}
	res := importOK(t, c, casefile.ImportOptions{}, csvPath, jsonPath)
	if res[0].Records != 15 || res[1].Records != 4 {
		t.Fatalf("records %d and %d, want 15 and 4", res[0].Records, res[1].Records)
	}
	if got := hitIDs(t, c, casefile.Query{Text: "ip:82.181.16.164"}); len(got) != 15 {
		t.Errorf("ip:82.181.16.164 gives %d hits, want 15", len(got))
	}
	if got := hitIDs(t, c, casefile.Query{Text: `actor:"piet@sst5f.onmicrosoft.com"`}); len(got) != 1 {
		t.Errorf("actor search gives %v, want one hit", got)
	}
}

// A file whose every row is refused says why in its error, with the rows,
// the counts agree, and nothing is stored.
func TestARefusedFileNamesTheFirstReasonsAndCounts(t *testing.T) {
	c, dir := newCase(t)
	bad := filepath.Join(t.TempDir(), "lumora_bad_times.csv")
	os.WriteFile(bad, []byte("time,user,ip,action\nyesterday,mira.okafor,203.0.113.5,read\nsoon,tomas.reyes,203.0.113.6,read\n"+
		"later,ines.halvorsen,203.0.113.7,read\nnever,noor.lindqvist,203.0.113.8,read\n"), 0o600)
	before := snap(t, c, dir)
	res, err := c.Import(t.Context(), []string{bad}, casefile.ImportOptions{Kind: "accesslog", Map: map[string]string{"time": "time"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if r.Err == nil {
		t.Fatal("imported a file none of whose times read")
	}
	msg := r.Err.Error()
	for _, want := range []string{"all 4 rows were rejected", `row 1: time "yesterday": not a time Casebook can read — try --map time=COLUMN or --date-order`,
		`row 3: time "later"`, "and 1 more", "nothing was stored"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, `"never"`) || strings.Contains(msg, "\n") {
		t.Errorf("error names more than three rows, or is not one line: %s", msg)
	}
	if r.Rejects != 4 || r.Records != 0 {
		t.Errorf("result counts %d records %d rejects, want 0 and 4", r.Records, r.Rejects)
	}
	if after := snap(t, c, dir); after != before {
		t.Errorf("the case changed: %+v → %+v", before, after)
	}
}

// Numeric dates that cannot tell their order refuse the file naming
// --date-order; with it the file imports, the order is kept with the
// source, and verify --deep reads the original again the same way.
func TestDateOrderFlagImportsAndVerifies(t *testing.T) {
	c, _ := newCase(t)
	path := filepath.Join(t.TempDir(), "lumora_ambiguous.csv")
	os.WriteFile(path, []byte("date,user,ip,action\n05/10/2025 4:05 PM,mira.okafor,203.0.113.5,read\n06/10/2025 9:00 AM,tomas.reyes,203.0.113.6,read\n"), 0o600)
	res, _ := c.Import(t.Context(), []string{path}, casefile.ImportOptions{}, nil)
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "give --date-order dmy or mdy") || res[0].Rejects != 2 {
		t.Fatalf("ambiguous dates: %v (%d rejects)", res[0].Err, res[0].Rejects)
	}
	if _, err := c.Import(t.Context(), []string{path}, casefile.ImportOptions{DateOrder: "ymd"}, nil); err == nil {
		t.Error("an unknown date order was taken")
	}
	importOK(t, c, casefile.ImportOptions{DateOrder: "dmy"}, path)
	hits, err := c.Search(t.Context(), casefile.Query{Text: "actor:mira.okafor"})
	if err != nil || len(hits.Hits) != 1 || hits.Hits[0].Time.Format("2006-01-02 15:04") != "2025-10-05 16:05" {
		t.Fatalf("dmy import: %v %+v", err, hits.Hits)
	}
	rep, err := c.VerifyWith(t.Context(), casefile.VerifyOptions{Deep: true}, nil)
	if err != nil || !rep.OK || rep.Deep == nil || rep.Deep.Records != 2 || len(rep.Deep.Problems) != 0 || len(rep.Deep.Notes) != 0 {
		t.Fatalf("verify --deep: %v %+v %+v", err, rep, rep.Deep)
	}
}

// A dry run reports what would be stored and refused, with the first
// records and reasons, and writes nothing.
func TestDryRunStoresNothing(t *testing.T) {
	c, dir := newCase(t)
	mixed := filepath.Join(t.TempDir(), "lumora_mixed.csv")
	var b strings.Builder
	b.WriteString("time,user,ip,action\n")
	for i := 1; i <= 7; i++ {
		fmt.Fprintf(&b, "2025-05-1%d 10:00:00,mira.okafor,203.0.113.%d,read\n", i, i)
	}
	b.WriteString("not a time,tomas.reyes,203.0.113.99,read\n")
	os.WriteFile(mixed, []byte(b.String()), 0o600)
	before := snap(t, c, dir)
	out, err := c.DryRunImport(t.Context(), []string{mixed, m365Dir + "lumora_purview_export.csv"}, casefile.ImportOptions{}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("%d results", len(out))
	}
	m := out[0]
	if m.Err != nil || m.Records != 7 || m.Rejects != 1 || len(m.First) != 5 || len(m.FirstRej) != 1 ||
		m.FirstRej[0].Row != 8 || !strings.Contains(m.FirstRej[0].Reason, `time "not a time"`) || m.Format != "csv-accesslog" {
		t.Errorf("mixed: %+v", m)
	}
	if !strings.HasPrefix(m.First[0], "row 1: 2025-05-11 10:00:00Z") || !strings.Contains(m.First[0], "mira.okafor") {
		t.Errorf("first record line %q", m.First[0])
	}
	p := out[1]
	if p.Err != nil || p.Format != "m365-audit" || p.Records != 6 || p.Rejects != 0 || !strings.Contains(p.First[1], "FileDownloaded") {
		t.Errorf("purview: %+v", p)
	}
	if after := snap(t, c, dir); after != before {
		t.Errorf("a dry run changed the case: %+v → %+v", before, after)
	}
	// The same file once imported: the dry run says it is already there.
	importOK(t, c, casefile.ImportOptions{}, mixed)
	out, _ = c.DryRunImport(t.Context(), []string{mixed}, casefile.ImportOptions{}, 5)
	if out[0].Duplicate != "src-1" {
		t.Errorf("duplicate %q, want src-1", out[0].Duplicate)
	}
}

// The window's mapping preview: a Purview export needs no mapping (its
// parser places AuditData itself); a CSV with a JSON column offers the
// column's keys as fields to place.
func TestPreviewLogOfExportsWithJSONInside(t *testing.T) {
	c, _ := newCase(t)
	pv, err := c.PreviewLog(t.Context(), m365Dir+"lumora_purview_export.csv", casefile.ImportOptions{}, 5)
	if err != nil || pv.Format != "m365-audit" || pv.NeedsMapping() {
		t.Errorf("purview preview: %v %+v", err, pv)
	}
	path := filepath.Join(t.TempDir(), "lumora_details.csv")
	os.WriteFile(path, []byte("when,who,action,details\n"+
		`2025-05-12 08:00:00,mira.okafor,open,"{""client"":{""ip"":""203.0.113.5""},""doc"":""Payroll.xlsx""}"`+"\n"), 0o600)
	pv, err = c.PreviewLog(t.Context(), path, casefile.ImportOptions{}, 5)
	if err != nil || pv.Format != "csv-accesslog" {
		t.Fatalf("details preview: %v %+v", err, pv)
	}
	if got := strings.Join(pv.Header, ","); got != "when,who,action,details,details.doc,details.client.ip" {
		t.Errorf("header %s", got)
	}
	if p, ok := pv.Placed["ip"]; !ok || p.Header != "details.client.ip" || pv.Rows[0][p.Column] != "203.0.113.5" {
		t.Errorf("ip placed %+v in %v", pv.Placed["ip"], pv.Rows)
	}
}
