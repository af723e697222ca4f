package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Subject is who a suggestion is about and on which day: an event's actor
// and its UTC day, or a segment's speaker and the day its meeting took place.
type Subject struct {
	Actor string
	Day   string // YYYY-MM-DD, "" when unknown
}

// SuggestionSubjects returns the subject of every rule suggestion of the
// given status ("" for any), by tagging id, in one query.
func (s *Store) SuggestionSubjects(ctx context.Context, status string) (map[int64]Subject, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT g.id,
			CASE WHEN g.item LIKE 'evt-%' THEN coalesce(nullif(e.actor, ''), e.actor_id, '')
			     ELSE coalesce(sg.speaker, '') END,
			e.time_ns, coalesce(src.describes, '')
		FROM taggings g
		LEFT JOIN events e ON g.item LIKE 'evt-%' AND e.id = CAST(substr(g.item, 5) AS INTEGER)
		LEFT JOIN segments sg ON g.item LIKE 'seg-%' AND sg.id = CAST(substr(g.item, 5) AS INTEGER)
		LEFT JOIN sources src ON src.id = sg.source_id
		WHERE g.origin <> 'hand' AND g.removed_at IS NULL AND (? = '' OR g.status = ?)`, status, status)
	if err != nil {
		return nil, fmt.Errorf("suggestion subjects: %w", err)
	}
	defer rows.Close()
	out := map[int64]Subject{}
	for rows.Next() {
		var id int64
		var sub Subject
		var tns sql.NullInt64
		var describes string
		if err := rows.Scan(&id, &sub.Actor, &tns, &describes); err != nil {
			return nil, fmt.Errorf("suggestion subjects: %w", err)
		}
		switch {
		case tns.Valid:
			sub.Day = time.Unix(0, tns.Int64).UTC().Format("2006-01-02")
		case len(describes) >= 10:
			sub.Day = describes[:10]
		}
		out[id] = sub
	}
	return out, rows.Err()
}

// OpenSuggestionCounts counts the open suggestions of each rule.
func (s *Store) OpenSuggestionCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT origin, count(*) FROM taggings
		WHERE origin <> 'hand' AND status = 'suggested' AND removed_at IS NULL GROUP BY origin`)
	if err != nil {
		return nil, fmt.Errorf("count open suggestions: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var rule string
		var n int
		if err := rows.Scan(&rule, &n); err != nil {
			return nil, fmt.Errorf("count open suggestions: %w", err)
		}
		out[rule] = n
	}
	return out, rows.Err()
}
