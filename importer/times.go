package importer

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// timeLayouts are tried in order for times written as text. Layouts without
// a zone are read in the import's zone.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 -07:00",
	"2006-01-02 15:04:05.999999999 MST",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"02/Jan/2006:15:04:05 -0700",
	time.RFC1123Z,
	time.RFC1123,
	"2006-01-02",
}

var errNoTime = errors.New("not a time Casebook can read")

// ParseTime reads a time written as RFC 3339 (any fraction), ISO 8601
// without a zone (read in loc), Apache's "02/Jan/2006:15:04:05 -0700", or
// Unix epoch seconds, milliseconds, microseconds or nanoseconds (told apart
// by magnitude). The result is in UTC.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty")
	}
	if t, ok := parseEpoch(s); ok {
		return t, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errNoTime
}

func parseEpoch(s string) (time.Time, bool) {
	for _, c := range s {
		if (c < '0' || c > '9') && c != '.' {
			return time.Time{}, false
		}
	}
	intPart, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil || len(intPart) < 9 {
		return time.Time{}, false
	}
	var t time.Time
	switch {
	case n < 1e11: // seconds (up to year 5138)
		t = time.Unix(n, 0)
		if frac != "" {
			f, _ := strconv.ParseFloat("0."+frac, 64)
			t = t.Add(time.Duration(f * float64(time.Second)))
		}
	case n < 1e14:
		t = time.UnixMilli(n)
	case n < 1e17:
		t = time.UnixMicro(n)
	default:
		t = time.Unix(0, n)
	}
	return t.UTC(), true
}
