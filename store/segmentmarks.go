package store

import (
	"context"
	"fmt"
)

// SegmentMark counts what marks one segment: its live confirmed taggings
// and its notes.
type SegmentMark struct {
	Tags  int
	Notes int
}

// SegmentMarks returns the marks of a source's segments that have any, by
// segment id, for the reader to show which carry evidence or notes.
func (s *Store) SegmentMarks(ctx context.Context, sourceID int64) (map[int64]SegmentMark, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT g.id, g.kind, count(*) FROM (
		SELECT CAST(substr(item, 5) AS INTEGER) AS id, 0 AS kind FROM taggings
			WHERE item >= 'seg-' AND item < 'seg.' AND status = 'confirmed' AND removed_at IS NULL
		UNION ALL
		SELECT CAST(substr(item, 5) AS INTEGER), 1 FROM notes WHERE item >= 'seg-' AND item < 'seg.') g
		JOIN segments s ON s.id = g.id
		WHERE s.source_id = ?
		GROUP BY g.id, g.kind`, sourceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]SegmentMark{}
	for rows.Next() {
		var id int64
		var kind, n int
		if err := rows.Scan(&id, &kind, &n); err != nil {
			return nil, err
		}
		m := out[id]
		if kind == 0 {
			m.Tags = n
		} else {
			m.Notes = n
		}
		out[id] = m
	}
	return out, rows.Err()
}

// SegmentQuotes returns, by segment id, the quotes that live confirmed
// taggings take from a source's segments: each a character (rune) range
// of the segment's text, in the order they were tagged. The reader marks
// them in the transcript.
func (s *Store) SegmentQuotes(ctx context.Context, sourceID int64) (map[int64][][2]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT s.id, g.quote_start, g.quote_end FROM taggings g
		JOIN segments s ON s.id = CAST(substr(g.item, 5) AS INTEGER)
		WHERE g.item >= 'seg-' AND g.item < 'seg.' AND g.status = 'confirmed' AND g.removed_at IS NULL
			AND g.quote_start IS NOT NULL AND g.quote_end > g.quote_start AND s.source_id = ?
		ORDER BY g.id`, sourceID)
	if err != nil {
		return nil, fmt.Errorf("quotes of source %d: %w", sourceID, err)
	}
	defer rows.Close()
	out := map[int64][][2]int{}
	for rows.Next() {
		var id int64
		var q [2]int
		if err := rows.Scan(&id, &q[0], &q[1]); err != nil {
			return nil, fmt.Errorf("quotes of source %d: %w", sourceID, err)
		}
		out[id] = append(out[id], q)
	}
	return out, rows.Err()
}
