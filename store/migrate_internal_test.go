package store

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/model"
)

// A case made before recordings (schema 8) keeps every source, record,
// reference and seal through migration 9, which rebuilds the sources table,
// and the writer has its foreign keys on again afterwards.
func TestMigration9RebuildsSourcesKeepingRowsReferencesAndSeals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "case.db")
	ctx := t.Context()
	migrationLimit = 8
	old, err := Open(ctx, path)
	migrationLimit = 0
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := old.SchemaVersion(ctx); v != 8 {
		t.Fatalf("made at schema %d", v)
	}
	im, err := old.BeginImport(ctx, model.Source{SHA256: strings.Repeat("c", 64), Size: 10, Name: "sync.txt", Kind: model.KindTranscript,
		Format: "plain-transcript", Importer: "casebook/plain-transcript@1", ImportedAt: time.Now(), Investigator: "Tess"}, `{"format":"plain-transcript"}`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if err := im.AddSegment(ctx, &model.Segment{Seq: i, StartMS: -1, EndMS: -1, Speaker: "Mia Chen", Text: "words", Line: i}); err != nil {
			t.Fatal(err)
		}
	}
	before, err := im.Commit(ctx, model.Source{Title: "Sync"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.w.ExecContext(ctx, `INSERT INTO sources (sha256, size, name, kind, format, importer, imported_at) VALUES ('x', 1, 'r.wav', 'recording', 'wav', 'i', 'now')`); err == nil {
		t.Fatal("schema 8 took a recording")
	}
	old.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v < 9 {
		t.Fatalf("schema %d after migrating", v)
	}
	after, err := s.Source(ctx, before.ID)
	if err != nil || after.Name != before.Name || after.Title != "Sync" || after.Records != 3 || !after.ImportedAt.Equal(before.ImportedAt) {
		t.Fatalf("source after migrating %+v (%v), before %+v", after, err, before)
	}
	if o, _ := s.SourceOptions(ctx, before.ID); o != `{"format":"plain-transcript"}` {
		t.Fatalf("options after migrating %q", o)
	}
	check, err := s.VerifySeals(ctx, nil)
	if err != nil || check.Sealed != 1 || len(check.Findings) != 0 || check.Records != 3 {
		t.Fatalf("seals after migrating %+v, %v", check, err)
	}
	var fk int
	if err := s.w.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign keys after migrating: %d, %v", fk, err)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO segments (source_id, seq, text, line, offset) VALUES (999, 1, 'x', 1, 0)`); err == nil {
		t.Fatal("a segment of no source was stored: foreign keys are off")
	}
	rows, err := s.w.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Fatal("a reference does not resolve after migrating")
	}
	rows.Close()
}
