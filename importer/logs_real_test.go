package importer

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The real third-party logs in testdata/logs (see testdata/SOURCES.md).

func TestPgauditSampleImportsEveryAuditRecordAndSkipsServerLines(t *testing.T) {
	data := readTestdata(t, "logs/pgaudit_postgresql-2015-08-12_161343.csv")
	// Counted independently of the parser: pgaudit writes both SESSION and
	// OBJECT audit records, each once, at the start of the message column.
	session := bytes.Count(data, []byte(`,"AUDIT: SESSION,`))
	object := bytes.Count(data, []byte(`,"AUDIT: OBJECT,`))
	if session != 155 || object != 27 {
		t.Fatalf("the sample holds %d SESSION and %d OBJECT records, expected 155 and 27", session, object)
	}
	if all := bytes.Count(data, []byte("AUDIT: ")); all != session+object {
		t.Fatalf("%d mentions of AUDIT, %d records", all, session+object)
	}
	s := mustParseLog(t, "pgaudit", "postgresql.csv", data, Options{})
	if len(s.events) != session+object || len(s.rejects) != 0 {
		t.Fatalf("%d events, %d rejects %v; want %d and 0", len(s.events), len(s.rejects), s.rejectReasons(), session+object)
	}
	e := s.events[0]
	want := time.Date(2015, 8, 12, 16, 13, 44, 809e6, time.UTC)
	if !e.Time.Equal(want) || e.TimeText != "2015-08-12 16:13:44.809 UTC" || e.ActorName != "vagrant" ||
		e.Action != "ROLE/CREATE ROLE" || e.Purpose != "create role pgaudit_owner;" || e.System != "postgresql:postgres" || e.Line != 10 {
		t.Errorf("first event %+v", e)
	}
	users := map[string]int{}
	reads := 0
	for _, e := range s.events {
		users[e.ActorName]++
		if strings.HasPrefix(e.Action, "READ/") && e.Resource != "" { // "SELECT 1" reads no object
			reads++
		}
		if e.IP != "" {
			t.Errorf("row %d: the sample only has [local] connections, got IP %q", e.Row, e.IP)
		}
	}
	if users["user1"] == 0 || users["user2"] == 0 || reads == 0 {
		t.Errorf("users %v, %d reads of an object", users, reads)
	}
	if len(s.warns) != 1 || !strings.Contains(s.warns[0], "40 ordinary server lines") {
		t.Errorf("warnings %v", s.warns)
	}
}

func TestElasticApacheSampleImportsEveryLine(t *testing.T) {
	data := readTestdata(t, "logs/elastic_examples_apache_logs_first3000.log")
	lines := bytes.Count(data, []byte{'\n'})
	s := mustParseLog(t, "weblog", "apache_logs", data, Options{})
	if lines != 3000 || len(s.events) != lines || len(s.rejects) != 0 {
		t.Fatalf("%d lines, %d events, %d rejects %v", lines, len(s.events), len(s.rejects), s.rejectReasons())
	}
	e := s.events[0]
	if !e.Time.Equal(time.Date(2015, 5, 17, 10, 5, 3, 0, time.UTC)) || e.IP != "83.149.9.216" || e.Action != "GET" ||
		e.Resource != "/presentations/logstash-monitorama-2013/images/kibana-search.png" || e.ActorName != "" {
		t.Errorf("first event %+v", e)
	}
	last := s.events[len(s.events)-1]
	if !last.Time.Equal(time.Date(2015, 5, 18, 11, 5, 45, 0, time.UTC)) || last.IP != "187.211.57.202" || last.Row != 3000 {
		t.Errorf("last event %+v", last)
	}
}

func TestCrowdsecSampleImportsAccessLinesAndRejectsErrorLogLines(t *testing.T) {
	data := readTestdata(t, "logs/crowdsec_apache2-logs.log")
	s := mustParseLog(t, "weblog", "apache2-logs.log", data, Options{})
	// 9 lines: 7 access lines (one with a vhost, one with a vhost:port, one
	// without referer and user agent) and 2 Apache error-log lines.
	if len(s.events) != 7 || len(s.rejects) != 2 {
		t.Fatalf("%d events, %d rejects %v", len(s.events), len(s.rejects), s.rejectReasons())
	}
	if r := s.rejects[0]; r.Line != 8 || r.Row != 8 || !strings.HasPrefix(r.Raw, "[Thu Oct 13") {
		t.Errorf("first reject %+v", r)
	}
	vhost := s.events[3]
	if vhost.System != "www.crowdsec.net" || vhost.IP != "1.2.3.4" || vhost.Resource != "/solr/admin/info/system?wt=json" {
		t.Errorf("vhost line %+v", vhost)
	}
	short := s.events[5]
	if short.IP != "116.203.1.1" || !short.Time.Equal(time.Date(2021, 3, 5, 8, 1, 38, 0, time.UTC)) || short.Action != "GET" {
		t.Errorf("line without referer %+v", short)
	}
	port := s.events[6]
	if port.System != "website.com:443" || !port.Time.Equal(time.Date(2021, 10, 25, 9, 5, 52, 0, time.UTC)) {
		t.Errorf("vhost:port line %+v", port)
	}
}
