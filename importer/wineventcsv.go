package importer

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"

	"casebook/model"
)

// The CSV Event Viewer writes ("Save All Events As… → CSV"): a header
// "Level,Date and Time,Source,Event ID,Task Category" and rows with one
// more, unnamed column, the event's message text (several lines, quoted).
// The message's "Label:<TAB>value" lines, grouped under section lines such
// as "New Logon:", give the same fields as the XML export's named data.
// Dates are written in the exporting machine's locale ("10/7/2016 06:38:24
// PM"); their day/month order is decided for the whole file.

func init() {
	Register(Format{
		Name:    "winevent-csv",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "Windows event log saved as CSV by Event Viewer",
		Detect:  detectWinEventCSV,
		Parse:   parseWinEventCSV,
	})
}

// winCSVHeader is the header Event Viewer writes, folded by roleKey, in
// English, German, French, Spanish and Portuguese: Level, Date and Time,
// Source, Event ID (the fifth column, Task Category, is not checked).
var winCSVHeader = [][]string{
	{"level", "ebene", "niveau", "nivel"},
	{"dateandtime", "datumunduhrzeit", "dateetheure", "fechayhora", "dataehora"},
	{"source", "quelle", "origen", "origem", "fonte"},
	{"eventid", "ereignisid", "iddelévénement", "iddelevento", "id.delevento", "iddoevento"},
}

func detectWinEventCSV(name string, head []byte) int {
	cols, d := headerFields(head)
	if (d != ',' && d != ';') || len(cols) < 5 {
		return 0
	}
	for i, names := range winCSVHeader {
		if !contains(names, roleKey(cols[i])) {
			return 0
		}
	}
	return 96
}

// winMsgLine is one "Label:<TAB>value" line of an event message.
var winMsgLine = regexp.MustCompile(`^\s*([A-Za-z][A-Za-z /()-]{1,60}):\s*(.*)$`)

// winMsgNames maps message labels (in their section) to the XML data names.
var winMsgNames = map[string]string{
	"subject/account name": "SubjectUserName", "subject/account domain": "SubjectDomainName",
	"subject/security id": "SubjectUserSid", "creator subject/account name": "SubjectUserName",
	"creator subject/security id": "SubjectUserSid", "creator subject/account domain": "SubjectDomainName",
	"new logon/account name": "TargetUserName", "new logon/account domain": "TargetDomainName",
	"new logon/security id": "TargetUserSid", "account for which logon failed/account name": "TargetUserName",
	"account for which logon failed/account domain":    "TargetDomainName",
	"account for which logon failed/security id":       "TargetUserSid",
	"account whose credentials were used/account name": "TargetUserName",
	"target subject/account name":                      "TargetUserName", "target subject/security id": "TargetUserSid",
	"target account/account name": "TargetUserName", "target account/security id": "TargetUserSid",
	"account information/account name": "TargetUserName", "account that was locked out/account name": "TargetUserName",
	"logon type": "LogonType", "source network address": "IpAddress", "client address": "IpAddress",
	"workstation name": "WorkstationName", "new process name": "NewProcessName", "process name": "ProcessName",
	"object name": "ObjectName", "target server name": "TargetServerName", "service name": "ServiceName",
	"failure reason": "FailureReason", "status": "Status", "sub status": "SubStatus",
	"process command line": "CommandLine", "privileges": "PrivilegeList", "share name": "ShareName",
	"logon account": "TargetUserName", "source workstation": "WorkstationName",
}

// winMessageData reads an event message into XML-style named data.
func winMessageData(msg string) map[string]string {
	out := map[string]string{}
	section := ""
	lines := strings.Split(strings.ReplaceAll(msg, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		m := winMsgLine.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		label := strings.ToLower(strings.TrimSpace(m[1]))
		val := strings.TrimSpace(m[2])
		if val == "" && !strings.HasPrefix(lines[i], "\t") {
			section = label
			continue
		}
		name, ok := winMsgNames[section+"/"+label]
		if !ok {
			name, ok = winMsgNames[label]
		}
		if !ok {
			continue
		}
		if label == "privileges" { // the list continues on the following lines
			for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" && !winMsgLine.MatchString(lines[i+1]) {
				i++
				val += " " + strings.TrimSpace(lines[i])
			}
		}
		if _, dup := out[name]; !dup {
			out[name] = val
		}
	}
	return out
}

func parseWinEventCSV(ctx context.Context, in Input, sink Sink) (Meta, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return Meta{}, err
	}
	header, rows, enc, err := openCSV(in)
	if err != nil {
		return Meta{}, err
	}
	if len(header) < 5 {
		return Meta{}, Errorf(in.Name, 1, "not an Event Viewer CSV: the header has %d columns", len(header))
	}
	var buf []csvRow
	var times []string
	for len(buf) < sampleRows {
		r, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Meta{}, err
		}
		buf = append(buf, r)
		if r.reason == "" && len(r.fields) > 1 {
			times = append(times, r.fields[1])
		}
	}
	tp := NewTimeParser(times, true, in.Opts.Location(), sink.Warn)
	handle := func(r csvRow) error {
		raw := rawText(r.raw)
		if r.reason == "" && len(r.fields) < 5 {
			r.reason = "row has fewer than the 5 columns of the header"
		}
		if r.reason == "" {
			f := func(i int) string {
				if i < len(r.fields) {
					return strings.TrimSpace(r.fields[i])
				}
				return ""
			}
			e := &model.Event{Row: r.row, Line: r.line, Offset: r.off, Raw: raw, RecordCount: -1, TimeText: f(1)}
			t, terr := tp.Parse(e.TimeText, r.line)
			if terr != nil {
				r.reason = "time " + quote(e.TimeText) + ": " + terr.Error()
			} else {
				e.Time = t
				msg := strings.Join(r.fields[min(5, len(r.fields)):], ",")
				fillWinEvent(e, f(3), f(2), "", winMessageData(msg))
				if e.System == "" {
					e.System = f(2)
				}
				if tc := f(4); tc != "" && tc != "None" {
					e.DataCategory = tc
				}
				if e.Purpose == "" {
					first, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
					e.Purpose = cutText(strings.TrimSpace(first), 300)
				}
				return sink.Event(e)
			}
		}
		return sink.Reject(Rejection{Line: r.line, Row: r.row, Raw: raw, Reason: r.reason})
	}
	for i, r := range buf {
		if err := handle(r); err != nil {
			return Meta{}, err
		}
		buf[i] = csvRow{}
	}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		r, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Meta{}, err
		}
		if err := handle(r); err != nil {
			return Meta{}, err
		}
	}
	if rows.row == 0 {
		return Meta{}, Errorf(in.Name, 0, "no data rows after the header")
	}
	return Meta{Encoding: enc, TimeZone: in.Opts.Location().String()}, nil
}
