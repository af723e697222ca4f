package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"casebook/model"
)

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface{ Scan(...any) error }

// collect scans every row of a query with scan.
func collect[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const sourceCols = `id, sha256, size, name, path, kind, format, encoding, importer, imported_at, title, describes,
	timezone, records, rejects, warnings, investigator`

func scanSource(sc scanner) (model.Source, error) {
	var s model.Source
	var kind, at, warn string
	if err := sc.Scan(&s.ID, &s.SHA256, &s.Size, &s.Name, &s.Path, &kind, &s.Format, &s.Encoding, &s.Importer, &at,
		&s.Title, &s.Describes, &s.TimeZone, &s.Records, &s.Rejects, &warn, &s.Investigator); err != nil {
		return s, err
	}
	s.Kind = model.SourceKind(kind)
	s.ImportedAt, _ = time.Parse(time.RFC3339Nano, at)
	_ = json.Unmarshal([]byte(warn), &s.Warnings)
	return s, nil
}

// Source returns one source by id.
func (s *Store) Source(ctx context.Context, id int64) (model.Source, error) {
	src, err := scanSource(s.r.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return src, fmt.Errorf("src-%d: %w", id, model.ErrNotFound)
	}
	return src, err
}

// SourceBySHA returns the source whose original has the given SHA-256.
func (s *Store) SourceBySHA(ctx context.Context, sha string) (model.Source, error) {
	src, err := scanSource(s.w.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE sha256 = ?`, sha))
	if errors.Is(err, sql.ErrNoRows) {
		return src, fmt.Errorf("source %s: %w", sha, model.ErrNotFound)
	}
	return src, err
}

// Sources lists every source in import order.
func (s *Store) Sources(ctx context.Context) ([]model.Source, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+sourceCols+` FROM sources ORDER BY id`)
	return collect(rows, err, scanSource)
}

const segCols = `id, source_id, seq, coalesce(start_ms, -1), coalesce(end_ms, -1), speaker, text, line, offset, length,
	page, page_line, end_page, end_page_line, by_hand, typed_by, typed_at`

func scanSegment(sc scanner) (model.Segment, error) {
	var g model.Segment
	var at string
	err := sc.Scan(&g.ID, &g.SourceID, &g.Seq, &g.StartMS, &g.EndMS, &g.Speaker, &g.Text, &g.Line, &g.Offset, &g.Length,
		&g.Page, &g.PageLine, &g.EndPage, &g.EndPageLine, &g.ByHand, &g.TypedBy, &at)
	if err == nil && at != "" {
		g.TypedAt, _ = time.Parse(time.RFC3339Nano, at)
	}
	return g, err
}

const evtCols = `id, source_id, time_ns, time_text, actor, actor_id, office, country, ip, action, system, resource,
	category, region, coalesce(records, -1), approval, approver, approver_country, purpose, raw, row, line, offset,
	country_from, ip_country, flags, person, roster_row, person_office, person_country, map_category, map_region, map_row`

func scanEvent(sc scanner) (model.Event, error) {
	var e model.Event
	var tns sql.NullInt64
	var flags string
	err := sc.Scan(&e.ID, &e.SourceID, &tns, &e.TimeText, &e.ActorName, &e.ActorID, &e.Office, &e.Country, &e.IP,
		&e.Action, &e.System, &e.Resource, &e.DataCategory, &e.SubjectRegion, &e.RecordCount, &e.ApprovalID,
		&e.Approver, &e.ApproverCountry, &e.Purpose, &e.Raw, &e.Row, &e.Line, &e.Offset, &e.CountryFrom, &e.IPCountry, &flags,
		&e.Context.Person, &e.Context.RosterRow, &e.Context.PersonOffice, &e.Context.PersonCountry, &e.Context.MapCategory,
		&e.Context.MapRegion, &e.Context.MapRow)
	if flags != "" {
		e.Flags = strings.Split(flags, ",")
	}
	if tns.Valid {
		e.Time = time.Unix(0, tns.Int64).UTC()
	}
	return e, err
}

// Segment returns one segment by id.
func (s *Store) Segment(ctx context.Context, id int64) (model.Segment, error) {
	g, err := scanSegment(s.r.QueryRowContext(ctx, `SELECT `+segCols+` FROM segments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return g, fmt.Errorf("seg-%d: %w", id, model.ErrNotFound)
	}
	return g, err
}

// Event returns one event by id.
func (s *Store) Event(ctx context.Context, id int64) (model.Event, error) {
	e, err := scanEvent(s.r.QueryRowContext(ctx, `SELECT `+evtCols+` FROM events WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("evt-%d: %w", id, model.ErrNotFound)
	}
	return e, err
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func idArgs(ids []int64) []any {
	a := make([]any, len(ids))
	for i, v := range ids {
		a[i] = v
	}
	return a
}

// SegmentsByID returns the segments with the given ids, keyed by id.
func (s *Store) SegmentsByID(ctx context.Context, ids []int64) (map[int64]model.Segment, error) {
	out := make(map[int64]model.Segment, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+segCols+` FROM segments WHERE id IN (`+placeholders(len(ids))+`)`, idArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		g, err := scanSegment(rows)
		if err != nil {
			return nil, err
		}
		out[g.ID] = g
	}
	return out, rows.Err()
}

// EventsByID returns the events with the given ids, keyed by id.
func (s *Store) EventsByID(ctx context.Context, ids []int64) (map[int64]model.Event, error) {
	out := make(map[int64]model.Event, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+evtCols+` FROM events WHERE id IN (`+placeholders(len(ids))+`)`, idArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out[e.ID] = e
	}
	return out, rows.Err()
}

// SegmentsInRange returns up to limit segments with lo <= id <= hi, in id order.
func (s *Store) SegmentsInRange(ctx context.Context, lo, hi int64, limit int) ([]model.Segment, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+segCols+` FROM segments WHERE id >= ? AND id <= ? ORDER BY id LIMIT ?`, lo, hi, limit)
	return collect(rows, err, scanSegment)
}

// EventsInRange returns up to limit events with lo <= id <= hi, in id order.
func (s *Store) EventsInRange(ctx context.Context, lo, hi int64, limit int) ([]model.Event, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+evtCols+` FROM events WHERE id >= ? AND id <= ? ORDER BY id LIMIT ?`, lo, hi, limit)
	return collect(rows, err, scanEvent)
}

// SourceSegments returns a source's segments in order.
func (s *Store) SourceSegments(ctx context.Context, sourceID int64) ([]model.Segment, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+segCols+` FROM segments WHERE source_id = ? ORDER BY seq`, sourceID)
	return collect(rows, err, scanSegment)
}

// OutboxEntry is one change the index has to apply: items of one kind with
// ids in [Lo, Hi].
type OutboxEntry struct {
	Seq  int64
	Op   string // upsert or delete
	Kind string // seg or evt
	Lo   int64
	Hi   int64
}

// OutboxAfter returns the outbox entries after seq, in order.
func (s *Store) OutboxAfter(ctx context.Context, seq int64) ([]OutboxEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, op, kind, lo, hi FROM outbox WHERE seq > ? ORDER BY seq`, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		if err := rows.Scan(&e.Seq, &e.Op, &e.Kind, &e.Lo, &e.Hi); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// OutboxHead returns the newest outbox entry's number (0 when empty).
func (s *Store) OutboxHead(ctx context.Context) (int64, error) {
	var n int64
	err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM outbox`).Scan(&n)
	return n, err
}

// MaxIDs returns the highest segment and event ids.
func (s *Store) MaxIDs(ctx context.Context) (seg, evt int64, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT coalesce((SELECT max(id) FROM segments), 0), coalesce((SELECT max(id) FROM events), 0)`).Scan(&seg, &evt)
	return
}

// RecordCounts returns how many segments and events each source has stored.
func (s *Store) RecordCounts(ctx context.Context) (map[int64]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT source_id, count(*) FROM segments WHERE by_hand = 0 GROUP BY source_id
		UNION ALL SELECT source_id, count(*) FROM events GROUP BY source_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] += n
	}
	return out, rows.Err()
}

// SourceEvents returns up to limit events of a source with id > after, in id order.
func (s *Store) SourceEvents(ctx context.Context, sourceID, after int64, limit int) ([]model.Event, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+evtCols+` FROM events WHERE source_id = ? AND id > ? ORDER BY id LIMIT ?`, sourceID, after, limit)
	return collect(rows, err, scanEvent)
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

// EventPosition returns an event's source and its place (from 0) among the
// source's events in the file's order, as SourceEventsSorted lists them
// with no column: the events before it by row, and by id within a row.
func (s *Store) EventPosition(ctx context.Context, eventID int64) (sourceID int64, pos int, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT x.source_id, (SELECT count(*) FROM events e WHERE e.source_id = x.source_id
		AND (e.row < x.row OR (e.row = x.row AND e.id < x.id))) FROM events x WHERE x.id = ?`, eventID).Scan(&sourceID, &pos)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, fmt.Errorf("evt-%d: %w", eventID, model.ErrNotFound)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("place of evt-%d in its log: %w", eventID, err)
	}
	return sourceID, pos, nil
}

// EventSortColumns are the columns SourceEventsSorted can order by.
var EventSortColumns = map[string]string{
	"time": "time_ns", "actor": "actor", "office": "office", "country": "country", "ip": "ip",
	"action": "action", "resource": "resource", "category": "category", "region": "region",
	"records": "records", "approval": "approval", "row": "row",
}
