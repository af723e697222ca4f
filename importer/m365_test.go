package importer

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// m365Want is what one record of the Lumora fixtures says, written from
// the records the fixtures were made of (testdata/m365/SOURCES.md), not
// from the parser.
type m365Want struct {
	time, actor, action, ip, resource, system string
}

var lumoraM365 = []m365Want{
	{"2025-05-12T08:14:03Z", "mira.okafor@lumora.example", "FileAccessed", "203.0.113.45",
		"https://lumora.sharepoint.example/sites/Finance/Shared Documents/Q2 forecast.xlsx", "SharePoint"},
	{"2025-05-12T08:15:40Z", "mira.okafor@lumora.example", "FileDownloaded", "2001:db8:4c::17",
		"https://lumora.sharepoint.example/sites/Finance/Shared Documents/Payroll 2025.xlsx", "SharePoint"},
	{"2025-05-13T21:02:11Z", "tomas.reyes@lumora.example", "MailItemsAccessed", "198.51.100.23", "", "Exchange"},
	{"2025-05-14T06:30:00Z", "tomas.reyes@lumora.example", "UserLoggedIn", "192.0.2.77",
		"00000003-0000-0ff1-ce00-000000000000", "AzureActiveDirectory"},
	{"2025-05-14T06:31:12Z", "ines.halvorsen@lumora.example", "FileAccessed", "203.0.113.90", "notes for board.docx", "OneDrive"},
	{"2025-05-15T13:45:09Z", "tomas.reyes@lumora.example", "New-InboxRule", "198.51.100.23",
		`tomas.reyes@lumora.example\forward-all`, "Exchange"},
}

func TestM365LumoraExports(t *testing.T) {
	for _, name := range []string{"lumora_purview_export.csv", "lumora_ual_powershell.csv", "lumora_ual_convertto.json", "lumora_audit_records.jsonl"} {
		t.Run(name, func(t *testing.T) {
			data := readTestdata(t, "m365/"+name)
			f, err := Detect(name, data[:min(len(data), HeadSize)], "")
			if err != nil || f.Name != "m365-audit" {
				t.Fatalf("detected as %v (%v), want m365-audit", f, err)
			}
			s := mustParseLog(t, "m365-audit", name, data, Options{})
			if len(s.rejects) != 0 || len(s.events) != len(lumoraM365) {
				t.Fatalf("%d events, rejects %v; want %d events", len(s.events), s.rejectReasons(), len(lumoraM365))
			}
			for i, w := range lumoraM365 {
				e := s.events[i]
				got := m365Want{e.Time.Format(time.RFC3339), e.ActorName, e.Action, e.IP, e.Resource, e.System}
				if got != w {
					t.Errorf("record %d:\n got %+v\nwant %+v", i+1, got, w)
				}
			}
			// Every AuditData field stays in the searchable text, nested ones too.
			if !strings.Contains(s.events[5].Raw, "archive-7@mailbox.example") || !strings.Contains(s.events[2].Raw, "lumora-4471@mail.lumora.example") {
				t.Errorf("nested AuditData values missing from Raw: %q", cutText(s.events[5].Raw, 200))
			}
		})
	}
}

func TestM365MapAuditDataKey(t *testing.T) {
	data := readTestdata(t, "m365/lumora_purview_export.csv")
	s := mustParseLog(t, "m365-audit", "x.csv", data, Options{Map: map[string]string{
		"resource": "AuditData.MailboxOwnerUPN", "purpose": "AuditData.Parameters.0.Value"}})
	if got := s.events[2].Resource; got != "tomas.reyes@lumora.example" {
		t.Errorf("resource mapped to AuditData.MailboxOwnerUPN = %q", got)
	}
	if got := s.events[5].Purpose; got != "archive-7@mailbox.example" {
		t.Errorf("purpose mapped to a nested AuditData key = %q", got)
	}
	if got := s.events[0].Resource; got != "" {
		t.Errorf("a mapped key a record lacks gives %q, want empty", got)
	}
}

func TestM365BrokenAuditDataStillImports(t *testing.T) {
	csv := "RecordId,CreationDate,RecordType,Operation,UserId,AuditData\r\n" +
		"a1,9/20/2023 4:05:03 AM,6,FileAccessed,noor.lindqvist@lumora.example,\"{\"\"ClientIP\"\":\"\"203.0.113.8\"\"\"\r\n" +
		"a2,9/21/2023 1:15:00 PM,6,FileDeleted,noor.lindqvist@lumora.example,\"{\"\"CreationTime\"\":\"\"2023-09-21T13:15:00\"\",\"\"ClientIP\"\":\"\"203.0.113.9:4431\"\"}\"\r\n"
	s := mustParseLog(t, "m365-audit", "x.csv", []byte(csv), Options{})
	if len(s.events) != 2 {
		t.Fatalf("%d events, rejects %v", len(s.events), s.rejectReasons())
	}
	if got := s.events[0].Time.Format(time.RFC3339); got != "2023-09-20T04:05:03Z" {
		t.Errorf("US CreationDate read as %s", got)
	}
	if s.events[0].Action != "FileAccessed" || s.events[0].IP != "" {
		t.Errorf("record with broken AuditData: action %q ip %q", s.events[0].Action, s.events[0].IP)
	}
	if s.events[1].IP != "203.0.113.9" {
		t.Errorf("port not removed: %q", s.events[1].IP)
	}
	if len(s.warns) != 1 || !strings.Contains(s.warns[0], "AuditData is not a JSON object") {
		t.Errorf("warnings %q", s.warns)
	}
}

func TestM365IP(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.9": "203.0.113.9", "203.0.113.9:443": "203.0.113.9", "[2001:db8::1]:443": "2001:db8::1",
		"[2001:db8::1]": "2001:db8::1", "::ffff:192.0.2.4": "192.0.2.4", " 2001:DB8::A ": "2001:db8::a",
		"": "", "<null>": "<null>",
	} {
		if got := m365IP(in); got != want {
			t.Errorf("m365IP(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestM365Fetched reads the real exports listed in testdata/m365/SOURCES.md.
func TestM365Fetched(t *testing.T) {
	t.Run("plaso UAL JSON Lines", func(t *testing.T) {
		data := fetchedFile(t, "m365", "plaso_microsoft_audit_log.jsonl")
		s := mustParseLog(t, "m365-audit", "plaso_microsoft_audit_log.jsonl", data, Options{})
		if len(s.events) != 4 || len(s.rejects) != 0 {
			t.Fatalf("%d events %d rejects, want 4 and 0", len(s.events), len(s.rejects))
		}
		e := s.events[3]
		if e.Time.Format(time.RFC3339) != "2022-05-08T15:13:41Z" || e.ActorName != "piet@sst5f.onmicrosoft.com" ||
			e.Action != "UserLoggedIn" || e.IP != "0.0.0.0" || e.System != "AzureActiveDirectory" {
			t.Errorf("record 4: %s %q %q %q %q", e.Time, e.ActorName, e.Action, e.IP, e.System)
		}
		if s.events[0].Resource != `sst5f.onmicrosoft.com\952cae95-808b-4aa7-b783-a9151be9a05a` {
			t.Errorf("record 1 resource %q", s.events[0].Resource)
		}
	})
	t.Run("plaso Defender for Cloud Apps activity log", func(t *testing.T) {
		data := fetchedFile(t, "m365", "plaso_m365_activity_log.csv")
		if f, err := Detect("plaso_m365_activity_log.csv", data, ""); err != nil || f.Name != "m365-audit" {
			t.Fatalf("detected as %v (%v)", f, err)
		}
		s := mustParseLog(t, "m365-audit", "plaso_m365_activity_log.csv", data, Options{})
		if len(s.events) != 15 || len(s.rejects) != 0 {
			t.Fatalf("%d events %d rejects, want 15 and 0", len(s.events), len(s.rejects))
		}
		access := 0
		for _, e := range s.events {
			if e.IP != "82.181.16.164" || e.ActorName != "test-user@test-company.tld" || e.Country != "FI" {
				t.Fatalf("row %d: ip %q actor %q country %q", e.Row, e.IP, e.ActorName, e.Country)
			}
			if e.DataCategory == "Access file" {
				access++
			}
		}
		if access != 7 {
			t.Errorf("%d 'Access file' rows, want 7", access)
		}
		e := s.events[3]
		if e.Time.Format(time.RFC3339) != "2023-10-25T17:44:53Z" ||
			e.Resource != "https://test-company-my.sharepoint.com/personal/site-01/Documents/Forms/All.aspx" {
			t.Errorf("row 4: %s resource %q", e.Time, e.Resource)
		}
	})
}

func FuzzM365(f *testing.F) {
	for _, n := range []string{"lumora_purview_export.csv", "lumora_ual_powershell.csv", "lumora_ual_convertto.json", "lumora_audit_records.jsonl"} {
		f.Add(readTestdata(f, "m365/"+n))
	}
	for _, b := range fetchedSeeds("m365", ".csv", ".jsonl", ".json") {
		f.Add(b)
	}
	p, err := Lookup("m365-audit")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		sink := &eventCheckSink{size: int64(len(data)), gz: IsGzip(data), rawMax: m365RawLimit}
		began := time.Now()
		_, _ = p.Parse(ctx, Input{Name: "fuzz", R: bytes.NewReader(data), Size: int64(len(data)),
			Opts: Options{MaxLine: 1 << 16}}, sink)
		if d := time.Since(began); d > 1500*time.Millisecond {
			t.Fatalf("%d bytes took %v", len(data), d)
		}
		if sink.err != nil {
			t.Fatal(sink.err)
		}
		_ = p.Detect("fuzz", data[:min(len(data), HeadSize)])
	})
}

// A SharePoint file-access report as people save it (Date as "May 10,
// 2025", IP Address, Location cells broken over lines, Email, Operation,
// Action, File Name, Path) imports through the CSV reader.
func TestSharePointAccessReportShape(t *testing.T) {
	data := readTestdata(t, "m365/lumora_sharepoint_access.csv")
	f, err := Detect("lumora_sharepoint_access.csv", data, "")
	if err != nil || f.Name != "csv-accesslog" {
		t.Fatalf("detected as %v (%v)", f, err)
	}
	s := mustParseLog(t, "csv-accesslog", "lumora_sharepoint_access.csv", data, Options{})
	if len(s.events) != 3 || len(s.rejects) != 0 {
		t.Fatalf("%d events, rejects %v", len(s.events), s.rejectReasons())
	}
	want := []struct{ time, actor, ip, line string }{
		{"2025-05-10T00:00:00Z", "mira.okafor@lumora.example", "203.0.113.61", "2"},
		{"2025-05-10T00:00:00Z", "mira.okafor@lumora.example", "198.51.100.140", "3"},
		{"2025-05-11T00:00:00Z", "tomas.reyes@lumora.example", "192.0.2.201", "5"},
	}
	for i, w := range want {
		e := s.events[i]
		if e.Time.Format(time.RFC3339) != w.time || e.ActorName != w.actor || e.IP != w.ip || strconv.Itoa(e.Line) != w.line {
			t.Errorf("row %d: %s %q %q line %d, want %+v", i+1, e.Time.Format(time.RFC3339), e.ActorName, e.IP, e.Line, w)
		}
	}
}

// SharePoint's site audit log report (Site Id, Item Id, Item Type, User Id,
// Document Location, Occurred (GMT), Event, …) imports through the CSV
// reader with time, user, event and document.
func TestSharePointSiteAuditReportShape(t *testing.T) {
	data := readTestdata(t, "m365/lumora_sharepoint_audit_report.csv")
	f, err := Detect("lumora_sharepoint_audit_report.csv", data, "")
	if err != nil || f.Name != "csv-accesslog" {
		t.Fatalf("detected as %v (%v)", f, err)
	}
	s := mustParseLog(t, "csv-accesslog", "lumora_sharepoint_audit_report.csv", data, Options{})
	if len(s.events) != 4 || len(s.rejects) != 0 {
		t.Fatalf("%d events, rejects %v", len(s.events), s.rejectReasons())
	}
	e := s.events[2]
	if e.Time.Format(time.RFC3339) != "2025-05-13T21:03:55Z" || e.ActorID != "i:0#.f|membership|tomas.reyes@lumora.example" ||
		e.Action != "Update" || e.Resource != "sites/Finance/Shared Documents/Q2 forecast.xlsx" || e.System != "SharePoint" {
		t.Errorf("row 3: %s %q %q %q %q", e.Time, e.ActorID, e.Action, e.Resource, e.System)
	}
}

// A Search-UnifiedAuditLog CSV written in a day-first culture whose
// AuditData has no CreationTime: the CreationDate column's order is
// decided from all its values when the file can be read again.
func TestM365CreationDateOrderFromAllValues(t *testing.T) {
	var b strings.Builder
	b.WriteString(`"RecordType","CreationDate","UserIds","Operations","AuditData"` + "\r\n")
	n := 0
	for day := 1; day <= 13; day++ {
		for i := 0; i < 20; i++ {
			fmt.Fprintf(&b, `"SharePointFileOperation","%d/12/2025 %d:05:00 AM","noor.lindqvist@lumora.example","FileAccessed","{""ClientIP"":""203.0.113.%d""}"`+"\r\n", day, i%12+1, i+1)
			n++
		}
	}
	data := []byte(b.String())
	f, _ := Lookup("m365-audit")
	s := &eventSink{}
	if _, err := f.Parse(t.Context(), Input{Name: "au.csv", R: bytes.NewReader(data), Size: int64(len(data)), Reopen: reopenable(data)}, s); err != nil {
		t.Fatal(err)
	}
	if len(s.events) != n || len(s.rejects) != 0 {
		t.Fatalf("%d events %d rejects (%v)", len(s.events), len(s.rejects), s.rejectReasons()[:min(1, len(s.rejects))])
	}
	if got := s.events[20].Time.Format(time.RFC3339); got != "2025-12-02T01:05:00Z" {
		t.Errorf("row 21 (2/12/2025 1:05:00 AM) read as %s", got)
	}
	// Without a second reading, the rows before the telling value say why they are refused.
	s2 := mustParseLog(t, "m365-audit", "au.csv", data, Options{})
	if len(s2.rejects) == 0 || !strings.Contains(s2.rejects[0].Reason, "--date-order") {
		t.Errorf("without a first pass: %d rejects %v", len(s2.rejects), s2.rejectReasons()[:min(1, len(s2.rejects))])
	}
}
