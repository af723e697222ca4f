package importer

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// Fuzz targets of the formats added for issue 14, seeded with the real
// third-party files of testdata/reallogs and the fictional fixtures.

// realSeeds returns the fetched third-party logs named, when this machine
// has them (see testdata/reallogs/SOURCES.md), each cut to 32 KiB.
func realSeeds(f *testing.F, files ...string) []string {
	var out []string
	for _, name := range files {
		if data, err := readFetched("reallogs", name); err == nil {
			out = append(out, string(data[:min(len(data), 32<<10)]))
		}
	}
	return out
}

func FuzzAuditd(f *testing.F) {
	fuzzLog(f, "auditd", append(realSeeds(f, "golibaudit_audit-rhel7.log", "golibaudit_audit-ubuntu16.log", "golibaudit_test2.log",
		"golibaudit_test3.log", "golibaudit_audit-rhel6.log"),
		"type=X msg=audit(1.5:1): msg='a=\"b' c='d\n", "type=AVC msg=audit(1700000000.1:2): avc: denied { \x1dAUID=\"x\"\n")...)
}

func FuzzWinEventXML(f *testing.F) {
	fuzzLog(f, "winevent-xml", append(realSeeds(f, "pyevtx_security_first400.xml", "pyevtx_system_first300.xml",
		"winlogbeat_ec3and4.xml", "winlogbeat_application-windows-error-reporting.xml", "plaso_system_evtx_first4KiB.evtx"),
		`<?xml version="1.1"?><Events><Event><System><TimeCreated SystemTime="x"/></System></Event><Event>`)...)
}

func FuzzWinEventCSV(f *testing.F) {
	fuzzLog(f, "winevent-csv", "Level,Date and Time,Source,Event ID,Task Category\nInformation,1/2/2024 3:04:05 PM,S,4624,Logon,\"New Logon:\n\tAccount Name:\ta\n\"\n")
}

func FuzzWorkspace(f *testing.F) {
	fuzzLog(f, "gworkspace", `{"kind":"admin#reports#activity","id":{"time":"2024-01-01T00:00:00Z"},"events":[{"name":"a","parameters":[{"name":"doc_title","multiValue":["x",1]}]}]}`+"\n")
}

func FuzzSplitTimeCSV(f *testing.F) {
	fuzzLog(f, "csv-accesslog", "Month,Day,Time,User,IP\nMar,1,10:00:00,a,192.0.2.1\n13,40,25:61,b,c\n",
		"Date,Time,User,Action,IP\n2024-01-01,3:04 PM,a,b,192.0.2.1\n")
}

// FuzzXLSX mutates real workbooks: excelize must refuse what it cannot
// read with an error, never a panic or a hang, and events keep their
// workbook invariants (Offset 0, rows increasing, UTC times).
func FuzzXLSX(f *testing.F) {
	for _, name := range []string{"lumora_access_workbook.xlsx", "lumora_access_1904.xlsx", "lumora_interview.xlsx"} {
		f.Add(readTestdata(f, "logfixtures/"+name))
	}
	logs, _ := Lookup("xlsx-accesslog")
	trans, _ := Lookup("xlsx-transcript")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, p := range []*Format{logs, trans} {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			sink := &eventSink{}
			began := time.Now()
			_, _ = p.Parse(ctx, Input{Name: "fuzz.xlsx", R: bytes.NewReader(data), Size: int64(len(data)), Opts: Options{Year: 2024}}, sink)
			cancel()
			if d := time.Since(began); d > 4*time.Second {
				t.Fatalf("%s: %d bytes took %v", p.Name, len(data), d)
			}
			last := 0
			for _, e := range sink.events {
				if e.Row <= last || e.Offset != 0 || e.Line < 1 || e.Time.Location() != time.UTC {
					t.Fatalf("%s: event %+v", p.Name, e)
				}
				last = e.Row
			}
			_ = p.Detect("fuzz.xlsx", data[:min(len(data), HeadSize)])
		}
	})
}
