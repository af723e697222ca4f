package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"casebook/model"
)

// RecordingDigest is the SHA-256 of what a recording's bytes said at import.
func RecordingDigest(r model.Recording) []byte {
	f := newFields()
	f.s("recording")
	f.i(r.SourceID)
	f.s(r.Format)
	f.i(int64(r.SampleRate))
	f.i(int64(r.Channels))
	f.i(r.DurationMS)
	return f.sum()
}

// SetRecording stores what the recording being imported said about itself
// (its format, rate, channels and length), sealed with the import.
func (im *Import) SetRecording(ctx context.Context, r model.Recording) error {
	r.SourceID = im.src.ID
	if _, err := im.tx.ExecContext(ctx, `INSERT INTO recordings (source_id, format, sample_rate, channels, duration_ms)
		VALUES (?, ?, ?, ?, ?)`, r.SourceID, r.Format, r.SampleRate, r.Channels, r.DurationMS); err != nil {
		return fmt.Errorf("store recording %s: %w", im.src.Name, err)
	}
	im.sealer.recording = hex.EncodeToString(RecordingDigest(r))
	return nil
}

const recCols = `source_id, format, sample_rate, channels, duration_ms`

func scanRecording(sc scanner) (model.Recording, error) {
	var r model.Recording
	err := sc.Scan(&r.SourceID, &r.Format, &r.SampleRate, &r.Channels, &r.DurationMS)
	return r, err
}

// Recording returns what a recording source said about itself at import;
// model.ErrNotFound when the source is no recording.
func (s *Store) Recording(ctx context.Context, sourceID int64) (model.Recording, error) {
	r, err := scanRecording(s.r.QueryRowContext(ctx, `SELECT `+recCols+` FROM recordings WHERE source_id = ?`, sourceID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("src-%d is no recording: %w", sourceID, model.ErrNotFound)
	}
	return r, err
}

// Recordings returns every recording of the case, in source order.
func (s *Store) Recordings(ctx context.Context) ([]model.Recording, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+recCols+` FROM recordings ORDER BY source_id`)
	return collect(rows, err, scanRecording)
}

const pairCols = `transcript_id, recording_id, offset_ms, how`

func scanPairing(sc scanner) (model.Pairing, error) {
	var p model.Pairing
	err := sc.Scan(&p.TranscriptID, &p.RecordingID, &p.OffsetMS, &p.How)
	return p, err
}

// Pairing returns the recording a transcript is paired with;
// model.ErrNotFound when it has none.
func (s *Store) Pairing(ctx context.Context, transcriptID int64) (model.Pairing, error) {
	p, err := scanPairing(s.r.QueryRowContext(ctx, `SELECT `+pairCols+` FROM pairings WHERE transcript_id = ?`, transcriptID))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("src-%d is paired with no recording: %w", transcriptID, model.ErrNotFound)
	}
	return p, err
}

// Pairings returns every pairing of the case, by transcript.
func (s *Store) Pairings(ctx context.Context) ([]model.Pairing, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+pairCols+` FROM pairings ORDER BY transcript_id`)
	return collect(rows, err, scanPairing)
}

// pairDetail is the audit entry of a pairing's change; verify replays them.
type pairDetail struct {
	Transcript string `json:"transcript"`
	Recording  string `json:"recording,omitempty"`
	OffsetMS   int64  `json:"offset_ms"`
	How        string `json:"how,omitempty"`
	Was        string `json:"was,omitempty"` // the pairing it replaced or removed, as "src-R+offset"
}

func srcRef(id int64) string { return model.ItemID{Kind: model.ItemSource, N: id}.String() }

func pairText(p model.Pairing) string {
	return fmt.Sprintf("%s%+dms", srcRef(p.RecordingID), p.OffsetMS)
}

// Pair ties a transcript to a recording (replacing any pairing it had) and
// records the change, with what it replaced, in the audit trail.
func (s *Store) Pair(ctx context.Context, actor string, p model.Pairing) error {
	if p.How != model.PairedByName && p.How != model.PairedByHand {
		return fmt.Errorf("pairing made %q: %w", p.How, model.ErrInvalid)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	d := pairDetail{Transcript: srcRef(p.TranscriptID), Recording: srcRef(p.RecordingID), OffsetMS: p.OffsetMS, How: p.How}
	if old, err := scanPairing(tx.QueryRowContext(ctx, `SELECT `+pairCols+` FROM pairings WHERE transcript_id = ?`, p.TranscriptID)); err == nil {
		d.Was = pairText(old)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO pairings (transcript_id, recording_id, offset_ms, how) VALUES (?, ?, ?, ?)
		ON CONFLICT (transcript_id) DO UPDATE SET recording_id = excluded.recording_id, offset_ms = excluded.offset_ms,
		how = excluded.how`, p.TranscriptID, p.RecordingID, p.OffsetMS, p.How); err != nil {
		return fmt.Errorf("pair %s with %s: %w", d.Transcript, d.Recording, err)
	}
	if err := appendAudit(ctx, tx, actor, "pair", d); err != nil {
		return err
	}
	return tx.Commit()
}

// Unpair removes a transcript's pairing, recorded in the audit trail;
// model.ErrNotFound when it has none.
func (s *Store) Unpair(ctx context.Context, actor string, transcriptID int64) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	old, err := scanPairing(tx.QueryRowContext(ctx, `SELECT `+pairCols+` FROM pairings WHERE transcript_id = ?`, transcriptID))
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("src-%d is paired with no recording: %w", transcriptID, model.ErrNotFound)
	} else if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pairings WHERE transcript_id = ?`, transcriptID); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "unpair", pairDetail{Transcript: srcRef(transcriptID), Was: pairText(old)}); err != nil {
		return err
	}
	return tx.Commit()
}

// handDetail is the audit entry of a hand-typed segment: the segment and
// its full digest, which is its seal.
type handDetail struct {
	Segment  string `json:"segment"`
	Source   string `json:"source"`
	StartMS  int64  `json:"start_ms"`
	EndMS    int64  `json:"end_ms"`
	Speaker  string `json:"speaker"`
	Text     string `json:"text"`
	Digest   string `json:"digest"`
	Version  string `json:"v"`
	Recorded string `json:"at"` // the time sealed with the segment
}

// AddHandSegment stores a segment an investigator typed while listening to
// a recording (g's SourceID, StartMS, EndMS, Speaker and Text): it is queued
// for the index like any segment, and its digest is written into its audit
// entry (transcribe), which is its seal.
func (s *Store) AddHandSegment(ctx context.Context, actor string, g model.Segment) (model.Segment, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return g, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM segments) + 1,
		(SELECT coalesce(max(seq), 0) FROM segments WHERE source_id = ?) + 1`, g.SourceID).Scan(&g.ID, &g.Seq); err != nil {
		return g, err
	}
	g.Line, g.Offset, g.Length = 0, 0, 0
	g.Page, g.PageLine, g.EndPage, g.EndPageLine = 0, 0, 0, 0
	g.ByHand, g.TypedBy, g.TypedAt = true, actor, time.Now().UTC()
	d := SegmentDigest(&g)
	at := g.TypedAt.Format(time.RFC3339Nano)
	if _, err := tx.ExecContext(ctx, `INSERT INTO segments (id, source_id, seq, start_ms, end_ms, speaker, text, line,
		offset, length, seal, by_hand, typed_by, typed_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, 1, ?, ?)`,
		g.ID, g.SourceID, g.Seq, g.StartMS, g.EndMS, g.Speaker, g.Text, d[:rowSealLen], g.TypedBy, at); err != nil {
		return g, fmt.Errorf("store the segment typed by hand: %w", err)
	}
	if g.Speaker != "" {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO speakers (name) VALUES (?)`, g.Speaker); err != nil {
			return g, fmt.Errorf("store speaker %q: %w", g.Speaker, err)
		}
	}
	if err := enqueue(ctx, tx, "upsert", "seg", g.ID, g.ID); err != nil {
		return g, err
	}
	if err := appendAudit(ctx, tx, actor, "transcribe", handDetail{Segment: model.ItemID{Kind: model.ItemSegment, N: g.ID}.String(),
		Source: srcRef(g.SourceID), StartMS: g.StartMS, EndMS: g.EndMS, Speaker: g.Speaker, Text: g.Text,
		Digest: hex.EncodeToString(d), Version: SealVersion, Recorded: at}); err != nil {
		return g, err
	}
	if err := tx.Commit(); err != nil {
		return g, fmt.Errorf("commit the segment typed by hand: %w", err)
	}
	return g, nil
}

// checkRecording compares a recording's stored metadata with its seal.
func (s *Store) checkRecording(ctx context.Context, srcID int64, want string, sl *sealer, note noteFunc) error {
	sid := model.ItemID{Kind: model.ItemSource, N: srcID}
	r, err := s.Recording(ctx, srcID)
	if errors.Is(err, model.ErrNotFound) {
		if want != "" {
			note(sid, "its recording's format, rate, channels and length were removed after the import")
		}
		return nil
	} else if err != nil {
		return err
	}
	sl.recording = hex.EncodeToString(RecordingDigest(r))
	switch {
	case want == "":
		note(sid, "carries recording details no import sealed")
	case sl.recording != want:
		note(sid, "its recording's format, rate, channels or length were edited since the import")
	}
	return nil
}

// auditDetails reads the detail of every audit entry of one action, in order.
func (s *Store) auditDetails(ctx context.Context, action string, each func(seq int64, detail []byte)) error {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, detail FROM audit WHERE action = ? ORDER BY seq`, action)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var detail string
		if err := rows.Scan(&seq, &detail); err != nil {
			return err
		}
		each(seq, []byte(detail))
	}
	return rows.Err()
}

// checkHandSegments compares every hand-typed segment (of the sources in
// only, or all when only is nil) with the digest its transcribe entry
// sealed: a changed, removed or unrecorded one is a finding.
func (s *Store) checkHandSegments(ctx context.Context, only map[int64]bool) ([]SealFinding, int64, error) {
	type sealed struct {
		seq    int64
		digest string
		src    int64
	}
	want := map[int64]sealed{}
	err := s.auditDetails(ctx, "transcribe", func(seq int64, b []byte) {
		var d handDetail
		if json.Unmarshal(b, &d) != nil {
			return
		}
		g, err1 := model.ParseItemID(d.Segment)
		src, err2 := model.ParseItemID(d.Source)
		if err1 != nil || err2 != nil {
			return
		}
		want[g.N] = sealed{seq, d.Digest, src.N}
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read the transcribe entries: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+segCols+` FROM segments WHERE by_hand = 1 ORDER BY id`)
	if err != nil {
		return nil, 0, err
	}
	var got []model.Segment
	for rows.Next() {
		g, err := scanSegment(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		got = append(got, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var out []SealFinding
	var n int64
	seen := map[int64]bool{}
	for _, g := range got {
		if only != nil && !only[g.SourceID] {
			continue
		}
		n++
		seen[g.ID] = true
		item := model.ItemID{Kind: model.ItemSegment, N: g.ID}
		w, ok := want[g.ID]
		switch {
		case !ok:
			out = append(out, SealFinding{item, "is marked as typed by hand, but no transcribe entry of the audit trail records it"})
		case hex.EncodeToString(SegmentDigest(&g)) != w.digest:
			out = append(out, SealFinding{item, fmt.Sprintf("was changed after it was typed by hand (its fields differ from the seal in audit entry %d)", w.seq)})
		}
	}
	for id, w := range want {
		if seen[id] || (only != nil && !only[w.src]) {
			continue
		}
		out = append(out, SealFinding{model.ItemID{Kind: model.ItemSegment, N: id},
			fmt.Sprintf("was typed by hand (audit entry %d) and is no longer stored as such", w.seq)})
	}
	return out, n, nil
}

// checkPairings replays the pair and unpair entries of the audit trail and
// compares what they leave with the pairings stored: a pairing added,
// changed or removed outside Casebook is a finding.
func (s *Store) checkPairings(ctx context.Context, only map[int64]bool) ([]SealFinding, error) {
	type rec struct {
		p   model.Pairing
		seq int64
	}
	want := map[int64]rec{}
	rows, err := s.r.QueryContext(ctx, `SELECT seq, action, detail FROM audit WHERE action IN ('pair', 'unpair') ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var seq int64
		var action, detail string
		if err := rows.Scan(&seq, &action, &detail); err != nil {
			rows.Close()
			return nil, err
		}
		var d pairDetail
		if json.Unmarshal([]byte(detail), &d) != nil {
			continue
		}
		t, err := model.ParseItemID(d.Transcript)
		if err != nil {
			continue
		}
		if action == "unpair" {
			delete(want, t.N)
			continue
		}
		r, err := model.ParseItemID(d.Recording)
		if err != nil {
			continue
		}
		want[t.N] = rec{model.Pairing{TranscriptID: t.N, RecordingID: r.N, OffsetMS: d.OffsetMS, How: d.How}, seq}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	have, err := s.Pairings(ctx)
	if err != nil {
		return nil, err
	}
	var out []SealFinding
	for _, p := range have {
		if only != nil && !only[p.TranscriptID] {
			continue
		}
		item := model.ItemID{Kind: model.ItemSource, N: p.TranscriptID}
		w, ok := want[p.TranscriptID]
		delete(want, p.TranscriptID)
		switch {
		case !ok:
			out = append(out, SealFinding{item, fmt.Sprintf("is paired with %s, which no pair entry of the audit trail records", pairText(p))})
		case w.p != p:
			out = append(out, SealFinding{item, fmt.Sprintf("is paired with %s, but audit entry %d paired it with %s (%s)", pairText(p), w.seq, pairText(w.p), w.p.How)})
		}
	}
	for t, w := range want {
		if only != nil && !only[t] {
			continue
		}
		out = append(out, SealFinding{model.ItemID{Kind: model.ItemSource, N: t},
			fmt.Sprintf("was paired with %s (audit entry %d) and the pairing is no longer stored", pairText(w.p), w.seq)})
	}
	return out, nil
}
