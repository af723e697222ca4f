package importer

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"casebook/model"
)

// logFixture is one fictional log in testdata/logfixtures and what it must give.
type logFixture struct {
	file    string
	format  string
	events  int
	rejects int
	first   model.Event // the fields checked on the first event (zero: not checked)
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

var logFixtures = []logFixture{
	{"lumora_cloudtrail_records.json", "cloudtrail", 3, 0, model.Event{Time: utc("2024-03-04T09:15:02Z"),
		ActorName: "arn:aws:iam::111122223333:user/mia.chen", IP: "203.0.113.10", Action: "GetObject", System: "s3.amazonaws.com",
		Resource: "arn:aws:s3:::lumora-us-user-data/exports/creators-2024-03.csv", Line: 3, Row: 1}},
	{"lumora_cloudtrail_lines.jsonl", "cloudtrail", 3, 1, model.Event{Time: utc("2024-03-06T08:00:00Z"),
		ActorName: "arn:aws:iam::111122223333:user/priya.raman", IP: "198.51.100.23", Action: "ListObjects",
		Resource: "s3://lumora-us-user-data", System: "s3.amazonaws.com", Line: 1, Row: 1}},
	{"lumora_gcp_audit.json", "gcp-audit", 2, 0, model.Event{Time: utc("2024-03-07T14:22:10.123456Z"),
		ActorName: "tomas.reyes@lumora.example", IP: "198.51.100.77", Action: "jobservice.jobcompleted", System: "bigquery.googleapis.com",
		Resource: "projects/lumora-prod/datasets/us_users/tables/profiles", Line: 2, Row: 1}},
	{"lumora_okta_systemlog.json", "okta", 3, 0, model.Event{Time: utc("2024-03-08T03:12:44.12Z"),
		ActorName: "aiko.tanaka@lumora.example", ActorID: "00u1lumora0001", IP: "203.0.113.55", Office: "Singapore", Country: "SG",
		Action: "user.session.start", System: "okta", Purpose: "User login to Okta", Line: 2, Row: 1}},
	{"lumora_azure_signins.json", "azure-signin", 2, 0, model.Event{Time: utc("2024-03-09T07:30:12Z"),
		ActorName: "priya.raman@lumora.example", ActorID: "d7a1b2c3-0000-4000-8000-00000000aa01", IP: "198.51.100.91",
		Office: "Bengaluru", Country: "IN", Action: "sign-in", System: "Lumora Admin Console", Resource: "Microsoft Graph", Line: 4, Row: 1}},
	{"lumora_azure_signins.csv", "azure-signin", 2, 1, model.Event{Time: utc("2024-03-10T11:02:03Z"),
		ActorName: "priya.raman@lumora.example", ActorID: "d7a1b2c3-0000-4000-8000-00000000aa01", IP: "198.51.100.91",
		Office: "Bengaluru", Country: "IN", Action: "sign-in", System: "Lumora Admin Console", Resource: "Microsoft Graph", Line: 2, Row: 1}},
	{"lumora_access_nested.jsonl", "jsonl-accesslog", 3, 2, model.Event{Time: utc("2024-03-08T09:00:00Z"),
		ActorName: "Mia Chen", ActorID: "E1001", Office: "Los Angeles", Country: "US", IP: "192.0.2.8", Action: "export",
		Resource: "us_users.profiles", RecordCount: 12000, ApprovalID: "APR-1042", Approver: "Chairman Voss", ApproverCountry: "US",
		Purpose: "quarterly creator report", Line: 1, Row: 1}},
	{"lumora_access_array.json", "jsonl-accesslog", 3, 0, model.Event{Time: utc("2024-03-11T01:00:00Z"),
		ActorName: "Aiko Tanaka", ActorID: "E1005", Office: "Singapore", Country: "SG", IP: "203.0.113.9", Action: "read",
		Resource: "us_users.profiles", RecordCount: 250, ApprovalID: "APR-1060", Line: 2, Row: 1}},
	{"lumora_app.logfmt", "logfmt", 3, 1, model.Event{Time: utc("2024-03-12T08:00:00Z"),
		ActorName: "mia.chen", IP: "192.0.2.8", Action: "export", Resource: "us_users.profiles", RecordCount: 1200, ApprovalID: "APR-1070", Line: 1, Row: 1}},
	{"lumora_auth.log", "syslog", 6, 1, model.Event{Time: utc("2024-03-04T09:15:02Z"),
		ActorName: "mia", IP: "192.0.2.8", Action: "sshd accepted publickey", System: "lumora-bastion", Line: 1, Row: 1}},
	{"lumora_access_us.csv", "csv-accesslog", 4, 2, model.Event{Time: utc("2024-03-04T09:15:02Z"),
		ActorName: "Mia Chen", ActorID: "E1001", Office: "Los Angeles", Country: "US", IP: "192.0.2.8", Action: "export",
		Resource: "us_users.profiles", DataCategory: "profile", RecordCount: 12000, ApprovalID: "APR-1042", Approver: "Chairman Voss",
		ApproverCountry: "US", Purpose: "quarterly creator report", Line: 2, Row: 1}},
	{"lumora_access_excel.csv", "csv-accesslog", 3, 0, model.Event{Time: utc("2022-01-01T12:00:00Z"),
		ActorName: "Mia Chen", Office: "Los Angeles", Country: "US", RecordCount: 10, ApprovalID: "APR-1", Line: 2, Row: 1}},
}

// checkFirst compares the set fields of want with got.
func checkFirst(t *testing.T, name string, got *model.Event, want model.Event) {
	t.Helper()
	type f struct {
		field     string
		got, want any
	}
	fields := []f{
		{"Time", got.Time, want.Time}, {"ActorName", got.ActorName, want.ActorName}, {"ActorID", got.ActorID, want.ActorID},
		{"Office", got.Office, want.Office}, {"Country", got.Country, want.Country}, {"IP", got.IP, want.IP},
		{"Action", got.Action, want.Action}, {"System", got.System, want.System}, {"Resource", got.Resource, want.Resource},
		{"DataCategory", got.DataCategory, want.DataCategory}, {"ApprovalID", got.ApprovalID, want.ApprovalID},
		{"Approver", got.Approver, want.Approver}, {"ApproverCountry", got.ApproverCountry, want.ApproverCountry},
		{"Purpose", got.Purpose, want.Purpose}, {"Line", got.Line, want.Line}, {"Row", got.Row, want.Row},
	}
	for _, x := range fields {
		zero := x.want == "" || x.want == 0 || x.want == (time.Time{})
		if !zero && x.got != x.want {
			t.Errorf("%s: first event %s = %v, want %v", name, x.field, x.got, x.want)
		}
	}
	if want.RecordCount != 0 && got.RecordCount != want.RecordCount {
		t.Errorf("%s: first event RecordCount = %d, want %d", name, got.RecordCount, want.RecordCount)
	}
}

func TestEachLogFixtureGivesItsEventsRejectsAndFields(t *testing.T) {
	for _, c := range logFixtures {
		t.Run(c.file, func(t *testing.T) {
			data := readTestdata(t, "logfixtures/"+c.file)
			s := mustParseLog(t, c.format, c.file, data, Options{Year: 2024})
			if len(s.events) != c.events || len(s.rejects) != c.rejects {
				t.Fatalf("%d events and %d rejects %v, want %d and %d", len(s.events), len(s.rejects), s.rejectReasons(), c.events, c.rejects)
			}
			checkFirst(t, c.file, s.events[0], c.first)
			for _, r := range s.rejects {
				if r.Line < 1 || r.Row < 1 || r.Reason == "" || r.Raw == "" {
					t.Errorf("rejection %+v", r)
				}
			}
		})
	}
}

func TestLogDetectionPicksEachFormatByContentAlone(t *testing.T) {
	cases := map[string]string{
		"logs/pgaudit_postgresql-2015-08-12_161343.csv":   "pgaudit",
		"logs/elastic_examples_apache_logs_first3000.log": "weblog",
		"logs/crowdsec_apache2-logs.log":                  "weblog",
	}
	for _, c := range logFixtures {
		cases["logfixtures/"+c.file] = c.format
	}
	for file, format := range cases {
		data := readTestdata(t, file)
		head := data[:min(len(data), HeadSize)]
		base := file[strings.LastIndexByte(file, '/')+1:]
		for _, name := range []string{base, "export.txt", "data"} {
			for _, kind := range []model.SourceKind{"", model.KindAccessLog} {
				f, err := Detect(name, head, kind)
				if err != nil || f.Name != format {
					t.Errorf("%s as %q (kind %q): %v %v, want %s", file, name, kind, fname(f), err, format)
				}
			}
		}
		if f, err := Detect(base, head, model.KindTranscript); !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("the log %s was taken for the transcript format %s", file, fname(f))
		}
	}
}

func fname(f *Format) string {
	if f == nil {
		return "<none>"
	}
	return f.Name
}

func TestTranscriptsAreNotTakenForAccessLogs(t *testing.T) {
	for _, c := range allFixtures(t) {
		head := c.data[:min(len(c.data), HeadSize)]
		if f, err := Detect(c.name, head, model.KindAccessLog); !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("the transcript %s was taken for the access log format %s", c.name, fname(f))
		}
		for _, f := range Formats() {
			if f.Kind == model.KindAccessLog {
				if s := f.Detect(c.name, head); s > 0 && s >= mustDetectScore(t, c) {
					t.Errorf("%s scores %s at %d, as much as its own format %s", f.Name, c.name, s, c.format)
				}
			}
		}
	}
}

func mustDetectScore(t *testing.T, c detectCase) int {
	f, err := Lookup(c.format)
	if err != nil {
		t.Fatal(err)
	}
	return f.Detect(c.name, c.data[:min(len(c.data), HeadSize)])
}

func TestGzipLogStreamsWithOffsetsInTheDecompressedText(t *testing.T) {
	plain := readTestdata(t, "logfixtures/lumora_access_us.csv")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(plain)
	zw.Close()
	gz := buf.Bytes()

	head, inner, ok := DecompressedHead("access.csv.gz", gz[:min(len(gz), HeadSize)])
	if !ok || inner != "access.csv" || !bytes.Equal(head, plain) {
		t.Fatalf("DecompressedHead: %v %q %d bytes", ok, inner, len(head))
	}
	f, err := Detect(inner, head, "")
	if err != nil || f.Name != "csv-accesslog" {
		t.Fatalf("detected %s %v", fname(f), err)
	}
	r, _, ok, err := Decompress("access.csv.gz", gz[:2], bytes.NewReader(gz))
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	got, _ := io.ReadAll(r)
	if !bytes.Equal(got, plain) {
		t.Fatal("Decompress changed the text")
	}
	// Parsers take the compressed bytes directly too.
	want := mustParseLog(t, "csv-accesslog", "access.csv", plain, Options{})
	s, _, err := parseLog(t, "csv-accesslog", "access.csv.gz", gz, Options{})
	if err != nil || len(s.events) != len(want.events) || len(s.rejects) != len(want.rejects) {
		t.Fatalf("gz: %v, %d events %d rejects", err, len(s.events), len(s.rejects))
	}
	for i, e := range s.events {
		if !reflect.DeepEqual(e, want.events[i]) {
			t.Errorf("event %d differs: %+v vs %+v", i, e, want.events[i])
		}
	}
	checkEvents(t, s.events, plain) // offsets index the decompressed text
	if _, _, _, err := Decompress("bad.gz", []byte{0x1f, 0x8b}, bytes.NewReader([]byte{0x1f, 0x8b, 0, 0})); err == nil {
		t.Error("a broken gzip header was accepted")
	}
}

func TestLogInsideAZipImportsAsAnEntry(t *testing.T) {
	log := readTestdata(t, "logfixtures/lumora_cloudtrail_records.json")
	z := zipOf(t, map[string][]byte{"trail/2024/03/04/lumora.json": log}, []string{"trail/2024/03/04/lumora.json"})
	if !IsArchive("logs.zip", z) {
		t.Fatal("not an archive")
	}
	entries, err := ArchiveEntries("logs.zip", bytes.NewReader(z), int64(len(z)), DefaultArchiveLimits())
	if err != nil || len(entries) != 1 {
		t.Fatal(entries, err)
	}
	rc, err := entries[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(rc)
	rc.Close()
	f, err := Detect(entries[0].Name, data[:min(len(data), HeadSize)], "")
	if err != nil || f.Name != "cloudtrail" {
		t.Fatalf("%s %v", fname(f), err)
	}
	if s := mustParseLog(t, f.Name, entries[0].Name, data, Options{}); len(s.events) != 3 {
		t.Errorf("%d events", len(s.events))
	}
	_ = zip.Deflate
}

func TestStrictStopsAtTheFirstRejectedRow(t *testing.T) {
	for _, c := range logFixtures {
		if c.rejects == 0 {
			continue
		}
		data := readTestdata(t, "logfixtures/"+c.file)
		f, _ := Lookup(c.format)
		s := &eventSink{strict: true}
		_, err := f.Parse(t.Context(), Input{Name: c.file, R: bytes.NewReader(data), Size: int64(len(data)), Opts: Options{Year: 2024}}, s)
		if err == nil || !strings.Contains(err.Error(), "strict") || len(s.rejects) != 1 {
			t.Errorf("%s: strict gave %v after %d rejects", c.file, err, len(s.rejects))
		}
	}
}

func TestFilesThatAreNoLogAreRefusedNamingFileAndLine(t *testing.T) {
	notes := []byte("Meeting notes\nnothing here is a log\nat all\n")
	for _, format := range []string{"csv-accesslog", "jsonl-accesslog", "cloudtrail", "weblog", "syslog", "logfmt", "pgaudit", "okta"} {
		s, _, err := parseLog(t, format, "notes.txt", notes, Options{})
		var ie *Error
		if !errors.As(err, &ie) || ie.File != "notes.txt" || !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%s: %v", format, err)
			continue
		}
		if len(s.events) != 0 {
			t.Errorf("%s sent %d events before refusing", format, len(s.events))
		}
	}
	if _, _, err := parseLog(t, "jsonl-accesslog", "x.json", []byte("{\"a\": [1, 2,\n oops"), Options{}); err == nil ||
		!strings.Contains(err.Error(), "x.json:2:") {
		t.Errorf("broken JSON: %v", err)
	}
}

func TestCSVRejectsInvalidUTF8AndOversizedFields(t *testing.T) {
	big := strings.Repeat("x", maxField+1)
	// The bad bytes come after the first 64 KiB, which read as UTF-8: a
	// file whose head is not UTF-8 is read as Windows-1252 instead.
	data := []byte("time,user,office,country,approval,purpose\n" +
		"2024-03-01T10:00:00Z,Mia Chen,Los Angeles,US,APR-1," + strings.Repeat("p", HeadSize) + "\n" +
		"2024-03-01T10:01:00Z,Bad \xff\xfe Byte,Manila,PH,,\n" +
		"2024-03-01T10:02:00Z,\"" + big + "\",Manila,PH,,\n" +
		"2024-03-01T10:03:00Z,Priya Raman,Singapore,SG,APR-2,\n")
	s := mustParseLog(t, "csv-accesslog", "a.csv", data, Options{})
	if len(s.events) != 2 || len(s.rejects) != 2 {
		t.Fatalf("%d events, rejects %v", len(s.events), s.rejectReasons())
	}
	if s.rejects[0].Reason != "invalid UTF-8" || s.rejects[0].Row != 2 || s.rejects[0].Line != 3 {
		t.Errorf("reject %+v", s.rejects[0])
	}
	if !strings.Contains(s.rejects[1].Reason, "over the 65536-byte limit") || len(s.rejects[1].Raw) > maxRejectRaw {
		t.Errorf("reject %q (%d bytes raw)", s.rejects[1].Reason, len(s.rejects[1].Raw))
	}
}

func TestMapOverridesDetectionIncludingNestedKeys(t *testing.T) {
	data := []byte(`{"when":"2024-03-01T10:00:00Z","who":{"login":"mia"},"origin":{"addr":"192.0.2.1","cc":"us"}}` + "\n")
	s := mustParseLog(t, "jsonl-accesslog", "m.jsonl", data,
		Options{Map: map[string]string{"actor": "who.login", "ip": "origin.addr", "country": "origin.cc"}})
	e := s.events[0]
	if e.ActorName != "mia" || e.IP != "192.0.2.1" || e.Country != "US" {
		t.Errorf("%+v", e)
	}
	if _, _, err := parseLog(t, "csv-accesslog", "m.csv", []byte("a,b,c\n1,2,3\n"), Options{Map: map[string]string{"time": "nope"}}); err == nil ||
		!strings.Contains(err.Error(), "no such column") {
		t.Errorf("bad mapping: %v", err)
	}
}
