package importer

import (
	"strings"
	"testing"
)

// A CSV column holding JSON objects is expanded into fields "Column.key"
// that roles are placed into by name or by --map, like real columns.
func TestCSVJSONColumnExpanded(t *testing.T) {
	csv := "when,who,what,details\n" +
		`2025-05-12 08:00:00,mira.okafor,open,"{""client"":{""ip"":""[2001:db8::5]:443""},""doc"":""Payroll.xlsx"",""tags"":[""hr"",""pay""]}"` + "\n" +
		`2025-05-12 08:05:00,tomas.reyes,read,"{""client"":{""ip"":""203.0.113.6""},""doc"":""Forecast.xlsx""}"` + "\n" +
		`2025-05-12 08:07:00,ines.halvorsen,read,` + "\n"
	s := mustParseLog(t, "csv-accesslog", "x.csv", []byte(csv), Options{Map: map[string]string{"resource": "details.doc", "category": "Details.Tags.1"}})
	if len(s.events) != 3 || len(s.rejects) != 0 {
		t.Fatalf("%d events, rejects %v", len(s.events), s.rejectReasons())
	}
	type got struct{ ip, res, cat string }
	want := []got{{"2001:db8::5", "Payroll.xlsx", "pay"}, {"203.0.113.6", "Forecast.xlsx", ""}, {"", "", ""}}
	for i, w := range want {
		e := s.events[i]
		if g := (got{e.IP, e.Resource, e.DataCategory}); g != w {
			t.Errorf("row %d: got %+v, want %+v", i+1, g, w)
		}
	}
	// A key no sample row has cannot be mapped: the error names the fields.
	_, _, err := parseLog(t, "csv-accesslog", "x.csv", []byte(csv), Options{Map: map[string]string{"resource": "details.nothere"}})
	if err == nil || !strings.Contains(err.Error(), "details.client.ip") {
		t.Errorf("mapping an unknown key: %v", err)
	}
}

// A column that only sometimes holds JSON is left as it is.
func TestCSVJSONColumnNeedsMostValues(t *testing.T) {
	header := []string{"time", "note"}
	sample := [][]string{{"t", `{"a":"1"}`}, {"t", "plain words"}, {"t", "more words"}}
	if jx := findJSONColumns(header, sample); jx != nil {
		t.Fatalf("expanded %v", jx.header)
	}
	sample[1][1], sample[2][1] = `{"b":{"c":"2"}}`, ""
	jx := findJSONColumns(header, sample)
	if jx == nil || strings.Join(jx.header, ",") != "time,note,note.a,note.b.c" {
		t.Fatalf("header %v", jx)
	}
}
