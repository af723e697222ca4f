package importer

import (
	"context"
	"strings"

	"casebook/model"
)

// Known JSON logs (CloudTrail, GCP audit, Okta, Azure sign-ins) read their
// fields from fixed dotted paths; this is the shared loop.

// jsonFields is a record's flattened keys with helpers for fixed paths.
type jsonFields map[string]string

// first returns the first non-empty value among paths.
func (f jsonFields) first(paths ...string) string {
	for _, p := range paths {
		if v := strings.TrimSpace(f[p]); v != "" {
			return v
		}
	}
	return ""
}

// ipOnly returns v as an address when it is one, else "" (CloudTrail and
// GCP write service names such as "s3.amazonaws.com" where a caller has no
// address).
func ipOnly(v string) string {
	if looksIP(v) {
		return cleanIP(v)
	}
	return ""
}

// parseKnownJSON streams a JSON log and turns each record into an event
// with fill, which sets every field but the position and time.
func parseKnownJSON(ctx context.Context, in Input, sink Sink, fill func(f jsonFields, e *model.Event)) (Meta, error) {
	return parseKnownJSONFrom(ctx, in, sink, streamJSON, fill)
}

// parseKnownJSONFrom is parseKnownJSON reading its records with stream.
func parseKnownJSONFrom(ctx context.Context, in Input, sink Sink,
	stream func(context.Context, Input, func(*jsonRecord) error) (string, error), fill func(f jsonFields, e *model.Event)) (Meta, error) {
	loc := in.Opts.Location()
	events := 0
	enc, err := stream(ctx, in, func(r *jsonRecord) error {
		raw := rawText(r.raw)
		reason := r.bad
		if reason == "" {
			e := &model.Event{Row: r.n, Line: r.line, Offset: r.off, Raw: raw, RecordCount: -1}
			fill(jsonFields(r.flat), e)
			if e.TimeText == "" {
				reason = "no time"
			} else if t, err := ParseTime(e.TimeText, loc); err != nil {
				reason = "time " + quote(e.TimeText) + ": " + err.Error()
			} else {
				e.Time = t
				events++
				return sink.Event(e)
			}
		}
		return sink.Reject(Rejection{Line: r.line, Row: r.n, Raw: raw, Reason: reason})
	})
	if err != nil {
		return Meta{}, err
	}
	return Meta{Encoding: enc, TimeZone: loc.String()}, nil
}

func quote(s string) string { return "\"" + cutText(s, 80) + "\"" }

// headHas counts how many of the markers occur in head.
func headHas(head []byte, markers ...string) int {
	n := 0
	h := string(head)
	for _, m := range markers {
		if strings.Contains(h, m) {
			n++
		}
	}
	return n
}
