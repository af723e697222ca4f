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

// Import is one file's import in progress: a single transaction that holds
// the source row and all its records. Nothing of it is visible until Commit;
// Rollback (or a crash) leaves the case as it was.
type Import struct {
	s        *Store
	tx       *sql.Tx
	src      model.Source
	segStmt  *sql.Stmt
	evtStmt  *sql.Stmt
	rejStmt  *sql.Stmt
	speakers map[string]bool
	firstSeg int64
	lastSeg  int64
	firstEvt int64
	lastEvt  int64
	records  int64
	nextSeg  int64 // the id the next segment gets: ids are given here, so each row is sealed as it is inserted
	nextEvt  int64
	sealer   *sealer
}

// BeginImport starts the transaction for one file. It fails with
// model.ErrDuplicate, naming the existing source, when a file with the same
// SHA-256 is already in the case.
//
// options are the import's settings as the caller records them (JSON), kept
// with the source so that verify --deep can parse the original again the same way.
func (s *Store) BeginImport(ctx context.Context, src model.Source, options string) (*Import, error) {
	if existing, err := s.SourceBySHA(ctx, src.SHA256); err == nil {
		return nil, fmt.Errorf("%s is already in the case as src-%d (%s): %w", src.Name, existing.ID, existing.Name, model.ErrDuplicate)
	} else if !errors.Is(err, model.ErrNotFound) {
		return nil, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin import %s: %w", src.Name, err)
	}
	im := &Import{s: s, tx: tx, src: src, speakers: map[string]bool{}, sealer: newSealer()}
	ok := false
	defer func() {
		if !ok {
			im.Rollback()
		}
	}()
	res, err := tx.ExecContext(ctx, `INSERT INTO sources (sha256, size, name, path, kind, format, encoding, importer,
		imported_at, title, describes, timezone, investigator, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		src.SHA256, src.Size, src.Name, src.Path, string(src.Kind), src.Format, src.Encoding, src.Importer,
		src.ImportedAt.UTC().Format(time.RFC3339Nano), src.Title, src.Describes, src.TimeZone, src.Investigator, options)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", src.Name, err)
	}
	if im.src.ID, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	// The writer holds the database (_txlock=immediate), so the next ids are ours to give.
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM segments) + 1,
		(SELECT coalesce(max(id), 0) FROM events) + 1`).Scan(&im.nextSeg, &im.nextEvt); err != nil {
		return nil, fmt.Errorf("import %s: %w", src.Name, err)
	}
	if im.segStmt, err = tx.PrepareContext(ctx, `INSERT INTO segments (id, source_id, seq, start_ms, end_ms, speaker, text,
		line, offset, length, seal, page, page_line, end_page, end_page_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return nil, err
	}
	if im.evtStmt, err = tx.PrepareContext(ctx, `INSERT INTO events (id, source_id, time_ns, time_text, actor, actor_id,
		office, country, ip, action, system, resource, category, region, records, approval, approver,
		approver_country, purpose, raw, row, line, offset, country_from, ip_country, flags, seal,
		person, roster_row, person_office, person_country, map_category, map_region, map_row)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return nil, err
	}
	if im.rejStmt, err = tx.PrepareContext(ctx, `INSERT INTO rejects (source_id, line, row, reason, raw) VALUES (?, ?, ?, ?, ?)`); err != nil {
		return nil, err
	}
	ok = true
	return im, nil
}

// SourceID is the id the new source will have.
func (im *Import) SourceID() int64 { return im.src.ID }

func nullMS(v int64) any {
	if v < 0 {
		return nil
	}
	return v
}

// AddSegment stores one transcript segment.
func (im *Import) AddSegment(ctx context.Context, seg *model.Segment) error {
	id := im.nextSeg
	seg.ID, seg.SourceID = id, im.src.ID
	if seg.StartMS < 0 {
		seg.StartMS = -1 // stored as NULL, read back as -1: sealed as it will be read
	}
	if seg.EndMS < 0 {
		seg.EndMS = -1
	}
	normalizePages(seg)
	d := SegmentDigest(seg)
	if err := rowCtx(ctx, im.records); err != nil {
		return err
	}
	if _, err := im.segStmt.ExecContext(context.WithoutCancel(ctx), id, im.src.ID, seg.Seq, nullMS(seg.StartMS), nullMS(seg.EndMS), seg.Speaker,
		seg.Text, seg.Line, seg.Offset, seg.Length, d[:rowSealLen], seg.Page, seg.PageLine, seg.EndPage, seg.EndPageLine); err != nil {
		return fmt.Errorf("store segment %d of %s: %w", seg.Seq, im.src.Name, err)
	}
	im.nextSeg++
	im.sealer.addSegment(id, d)
	if im.firstSeg == 0 {
		im.firstSeg = id
	}
	im.lastSeg = id
	im.records++
	if seg.Speaker != "" && !im.speakers[seg.Speaker] {
		im.speakers[seg.Speaker] = true
		if _, err := im.tx.ExecContext(ctx, `INSERT OR IGNORE INTO speakers (name) VALUES (?)`, seg.Speaker); err != nil {
			return fmt.Errorf("store speaker %q: %w", seg.Speaker, err)
		}
	}
	return nil
}

// AddEvent stores one access event.
func (im *Import) AddEvent(ctx context.Context, e *model.Event) error {
	var tns any
	if !e.Time.IsZero() {
		tns = e.Time.UnixNano()
	}
	id := im.nextEvt
	e.ID, e.SourceID = id, im.src.ID
	if e.RecordCount < 0 {
		e.RecordCount = -1 // stored as NULL, read back as -1: sealed as it will be read
	}
	e.Time = e.Time.UTC()
	d := EventDigest(e)
	if err := rowCtx(ctx, im.records); err != nil {
		return err
	}
	if _, err := im.evtStmt.ExecContext(context.WithoutCancel(ctx), id, im.src.ID, tns, e.TimeText, e.ActorName, e.ActorID, e.Office, e.Country,
		e.IP, e.Action, e.System, e.Resource, e.DataCategory, e.SubjectRegion, nullMS(e.RecordCount), e.ApprovalID,
		e.Approver, e.ApproverCountry, e.Purpose, e.Raw, e.Row, e.Line, e.Offset, e.CountryFrom, e.IPCountry,
		strings.Join(e.Flags, ","), d[:rowSealLen], e.Context.Person, e.Context.RosterRow, e.Context.PersonOffice,
		e.Context.PersonCountry, e.Context.MapCategory, e.Context.MapRegion, e.Context.MapRow); err != nil {
		return fmt.Errorf("store row %d of %s: %w", e.Row, im.src.Name, err)
	}
	im.nextEvt++
	im.sealer.addEvent(id, d)
	if im.firstEvt == 0 {
		im.firstEvt = id
	}
	im.lastEvt = id
	im.records++
	return nil
}

// rowCtx checks for cancellation every 256th row. The rows themselves are
// inserted under a context that cannot be cancelled: go-sqlite3 starts a
// goroutine to watch every statement whose context can be, which was a
// fifth of the CPU time of an access-log import (the profile of
// BenchmarkStoreAccessCSV). The transaction still ends with ctx.
func rowCtx(ctx context.Context, n int64) error {
	if n%256 == 0 {
		return ctx.Err()
	}
	return nil
}

// AddReject keeps a refused row with its reason.
func (im *Import) AddReject(ctx context.Context, r model.Rejection) error {
	if _, err := im.rejStmt.ExecContext(ctx, im.src.ID, r.Line, r.Row, r.Reason, r.Raw); err != nil {
		return fmt.Errorf("store rejected line %d of %s: %w", r.Line, im.src.Name, err)
	}
	return nil
}

// Commit finishes the source row (metadata learned while parsing, counts,
// warnings), queues the new records for the index, records the import in the
// audit trail and commits, all at once.
func (im *Import) Commit(ctx context.Context, fin model.Source) (model.Source, error) {
	defer im.Rollback()
	warn, err := json.Marshal(nonNil(fin.Warnings))
	if err != nil {
		return model.Source{}, err
	}
	src := im.src
	src.Encoding, src.Title, src.Describes, src.TimeZone = fin.Encoding, fin.Title, fin.Describes, fin.TimeZone
	src.Rejects, src.Warnings, src.Records = fin.Rejects, nonNil(fin.Warnings), im.records
	if _, err := im.tx.ExecContext(ctx, `UPDATE sources SET encoding = ?, title = ?, describes = ?, timezone = ?,
		records = ?, rejects = ?, warnings = ? WHERE id = ?`, src.Encoding, src.Title, src.Describes, src.TimeZone,
		src.Records, src.Rejects, string(warn), src.ID); err != nil {
		return model.Source{}, fmt.Errorf("import %s: %w", src.Name, err)
	}
	if im.firstSeg > 0 {
		if err := enqueue(ctx, im.tx, "upsert", "seg", im.firstSeg, im.lastSeg); err != nil {
			return model.Source{}, err
		}
	}
	if im.firstEvt > 0 {
		if err := enqueue(ctx, im.tx, "upsert", "evt", im.firstEvt, im.lastEvt); err != nil {
			return model.Source{}, err
		}
	}
	seal := im.sealer.seal(src)
	if _, err := im.tx.ExecContext(ctx, `UPDATE sources SET seal = ? WHERE id = ?`, seal.Root, src.ID); err != nil {
		return model.Source{}, fmt.Errorf("seal %s: %w", src.Name, err)
	}
	detail := map[string]any{"source": fmt.Sprintf("src-%d", src.ID), "name": src.Name, "sha256": src.SHA256,
		"size": src.Size, "format": src.Format, "importer": src.Importer, "records": src.Records, "rejects": src.Rejects,
		"seal": seal}
	if err := appendAudit(ctx, im.tx, src.Investigator, "import", detail); err != nil {
		return model.Source{}, err
	}
	if err := im.tx.Commit(); err != nil {
		return model.Source{}, fmt.Errorf("commit import %s: %w", src.Name, err)
	}
	return src, nil
}

// Rollback abandons the import; nothing of it remains. It is safe to call
// after Commit.
func (im *Import) Rollback() {
	if im.segStmt != nil {
		im.segStmt.Close()
	}
	if im.evtStmt != nil {
		im.evtStmt.Close()
	}
	if im.rejStmt != nil {
		im.rejStmt.Close()
	}
	im.tx.Rollback()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func enqueue(ctx context.Context, tx *sql.Tx, op, kind string, lo, hi int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (op, kind, lo, hi) VALUES (?, ?, ?, ?)`, op, kind, lo, hi); err != nil {
		return fmt.Errorf("queue %s %s-%d..%d for the index: %w", op, kind, lo, hi, err)
	}
	return nil
}
