package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"casebook/model"
)

// Queries the window needs that the command line does not: saved mapping
// profiles listed, what a suggestion is about (who and which day) for
// grouping the review queue, statements edited, the rows of one access log
// in any column's order, and counts for the left pane.

// Profiles lists the saved column mappings by name.
func (s *Store) Profiles(ctx context.Context) ([]MappingProfile, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, mapping, format FROM mapping_profiles ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list mapping profiles: %w", err)
	}
	defer rows.Close()
	var out []MappingProfile
	for rows.Next() {
		var p MappingProfile
		var m string
		if err := rows.Scan(&p.Name, &m, &p.Format); err != nil {
			return nil, fmt.Errorf("list mapping profiles: %w", err)
		}
		if err := json.Unmarshal([]byte(m), &p.Mapping); err != nil {
			return nil, fmt.Errorf("mapping profile %q: %w", p.Name, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

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

// UpdateStatement changes a statement's who, when, words and where. The
// audit trail keeps what it said before.
func (s *Store) UpdateStatement(ctx context.Context, actor string, st Statement) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var old Statement
		err := tx.QueryRowContext(ctx, `SELECT who, said_on, words, place FROM statements WHERE id = ?`, st.ID).
			Scan(&old.Who, &old.When, &old.Words, &old.Where)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("statement %d: %w", st.ID, model.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read statement %d: %w", st.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE statements SET who = ?, said_on = ?, words = ?, place = ? WHERE id = ?`,
			st.Who, st.When, st.Words, st.Where, st.ID); err != nil {
			return fmt.Errorf("update statement %d: %w", st.ID, err)
		}
		return appendAudit(ctx, tx, actor, "statement-edit", map[string]any{"statement": st.ID,
			"before": map[string]string{"who": old.Who, "when": old.When, "where": old.Where, "words": old.Words},
			"who":    st.Who, "when": st.When, "where": st.Where, "words": st.Words})
	})
}

// UnlinkStatement removes one evidence link from a statement; the link is
// kept, marked removed, for the history.
func (s *Store) UnlinkStatement(ctx context.Context, actor string, link int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var statement int64
		var item string
		err := tx.QueryRowContext(ctx, `SELECT statement_id, item FROM statement_links WHERE id = ? AND removed_at IS NULL`, link).
			Scan(&statement, &item)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("statement link %d: %w", link, model.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read statement link %d: %w", link, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE statement_links SET removed_at = ? WHERE id = ?`,
			time.Now().UTC().Format(time.RFC3339Nano), link); err != nil {
			return fmt.Errorf("remove statement link %d: %w", link, err)
		}
		return appendAudit(ctx, tx, actor, "unlink", map[string]any{"statement": statement, "item": item, "link": link})
	})
}

// EventSortColumns are the columns SourceEventsSorted can order by.
var EventSortColumns = map[string]string{
	"time": "time_ns", "actor": "actor", "office": "office", "country": "country", "ip": "ip",
	"action": "action", "resource": "resource", "category": "category", "region": "region",
	"records": "records", "approval": "approval", "row": "row",
}

// SourceEventsSorted returns one page of an access log's events ordered by
// a column of EventSortColumns (the file's row order for ""), ties broken
// by row.
func (s *Store) SourceEventsSorted(ctx context.Context, sourceID int64, column string, desc bool, offset, limit int) ([]model.Event, error) {
	col := "row"
	if column != "" {
		c, ok := EventSortColumns[column]
		if !ok {
			return nil, fmt.Errorf("sort events by %q: no such column: %w", column, model.ErrInvalid)
		}
		col = c
	}
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+evtCols+` FROM events WHERE source_id = ?
		ORDER BY `+col+` `+dir+`, row `+dir+` LIMIT ? OFFSET ?`, sourceID, limit, offset)
	out, err := collect(rows, err, scanEvent)
	if err != nil {
		return nil, fmt.Errorf("events of src-%d by %s: %w", sourceID, col, err)
	}
	return out, nil
}

// IPRangeCount counts the IP ranges loaded into the case.
func (s *Store) IPRangeCount(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM ip_ranges`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count IP ranges: %w", err)
	}
	return n, nil
}
