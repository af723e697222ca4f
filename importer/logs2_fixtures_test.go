package importer

import (
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
