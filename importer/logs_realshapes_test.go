package importer

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Access-log shapes seen in real third-party files (issue 14), rebuilt with
// fictional data: the company Quillfeather Logistics, its hosts qf-*, and
// addresses from the documentation ranges. The fetched originals are not in
// the repository, so these tests carry the regressions.

// detectedAs runs detection as casefile does and returns the format name.
func detectedAs(t *testing.T, name string, data []byte) string {
	t.Helper()
	f, err := Detect(name, data[:min(len(data), HeadSize)], "")
	if err != nil {
		t.Fatalf("detect %s: %v", name, err)
	}
	return f.Name
}

func TestSyslogReadsOneSpaceBeforeAOneDigitDay(t *testing.T) {
	data := []byte("Feb 12 14:10:21 qf-bastion-02 sshd[16378]: Invalid user tomasz from 203.0.113.40 port 53502\n" +
		"Nov 2 15:40:14 qf-bastion-02 sshd[28179]: Invalid user ines from 203.0.113.41 port 40022\n" +
		"Nov  3 15:40:15 qf-bastion-02 sshd[28179]: Accepted publickey for marta from 198.51.100.7 port 22 ssh2\n" +
		"Nov 13 09:01:02 qf-bastion-02 sshd[28180]: Connection reset by authenticating user root 203.0.113.42 port 49115 [preauth]\n")
	if got := detectedAs(t, "auth.log", data); got != "syslog" {
		t.Fatalf("detected as %s, want syslog", got)
	}
	s := mustParseLog(t, "syslog", "auth.log", data, Options{Year: 2025})
	if len(s.events) != 4 || len(s.rejects) != 0 {
		t.Fatalf("%d events, rejects %v; want 4 and none", len(s.events), s.rejectReasons())
	}
	e := s.events[1]
	if got := e.Time.Format("2006-01-02 15:04:05"); got != "2025-11-02 15:40:14" || e.TimeText != "Nov 2 15:40:14" {
		t.Errorf("one-space day: time %s (%q)", got, e.TimeText)
	}
	if e.ActorName != "ines" || e.IP != "203.0.113.41" || e.System != "qf-bastion-02" {
		t.Errorf("one-space day: actor %q ip %q host %q", e.ActorName, e.IP, e.System)
	}
	if got := s.events[2].Time.Format("01-02"); got != "11-03" {
		t.Errorf("two-space day read as %s", got)
	}
	if e := s.events[3]; e.ActorName != "root" || e.IP != "203.0.113.42" || e.Action != "sshd disconnected" {
		t.Errorf("connection reset: actor %q ip %q action %q", e.ActorName, e.IP, e.Action)
	}
	// Three digits or no digit is still no day.
	bad := mustParseLogRejects(t, "Nov 123 15:40:14 qf-bastion-02 sshd[1]: x\nNov  15:40:14 qf-bastion-02 sshd[1]: x\n"+
		"Nov 2 15:40:14 qf-bastion-02 sshd[1]: ok\n")
	if len(bad.rejects) != 2 || len(bad.events) != 1 {
		t.Errorf("malformed days: %d events, rejects %v", len(bad.events), bad.rejectReasons())
	}
}

// mustParseLogRejects parses data as syslog for 2025 and returns the sink.
func mustParseLogRejects(t *testing.T, data string) *eventSink {
	t.Helper()
	return mustParseLog(t, "syslog", "auth.log", []byte(data), Options{Year: 2025})
}

func TestSshdMessagesWithExtraBlanksKeepActorAndIP(t *testing.T) {
	data := "Mar 11 00:00:00 qf-gw-01 sshd[3]:  Server listening on 0.0.0.0 port 22.\n" +
		"Mar 11 19:26:39 qf-mac-07 sshd[3]:  Accepted publickey for marta from 198.51.100.7 port 59229 ssh2: RSA 00:aa:bb\n" +
		"Mar 11 22:55:30 qf-gw-01 sshd[3]:  Accepted password for tomasz from 2001:0db8:0a0b:12f0:0000:0000:0000:0001 port 42532  ssh2\n" +
		"Mar 11 22:55:31 qf-gw-01 sshd[3]: Failed  password for  invalid user  ines from 203.0.113.9 port 8759\n" +
		"Mar 11 22:55:32 qf-gw-01 sshd[3]:  Invalid user  from 203.0.113.10 port 8760\n" +
		"Mar 11 22:55:33 qf-gw-01 sshd[3]: Invalid user from from 203.0.113.11 port 8761\n" +
		"Mar 11 22:55:34 qf-gw-01 sudo:   marta : TTY=pts/0 ; PWD=/home/marta ; USER=root ; COMMAND=/usr/bin/id\n" +
		"Mar 11 22:55:35 qf-gw-01 sshd[28179]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.12  user=dana\n" +
		"Mar 11 22:55:36 qf-gw-01 sshd[28179]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.13\n"
	s := mustParseLogRejects(t, data)
	if len(s.events) != 9 {
		t.Fatalf("%d events, want 9; rejects %v", len(s.events), s.rejectReasons())
	}
	want := []struct{ actor, ip, action string }{
		{"", "", "sshd"},
		{"marta", "198.51.100.7", "sshd accepted publickey"},
		{"tomasz", "2001:db8:a0b:12f0::1", "sshd accepted password"},
		{"ines", "203.0.113.9", "sshd failed password"},
		{"", "203.0.113.10", "sshd invalid user"},
		{"from", "203.0.113.11", "sshd invalid user"},
		{"marta", "", "sudo"},
		{"dana", "203.0.113.12", "sshd authentication failure"},
		{"", "203.0.113.13", "sshd authentication failure"},
	}
	for i, w := range want {
		e := s.events[i]
		if e.ActorName != w.actor || e.IP != w.ip || e.Action != w.action {
			t.Errorf("line %d: actor %q ip %q action %q, want %q %q %q", i+1, e.ActorName, e.IP, e.Action, w.actor, w.ip, w.action)
		}
	}
	if e := s.events[6]; e.Resource != "/usr/bin/id" || e.Purpose != "as root" {
		t.Errorf("sudo: resource %q purpose %q", e.Resource, e.Purpose)
	}
}

// A macOS syslogd file: "Configuration Notice:" lines carry their message on
// tab-indented lines after them.
const macSyslogShape = "Aug 16 00:10:45 qf-air syslogd[314]: ASL Sender Statistics\n" +
	"Aug 16 00:32:15 qf-air syslogd[314]: Configuration Notice:\n" +
	"\tASL Module \"com.quillfeather.courier\" claims selected messages.\n" +
	"\tThose messages may not appear in standard system log files or in the ASL database.\n" +
	"Aug 16 00:32:15 qf-air syslogd[314]: Configuration Notice:\n" +
	"\tASL Module \"com.quillfeather.ledger\" sharing output destination \"/var/log/asl\".\n" +
	"\tOutput parameters from ASL Module \"com.apple.asl\" override any specified.\n" +
	"Aug 16 00:32:15 qf-air syslogd[314]: Configuration Notice:\n" +
	"\tASL Module \"com.quillfeather.vault\" claims selected messages.\n" +
	"\tThose messages may not appear in standard system log files or in the ASL database.\n" +
	"Aug 16 00:40:01 qf-air login[88]: USER_PROCESS: 88 ttys000\n"

func TestSyslogContinuationLinesJoinTheLineBefore(t *testing.T) {
	for _, c := range []struct{ name, eol string }{{"LF", "\n"}, {"CRLF", "\r\n"}, {"CR", "\r"}} {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(strings.ReplaceAll(macSyslogShape, "\n", c.eol))
			if got := detectedAs(t, "system.log", data); got != "syslog" {
				t.Fatalf("detected as %s, want syslog", got)
			}
			s := mustParseLog(t, "syslog", "system.log", data, Options{Year: 2025})
			if len(s.events) != 5 || len(s.rejects) != 0 {
				t.Fatalf("%d events, rejects %v; want 5 and none", len(s.events), s.rejectReasons())
			}
			e := s.events[1]
			if e.Line != 2 || e.Row != 2 || !strings.HasSuffix(e.Raw, "claims selected messages."+c.eol+
				"\tThose messages may not appear in standard system log files or in the ASL database.") {
				t.Errorf("event 2 at line %d row %d, Raw %q", e.Line, e.Row, e.Raw)
			}
			if last := s.events[4]; last.Line != 11 || last.Row != 5 || strings.Contains(last.Raw, "\t") {
				t.Errorf("last event at line %d row %d, Raw %q", last.Line, last.Row, last.Raw)
			}
		})
	}
	// A continuation with no line before it, or after a blank line, stays a
	// refusal: nothing is silently glued.
	s := mustParseLogRejects(t, "\tstray indented line\nAug 16 00:10:45 qf-air syslogd[314]: Notice:\n\n\tafter a blank line\n")
	if len(s.events) != 1 || len(s.rejects) != 2 || s.events[0].Raw != "Aug 16 00:10:45 qf-air syslogd[314]: Notice:" {
		t.Errorf("%d events (%q), rejects %v", len(s.events), s.events[0].Raw, s.rejectReasons())
	}
	// Indented lines alone are not syslog.
	if f, err := Detect("notes.txt", []byte("\tone\n\ttwo\n\tthree\n"), ""); err == nil && f.Name == "syslog" {
		t.Errorf("indented text detected as syslog")
	}
}

// Web log lines seen in real Nginx and Apache files that the strict
// combined/common pattern refuses.
const webShapes = `203.0.113.5 - - [04/Jan/2025:07:25:02 +0000] "GET /.well-known/acme-challenge/Qf7x HTTP/1.1" 404 522 "-" "Go-http-client/1.1"
203.0.113.6 - [08/Jun/2025:08:04:43 +0000] "GET /api/parcels HTTP/1.1" 200 100 "-" "curl/7.68.0"
198.51.100.23 - - [25/Apr/2025:06:15:33 +0000] "GET /track?parcel=<script>alert("quill")</script> HTTP/1.0" 404 1164
198.51.100.23 - - [25/Apr/2025:06:15:34 +0000] "GET /${("Quill"+"123")}/chain.action HTTP/1.0" 404 1164 "-" "Mozilla/5.0 (X11; "fake")"
ledger.quillfeather.example:443 198.51.100.24 - dana [25/Apr/2025:06:15:35 +0000] "POST /login?next="/" HTTP/2.0" 302 0
198.51.100.25 - - [25/Apr/2025:06:15:36 +0000] "GET /old"page" 200 12
2025/12/01 13:53:33 [error] 31#31: *46 "/srv/www/index.html" is not found (2: No such file or directory), client: 203.0.113.5, request: "GET / HTTP/1.1"
203.0.113.7 - - [25/Apr/2025:06:15:37 +0000] "GET /x HTTP/1.1" oops 12
203.0.113.8 - - [not a time] "GET /x HTTP/1.1" 200 12
`

func TestWebLogToleratesAMissingFieldAndQuotesInTheRequest(t *testing.T) {
	data := []byte(webShapes)
	if got := detectedAs(t, "access.log", data); got != "weblog" {
		t.Fatalf("detected as %s, want weblog", got)
	}
	s := mustParseLog(t, "weblog", "access.log", data, Options{})
	if len(s.events) != 6 || len(s.rejects) != 3 {
		t.Fatalf("%d events, rejects %v; want 6 and the last 3 lines", len(s.events), s.rejectReasons())
	}
	want := []struct{ ip, actor, action, resource, system string }{
		{"203.0.113.5", "", "GET", "/.well-known/acme-challenge/Qf7x", ""},
		{"203.0.113.6", "", "GET", "/api/parcels", ""},
		{"198.51.100.23", "", "GET", `/track?parcel=<script>alert("quill")</script>`, ""},
		{"198.51.100.23", "", "GET", `/${("Quill"+"123")}/chain.action`, ""},
		{"198.51.100.24", "dana", "POST", `/login?next="/"`, "ledger.quillfeather.example:443"},
		{"198.51.100.25", "", "GET", `/old"page`, ""},
	}
	for i, w := range want {
		e := s.events[i]
		if e.IP != w.ip || e.ActorName != w.actor || e.Action != w.action || e.Resource != w.resource || e.System != w.system {
			t.Errorf("line %d: ip %q actor %q action %q resource %q system %q", e.Line, e.IP, e.ActorName, e.Action, e.Resource, e.System)
		}
	}
	if e := s.events[1]; e.Time.Format("2006-01-02T15:04:05Z07:00") != "2025-06-08T08:04:43Z" {
		t.Errorf("missing-field line: time %v", e.Time)
	}
	for i, r := range s.rejects[:2] {
		if r.Line != 7+i || r.Reason != "not a combined or common log line" {
			t.Errorf("reject %d: line %d %q", i, r.Line, r.Reason)
		}
	}
	if r := s.rejects[2]; r.Line != 9 || !strings.HasPrefix(r.Reason, `time "not a time"`) {
		t.Errorf("bad time: line %d %q", r.Line, r.Reason)
	}
}

// lookupEvent builds one record as `aws cloudtrail lookup-events` prints it:
// the full CloudTrail record as a JSON string under CloudTrailEvent.
func lookupEvent(t testing.TB, id, name, local, utc, user, ip string) string {
	t.Helper()
	inner, err := json.Marshal(map[string]any{
		"eventVersion": "1.08", "eventTime": utc, "eventSource": "ec2.amazonaws.com", "eventName": name,
		"awsRegion": "ap-southeast-2", "sourceIPAddress": ip, "userAgent": "console.ec2.amazonaws.com",
		"userIdentity": map[string]any{"type": "IAMUser", "principalId": "AIDAQUILLFEATHER0001",
			"arn": "arn:aws:iam::111122223333:user/" + user, "accountId": "111122223333", "userName": user},
		"requestParameters": map[string]any{"instancesSet": map[string]any{"items": []any{map[string]any{"instanceId": "i-0qf1"}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	outer, err := json.Marshal(map[string]any{
		"EventId": id, "EventName": name, "ReadOnly": "true", "AccessKeyId": "AKIAQUILLFEATHER01",
		"EventTime": local, "EventSource": "ec2.amazonaws.com", "Username": user,
		"Resources":       []any{map[string]any{"ResourceType": "AWS::EC2::Instance", "ResourceName": "i-0qf1"}},
		"CloudTrailEvent": string(inner),
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(outer)
}

func TestCloudTrailLookupEventsShapeReadsTheEmbeddedRecord(t *testing.T) {
	lines := []string{
		lookupEvent(t, "e-1", "DescribeInstances", "2025-02-08 09:23:37+11:00", "2025-02-07T22:23:37Z", "ines.qf", "203.0.113.77"),
		lookupEvent(t, "e-2", "TerminateInstances", "2025-02-08 09:24:01+11:00", "2025-02-07T22:24:01Z", "tomasz.qf", "198.51.100.12"),
	}
	// The embedded string spoilt: the outer keys still give time, user and action.
	lines = append(lines, `{"EventId":"e-3","EventName":"StopInstances","EventTime":"2025-02-08 09:25:00+11:00",`+
		`"EventSource":"ec2.amazonaws.com","Username":"marta.qf","CloudTrailEvent":"{not json"}`)
	for _, shape := range []struct{ name, data string }{
		{"lines", strings.Join(lines, "\n") + "\n"},
		{"Events wrapper", `{"Events": [` + strings.Join(lines, ",\n") + `], "NextToken": "qf-next"}`},
	} {
		t.Run(shape.name, func(t *testing.T) {
			data := []byte(shape.data)
			if got := detectedAs(t, "lookup-events.json", data); got != "cloudtrail" {
				t.Fatalf("detected as %s, want cloudtrail", got)
			}
			s := mustParseLog(t, "cloudtrail", "lookup-events.json", data, Options{})
			if len(s.events) != 3 || len(s.rejects) != 0 {
				t.Fatalf("%d events, rejects %v; want 3 and none", len(s.events), s.rejectReasons())
			}
			e := s.events[0]
			if e.Time.Format(time.RFC3339) != "2025-02-07T22:23:37Z" || e.IP != "203.0.113.77" ||
				e.ActorName != "arn:aws:iam::111122223333:user/ines.qf" || e.ActorID != "AIDAQUILLFEATHER0001" ||
				e.Action != "DescribeInstances" || e.System != "ec2.amazonaws.com" || e.Resource != "i-0qf1" {
				t.Errorf("record 1: %+v", *e)
			}
			if e := s.events[1]; e.IP != "198.51.100.12" || e.Action != "TerminateInstances" {
				t.Errorf("record 2: ip %q action %q", e.IP, e.Action)
			}
			e = s.events[2]
			if e.Time.Format(time.RFC3339) != "2025-02-07T22:25:00Z" || e.ActorName != "marta.qf" || e.Action != "StopInstances" || e.IP != "" {
				t.Errorf("record 3 (outer keys only): time %v actor %q action %q ip %q", e.Time, e.ActorName, e.Action, e.IP)
			}
		})
	}
}

// streamedRecords runs the generic JSON streamer over data.
func streamedRecords(t *testing.T, data string) []*jsonRecord {
	t.Helper()
	var out []*jsonRecord
	_, err := streamJSON(context.Background(), Input{Name: "log.json", R: strings.NewReader(data), Size: int64(len(data))},
		func(r *jsonRecord) error {
			out = append(out, r)
			return nil
		})
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	for _, r := range out {
		if r.bad == "" && string(r.raw) != data[r.off:r.off+int64(len(r.raw))] {
			t.Errorf("record %d at offset %d: raw %q is not what the input holds there", r.n, r.off, r.raw)
		}
	}
	return out
}

// An object with an "events", "items" or "data" array is a wrapper of
// records only when the rest of it is envelope: scalars and metadata.
func TestJSONWrapperOnlyWhenTheRestIsEnvelope(t *testing.T) {
	activity := `{"kind":"qf#activity","actor":{"email":"ines@quillfeather.example"},"ipAddress":"203.0.113.30",` +
		`"id":{"time":"2025-03-01T10:00:00Z"},"events":[{"name":"login_success"},{"name":"login_verification"}]}`
	cases := []struct {
		name, data string
		want       []string // the first bytes of each good record
	}{
		{"record with an object beside its events", activity + "\n" + activity + "\n",
			[]string{`{"kind":"qf#activity"`, `{"kind":"qf#activity"`}},
		{"list response", `{"kind":"qf#list","nextPageToken":"p2","items":[{"a":1},{"a":2}]}` + "\n",
			[]string{`{"a":1}`, `{"a":2}`}},
		{"scalars under data", `{"time":"2025-03-01T10:00:00Z","user":"marta","data":[1,2,3]}` + "\n",
			[]string{`{"time"`}},
		{"a time beside the events", `{"timestamp":"2025-03-01T10:00:00Z","user":"marta","ip":"198.51.100.4","events":[{"name":"x"}]}` + "\n",
			[]string{`{"timestamp"`}},
		{"envelope with metadata objects", `{"data":[{"a":1},{"a":2}],"meta":{"count":2},"links":{"next":"/p2"}}` + "\n",
			[]string{`{"a":1}`, `{"a":2}`}},
		{"pretty-printed records", "{\n  \"actor\": {\"email\": \"tomasz@quillfeather.example\"},\n  \"events\": [{\"name\": \"a\"}]\n}\n" +
			"{\n  \"actor\": {\"email\": \"marta@quillfeather.example\"},\n  \"items\": [\"x\", \"y\"],\n  \"data\": [{\"n\": 1}]\n}\n",
			[]string{"{\n  \"actor\"", "{\n  \"actor\""}},
		{"pretty-printed wrapper", "{\n  \"NextToken\": \"qf\",\n  \"Records\": [\n    {\"a\": 1},\n    {\"a\": 2}\n  ],\n  \"meta\": {\"n\": 2}\n}\n",
			[]string{`{"a": 1}`, `{"a": 2}`}},
		{"scalars under a wrapper key, pretty-printed", "{\n  \"user\": \"ines\",\n  \"data\": [1, 2],\n  \"time\": \"2025-03-01T10:00:00Z\"\n}\n",
			[]string{"{\n  \"user\""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			recs := streamedRecords(t, c.data)
			var got []string
			for _, r := range recs {
				if r.bad != "" {
					t.Errorf("record %d refused: %s", r.n, r.bad)
				}
				got = append(got, string(r.raw))
			}
			if len(got) != len(c.want) {
				t.Fatalf("%d records %q, want %d", len(got), got, len(c.want))
			}
			for i, w := range c.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("record %d is %q, want it to start %q", i+1, got[i], w)
				}
			}
		})
	}
	// End to end: the activity imports as one event per line with its own
	// time and IP, not as two time-less "events".
	s := mustParseLog(t, "jsonl-accesslog", "activity.jsonl", []byte(strings.Repeat(activity+"\n", 3)),
		Options{Map: map[string]string{"time": "id.time", "ip": "ipAddress", "actor": "actor.email"}})
	if len(s.events) != 3 || len(s.rejects) != 0 || s.events[0].IP != "203.0.113.30" || s.events[0].ActorName != "ines@quillfeather.example" {
		t.Errorf("%d events, rejects %v", len(s.events), s.rejectReasons())
	}
}

// Fuzz targets seeded with the shapes above, so the tolerant paths are
// fuzzed from real-world forms.
func FuzzSyslogRealShapes(f *testing.F) {
	fuzzLog(f, "syslog", macSyslogShape, strings.ReplaceAll(macSyslogShape, "\n", "\r\n"),
		"Nov 2 15:40:14 qf-bastion-02 sshd[28179]:  Accepted publickey for marta from 198.51.100.7 port 22 ssh2\n\tmore\n")
}

func FuzzWebLogRealShapes(f *testing.F) { fuzzLog(f, "weblog", webShapes) }

func FuzzCloudTrailLookupEvents(f *testing.F) {
	line := lookupEvent(f, "e-1", "DescribeInstances", "2025-02-08 09:23:37+11:00", "2025-02-07T22:23:37Z", "ines.qf", "203.0.113.77")
	fuzzLog(f, "cloudtrail", line+"\n"+line+"\n", `{"Events": [`+line+`], "NextToken": "qf"}`)
}

func FuzzJSONWrapperShapes(f *testing.F) {
	fuzzLog(f, "jsonl-accesslog",
		`{"kind":"qf#activity","actor":{"email":"ines@quillfeather.example"},"id":{"time":"2025-03-01T10:00:00Z"},"events":[{"name":"x"}]}`+"\n",
		`{"kind":"qf#list","items":[{"time":"2025-03-01T10:00:00Z","user":"a","ip":"203.0.113.1"}],"meta":{"n":1}}`+"\n",
		"{\n  \"user\": \"ines\",\n  \"data\": [1, 2],\n  \"time\": \"2025-03-01T10:00:00Z\"\n}\n")
}
