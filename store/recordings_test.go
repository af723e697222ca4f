package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/model"
	"casebook/store"
)

// importRecording stores a recording source with its metadata.
func importRecording(t *testing.T, s *store.Store, sha string) model.Source {
	t.Helper()
	ctx := t.Context()
	im, err := s.BeginImport(ctx, model.Source{SHA256: sha, Size: 100, Name: "meeting.wav", Kind: model.KindRecording,
		Format: "wav", Importer: "casebook/recording@1", ImportedAt: time.Now(), Investigator: "Tess"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := im.SetRecording(ctx, model.Recording{Format: "wav", SampleRate: 16000, Channels: 1, DurationMS: 4200}); err != nil {
		t.Fatal(err)
	}
	got, err := im.Commit(ctx, model.Source{})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestRecordingsPairingsAndHandSegmentsAreStoredAndSealed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "case.db")
	s := open(t, path)
	ctx := t.Context()
	im, err := s.BeginImport(ctx, src(strings.Repeat("a", 64)), "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		if err := im.AddSegment(ctx, &model.Segment{Seq: i, StartMS: int64(i) * 1000, EndMS: int64(i)*1000 + 900, Text: "words", Line: i}); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := im.Commit(ctx, model.Source{})
	if err != nil {
		t.Fatal(err)
	}
	rec := importRecording(t, s, strings.Repeat("b", 64))
	if rec.Kind != model.KindRecording || rec.Records != 0 {
		t.Fatalf("recording source %+v", rec)
	}
	r, err := s.Recording(ctx, rec.ID)
	if err != nil || r.SampleRate != 16000 || r.DurationMS != 4200 || r.SourceID != rec.ID {
		t.Fatalf("recording %+v, %v", r, err)
	}
	if _, err := s.Recording(ctx, tr.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("a transcript as recording: %v", err)
	}
	if err := s.Pair(ctx, "Tess", model.Pairing{TranscriptID: tr.ID, RecordingID: rec.ID, OffsetMS: 1200, How: model.PairedByName}); err != nil {
		t.Fatal(err)
	}
	if err := s.Pair(ctx, "Tess", model.Pairing{TranscriptID: tr.ID, RecordingID: rec.ID, OffsetMS: 12300, How: model.PairedByHand}); err != nil {
		t.Fatal(err)
	}
	p, err := s.Pairing(ctx, tr.ID)
	if err != nil || p.OffsetMS != 12300 || p.How != model.PairedByHand {
		t.Fatalf("pairing %+v, %v", p, err)
	}
	g, err := s.AddHandSegment(ctx, "Tess", model.Segment{SourceID: rec.ID, StartMS: 500, EndMS: 2500, Speaker: "Ann", Text: "standing access"})
	if err != nil {
		t.Fatal(err)
	}
	back, err := s.Segment(ctx, g.ID)
	if err != nil || !back.ByHand || back.TypedBy != "Tess" || !back.TypedAt.Equal(g.TypedAt) || back.Seq != 1 {
		t.Fatalf("hand segment read back %+v, %v", back, err)
	}
	check, err := s.VerifySeals(ctx, nil)
	if err != nil || len(check.Findings) != 0 || check.Sealed != 2 {
		t.Fatalf("clean case: %+v, %v", check, err)
	}
	counts, _ := s.RecordCounts(ctx)
	if counts[rec.ID] != 0 {
		t.Fatalf("a hand segment counted as an imported record: %v", counts)
	}
	s.Close()

	// Edits made in case.db behind Casebook's back are named.
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`UPDATE segments SET text = 'no access' WHERE by_hand = 1`,
		`UPDATE pairings SET offset_ms = 0`,
		`UPDATE recordings SET duration_ms = 9000`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	s2 := open(t, path)
	check, err = s2.VerifySeals(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, f := range check.Findings {
		all = append(all, f.Item.String()+": "+f.Problem)
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{
		fmt.Sprintf("seg-%d:", g.ID) + " was changed after it was typed by hand",
		fmt.Sprintf("src-%d:", tr.ID) + " is paired with src-2+0ms, but audit entry",
		fmt.Sprintf("src-%d:", rec.ID) + " its recording's format, rate, channels or length were edited",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("findings lack %q:\n%s", want, text)
		}
	}
}
