package importer

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"

	"casebook/model"
)

// Windows event logs exported as XML: wevtutil qe … /f:xml (one <Event> per
// line, no root), Event Viewer's "Save as XML" and Get-WinEvent's ToXml()
// (an <Events> root holding pretty-printed <Event> elements). Each <Event>
// is one access event, streamed one element at a time. The Security log's
// logons and process creations (4624, 4625, 4634, 4647, 4648, 4672, 4688 …)
// fill actor, IP, action and resource; any other event keeps its provider,
// id and data text.
//
// Binary .evtx files are not read: no maintained Go reader of the format
// is available to Casebook, so they are refused with the export command.

func init() {
	Register(Format{
		Name:    "winevent-xml",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "Windows event log exported as XML (wevtutil /f:xml, Event Viewer 'Save as XML')",
		Detect:  detectWinEventXML,
		Parse:   parseWinEventXML,
	})
}

// evtxMagic starts every binary .evtx file.
var evtxMagic = []byte("ElfFile\x00")

// ErrBinaryEVTX explains what to do with a binary .evtx file.
const binaryEVTXAdvice = "binary EVTX (Windows event log) cannot be read directly: export it as XML with " +
	"`wevtutil qe Security /lf:true /f:xml /e:Events > security.xml` (for a saved file: " +
	"`wevtutil qe FILE.evtx /lf:true /f:xml /e:Events`) or Event Viewer's 'Save All Events As… XML', " +
	"or as CSV from Event Viewer, and import that"

const winEventNS = "schemas.microsoft.com/win/2004/08/events/event"

func detectWinEventXML(name string, head []byte) int {
	h := decodeHead(head)
	if !strings.Contains(h, "<Event") {
		return 0
	}
	switch {
	case strings.Contains(h, winEventNS) && strings.Contains(h, "<System>"):
		return 95
	case strings.Contains(h, "<System>") && strings.Contains(h, "<EventID") && strings.Contains(h, "<TimeCreated"):
		return 88
	}
	return 0
}

// decodeHead returns head as UTF-8 text (UTF-16 and other encodings decoded).
func decodeHead(head []byte) string {
	r, _, err := DecodedReader(bytes.NewReader(head))
	if err != nil {
		return string(head)
	}
	b, _ := io.ReadAll(r)
	return string(b)
}

// winEventXML is the part of an <Event> that Casebook reads.
type winEventXML struct {
	System struct {
		Provider struct {
			Name string `xml:"Name,attr"`
		} `xml:"Provider"`
		EventID     string `xml:"EventID"`
		TimeCreated struct {
			SystemTime string `xml:"SystemTime,attr"`
		} `xml:"TimeCreated"`
		EventRecordID string `xml:"EventRecordID"`
		Channel       string `xml:"Channel"`
		Computer      string `xml:"Computer"`
		Security      struct {
			UserID string `xml:"UserID,attr"`
		} `xml:"Security"`
	} `xml:"System"`
	EventData struct {
		Data []struct {
			Name  string `xml:"Name,attr"`
			Value string `xml:",chardata"`
		} `xml:"Data"`
	} `xml:"EventData"`
	UserData struct {
		Inner string `xml:",innerxml"`
	} `xml:"UserData"`
	RenderingInfo struct {
		Message string `xml:"Message"`
	} `xml:"RenderingInfo"`
}

// xmlTags matches the tags of an element's inner XML.
var xmlTags = regexp.MustCompile(`<[^>]*>`)

func parseWinEventXML(ctx context.Context, in Input, sink Sink) (Meta, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return Meta{}, err
	}
	p := newPeekInput(in)
	if bytes.HasPrefix(p.head, evtxMagic) {
		return Meta{}, Errorf(in.Name, 0, "%s", binaryEVTXAdvice)
	}
	dr, enc, err := NewOffsetReader(p.in.R)
	if err != nil {
		return Meta{}, Errorf(in.Name, 0, "read: %v", err)
	}
	lt := &lineTracker{trackReader: trackReader{r: &xmlProlog10{r: dr}, max: in.Opts.LineLimit() + 64<<10, name: in.Name}, lineBase: 1}
	dec := xml.NewDecoder(lt)
	dec.Strict = false
	// An encoding="UTF-16" declaration describes bytes that are already
	// decoded.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	loc := in.Opts.Location()
	row, events := 0, 0
	for {
		if row%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		start := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if row == 0 {
				return Meta{}, Errorf(in.Name, lt.lineAt(dec.InputOffset()), "not Windows event XML: %v", err)
			}
			return Meta{}, Errorf(in.Name, lt.lineAt(dec.InputOffset()), "malformed XML after event %d: %v", row, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Event" {
			continue
		}
		line := lt.lineAt(start)
		var ev winEventXML
		derr := dec.DecodeElement(&ev, &se)
		end := dec.InputOffset()
		raw := rawText(bytes.TrimSpace(lt.cut(start, end)))
		off := dr.SourceOffset(start)
		lt.forgetTo(end)
		row++
		if derr != nil {
			if err := sink.Reject(Rejection{Line: line, Row: row, Raw: raw, Reason: "malformed event XML: " + derr.Error()}); err != nil {
				return Meta{}, err
			}
			return Meta{}, Errorf(in.Name, line, "malformed XML in event %d: %v", row, derr)
		}
		e := &model.Event{Row: row, Line: line, Offset: off, Raw: raw, RecordCount: -1}
		data := map[string]string{}
		var unnamed []string
		for _, d := range ev.EventData.Data {
			v := strings.TrimSpace(d.Value)
			if d.Name != "" {
				data[d.Name] = v
			} else if v != "" {
				unnamed = append(unnamed, v)
			}
		}
		e.TimeText = strings.TrimSpace(ev.System.TimeCreated.SystemTime)
		reason := ""
		if e.TimeText == "" {
			reason = "no TimeCreated SystemTime"
		} else if t, terr := ParseTime(e.TimeText, loc); terr != nil {
			reason = "time " + quote(e.TimeText) + ": " + terr.Error()
		} else {
			e.Time = t
		}
		if reason != "" {
			if err := sink.Reject(Rejection{Line: line, Row: row, Raw: raw, Reason: reason}); err != nil {
				return Meta{}, err
			}
			continue
		}
		fillWinEvent(e, strings.TrimSpace(ev.System.EventID), ev.System.Provider.Name, ev.System.Computer, data)
		if e.ActorID == "" && ev.System.Security.UserID != "" {
			e.ActorID = ev.System.Security.UserID
		}
		if e.Purpose == "" {
			msg := strings.TrimSpace(ev.RenderingInfo.Message)
			if msg == "" {
				msg = strings.Join(unnamed, " | ")
			}
			if msg == "" && ev.UserData.Inner != "" {
				msg = html.UnescapeString(xmlTags.ReplaceAllString(ev.UserData.Inner, " "))
			}
			e.Purpose = cutText(strings.Join(strings.Fields(msg), " "), 500)
		}
		events++
		if err := sink.Event(e); err != nil {
			return Meta{}, err
		}
	}
	if row == 0 {
		return Meta{}, Errorf(in.Name, 0, "no <Event> element found: not a Windows event log exported as XML")
	}
	return Meta{Encoding: enc, TimeZone: loc.String()}, nil
}

// winEventNames describes the Security events investigators meet most.
var winEventNames = map[string]string{
	"1102": "audit log cleared", "4608": "Windows starting up", "4616": "system time changed",
	"4624": "logon", "4625": "logon failed", "4634": "logoff", "4647": "user initiated logoff",
	"4648": "logon with explicit credentials", "4656": "handle to object requested", "4663": "object access attempt",
	"4672": "special privileges assigned", "4688": "process created", "4689": "process exited",
	"4697": "service installed", "4698": "scheduled task created", "4720": "user account created",
	"4722": "user account enabled", "4724": "password reset attempt", "4725": "user account disabled",
	"4726": "user account deleted", "4728": "member added to global group", "4732": "member added to local group",
	"4738": "user account changed", "4740": "user account locked out", "4767": "user account unlocked",
	"4768": "Kerberos TGT requested", "4769": "Kerberos service ticket requested", "4771": "Kerberos pre-authentication failed",
	"4776": "credential validation", "4778": "session reconnected", "4779": "session disconnected",
	"4800": "workstation locked", "4801": "workstation unlocked", "5140": "network share accessed",
	"5145": "network share object checked",
}

// winFailureReasons are the message-table texts a 4625 refers to as %%NNNN.
var winFailureReasons = map[string]string{
	"%%2304": "an error occurred during logon", "%%2305": "the specified user account has expired",
	"%%2306": "the NetLogon component is not active", "%%2307": "account locked out",
	"%%2308": "the user has not been granted the requested logon type at this machine",
	"%%2309": "the specified account's password has expired", "%%2310": "account currently disabled",
	"%%2311": "account logon time restriction violation", "%%2312": "user not allowed to logon at this computer",
	"%%2313": "unknown user name or bad password",
}

// winStatusCodes name the NTSTATUS codes of failed logons (lower case).
var winStatusCodes = map[string]string{
	"0xc000006d": "bad user name or password", "0xc0000064": "user name does not exist",
	"0xc000006a": "wrong password", "0xc0000234": "account locked out", "0xc0000072": "account disabled",
	"0xc000006f": "outside the allowed hours", "0xc0000070": "workstation not allowed",
	"0xc0000193": "account expired", "0xc0000071": "password expired", "0xc0000133": "clocks out of sync",
	"0xc0000224": "password must change", "0xc000015b": "logon type not granted",
	"0xc0000413": "authentication firewall", "0xc000005e": "no logon servers available",
}

// logonTypes names the LogonType numbers of 4624 and 4625.
var logonTypes = map[string]string{
	"0": "System", "2": "Interactive", "3": "Network", "4": "Batch", "5": "Service", "7": "Unlock",
	"8": "NetworkCleartext", "9": "NewCredentials", "10": "RemoteInteractive", "11": "CachedInteractive",
	"12": "CachedRemoteInteractive", "13": "CachedUnlock",
}

// winTargetFirst are the events whose account is the target (who logged
// on), not the subject (who asked).
var winTargetFirst = map[string]bool{"4624": true, "4625": true, "4634": true, "4647": true, "4740": true, "4767": true, "4771": true, "4768": true, "4776": true}

// fillWinEvent sets the actor, IP, action, system, resource and purpose of
// e from a Windows event's id, provider, computer and named data.
func fillWinEvent(e *model.Event, id, provider, computer string, data map[string]string) {
	get := func(k string) string {
		v := strings.TrimSpace(data[k])
		if v == "-" || v == "" {
			return ""
		}
		return v
	}
	act := id
	if n, ok := winEventNames[id]; ok && (provider == "" || strings.Contains(provider, "Security") || strings.Contains(provider, "Eventlog")) {
		act += " " + n
	} else if provider != "" {
		act += " " + provider
	}
	e.Action = act
	e.System = computer
	if e.System == "" {
		e.System = provider
	}
	target, subject := get("TargetUserName"), get("SubjectUserName")
	tsid, ssid := get("TargetUserSid"), get("SubjectUserSid")
	if target == "" && get("TargetUser") != "" {
		target = get("TargetUser")
	}
	if winTargetFirst[id] {
		e.ActorName, e.ActorID = firstNonEmpty(target, subject), firstNonEmpty(tsid, ssid)
	} else {
		e.ActorName, e.ActorID = firstNonEmpty(subject, target), firstNonEmpty(ssid, tsid)
	}
	if e.ActorName == "" {
		e.ActorName = firstNonEmpty(get("AccountName"), get("User"), get("UserName"))
	}
	if ip := get("IpAddress"); ip != "" {
		e.IP = ipOnly(ip)
	}
	if e.IP == "" {
		e.IP = ipOnly(firstNonEmpty(get("ClientAddress"), get("SourceAddress"), get("SourceIp")))
	}
	e.Resource = firstNonEmpty(get("NewProcessName"), get("ObjectName"), get("ShareName"), get("ServiceName"),
		get("TaskName"), get("TargetServerName"), get("ProcessName"), get("Image"))
	var why []string
	if lt := get("LogonType"); lt != "" {
		s := "logon type " + lt
		if n, ok := logonTypes[lt]; ok {
			s += " (" + n + ")"
		}
		why = append(why, s)
	}
	if ws := get("WorkstationName"); ws != "" {
		why = append(why, "workstation "+ws)
	}
	if id == "4648" || id == "4672" || id == "4688" {
		if t := target; t != "" && t != e.ActorName {
			why = append(why, "target account "+t)
		}
	}
	if d := firstNonEmpty(get("TargetDomainName"), get("SubjectDomainName")); d != "" {
		why = append(why, "domain "+d)
	}
	if f := get("FailureReason"); f != "" {
		if t, ok := winFailureReasons[f]; ok {
			f = t
		}
		why = append(why, "failure "+f)
	}
	named := func(code string) string {
		if t, ok := winStatusCodes[strings.ToLower(code)]; ok {
			return code + " (" + t + ")"
		}
		return code
	}
	if s := get("Status"); s != "" && s != "0x0" {
		why = append(why, "status "+named(s))
		if ss := get("SubStatus"); ss != "" && ss != "0x0" {
			why = append(why, "sub-status "+named(ss))
		}
	}
	if c := get("CommandLine"); c != "" {
		why = append(why, "command line "+cutText(c, 300))
	}
	if p := get("PrivilegeList"); p != "" {
		why = append(why, "privileges "+strings.Join(strings.Fields(p), " "))
	}
	e.Purpose = strings.Join(why, "; ")
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// refuseBinaryEVTX is the error for a binary .evtx file.
func refuseBinaryEVTX(name string) error {
	return fmt.Errorf("%s: %w: %s", name, ErrUnknownFormat, binaryEVTXAdvice)
}

// xmlProlog10 reads an XML declaration of version 1.1 (python-evtx writes
// one) as 1.0, which Go's decoder requires; the two differ only in
// characters event logs do not hold. The text keeps its length, so offsets
// are unchanged.
type xmlProlog10 struct {
	r    io.Reader
	done bool
}

func (x *xmlProlog10) Read(p []byte) (int, error) {
	n, err := x.r.Read(p)
	if !x.done && n > 0 {
		x.done = true
		end := bytes.Index(p[:n], []byte("?>"))
		if end > 0 && bytes.HasPrefix(bytes.TrimLeft(p[:n], " \t\r\n"), []byte("<?xml")) {
			pro := p[:end]
			for _, v := range [][]byte{[]byte(`version="1.1"`), []byte(`version='1.1'`)} {
				if i := bytes.Index(pro, v); i >= 0 {
					pro[i+11] = '0'
				}
			}
		}
	}
	return n, err
}
