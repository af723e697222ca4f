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
	_, added, err := s.SuggestEvents(ctx, actor, rule, nil, sugg)
	return added, err
}

// EventSuggestions describes a rule's suggestions on events written by one
// INSERT … SELECT: every event matching Where that the rule has not
// suggested yet, with the explanation rendered by SQL.
type EventSuggestions struct {
	Where       string // compiled rule condition over the events table
	Args        []any
	Explain     string // SQL expression of the explanation over events columns and the row values x.v1, x.v2
	ExplainArgs []any
	// Safe is an SQL predicate (no arguments) true for the events whose
	// explanation Explain renders exactly; the others are read back and
	// explained by Fallback (and left out when it returns false).
	Safe       string
	Fallback   func(model.Event) (explanation string, ok bool)
	Confidence float64
	// Rows, when not nil, limits the suggestions to these events, with the
	// values (computed in Go) the explanation reads as x.v1 and x.v2.
	Rows []RuleRow
}

// RuleRow is what Go computed for one event of a rule run.
type RuleRow struct {
	Event  int64
	V1, V2 string
}

// ruleRowsBatch is how many rule rows one INSERT carries.
const ruleRowsBatch = 500

// SuggestEvents records a rule run in one transaction: the events q selects
// (when q is not nil), then the suggestions in more (added only when the rule
// has not made them before), and one audit entry for the run. It returns how
// many suggestions the run found that the rule had not made before (more
// counts in full), and how many were added.
func (s *Store) SuggestEvents(ctx context.Context, actor string, rule Rule, q *EventSuggestions, more []Suggestion) (matched, added int, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		matched, added = 0, 0
		id, err := tagID(ctx, tx, rule.Tag)
		if err != nil {
			return fmt.Errorf("rule %s: %w", rule.ID, err)
		}
		at := now()
		st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO taggings (tag_id, item, by, at, origin, status, confidence,
			explanation, related) VALUES (?, ?, ?, ?, ?, 'suggested', ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		insert := func(sg Suggestion) error {
			res, err := st.ExecContext(ctx, id, sg.Item.String(), actor, at, rule.ID, sg.Confidence, sg.Explanation, sg.Related)
			if err != nil {
				return fmt.Errorf("rule %s: suggest %s: %w", rule.ID, sg.Item, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added++
			}
			return nil
		}
		if q != nil {
			n, err := insertEventSuggestions(ctx, tx, actor, rule, id, at, q)
			if err != nil {
				return fmt.Errorf("rule %s: %w", rule.ID, err)
			}
			matched, added = n, n
		}
		for _, sg := range more {
			if err := insert(sg); err != nil {
				return err
			}
		}
		matched += len(more)
		return appendAudit(ctx, tx, actor, "rule", map[string]any{"rule": rule.ID, "condition": rule.Condition,
			"params": json.RawMessage(nonEmptyJSON(rule.Params)), "matched": matched, "added": added})
	})
	return matched, added, err
}

// notSuggested is the anti-join of a rule query: the event has no
// suggestion of the rule yet (with no related item). The origin <> 'hand'
// term lets SQLite use the partial unique index on (origin, item, related)
// as a covering index.
func notSuggested(rule, table string) string {
	hand := ""
	if rule != OriginHand {
		hand = ` AND g.origin <> 'hand'`
	}
	return `NOT EXISTS (SELECT 1 FROM taggings g WHERE g.origin = ?` + hand + ` AND g.item = 'evt-' || ` + table + `.id
		AND g.related = '')`
}

// insertEventSuggestions runs q's INSERT … SELECT, in event id order. Events
// Safe refuses are inserted with an empty explanation and then explained by
// Fallback (or removed again when it declines them). It returns how many
// suggestions it added.
func insertEventSuggestions(ctx context.Context, tx *sql.Tx, actor string, rule Rule, tagID int64, at string,
	q *EventSuggestions) (int, error) {
	where, safe := nonEmpty(q.Where, "1 = 1"), nonEmpty(q.Safe, "0")
	join := ""
	if q.Rows != nil {
		if err := fillRuleRows(ctx, tx, q.Rows); err != nil {
			return 0, err
		}
		defer tx.ExecContext(context.WithoutCancel(ctx), `DELETE FROM temp.rule_rows`) //nolint:errcheck // emptied again before each use
		join = ` JOIN temp.rule_rows x ON x.eid = events.id`
	}
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM taggings`).Scan(&last); err != nil {
		return 0, err
	}
	args := append([]any{tagID, actor, at, rule.ID, q.Confidence}, q.ExplainArgs...)
	args = append(append(args, q.Args...), rule.ID)
	res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO taggings (tag_id, item, by, at, origin, status, confidence,
		explanation, related) SELECT ?, 'evt-' || events.id, ?, ?, ?, 'suggested', ?,
		CASE WHEN `+safe+` THEN `+q.Explain+` ELSE '' END, ''
		FROM events`+join+` WHERE (`+where+`) AND `+notSuggested(rule.ID, "events")+`
		ORDER BY events.id`, args...)
	if err != nil {
		return 0, fmt.Errorf("suggest: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 || safe == "1" {
		return int(n), err
	}
	// The rows left without an explanation are those Safe refused (or whose
	// explanation is empty anyway): explain them in Go.
	// (Of the events columns only id is also a taggings column.)
	cols := "e." + strings.Replace(evtCols, " raw,", " '',", 1)
	rows, err := tx.QueryContext(ctx, `SELECT g.id, `+cols+` FROM taggings g
		JOIN events e ON e.id = CAST(substr(g.item, 5) AS INTEGER)
		WHERE g.id > ? AND g.origin = ? AND g.explanation = '' ORDER BY g.id`, last, rule.ID)
	if err != nil {
		return 0, fmt.Errorf("rule query: %w", err)
	}
	type fix struct {
		id   int64
		expl string
		ok   bool
	}
	var fixes []fix
	for rows.Next() {
		var id int64
		e, err := scanEvent(rowScanner{rows, &id})
		if err != nil {
			rows.Close()
			return 0, err
		}
		f := fix{id: id}
		if q.Fallback != nil {
			f.expl, f.ok = q.Fallback(e)
		}
		fixes = append(fixes, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, f := range fixes {
		if !f.ok {
			_, err = tx.ExecContext(ctx, `DELETE FROM taggings WHERE id = ?`, f.id)
			n--
		} else if f.expl != "" {
			_, err = tx.ExecContext(ctx, `UPDATE taggings SET explanation = ? WHERE id = ?`, f.expl, f.id)
		}
		if err != nil {
			return 0, err
		}
	}
	return int(n), nil
}

// rowScanner scans a leading id column, then the rest with scanEvent.
type rowScanner struct {
	rows *sql.Rows
	id   *int64
}

func (r rowScanner) Scan(dest ...any) error { return r.rows.Scan(append([]any{r.id}, dest...)...) }

// fillRuleRows loads rows into the writer connection's temporary table
// rule_rows, emptied first.
func fillRuleRows(ctx context.Context, tx *sql.Tx, rows []RuleRow) error {
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS rule_rows (eid INTEGER PRIMARY KEY,
		v1 TEXT NOT NULL, v2 TEXT NOT NULL)`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.rule_rows`); err != nil {
		return err
	}
	var st *sql.Stmt
	defer func() {
		if st != nil {
			st.Close()
		}
	}()
	args := make([]any, 0, 3*ruleRowsBatch)
	for len(rows) > 0 {
		n := min(len(rows), ruleRowsBatch)
		if st == nil || n < ruleRowsBatch {
			if st != nil {
				st.Close()
			}
			var err error
			st, err = tx.PrepareContext(ctx, `INSERT OR REPLACE INTO temp.rule_rows (eid, v1, v2) VALUES `+
				strings.TrimSuffix(strings.Repeat("(?, ?, ?),", n), ","))
			if err != nil {
				return err
			}
		}
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r.Event, r.V1, r.V2)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("rule rows: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

func nonEmpty(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
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
	return s.ScanEventsByActor(ctx, where, args, false, fn)
}

// actorKeySQL is the SQL of the person an event is by: the roster entry when
// the roster names the actor, else the actor id or name, lower case.
const actorKeySQL = `CASE WHEN roster_row > 0 THEN 'roster:' || roster_row ELSE lower(CASE WHEN actor_id <> '' THEN actor_id ELSE actor END) END`

// ScanEventsByActor is ScanEvents in id order, or (byActor) grouped by
// actorKeySQL and in time order within each actor, without the raw row.
func (s *Store) ScanEventsByActor(ctx context.Context, where string, args []any, byActor bool, fn func(model.Event) error) error {
	if where == "" {
		where = "1 = 1"
	}
	cols, order := evtCols, "id"
	if byActor {
		cols, order = strings.Replace(evtCols, " raw,", " '',", 1), actorKeySQL+", time_ns, id"
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+cols+` FROM events WHERE `+where+` ORDER BY `+order, args...)
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
	q := `SELECT ` + cols + ` FROM events WHERE (` + where + `) AND ` + notSuggested(rule, "events") + ` ORDER BY id`
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

// EventPlace is where and when an event happened, for rules that judge
// the local time.
type EventPlace struct {
	ID      int64
	Office  string
	Country string
	Time    time.Time // zero when unknown
}

// ScanNewEventPlaces is ScanNewEvents reading only each event's id, office,
// country and time.
func (s *Store) ScanNewEventPlaces(ctx context.Context, rule, where string, args []any, fn func(EventPlace) error) error {
	if where == "" {
		where = "1 = 1"
	}
	q := `SELECT id, office, country, time_ns FROM events WHERE (` + where + `) AND ` + notSuggested(rule, "events") + ` ORDER BY id`
	rows, err := s.r.QueryContext(ctx, q, append(append([]any(nil), args...), rule)...)
	if err != nil {
		return fmt.Errorf("rule query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p EventPlace
		var tns sql.NullInt64
		if err := rows.Scan(&p.ID, &p.Office, &p.Country, &tns); err != nil {
			return err
		}
		if tns.Valid {
			p.Time = time.Unix(0, tns.Int64).UTC()
		}
		if err := fn(p); err != nil {
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

// ItemCounts returns how many transcript segments and access events the case holds.
func (s *Store) ItemCounts(ctx context.Context) (segments, events int64, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM segments), (SELECT count(*) FROM events)`).Scan(&segments, &events)
	return segments, events, err
}

// EventSums evaluates aggregate expressions (sum(…) over events columns,
// built by casefile from the rule language's fields, never from user text)
// in one pass over the events table.
func (s *Store) EventSums(ctx context.Context, exprs []string) ([]int64, error) {
	out := make([]int64, len(exprs))
	if len(exprs) == 0 {
		return out, nil
	}
	dest := make([]any, len(exprs))
	for i := range out {
		dest[i] = &out[i]
	}
	err := s.r.QueryRowContext(ctx, `SELECT `+strings.Join(exprs, ", ")+` FROM events`).Scan(dest...)
	return out, err
}
