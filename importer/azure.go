package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"casebook/model"
)

// Azure / Entra ID sign-in logs: Graph API exports ({"value":[…]}), JSON
// arrays or lines from the portal's "Download JSON", Azure Monitor
// diagnostic records (fields under "properties."), and the portal's CSV
// download (recognised by its header: "Date (UTC)", "Username", "IP
// address", "Application", "Location" as "City, State, CC", …).

func init() {
	Register(Format{
		Name:    "azure-signin",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "Azure / Entra ID sign-in log (JSON or portal CSV)",
		Detect:  detectAzure,
		Parse:   parseAzure,
	})
}

// azureCSVColumns are the portal CSV's headers (lower case) for each field.
var azureCSVColumns = map[string][]string{
	"time":     {"date (utc)", "date", "created date time", "createddatetime"},
	"actor":    {"username", "user principal name", "userprincipalname", "sign-in identifier"},
	"name":     {"user", "user display name", "userdisplayname"},
	"actor_id": {"user id", "userid"},
	"ip":       {"ip address", "ipaddress"},
	"location": {"location"},
	"app":      {"application", "app display name", "appdisplayname"},
	"resource": {"resource", "resource display name", "resourcedisplayname"},
	"status":   {"status"},
	"code":     {"sign-in error code", "error code", "errorcode"},
	"reason":   {"failure reason", "failurereason"},
}

func azureCSVIndex(header []string) map[string]int {
	byName := map[string]int{}
	for i := len(header) - 1; i >= 0; i-- {
		byName[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header[i], "\uFEFF")))] = i
	}
	idx := map[string]int{}
	for field, names := range azureCSVColumns {
		for _, n := range names {
			if i, ok := byName[n]; ok {
				idx[field] = i
				break
			}
		}
	}
	return idx
}

func detectAzure(name string, head []byte) int {
	switch firstNonSpace(head) {
	case '{', '[':
		n := headHas(head, `"userPrincipalName"`, `"createdDateTime"`, `"appDisplayName"`, `"ipAddress"`,
			`"conditionalAccessStatus"`, `"clientAppUsed"`, `"countryOrRegion"`)
		if n < 4 {
			return 0
		}
		return min(82+2*n, 96)
	}
	cols, _ := headerFields(head)
	idx := azureCSVIndex(cols)
	_, t := idx["time"]
	_, a := idx["actor"]
	_, ip := idx["ip"]
	_, app := idx["app"]
	_, code := idx["code"]
	if t && a && ip && (app || code) && headHas(head, "Date (UTC)", "Sign-in error code", "Username") >= 2 {
		return 96
	}
	return 0
}

func parseAzure(ctx context.Context, in Input, sink Sink) (Meta, error) {
	in, err := gunzipInput(in)
	if err != nil {
		return Meta{}, err
	}
	r := newPeekInput(in)
	if c := firstNonSpace(r.head); c == '{' || c == '[' {
		return parseKnownJSON(ctx, r.in, sink, fillAzureJSON)
	}
	return parseAzureCSV(ctx, r.in, sink)
}

func fillAzureJSON(f jsonFields, e *model.Event) {
	get := func(k string) string { return f.first(k, "properties."+k) }
	e.TimeText = f.first("createdDateTime", "properties.createdDateTime", "time")
	e.ActorName = get("userPrincipalName")
	if e.ActorName == "" {
		e.ActorName = get("userDisplayName")
	}
	e.ActorID = get("userId")
	e.IP = cleanIP(get("ipAddress"))
	e.Office = get("location.city")
	if c := get("location.countryOrRegion"); c != "" {
		e.Country = normCountry(c)
	}
	e.System = get("appDisplayName")
	e.Resource = get("resourceDisplayName")
	e.Action = "sign-in"
	if code := get("status.errorCode"); code != "" && code != "0" {
		e.Action = "sign-in failed"
		e.Purpose = "error " + code
		if why := get("status.failureReason"); why != "" {
			e.Purpose += ": " + why
		}
	}
}

func parseAzureCSV(ctx context.Context, in Input, sink Sink) (Meta, error) {
	header, rows, enc, err := openCSV(in)
	if err != nil {
		return Meta{}, err
	}
	idx := azureCSVIndex(header)
	for _, need := range []string{"time", "actor"} {
		if _, ok := idx[need]; !ok {
			return Meta{}, Errorf(in.Name, 1, "not an Azure sign-in CSV: no %s column (columns: %s)", need, cutText(strings.Join(header, ", "), 300))
		}
	}
	loc := in.Opts.Location()
	var tp *TimeParser
	var pending []csvRow
	handle := func(r csvRow) error {
		raw := rawText(r.raw)
		if r.reason == "" && len(r.fields) != len(header) {
			r.reason = fmt.Sprintf("row has %d columns, the header has %d", len(r.fields), len(header))
		}
		if r.reason == "" {
			get := func(k string) string {
				if i, ok := idx[k]; ok && i < len(r.fields) {
					return strings.TrimSpace(r.fields[i])
				}
				return ""
			}
			e := &model.Event{Row: r.row, Line: r.line, Offset: r.off, Raw: raw, RecordCount: -1}
			e.TimeText = get("time")
			t, terr := tp.Parse(e.TimeText, r.line)
			if terr == nil {
				e.Time = t
				e.ActorName = get("actor")
				if e.ActorName == "" {
					e.ActorName = get("name")
				}
				e.ActorID = get("actor_id")
				e.IP = cleanIP(get("ip"))
				if l := get("location"); l != "" {
					parts := strings.Split(l, ",")
					e.Office = strings.TrimSpace(parts[0])
					if len(parts) > 1 {
						e.Country = normCountry(parts[len(parts)-1])
					}
				}
				e.System = get("app")
				e.Resource = get("resource")
				e.Action = "sign-in"
				st := strings.ToLower(get("status"))
				if code := get("code"); (code != "" && code != "0") || strings.HasPrefix(st, "fail") {
					e.Action = "sign-in failed"
					e.Purpose = strings.TrimSpace(strings.Trim("error "+code+": "+get("reason"), ": "))
				}
				return sink.Event(e)
			}
			r.reason = "time " + quote(e.TimeText) + ": " + terr.Error()
		}
		return sink.Reject(Rejection{Line: r.line, Row: r.row, Raw: raw, Reason: r.reason})
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
		if tp == nil {
			pending = append(pending, r)
			if len(pending) < sampleRows {
				continue
			}
		} else if err := handle(r); err != nil {
			return Meta{}, err
		}
		if tp == nil {
			tp = azureTimeParser(pending, idx["time"], loc, sink)
			for _, p := range pending {
				if err := handle(p); err != nil {
					return Meta{}, err
				}
			}
			pending = nil
		}
	}
	if tp == nil {
		tp = azureTimeParser(pending, idx["time"], loc, sink)
		for _, p := range pending {
			if err := handle(p); err != nil {
				return Meta{}, err
			}
		}
	}
	if rows.row == 0 {
		return Meta{}, Errorf(in.Name, 0, "no data rows after the header")
	}
	return Meta{Encoding: enc, TimeZone: loc.String()}, nil
}

func azureTimeParser(rows []csvRow, col int, loc *time.Location, sink Sink) *TimeParser {
	var times []string
	for _, r := range rows {
		if col < len(r.fields) {
			times = append(times, r.fields[col])
		}
	}
	return NewTimeParser(times, true, loc, sink.Warn)
}
