package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"casebook/model"
)

// Tagging statuses.
const (
	StatusSuggested = "suggested"
	StatusConfirmed = "confirmed"
	StatusRejected  = "rejected"
)

// OriginHand is the origin of a tagging made by hand; rule suggestions carry
// the rule's id instead.
const OriginHand = "hand"

// TagInfo is a tag with its state and how many items carry it.
type TagInfo struct {
	model.Tag
	Deleted    bool   // soft-deleted: kept for history, no longer applied
	MergedInto string // the tag it was merged into, when it was
	Confirmed  int    // active confirmed taggings
	Suggested  int    // open suggestions
}

// Tagging is one link of a tag to an item, with everything review needs.
type Tagging struct {
	model.Tagging
	Tag         string  // the tag's name
	Confidence  float64 // 0–1
	QuoteStart  int     // character range inside a segment's text; -1 when the whole item
	QuoteEnd    int
	Explanation string // plain-language reason, for rule suggestions
	Related     string // a second item the suggestion links (correlation), "" when none
	Exhibit     int64  // EX-number once confirmed, 0 before
	ConfirmedAt time.Time
	RemovedAt   time.Time // zero while the tagging stands
	RemovedWhy  string
}

// ExhibitLabel renders an exhibit number as "EX-0001".
func ExhibitLabel(n int64) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("EX-%04d", n)
}

// NormalizeTagName trims a tag name and its "/"-separated parts, and refuses
// empty parts and characters the query language cannot carry.
func NormalizeTagName(name string) (string, error) {
	parts := strings.Split(strings.TrimSpace(name), "/")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || strings.ContainsAny(p, " \t\n\"'():") {
			return "", fmt.Errorf("tag name %q: parts separated by / must be non-empty, without spaces, quotes, colons or brackets: %w", name, model.ErrInvalid)
		}
		parts[i] = p
	}
	return strings.Join(parts, "/"), nil
}

func tsOrZero(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s.String)
	return t
}

// tagID returns the id of a live tag by name (case-insensitive).
func tagID(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, name string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM tags WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("tag %q: %w", name, model.ErrNotFound)
	}
	return id, err
}

// nextExhibit hands out the next exhibit number from the case's counter.
func nextExhibit(ctx context.Context, tx *sql.Tx) (int64, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'exhibit_next'`).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	n = max(n, 1)
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('exhibit_next', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, strconv.FormatInt(n+1, 10)); err != nil {
		return 0, err
	}
	return n, nil
}

func nullInt(v int) any {
	if v < 0 {
		return nil
	}
	return v
}

// AddTagging tags an item by hand (status confirmed, with an exhibit number)
// or records a suggestion. The item is queued for the index in the same
// transaction. The same live tag on the same item and quote is
// model.ErrDuplicate.
func (s *Store) AddTagging(ctx context.Context, actor string, t Tagging) (Tagging, error) {
	out, err := s.AddTaggings(ctx, actor, []Tagging{t}, false)
	if err != nil {
		return t, err
	}
	return out[0], nil
}

// AddTaggings adds several taggings in one transaction, each with its audit
// entry. With skipDuplicates an item that already carries the tag is left
// out of the result instead of failing the whole batch.
func (s *Store) AddTaggings(ctx context.Context, actor string, ts []Tagging, skipDuplicates bool) ([]Tagging, error) {
	var out []Tagging
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		var items []string
		for _, t := range ts {
			t, err := addTagging(ctx, tx, actor, t)
			if errors.Is(err, model.ErrDuplicate) && skipDuplicates {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, t)
			items = append(items, t.Item.String())
		}
		return enqueueItems(ctx, tx, items)
	})
	return out, err
}

func addTagging(ctx context.Context, tx *sql.Tx, actor string, t Tagging) (Tagging, error) {
	id, err := tagID(ctx, tx, t.Tag)
	if err != nil {
		return t, err
	}
	t.TagID = id
	var dup int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM taggings WHERE tag_id = ? AND item = ? AND removed_at IS NULL
		AND status <> 'rejected' AND coalesce(quote_start, -1) = ? AND coalesce(quote_end, -1) = ?`,
		id, t.Item.String(), t.QuoteStart, t.QuoteEnd).Scan(&dup)
	if err == nil {
		return t, fmt.Errorf("%s is already tagged %s: %w", t.Item, t.Tag, model.ErrDuplicate)
	}
	if t.Origin == "" {
		t.Origin = OriginHand
	}
	if t.Status == "" {
		t.Status = StatusConfirmed
	}
	t.At = time.Now().UTC()
	at := t.At.Format(time.RFC3339Nano)
	var confirmed, exhibit any
	if t.Status == StatusConfirmed {
		if t.Exhibit, err = nextExhibit(ctx, tx); err != nil {
			return t, err
		}
		t.ConfirmedAt, confirmed, exhibit = t.At, at, t.Exhibit
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO taggings (tag_id, item, note, by, at, origin, status, confidence,
		quote_start, quote_end, explanation, related, exhibit, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, t.Item.String(), t.Note, t.By, at, t.Origin, t.Status, t.Confidence, nullInt(t.QuoteStart), nullInt(t.QuoteEnd),
		t.Explanation, t.Related, exhibit, confirmed)
	if err != nil {
		return t, fmt.Errorf("tag %s: %w", t.Item, err)
	}
	if t.ID, err = res.LastInsertId(); err != nil {
		return t, err
	}
	detail := map[string]any{"tagging": t.ID, "item": t.Item.String(), "tag": t.Tag, "note": t.Note, "origin": t.Origin,
		"status": t.Status, "confidence": t.Confidence}
	if t.QuoteStart >= 0 {
		detail["quote"] = fmt.Sprintf("%d:%d", t.QuoteStart, t.QuoteEnd)
	}
	if t.Exhibit > 0 {
		detail["exhibit"] = ExhibitLabel(t.Exhibit)
	}
	return t, appendAudit(ctx, tx, actor, "tag", detail)
}

// RemoveTagging marks every live tagging of tag on item removed (suggestions
// included). Their rows, exhibit numbers and history stay. It is
// model.ErrNotFound when the item does not carry the tag.
func (s *Store) RemoveTagging(ctx context.Context, actor string, item model.ItemID, tag string) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := tagID(ctx, tx, tag)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE taggings SET removed_at = ?, removed_why = 'untagged'
			WHERE tag_id = ? AND item = ? AND removed_at IS NULL AND status <> 'rejected'`, now(), id, item.String())
		if err != nil {
			return err
		}
		if n, _ = res.RowsAffected(); n == 0 {
			return fmt.Errorf("%s is not tagged %s: %w", item, tag, model.ErrNotFound)
		}
		if err := enqueueItems(ctx, tx, []string{item.String()}); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "untag", map[string]any{"item": item.String(), "tag": tag, "taggings": n})
	})
	return int(n), err
}

const taggingCols = `g.id, g.tag_id, t.name, g.item, g.note, g.by, g.at, g.origin, g.status, g.confidence,
	coalesce(g.quote_start, -1), coalesce(g.quote_end, -1), g.explanation, g.related, coalesce(g.exhibit, 0),
	g.confirmed_at, g.removed_at, g.removed_why`

func scanTagging(sc interface{ Scan(...any) error }) (Tagging, error) {
	var t Tagging
	var item, at string
	var conf, rem sql.NullString
	err := sc.Scan(&t.ID, &t.TagID, &t.Tag, &item, &t.Note, &t.By, &at, &t.Origin, &t.Status, &t.Confidence,
		&t.QuoteStart, &t.QuoteEnd, &t.Explanation, &t.Related, &t.Exhibit, &conf, &rem, &t.RemovedWhy)
	if err != nil {
		return t, err
	}
	t.Item, _ = model.ParseItemID(item)
	t.At, _ = time.Parse(time.RFC3339Nano, at)
	t.ConfirmedAt, t.RemovedAt = tsOrZero(conf), tsOrZero(rem)
	return t, nil
}

// TaggingFilter selects taggings; empty fields are ignored.
type TaggingFilter struct {
	Item       string // "evt-7"
	Tag        string // exact name
	Origin     string // "hand" or a rule id
	Status     string
	RulesOnly  bool // only taggings a rule suggested
	WithRemove bool // include removed taggings
	IDs        []int64
}

// Taggings lists taggings by id.
func (s *Store) Taggings(ctx context.Context, f TaggingFilter) ([]Tagging, error) {
	where := []string{"1 = 1"}
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.Item != "" {
		add("g.item = ?", f.Item)
	}
	if f.Tag != "" {
		add("t.name = ? COLLATE NOCASE", f.Tag)
	}
	if f.Origin != "" {
		add("g.origin = ?", f.Origin)
	}
	if f.Status != "" {
		add("g.status = ?", f.Status)
	}
	if f.RulesOnly {
		where = append(where, "g.origin <> 'hand'")
	}
	if !f.WithRemove {
		where = append(where, "g.removed_at IS NULL")
	}
	if len(f.IDs) > 0 {
		where = append(where, "g.id IN ("+placeholders(len(f.IDs))+")")
		args = append(args, idArgs(f.IDs)...)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+taggingCols+` FROM taggings g JOIN tags t ON t.id = g.tag_id WHERE `+
		strings.Join(where, " AND ")+` ORDER BY g.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Tagging
	for rows.Next() {
		t, err := scanTagging(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Evidence lists the live confirmed taggings with exhibit numbers, in
// exhibit order.
func (s *Store) Evidence(ctx context.Context) ([]Tagging, error) {
	all, err := s.Taggings(ctx, TaggingFilter{Status: StatusConfirmed})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b Tagging) int { return int(a.Exhibit - b.Exhibit) })
	return all, nil
}

// Review accepts (confirms, with exhibit numbers in the order given) or
// rejects open suggestions. Ids that are not open suggestions are
// model.ErrInvalid and nothing changes.
func (s *Store) Review(ctx context.Context, actor string, ids []int64, accept bool) ([]Tagging, error) {
	var out []Tagging
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		at := now()
		var items []string
		var labels []string
		for _, id := range ids {
			var status, item string
			err := tx.QueryRowContext(ctx, `SELECT status, item FROM taggings WHERE id = ? AND removed_at IS NULL`, id).Scan(&status, &item)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("suggestion %d: %w", id, model.ErrNotFound)
			} else if err != nil {
				return err
			}
			if status != StatusSuggested {
				return fmt.Errorf("suggestion %d is already %s: %w", id, status, model.ErrInvalid)
			}
			if accept {
				n, err := nextExhibit(ctx, tx)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE taggings SET status = 'confirmed', exhibit = ?, confirmed_at = ?, by = ? WHERE id = ?`,
					n, at, actor, id); err != nil {
					return err
				}
				labels = append(labels, ExhibitLabel(n))
				items = append(items, item)
			} else if _, err := tx.ExecContext(ctx, `UPDATE taggings SET status = 'rejected', by = ? WHERE id = ?`, actor, id); err != nil {
				return err
			}
		}
		if err := enqueueItems(ctx, tx, items); err != nil {
			return err
		}
		action, detail := "reject", map[string]any{"suggestions": ids}
		if accept {
			action, detail["exhibits"] = "accept", labels
		}
		return appendAudit(ctx, tx, actor, action, detail)
	})
	if err != nil {
		return nil, err
	}
	return s.Taggings(ctx, TaggingFilter{IDs: ids})
}

// enqueueItems queues items for the index: segments and events one range
// per run of consecutive ids, sources as the range of their records.
func enqueueItems(ctx context.Context, tx *sql.Tx, items []string) error {
	byKind := map[model.ItemKind][]int64{}
	for _, s := range items {
		id, err := model.ParseItemID(s)
		if err != nil {
			continue
		}
		byKind[id.Kind] = append(byKind[id.Kind], id.N)
	}
	for _, src := range byKind[model.ItemSource] {
		for _, k := range []struct{ kind, table string }{{"seg", "segments"}, {"evt", "events"}} {
			var lo, hi sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT min(id), max(id) FROM `+k.table+` WHERE source_id = ?`, src).Scan(&lo, &hi); err != nil {
				return err
			}
			if lo.Valid {
				if err := enqueue(ctx, tx, "upsert", k.kind, lo.Int64, hi.Int64); err != nil {
					return err
				}
			}
		}
	}
	for kind, ids := range byKind {
		if kind == model.ItemSource {
			continue
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		for i := 0; i < len(ids); {
			j := i
			for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
				j++
			}
			if err := enqueue(ctx, tx, "upsert", string(kind), ids[i], ids[j]); err != nil {
				return err
			}
			i = j + 1
		}
	}
	return nil
}

// ItemTags returns the names of the live confirmed tags on each of the given
// items (and on the sources given as sources), in one query. Keys are item
// ids as strings.
func (s *Store) ItemTags(ctx context.Context, items []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(items) == 0 {
		return out, nil
	}
	args := make([]any, len(items))
	for i, v := range items {
		args[i] = v
	}
	rows, err := s.r.QueryContext(ctx, `SELECT g.item, t.name FROM taggings g JOIN tags t ON t.id = g.tag_id
		WHERE g.item IN (`+placeholders(len(items))+`) AND g.removed_at IS NULL AND g.status = 'confirmed'
		AND t.deleted_at IS NULL`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var item, name string
		if err := rows.Scan(&item, &name); err != nil {
			return nil, err
		}
		out[item] = append(out[item], name)
	}
	return out, rows.Err()
}

// ItemNotes returns the notes on each of items, joined, for the index:
// the item's notes (by id), then the notes written when it was tagged, of
// its live confirmed taggings (by id), so note:WORD finds a note wherever
// the investigator wrote it. Private notes are included: private means
// never printed, not unsearchable by the investigator. A tagging's note
// reaches the index and leaves it with the tagging, whose every change
// queues the item.
func (s *Store) ItemNotes(ctx context.Context, items []string) (map[string]string, error) {
	out := map[string]string{}
	if len(items) == 0 {
		return out, nil
	}
	args := make([]any, 0, 2*len(items))
	for range 2 {
		for _, v := range items {
			args = append(args, v)
		}
	}
	in := placeholders(len(items))
	rows, err := s.r.QueryContext(ctx, `SELECT item, text FROM (
		SELECT item, text, 0 AS part, id FROM notes WHERE item IN (`+in+`)
		UNION ALL
		SELECT item, note, 1, id FROM taggings WHERE item IN (`+in+`) AND note <> ''
			AND status = 'confirmed' AND removed_at IS NULL)
		ORDER BY part, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var item, text string
		if err := rows.Scan(&item, &text); err != nil {
			return nil, err
		}
		if out[item] != "" {
			out[item] += "\n"
		}
		out[item] += text
	}
	return out, rows.Err()
}

// HasNotes reports whether the case has any note, its own or a live
// confirmed tagging's, so the indexer can skip the lookup in a case
// without them.
func (s *Store) HasNotes(ctx context.Context) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM notes) OR EXISTS (SELECT 1 FROM taggings
		WHERE note <> '' AND status = 'confirmed' AND removed_at IS NULL)`).Scan(&n)
	return n == 1, err
}

// HasTaggings reports whether the case has any live confirmed tagging, so
// the indexer can skip the lookup in a case without evidence.
func (s *Store) HasTaggings(ctx context.Context) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM taggings WHERE removed_at IS NULL AND status = 'confirmed')`).Scan(&n)
	return n == 1, err
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
