package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"casebook/model"
)

// ContextLoad is one load of the roster or the data map: the file it came
// from and its SHA-256, written into the audit entry with the counts.
type ContextLoad struct {
	File   string
	SHA256 string
}

// ContextFunc computes an event's roster and data-map context.
type ContextFunc func(e *model.Event) model.EventContext

// ContextChange counts what a roster or data-map load changed.
type ContextChange struct {
	Events  int64 // events read
	Changed int64 // events whose context changed (and were queued for the index)
}

// contextChunk is how many events one step of a context recomputation reads.
const contextChunk = 5000

// ReplaceRoster replaces the case's roster with entries (keys maps each
// lower-case identifier to the row of the entry it names), recomputes every
// event's context with fn and queues the changed events for the index — all
// in one transaction with one audit entry.
func (s *Store) ReplaceRoster(ctx context.Context, actor string, load ContextLoad, entries []model.RosterEntry,
	keys map[string]int, fn ContextFunc, progress func(done int64)) (ContextChange, error) {
	var ch ContextChange
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM roster_keys`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM roster`); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO roster (row, name, office, country, team, employer, ids)
			VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, e := range entries {
			if _, err := st.ExecContext(ctx, e.Row, e.Name, e.Office, e.Country, e.Team, e.Employer,
				strings.Join(e.IDs, "; ")); err != nil {
				return fmt.Errorf("roster row %d: %w", e.Row, err)
			}
		}
		kst, err := tx.PrepareContext(ctx, `INSERT INTO roster_keys (key, row) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer kst.Close()
		for k, row := range keys {
			if _, err := kst.ExecContext(ctx, k, row); err != nil {
				return fmt.Errorf("roster key %q: %w", k, err)
			}
		}
		if ch, err = recomputeContext(ctx, tx, fn, progress); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "roster", map[string]any{"file": load.File, "sha256": load.SHA256,
			"people": len(entries), "identifiers": len(keys), "events": ch.Events, "changed": ch.Changed})
	})
	return ch, err
}

// ReplaceDataMap replaces the case's data map with entries, recomputes every
// event's context with fn and queues the changed events for the index, in
// one transaction with one audit entry.
func (s *Store) ReplaceDataMap(ctx context.Context, actor string, load ContextLoad, entries []model.DataMapEntry,
	fn ContextFunc, progress func(done int64)) (ContextChange, error) {
	var ch ContextChange
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM datamap`); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO datamap (row, field, pattern, category, region) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, e := range entries {
			if _, err := st.ExecContext(ctx, e.Row, e.Field, e.Pattern, e.Category, e.Region); err != nil {
				return fmt.Errorf("data map row %d: %w", e.Row, err)
			}
		}
		if ch, err = recomputeContext(ctx, tx, fn, progress); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "datamap", map[string]any{"file": load.File, "sha256": load.SHA256,
			"entries": len(entries), "events": ch.Events, "changed": ch.Changed})
	})
	return ch, err
}

// recomputeContext walks every event in id order, a chunk at a time, and
// writes the context fn gives where it differs from the stored one; runs of
// changed ids are queued for the index.
func recomputeContext(ctx context.Context, tx *sql.Tx, fn ContextFunc, progress func(int64)) (ContextChange, error) {
	var ch ContextChange
	up, err := tx.PrepareContext(ctx, `UPDATE events SET person = ?, roster_row = ?, person_office = ?, person_country = ?,
		map_category = ?, map_region = ?, map_row = ? WHERE id = ?`)
	if err != nil {
		return ch, err
	}
	defer up.Close()
	var runLo, runHi int64
	flush := func() error {
		if runLo == 0 {
			return nil
		}
		err := enqueue(ctx, tx, "upsert", "evt", runLo, runHi)
		runLo, runHi = 0, 0
		return err
	}
	var after int64
	batch := make([]model.Event, 0, contextChunk)
	for {
		if err := ctx.Err(); err != nil {
			return ch, err
		}
		batch = batch[:0]
		rows, err := tx.QueryContext(ctx, `SELECT `+evtCols+` FROM events WHERE id > ? ORDER BY id LIMIT ?`, after, contextChunk)
		if err != nil {
			return ch, err
		}
		for rows.Next() {
			e, err := scanEvent(rows)
			if err != nil {
				rows.Close()
				return ch, err
			}
			batch = append(batch, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return ch, err
		}
		if len(batch) == 0 {
			break
		}
		for i := range batch {
			e := &batch[i]
			ch.Events++
			c := fn(e)
			if c == e.Context {
				continue
			}
			if _, err := up.ExecContext(ctx, c.Person, c.RosterRow, c.PersonOffice, c.PersonCountry, c.MapCategory,
				c.MapRegion, c.MapRow, e.ID); err != nil {
				return ch, fmt.Errorf("evt-%d: %w", e.ID, err)
			}
			ch.Changed++
			if runLo != 0 && e.ID == runHi+1 {
				runHi = e.ID
				continue
			}
			if err := flush(); err != nil {
				return ch, err
			}
			runLo, runHi = e.ID, e.ID
		}
		after = batch[len(batch)-1].ID
		if progress != nil {
			progress(ch.Events)
		}
	}
	return ch, flush()
}

// Roster returns the case's roster in row order.
func (s *Store) Roster(ctx context.Context) ([]model.RosterEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT row, name, office, country, team, employer, ids FROM roster ORDER BY row`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.RosterEntry
	for rows.Next() {
		var e model.RosterEntry
		var ids string
		if err := rows.Scan(&e.Row, &e.Name, &e.Office, &e.Country, &e.Team, &e.Employer, &ids); err != nil {
			return nil, err
		}
		if ids != "" {
			e.IDs = strings.Split(ids, "; ")
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DataMap returns the case's data map in row order.
func (s *Store) DataMap(ctx context.Context) ([]model.DataMapEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT row, field, pattern, category, region FROM datamap ORDER BY row`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.DataMapEntry
	for rows.Next() {
		var e model.DataMapEntry
		if err := rows.Scan(&e.Row, &e.Field, &e.Pattern, &e.Category, &e.Region); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
