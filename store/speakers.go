package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"casebook/model"
)

// Speaker is one entry of the case's speaker registry: a label as it appears
// in transcripts, the person it was merged into (when it is an alias), the
// role and office the investigator recorded, and how many segments carry
// the label.
type Speaker struct {
	Name     string
	AliasOf  string // the canonical name this label was merged into, "" when none
	Role     string
	Office   string
	Segments int
}

// Speakers lists the registry by name, each with its segment count.
func (s *Store) Speakers(ctx context.Context) ([]Speaker, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT sp.name, coalesce(p.name, ''), sp.role, sp.office, coalesce(n.c, 0)
		FROM speakers sp
		LEFT JOIN speakers p ON p.id = sp.alias_of
		LEFT JOIN (SELECT speaker, count(*) AS c FROM segments GROUP BY speaker) n ON n.speaker = sp.name
		ORDER BY sp.name COLLATE NOCASE`)
	out, err := collect(rows, err, func(r scanner) (Speaker, error) {
		var sp Speaker
		err := r.Scan(&sp.Name, &sp.AliasOf, &sp.Role, &sp.Office, &sp.Segments)
		return sp, err
	})
	if err != nil {
		return nil, fmt.Errorf("list speakers: %w", err)
	}
	return out, nil
}

// SpeakerAliases maps every merged label to its canonical name.
func (s *Store) SpeakerAliases(ctx context.Context) (map[string]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT sp.name, p.name FROM speakers sp JOIN speakers p ON p.id = sp.alias_of`)
	pairs, err := collect(rows, err, func(r scanner) ([2]string, error) {
		var p [2]string
		err := r.Scan(&p[0], &p[1])
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("read speaker aliases: %w", err)
	}
	out := make(map[string]string, len(pairs))
	for _, p := range pairs {
		out[p[0]] = p[1]
	}
	return out, nil
}

// MergeSpeaker makes label an alias of person (created in the registry when
// new): searches for the person then find the label's segments, which keep
// the label as written. Labels already merged into label follow it. The
// segments concerned are re-indexed and the merge is audited.
func (s *Store) MergeSpeaker(ctx context.Context, actor, label, person string) error {
	label, person = strings.TrimSpace(label), strings.TrimSpace(person)
	if label == "" || person == "" {
		return fmt.Errorf("merge speaker: a label and a person are needed: %w", model.ErrInvalid)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		lid, err := speakerID(ctx, tx, label)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO speakers (name) VALUES (?)`, person); err != nil {
			return fmt.Errorf("merge speaker %s: %w", label, err)
		}
		pid, err := speakerID(ctx, tx, person)
		if err != nil {
			return err
		}
		// Merging into an alias merges into its person.
		var canon sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT alias_of FROM speakers WHERE id = ?`, pid).Scan(&canon); err != nil {
			return err
		}
		if canon.Valid {
			pid = canon.Int64
		}
		if pid == lid {
			return fmt.Errorf("merge speaker %s into %s: they are the same person: %w", label, person, model.ErrInvalid)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE speakers SET alias_of = ? WHERE id = ? OR alias_of = ?`, pid, lid, lid); err != nil {
			return fmt.Errorf("merge speaker %s: %w", label, err)
		}
		if err := reindexSpeakers(ctx, tx, lid); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "speaker-merge", map[string]any{"label": label, "person": person})
	})
}

// UnmergeSpeaker makes label its own person again.
func (s *Store) UnmergeSpeaker(ctx context.Context, actor, label string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		lid, err := speakerID(ctx, tx, label)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE speakers SET alias_of = NULL WHERE id = ? AND alias_of IS NOT NULL`, lid)
		if err != nil {
			return fmt.Errorf("unmerge speaker %s: %w", label, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("unmerge speaker %s: it is not merged into anyone: %w", label, model.ErrInvalid)
		}
		if err := reindexSpeakers(ctx, tx, lid); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "speaker-unmerge", map[string]any{"label": label})
	})
}

// SetSpeakerDetails records the role and office of a speaker.
func (s *Store) SetSpeakerDetails(ctx context.Context, actor, name, role, office string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := speakerID(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE speakers SET role = ?, office = ? WHERE id = ?`,
			strings.TrimSpace(role), strings.TrimSpace(office), id); err != nil {
			return fmt.Errorf("speaker %s: %w", name, err)
		}
		return appendAudit(ctx, tx, actor, "speaker-update", map[string]any{"speaker": name, "role": role, "office": office})
	})
}

func speakerID(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM speakers WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("speaker %q: %w", name, model.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("speaker %q: %w", name, err)
	}
	return id, nil
}

// reindexSpeakers queues the sources holding segments of the speaker with
// the given id, or of any label merged into it.
func reindexSpeakers(ctx context.Context, tx *sql.Tx, id int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT source_id FROM segments WHERE speaker IN
		(SELECT name FROM speakers WHERE id = ? OR alias_of = ?)`, id, id)
	srcs, err := collect(rows, err, func(r scanner) (string, error) {
		var n int64
		err := r.Scan(&n)
		return model.ItemID{Kind: model.ItemSource, N: n}.String(), err
	})
	if err != nil {
		return fmt.Errorf("find segments to re-index: %w", err)
	}
	return enqueueItems(ctx, tx, srcs)
}
