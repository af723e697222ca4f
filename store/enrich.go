package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"casebook/model"
)

// Rejects lists the rows refused when a source was imported, in file order.
func (s *Store) Rejects(ctx context.Context, sourceID int64) ([]model.Rejection, error) {
	q := `SELECT id, source_id, line, row, reason, raw FROM rejects`
	var args []any
	if sourceID > 0 {
		q += ` WHERE source_id = ?`
		args = append(args, sourceID)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY source_id, line`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Rejection
	for rows.Next() {
		var r model.Rejection
		if err := rows.Scan(&r.ID, &r.SourceID, &r.Line, &r.Row, &r.Reason, &r.Raw); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Places returns the case's own place table (name -> ISO country).
func (s *Store) Places(ctx context.Context) (map[string]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, country FROM places`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, c string
		if err := rows.Scan(&n, &c); err != nil {
			return nil, err
		}
		out[strings.ToLower(n)] = c
	}
	return out, rows.Err()
}

// SetPlaces adds or replaces entries of the case's place table.
func (s *Store) SetPlaces(ctx context.Context, actor string, places map[string]string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for n, c := range places {
		if _, err := tx.ExecContext(ctx, `INSERT INTO places (name, country) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET country = excluded.country`, n, c); err != nil {
			return fmt.Errorf("place %q: %w", n, err)
		}
	}
	if err := appendAudit(ctx, tx, actor, "places", map[string]any{"entries": len(places)}); err != nil {
		return err
	}
	return tx.Commit()
}

// IPRange is one row of an IP-range table.
type IPRange struct {
	Lo, Hi  netip.Addr
	Country string
}

func addrKey(a netip.Addr) []byte {
	b := a.As16()
	return b[:]
}

// ReplaceIPRanges replaces the case's IP-range table with ranges read from
// file, in one transaction, and records it in the audit trail.
func (s *Store) ReplaceIPRanges(ctx context.Context, actor, file string, ranges []IPRange) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM ip_ranges`); err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO ip_ranges (lo, hi, country, file) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range ranges {
		if _, err := st.ExecContext(ctx, addrKey(r.Lo), addrKey(r.Hi), r.Country, file); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, tx, actor, "ip-ranges", map[string]any{"file": file, "ranges": len(ranges)}); err != nil {
		return err
	}
	return tx.Commit()
}

// IPRanges returns the case's IP-range table sorted by the start of each range.
func (s *Store) IPRanges(ctx context.Context) ([]IPRange, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT lo, hi, country FROM ip_ranges ORDER BY lo`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []IPRange
	for rows.Next() {
		var lo, hi []byte
		var r IPRange
		if err := rows.Scan(&lo, &hi, &r.Country); err != nil {
			return nil, err
		}
		if len(lo) != 16 || len(hi) != 16 {
			return nil, fmt.Errorf("ip_ranges: malformed address of %d bytes", len(lo))
		}
		r.Lo, r.Hi = netip.AddrFrom16([16]byte(lo)), netip.AddrFrom16([16]byte(hi))
		out = append(out, r)
	}
	return out, rows.Err()
}

// MappingProfile is a saved column mapping for access logs.
type MappingProfile struct {
	Name    string
	Mapping map[string]string
	Format  string
}

// SaveProfile stores (or replaces) a named mapping.
func (s *Store) SaveProfile(ctx context.Context, actor string, p MappingProfile) error {
	b, err := json.Marshal(p.Mapping)
	if err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO mapping_profiles (name, mapping, format, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping, format = excluded.format`,
		p.Name, string(b), p.Format, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("save mapping %q: %w", p.Name, err)
	}
	if err := appendAudit(ctx, tx, actor, "mapping-profile", map[string]any{"name": p.Name, "mapping": p.Mapping, "format": p.Format}); err != nil {
		return err
	}
	return tx.Commit()
}

// Profile returns a saved mapping by name.
func (s *Store) Profile(ctx context.Context, name string) (MappingProfile, error) {
	p := MappingProfile{Name: name}
	var m string
	err := s.r.QueryRowContext(ctx, `SELECT mapping, format FROM mapping_profiles WHERE name = ?`, name).Scan(&m, &p.Format)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("mapping profile %q: %w", name, model.ErrNotFound)
	}
	if err != nil {
		return p, err
	}
	return p, json.Unmarshal([]byte(m), &p.Mapping)
}

// Profiles lists the saved column mappings by name.
func (s *Store) Profiles(ctx context.Context) ([]MappingProfile, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, mapping, format FROM mapping_profiles ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list mapping profiles: %w", err)
	}
	defer rows.Close()
	var out []MappingProfile
	for rows.Next() {
		var p MappingProfile
		var m string
		if err := rows.Scan(&p.Name, &m, &p.Format); err != nil {
			return nil, fmt.Errorf("list mapping profiles: %w", err)
		}
		if err := json.Unmarshal([]byte(m), &p.Mapping); err != nil {
			return nil, fmt.Errorf("mapping profile %q: %w", p.Name, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// IPRangeCount counts the IP ranges loaded into the case.
func (s *Store) IPRangeCount(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM ip_ranges`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count IP ranges: %w", err)
	}
	return n, nil
}
