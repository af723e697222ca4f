package casefile

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"casebook/model"
	"casebook/store"
)

// Rules for what real logs carry: an actor id, an IP and an action, rather
// than our synthetic data-category columns. They read the roster and the
// data map (roster.go) and the IP tables.

// More rule kinds.
const (
	RuleTravel    = "travel"     // the same person in two countries too far apart for the time between
	RuleFirstSeen = "first-seen" // the first event of an actor from a country they were not seen in before
)

// roster is "roster row 3: Wei Zhang (Beijing, CN, Lumora Platform)", or "".
// (The explanations read the same applier that gave the events their
// context: the roster and map loaded once per rule run, patterns compiled
// once.)
func (t *contextApplier) roster(e model.Event) string {
	p, ok := t.people[e.Context.RosterRow]
	if !ok || e.Context.RosterRow == 0 {
		return ""
	}
	var where []string
	for _, v := range []string{p.Office, p.Country, p.Team, p.Employer} {
		if v != "" {
			where = append(where, v)
		}
	}
	s := fmt.Sprintf("roster row %d: %s", p.Row, firstNonEmpty(p.Name, strings.Join(p.IDs, ", ")))
	if len(where) > 0 {
		s += " (" + strings.Join(where, ", ") + ")"
	}
	return s
}

// mapText is "data map row 2: resource, arn:aws:s3:::us-*, phone, US", or "".
func (t *contextApplier) mapText(e model.Event) string {
	if e.Context.MapRow == 0 {
		return ""
	}
	i := slices.IndexFunc(t.entries, func(m mapEntry) bool { return m.Row == e.Context.MapRow })
	if i < 0 {
		return ""
	}
	d := t.entries[i]
	s := fmt.Sprintf("data map row %d: %s", d.Row, d.String())
	if d.Field == "resource" {
		// Name the resource that matched when it is not the event's first.
		if !d.re.MatchString(e.Resource) {
			for _, v := range otherResources(e.Raw) {
				if d.re.MatchString(v) {
					s += " (the record also names " + v + ")"
					break
				}
			}
		}
	}
	return s
}

// add puts {roster}, {map}, {map_clause} and {context_clause} into extra. The clause is
// empty exactly when numericSafe["ctx"] holds: no roster entry, and no map
// entry that set the category.
func (t *contextApplier) add(extra map[string]string, e model.Event) {
	r, m := t.roster(e), t.mapText(e)
	extra["roster"], extra["map"] = r, m
	var parts []string
	if e.Context.RosterRow > 0 {
		parts = append(parts, "the actor is "+firstNonEmpty(r, fmt.Sprintf("roster row %d", e.Context.RosterRow)))
	}
	extra["map_clause"] = ""
	if e.Context.MapRow > 0 && e.DataCategory == "" {
		fromMap := "the category is from " + firstNonEmpty(m, fmt.Sprintf("data map row %d", e.Context.MapRow))
		parts = append(parts, fromMap)
		extra["map_clause"] = "; " + fromMap
	}
	extra["context_clause"] = ""
	if len(parts) > 0 {
		extra["context_clause"] = "; " + strings.Join(parts, "; ")
	}
}

// originOf is where an event's access came from: its IP's country, else a
// country the log itself states (the rule language's origin_country).
func originOf(e model.Event) string {
	if e.IPCountry != "" {
		return e.IPCountry
	}
	if e.CountryFrom == "source" || e.CountryFrom == "ip" {
		return e.Country
	}
	return ""
}

// actorKey mirrors the store's actor key (actorKeySQL).
func actorKey(e model.Event) string {
	if e.Context.RosterRow > 0 {
		return fmt.Sprintf("roster:%d", e.Context.RosterRow)
	}
	return strings.ToLower(firstNonEmpty(e.ActorID, e.ActorName))
}

func actorLabel(e model.Event) string {
	who := firstNonEmpty(e.ActorID, e.ActorName)
	if e.Context.Person != "" && !strings.EqualFold(e.Context.Person, who) {
		who += " (" + e.Context.Person + ")"
	}
	return who
}

func evtRef(e model.Event) string { return model.ItemID{Kind: model.ItemEvent, N: e.ID}.String() }

// travelRule suggests every event whose actor was, at their previous event,
// in another country too far away to have reached in the time between: the
// distance between the two countries' capitals over the hours between the
// events above maxKmh (and at least minKm apart). Countries without known
// coordinates are not judged.
func (c *Case) travelRule(ctx context.Context, r Rule, pol Policy, p ruleParams, texts *contextApplier, conf float64) ([]store.Suggestion, error) {
	where, args, err := CompileRule(r.Condition, pol)
	if err != nil {
		return nil, err
	}
	maxKmh, minKm := p.MaxKmh, p.MinKm
	if maxKmh <= 0 {
		maxKmh = 1000
	}
	if minKm <= 0 {
		minKm = 500
	}
	var out []store.Suggestion
	var prev model.Event
	have := false
	err = c.store.ScanEventsByActor(ctx, "("+where+") AND time_ns IS NOT NULL", args, true, func(e model.Event) error {
		org := originOf(e)
		if org == "" {
			return nil
		}
		if !have || actorKey(prev) != actorKey(e) {
			prev, have = e, true
			return nil
		}
		from := originOf(prev)
		a, okA := capitals[from]
		b, okB := capitals[org]
		if from != org && okA && okB {
			km := haversineKm(a, b)
			hours := e.Time.Sub(prev.Time).Hours()
			if km >= minKm && (hours <= 0 || km/hours > maxKmh) {
				how := "at the same moment"
				if hours > 0 {
					how = fmt.Sprintf("in %s (%s km/h, faster than the %s km/h the rule allows)",
						humanDuration(e.Time.Sub(prev.Time)), Commas(int64(km/hours)), Commas(int64(maxKmh)))
				}
				expl := fmt.Sprintf("%s was in %s at %s UTC (%s, IP %s) and in %s at %s UTC (IP %s): about %s km between "+
					"the capitals, %s", actorLabel(e), from, prev.Time.UTC().Format("2006-01-02 15:04:05"), evtRef(prev),
					firstNonEmpty(prev.IP, "?"), org, e.Time.UTC().Format("2006-01-02 15:04:05"), firstNonEmpty(e.IP, "?"),
					Commas(int64(km)), how)
				if rt := texts.roster(e); rt != "" {
					expl += "; the actor is " + rt
				}
				out = append(out, store.Suggestion{Item: model.ItemID{Kind: model.ItemEvent, N: e.ID}, Related: evtRef(prev),
					Confidence: conf, Explanation: expl})
			}
		}
		prev = e
		return nil
	})
	return out, err
}

// firstSeenRule suggests, for each actor, the first event from each country
// after the country of their first event: the moment an account starts to
// be used from somewhere new.
func (c *Case) firstSeenRule(ctx context.Context, r Rule, pol Policy, texts *contextApplier, conf float64) ([]store.Suggestion, error) {
	where, args, err := CompileRule(r.Condition, pol)
	if err != nil {
		return nil, err
	}
	var out []store.Suggestion
	key := ""
	var seen []string
	var first model.Event
	n := 0
	err = c.store.ScanEventsByActor(ctx, "("+where+") AND time_ns IS NOT NULL", args, true, func(e model.Event) error {
		org := originOf(e)
		if org == "" {
			return nil
		}
		if k := actorKey(e); k != key {
			key, seen, first, n = k, []string{org}, e, 1
			return nil
		}
		n++
		for _, s := range seen {
			if s == org {
				return nil
			}
		}
		expl := fmt.Sprintf("%s is seen from %s for the first time on %s UTC (IP %s), after %s earlier events from %s "+
			"since %s UTC (%s)", actorLabel(e), org, e.Time.UTC().Format("2006-01-02 15:04"), firstNonEmpty(e.IP, "?"),
			Commas(int64(n-1)), strings.Join(seen, ", "), first.Time.UTC().Format("2006-01-02 15:04"), evtRef(first))
		if rt := texts.roster(e); rt != "" {
			expl += "; the actor is " + rt
		}
		seen = append(seen, org)
		out = append(out, store.Suggestion{Item: model.ItemID{Kind: model.ItemEvent, N: e.ID}, Confidence: conf,
			Explanation: expl})
		return nil
	})
	return out, err
}

func humanDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < 2*time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 72*time.Hour:
		return fmt.Sprintf("%.1f h", d.Hours())
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}

type latLon struct{ lat, lon float64 }

func haversineKm(a, b latLon) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat, dLon := (b.lat-a.lat)*rad, (b.lon-a.lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.lat*rad)*math.Cos(b.lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// capitals are the coordinates of each country's capital (or, for Hong Kong
// and Macao, the city), to a hundredth of a degree: the impossible-travel
// rule measures between them, which is conservative for neighbours and says
// so in its explanation.
var capitals = map[string]latLon{
	"US": {38.90, -77.04}, "CA": {45.42, -75.70}, "MX": {19.43, -99.13}, "BR": {-15.79, -47.88}, "AR": {-34.60, -58.38},
	"CL": {-33.45, -70.67}, "CO": {4.71, -74.07}, "PE": {-12.05, -77.04}, "UY": {-34.90, -56.16}, "VE": {10.48, -66.90},
	"EC": {-0.18, -78.47}, "BO": {-16.49, -68.12}, "PY": {-25.26, -57.58}, "CU": {23.11, -82.37}, "CR": {9.93, -84.09},
	"PA": {8.98, -79.52}, "DO": {18.49, -69.93},
	"GB": {51.51, -0.13}, "IE": {53.35, -6.26}, "FR": {48.86, 2.35}, "DE": {52.52, 13.40}, "NL": {52.37, 4.90},
	"BE": {50.85, 4.35}, "LU": {49.61, 6.13}, "CH": {46.95, 7.45}, "AT": {48.21, 16.37}, "IT": {41.90, 12.50},
	"ES": {40.42, -3.70}, "PT": {38.72, -9.14}, "SE": {59.33, 18.07}, "NO": {59.91, 10.75}, "DK": {55.68, 12.57},
	"FI": {60.17, 24.94}, "IS": {64.15, -21.94}, "PL": {52.23, 21.01}, "CZ": {50.08, 14.44}, "SK": {48.15, 17.11},
	"HU": {47.50, 19.04}, "RO": {44.43, 26.10}, "BG": {42.70, 23.32}, "GR": {37.98, 23.73}, "TR": {39.93, 32.86},
	"UA": {50.45, 30.52}, "RU": {55.76, 37.62}, "BY": {53.90, 27.57}, "LT": {54.69, 25.28}, "LV": {56.95, 24.11},
	"EE": {59.44, 24.75}, "RS": {44.79, 20.45}, "HR": {45.81, 15.98}, "SI": {46.06, 14.51}, "CY": {35.19, 33.38},
	"MT": {35.90, 14.51}, "GE": {41.72, 44.79}, "AM": {40.18, 44.51}, "AZ": {40.41, 49.87},
	"IL": {31.77, 35.21}, "JO": {31.95, 35.93}, "LB": {33.89, 35.50}, "AE": {24.45, 54.38}, "SA": {24.71, 46.68},
	"QA": {25.29, 51.53}, "IR": {35.69, 51.39}, "IQ": {33.31, 44.37}, "EG": {30.04, 31.24}, "MA": {34.02, -6.83},
	"TN": {36.81, 10.18}, "DZ": {36.75, 3.06}, "ZA": {-25.75, 28.19}, "NG": {9.08, 7.40}, "KE": {-1.29, 36.82},
	"ET": {9.03, 38.74}, "GH": {5.60, -0.19},
	"IN": {28.61, 77.21}, "PK": {33.68, 73.05}, "BD": {23.81, 90.41}, "LK": {6.93, 79.86}, "NP": {27.72, 85.32},
	"KZ": {51.17, 71.45}, "UZ": {41.30, 69.24}, "MN": {47.89, 106.91}, "CN": {39.90, 116.41}, "HK": {22.32, 114.17},
	"MO": {22.20, 113.54}, "TW": {25.03, 121.57}, "JP": {35.68, 139.69}, "KR": {37.57, 126.98}, "KP": {39.04, 125.76},
	"SG": {1.35, 103.82}, "MY": {3.14, 101.69}, "TH": {13.76, 100.50}, "VN": {21.03, 105.85}, "PH": {14.60, 120.98},
	"ID": {-6.21, 106.85}, "KH": {11.56, 104.93}, "MM": {19.76, 96.08}, "AU": {-35.28, 149.13}, "NZ": {-41.29, 174.78},
}

// Coverage says how many of the items a rule looks at it could judge, and
// why not the rest — so that "0 found" is never read as "nothing happened"
// when the case lacks what the rule needs.
type Coverage struct {
	Items     int64  // events (or transcript segments) the rule looks at
	Evaluable int64  // of which it could judge
	Unit      string // "events" or "segments"
	Reason    string // why the rest could not be judged, and what would help ("" when all could)
}

// String renders "17 events, 0 evaluable — none has a data category: load a data map (casebook datamap)".
func (v Coverage) String() string {
	s := fmt.Sprintf("%s %s, %s evaluable", Commas(v.Items), v.Unit, Commas(v.Evaluable))
	if v.Reason != "" {
		s += " — " + v.Reason
	}
	return s
}

// fieldNeed is what a rule field needs to hold a value, and what helps
// when it does not.
var fieldNeed = map[string]struct{ what, help string }{
	"country":          {"a country", "load a roster (casebook roster), IP ranges or an IP database (casebook ipranges)"},
	"office":           {"an office", "load a roster (casebook roster)"},
	"category":         {"a data category", "load a data map (casebook datamap)"},
	"region":           {"a subject region", "load a data map (casebook datamap) that names regions"},
	"origin_country":   {"a country for its IP or in the log", "load IP ranges or an IP database (casebook ipranges)"},
	"ip_country":       {"a country for its IP", "load IP ranges or an IP database (casebook ipranges)"},
	"person":           {"a roster entry", "load a roster (casebook roster) that names the actors"},
	"person_country":   {"a roster entry with a country", "load a roster (casebook roster) with a country column"},
	"person_office":    {"a roster entry with an office", "load a roster (casebook roster) with an office column"},
	"roster_row":       {"a roster entry", "load a roster (casebook roster) that names the actors"},
	"map_row":          {"a data-map entry", "load a data map (casebook datamap) that covers its resources"},
	"records":          {"a record count", "map a column to records (--map records=COLUMN)"},
	"time":             {"a readable time", "map the time column (--map time=COLUMN)"},
	"approver_country": {"an approver's country", "map a column to approver_country"},
	"actor":            {"an actor", "map the actor column (--map actor=COLUMN)"},
	"actor_id":         {"an actor id", "map the actor id column (--map actor_id=COLUMN)"},
	approvalLog:        {"an approval column in its log", "import a log that records approvals, or map one (--map approval=COLUMN)"},
}

// approvalLog is a pseudo-field: the event's log records approvals at all
// (some event of its source has an approval id). A log with no approval
// column says nothing about approvals, so "no approval id" is not evidence
// there.
const approvalLog = "approval_log"

// approvalLogSQL is the SQL of approvalLog (SQLite evaluates the subquery once).
const approvalLogSQL = "source_id IN (SELECT source_id FROM events WHERE approval <> '' GROUP BY source_id)"

// needSQL is the SQL test that an event holds a value of a rule field.
func needSQL(field string) string {
	col := RuleFields[field]
	switch {
	case field == approvalLog:
		return approvalLogSQL
	case field == "time":
		return "time_ns IS NOT NULL"
	case field == "records":
		return "records IS NOT NULL"
	case field == "roster_row" || field == "map_row":
		return col + " > 0"
	case field == "actor" || field == "actor_id":
		return "(actor <> '' OR actor_id <> '')"
	case numericFields[field]:
		return "1"
	}
	return col + " <> ''"
}

// ruleNeeds is what a rule needs of each event to judge it, and the fields
// that put an event in its scope at all.
func ruleNeeds(r Rule, p ruleParams, pol Policy) (needs, scope []string, err error) {
	needs, scope, err = RuleNeeds(r.Condition, pol)
	if err != nil {
		return nil, nil, err
	}
	add := func(f ...string) {
		for _, x := range f {
			if !slices.Contains(needs, x) {
				needs = append(needs, x)
			}
		}
	}
	if p.ApprovalLogsOnly {
		add(approvalLog)
	}
	switch r.Kind {
	case RuleOffHours:
		add("time", "country")
	case RuleTravel, RuleFirstSeen:
		add("time", "origin_country", "actor")
	case RuleCorrelation:
		add("time", "actor")
	}
	sort.Strings(needs)
	return needs, scope, nil
}

// RuleCoverage computes, for each rule given, how many events (segments for
// phrase rules) it can judge and why not the rest, in one pass over the
// events.
func (c *Case) RuleCoverage(ctx context.Context, rules []Rule) (map[string]Coverage, error) {
	pol, err := c.Policy(ctx)
	if err != nil {
		return nil, err
	}
	roster, err := c.store.Roster(ctx)
	if err != nil {
		return nil, err
	}
	return c.ruleCoverage(ctx, rules, pol, len(roster) > 0)
}

// ruleCoverage is RuleCoverage with the policy and whether the case has a
// roster already read.
func (c *Case) ruleCoverage(ctx context.Context, rules []Rule, pol Policy, hasRoster bool) (map[string]Coverage, error) {
	segs, evts, err := c.store.ItemCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]Coverage{}
	needs := map[string][]string{}
	fieldIdx := map[string]int{}
	var fields []string
	var ruleSQL []string
	var ruleIDs []string
	for _, r := range rules {
		if r.Kind == RulePhrase {
			out[r.ID] = Coverage{Items: segs, Evaluable: segs, Unit: "segments"}
			if segs == 0 {
				out[r.ID] = Coverage{Unit: "segments", Reason: "the case holds no transcript"}
			}
			continue
		}
		p, _ := parseParams(r) // a rule whose parameters do not parse fails when run, naming them
		switch {
		case p.NeedsApprovalRequired && !pol.ApprovalRequired:
			out[r.ID] = Coverage{Items: evts, Unit: "events", Reason: "the policy does not require approvals"}
			continue
		case p.NeedsRoster && !hasRoster:
			out[r.ID] = Coverage{Items: evts, Unit: "events", Reason: "no roster loaded: load one (casebook roster)"}
			continue
		}
		n, scope, err := ruleNeeds(r, p, pol)
		if err != nil {
			out[r.ID] = Coverage{Items: evts, Unit: "events", Reason: "the condition does not compile: " + err.Error()}
			continue
		}
		needs[r.ID] = n
		var conj []string
		for _, f := range n {
			if _, ok := fieldIdx[f]; !ok {
				fieldIdx[f] = len(fields)
				fields = append(fields, f)
			}
			conj = append(conj, needSQL(f))
		}
		var in []string
		for _, f := range scope {
			in = append(in, needSQL(f))
		}
		if len(in) == 0 {
			in = []string{"1"}
		}
		conj = append(conj, in...)
		ruleSQL = append(ruleSQL, "coalesce(sum("+strings.Join(in, " AND ")+"), 0)", "coalesce(sum("+strings.Join(conj, " AND ")+"), 0)")
		ruleIDs = append(ruleIDs, r.ID)
	}
	if len(ruleIDs) == 0 {
		return out, nil
	}
	var cols []string
	for _, f := range fields {
		cols = append(cols, "coalesce(sum("+needSQL(f)+"), 0)")
	}
	vals, err := c.store.EventSums(ctx, append(cols, ruleSQL...))
	if err != nil {
		return nil, fmt.Errorf("rule coverage: %w", err)
	}
	for i, id := range ruleIDs {
		// Items: the events in the rule's scope (all, unless it asks only
		// about events with, say, an approval id).
		v := Coverage{Items: vals[len(fields)+2*i], Evaluable: vals[len(fields)+2*i+1], Unit: "events"}
		if evts == 0 {
			v.Reason = "the case holds no access events"
		} else if v.Evaluable < v.Items {
			// The scarcest field the rule needs says what is missing.
			worst, have := "", int64(-1)
			for _, f := range needs[id] {
				if n := vals[fieldIdx[f]]; have < 0 || n < have {
					worst, have = f, n
				}
			}
			need, ok := fieldNeed[worst]
			if !ok {
				need.what, need.help = "a value for "+worst, "map a column to "+worst
			}
			if have == 0 {
				v.Reason = fmt.Sprintf("none has %s: %s", need.what, need.help)
			} else {
				v.Reason = fmt.Sprintf("%s have no %s: %s", Commas(v.Items-v.Evaluable), strings.TrimPrefix(strings.TrimPrefix(need.what, "a "), "an "), need.help)
			}
		}
		out[id] = v
	}
	return out, nil
}

// Short renders "4 of 19 events — 15 have no data category: load a data map (casebook datamap)".
func (v Coverage) Short() string {
	s := fmt.Sprintf("%s of %s %s", Commas(v.Evaluable), Commas(v.Items), v.Unit)
	if v.Reason != "" {
		s += " — " + v.Reason
	}
	return s
}

// contextMethodology states, for the report, the roster and the data map the
// case holds: the file each came from with its SHA-256 (from the audit
// trail), its size, and that they fill only what the logs left empty.
func (c *Case) contextMethodology(ctx context.Context) ([]string, error) {
	people, err := c.store.Roster(ctx)
	if err != nil {
		return nil, err
	}
	dm, err := c.store.DataMap(ctx)
	if err != nil {
		return nil, err
	}
	if len(people) == 0 && len(dm) == 0 {
		return []string{"No roster and no data map were loaded: actors are known only by the identifiers their logs " +
			"give, and data categories only where a log states them. The coverage column of the rules table says how " +
			"many events each rule could judge."}, nil
	}
	trail, err := c.store.AuditTrail(ctx)
	if err != nil {
		return nil, err
	}
	last := map[string]model.AuditEntry{}
	for _, a := range trail {
		if a.Action == "roster" || a.Action == "datamap" {
			last[a.Action] = a
		}
	}
	var out []string
	describe := func(action, what string, n int) {
		if n == 0 {
			return
		}
		var d struct {
			File   string `json:"file"`
			SHA256 string `json:"sha256"`
		}
		a := last[action]
		_ = json.Unmarshal([]byte(a.Detail), &d)
		out = append(out, fmt.Sprintf("%s: %d entries from %s (SHA-256 %s), loaded by %s on %s (audit entry %d).",
			what, n, firstNonEmpty(d.File, "?"), firstNonEmpty(d.SHA256, "?"), a.Actor, a.At.UTC().Format("2006-01-02 15:04 UTC"), a.Seq))
	}
	describe("roster", "Roster (who the actors are)", len(people))
	describe("datamap", "Data map (what the resources hold)", len(dm))
	out = append(out, "The roster gives an event its person, and the office and country its log left empty; the data map "+
		"gives it a data category and subject region where its log named none. Neither changes the records as imported "+
		"(their seals do not cover these derived fields), and each suggestion's explanation names the roster row and map "+
		"row it relied on.")
	return out, nil
}
