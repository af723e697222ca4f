package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"casebook/model"
)

// EnsureTags creates the given tags where no tag of that name exists (live
// or deleted), recording the creation in the audit trail. It adds nothing
// the second time.
func (s *Store) EnsureTags(ctx context.Context, actor string, tags []model.Tag) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var added []string
	for _, t := range tags {
		res, err := tx.ExecContext(ctx, `INSERT INTO tags (name, color, description, created_at) SELECT ?, ?, ?, ?
			WHERE NOT EXISTS (SELECT 1 FROM tags WHERE name = ? COLLATE NOCASE)`, t.Name, t.Color, t.Description, now(), t.Name)
		if err != nil {
			return fmt.Errorf("create tag %s: %w", t.Name, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added = append(added, t.Name)
		}
	}
	if len(added) == 0 {
		return nil
	}
	if err := appendAudit(ctx, tx, actor, "tag-create", map[string]any{"tags": added}); err != nil {
		return err
	}
	return tx.Commit()
}

// CreateTag adds a tag. A name in use by a live tag is model.ErrDuplicate; a
// deleted tag of that name is brought back.
func (s *Store) CreateTag(ctx context.Context, actor string, t model.Tag) (model.Tag, error) {
	name, err := NormalizeTagName(t.Name)
	if err != nil {
		return t, err
	}
	t.Name = name
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return t, err
	}
	defer tx.Rollback()
	var id int64
	var deleted sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT id, deleted_at FROM tags WHERE name = ? COLLATE NOCASE`, name).Scan(&id, &deleted)
	switch {
	case err == nil && !deleted.Valid:
		return t, fmt.Errorf("tag %q: %w", name, model.ErrDuplicate)
	case err == nil:
		_, err = tx.ExecContext(ctx, `UPDATE tags SET deleted_at = NULL, merged_into = NULL, color = ?, description = ? WHERE id = ?`,
			t.Color, t.Description, id)
	case errors.Is(err, sql.ErrNoRows):
		var res sql.Result
		res, err = tx.ExecContext(ctx, `INSERT INTO tags (name, color, description, created_at) VALUES (?, ?, ?, ?)`,
			name, t.Color, t.Description, now())
		if err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return t, fmt.Errorf("create tag %s: %w", name, err)
	}
	t.ID = id
	if err := appendAudit(ctx, tx, actor, "tag-create", map[string]any{"tag": name, "color": t.Color, "description": t.Description}); err != nil {
		return t, err
	}
	return t, tx.Commit()
}

// UpdateTag changes a tag's colour and description.
func (s *Store) UpdateTag(ctx context.Context, actor, name, color, description string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := tagID(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tags SET color = ?, description = ? WHERE id = ?`, color, description, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "tag-update", map[string]any{"tag": name, "color": color, "description": description})
	})
}

// inTx runs fn in one write transaction.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Tags lists every tag (deleted ones too, marked) by name, with counts.
func (s *Store) Tags(ctx context.Context) ([]TagInfo, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT t.id, t.name, t.color, t.description, t.deleted_at IS NOT NULL,
		coalesce((SELECT name FROM tags m WHERE m.id = t.merged_into), ''),
		(SELECT count(*) FROM taggings g WHERE g.tag_id = t.id AND g.removed_at IS NULL AND g.status = 'confirmed'),
		(SELECT count(*) FROM taggings g WHERE g.tag_id = t.id AND g.removed_at IS NULL AND g.status = 'suggested')
		FROM tags t ORDER BY t.name COLLATE NOCASE`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TagInfo
	for rows.Next() {
		var t TagInfo
		if err := rows.Scan(&t.ID, &t.Name, &t.Color, &t.Description, &t.Deleted, &t.MergedInto, &t.Confirmed, &t.Suggested); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// taggedItems returns the items carrying any live tagging of the tags with
// the given ids.
func taggedItems(ctx context.Context, tx *sql.Tx, ids ...int64) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT item FROM taggings WHERE removed_at IS NULL AND tag_id IN (`+
		placeholders(len(ids))+`)`, idArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var it string
		if err := rows.Scan(&it); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// subtree returns the ids and names of a live tag and its live descendants.
func subtree(ctx context.Context, tx *sql.Tx, name string) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM tags WHERE deleted_at IS NULL AND
		(name = ? COLLATE NOCASE OR substr(lower(name), 1, ?) = lower(?))`, name, len(name)+1, name+"/")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// RenameTag renames a live tag and, with it, its children
// ("a/x" follows "a" → "b" to "b/x"). Tagged items are re-indexed.
func (s *Store) RenameTag(ctx context.Context, actor, from, to string) error {
	to, err := NormalizeTagName(to)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tagID(ctx, tx, from); err != nil {
			return err
		}
		tree, err := subtree(ctx, tx, from)
		if err != nil {
			return err
		}
		var ids []int64
		for id, n := range tree {
			nn := to + n[len(from):]
			var clash int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM tags WHERE name = ? COLLATE NOCASE AND id <> ?`, nn, id).Scan(&clash)
			if err == nil {
				return fmt.Errorf("rename tag %s to %s: %q exists (merge instead): %w", from, to, nn, model.ErrDuplicate)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tags SET name = ? WHERE id = ?`, nn, id); err != nil {
				return fmt.Errorf("rename tag %s: %w", n, err)
			}
			ids = append(ids, id)
		}
		items, err := taggedItems(ctx, tx, ids...)
		if err != nil {
			return err
		}
		if err := enqueueItems(ctx, tx, items); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "tag-rename", map[string]any{"from": from, "to": to, "tags": len(ids), "items": len(items)})
	})
}

// MergeTag moves every live tagging of tag from onto tag into and marks from
// deleted (merged). The moved taggings keep their ids, exhibits and history.
func (s *Store) MergeTag(ctx context.Context, actor, from, into string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		fromID, err := tagID(ctx, tx, from)
		if err != nil {
			return err
		}
		intoID, err := tagID(ctx, tx, into)
		if err != nil {
			return err
		}
		if fromID == intoID {
			return fmt.Errorf("merge tag %s into itself: %w", from, model.ErrInvalid)
		}
		items, err := taggedItems(ctx, tx, fromID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE taggings SET tag_id = ? WHERE tag_id = ? AND removed_at IS NULL`, intoID, fromID)
		if err != nil {
			return fmt.Errorf("merge tag %s: %w", from, err)
		}
		moved, _ := res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `UPDATE tags SET deleted_at = ?, merged_into = ? WHERE id = ?`, now(), intoID, fromID); err != nil {
			return err
		}
		if err := enqueueItems(ctx, tx, items); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "tag-merge", map[string]any{"from": from, "into": into, "taggings": moved})
	})
}

// DeleteTag soft-deletes a tag: the tag is kept (marked deleted) and each
// of its live taggings is marked removed, never erased.
func (s *Store) DeleteTag(ctx context.Context, actor, name string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := tagID(ctx, tx, name)
		if err != nil {
			return err
		}
		items, err := taggedItems(ctx, tx, id)
		if err != nil {
			return err
		}
		at := now()
		res, err := tx.ExecContext(ctx, `UPDATE taggings SET removed_at = ?, removed_why = 'tag deleted' WHERE tag_id = ? AND removed_at IS NULL`, at, id)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `UPDATE tags SET deleted_at = ? WHERE id = ?`, at, id); err != nil {
			return err
		}
		if err := enqueueItems(ctx, tx, items); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "tag-delete", map[string]any{"tag": name, "taggings_removed": n})
	})
}
