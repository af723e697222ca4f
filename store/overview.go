package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// OverviewCounts is what a case's overview reads from the record besides
// its sources: each figure one aggregate over an indexed column or a small
// table, so the overview of a case of a million events opens at once.
type OverviewCounts struct {
	Segments, Events int64
	EventsFrom       time.Time            // the earliest event time; zero when no event has one
	EventsTo         time.Time            // the latest
	Countries        []CountryCount       // events by country, most first, then by code
	OpenSuggestions  int64                // rule suggestions waiting for review
	Exhibits         int64                // confirmed taggings
	LastImport       AuditMark            // the newest import entry of the audit trail; Seq 0 when none
	RuleRuns         map[string]AuditMark // each rule's newest run, by rule id
	RuleEdits        map[string]AuditMark // each rule's newest edit, by rule id
	StatementsTotal  int64
	Unsupported      []Statement // statements with no evidence linked, in the order recorded (Links empty)
}

// CountryCount is how many events carry one country code ("" for none).
type CountryCount struct {
	Country string
	Events  int64
}

// AuditMark is where an entry stands in the audit trail: its number, which
// orders entries exactly, and its time.
type AuditMark struct {
	Seq int64
	At  time.Time
}

// Overview reads the counts of the case overview in one read transaction,
// so the figures agree with each other.
func (s *Store) Overview(ctx context.Context) (OverviewCounts, error) {
	var o OverviewCounts
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return o, fmt.Errorf("overview: %w", err)
	}
	defer tx.Rollback()
	var from, to sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM segments), (SELECT count(*) FROM events),
		(SELECT min(time_ns) FROM events), (SELECT max(time_ns) FROM events),
		(SELECT count(*) FROM taggings WHERE status = 'suggested' AND origin <> 'hand' AND removed_at IS NULL),
		(SELECT count(*) FROM taggings WHERE status = 'confirmed' AND removed_at IS NULL),
		(SELECT count(*) FROM statements)`).Scan(
		&o.Segments, &o.Events, &from, &to, &o.OpenSuggestions, &o.Exhibits, &o.StatementsTotal); err != nil {
		return o, fmt.Errorf("overview: counts: %w", err)
	}
	if from.Valid {
		o.EventsFrom = time.Unix(0, from.Int64).UTC()
	}
	if to.Valid {
		o.EventsTo = time.Unix(0, to.Int64).UTC()
	}
	// The country index covers this: no event row is read.
	rows, err := tx.QueryContext(ctx, `SELECT country, count(*) FROM events GROUP BY country
		ORDER BY count(*) DESC, country`)
	o.Countries, err = collect(rows, err, func(sc scanner) (CountryCount, error) {
		var c CountryCount
		return c, sc.Scan(&c.Country, &c.Events)
	})
	if err != nil {
		return o, fmt.Errorf("overview: countries: %w", err)
	}
	if o.LastImport, err = lastMark(ctx, tx, `SELECT seq, at FROM audit WHERE action = 'import' ORDER BY seq DESC LIMIT 1`); err != nil {
		return o, fmt.Errorf("overview: last import: %w", err)
	}
	if o.RuleRuns, err = ruleMarks(ctx, tx, "rule"); err != nil {
		return o, fmt.Errorf("overview: rule runs: %w", err)
	}
	if o.RuleEdits, err = ruleMarks(ctx, tx, "rule-edit"); err != nil {
		return o, fmt.Errorf("overview: rule edits: %w", err)
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, who, said_on, words, place, by, created_at
		FROM statements st WHERE NOT EXISTS (SELECT 1 FROM statement_links l
			WHERE l.statement_id = st.id AND l.removed_at IS NULL) ORDER BY id`)
	o.Unsupported, err = collect(rows, err, func(sc scanner) (Statement, error) {
		var st Statement
		var at string
		err := sc.Scan(&st.ID, &st.Who, &st.When, &st.Words, &st.Where, &st.By, &at)
		st.At, _ = time.Parse(time.RFC3339Nano, at)
		return st, err
	})
	if err != nil {
		return o, fmt.Errorf("overview: statements without evidence: %w", err)
	}
	return o, nil
}

// lastMark reads one audit entry's number and time; Seq 0 when there is none.
func lastMark(ctx context.Context, tx *sql.Tx, query string, args ...any) (AuditMark, error) {
	var m AuditMark
	var at string
	err := tx.QueryRowContext(ctx, query, args...).Scan(&m.Seq, &at)
	if err == sql.ErrNoRows {
		return AuditMark{}, nil
	}
	m.At, _ = time.Parse(time.RFC3339Nano, at)
	return m, err
}

// ruleMarks finds each rule's newest audit entry of an action ("rule" for
// a run, "rule-edit" for a change), by the rule id its detail names.
func ruleMarks(ctx context.Context, tx *sql.Tx, action string) (map[string]AuditMark, error) {
	rows, err := tx.QueryContext(ctx, `SELECT json_extract(detail, '$.rule'), max(seq) FROM audit
		WHERE action = ? GROUP BY 1`, action)
	if err != nil {
		return nil, err
	}
	type last struct {
		rule string
		seq  int64
	}
	found, err := collect(rows, nil, func(sc scanner) (last, error) {
		var l last
		var rule sql.NullString
		err := sc.Scan(&rule, &l.seq)
		l.rule = rule.String
		return l, err
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]AuditMark, len(found))
	for _, l := range found {
		m, err := lastMark(ctx, tx, `SELECT seq, at FROM audit WHERE seq = ?`, l.seq)
		if err != nil {
			return nil, err
		}
		out[l.rule] = m
	}
	return out, nil
}
