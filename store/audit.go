package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"casebook/model"
)

// genesis is the previous hash of the first audit entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// chainHash is the hash of one audit entry, covering its predecessor's hash.
func chainHash(prev string, seq int64, at, actor, action, detail string) string {
	h := sha256.New()
	for _, f := range []string{prev, strconv.FormatInt(seq, 10), at, actor, action, detail} {
		fmt.Fprintf(h, "%d:%s\n", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// appendAudit appends one entry to the audit trail inside tx.
func appendAudit(ctx context.Context, tx *sql.Tx, actor, action string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	var seq int64
	prev := genesis
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	seq++
	at := time.Now().UTC().Format(time.RFC3339Nano)
	hash := chainHash(prev, seq, at, actor, action, string(b))
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit (seq, at, actor, action, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, seq, at, actor, action, string(b), prev, hash); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	// The newest entry's number and hash are also kept in meta, so removing
	// entries from the end of the trail shows.
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('audit_head', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, strconv.FormatInt(seq, 10)+" "+hash); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Audit appends one entry to the audit trail in its own transaction.
func (s *Store) Audit(ctx context.Context, actor, action string, detail any) error {
	var tx *sql.Tx
	var err error
	if s.audit != nil {
		// Read beside a writer: wait for its transaction (an import
		// holds one until it commits), then append after its entries.
		tx, err = s.audit.BeginTx(ctx, nil)
	} else {
		tx, err = s.w.BeginTx(ctx, nil)
	}
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := appendAudit(ctx, tx, actor, action, detail); err != nil {
		return err
	}
	return tx.Commit()
}

// AuditTrail returns the whole audit trail in order.
func (s *Store) AuditTrail(ctx context.Context) ([]model.AuditEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.AuditEntry
	for rows.Next() {
		var e model.AuditEntry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit recomputes the hash chain and returns one line per entry that
// was altered, removed or inserted out of order. An empty result means the
// chain is intact.
func (s *Store) VerifyAudit(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	prev := genesis
	var want int64 = 1
	for rows.Next() {
		var seq int64
		var at, actor, action, detail, prevHash, hash string
		if err := rows.Scan(&seq, &at, &actor, &action, &detail, &prevHash, &hash); err != nil {
			return nil, err
		}
		if seq != want {
			problems = append(problems, fmt.Sprintf("audit trail: entry %d is missing (next is %d)", want, seq))
		}
		if prevHash != prev {
			problems = append(problems, fmt.Sprintf("audit trail: entry %d does not follow its predecessor (chain broken)", seq))
		}
		if chainHash(prevHash, seq, at, actor, action, detail) != hash {
			problems = append(problems, fmt.Sprintf("audit trail: entry %d (%s at %s) was altered", seq, action, at))
		}
		prev = hash
		want = seq + 1
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The last hash is also kept in meta, so deleting the newest entries shows.
	var head string
	if err := s.r.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'audit_head'`).Scan(&head); err == nil {
		h, n, _ := cutHead(head)
		if n >= want || (n == want-1 && h != prev) {
			problems = append(problems, fmt.Sprintf("audit trail: entries after %d were removed or altered", want-1))
		}
	}
	return problems, nil
}

func cutHead(v string) (hash string, seq int64, ok bool) {
	var s string
	for i := range v {
		if v[i] == ' ' {
			s, hash = v[:i], v[i+1:]
			n, err := strconv.ParseInt(s, 10, 64)
			return hash, n, err == nil
		}
	}
	return "", 0, false
}
