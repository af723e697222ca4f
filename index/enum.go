package index

import (
	"fmt"
	"strings"
)

// Enumerated fields take one of a few values. A value outside them is
// refused with the list, never searched: a misspelt kind:evnet would
// otherwise find nothing and look like an answer.

// kindWords maps what may be written for a kind to the kind indexed.
var kindWords = map[string]string{
	"segment": "segment", "segments": "segment", "transcript": "segment", "transcripts": "segment",
	"event": "event", "events": "event", "accesslog": "event", "accesslogs": "event", "access-log": "event",
	"access_log": "event",
}

// approvalWords maps what may be written for approval to its value.
var approvalWords = map[string]string{"yes": "yes", "no": "no"}

// KindValues describes the values kind: and the kind filter take.
const KindValues = "segment (or transcript) and event (or accesslog)"

// ParseKind returns the kind indexed for what a user wrote: segment or
// transcript is "segment", event or accesslog is "event" (any case,
// singular or plural); anything else is an error naming the valid values.
func ParseKind(v string) (string, error) {
	w := strings.ToLower(strings.TrimSpace(v))
	if k, ok := kindWords[w]; ok {
		return k, nil
	}
	if w == "source" || w == "sources" {
		return "", fmt.Errorf("kind %q: sources are not search hits, their segments and events are; use source:src-N for one source's items (kinds: %s)", v, KindValues)
	}
	return "", fmt.Errorf("kind %q is not a kind: use %s", v, KindValues)
}

// ParseApproval returns "yes" or "no" for what a user wrote, or an error
// naming the valid values.
func ParseApproval(v string) (string, error) {
	if a, ok := approvalWords[strings.ToLower(strings.TrimSpace(v))]; ok {
		return a, nil
	}
	return "", fmt.Errorf("approval %q is not yes or no", v)
}

// enumValue normalises the value of an enumerated field (kind, approval);
// other fields' values are returned as they are.
func enumValue(field, v string) (string, error) {
	switch field {
	case "kind":
		return ParseKind(v)
	case "approval":
		return ParseApproval(v)
	}
	return v, nil
}
