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

// Rule is a rule kept as data in the case.
type Rule struct {
	ID          string
	Name        string
	Kind        string // condition, bulk, off-hours, phrase, correlation
	Condition   string // in Casebook's rule language; "" for phrase and correlation rules
	Params      string // JSON object
	Enabled     bool
	Explanation string // template, {field} placeholders
	Tag         string // the tag a suggestion carries
	Builtin     bool
}

// Rules lists the case's rules by id.
func (s *Store) Rules(ctx context.Context) ([]Rule, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, kind, condition, params, enabled, explanation, tag, builtin FROM rules ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Rule
	for rows.Next() {
		var r Rule
		if err := rows.Scan(&r.ID, &r.Name, &r.Kind, &r.Condition, &r.Params, &r.Enabled, &r.Explanation, &r.Tag, &r.Builtin); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// EnsureRules adds the rules whose ids the case does not have yet, leaving
// the investigator's edits of existing ones alone.
func (s *Store) EnsureRules(ctx context.Context, actor string, rules []Rule) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var added []string
		for _, r := range rules {
			res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO rules (id, name, kind, condition, params, enabled, explanation,
				tag, builtin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.Name, r.Kind, r.Condition, r.Params,
				r.Enabled, r.Explanation, r.Tag, r.Builtin, now())
			if err != nil {
				return fmt.Errorf("add rule %s: %w", r.ID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added = append(added, r.ID)
			}
		}
		if len(added) == 0 {
			return nil
		}
		return appendAudit(ctx, tx, actor, "rule-add", map[string]any{"rules": added})
	})
}

// SaveRule creates or replaces a rule.
func (s *Store) SaveRule(ctx context.Context, actor string, r Rule) error {
	if !json.Valid([]byte(r.Params)) {
		return fmt.Errorf("rule %s: parameters are not JSON: %w", r.ID, model.ErrInvalid)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rules (id, name, kind, condition, params, enabled, explanation, tag, builtin,
			updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name,
			kind = excluded.kind, condition = excluded.condition, params = excluded.params, enabled = excluded.enabled,
			explanation = excluded.explanation, tag = excluded.tag, updated_at = excluded.updated_at`,
			r.ID, r.Name, r.Kind, r.Condition, r.Params, r.Enabled, r.Explanation, r.Tag, r.Builtin, now()); err != nil {
			return fmt.Errorf("save rule %s: %w", r.ID, err)
		}
		return appendAudit(ctx, tx, actor, "rule-edit", map[string]any{"rule": r.ID, "kind": r.Kind, "condition": r.Condition,
			"params": json.RawMessage(r.Params), "enabled": r.Enabled})
	})
}

// Suggestion is one item a rule run proposes for a tag.
type Suggestion struct {
	Item        model.ItemID
	Related     string
	Confidence  float64
	Explanation string
}

// AddSuggestions records a rule run's suggestions in one transaction, adding
// only those the rule has not made before (on the same item and related
// item), and the run in the audit trail. It returns how many were new.
func (s *Store) AddSuggestions(ctx context.Context, actor string, rule Rule, sugg []Suggestion) (int, error) {
	added := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		added = 0
		id, err := tagID(ctx, tx, rule.Tag)
		if err != nil {
			return fmt.Errorf("rule %s: %w", rule.ID, err)
		}
		st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO taggings (tag_id, item, by, at, origin, status, confidence,
			explanation, related) VALUES (?, ?, ?, ?, ?, 'suggested', ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		at := now()
		for _, sg := range sugg {
			res, err := st.ExecContext(ctx, id, sg.Item.String(), actor, at, rule.ID, sg.Confidence, sg.Explanation, sg.Related)
			if err != nil {
				return fmt.Errorf("rule %s: suggest %s: %w", rule.ID, sg.Item, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added++
			}
		}
		return appendAudit(ctx, tx, actor, "rule", map[string]any{"rule": rule.ID, "condition": rule.Condition,
			"params": json.RawMessage(nonEmptyJSON(rule.Params)), "matched": len(sugg), "added": added})
	})
	return added, err
}

func nonEmptyJSON(s string) string {
	if strings.TrimSpace(s) == "" {
		return "{}"
	}
	return s
}

// EventCols are the events columns ScanEvents returns, in model.Event order.
const EventCols = evtCols

// ScanEvents runs SELECT EventCols FROM events WHERE where (a compiled rule
// condition with its arguments) and passes each event to fn, in id order.
func (s *Store) ScanEvents(ctx context.Context, where string, args []any, fn func(model.Event) error) error {
	if where == "" {
		where = "1 = 1"
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+evtCols+` FROM events WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("rule query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ScanNewEvents is ScanEvents for a rule: only events the rule has not
// suggested yet, and without the raw row (explanations do not need it), so
// a second run of a rule over a large case costs one pass and adds nothing.
func (s *Store) ScanNewEvents(ctx context.Context, rule, where string, args []any, fn func(model.Event) error) error {
	if where == "" {
		where = "1 = 1"
	}
	cols := strings.Replace(evtCols, " raw,", " '',", 1)
	q := `SELECT ` + cols + ` FROM events WHERE (` + where + `) AND NOT EXISTS (SELECT 1 FROM taggings g
		WHERE g.origin = ? AND g.item = 'evt-' || events.id AND g.related = '') ORDER BY id`
	rows, err := s.r.QueryContext(ctx, q, append(append([]any(nil), args...), rule)...)
	if err != nil {
		return fmt.Errorf("rule query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DailyVolume is one actor's records on one UTC day.
type DailyVolume struct {
	Actor   string // actor id, else name
	Day     int64  // days since 1970-01-01 UTC
	Records int64
}

// DailyVolumes sums record counts per actor and UTC day over the events
// matching where.
func (s *Store) DailyVolumes(ctx context.Context, where string, args []any) ([]DailyVolume, error) {
	if where == "" {
		where = "1 = 1"
	}
	rows, err := s.r.QueryContext(ctx, `SELECT CASE WHEN actor_id <> '' THEN actor_id ELSE actor END AS who,
		time_ns / 86400000000000 AS day, sum(coalesce(records, 0)) FROM events
		WHERE time_ns IS NOT NULL AND (`+where+`) GROUP BY who, day`, args...)
	if err != nil {
		return nil, fmt.Errorf("daily volumes: %w", err)
	}
	defer rows.Close()
	var out []DailyVolume
	for rows.Next() {
		var d DailyVolume
		if err := rows.Scan(&d.Actor, &d.Day, &d.Records); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Note is an investigator's note on an item.
type Note = model.Note

// AddNote attaches a note to an item.
func (s *Store) AddNote(ctx context.Context, actor string, n Note) (Note, error) {
	n.At = time.Now().UTC()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO notes (item, text, by, at, private) VALUES (?, ?, ?, ?, ?)`,
			n.Item.String(), n.Text, n.By, n.At.Format(time.RFC3339Nano), n.Private)
		if err != nil {
			return err
		}
		if n.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		// The note becomes searchable (note:) with the item.
		if err := enqueueItems(ctx, tx, []string{n.Item.String()}); err != nil {
			return err
		}
		detail := map[string]any{"note": n.ID, "item": n.Item.String(), "private": n.Private}
		if !n.Private {
			detail["text"] = n.Text
		}
		return appendAudit(ctx, tx, actor, "note", detail)
	})
	return n, err
}

// Notes lists notes on item ("" for every item) whose text contains
// contains ("" for all), case-insensitively, oldest first.
func (s *Store) Notes(ctx context.Context, item, contains string) ([]Note, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, item, text, by, at, private FROM notes
		WHERE (? = '' OR item = ?) AND (? = '' OR instr(lower(text), lower(?)) > 0) ORDER BY id`, item, item, contains, contains)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		var it, at string
		if err := rows.Scan(&n.ID, &it, &n.Text, &n.By, &at, &n.Private); err != nil {
			return nil, err
		}
		n.Item, _ = model.ParseItemID(it)
		n.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Statement is a claim the investigator records, with its evidence links.
type Statement struct {
	ID    int64
	Who   string
	When  string // as given, normally YYYY-MM-DD
	Words string
	Where string
	By    string
	At    time.Time
	Links []StatementLink
}

// StatementLink ties evidence to a statement.
type StatementLink struct {
	ID       int64
	Item     string
	Relation string // supports or contradicts
	Note     string
	By       string
	At       time.Time
}

// AddStatement records a claim.
func (s *Store) AddStatement(ctx context.Context, actor string, st Statement) (Statement, error) {
	st.At = time.Now().UTC()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO statements (who, said_on, words, place, by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			st.Who, st.When, st.Words, st.Where, st.By, st.At.Format(time.RFC3339Nano))
		if err != nil {
			return err
		}
		if st.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "statement", map[string]any{"statement": st.ID, "who": st.Who, "when": st.When,
			"where": st.Where, "words": st.Words})
	})
	return st, err
}

// LinkStatement links an item to a statement as supporting or contradicting it.
func (s *Store) LinkStatement(ctx context.Context, actor string, statement int64, l StatementLink) (StatementLink, error) {
	if l.Relation != "supports" && l.Relation != "contradicts" {
		return l, fmt.Errorf("link relation %q: want supports or contradicts: %w", l.Relation, model.ErrInvalid)
	}
	l.At = time.Now().UTC()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM statements WHERE id = ?`, statement).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("statement %d: %w", statement, model.ErrNotFound)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO statement_links (statement_id, item, relation, note, by, at) VALUES (?, ?, ?, ?, ?, ?)`,
			statement, l.Item, l.Relation, l.Note, l.By, l.At.Format(time.RFC3339Nano))
		if err != nil {
			return err
		}
		if l.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "link", map[string]any{"statement": statement, "item": l.Item, "relation": l.Relation})
	})
	return l, err
}

// Statements lists the statements with their live links, oldest first.
func (s *Store) Statements(ctx context.Context) ([]Statement, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, who, said_on, words, place, by, created_at FROM statements ORDER BY id`)
	if err != nil {
		return nil, err
	}
	var out []Statement
	idx := map[int64]int{}
	for rows.Next() {
		var st Statement
		var at string
		if err := rows.Scan(&st.ID, &st.Who, &st.When, &st.Words, &st.Where, &st.By, &at); err != nil {
			rows.Close()
			return nil, err
		}
		st.At, _ = time.Parse(time.RFC3339Nano, at)
		idx[st.ID] = len(out)
		out = append(out, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	lrows, err := s.r.QueryContext(ctx, `SELECT id, statement_id, item, relation, note, by, at FROM statement_links
		WHERE removed_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer lrows.Close()
	for lrows.Next() {
		var l StatementLink
		var sid int64
		var at string
		if err := lrows.Scan(&l.ID, &sid, &l.Item, &l.Relation, &l.Note, &l.By, &at); err != nil {
			return nil, err
		}
		l.At, _ = time.Parse(time.RFC3339Nano, at)
		if i, ok := idx[sid]; ok {
			out[i].Links = append(out[i].Links, l)
		}
	}
	return out, lrows.Err()
}

// AddRelated links two items as related evidence (once; the order of a
// and b does not matter).
func (s *Store) AddRelated(ctx context.Context, actor, a, b, origin, why string) error {
	if b < a {
		a, b = b, a
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO related_items (a, b, origin, why, at) VALUES (?, ?, ?, ?, ?)`,
			a, b, origin, why, now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return appendAudit(ctx, tx, actor, "relate", map[string]any{"a": a, "b": b, "origin": origin})
	})
}

// Related returns the items linked to item as related.
func (s *Store) Related(ctx context.Context, item string) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT CASE WHEN a = ? THEN b ELSE a END FROM related_items WHERE a = ? OR b = ? ORDER BY id`,
		item, item, item)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ItemExists reports whether a source, segment or event exists.
func (s *Store) ItemExists(ctx context.Context, id model.ItemID) error {
	table := map[model.ItemKind]string{model.ItemSource: "sources", model.ItemSegment: "segments", model.ItemEvent: "events"}[id.Kind]
	if table == "" {
		return fmt.Errorf("item %s: %w", id, model.ErrInvalid)
	}
	var n int64
	err := s.r.QueryRowContext(ctx, `SELECT id FROM `+table+` WHERE id = ?`, id.N).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("item %s: %w", id, model.ErrNotFound)
	}
	return err
}
