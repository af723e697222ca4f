package casefile

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // offices' time zones must resolve on any machine, offline

	"casebook/model"
)

// policyKey is the meta key holding the case's policy as JSON.
const policyKey = "policy"

// Hours are an office's working hours in its own time zone.
type Hours struct {
	Zone  string         `json:"zone"`  // IANA zone, e.g. "Asia/Shanghai"
	Start string         `json:"start"` // "08:00"
	End   string         `json:"end"`   // "19:00" (exclusive)
	Days  []time.Weekday `json:"days"`  // working days, Monday = 1
}

// Policy is what the rules measure events against.
type Policy struct {
	Home             []string         `json:"home"`              // home jurisdictions (ISO codes)
	Protected        []string         `json:"protected"`         // protected data categories (any case)
	ApprovalRequired bool             `json:"approval_required"` // protected data needs an approval id
	DefaultHours     Hours            `json:"default_hours"`     // working hours where an office has none of its own
	Offices          map[string]Hours `json:"offices,omitempty"` // per office (by name, any case)
	Offshore         []string         `json:"offshore"`          // storage abroad: resource LIKE patterns
	OffshoreFrom     string           `json:"offshore_from"`     // YYYY-MM-DD: offshore reads count from this day
	BulkThreshold    int64            `json:"bulk_threshold"`    // records in one event
	DailyFactor      float64          `json:"daily_factor"`      // a day's volume this many times the actor's median day
	DailyMinimum     int64            `json:"daily_minimum"`     // ... and at least this many records
	SignIn           []string         `json:"signin"`            // actions that are sign-ins or sessions: LIKE patterns
}

// DefaultSignIn are the sign-in and session actions of the logs Casebook
// reads (Entra ID, Okta, CloudTrail, Google Workspace, sshd, Windows 4624,
// auditd), as LIKE patterns; failures are left out by the rules' conditions.
var DefaultSignIn = []string{"login", "%login_success%", "%login success%", "user.login%", "consolelogin", "%logon%",
	"%sign-in%", "%signin%", "%sign_in%", "%session.start%", "%session opened%", "%accepted password%",
	"%accepted publickey%", "%accepted keyboard%", "%authentication.sso%", "%auth_via_mfa%"}

// DefaultPolicy is the policy of a new case.
func DefaultPolicy() Policy {
	return Policy{
		Home:             []string{"US"},
		Protected:        []string{"phone", "email", "birthday", "precise_location", "device_id", "contacts", "messages"},
		ApprovalRequired: true,
		DefaultHours: Hours{Start: "08:00", End: "19:00",
			Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}},
		Offices:       map[string]Hours{},
		Offshore:      []string{},
		BulkThreshold: 10000,
		DailyFactor:   10,
		DailyMinimum:  10000,
		SignIn:        slices.Clone(DefaultSignIn),
	}
}

// set returns a named policy set for the rule language, nil when name is
// not one.
func (p Policy) set(name string) []string {
	switch name {
	case "home":
		return nonNilStrings(p.Home)
	case "protected":
		return nonNilStrings(p.Protected)
	case "offshore":
		return nonNilStrings(p.Offshore)
	case "signin":
		return nonNilStrings(p.SignIn)
	}
	return nil
}

// scalar returns a named policy value for the rule language.
func (p Policy) scalar(name string) (string, bool) {
	switch name {
	case "bulk_threshold":
		return strconv.FormatInt(p.BulkThreshold, 10), true
	case "offshore_from":
		return p.OffshoreFrom, true
	}
	return "", false
}

func policyNames() []string {
	return []string{"home", "protected", "offshore", "signin", "bulk_threshold", "offshore_from"}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// validate normalises and checks a policy.
func (p *Policy) validate() error {
	for i, h := range p.Home {
		h = strings.ToUpper(strings.TrimSpace(h))
		if len(h) != 2 || !isLetters(h) {
			return fmt.Errorf("home jurisdiction %q: want a two-letter country code: %w", h, model.ErrInvalid)
		}
		p.Home[i] = h
	}
	for i, c := range p.Protected {
		p.Protected[i] = strings.ToLower(strings.TrimSpace(c))
	}
	if p.OffshoreFrom != "" {
		if _, err := time.Parse("2006-01-02", p.OffshoreFrom); err != nil {
			return fmt.Errorf("offshore cut-off %q: want YYYY-MM-DD: %w", p.OffshoreFrom, model.ErrInvalid)
		}
	}
	if p.Offices == nil {
		p.Offices = map[string]Hours{}
	}
	for name, h := range p.Offices {
		if _, _, err := h.bounds(); err != nil {
			return fmt.Errorf("office %s: %w", name, err)
		}
		if h.Zone != "" {
			if _, err := time.LoadLocation(h.Zone); err != nil {
				return fmt.Errorf("office %s: time zone %q: %w", name, h.Zone, model.ErrInvalid)
			}
		}
	}
	if _, _, err := p.DefaultHours.bounds(); err != nil {
		return err
	}
	if p.BulkThreshold <= 0 || p.DailyFactor <= 1 {
		return fmt.Errorf("bulk threshold must be positive and the daily factor above 1: %w", model.ErrInvalid)
	}
	return nil
}

// bounds returns the working hours as minutes after midnight.
func (h Hours) bounds() (start, end int, err error) {
	parse := func(s string) (int, error) {
		t, err := time.Parse("15:04", s)
		if err != nil {
			return 0, fmt.Errorf("working hours %q: want HH:MM: %w", s, model.ErrInvalid)
		}
		return t.Hour()*60 + t.Minute(), nil
	}
	if start, err = parse(h.Start); err != nil {
		return
	}
	if h.End == "24:00" {
		return start, 24 * 60, nil
	}
	end, err = parse(h.End)
	return
}

// Policy returns the case's policy: the defaults where nothing is set.
func (c *Case) Policy(ctx context.Context) (Policy, error) {
	p := DefaultPolicy()
	v, err := c.store.Meta(ctx, policyKey)
	if err != nil {
		return p, err
	}
	if v == "" {
		return p, nil
	}
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return p, fmt.Errorf("policy in case.db: %w", err)
	}
	return p, nil
}

// SetPolicy stores the case's policy (in the audit trail too).
func (c *Case) SetPolicy(ctx context.Context, p Policy) error {
	if err := p.validate(); err != nil {
		return err
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.store.SetMeta(ctx, c.Investigator(ctx), map[string]string{policyKey: string(b)})
}

// officeZones are the time zones of the demo's offices and common office
// cities; other places are found through the tz database itself.
var officeZones = map[string]string{
	"austin": "America/Chicago", "toronto": "America/Toronto", "beijing": "Asia/Shanghai", "shanghai": "Asia/Shanghai",
	"singapore": "Asia/Singapore", "dublin": "Europe/Dublin", "london": "Europe/London", "new york": "America/New_York",
	"san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles", "mountain view": "America/Los_Angeles",
	"los angeles": "America/Los_Angeles", "chicago": "America/Chicago", "washington": "America/New_York",
	"boston": "America/New_York", "menlo park": "America/Los_Angeles", "palo alto": "America/Los_Angeles",
	"shenzhen": "Asia/Shanghai", "hangzhou": "Asia/Shanghai", "guangzhou": "Asia/Shanghai", "hong kong": "Asia/Hong_Kong",
	"tokyo": "Asia/Tokyo", "seoul": "Asia/Seoul", "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata",
	"mumbai": "Asia/Kolkata", "berlin": "Europe/Berlin", "paris": "Europe/Paris", "amsterdam": "Europe/Amsterdam",
	"sydney": "Australia/Sydney", "moscow": "Europe/Moscow", "tel aviv": "Asia/Jerusalem", "dubai": "Asia/Dubai",
	"jakarta": "Asia/Jakarta", "kuala lumpur": "Asia/Kuala_Lumpur", "taipei": "Asia/Taipei", "manila": "Asia/Manila",
	"sao paulo": "America/Sao_Paulo", "mexico city": "America/Mexico_City", "vancouver": "America/Vancouver",
}

// countryZones are the zones of countries with a single one, for offices
// known only by their country.
var countryZones = map[string]string{
	"CN": "Asia/Shanghai", "SG": "Asia/Singapore", "IE": "Europe/Dublin", "GB": "Europe/London", "JP": "Asia/Tokyo",
	"KR": "Asia/Seoul", "IN": "Asia/Kolkata", "DE": "Europe/Berlin", "FR": "Europe/Paris", "NL": "Europe/Amsterdam",
	"HK": "Asia/Hong_Kong", "TW": "Asia/Taipei", "IL": "Asia/Jerusalem", "AE": "Asia/Dubai", "MY": "Asia/Kuala_Lumpur",
	"PH": "Asia/Manila", "VN": "Asia/Ho_Chi_Minh", "TH": "Asia/Bangkok", "IT": "Europe/Rome", "ES": "Europe/Madrid",
	"PL": "Europe/Warsaw", "SE": "Europe/Stockholm", "CH": "Europe/Zurich", "BE": "Europe/Brussels", "FI": "Europe/Helsinki",
}

// zoneCache remembers resolved zones per lower-case office|country key.
type zoneCache map[string]*time.Location

// officeZone finds the time zone of an office: the policy's own entry, the
// built-in table, a tz database city of that name, then the country's only
// zone. It returns nil when none is known.
func (p Policy) officeZone(cache zoneCache, office, country string) *time.Location {
	key := strings.ToLower(office) + "|" + country
	if loc, ok := cache[key]; ok {
		return loc
	}
	var loc *time.Location
	try := func(name string) bool {
		if name == "" {
			return false
		}
		l, err := time.LoadLocation(name)
		if err == nil {
			loc = l
		}
		return err == nil
	}
	o := strings.ToLower(strings.TrimSpace(office))
	for name, h := range p.Offices {
		if strings.EqualFold(name, office) && try(h.Zone) {
			cache[key] = loc
			return loc
		}
	}
	if !try(officeZones[o]) && o != "" {
		city := strings.ReplaceAll(titleWords(o), " ", "_")
		for _, area := range []string{"America", "Europe", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian"} {
			if try(area + "/" + city) {
				break
			}
		}
	}
	if loc == nil {
		try(countryZones[strings.ToUpper(country)])
	}
	cache[key] = loc
	return loc
}

func titleWords(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		ws[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(ws, " ")
}

// hoursFor returns the working hours of an office.
func (p Policy) hoursFor(office string) Hours {
	for name, h := range p.Offices {
		if strings.EqualFold(name, office) {
			if h.Start == "" {
				h.Start, h.End = p.DefaultHours.Start, p.DefaultHours.End
			}
			if len(h.Days) == 0 {
				h.Days = p.DefaultHours.Days
			}
			return h
		}
	}
	return p.DefaultHours
}

// offHours reports whether t falls outside the office's working hours in
// its own zone, and the local time it was there. ok is false when the
// office's zone is unknown.
func (p Policy) offHours(cache zoneCache, office, country string, t time.Time) (off bool, local time.Time, ok bool) {
	loc := p.officeZone(cache, office, country)
	if loc == nil || t.IsZero() {
		return false, time.Time{}, false
	}
	h := p.hoursFor(office)
	start, end, err := h.bounds()
	if err != nil {
		return false, time.Time{}, false
	}
	local = t.In(loc)
	m := local.Hour()*60 + local.Minute()
	working := slices.Contains(h.Days, local.Weekday()) && m >= start && m < end
	return !working, local, true
}

func sortStrings(s []string) { sort.Strings(s) }
