package importer

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Column roles: which column (or, in JSON and logfmt, which dotted key)
// fills which event field. Placed from the header names, then from the shape
// of the values, each with a confidence; --map role=column overrides both.

// Roles are the event fields a column can fill.
var Roles = []string{
	"time", "actor", "actor_id", "office", "country", "ip", "action", "system", "resource",
	"category", "region", "records", "approval", "approver", "approver_country", "purpose",
}

// keyRoles are the roles whose absence the importer reports.
var keyRoles = []string{"time", "actor", "country", "resource", "approval"}

// roleAliases maps header names (folded by roleKey: lower case, letters and
// digits only) to roles, with a confidence for the name alone. Whole dotted
// paths of well-known JSON logs are listed as well as plain names.
var roleAliases = map[string]alias{}

// alias is a role and how sure its name alone makes us.
type alias struct {
	role string
	conf float64
}

func init() {
	add := func(role string, conf float64, names string) {
		for _, n := range strings.Fields(names) {
			roleAliases[roleKey(n)] = alias{role, conf}
		}
	}
	add("time", 0.95, "time timestamp ts eventtime event_time datetime accessed_at access_time event_ts created_at "+
		"published createdDateTime @timestamp event_timestamp log_time timegenerated time_utc timestamp_utc "+
		"date_time occurred_at logged_at receiveTimestamp id.time time_local StartUTC")
	add("time", 0.7, "date when")
	// SharePoint's site audit log report: "Occurred (GMT)".
	add("time", 0.9, "occurred occurred_gmt occurred_utc")
	add("actor", 0.95, "actor employee employee_name user username user_name staff principal "+
		"userIdentity.arn actor.alternateId principalEmail protoPayload.authenticationInfo.principalEmail "+
		"userPrincipalName user_email actor_name login_name actor.email")
	add("actor", 0.9, "caller ClientUsername")
	add("actor", 0.6, "name who email account login")
	add("actor_id", 0.9, "actor_id employee_id emp_id user_id userid uid staff_id actor.id userIdentity.principalId")
	add("office", 0.9, "office office_location site client.geographicalContext.city location.city")
	add("office", 0.7, "location city")
	add("country", 0.95, "country office_country country_code office_cc geo_country "+
		"client.geographicalContext.country location.countryOrRegion countryOrRegion")
	add("country", 0.6, "cc")
	add("ip", 0.95, "ip ip_address source_ip sourceIPAddress client_ip src_ip callerIp client.ipAddress ipAddress "+
		"remote_addr remote_ip protoPayload.requestMetadata.callerIp clientip addr.remote source.ip client.ip "+
		"client_ip_address ipaddr ClientHost")
	add("ip", 0.8, "ClientAddr")
	add("action", 0.9, "action operation activity verb event_name eventName eventType methodName "+
		"protoPayload.methodName operationName")
	// What a record says was done outranks how it was asked: a Teleport
	// record's "event" (user.login) beats its "method" (local), an ECS
	// record's event.action beats http.request.method.
	add("action", 0.97, "event.action")
	add("action", 0.92, "events.0.name")
	add("action", 0.85, "event")
	add("action", 0.8, "method RequestMethod")
	add("action", 0.9, "operation_name.value")
	add("system", 0.9, "system application app service eventSource serviceName protoPayload.serviceName appDisplayName")
	add("system", 0.6, "tool")
	add("resource", 0.9, "resource dataset database resourceName protoPayload.resourceName")
	add("resource", 0.7, "table object target path url uri file")
	add("resource", 0.85, "RequestPath resource_id document_location")
	add("category", 0.9, "category data_category data_type datatype data_class")
	add("category", 0.6, "field fields")
	add("region", 0.9, "region subject_region user_region data_region subject_country")
	add("records", 0.9, "records record_count num_records row_count users_affected")
	add("records", 0.6, "rows count")
	add("approval", 0.95, "approval approval_id ticket ticket_id approval_ticket justification_ticket change_id")
	add("approver", 0.9, "approver approved_by approver_name")
	add("approver_country", 0.9, "approver_country approver_cc approver_location")
	add("purpose", 0.9, "purpose reason justification business_purpose")
}

// roleKey folds a header or dotted key for matching: lower case, letters,
// digits and dots only.
func roleKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "\uFEFF")) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else if r == '.' {
			b.WriteRune('.')
		}
	}
	return strings.Trim(b.String(), ".")
}

// aliasFor finds the role a header names: the whole (dotted) name first,
// then the name without its dots ("src.ip" → srcip), its last two segments
// joined ("user.name" → username), then its last segment, a little less
// sure the deeper it sits.
func aliasFor(h string) (alias, bool) {
	k := roleKey(h)
	if a, ok := roleAliases[k]; ok {
		return a, true
	}
	depth := strings.Count(k, ".")
	if depth == 0 {
		return alias{}, false
	}
	less := func(a alias, by float64) alias {
		a.conf = max(0.05, a.conf-by)
		return a
	}
	if a, ok := roleAliases[strings.ReplaceAll(k, ".", "")]; ok {
		return less(a, 0.05*float64(depth-1)), true
	}
	segs := strings.Split(k, ".")
	if a, ok := roleAliases[segs[len(segs)-2]+segs[len(segs)-1]]; ok {
		return less(a, 0.05*float64(depth)), true
	}
	if a, ok := roleAliases[segs[len(segs)-1]]; ok {
		return less(a, 0.1+0.05*float64(depth)), true
	}
	return alias{}, false
}

// Placement is where a role was found.
type Placement struct {
	Column     int     // index into the header
	Header     string  // the header (or dotted key) as written
	Confidence float64 // 0 (a guess) to 1 (certain)
	By         string  // "map", "name" or "values"
}

// RoleGuess is the placement of columns into roles.
type RoleGuess struct {
	Placed   map[string]Placement // role -> column
	Unplaced []string             // roles no column was placed into, in Roles order
	// TimeParts are the columns whose values, joined with spaces, are the
	// time, when a log splits it (Date + Time; Month + Day + Time); nil
	// when one column holds it.
	TimeParts []int
	// TimeNoYear is set when the split time has no year (Month + Day +
	// Time): the year comes from Options.Year.
	TimeNoYear bool
}

// Cell returns role's value from a row: value(col) of its column, or of
// every column of a split time joined with spaces.
func (g RoleGuess) Cell(role string, value func(col int) string) string {
	if role == "time" && len(g.TimeParts) > 1 {
		parts := make([]string, 0, len(g.TimeParts))
		for _, c := range g.TimeParts {
			v := strings.TrimSpace(value(c))
			if v == "" {
				return "" // a date without its clock is no time
			}
			parts = append(parts, v)
		}
		return strings.Join(parts, " ")
	}
	c := g.Col(role)
	if c < 0 {
		return ""
	}
	return value(c)
}

// Col returns the column of a role, or -1.
func (g RoleGuess) Col(role string) int {
	if p, ok := g.Placed[role]; ok {
		return p.Column
	}
	return -1
}

// Unsure lists the key roles (time, actor, country, resource, approval)
// that are not placed or placed with a confidence under 0.5.
func (g RoleGuess) Unsure() []string {
	var out []string
	for _, r := range keyRoles {
		if p, ok := g.Placed[r]; !ok || p.Confidence < 0.5 {
			out = append(out, r)
		}
	}
	return out
}

// Advice is the sentence the importer warns with when key roles are unsure,
// e.g. "no column placed for: actor, country — map with --map
// actor=COLUMN,country=COLUMN"; "" when every key role is placed.
func (g RoleGuess) Advice() string {
	u := g.Unsure()
	if len(u) == 0 {
		return ""
	}
	maps := make([]string, len(u))
	for i, r := range u {
		maps[i] = r + "=COLUMN"
	}
	msg := "no column placed for: " + strings.Join(u, ", ") + " — map with --map " + strings.Join(maps, ",")
	var guesses []string
	for _, r := range Roles {
		if p, ok := g.Placed[r]; ok && p.By == "values" {
			guesses = append(guesses, fmt.Sprintf("%s=%s (from its values, %.0f%% sure)", r, p.Header, p.Confidence*100))
		}
	}
	if len(guesses) > 0 {
		msg += "; guessed " + strings.Join(guesses, ", ")
	}
	return msg
}

// DetectRoles places columns into roles from their header names and the
// shapes of sample values (IPv4/IPv6 → ip, ISO alpha-2 codes → country,
// RFC 3339 or epoch → time, APR-123-like ids → approval).
func DetectRoles(header []string, sample [][]string) RoleGuess {
	g, _ := DetectRolesMapped(header, sample, nil)
	return g
}

// DetectRolesMapped is DetectRoles with the investigator's explicit
// role=column mapping applied first. A column is named by its header (case
// and punctuation ignored) or by its 1-based number. An unknown role or
// column is an error.
func DetectRolesMapped(header []string, sample [][]string, explicit map[string]string) (RoleGuess, error) {
	g := RoleGuess{Placed: map[string]Placement{}}
	used := map[int]bool{}
	byKey := map[string]int{}
	for i := len(header) - 1; i >= 0; i-- {
		byKey[roleKey(header[i])] = i
	}
	mapped := make([]string, 0, len(explicit))
	for r := range explicit {
		mapped = append(mapped, r)
	}
	sort.Strings(mapped)
	find := func(role, col string) (int, error) {
		i, ok := byKey[roleKey(col)]
		if !ok {
			if n, err := strconv.Atoi(col); err == nil && n >= 1 && n <= len(header) {
				i, ok = n-1, true
			}
		}
		if !ok {
			return 0, fmt.Errorf("mapping %s=%s: no such column (columns: %s)", role, col, cutText(strings.Join(header, ", "), 300))
		}
		return i, nil
	}
	for _, role := range mapped {
		col := explicit[role]
		if !validRole(role) {
			return g, fmt.Errorf("unknown role %q in mapping (roles: %s)", role, strings.Join(Roles, ", "))
		}
		if strings.Contains(col, "+") {
			if role != "time" {
				return g, fmt.Errorf("mapping %s=%s: only the time can be joined from several columns", role, col)
			}
			var parts []int
			for _, c := range strings.Split(col, "+") {
				i, err := find(role, strings.TrimSpace(c))
				if err != nil {
					return g, err
				}
				parts = append(parts, i)
				used[i] = true
			}
			g.TimeParts = parts
			g.TimeNoYear = splitTimeNoYear(parts, sample)
			g.Placed[role] = Placement{Column: parts[0], Header: joinHeaders(header, parts), Confidence: 1, By: "map"}
			continue
		}
		i, err := find(role, col)
		if err != nil {
			return g, err
		}
		g.Placed[role] = Placement{Column: i, Header: header[i], Confidence: 1, By: "map"}
		used[i] = true
	}
	shapes := columnShapes(len(header), sample)
	type cand struct {
		col  int
		a    alias
		fits float64
	}
	var cands []cand
	for i, h := range header {
		a, ok := aliasFor(h)
		if !ok {
			continue
		}
		f, shaped := shapes[i].fit(a.role)
		if a.role == "time" && shapes[i].n > 0 {
			// a column named as a time may hold Excel serial days
			f = max(f, float64(shapes[i].serial)/float64(shapes[i].n))
		}
		if shaped {
			if f >= 0.9 {
				a.conf = min(1, a.conf+0.05)
			} else {
				a.conf *= 0.4 + 0.6*f
			}
		}
		cands = append(cands, cand{i, a, 0})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].a.conf > cands[j].a.conf })
	for _, c := range cands {
		if _, taken := g.Placed[c.a.role]; taken || used[c.col] {
			continue
		}
		g.Placed[c.a.role] = Placement{Column: c.col, Header: header[c.col], Confidence: c.a.conf, By: "name"}
		used[c.col] = true
	}
	// Then value shapes for roles still open.
	for _, vr := range []struct {
		role string
		min  float64
		conf float64
	}{{"time", 0.9, 0.7}, {"ip", 0.9, 0.8}, {"country", 0.9, 0.6}, {"approval", 0.8, 0.5}} {
		if _, taken := g.Placed[vr.role]; taken {
			continue
		}
		best, bestF := -1, 0.0
		for i := range header {
			if used[i] {
				continue
			}
			if f, ok := shapes[i].fit(vr.role); ok && f >= vr.min && f > bestF {
				best, bestF = i, f
			}
		}
		if best >= 0 {
			g.Placed[vr.role] = Placement{Column: best, Header: header[best], Confidence: vr.conf * bestF, By: "values"}
			used[best] = true
		}
	}
	if _, mappedTime := explicit["time"]; !mappedTime {
		g.placeSplitTime(header, sample)
	}
	for _, r := range Roles {
		if _, ok := g.Placed[r]; !ok {
			g.Unplaced = append(g.Unplaced, r)
		}
	}
	return g, nil
}

// clockShape is a time of day on its own: 10:01, 10:01:02.345, 3:04 PM.
var clockShape = regexp.MustCompile(`^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:\s?[AaPp]\.?[Mm]\.?)?$`)

// monthNames maps month names and abbreviations (lower case) to months.
var monthNames = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8, "september": 9,
	"october": 10, "november": 11, "december": 12,
}

// placeSplitTime joins a time split across columns: a date-only column
// and a clock column (Date, Time), or Month, Day and clock columns (no
// year). It changes nothing when one column already holds date and clock.
func (g *RoleGuess) placeSplitTime(header []string, sample [][]string) {
	if len(sample) == 0 {
		return
	}
	fit := func(col int, ok func(string) bool) float64 {
		n, k := 0, 0
		for _, row := range sample {
			if col >= len(row) {
				continue
			}
			v := strings.TrimSpace(row[col])
			if v == "" || v == "-" {
				continue
			}
			n++
			if ok(v) {
				k++
			}
		}
		if n == 0 {
			return 0
		}
		return float64(k) / float64(n)
	}
	if p, ok := g.Placed["time"]; ok && fit(p.Column, func(v string) bool { return strings.Contains(v, ":") && looksTime(v) }) >= 0.9 {
		return // one column holds date and clock
	}
	// A time whose zone spilled into the next, unnamed column (an nginx
	// "[04/Aug/2022:19:31:00 +0200]" split at its space by a spreadsheet).
	if p, ok := g.Placed["time"]; ok && p.Column+1 < len(header) && roleKey(header[p.Column+1]) == "" {
		c := p.Column
		joined := 0
		n := 0
		for _, row := range sample {
			if c+1 < len(row) && strings.TrimSpace(row[c]) != "" {
				n++
				if looksTime(strings.TrimSpace(row[c]) + " " + strings.TrimSpace(row[c+1])) {
					joined++
				}
			}
		}
		if n > 0 && joined*10 >= n*9 {
			g.TimeParts = []int{c, c + 1}
			g.Placed["time"] = Placement{Column: c, Header: joinHeaders(header, g.TimeParts), Confidence: p.Confidence, By: p.By}
			return
		}
	}
	dateCol, clockCol, monthCol, dayCol := -1, -1, -1, -1
	for i, h := range header {
		k := roleKey(h)
		switch {
		case clockCol < 0 && fit(i, clockShape.MatchString) >= 0.9:
			clockCol = i
		case dateCol < 0 && fit(i, func(v string) bool { return !strings.Contains(v, ":") && looksTime(v) }) >= 0.9:
			dateCol = i
		case monthCol < 0 && (k == "month" || k == "mon") && fit(i, isMonth) >= 0.9:
			monthCol = i
		case dayCol < 0 && (k == "day" || k == "dd" || k == "dayofmonth") && fit(i, isDayOfMonth) >= 0.9:
			dayCol = i
		}
	}
	if clockCol < 0 {
		return
	}
	var parts []int
	switch {
	case dateCol >= 0:
		parts = []int{dateCol, clockCol}
	case monthCol >= 0 && dayCol >= 0:
		parts = []int{monthCol, dayCol, clockCol}
		g.TimeNoYear = true
	default:
		return
	}
	g.TimeParts = parts
	g.Placed["time"] = Placement{Column: parts[0], Header: joinHeaders(header, parts), Confidence: 0.9, By: "name"}
}

func joinHeaders(header []string, cols []int) string {
	hs := make([]string, len(cols))
	for i, c := range cols {
		hs[i] = header[c]
	}
	return strings.Join(hs, "+")
}

func isMonth(v string) bool {
	if _, ok := monthNames[strings.ToLower(strings.TrimSuffix(v, "."))]; ok {
		return true
	}
	n, err := strconv.Atoi(v)
	return err == nil && n >= 1 && n <= 12
}

func isDayOfMonth(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= 1 && n <= 31
}

// splitTimeNoYear reports whether the joined sample values of a mapped
// split time read only without a year (Month + Day + Time).
func splitTimeNoYear(parts []int, sample [][]string) bool {
	n, withYear := 0, 0
	for _, row := range sample {
		var vs []string
		for _, c := range parts {
			if c < len(row) {
				vs = append(vs, strings.TrimSpace(row[c]))
			}
		}
		v := strings.Join(vs, " ")
		if v == "" {
			continue
		}
		n++
		if looksTime(v) {
			withYear++
		}
	}
	return n > 0 && withYear*2 < n && len(parts) >= 3
}

// shape counts how many sample values of a column look like each kind.
type shape struct {
	n, ip, country, time, approval, serial int
}

// fit is the share of non-empty values that fit role's shape; ok is false
// when the role has no shape or the column had no values.
func (s shape) fit(role string) (float64, bool) {
	if s.n == 0 {
		return 0, false
	}
	var k int
	switch role {
	case "ip":
		k = s.ip
	case "country", "approver_country":
		k = s.country
	case "time":
		k = s.time
	case "approval":
		k = s.approval
	default:
		return 0, false
	}
	return float64(k) / float64(s.n), true
}

// approvalShape is a ticket or approval id: SEC-123, APR-2022-00031,
// CHG0030001 (ServiceNow), with a digit somewhere (looksApproval).
var approvalShape = regexp.MustCompile(`^(?:[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,12}){1,3}|[A-Z]{2,6}[0-9]{4,12})$`)

// looksApproval reports whether v is shaped like a ticket or approval id.
func looksApproval(v string) bool {
	return approvalShape.MatchString(v) && strings.ContainsAny(v, "0123456789")
}

func columnShapes(ncol int, sample [][]string) []shape {
	out := make([]shape, ncol)
	for _, row := range sample {
		for i := 0; i < ncol && i < len(row); i++ {
			v := strings.TrimSpace(row[i])
			if v == "" || v == "-" {
				continue
			}
			s := &out[i]
			s.n++
			if looksIP(v) {
				s.ip++
			}
			if IsCountryCode(v) {
				s.country++
			}
			if looksTime(v) {
				s.time++
			}
			if _, ok := parseExcelSerial(v, nil); ok {
				s.serial++
			}
			if looksApproval(v) {
				s.approval++
			}
		}
	}
	return out
}

// looksIP reports whether v is an IPv4 or IPv6 address (with an optional
// port or zone).
func looksIP(v string) bool {
	if _, err := netip.ParseAddr(v); err == nil {
		return true
	}
	_, err := netip.ParseAddrPort(v)
	return err == nil
}

// cleanIP returns the address part of v without a port or brackets, or v
// unchanged when it is no address.
func cleanIP(v string) string {
	v = strings.TrimSpace(v)
	if a, err := netip.ParseAddr(v); err == nil {
		return a.String()
	}
	if ap, err := netip.ParseAddrPort(v); err == nil {
		return ap.Addr().String()
	}
	return v
}

// looksTime reports whether v reads as a time on its own (RFC 3339, ISO,
// epoch, Apache, numeric dates).
func looksTime(v string) bool {
	if len(v) < 8 || len(v) > 64 {
		return false
	}
	_, err := ParseTime(v, nil)
	return err == nil
}

func validRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}
