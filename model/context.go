package model

import "strings"

// EventContext is what the case's roster and data map say about an event:
// the person behind its actor and what its resource holds. It is derived,
// not part of the record (an event's seal does not cover it): it is
// recomputed whenever the roster or the map changes, and it never replaces
// what the source itself said — it fills only what the source left empty.
type EventContext struct {
	Person        string // the roster's name for the actor ("" when the actor is on no roster entry)
	RosterRow     int    // the roster row that matched (0: none)
	PersonOffice  string // the roster's office for that person
	PersonCountry string // the roster's country for that person (ISO alpha-2)
	MapCategory   string // the data category the data map gives the event
	MapRegion     string // the subject region the data map gives the event ("" for any)
	MapRow        int    // the data-map row that set MapCategory (0: none)
}

// RosterEntry is one person of a roster: the identifiers they appear under in
// logs and meetings, and where they are based.
type RosterEntry struct {
	Row      int      `json:"row"`  // 1-based data row in the roster file
	Name     string   `json:"name"` // display name
	IDs      []string `json:"ids"`  // employee ids, e-mail addresses, user names, ARNs or principals, as written
	Office   string   `json:"office"`
	Country  string   `json:"country"` // ISO alpha-2 when known
	Team     string   `json:"team"`
	Employer string   `json:"employer"`
}

// DataMapEntry says what a resource holds: events whose Field matches
// Pattern (a glob with * and ?, or "re:" and a regular expression; case is
// ignored) hold Category data of subjects in Region.
type DataMapEntry struct {
	Row      int    `json:"row"`   // 1-based data row in the map file
	Field    string `json:"field"` // an event field: resource, action, system, actor, actor_id, office, ip, purpose
	Pattern  string `json:"pattern"`
	Category string `json:"category"`
	Region   string `json:"region"` // ISO alpha-2, EU or EEA, or "" for any region
}

// String renders the entry as the map file wrote it, for explanations.
func (d DataMapEntry) String() string {
	r := d.Region
	if r == "" {
		r = "*"
	}
	return d.Field + ", " + d.Pattern + ", " + d.Category + ", " + r
}

// EffectiveCountry is the event's country, or the roster's for its person
// when the source gave none.
func (e Event) EffectiveCountry() string { return firstOf(e.Country, e.Context.PersonCountry) }

// EffectiveOffice is the event's office, or the roster's when the source gave none.
func (e Event) EffectiveOffice() string { return firstOf(e.Office, e.Context.PersonOffice) }

// EffectiveCategory is the event's data category, or the data map's.
func (e Event) EffectiveCategory() string { return firstOf(e.DataCategory, e.Context.MapCategory) }

// EffectiveRegion is the event's subject region, or the data map's.
func (e Event) EffectiveRegion() string { return firstOf(e.SubjectRegion, e.Context.MapRegion) }

func firstOf(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
