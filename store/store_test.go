package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/model"
	"casebook/store"
)

func open(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMigrationsAreRecordedAndAppliedOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "case.db")
	s := open(t, path)
	v1, err := s.SchemaVersion(t.Context())
	if err != nil || v1 < 1 {
		t.Fatalf("schema version %d, %v", v1, err)
	}
	s.Close()
	s2 := open(t, path) // a second open must not re-run (and fail on) CREATE TABLE
	v2, err := s2.SchemaVersion(t.Context())
	if err != nil || v2 != v1 {
		t.Fatalf("schema version after reopen %d (%v), want %d", v2, err, v1)
	}
}

func src(sha string) model.Source {
	return model.Source{SHA256: sha, Size: 10, Name: "f.txt", Kind: model.KindTranscript, Format: "plain-transcript",
		Importer: "casebook/plain-transcript@1", ImportedAt: time.Now(), Investigator: "Tess"}
}

func TestAnImportThatIsRolledBackLeavesNothing(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "case.db"))
	ctx := t.Context()
	im, err := s.BeginImport(ctx, src(strings.Repeat("a", 64)), "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if err := im.AddSegment(ctx, &model.Segment{Seq: i, StartMS: -1, EndMS: -1, Text: "words", Line: i}); err != nil {
			t.Fatal(err)
		}
	}
	im.Rollback()
	segs, evts, _ := s.Counts(ctx)
	srcs, _ := s.Sources(ctx)
	head, _ := s.OutboxHead(ctx)
	trail, _ := s.AuditTrail(ctx)
	if segs != 0 || evts != 0 || len(srcs) != 0 || head != 0 || len(trail) != 0 {
		t.Errorf("after rollback: %d segments, %d events, %d sources, outbox %d, audit %d", segs, evts, len(srcs), head, len(trail))
	}
}

func TestACommittedImportQueuesItsRecordsAndIsAudited(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "case.db"))
	ctx := t.Context()
	im, err := s.BeginImport(ctx, src(strings.Repeat("b", 64)), "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if err := im.AddSegment(ctx, &model.Segment{Seq: i, StartMS: int64(i * 1000), EndMS: -1, Speaker: "Mia Chen", Text: "words", Line: i}); err != nil {
			t.Fatal(err)
		}
	}
	saved, err := im.Commit(ctx, model.Source{Encoding: "utf-8", Warnings: []string{"line 2: odd"}})
	if err != nil {
		t.Fatal(err)
	}
	if saved.Records != 5 || saved.Encoding != "utf-8" {
		t.Errorf("saved source %+v", saved)
	}
	entries, err := s.OutboxAfter(ctx, 0)
	if err != nil || len(entries) != 1 || entries[0].Kind != "seg" || entries[0].Hi-entries[0].Lo != 4 {
		t.Errorf("outbox %+v (%v), want one seg entry over 5 ids", entries, err)
	}
	trail, _ := s.AuditTrail(ctx)
	if len(trail) != 1 || trail[0].Action != "import" || trail[0].Actor != "Tess" {
		t.Errorf("audit trail %+v", trail)
	}
	if _, err := s.BeginImport(ctx, src(strings.Repeat("b", 64)), ""); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("same SHA-256 again: %v, want ErrDuplicate", err)
	}
	seg, err := s.Segment(ctx, entries[0].Lo)
	if err != nil || seg.StartMS != 1000 || seg.EndMS != -1 || seg.Speaker != "Mia Chen" {
		t.Errorf("segment read back %+v (%v)", seg, err)
	}
}

func TestTheAuditChainVerifiesAndRefusesEdits(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "case.db"))
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		if err := s.Audit(ctx, "Tess", "note", map[string]int{"n": i}); err != nil {
			t.Fatal(err)
		}
	}
	if p, err := s.VerifyAudit(ctx); err != nil || len(p) != 0 {
		t.Fatalf("intact chain: %v %v", p, err)
	}
	trail, _ := s.AuditTrail(ctx)
	for i, e := range trail {
		if i > 0 && e.PrevHash != trail[i-1].Hash {
			t.Errorf("entry %d does not link to entry %d", e.Seq, trail[i-1].Seq)
		}
	}
}
