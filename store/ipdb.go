package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"casebook/model"
)

// IPDatabase is an IP geolocation database (MaxMind DB format) loaded into
// the case: the copy kept in the case folder and what its metadata says.
type IPDatabase struct {
	ID           int64
	Name         string    // the file's name when it was loaded
	SHA256       string    // of the copy, hex
	Size         int64     // bytes
	Path         string    // the copy, relative to the case folder (slash-separated)
	Type         string    // the metadata's database_type, e.g. "GeoLite2-Country"
	Built        time.Time // the metadata's build_epoch, UTC
	Description  string    // the metadata's English description
	IPVersion    int       // 4 or 6
	LoadedAt     time.Time
	Investigator string
}

// IPDatabaseRef is how events and reports name an IP database: "ipdb-3".
func (d IPDatabase) IPDatabaseRef() string { return fmt.Sprintf("ipdb-%d", d.ID) }

// AddIPDatabase records a database whose copy is already in place, and the
// load in the audit trail, in one transaction. A database with the same
// SHA-256 already loaded is refused with model.ErrDuplicate, naming it.
func (s *Store) AddIPDatabase(ctx context.Context, d IPDatabase) (IPDatabase, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return d, err
	}
	defer tx.Rollback()
	var id int64
	var name string
	err = tx.QueryRowContext(ctx, `SELECT id, name FROM ip_databases WHERE sha256 = ?`, d.SHA256).Scan(&id, &name)
	if err == nil {
		return d, fmt.Errorf("%s is already loaded as ipdb-%d (%s): %w", d.Name, id, name, model.ErrDuplicate)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return d, err
	}
	d.LoadedAt = d.LoadedAt.UTC()
	res, err := tx.ExecContext(ctx, `INSERT INTO ip_databases (name, sha256, size, path, db_type, build_epoch, description,
		ip_version, loaded_at, investigator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.Name, d.SHA256, d.Size, d.Path, d.Type, d.Built.Unix(), d.Description, d.IPVersion,
		d.LoadedAt.Format(time.RFC3339Nano), d.Investigator)
	if err != nil {
		return d, fmt.Errorf("record IP database %s: %w", d.Name, err)
	}
	if d.ID, err = res.LastInsertId(); err != nil {
		return d, err
	}
	if err := appendAudit(ctx, tx, d.Investigator, "ip-database", map[string]any{
		"id": d.IPDatabaseRef(), "file": d.Name, "sha256": d.SHA256, "size": d.Size, "path": d.Path,
		"type": d.Type, "built": d.Built.Format(time.RFC3339), "ip_version": d.IPVersion,
	}); err != nil {
		return d, err
	}
	return d, tx.Commit()
}

// IPDatabases lists the loaded IP databases, the most recently loaded first
// (the order the enricher consults them in).
func (s *Store) IPDatabases(ctx context.Context) ([]IPDatabase, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, sha256, size, path, db_type, build_epoch, description, ip_version,
		loaded_at, investigator FROM ip_databases ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []IPDatabase
	for rows.Next() {
		var d IPDatabase
		var built int64
		var at string
		if err := rows.Scan(&d.ID, &d.Name, &d.SHA256, &d.Size, &d.Path, &d.Type, &built, &d.Description, &d.IPVersion,
			&at, &d.Investigator); err != nil {
			return nil, err
		}
		d.Built = time.Unix(built, 0).UTC()
		if d.LoadedAt, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("ipdb-%d: loaded_at %q: %w", d.ID, at, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// NoteIPCountryFrom records, in the import's transaction, where the IP
// country of the event just added came from: 0 for the case's IP-range
// table, otherwise an IP database's id. It is not part of the event's seal.
func (im *Import) NoteIPCountryFrom(ctx context.Context, eventID, database int64) error {
	if _, err := im.tx.ExecContext(ctx, `INSERT INTO event_ip_from (event_id, ip_database) VALUES (?, ?)`, eventID, database); err != nil {
		return fmt.Errorf("record where the IP country of evt-%d came from: %w", eventID, err)
	}
	return nil
}

// IPCountryFrom returns where the IP country of an event came from: ok is
// false when nothing was recorded (no IP country, or an event imported before
// IP databases were kept); database is 0 for the IP-range table.
func (s *Store) IPCountryFrom(ctx context.Context, eventID int64) (database int64, ok bool, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT ip_database FROM event_ip_from WHERE event_id = ?`, eventID).Scan(&database)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return database, err == nil, err
}

// IPCountryCounts counts, per source of IP countries (0: the IP-range table,
// otherwise an IP database id), the events whose IP country it gave.
func (s *Store) IPCountryCounts(ctx context.Context) (map[int64]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT ip_database, count(*) FROM event_ip_from GROUP BY ip_database`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var db, n int64
		if err := rows.Scan(&db, &n); err != nil {
			return nil, err
		}
		out[db] = n
	}
	return out, rows.Err()
}

// IPRangeTable says how many ranges the case's IP-range table holds and the
// file they were read from ("" when it is empty).
func (s *Store) IPRangeTable(ctx context.Context) (ranges int64, file string, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT count(*), coalesce(max(file), '') FROM ip_ranges`).Scan(&ranges, &file)
	return ranges, file, err
}
