package store

import (
	"context"
	"strings"
	"time"
)

// MonthCountry is a count of events for one month and country.
type MonthCountry struct {
	Month   string // YYYY-MM (UTC)
	Country string
	N       int64
}

// ActorCount is a count of events for one actor.
type ActorCount struct {
	Actor string
	N     int64
}

func inList(col string, vals []string, not bool) (string, []any) {
	if len(vals) == 0 {
		if not {
			return "1 = 1", nil
		}
		return "1 = 0", nil
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = strings.ToLower(v)
	}
	op := "IN"
	if not {
		op = "NOT IN"
	}
	return "lower(" + col + ") " + op + " (" + placeholders(len(vals)) + ")", args
}

// foreignWhere selects events from outside the home countries touching
// protected data of home users (events with no country are not counted as
// foreign; an event that names no subject region counts).
func foreignWhere(home, protected []string) (string, []any) {
	c1, a1 := inList("country", home, true)
	c2, a2 := inList("category", protected, false)
	c3, a3 := inList("region", home, false)
	args := append(append(a1, a2...), a3...)
	return "country <> '' AND time_ns IS NOT NULL AND " + c1 + " AND " + c2 + " AND (region = '' OR " + c3 + ")", args
}

// ForeignByMonth counts events from outside the home countries on protected
// data, per month and country.
func (s *Store) ForeignByMonth(ctx context.Context, home, protected []string) ([]MonthCountry, error) {
	where, args := foreignWhere(home, protected)
	rows, err := s.r.QueryContext(ctx, `SELECT strftime('%Y-%m', time_ns / 1000000000, 'unixepoch') AS m, upper(country), count(*)
		FROM events WHERE `+where+` GROUP BY m, upper(country) ORDER BY m, upper(country)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MonthCountry
	for rows.Next() {
		var m MonthCountry
		if err := rows.Scan(&m.Month, &m.Country, &m.N); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// TopForeignActors returns the actors with the most foreign accesses to
// protected data.
func (s *Store) TopForeignActors(ctx context.Context, home, protected []string, limit int) ([]ActorCount, error) {
	where, args := foreignWhere(home, protected)
	rows, err := s.r.QueryContext(ctx, `SELECT CASE WHEN actor_id <> '' AND actor <> '' THEN actor || ' (' || actor_id || ')'
		ELSE actor || actor_id END AS who, count(*) AS n FROM events WHERE `+where+` GROUP BY who ORDER BY n DESC, who LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ActorCount
	for rows.Next() {
		var a ActorCount
		if err := rows.Scan(&a.Actor, &a.N); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PeopleNames lists every speaker and actor name in the case, for
// pseudonymisation.
func (s *Store) PeopleNames(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name FROM speakers UNION SELECT DISTINCT actor FROM events WHERE actor <> ''
		UNION SELECT DISTINCT approver FROM events WHERE approver <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(strings.ToLower(n), "speaker ") && !strings.EqualFold(n, "unknown speaker") {
			out = append(out, n)
		}
	}
	return out, rows.Err()
}

// DayCountry is a count of events on one day (UTC) from one country.
type DayCountry struct {
	Day     string // YYYY-MM-DD
	Country string // "" when unknown
	N       int64
}

// EventsPerDay counts events per day and country, using the time index.
func (s *Store) EventsPerDay(ctx context.Context) ([]DayCountry, error) {
	// Days as whole numbers since 1970 (floored, so times before it fall
	// on their own day), named in Go: formatting a date for each of a
	// million rows was half of the query's time. The (time_ns, country)
	// index answers it without reading the rows (migration 0010).
	rows, err := s.r.QueryContext(ctx, `SELECT CASE WHEN time_ns < 0 THEN (time_ns + 1) / 86400000000000 - 1
		ELSE time_ns / 86400000000000 END AS d, upper(country), count(*)
		FROM events WHERE time_ns IS NOT NULL GROUP BY d, upper(country) ORDER BY d, upper(country)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DayCountry
	for rows.Next() {
		var d DayCountry
		var day int64
		if err := rows.Scan(&day, &d.Country, &d.N); err != nil {
			return nil, err
		}
		d.Day = time.Unix(day*86400, 0).UTC().Format("2006-01-02")
		out = append(out, d)
	}
	return out, rows.Err()
}
