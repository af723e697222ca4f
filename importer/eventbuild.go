package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"casebook/model"
)

// Building events from placed roles, shared by the CSV, JSON Lines and
// logfmt importers.

// maxField is the longest single field an access-log row may hold.
const maxField = 64 << 10

// sampleRows is how many leading records are read before roles are placed.
const sampleRows = 200

// sampleBytes bounds the bytes buffered for that sample.
const sampleBytes = 8 << 20

// roleFiller turns the values of placed roles into an event.
type roleFiller struct {
	tp         *TimeParser
	badRecords int    // rows whose record count was not a number
	firstBad   string // the first such value
	firstLine  int
}

// newRoleFiller prepares a filler whose time column is read by a TimeParser
// decided from sample times.
func newRoleFiller(g RoleGuess, sampleTimes []string, opts Options, sink Sink) *roleFiller {
	p, ok := g.Placed["time"]
	byName := ok && p.By != "values"
	return &roleFiller{tp: newTimeParser(sampleTimes, byName, opts.Location(), opts.DateOrder, sink.Warn)}
}

// fill sets e's fields from get(role). It returns a rejection reason when
// the row cannot be an event (its time does not read).
func (f *roleFiller) fill(e *model.Event, line int, get func(role string) string) string {
	e.TimeText = get("time")
	if e.TimeText == "" {
		return "no time"
	}
	t, err := f.tp.Parse(e.TimeText, line)
	if err != nil {
		if errors.Is(err, errNoTime) && err.Error() == errNoTime.Error() {
			return fmt.Sprintf("time %q: %v — try --map time=COLUMN or --date-order", cutText(e.TimeText, 80), err)
		}
		return fmt.Sprintf("time %q: %v", cutText(e.TimeText, 80), err)
	}
	e.Time = t
	e.ActorName = get("actor")
	e.ActorID = get("actor_id")
	e.Office = get("office")
	if c := get("country"); c != "" {
		e.Country = normCountry(c)
	}
	e.IP = cleanIP(get("ip"))
	e.Action = get("action")
	e.System = get("system")
	e.Resource = get("resource")
	e.DataCategory = get("category")
	if r := get("region"); r != "" {
		e.SubjectRegion = normCountry(r)
	}
	e.RecordCount = -1
	if s := get("records"); s != "" {
		v, err := strconv.ParseInt(digitSeparators.Replace(s), 10, 64)
		if err != nil || v < 0 {
			f.badRecords++
			if f.firstBad == "" {
				f.firstBad, f.firstLine = cutText(s, 40), line
			}
		} else {
			e.RecordCount = v
		}
	}
	e.ApprovalID = get("approval")
	e.Approver = get("approver")
	if c := get("approver_country"); c != "" {
		e.ApproverCountry = normCountry(c)
	}
	e.Purpose = get("purpose")
	return ""
}

// finish sends the warnings gathered while filling.
func (f *roleFiller) finish(sink Sink) {
	if f.badRecords > 0 {
		sink.Warn(f.firstLine, fmt.Sprintf("%d rows have a record count that is not a whole number (first: %q); left unknown",
			f.badRecords, f.firstBad))
	}
}

// cutText shortens s to n bytes on a rune boundary, marking the cut.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// rawText is a record's original text for Event.Raw: valid UTF-8, without
// its line end, cut to 4 KiB.
func rawText(b []byte) string { return validRaw(b) }

// warnRoles warns with g's advice when key roles are unsure.
func warnRoles(sink Sink, g RoleGuess) {
	if a := g.Advice(); a != "" {
		sink.Warn(0, a)
	}
}

// digitSeparators removes the thousands separators a record count may carry
// ("1,200", "1_200", "1 200"). Made once: building a Replacer for every row
// was a tenth of all the memory an access-log import allocated.
var digitSeparators = strings.NewReplacer(",", "", "_", "", " ", "")
