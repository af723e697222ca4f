package casefile

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"casebook/model"
	"casebook/store"
)

// Rule is a rule kept as data in the case: a condition in the rule language
// (see CompileRule), parameters as JSON, and the template of the
// plain-language explanation each suggestion carries.
type Rule = store.Rule

// Rule kinds.
const (
	RuleCondition   = "condition"   // every event matching the condition
	RuleBulk        = "bulk"        // the condition, plus days far above the actor's usual volume
	RuleOffHours    = "off-hours"   // matching events outside the office's working hours
	RulePhrase      = "phrase"      // transcript segments matching any of a list of phrases
	RuleCorrelation = "correlation" // people named in a meeting with matching events near its date
)

// foreignCondition is the built-in foreign-access condition, reused by the
// correlation rule.
const foreignCondition = "country <> '' AND country NOT IN home AND category IN protected AND region IN home"

// StarterPhrases are the phrase rules a case starts with, by rule id.
var StarterPhrases = map[string][]string{
	"phrase-master-admin": {"master admin", "master account", "admin for the cluster", "see everything",
		"approve themselves", "approves itself", "admin group"},
	"phrase-seen-abroad": {"everything is seen in China", "seen in China", "decisions are made here", "standing access",
		"read access to the US tables", "from Beijing"},
	"phrase-us-data": {"US user data", "U.S. user data", "US users", "US phone numbers", "US user tables", "US data"},
	"phrase-approval": {"get around approval", "around the approval", "no approval", "no ticket", "approval step is a checkbox",
		"smaller batches", "approve each other", "as approver"},
}

const eventExplanation = "{actor_id} {actor} ({office} office, {country}) {verb} {records} {region} users' {what} on {time} UTC"

// BuiltinRules are the rules every case starts with, written in the rule
// language. The investigator may edit or disable them; edits are kept.
func BuiltinRules() []Rule {
	mk := func(id, name, kind, cond, params, expl, tag string) Rule {
		return Rule{ID: id, Name: name, Kind: kind, Condition: cond, Params: params, Enabled: true, Explanation: expl,
			Tag: tag, Builtin: true}
	}
	rules := []Rule{
		mk("foreign-access", "Protected home-user data touched from outside the home jurisdictions", RuleCondition,
			foreignCondition, `{}`, eventExplanation+"{approval_clause}{context_clause}", "foreign-access"),
		mk("no-approval", "Protected data touched with no approval id", RuleCondition,
			"category IN protected AND approval = ''", `{"needs_approval_required": true, "approval_logs_only": true}`,
			eventExplanation+" with no approval id", "no-approval"),
		mk("foreign-approver", "Approval granted from outside the home jurisdictions", RuleCondition,
			"category IN protected AND region IN home AND approval <> '' AND approver_country <> '' AND approver_country NOT IN home",
			`{}`, eventExplanation+", approved by {approver} ({approver_country}) under {approval}", "foreign-approver"),
		mk("bulk", "Bulk reads: above the threshold, or a day far above the actor's usual", RuleBulk,
			"category IN protected AND records > bulk_threshold",
			`{"daily_condition": "category IN protected AND records <= bulk_threshold"}`,
			eventExplanation+", above the bulk threshold of {threshold}", "bulk"),
		mk("off-hours", "Protected data touched outside the office's working hours", RuleOffHours,
			"category IN protected", `{}`,
			eventExplanation+", at {local} local time, outside working hours ({hours})", "off-hours"),
		mk("offshore-copy", "Home users' data read from storage abroad after the cut-off", RuleCondition,
			"category IN protected AND region IN home AND resource LIKE offshore AND time >= offshore_from", `{}`,
			eventExplanation+" from offshore storage {resource}", "offshore-copy"),
		mk("correlation", "People named in a meeting with foreign-access events near its date", RuleCorrelation,
			foreignCondition, `{"days": 3}`, "", "follow-up"),
		// Rules for what real logs carry: an identity, an IP, an action.
		mk("foreign-signin", "Sign-ins and sessions from outside the home jurisdictions", RuleCondition,
			"action LIKE signin AND NOT action LIKE '%fail%' AND NOT action LIKE '%invalid%' AND origin_country <> '' "+
				"AND origin_country NOT IN home", `{}`,
			"{actor_id} {actor} signed in ({action}) from {origin_country}, IP {ip}, on {time} UTC{context_clause}",
			"foreign-signin"),
		// The access looks domestic (the log or its IP says home), but the
		// roster bases the person abroad: a VPN, a jump host, a shared
		// account. Where the log itself says abroad, foreign-access has it.
		mk("roster-abroad", "A person the roster bases abroad on home users' data, though the log places the access at home",
			RuleCondition, "roster_row > 0 AND person_country NOT IN home AND source_country IN home AND category IN protected "+
				"AND region IN home", `{}`,
			"{actor_id} {actor} ({roster}) {verb} {records} {region} users' {what} ({resource}) on {time} UTC; the log "+
				"places the access in {country}, IP {ip}{map_clause}", "foreign-access"),
		mk("not-on-roster", "Activity by an identity the roster does not name", RuleCondition,
			"roster_row = 0 AND (actor <> '' OR actor_id <> '')", `{"needs_roster": true, "confidence": 0.4}`,
			"{actor_id} {actor} ({action} {resource}) on {time} UTC: no roster entry names this identity", "follow-up"),
		mk("impossible-travel", "The same person in two countries too far apart for the time between", RuleTravel,
			"origin_country <> ''", `{"max_kmh": 1000, "min_km": 500}`, "", "follow-up"),
		mk("first-seen-country", "An actor seen from a new country for the first time", RuleFirstSeen,
			"origin_country <> ''", `{}`, "", "follow-up"),
	}
	ids := make([]string, 0, len(StarterPhrases))
	for id := range StarterPhrases {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		p, _ := json.Marshal(map[string]any{"phrases": StarterPhrases[id]})
		rules = append(rules, mk(id, "Phrases: "+strings.Join(StarterPhrases[id][:2], ", ")+" …", RulePhrase, "", string(p),
			"{speaker} in {source} ({where}) said “{phrase}”", "key-quote"))
	}
	return rules
}

// Rules lists the case's rules (adding the built-ins on first use).
func (c *Case) Rules(ctx context.Context) ([]Rule, error) {
	if err := c.ensureEvidence(ctx); err != nil {
		return nil, err
	}
	rules, err := c.store.Rules(ctx)
	if err == nil && len(rules) == 0 && c.readOnly != "" {
		// A read-only case never given its rules shows the built-ins it
		// would get on its first writable open.
		return BuiltinRules(), nil
	}
	return rules, err
}

// SaveRule creates or changes a rule after checking its condition compiles.
func (c *Case) SaveRule(ctx context.Context, r Rule) error {
	if err := c.ensureEvidence(ctx); err != nil {
		return err
	}
	pol, err := c.Policy(ctx)
	if err != nil {
		return err
	}
	if _, _, err := CompileRule(r.Condition, pol); err != nil {
		return fmt.Errorf("rule %s: %w", r.ID, err)
	}
	if r.Params == "" {
		r.Params = "{}"
	}
	if r.Tag == "" {
		r.Tag = "follow-up"
	}
	if err := c.store.EnsureTags(ctx, c.Investigator(ctx), []model.Tag{{Name: r.Tag}}); err != nil {
		return err
	}
	return c.store.SaveRule(ctx, c.Investigator(ctx), r)
}

// RuleResult is what one rule found in a run.
type RuleResult struct {
	Rule    string
	Matched int // items the rule found this run that it had not suggested before
	Added   int // of which new
	Seconds float64
	Err     error
	// Coverage says how many items the rule could judge, and why not the rest.
	Coverage Coverage
}

// RunRules runs the enabled rules (all when ids is empty, else those named)
// and records their suggestions. Running again adds nothing new.
func (c *Case) RunRules(ctx context.Context, ids ...string) ([]RuleResult, error) {
	return c.RunRulesProgress(ctx, nil, ids...)
}

// RunRulesProgress is RunRules reporting, before each rule, Stage "rules"
// with the rule's id as File and the rules run so far of those to run.
func (c *Case) RunRulesProgress(ctx context.Context, progress ProgressFunc, ids ...string) ([]RuleResult, error) {
	if err := c.refuseIfReadOnly(); err != nil {
		return nil, err
	}
	rules, err := c.Rules(ctx)
	if err != nil {
		return nil, err
	}
	pol, err := c.Policy(ctx)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if !slices.ContainsFunc(rules, func(r Rule) bool { return r.ID == id }) {
			return nil, fmt.Errorf("rule %q: %w", id, model.ErrNotFound)
		}
	}
	who := c.Investigator(ctx)
	var run []Rule
	for _, r := range rules {
		if len(ids) > 0 && slices.Contains(ids, r.ID) || len(ids) == 0 && r.Enabled {
			run = append(run, r)
		}
	}
	// The roster and the data map, read once for every rule's explanations.
	ca, err := c.newContextApplier(ctx)
	if err != nil {
		return nil, err
	}
	cov, err := c.ruleCoverage(ctx, run, pol, len(ca.people) > 0)
	if err != nil {
		return nil, err
	}
	var out []RuleResult
	for _, r := range rules {
		if len(ids) > 0 && !slices.Contains(ids, r.ID) || len(ids) == 0 && !r.Enabled {
			continue
		}
		progress.report(Progress{Stage: "rules", File: r.ID, Done: int64(len(out)), Total: int64(len(run))})
		start := time.Now()
		res := RuleResult{Rule: r.ID, Coverage: cov[r.ID]}
		res.Matched, res.Added, res.Err = c.runRule(ctx, who, r, pol, ca)
		res.Seconds = time.Since(start).Seconds()
		if res.Err != nil {
			return out, fmt.Errorf("rule %s: %w", r.ID, res.Err)
		}
		out = append(out, res)
	}
	return out, nil
}

// ruleParams are the parameters the built-in kinds understand.
type ruleParams struct {
	NeedsApprovalRequired bool     `json:"needs_approval_required"`
	DailyCondition        string   `json:"daily_condition"`
	Phrases               []string `json:"phrases"`
	Days                  int      `json:"days"`
	Confidence            float64  `json:"confidence"`
	NeedsRoster           bool     `json:"needs_roster"`       // judge nothing until a roster is loaded
	ApprovalLogsOnly      bool     `json:"approval_logs_only"` // judge only events of logs that record approvals
	MaxKmh                float64  `json:"max_kmh"`            // travel: the fastest plausible journey
	MinKm                 float64  `json:"min_km"`             // travel: nearer countries are not judged
}

// parseParams reads a rule's parameters, "" as {}.
func parseParams(r Rule) (ruleParams, error) {
	var p ruleParams
	if err := json.Unmarshal([]byte(nonEmpty(r.Params, "{}")), &p); err != nil {
		return p, fmt.Errorf("parameters: %w", err)
	}
	return p, nil
}

// runRule runs one rule and records its suggestions, returning how many it
// found that it had not made before and how many were added.
func (c *Case) runRule(ctx context.Context, who string, r Rule, pol Policy, ca *contextApplier) (matched, added int, err error) {
	p, err := parseParams(r)
	if err != nil {
		return 0, 0, err
	}
	conf := p.Confidence
	if conf <= 0 || conf > 1 {
		conf = map[string]float64{RuleCondition: 0.9, RuleBulk: 0.9, RuleOffHours: 0.8, RulePhrase: 0.6, RuleCorrelation: 0.5,
			RuleTravel: 0.7, RuleFirstSeen: 0.5}[r.Kind]
	}
	var sugg []store.Suggestion
	switch r.Kind {
	case RulePhrase:
		sugg, err = c.phraseRule(ctx, r, p.Phrases, conf)
	case RuleCorrelation:
		sugg, err = c.correlationRule(ctx, r, pol, max(p.Days, 0), conf)
	case RuleTravel:
		sugg, err = c.travelRule(ctx, r, pol, p, ca, conf)
	case RuleFirstSeen:
		sugg, err = c.firstSeenRule(ctx, r, pol, ca, conf)
	case RuleCondition, RuleBulk, RuleOffHours:
		return c.eventRule(ctx, who, r, pol, p, ca, conf)
	default:
		return 0, 0, fmt.Errorf("unknown rule kind %q: %w", r.Kind, model.ErrInvalid)
	}
	if err != nil {
		return 0, 0, err
	}
	return c.store.SuggestEvents(ctx, who, r, nil, sugg)
}

// eventRule runs a condition, bulk or off-hours rule. The events are
// suggested by one INSERT … SELECT with the explanation rendered in SQL;
// events whose fields SQL cannot render exactly as explainEvent does are
// explained in Go. Off-hours judges local time in Go, reading only each
// matching event's place and time.
func (c *Case) eventRule(ctx context.Context, who string, r Rule, pol Policy, p ruleParams, texts *contextApplier, conf float64) (matched, added int, err error) {
	if p.NeedsApprovalRequired && !pol.ApprovalRequired {
		return c.store.SuggestEvents(ctx, who, r, nil, nil)
	}
	if p.NeedsRoster && len(texts.people) == 0 {
		return c.store.SuggestEvents(ctx, who, r, nil, nil)
	}
	where, args, err := CompileRule(r.Condition, pol)
	if err != nil {
		return 0, 0, err
	}
	if p.ApprovalLogsOnly {
		where = "(" + where + ") AND " + approvalLogSQL
	}
	consts := map[string]string{"threshold": Commas(pol.BulkThreshold)}
	var vals map[string]string
	if r.Kind == RuleOffHours {
		vals = map[string]string{"local": "x.v1", "hours": "x.v2"}
	}
	expl, safe, ok := explanationSQL(r.Explanation, consts, vals)
	if !ok {
		expl, safe = "''", "0"
	}
	q := &store.EventSuggestions{Where: where, Args: args, Explain: expl, Safe: safe, Confidence: conf}
	zones := zoneCache{}
	hours := map[string]string{}
	hoursText := func(office string) string {
		v, ok := hours[office]
		if !ok {
			h := pol.hoursFor(office)
			v = h.Start + "–" + h.End + " " + dayRange(h.Days)
			hours[office] = v
		}
		return v
	}
	q.Fallback = func(e model.Event) (string, bool) {
		extra := map[string]string{"threshold": consts["threshold"]}
		texts.add(extra, e)
		if r.Kind == RuleOffHours {
			off, local, ok := pol.offHours(zones, e.Office, e.Country, e.Time)
			if !ok || !off {
				return "", false
			}
			extra["local"] = local.Format(localLayout)
			extra["hours"] = hoursText(e.Office)
		}
		return explainEvent(r.Explanation, e, extra), true
	}
	if r.Kind == RuleOffHours {
		q.Rows = []store.RuleRow{}
		err := c.store.ScanNewEventPlaces(ctx, r.ID, where, args, func(ep store.EventPlace) error {
			off, local, ok := pol.offHours(zones, ep.Office, ep.Country, ep.Time)
			if !ok || !off {
				return nil
			}
			v1, ok1 := sqlValue(local.Format(localLayout))
			v2, ok2 := sqlValue(hoursText(ep.Office))
			if !ok1 || !ok2 {
				q.Safe = "0" // a value SQL cannot carry: explain every event in Go
			}
			q.Rows = append(q.Rows, store.RuleRow{Event: ep.ID, V1: v1, V2: v2})
			return nil
		})
		if err != nil {
			return 0, 0, err
		}
	}
	var daily []store.Suggestion
	if r.Kind == RuleBulk && p.DailyCondition != "" {
		if daily, err = c.dailySpikes(ctx, r, pol, p.DailyCondition, conf*0.8); err != nil {
			return 0, 0, err
		}
	}
	return c.store.SuggestEvents(ctx, who, r, q, daily)
}

// localLayout is how off-hours explanations show the local time.
const localLayout = "Mon 2006-01-02 15:04 MST"

// dailySpikes finds actor-days whose volume (over the events matching cond)
// is more than the policy's factor times the actor's median day and at least
// its minimum, and suggests every matching event of such a day.
func (c *Case) dailySpikes(ctx context.Context, r Rule, pol Policy, cond string, conf float64) ([]store.Suggestion, error) {
	where, args, err := CompileRule(cond, pol)
	if err != nil {
		return nil, fmt.Errorf("daily condition: %w", err)
	}
	vols, err := c.store.DailyVolumes(ctx, where, args)
	if err != nil {
		return nil, err
	}
	byActor := map[string][]int64{}
	for _, v := range vols {
		byActor[v.Actor] = append(byActor[v.Actor], v.Records)
	}
	medians := map[string]float64{}
	for a, vs := range byActor {
		slices.Sort(vs)
		m := float64(vs[len(vs)/2])
		if len(vs)%2 == 0 {
			m = float64(vs[len(vs)/2-1]+vs[len(vs)/2]) / 2
		}
		medians[a] = m
	}
	var out []store.Suggestion
	for _, v := range vols {
		med := medians[v.Actor]
		if float64(v.Records) <= pol.DailyFactor*med || v.Records < pol.DailyMinimum {
			continue
		}
		day := time.Unix(v.Day*86400, 0).UTC()
		dw := where + " AND time_ns >= ? AND time_ns < ? AND (actor_id = ? OR (actor_id = '' AND actor = ?))"
		dargs := append(slices.Clone(args), day.UnixNano(), day.Add(24*time.Hour).UnixNano(), v.Actor, v.Actor)
		err := c.store.ScanNewEvents(ctx, r.ID, dw, dargs, func(e model.Event) error {
			text := fmt.Sprintf("%s; %s records that day (%s), %.0f× %s's median day of %s",
				explainEvent(eventExplanation, e, nil), Commas(v.Records), day.Format("2006-01-02"),
				float64(v.Records)/max(med, 1), firstNonEmpty(e.ActorName, e.ActorID), Commas(int64(med)))
			out = append(out, store.Suggestion{Item: model.ItemID{Kind: model.ItemEvent, N: e.ID}, Confidence: conf, Explanation: text})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// categoryWords are plain words for common data categories.
var categoryWords = map[string]string{
	"phone": "phone numbers", "email": "email addresses", "birthday": "birthdays",
	"precise_location": "precise locations", "device_id": "device identifiers", "contacts": "contact lists",
	"messages": "private messages", "profile_public": "public profiles", "aggregate_metrics": "aggregate metrics",
}

var pastTense = map[string]string{"read": "read", "export": "exported", "query": "queried", "download": "downloaded",
	"view": "viewed", "copy": "copied", "delete": "deleted", "update": "updated", "write": "wrote", "access": "accessed"}

// explainEvent fills an explanation template with an event's fields:
// {id} {actor_id} {actor} {office} {country} {verb} {action} {records}
// {region} {what} {category} {time} {approval} {approval_clause} {approver}
// {approver_country} {resource} {system} {purpose} {row}, plus extra.
func explainEvent(tmpl string, e model.Event, extra map[string]string) string {
	verb := pastTense[strings.ToLower(e.Action)]
	if verb == "" {
		verb = firstNonEmpty(e.Action, "touched")
	}
	category := e.EffectiveCategory()
	what := categoryWords[strings.ToLower(category)]
	if what == "" {
		what = firstNonEmpty(category, "data")
	}
	records := "some"
	if e.RecordCount >= 0 {
		records = Commas(e.RecordCount)
	}
	when := e.TimeText
	if !e.Time.IsZero() {
		when = e.Time.UTC().Format("2006-01-02 15:04")
	}
	clause := " with no approval id"
	if e.ApprovalID != "" {
		clause = " under approval " + e.ApprovalID
		if e.Approver != "" {
			clause += " (" + e.Approver + ")"
		}
	}
	kv := []string{"{id}", model.ItemID{Kind: model.ItemEvent, N: e.ID}.String(), "{actor_id}", e.ActorID,
		"{actor}", e.ActorName, "{office}", firstNonEmpty(e.EffectiveOffice(), "unknown"),
		"{country}", firstNonEmpty(e.EffectiveCountry(), "??"), "{verb}", verb, "{action}", e.Action, "{records}", records,
		"{region}", firstNonEmpty(e.EffectiveRegion(), "?"), "{what}", what, "{category}", category, "{time}", when,
		"{person}", e.Context.Person, "{ip}", e.IP, "{origin_country}", firstNonEmpty(originOf(e), "??"),
		"{approval}", e.ApprovalID,
		"{approval_clause}", clause, "{approver}", e.Approver, "{approver_country}", e.ApproverCountry,
		"{resource}", e.Resource, "{system}", e.System, "{purpose}", e.Purpose, "{row}", strconv.Itoa(e.Row)}
	for k, v := range extra {
		kv = append(kv, "{"+k+"}", v)
	}
	return strings.Join(strings.Fields(replaceKeys(tmpl, kv)), " ")
}

// replaceKeys is strings.NewReplacer(kv...).Replace(s) for keys that all
// start with '{', without building a replacer per call: at each position
// the first key (in argument order) found there is replaced.
func replaceKeys(s string, kv []string) string {
	var b strings.Builder
	b.Grow(len(s) + 64)
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '{')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		matched := false
		for k := 0; k+1 < len(kv); k += 2 {
			if strings.HasPrefix(s[i:], kv[k]) {
				b.WriteString(kv[k+1])
				i += len(kv[k])
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte('{')
			i++
		}
	}
	return b.String()
}

// eventFieldSQL are explainEvent's placeholders as SQL over the events
// table, in explainEvent's order, with the columns each reads. The SQL
// renders like explainEvent for events whose text is printable ASCII, whose
// record count and row are integers and whose time is unknown or not before
// 1970 (see explanationSQL).
var eventFieldSQL = func() []struct{ key, expr, cols string } {
	lookup := func(col string, words map[string]string, empty string) string {
		keys := make([]string, 0, len(words))
		for k := range words {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var b strings.Builder
		b.WriteString("CASE lower(" + colSQL(col) + ")")
		for _, k := range keys {
			b.WriteString(" WHEN " + sqlQuote(k) + " THEN " + sqlQuote(words[k]))
		}
		b.WriteString(" ELSE " + orDefault(col, empty) + " END")
		return b.String()
	}
	return []struct{ key, expr, cols string }{
		{"{id}", `'evt-' || events.id`, ""},
		{"{actor_id}", "events.actor_id", "actor_id"},
		{"{actor}", "events.actor", "actor"},
		{"{office}", orDefault("office", "unknown"), "office person_office"},
		{"{country}", orDefault("country", "??"), "country person_country"},
		{"{verb}", lookup("action", pastTense, "touched"), "action"},
		{"{action}", "events.action", "action"},
		{"{records}", `CASE WHEN events.records >= 0 THEN printf('%,d', events.records) ELSE 'some' END`, "#records"},
		{"{region}", orDefault("region", "?"), "region map_region"},
		{"{what}", lookup("category", categoryWords, "data"), "category map_category"},
		{"{category}", colSQL("category"), "category map_category"},
		{"{person}", "events.person", "person"},
		{"{ip}", "events.ip", "ip"},
		{"{origin_country}", `CASE WHEN events.ip_country <> '' THEN events.ip_country
			WHEN events.country_from IN ('source', 'ip') AND events.country <> '' THEN events.country ELSE '??' END`,
			"ip_country country country_from"},
		{"{context_clause}", "''", "#ctx"},
		{"{time}", `CASE WHEN events.time_ns IS NOT NULL THEN strftime('%Y-%m-%d %H:%M', events.time_ns / 1000000000, 'unixepoch')
			ELSE events.time_text END`, "#time_ns time_text"},
		{"{approval}", "events.approval", "approval"},
		{"{approval_clause}", `CASE WHEN events.approval = '' THEN ' with no approval id' ELSE ' under approval ' || events.approval ||
			CASE WHEN events.approver <> '' THEN ' (' || events.approver || ')' ELSE '' END END`, "approval approver"},
		{"{approver}", "events.approver", "approver"},
		{"{approver_country}", "events.approver_country", "approver_country"},
		{"{resource}", "events.resource", "resource"},
		{"{system}", "events.system", "system"},
		{"{purpose}", "events.purpose", "purpose"},
		{"{row}", "events.row", "#row"},
	}
}()

// numericSafe are the checks that a numeric column renders in SQL as in Go.
var numericSafe = map[string]string{
	"records": `typeof(events.records) IN ('integer', 'null')`,
	"time_ns": `(events.time_ns IS NULL OR typeof(events.time_ns) = 'integer' AND events.time_ns >= 0)`,
	"row":     `typeof(events.row) = 'integer'`,
	// {context_clause} renders as '' in SQL: exact for events the roster and
	// the data map say nothing of (the rest are explained in Go).
	"ctx": `events.roster_row = 0 AND (events.map_row = 0 OR events.category <> '')`,
}

// goOnlyKeys are placeholders only Go renders (they read the roster and the
// data map): a template with one is explained in Go.
var goOnlyKeys = []string{"{roster}", "{map}", "{map_clause}"}

// colSQL is an events column in SQL: the effective value (the source's,
// else the roster's or the data map's) for office, country, category and
// region.
func colSQL(col string) string {
	switch col {
	case "office":
		return "(CASE WHEN events.office <> '' THEN events.office ELSE events.person_office END)"
	case "country":
		return "(CASE WHEN events.country <> '' THEN events.country ELSE events.person_country END)"
	case "category":
		return "(CASE WHEN events.category <> '' THEN events.category ELSE events.map_category END)"
	case "region":
		return "(CASE WHEN events.region <> '' THEN events.region ELSE events.map_region END)"
	}
	return "events." + col
}

func orDefault(col, def string) string {
	return "CASE WHEN " + colSQL(col) + " = '' THEN " + sqlQuote(def) + " ELSE " + colSQL(col) + " END"
}

func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// explanationSQL compiles an explanation template into an SQL expression
// over the events table that renders it as explainEvent does, with consts
// (extra values fixed for the run) and vals (extra values read from SQL
// expressions, already free of whitespace other than spaces and of control
// characters 0 and 1). safe is the predicate on the events for which the
// expression is exact; ok is false when the template itself cannot be
// rendered in SQL.
func explanationSQL(tmpl string, consts, vals map[string]string) (expr, safe string, ok bool) {
	if !utf8.ValidString(tmpl) || strings.ContainsAny(tmpl, "\x00\x01") {
		return "", "", false
	}
	for _, k := range goOnlyKeys {
		if strings.Contains(tmpl, k) {
			return "", "", false
		}
	}
	type key struct{ key, expr, cols string }
	keys := make([]key, 0, len(eventFieldSQL)+len(consts)+len(vals))
	for _, f := range eventFieldSQL {
		keys = append(keys, key(f))
	}
	for _, k := range slices.Sorted(maps.Keys(consts)) {
		v, ok := sqlValue(consts[k])
		if !ok {
			return "", "", false
		}
		keys = append(keys, key{"{" + k + "}", sqlQuote(v), ""})
	}
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		keys = append(keys, key{"{" + k + "}", vals[k], ""})
	}
	var parts []string
	var lit strings.Builder
	used := map[string]bool{}
	flush := func() {
		if lit.Len() > 0 {
			v, _ := sqlValue(lit.String())
			parts = append(parts, sqlQuote(v))
			lit.Reset()
		}
	}
	for i := 0; i < len(tmpl); {
		if tmpl[i] == '{' {
			if j := slices.IndexFunc(keys, func(k key) bool { return strings.HasPrefix(tmpl[i:], k.key) }); j >= 0 {
				flush()
				parts = append(parts, "("+keys[j].expr+")")
				for _, c := range strings.Fields(keys[j].cols) {
					used[c] = true
				}
				i += len(keys[j].key)
				continue
			}
		}
		lit.WriteByte(tmpl[i])
		i++
	}
	flush()
	if len(parts) == 0 {
		parts = []string{"''"}
	}
	// Go joins strings.Fields: spaces collapse (through a marker) and trim.
	expr = `trim(replace(replace(replace(` + strings.Join(parts, " || ") + `, ' ', ' ' || char(1)), char(1) || ' ', ''), char(1), ''))`
	var text, checks []string
	for _, c := range slices.Sorted(maps.Keys(used)) {
		if n, ok := strings.CutPrefix(c, "#"); ok {
			checks = append(checks, numericSafe[n])
		} else {
			text = append(text, "events."+c)
		}
	}
	if len(text) > 0 {
		// Printable ASCII only: no whitespace but spaces, no marker, and
		// lower() folds as strings.ToLower.
		checks = append(checks, `NOT ((`+strings.Join(text, " || ")+`) GLOB '*[^ -~]*')`)
	}
	if len(checks) == 0 {
		return expr, "1", true
	}
	return expr, strings.Join(checks, " AND "), true
}

// sqlValue prepares a value for an SQL explanation: whitespace becomes
// spaces (which explainEvent's Fields treats alike); ok is false when it
// holds a character the SQL rendering cannot carry.
func sqlValue(v string) (string, bool) {
	if !utf8.ValidString(v) || strings.ContainsAny(v, "\x00\x01") {
		return v, false
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, v), true
}

// Commas renders a count with thousands separators: 1204 as "1,204".
func Commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func dayRange(days []time.Weekday) string {
	if len(days) == 5 && !slices.Contains(days, time.Saturday) && !slices.Contains(days, time.Sunday) {
		return "Mon–Fri"
	}
	var names []string
	for _, d := range days {
		names = append(names, d.String()[:3])
	}
	return strings.Join(names, ",")
}

func nonEmpty(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
