package importer

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// timeLayouts are tried in order for times written as text. Layouts without
// a zone are read in the import's zone.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 -07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05.999999999",
	"2006/01/02 15:04",
	"02/Jan/2006:15:04:05 -0700",
	"02/Jan/2006:15:04:05",
	time.RFC1123Z,
	time.RFC1123,
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
	"Mon Jan _2 15:04:05.999999999 2006",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05",
	"Jan _2 2006 15:04:05",
	"Jan _2 2006 15:04",
	"Jan _2 2006 3:04:05 PM",
	"Jan _2 2006 3:04 PM",
	"2006-01-02 3:04:05 PM",
	"2006-01-02 3:04 PM",
	"02-Jan-2006 15:04:05",
	"02-Jan-2006 15:04",
	"02-Jan-2006 3:04:05 PM",
	"Jan 2, 2006 15:04:05",
	"Jan 2, 2006 3:04:05 PM",
	"January 2, 2006 15:04:05",
	"January 2, 2006 3:04:05 PM",
	"2 January 2006 15:04:05",
	"2 Jan 2006 15:04",
	"2 January 2006 15:04",
	"2 Jan 2006 3:04:05 PM",
	"2 Jan 2006 3:04 PM",
	"2 January 2006 3:04:05 PM",
	"2 January 2006 3:04 PM",
	"Jan 2, 2006 15:04",
	"Jan 2, 2006 3:04 PM",
	"January 2, 2006 15:04",
	"January 2, 2006 3:04 PM",
	"Monday, January 2, 2006 3:04:05 PM",
	"Monday, January 2, 2006 15:04:05",
	"Monday, January 2, 2006",
	"Mon, Jan 2, 2006",
	"2006-01-02",
	"02-Jan-2006",
	"Jan 2, 2006",
	"January 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
}

// withYear turns a year-less "Month Day Clock" (month as a name or a
// number: "Mar 1 10:00:00", "3 1 10:00") into "Mon D YYYY Clock", which
// ParseTime reads. ok is false when the month is not one.
func withYear(s string, year int) (string, bool) {
	f := strings.Fields(s)
	if len(f) < 3 {
		return s, false
	}
	m, ok := monthNames[strings.ToLower(strings.TrimSuffix(f[0], "."))]
	if !ok {
		n, err := strconv.Atoi(f[0])
		if err != nil || n < 1 || n > 12 {
			return s, false
		}
		m = n
	}
	return time.Month(m).String()[:3] + " " + f[1] + " " + strconv.Itoa(year) + " " + strings.Join(f[2:], " "), true
}

var errNoTime = errors.New("not a time Casebook can read")

// Years Casebook takes as real in a log.
const minYear, maxYear = 1900, 2200

// plausible refuses times whose year cannot be a log's.
func plausible(t time.Time, err error) (time.Time, error) {
	if err == nil && (t.Year() < minYear || t.Year() > maxYear) {
		return time.Time{}, fmt.Errorf("year %d is out of range", t.Year())
	}
	return t, err
}

// zoneAbbrevs are the zone abbreviations logs commonly end a time with, and
// their offsets from UTC in hours. Go's own parser gives an unknown
// abbreviation a zero offset without saying so; these are read exactly and
// any other abbreviation is refused.
var zoneAbbrevs = map[string]float64{
	"UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "MET": 1, "MEST": 2,
	"EET": 2, "EEST": 3, "MSK": 3, "GST": 4, "PKT": 5, "IST": 5.5, "ICT": 7, "WIB": 7, "SGT": 8, "HKT": 8,
	"PHT": 8, "AWST": 8, "JST": 9, "KST": 9, "ACST": 9.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9,
	"AKDT": -8, "HST": -10, "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5, "BRT": -3, "ART": -3,
}

// ParseTime reads a time written as RFC 3339 (any fraction), ISO 8601
// without a zone (read in loc), ISO with a zone abbreviation ("… 16:13:43.810
// EDT"), Apache's "02/Jan/2006:15:04:05 -0700", RFC 1123 and ANSI C forms, or
// Unix epoch seconds, milliseconds, microseconds or nanoseconds (told apart
// by magnitude). Numeric day/month dates (03/04/2024) are read month first;
// a TimeParser decides the order for a whole column. The result is in UTC.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	return plausible(parseTime(s, loc))
}

func parseTime(s string, loc *time.Location) (time.Time, error) {
	return parseTimeOrder(s, loc, false)
}

// parseTimeOrder is parseTime reading numeric dates day first or not.
func parseTimeOrder(s string, loc *time.Location, dayFirst bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		s = s[1 : len(s)-1] // a web log's "[04/Aug/2022:19:31:00 +0200]"
	}
	if s == "" {
		return time.Time{}, errors.New("empty")
	}
	if loc == nil {
		loc = time.UTC
	}
	if t, ok := parseEpoch(s); ok {
		return t, nil
	}
	if t, ok := parseDotNetDate(s); ok {
		return t, nil
	}
	s = normMeridiem(s)
	if t, ok := parseWithAbbrev(s, loc); ok {
		return t, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	if t, ok := parseNumericDate(s, dayFirst, loc); ok {
		return t, nil
	}
	if rest, zone, ok := splitZone(s); ok {
		for _, l := range timeLayouts {
			if strings.Contains(l, "07") || strings.Contains(l, "MST") {
				continue
			}
			if t, err := time.ParseInLocation(l, rest, zone); err == nil {
				return t.UTC(), nil
			}
		}
		if t, ok := parseNumericDate(rest, dayFirst, zone); ok {
			return t, nil
		}
	}
	return time.Time{}, errNoTime
}

// dotNetDate is the "/Date(1695182703000)/" (or "\/Date(…+0100)\/") form
// PowerShell 5's ConvertTo-Json writes dates in.
var dotNetDate = regexp.MustCompile(`^\\?/Date\((-?\d{1,15})([+-]\d{4})?\)\\?/$`)

// parseDotNetDate reads a dotNetDate: milliseconds since 1970 UTC (the
// offset, when written, says the zone it was shown in, not a shift).
func parseDotNetDate(s string) (time.Time, bool) {
	if !strings.Contains(s, "Date(") {
		return time.Time{}, false
	}
	m := dotNetDate.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	ms, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(ms).UTC(), true
}

// normMeridiem writes "am", "p.m." and the like as "AM"/"PM", the only
// forms Go's layouts read.
func normMeridiem(s string) string {
	f := strings.Fields(s)
	changed := false
	for i, w := range f {
		switch strings.ToLower(w) {
		case "am", "a.m.", "a.m":
			f[i], changed = "AM", true
		case "pm", "p.m.", "p.m":
			f[i], changed = "PM", true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(f, " ")
}

// utcOffsetZone matches a zone written as an offset: +02:00, -0530,
// UTC+2, GMT-03:30, UTC+05:30.
var utcOffsetZone = regexp.MustCompile(`^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$`)

// splitZone cuts a zone written as the last word of s: a zone name
// ("Europe/Berlin", "America/New_York"), an offset ("+02:00", "UTC+2"), in
// brackets or not ("(UTC+01:00)"). ok is false when the last word is none.
func splitZone(s string) (rest string, zone *time.Location, ok bool) {
	i := strings.LastIndexByte(s, ' ')
	if i <= 0 {
		return s, nil, false
	}
	w := strings.Trim(s[i+1:], "()")
	rest = strings.TrimSpace(s[:i])
	if m := utcOffsetZone.FindStringSubmatch(w); m != nil && (strings.HasPrefix(w, "UTC") || strings.HasPrefix(w, "GMT") || len(m[2]) == 2) {
		h, _ := strconv.Atoi(m[2])
		mi, _ := strconv.Atoi(m[3])
		if h > 14 || mi > 59 {
			return s, nil, false
		}
		off := h*3600 + mi*60
		if m[1] == "-" {
			off = -off
		}
		return rest, time.FixedZone(w, off), true
	}
	if strings.Count(w, "/") >= 1 && len(w) >= 5 && w[0] >= 'A' && w[0] <= 'Z' && !strings.ContainsAny(w, ":.") {
		if loc, err := time.LoadLocation(w); err == nil {
			return rest, loc, true
		}
	}
	return s, nil, false
}

// parseWithAbbrev reads "<time> ABBR" with a zone abbreviation from zoneAbbrevs.
func parseWithAbbrev(s string, loc *time.Location) (time.Time, bool) {
	i := strings.LastIndexByte(s, ' ')
	if i < 0 || i == len(s)-1 {
		return time.Time{}, false
	}
	ab := s[i+1:]
	hours, ok := zoneAbbrevs[ab]
	if !ok {
		return time.Time{}, false
	}
	zone := time.FixedZone(ab, int(hours*3600))
	rest := strings.TrimSpace(s[:i])
	for _, l := range timeLayouts {
		if strings.Contains(l, "07") || strings.Contains(l, "MST") {
			continue
		}
		if t, err := time.ParseInLocation(l, rest, zone); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
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

// numericDate matches 03/04/2024, 3.4.24, 03-04-2024 with an optional clock
// time, AM/PM and zone.
var numericDate = regexp.MustCompile(`^(\d{1,2})([/.\-])(\d{1,2})([/.\-])(\d{4}|\d{2})` +
	`(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?)?\s*(Z|UTC|GMT|[+\-]\d{2}:?\d{2})?$`)

// parseNumericDate reads a numeric date in the given day/month order.
func parseNumericDate(s string, dayFirst bool, loc *time.Location) (time.Time, bool) {
	if len(s) < 6 || (strings.IndexByte("/.-", s[1]) < 0 && strings.IndexByte("/.-", s[2]) < 0) {
		return time.Time{}, false // not d/m or dd/mm: spare the regexp
	}
	m := numericDate.FindStringSubmatch(s)
	if m == nil || m[2] != m[4] {
		return time.Time{}, false
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[3])
	year, _ := strconv.Atoi(m[5])
	if len(m[5]) == 2 {
		year += 2000
		if year > time.Now().Year()+20 {
			year -= 100
		}
	}
	month, day := a, b
	if dayFirst {
		month, day = b, a
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	var hh, mm, ss, ns int
	if m[6] != "" {
		hh, _ = strconv.Atoi(m[6])
		mm, _ = strconv.Atoi(m[7])
		ss, _ = strconv.Atoi(m[8])
		if m[9] != "" {
			f := m[9] + strings.Repeat("0", 9-len(m[9]))
			ns, _ = strconv.Atoi(f)
		}
		switch strings.ToUpper(m[10]) {
		case "PM":
			if hh < 12 {
				hh += 12
			}
		case "AM":
			if hh == 12 {
				hh = 0
			}
		}
		if hh > 23 || mm > 59 || ss > 60 {
			return time.Time{}, false
		}
	}
	zone := loc
	switch z := m[11]; {
	case z == "Z" || z == "UTC" || z == "GMT":
		zone = time.UTC
	case z != "":
		z = strings.ReplaceAll(z, ":", "")
		h, _ := strconv.Atoi(z[1:3])
		mi, _ := strconv.Atoi(z[3:5])
		off := h*3600 + mi*60
		if z[0] == '-' {
			off = -off
		}
		zone = time.FixedZone("", off)
	}
	t := time.Date(year, time.Month(month), day, hh, mm, ss, ns, zone)
	if t.Day() != day { // 31/02 rolled over
		return time.Time{}, false
	}
	return t.UTC(), true
}

// excelEpoch is day 0 of Excel's 1900 date system (as corrected for its
// 1900 leap-year bug, valid from March 1900 on).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// Excel serials Casebook accepts: 1954-10-03 (20000) to 2119-01-10 (80000).
const excelMin, excelMax = 20000, 80000

// parseExcelSerial reads an Excel serial day number such as 44562.5
// (2022-01-01 12:00) as a wall time in loc.
func parseExcelSerial(s string, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f < excelMin || f > excelMax || math.IsNaN(f) {
		return time.Time{}, false
	}
	days := math.Floor(f)
	ms := math.Round((f - days) * 86400000)
	w := excelEpoch.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond)
	t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	return t.UTC(), true
}

// TimeParser reads one column of times with the choices made once for the
// whole column: the day/month order of numeric dates and whether numbers are
// Excel serial days.
//
// The day/month order is decided from the column's values: a value whose
// first number is 13 to 31 (25/04/2024) makes the column day first; else a
// value whose second number is over 12 (04/25/2024) makes it month first;
// --date-order (Options.DateOrder) decides when it is given. A TimeParser
// sees the sample rows at first; a parser that can read its input again
// (Input.Reopen) shows it every value of the column with Observe before the
// first row is read (a streaming first pass: one value at a time, nothing
// held), so "from all its values" holds for a whole file. Without that pass
// the order is decided from the sample and settled by the first later value
// that tells. A value that reads only in the other order than the one
// decided is refused, naming the order and how it was decided, never read
// the other way; while no value has told, a '/' date that reads both ways
// is refused, asking for --date-order. Dates written with '.' or '-' are
// day first by custom when nothing tells (said in a warning).
type TimeParser struct {
	loc   *time.Location
	excel bool
	warn  func(line int, msg string)
	vote  dateVote
	order string // "dmy" or "mdy" once decided, "" while undecided
	by    string // how the order was decided: "--date-order", "values", "custom"
	given bool   // the investigator gave the order
}

// dateVote counts what numeric dates say about their day/month order.
type dateVote struct {
	dayFirst, monthFirst, ambiguous int
	dayExample, monthExample        string // the first value that tells each way
	ambExample                      string // the first value that reads both ways
	sep                             string // the separator of the last numeric date
}

// add counts one value; it reports whether the value is a numeric date.
func (v *dateVote) add(s string) bool {
	m := numericDate.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || m[2] != m[4] {
		return false
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[3])
	v.sep = m[2]
	switch {
	case a > 12 && a <= 31 && b <= 12:
		v.dayFirst++
		if v.dayExample == "" {
			v.dayExample = s
		}
	case b > 12 && b <= 31 && a <= 12:
		v.monthFirst++
		if v.monthExample == "" {
			v.monthExample = s
		}
	case a <= 12 && b <= 12:
		v.ambiguous++
		if v.ambExample == "" {
			v.ambExample = s
		}
	}
	return true
}

// decided is the order the counted values give: day first as soon as one
// value has its day first, else month first when one has its month first.
func (v *dateVote) decided() string {
	switch {
	case v.dayFirst > 0:
		return "dmy"
	case v.monthFirst > 0:
		return "mdy"
	}
	return ""
}

// NewTimeParser looks at sample values of a time column and decides how to
// read it. headerSaysTime is true when the column was placed by its name
// (only then are plain numbers taken as Excel serials). warn (may be nil)
// receives the one-time notes.
func NewTimeParser(samples []string, headerSaysTime bool, loc *time.Location, warn func(line int, msg string)) *TimeParser {
	return newTimeParser(samples, headerSaysTime, loc, "", warn)
}

// newTimeParser is NewTimeParser with the investigator's --date-order
// ("dmy", "mdy" or "").
func newTimeParser(samples []string, headerSaysTime bool, loc *time.Location, order string, warn func(line int, msg string)) *TimeParser {
	if loc == nil {
		loc = time.UTC
	}
	if warn == nil {
		warn = func(int, string) {}
	}
	p := &TimeParser{loc: loc, warn: warn}
	var serial, numeric int
	for _, s := range samples {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "eE") {
			numeric++
			if _, ok := parseExcelSerial(s, loc); ok && len(strings.Split(s, ".")[0]) == 5 {
				serial++
			}
			continue
		}
		p.vote.add(s)
	}
	p.excel = headerSaysTime && numeric > 0 && serial*10 >= numeric*9
	if order == "dmy" || order == "mdy" {
		p.order, p.by, p.given = order, "--date-order", true
		return p
	}
	p.settle()
	return p
}

// settle decides the order from the values counted so far, when they tell.
func (p *TimeParser) settle() {
	if p.given {
		return
	}
	if o := p.vote.decided(); o != "" {
		p.order, p.by = o, "values"
	}
}

// NeedsAllValues reports whether the column's order could still change
// with values not yet seen: numeric dates were seen, no --date-order was
// given, and no value put the day first (which is final).
func (p *TimeParser) NeedsAllValues() bool {
	return !p.given && p.vote.dayFirst == 0 && (p.vote.monthFirst > 0 || p.vote.ambiguous > 0)
}

// Observe counts one more value of the column (from a first pass over the
// whole column); it reports whether the order is now final.
func (p *TimeParser) Observe(s string) bool {
	p.vote.add(s)
	return p.vote.dayFirst > 0
}

// Settled ends a first pass: the order is what all the values gave, and
// when none told, dates written with '.' or '-' are read day first by
// custom (warned); '/' dates that read both ways are then refused row by
// row, asking for --date-order.
func (p *TimeParser) Settled() {
	p.settle()
	p.custom()
}

// custom applies the European custom for '.' and '-' dates when no value
// told the order.
func (p *TimeParser) custom() {
	if p.order != "" || p.vote.ambiguous == 0 || (p.vote.sep != "." && p.vote.sep != "-") {
		return
	}
	p.order, p.by = "dmy", "custom"
	p.warn(0, fmt.Sprintf("dates such as %q could be day/month or month/day and no value tells; read day first, as dates written with %q are by custom (give --date-order mdy if not)",
		p.vote.ambExample, p.vote.sep))
}

// DayFirst reports whether numeric dates are read day first.
func (p *TimeParser) DayFirst() bool { return p.order == "dmy" }

// Excel reports whether plain numbers are read as Excel serial days.
func (p *TimeParser) Excel() bool { return p.excel }

// Parse reads one value of the column; line is for the warnings.
func (p *TimeParser) Parse(s string, line int) (time.Time, error) {
	return plausible(p.parse(s, line))
}

func (p *TimeParser) parse(s string, line int) (time.Time, error) {
	s = strings.TrimSpace(s)
	if p.excel {
		if t, ok := parseExcelSerial(s, p.loc); ok {
			return t, nil
		}
	}
	s = normMeridiem(s)
	loc := p.loc
	m := numericDate.FindStringSubmatch(s)
	if m == nil {
		// a numeric date followed by a zone's name or offset
		if rest, zone, ok := splitZone(s); ok {
			if m = numericDate.FindStringSubmatch(rest); m != nil {
				s, loc = rest, zone
			}
		}
	}
	if m == nil || m[2] != m[4] {
		return parseTime(s, p.loc)
	}
	if p.order == "" {
		p.vote.add(s)
		p.settle()
		if p.order == "" {
			if p.vote.sep == "." || p.vote.sep == "-" {
				p.custom()
			} else if t1, ok1 := parseNumericDate(s, true, loc); ok1 {
				if t2, ok2 := parseNumericDate(s, false, loc); ok2 && !t1.Equal(t2) {
					return time.Time{}, fmt.Errorf("%w: it could be day/month or month/day and no value in the column tells — give --date-order dmy or mdy", errNoTime)
				}
			}
		}
	}
	dayFirst := p.order == "dmy"
	if t, ok := parseNumericDate(s, dayFirst, loc); ok {
		return t, nil
	}
	if _, ok := parseNumericDate(s, !dayFirst, loc); ok {
		order := map[bool]string{true: "day first", false: "month first"}[dayFirst]
		why := "as --date-order says"
		switch p.by {
		case "values":
			ex := p.vote.dayExample
			if !dayFirst {
				ex = p.vote.monthExample
			}
			why = fmt.Sprintf("as its values say (%q)", ex)
		case "custom":
			why = "by the custom of its separator"
		}
		return time.Time{}, fmt.Errorf("%w: it reads only with the other day/month order, and the column's dates are %s %s — give --date-order if the column is mixed", errNoTime, order, why)
	}
	return time.Time{}, errNoTime
}

// syslogLayouts are RFC 3164 stamps, which carry no year.
var syslogLayouts = []string{"Jan _2 15:04:05.999999999", "Jan _2 15:04:05", "Jan 2 15:04:05"}

// parseSyslogStamp reads an RFC 3164 "Mmm dd hh:mm:ss" stamp in year and loc.
func parseSyslogStamp(s string, year int, loc *time.Location) (time.Time, bool) {
	for _, l := range syslogLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return time.Date(year, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc).UTC(), true
		}
	}
	return time.Time{}, false
}
