package importer

import (
	"context"
	"strings"

	"casebook/model"
)

// Okta System Log events, from the API (a JSON array) or an export (one
// event per line). Okta names countries in English ("United States"); they
// become ISO alpha-2 codes through the table in countries.go.

func init() {
	Register(Format{
		Name:    "okta",
		Kind:    model.KindAccessLog,
		Version: 1,
		Title:   "Okta System Log",
		Detect:  detectOkta,
		Parse:   parseOkta,
	})
}

func detectOkta(name string, head []byte) int {
	if c := firstNonSpace(head); c != '{' && c != '[' {
		return 0
	}
	n := headHas(head, `"eventType"`, `"alternateId"`, `"published"`, `"displayMessage"`, `"geographicalContext"`, `"legacyEventType"`)
	if n < 3 || headHas(head, `"actor"`) == 0 {
		return 0
	}
	return min(82+2*n, 96)
}

func parseOkta(ctx context.Context, in Input, sink Sink) (Meta, error) {
	return parseKnownJSON(ctx, in, sink, func(f jsonFields, e *model.Event) {
		e.TimeText = f.first("published")
		e.ActorName = f.first("actor.alternateId", "actor.displayName")
		e.ActorID = f.first("actor.id")
		e.IP = cleanIP(f.first("client.ipAddress", "request.ipChain.0.ip"))
		e.Office = f.first("client.geographicalContext.city")
		if c := f.first("client.geographicalContext.country"); c != "" {
			e.Country = normCountry(c)
		}
		e.Action = f.first("eventType", "legacyEventType")
		e.System = "okta"
		if app := f.first("target.0.displayName"); app != "" && strings.EqualFold(f.first("target.0.type"), "AppInstance") {
			e.System = app
		}
		e.Resource = f.first("target.0.alternateId", "target.0.displayName")
		p := f.first("displayMessage")
		if r := f.first("outcome.result"); r != "" && r != "SUCCESS" {
			p += " — " + r
			if why := f.first("outcome.reason"); why != "" {
				p += ": " + why
			}
		}
		e.Purpose = strings.TrimPrefix(p, " — ")
	})
}
