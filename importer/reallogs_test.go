package importer

import (
	"errors"
	"strings"
	"testing"
	"time"

	"casebook/model"
)

// The real third-party logs of testdata/reallogs (see SOURCES.md there).
// Each expected count was computed without Casebook, by grep over the file
// (the command is given per row), and at least one field of one event was
// read off the file by hand.

type realLog struct {
	file    string
	format  string
	events  int    // expected events
	rejects int    // expected rejections
	counted string // how events was counted, independently of the parser
	check   func(t *testing.T, evs []*model.Event)
}

var realLogs = []realLog{
	{"golibaudit_audit-rhel6.log", "auditd", 2, 0, "grep -c '^type=' → 2", func(t *testing.T, evs []*model.Event) {
		// line 1: type=SYSCALL … syscall=44 success=yes … auid=4294967295 uid=0 … comm="charon"
		// exe=2F7573722F… (hex for "/usr/libexec/strongswan/charon (deleted)")
		e := evs[0]
		wantEvent(t, e, time.Date(2017, 3, 31, 21, 29, 12, 404e6, time.UTC), "0", "SYSCALL 44")
		if e.Resource != "/usr/libexec/strongswan/charon (deleted)" || e.TimeText != "1490995752.404:20614537" {
			t.Errorf("resource %q, time text %q", e.Resource, e.TimeText)
		}
		// line 2: USER_CMD with auid=700 and a hex cmd
		if evs[1].ActorName != "700" || !strings.HasPrefix(evs[1].Resource, "/usr/lib64/nagios/plugins/check_asterisk_sip_peers -p") {
			t.Errorf("second event %+v", evs[1])
		}
	}},
	{"golibaudit_audit-rhel7.log", "auditd", 49, 1, "grep -c '^type=' → 50 records, grep -c 'msg=audit(' → 49 of them stamped; " +
		"line 31 is type=UNKNOWN[1329] msg=? with no time", func(t *testing.T, evs []*model.Event) {
		// line 1: type=ADD_GROUP msg=audit(1481076992.414:385): … uid=0 auid=4294967295 … msg='op=add-group … exe="/usr/sbin/groupadd" … res=success'
		wantEvent(t, evs[0], time.Date(2016, 12, 7, 2, 16, 32, 414e6, time.UTC), "0", "ADD_GROUP add-group success")
		if evs[0].Resource != "/usr/sbin/groupadd" {
			t.Errorf("resource %q", evs[0].Resource)
		}
	}},
	{"golibaudit_audit-ubuntu16.log", "auditd", 3, 0, "grep -c '^type=' → 3", func(t *testing.T, evs []*model.Event) {
		// line 1: a failed sshd login from 179.38.151.221, acct hex for "(invalid user)"
		e := evs[0]
		wantEvent(t, e, time.Date(2017, 4, 22, 21, 25, 1, 818e6, time.UTC), "(invalid user)", "USER_LOGIN login failed")
		if e.IP != "179.38.151.221" || e.Resource != "/usr/sbin/sshd" {
			t.Errorf("first event %+v", e)
		}
		// line 2: a login by auid 1001 from 72.83.230.100
		if evs[1].ActorName != "1001" || evs[1].IP != "72.83.230.100" || evs[1].Action != "USER_LOGIN login success" {
			t.Errorf("second event %+v", evs[1])
		}
		// line 3: an AppArmor denial
		if evs[2].Action != "AVC DENIED ptrace" || evs[2].Resource != "metricbeat" {
			t.Errorf("third event %+v", evs[2])
		}
	}},
	{"golibaudit_test2.log", "auditd", 10, 0, "grep -c '^type=' → 10", func(t *testing.T, evs []*model.Event) {
		// line 1: type=AVC … avc:  denied  { read } for  pid=13010 comm="pickup" name="maildrop"
		wantEvent(t, evs[0], time.Date(2007, 1, 28, 21, 58, 13, 977e6, time.UTC), "", "AVC denied read")
		if evs[0].Resource != "pickup" {
			t.Errorf("resource %q", evs[0].Resource)
		}
		// the records of serial 293 stay one event per line
		n := 0
		for _, e := range evs {
			if strings.HasSuffix(e.TimeText, ":293") {
				n++
			}
		}
		if n != 4 { // grep -c 'audit(1170021493.977:293)' → 4
			t.Errorf("%d events of serial 293, want 4", n)
		}
	}},
	{"golibaudit_test3.log", "auditd", 17, 0, "grep -c '^type=' → 17", func(t *testing.T, evs []*model.Event) {
		// line 1: type=SYSCALL … syscall=23 success=yes … auid=1000 uid=1000 … comm="sshd" exe="/usr/sbin/sshd"
		wantEvent(t, evs[0], time.Date(2016, 1, 3, 0, 37, 51, 394e6, time.UTC), "1000", "SYSCALL 23")
	}},
	{"pyevtx_security_first400.xml", "winevent-xml", 400, 0, "grep -c '<Event xmlns' → 400", func(t *testing.T, evs []*model.Event) {
		// record 2: 4624, TargetUserName SYSTEM (S-1-5-18), LogonType 0, on 37L4247F27-25
		e := evs[1]
		wantEvent(t, e, time.Date(2016, 7, 8, 18, 12, 51, 681641e3, time.UTC), "SYSTEM", "4624 logon")
		if e.ActorID != "S-1-5-18" || e.System != "37L4247F27-25" || !strings.HasPrefix(e.Purpose, "logon type 0 (System)") {
			t.Errorf("second event %+v", e)
		}
		// grep -c '<EventID Qualifiers="">4624<' → 134; grep -c '<EventID Qualifiers="">4672<' → 106;
		// grep -c 'Name="IpAddress">127.0.0.1<' → 24
		logons, privs, local := 0, 0, 0
		for _, e := range evs {
			switch {
			case e.Action == "4624 logon":
				logons++
			case e.Action == "4672 special privileges assigned":
				privs++
			}
			if e.IP == "127.0.0.1" {
				local++
			}
		}
		if logons != 134 || privs != 106 || local != 24 {
			t.Errorf("%d logons, %d privilege events, %d from 127.0.0.1; want 134, 106, 24", logons, privs, local)
		}
	}},
	{"pyevtx_system_first300.xml", "winevent-xml", 300, 0, "grep -c '<Event xmlns' → 300", func(t *testing.T, evs []*model.Event) {
		// record 1: EventID 105 of Microsoft-Windows-Eventlog (Qualifiers 0), an AutoBackup of the System log
		e := evs[0]
		if !e.Time.Equal(time.Date(2012, 3, 14, 4, 17, 43, 354563e3, time.UTC)) || e.System != "WKS-WIN764BITB.shieldbase.local" ||
			!strings.Contains(e.Purpose, `Archive-System-2012-03-14-04-17-39-932.evtx`) {
			t.Errorf("first event %+v", e)
		}
	}},
	{"winlogbeat_ec3and4.xml", "winevent-xml", 2, 0, "grep -c '<Event xmlns' → 2", func(t *testing.T, evs []*model.Event) {
		e := evs[0]
		if !e.Time.Equal(time.Date(2022, 3, 22, 2, 3, 11, 861663800, time.UTC)) || e.Action != "5 Backup" || e.Purpose != "Backup failure" ||
			e.ActorID != "S-1-5-21-2297499104-2362337018-4092230427-1000" || e.System != "vagrant" {
			t.Errorf("first event %+v", e)
		}
	}},
	{"winlogbeat_application-windows-error-reporting.xml", "winevent-xml", 1, 0, "grep -c '<Event xmlns' → 1", func(t *testing.T, evs []*model.Event) {
		if e := evs[0]; e.Action != "1001 Windows Error Reporting" || !strings.Contains(e.Purpose, "WindowsWcpOtherFailure3") {
			t.Errorf("event %+v", e)
		}
	}},
}

// wantEvent checks the time, actor and action of e.
func wantEvent(t *testing.T, e *model.Event, at time.Time, actor, action string) {
	t.Helper()
	if !e.Time.Equal(at) || e.ActorName != actor || e.Action != action {
		t.Errorf("row %d: time %v actor %q action %q; want %v %q %q", e.Row, e.Time, e.ActorName, e.Action, at, actor, action)
	}
}

func TestRealThirdPartyLogsGiveTheirCountedEventsAndFields(t *testing.T) {
	for _, c := range realLogs {
		t.Run(c.file, func(t *testing.T) {
			data := fetchedFile(t, "reallogs", c.file)
			head := data[:min(len(data), HeadSize)]
			if f, err := Detect(c.file, head, ""); err != nil || f.Name != c.format {
				t.Errorf("detected as %s (%v), want %s", fname(f), err, c.format)
			}
			s := mustParseLog(t, c.format, c.file, data, Options{})
			if len(s.events) != c.events || len(s.rejects) != c.rejects {
				t.Fatalf("%d events, %d rejects %v; want %d and %d (%s)", len(s.events), len(s.rejects), s.rejectReasons(), c.events, c.rejects, c.counted)
			}
			c.check(t, s.events)
		})
	}
}

func TestBinaryEVTXIsRefusedWithTheExportCommand(t *testing.T) {
	// The first 4 KiB of a binary EVTX file: its file header ("ElfFile"), then
	// the first chunk's signature. The layout is Microsoft's; the bytes are ours.
	head := make([]byte, 4096+8)
	copy(head, "ElfFile\x00")
	copy(head[4096:], "ElfChnk\x00")
	_, err := Detect("System.evtx", head, "")
	if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "wevtutil qe") || !strings.Contains(err.Error(), "System.evtx") {
		t.Fatalf("binary EVTX: %v", err)
	}
	s, _, err := parseLog(t, "winevent-xml", "System.evtx", head, Options{})
	if err == nil || !strings.Contains(err.Error(), "binary EVTX") || len(s.events) != 0 {
		t.Fatalf("forced as XML: %v, %d events", err, len(s.events))
	}
}
