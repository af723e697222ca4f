package importer

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"casebook/model"
)

// The fictional fixtures of the formats added for issue 14 (auditd,
// Windows events as XML and CSV, Google Workspace, split-time CSV,
// Teleport-style JSON Lines). They join logFixtures, so the table test,
// detection, --strict, hostile-input and fuzz tests cover them too.
func init() {
	logFixtures = append(logFixtures,
		logFixture{"lumora_audit.log", "auditd", 5, 1, model.Event{Time: utc("2024-03-04T09:35:02.117Z"),
			ActorName: "mia.chen", ActorID: "1001", IP: "192.0.2.8", Action: "USER_LOGIN login success",
			System: "lumora-db1", Resource: "/usr/sbin/sshd", Line: 1, Row: 1}},
		logFixture{"lumora_security_events.xml", "winevent-xml", 3, 1, model.Event{Time: utc("2024-03-04T09:15:02.1234567Z"),
			ActorName: "mia.chen", ActorID: "S-1-5-21-1111-2222-3333-1001", IP: "192.0.2.8", Action: "4624 logon",
			System: "LUMORA-FS01.lumora.example", Resource: `C:\Windows\System32\svchost.exe`,
			Purpose: "logon type 10 (RemoteInteractive); workstation LUMORA-LT-042; domain LUMORA", Line: 3, Row: 1}},
		logFixture{"lumora_security_events.csv", "winevent-csv", 3, 1, model.Event{Time: utc("2024-03-04T09:15:02Z"),
			ActorName: "mia.chen", ActorID: "S-1-5-21-1111-2222-3333-1001", IP: "192.0.2.8", Action: "4624 logon",
			System: "Microsoft-Windows-Security-Auditing", DataCategory: "Logon",
			Purpose: "logon type 10 (RemoteInteractive); workstation LUMORA-LT-042; domain LUMORA", Line: 2, Row: 1}},
		logFixture{"lumora_workspace_activities.json", "gworkspace", 3, 1, model.Event{Time: utc("2024-03-08T03:12:44.12Z"),
			ActorName: "aiko.tanaka@lumora.example", ActorID: "100000000000000000001", IP: "203.0.113.55", Action: "login_failure",
			System:  "google-workspace:login",
			Purpose: "type login; login_type=google_password; login_failure_type=login_failure_invalid_password; is_suspicious=true",
			Line:    4, Row: 1}},
		logFixture{"lumora_split_time.csv", "csv-accesslog", 3, 1, model.Event{Time: utc("2024-03-04T09:15:02Z"),
			ActorName: "Mia Chen", IP: "192.0.2.8", Action: "export", Resource: "us_users.profiles", Line: 2, Row: 1}},
		logFixture{"lumora_month_day_time.csv", "csv-accesslog", 3, 0, model.Event{Time: utc("2024-03-04T09:15:02Z"),
			ActorName: "mia.chen", IP: "192.0.2.8", Action: "login", Line: 2, Row: 1}},
		logFixture{"lumora_teleport_audit.jsonl", "jsonl-accesslog", 3, 0, model.Event{Time: utc("2024-03-04T09:15:02.12Z"),
			ActorName: "mia.chen", IP: "192.0.2.8", Action: "user.login", Line: 1, Row: 1}},
	)
}

// The action of a JSON Lines record is what it says was done: ECS
// event.action over http.request.method, eventName, operationName. (A
// Workspace activity, whose events[].name is its action, is read by the
// gworkspace format, which also reads pretty-printed activities whole.)
func TestJSONLinesActionComesFromTheRecordsOwnActionKey(t *testing.T) {
	cases := []struct{ line, want string }{
		{`{"@timestamp":"2024-03-04T09:15:02Z","user":{"name":"mia.chen"},"source":{"ip":"192.0.2.8"},"event":{"action":"file-downloaded","category":"file"},"http":{"request":{"method":"GET"}}}`, "file-downloaded"},
		{`{"eventTime":"2024-03-04T09:15:02Z","userName":"mia.chen","sourceIp":"192.0.2.8","eventName":"ConsoleLogin","method":"POST"}`, "ConsoleLogin"},
		{`{"time":"2024-03-04T09:15:02Z","caller":"mia.chen","callerIpAddress":"192.0.2.8","operationName":"MICROSOFT.STORAGE/READ","method":"GET"}`, "MICROSOFT.STORAGE/READ"},
	}
	for _, c := range cases {
		data := []byte(c.line + "\n" + c.line + "\n")
		s := mustParseLog(t, "jsonl-accesslog", "log.jsonl", data, Options{})
		if len(s.events) != 2 || s.events[0].Action != c.want {
			t.Errorf("%s: %d events, action %q, want %q", c.line[:40], len(s.events), s.events[0].Action, c.want)
		}
	}
}

// The same Workspace activities one per line, as a one-line activities.list
// response, and pretty-printed one after another: every shape gives the
// same events as the fixture.
func TestWorkspaceActivitiesInEveryShapeGiveTheSameEvents(t *testing.T) {
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(readTestdata(t, "logfixtures/lumora_workspace_activities.json"), &list); err != nil {
		t.Fatal(err)
	}
	var lines, pretty bytes.Buffer
	for _, it := range list.Items {
		var c bytes.Buffer
		if err := json.Compact(&c, it); err != nil {
			t.Fatal(err)
		}
		lines.Write(append(c.Bytes(), '\n'))
		if err := json.Indent(&pretty, it, "", "  "); err != nil {
			t.Fatal(err)
		}
		pretty.WriteString("\n")
	}
	oneLine := `{"kind":"admin#reports#activities","items":[` + strings.TrimSpace(strings.ReplaceAll(lines.String(), "\n", ",")) + "]}\n"
	oneLine = strings.Replace(oneLine, ",]}", "]}", 1)
	for name, data := range map[string][]byte{"lines.jsonl": lines.Bytes(), "pretty.json": pretty.Bytes(), "page.json": []byte(oneLine)} {
		head := data[:min(len(data), HeadSize)]
		if f, err := Detect(name, head, ""); err != nil || f.Name != "gworkspace" {
			t.Errorf("%s detected as %s, %v", name, fname(f), err)
		}
		s := mustParseLog(t, "gworkspace", name, data, Options{})
		if len(s.events) != 3 || len(s.rejects) != 1 {
			t.Fatalf("%s: %d events, %d rejects %v", name, len(s.events), len(s.rejects), s.rejectReasons())
		}
		admin := s.events[1]
		if admin.Action != "CHANGE_PASSWORD, CHANGE_PASSWORD_ON_NEXT_LOGIN" || admin.ActorName != "daniel.okafor@lumora.example" ||
			admin.Resource != "aiko.tanaka@lumora.example" || admin.IP != "198.51.100.91" || admin.System != "google-workspace:admin" {
			t.Errorf("%s: admin event %+v", name, admin)
		}
		if d := s.events[2]; d.Resource != "US creators 2024-03" || !strings.Contains(d.Purpose, "visibility=private, shared_internally") {
			t.Errorf("%s: drive event %+v", name, d)
		}
	}
}

// A year-less Month + Day + Time log moves to the next year when the month
// falls from December to January, and says which year it assumed.
func TestYearlessSplitTimeCrossesTheNewYear(t *testing.T) {
	data := []byte("Month,Day,Time,User,IP,Action\nDec,31,23:59:00,mia.chen,192.0.2.8,login\n12,31,23:59:30,mia.chen,192.0.2.8,export\nJan,1,00:01:00,mia.chen,192.0.2.8,logout\n")
	s := mustParseLog(t, "csv-accesslog", "noyear.csv", data, Options{Year: 2023})
	if len(s.events) != 3 || !s.events[0].Time.Equal(utc("2023-12-31T23:59:00Z")) || !s.events[2].Time.Equal(utc("2024-01-01T00:01:00Z")) ||
		s.events[2].TimeText != "Jan 1 00:01:00" {
		t.Fatalf("%d events: %v", len(s.events), s.events)
	}
	s = mustParseLog(t, "csv-accesslog", "noyear.csv", data, Options{})
	if !strings.Contains(strings.Join(s.warns, "\n"), "carry no year; assumed") {
		t.Errorf("no warning of the assumed year: %v", s.warns)
	}
}

// Windows tools write XML in UTF-16 too (with an encoding="UTF-16"
// declaration): the events and their offsets are the same.
func TestWindowsEventXMLInUTF16(t *testing.T) {
	text := string(readTestdata(t, "logfixtures/lumora_security_events.xml"))
	text = strings.Replace(text, `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
	data := encodeUTF16(t, text, false)
	if f, err := Detect("security.xml", data[:min(len(data), HeadSize)], ""); err != nil || f.Name != "winevent-xml" {
		t.Fatalf("detected %s, %v", fname(f), err)
	}
	s := mustParseLog(t, "winevent-xml", "security.xml", data, Options{})
	if len(s.events) != 3 || len(s.rejects) != 1 || s.events[1].ActorName != "chairman.voss" ||
		!strings.Contains(s.events[1].Purpose, "unknown user name or bad password") {
		t.Fatalf("%d events, %d rejects; second %+v", len(s.events), len(s.rejects), s.events[1])
	}
}
