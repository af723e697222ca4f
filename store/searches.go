package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"casebook/model"
)

// SavedSearch is a named search kept in the case.
type SavedSearch struct {
	ID        int64
	Name      string
	Query     string
	Filters   string // JSON object
	CreatedAt time.Time
}

// SaveSearch stores a named search and audits it, in one transaction. A
// name already taken is model.ErrDuplicate.
func (s *Store) SaveSearch(ctx context.Context, actor string, ss SavedSearch) (SavedSearch, error) {
	if strings.TrimSpace(ss.Name) == "" {
		return ss, fmt.Errorf("save search: the name is empty: %w", model.ErrInvalid)
	}
	if ss.Filters == "" {
		ss.Filters = "{}"
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return ss, err
	}
	defer tx.Rollback()
	at := now()
	res, err := tx.ExecContext(ctx, `INSERT INTO saved_searches (name, query, filters, created_at) VALUES (?, ?, ?, ?)`,
		ss.Name, ss.Query, ss.Filters, at)
	if err != nil {
		if isUniqueViolation(err) {
			return ss, fmt.Errorf("saved search %q: %w", ss.Name, model.ErrDuplicate)
		}
		return ss, fmt.Errorf("save search %q: %w", ss.Name, err)
	}
	if ss.ID, err = res.LastInsertId(); err != nil {
		return ss, err
	}
	ss.CreatedAt, _ = time.Parse(time.RFC3339Nano, at)
	if err := appendAudit(ctx, tx, actor, "save-search", map[string]any{"name": ss.Name, "query": ss.Query, "filters": ss.Filters}); err != nil {
		return ss, err
	}
	return ss, tx.Commit()
}

// SavedSearches lists the saved searches by name.
func (s *Store) SavedSearches(ctx context.Context) ([]SavedSearch, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, query, filters, created_at FROM saved_searches ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SavedSearch
	for rows.Next() {
		var ss SavedSearch
		var at string
		if err := rows.Scan(&ss.ID, &ss.Name, &ss.Query, &ss.Filters, &at); err != nil {
			return nil, err
		}
		ss.CreatedAt, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, ss)
	}
	return out, rows.Err()
}

// DeleteSearch removes a saved search by name and audits it, in one
// transaction. An unknown name is model.ErrNotFound.
func (s *Store) DeleteSearch(ctx context.Context, actor, name string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var ss SavedSearch
	err = tx.QueryRowContext(ctx, `SELECT id, query, filters FROM saved_searches WHERE name = ?`, name).Scan(&ss.ID, &ss.Query, &ss.Filters)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("saved search %q: %w", name, model.ErrNotFound)
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM saved_searches WHERE id = ?`, ss.ID); err != nil {
		return fmt.Errorf("delete saved search %q: %w", name, err)
	}
	if err := appendAudit(ctx, tx, actor, "delete-search", map[string]any{"name": name, "query": ss.Query, "filters": ss.Filters}); err != nil {
		return err
	}
	return tx.Commit()
}
