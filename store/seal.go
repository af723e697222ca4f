package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"casebook/model"
)

// SealVersion names the canonical encoding the seals are computed with. A
// change of encoding is a new version; old seals keep being checked with the
// encoding they were made with.
const SealVersion = "casebook-seal-v1"

// rowSealLen is how much of each record's digest is kept on its row. The row
// digest only points at the record that changed; the proof is the source's
// seal, computed over the full digests and written into the audit trail.
const rowSealLen = 16

// Seal is what an import fixes about a source: a digest of the source's own
// fields and one per kind of record (over every field of every record, in id
// order), the id ranges the records were given, and the root over all of it.
// The same values are written into the hash-chained audit entry of the
// import, so editing a record, a source field or the seal itself shows.
type Seal struct {
	Version  string     `json:"v"`
	Root     string     `json:"root"`
	Source   string     `json:"source"`
	Segments *SealRange `json:"segments,omitempty"`
	Events   *SealRange `json:"events,omitempty"`
	// Recording is the digest of what a recording's bytes said at import
	// (RecordingDigest); only recordings carry it, so other seals are unchanged.
	Recording string `json:"recording,omitempty"`
}

// SealRange is the sealed run of one kind of record: ids Lo..Hi (contiguous,
// given at import), their number and the digest over their record digests.
type SealRange struct {
	Lo     int64  `json:"lo"`
	Hi     int64  `json:"hi"`
	Count  int64  `json:"count"`
	Digest string `json:"digest"`
}

// sealer accumulates the record digests of one import (or one check).
type sealer struct {
	seg, evt           hash.Hash
	segLo, segHi, nSeg int64
	evtLo, evtHi, nEvt int64
	recording          string // hex RecordingDigest, "" for a source that is no recording
}

func newSealer() *sealer {
	s := &sealer{seg: sha256.New(), evt: sha256.New()}
	s.seg.Write([]byte(SealVersion + " segments\n"))
	s.evt.Write([]byte(SealVersion + " events\n"))
	return s
}

func (s *sealer) addSegment(id int64, d []byte) {
	if s.nSeg == 0 {
		s.segLo = id
	}
	s.segHi = id
	s.nSeg++
	s.seg.Write(d)
}

func (s *sealer) addEvent(id int64, d []byte) {
	if s.nEvt == 0 {
		s.evtLo = id
	}
	s.evtHi = id
	s.nEvt++
	s.evt.Write(d)
}

// seal completes the seal with the source's final fields.
func (s *sealer) seal(src model.Source) Seal {
	out := Seal{Version: SealVersion, Source: hex.EncodeToString(sourceDigest(src))}
	root := sha256.New()
	root.Write([]byte(SealVersion + " source\n"))
	root.Write([]byte(out.Source))
	if s.nSeg > 0 {
		out.Segments = &SealRange{Lo: s.segLo, Hi: s.segHi, Count: s.nSeg, Digest: hex.EncodeToString(s.seg.Sum(nil))}
		fmt.Fprintf(root, "\nsegments %d %d %d %s", out.Segments.Lo, out.Segments.Hi, out.Segments.Count, out.Segments.Digest)
	}
	if s.nEvt > 0 {
		out.Events = &SealRange{Lo: s.evtLo, Hi: s.evtHi, Count: s.nEvt, Digest: hex.EncodeToString(s.evt.Sum(nil))}
		fmt.Fprintf(root, "\nevents %d %d %d %s", out.Events.Lo, out.Events.Hi, out.Events.Count, out.Events.Digest)
	}
	if s.recording != "" {
		out.Recording = s.recording
		fmt.Fprintf(root, "\nrecording %s", s.recording)
	}
	out.Root = hex.EncodeToString(root.Sum(nil))
	return out
}

// fields gathers each value length-prefixed, so no two different records
// share an encoding, and hashes them at once (one SHA-256 call per record
// instead of two writes per field).
type fields struct{ b []byte }

func newFields() *fields { return &fields{b: make([]byte, 0, 512)} }

func (f *fields) s(v string) {
	f.b = append(binary.AppendUvarint(f.b, uint64(len(v))), v...)
}

func (f *fields) i(v int64) {
	var n [20]byte
	d := strconv.AppendInt(n[:0], v, 10)
	f.b = append(binary.AppendUvarint(f.b, uint64(len(d))), d...)
}

func (f *fields) sum() []byte {
	d := sha256.Sum256(f.b)
	return d[:]
}

// SegmentDigest is the SHA-256 of every stored field of a segment, its id
// and source included.
func SegmentDigest(g *model.Segment) []byte {
	f := newFields()
	f.s("segment")
	f.i(g.ID)
	f.i(g.SourceID)
	f.i(int64(g.Seq))
	f.i(g.StartMS)
	f.i(g.EndMS)
	f.s(g.Speaker)
	f.s(g.Text)
	f.i(int64(g.Line))
	f.i(g.Offset)
	f.i(int64(g.Length))
	if g.Page > 0 {
		// Only segments of paginated transcripts carry these, so the digest
		// of every segment without pages is what it was before they existed.
		f.s("page")
		f.i(int64(g.Page))
		f.i(int64(g.PageLine))
		f.i(int64(g.EndPage))
		f.i(int64(g.EndPageLine))
	}
	if g.ByHand {
		// Only hand-typed segments carry these, so every imported
		// segment's digest is what it was before they existed.
		f.s("by hand")
		f.s(g.TypedBy)
		f.s(g.TypedAt.UTC().Format(time.RFC3339Nano))
	}
	return f.sum()
}

// normalizePages makes a segment's page fields what they will read back as:
// all 0 without a page, no negative line, an end no earlier than the start.
func normalizePages(g *model.Segment) {
	if g.Page <= 0 {
		g.Page, g.PageLine, g.EndPage, g.EndPageLine = 0, 0, 0, 0
		return
	}
	if g.PageLine < 0 {
		g.PageLine = 0
	}
	if g.EndPage < g.Page {
		g.EndPage, g.EndPageLine = g.Page, g.PageLine
	}
	if g.EndPageLine < 0 {
		g.EndPageLine = 0
	}
}

// EventDigest is the SHA-256 of every stored field of an event, its id and
// source included (the enrichment made at import too: country, its origin,
// the IP's country and the flags).
func EventDigest(e *model.Event) []byte {
	f := newFields()
	f.s("event")
	f.i(e.ID)
	f.i(e.SourceID)
	if e.Time.IsZero() {
		f.s("")
	} else {
		f.i(e.Time.UnixNano())
	}
	for _, v := range []string{e.TimeText, e.ActorName, e.ActorID, e.Office, e.Country, e.IP, e.Action, e.System,
		e.Resource, e.DataCategory, e.SubjectRegion} {
		f.s(v)
	}
	f.i(e.RecordCount)
	for _, v := range []string{e.ApprovalID, e.Approver, e.ApproverCountry, e.Purpose, e.Raw} {
		f.s(v)
	}
	f.i(int64(e.Row))
	f.i(int64(e.Line))
	f.i(e.Offset)
	f.s(e.CountryFrom)
	f.s(e.IPCountry)
	f.s(strings.Join(e.Flags, ","))
	return f.sum()
}

// sourceDigest covers the fields of a source that reports print or that
// locate its original.
func sourceDigest(s model.Source) []byte {
	f := newFields()
	f.s("source")
	f.i(s.ID)
	for _, v := range []string{s.SHA256, strconv.FormatInt(s.Size, 10), s.Name, s.Path, string(s.Kind), s.Format,
		s.Encoding, s.Importer, s.ImportedAt.UTC().Format(time.RFC3339Nano), s.Title, s.Describes, s.TimeZone,
		strconv.FormatInt(s.Records, 10), strconv.FormatInt(s.Rejects, 10), s.Investigator} {
		f.s(v)
	}
	w, _ := json.Marshal(nonNil(s.Warnings))
	f.s(string(w))
	return f.sum()
}

// SealFinding is one thing VerifySeals found: the item (a source, segment or
// event) and what is wrong with it.
type SealFinding struct {
	Item    model.ItemID
	Problem string
}

// SealCheck is the outcome of VerifySeals.
type SealCheck struct {
	Sealed   int            // sources whose seal was checked
	Unsealed []model.ItemID // sources imported before records were sealed
	Records  int64          // records re-hashed
	Findings []SealFinding
}

// importSeal is a source's seal as the audit trail recorded it.
type importSeal struct {
	seq  int64
	seal Seal
}

// sealsFromAudit reads the seal of every sealed import from the audit trail;
// the chain's own check (VerifyAudit) says whether those entries are intact.
func (s *Store) sealsFromAudit(ctx context.Context) (map[int64]importSeal, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, detail FROM audit WHERE action = 'import' ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]importSeal{}
	for rows.Next() {
		var seq int64
		var detail string
		if err := rows.Scan(&seq, &detail); err != nil {
			return nil, err
		}
		var d struct {
			Source string `json:"source"`
			Seal   *Seal  `json:"seal"`
		}
		if json.Unmarshal([]byte(detail), &d) != nil || d.Seal == nil {
			continue
		}
		id, err := model.ParseItemID(d.Source)
		if err != nil || id.Kind != model.ItemSource {
			continue
		}
		out[id.N] = importSeal{seq: seq, seal: *d.Seal}
	}
	return out, rows.Err()
}

// maxFindingsPerSource bounds what one source can add to a report: a wholesale
// rewrite is named by its first records and a count, not a million lines.
const maxFindingsPerSource = 20

// VerifySeals re-hashes every record of every sealed source from the rows in
// the database and compares with the seal the import wrote into the audit
// trail: it names each source whose fields or seal were edited and each
// record that was changed, removed or added since. progress, when not nil,
// is called with the records checked so far.
func (s *Store) VerifySeals(ctx context.Context, progress func(done int64)) (SealCheck, error) {
	return s.verifySeals(ctx, nil, progress)
}

// VerifySealsOf is VerifySeals for the sources given only (a report's
// exhibits cite a few sources; re-hashing the whole case is not needed).
func (s *Store) VerifySealsOf(ctx context.Context, sources []int64) (SealCheck, error) {
	only := map[int64]bool{}
	for _, id := range sources {
		only[id] = true
	}
	return s.verifySeals(ctx, only, nil)
}

func (s *Store) verifySeals(ctx context.Context, only map[int64]bool, progress func(done int64)) (SealCheck, error) {
	var out SealCheck
	audit, err := s.sealsFromAudit(ctx)
	if err != nil {
		return out, fmt.Errorf("read seals: %w", err)
	}
	srcs, err := s.Sources(ctx)
	if err != nil {
		return out, err
	}
	for _, src := range srcs {
		if only != nil && !only[src.ID] {
			continue
		}
		sid := model.ItemID{Kind: model.ItemSource, N: src.ID}
		var stored string
		if err := s.r.QueryRowContext(ctx, `SELECT seal FROM sources WHERE id = ?`, src.ID).Scan(&stored); err != nil {
			return out, err
		}
		want, ok := audit[src.ID]
		if !ok {
			if stored != "" {
				out.Findings = append(out.Findings, SealFinding{sid, "carries a seal no import recorded in the audit trail"})
			} else {
				out.Unsealed = append(out.Unsealed, sid)
			}
			continue
		}
		out.Sealed++
		var findings []SealFinding
		note := func(item model.ItemID, format string, a ...any) {
			if len(findings) < maxFindingsPerSource {
				findings = append(findings, SealFinding{item, fmt.Sprintf(format, a...)})
			} else if len(findings) == maxFindingsPerSource {
				findings = append(findings, SealFinding{sid, "more records differ (only the first are named)"})
			}
		}
		if stored != want.seal.Root {
			note(sid, "its seal was edited (the import, audit entry %d, sealed %s…; the source now says %.12s…)", want.seq, want.seal.Root[:12], stored)
		}
		if got := hex.EncodeToString(sourceDigest(src)); got != want.seal.Source {
			note(sid, "its own fields (name, hash, format, counts, title, dates…) were edited since the import (audit entry %d)", want.seq)
		}
		sl := newSealer()
		located := len(findings)
		if err := s.checkSegments(ctx, src.ID, want.seal.Segments, sl, note, &out.Records, progress); err != nil {
			return out, err
		}
		if err := s.checkEvents(ctx, src.ID, want.seal.Events, sl, note, &out.Records, progress); err != nil {
			return out, err
		}
		if err := s.checkRecording(ctx, src.ID, want.seal.Recording, sl, note); err != nil {
			return out, err
		}
		got := sl.seal(src)
		recordsDiffer := !sameRange(got.Segments, want.seal.Segments) || !sameRange(got.Events, want.seal.Events) ||
			got.Recording != want.seal.Recording
		if recordsDiffer && len(findings) == located {
			note(sid, "its records differ from the seal of the import (audit entry %d), though each row's own digest was rewritten to match: run verify --deep to name them", want.seq)
		}
		out.Findings = append(out.Findings, findings...)
	}
	if only == nil || len(only) > 0 {
		more, n, err := s.checkHandSegments(ctx, only)
		if err != nil {
			return out, err
		}
		out.Findings, out.Records = append(out.Findings, more...), out.Records+n
		pf, err := s.checkPairings(ctx, only)
		if err != nil {
			return out, err
		}
		out.Findings = append(out.Findings, pf...)
	}
	return out, nil
}

func sameRange(a, b *SealRange) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

type noteFunc func(item model.ItemID, format string, a ...any)

// rowCheck walks the rows of one kind of record of a source, in id order,
// beside the sealed id range: ids missing from the range were removed, rows
// outside it were added, rows whose digest differs from the one stored at
// import were changed.
type rowCheck struct {
	kind model.ItemKind
	r    *SealRange
	next int64
	note noteFunc
}

func newRowCheck(kind model.ItemKind, r *SealRange, note noteFunc) *rowCheck {
	c := &rowCheck{kind: kind, r: r, note: note}
	if r != nil {
		c.next = r.Lo
	}
	return c
}

func (c *rowCheck) row(id int64, digest, stored []byte) {
	item := model.ItemID{Kind: c.kind, N: id}
	if c.r == nil || id < c.r.Lo || id > c.r.Hi {
		c.note(item, "was added after the import")
		return
	}
	for ; c.next < id; c.next++ {
		c.note(model.ItemID{Kind: c.kind, N: c.next}, "was removed after the import")
	}
	c.next = id + 1
	switch {
	case stored == nil:
		c.note(item, "was replaced after the import (its row carries no seal)")
	case string(stored) != string(digest[:rowSealLen]):
		c.note(item, "was changed after the import (its fields differ from the sealed record)")
	}
}

func (c *rowCheck) finish() {
	if c.r == nil {
		return
	}
	for ; c.next <= c.r.Hi; c.next++ {
		c.note(model.ItemID{Kind: c.kind, N: c.next}, "was removed after the import")
	}
}

// sealBatch is how many rows are read at a time while checking.
const sealBatch = 5000

func (s *Store) checkSegments(ctx context.Context, srcID int64, r *SealRange, sl *sealer, note noteFunc, n *int64, progress func(int64)) error {
	// Hand-typed segments are sealed one by one in their own audit entries
	// (checkHandSegments), not in the import's run.
	return s.walkSealed(ctx, "segments", segCols, " AND by_hand = 0", srcID, newRowCheck(model.ItemSegment, r, note), n, progress,
		func(sc scanner) (int64, []byte, error) {
			g, err := scanSegment(sc)
			if err != nil {
				return 0, nil, err
			}
			d := SegmentDigest(&g)
			sl.addSegment(g.ID, d)
			return g.ID, d, nil
		})
}

func (s *Store) checkEvents(ctx context.Context, srcID int64, r *SealRange, sl *sealer, note noteFunc, n *int64, progress func(int64)) error {
	return s.walkSealed(ctx, "events", evtCols, "", srcID, newRowCheck(model.ItemEvent, r, note), n, progress,
		func(sc scanner) (int64, []byte, error) {
			e, err := scanEvent(sc)
			if err != nil {
				return 0, nil, err
			}
			d := EventDigest(&e)
			sl.addEvent(e.ID, d)
			return e.ID, d, nil
		})
}

// walkSealed reads one kind of record of a source in id order, sealBatch
// rows at a time, hands each to digest (which scans the record's columns and
// returns its id and digest) and checks it against the digest stored on its row.
func (s *Store) walkSealed(ctx context.Context, table, cols, where string, srcID int64, check *rowCheck, n *int64, progress func(int64),
	digest func(sc scanner) (int64, []byte, error)) error {
	after := int64(-1)
	for {
		rows, err := s.r.QueryContext(ctx, `SELECT `+cols+`, seal FROM `+table+` WHERE source_id = ? AND id > ?`+where+` ORDER BY id LIMIT ?`, srcID, after, sealBatch)
		if err != nil {
			return err
		}
		last := after
		for rows.Next() {
			var seal []byte
			id, d, err := digest(sealScanner{rows, &seal})
			if err != nil {
				rows.Close()
				return err
			}
			check.row(id, d, seal)
			last = id
			*n++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if last == after {
			check.finish()
			return nil
		}
		if progress != nil {
			progress(*n)
		}
		after = last
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// sealScanner adds the seal column after the columns a scan function reads.
type sealScanner struct {
	rows *sql.Rows
	seal *[]byte
}

func (s sealScanner) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.seal)...) }

// SourceOptions returns the import options recorded with a source (JSON), or
// "" for a source imported before they were recorded.
func (s *Store) SourceOptions(ctx context.Context, id int64) (string, error) {
	var o string
	if err := s.r.QueryRowContext(ctx, `SELECT options FROM sources WHERE id = ?`, id).Scan(&o); err != nil {
		return "", fmt.Errorf("src-%d: %w", id, err)
	}
	return o, nil
}
