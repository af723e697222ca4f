package casefile_test

import (
	"database/sql"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/model"
	"casebook/store"
)

// sealedCase is a closed case holding a transcript (src-1) and an access log
// (src-2), imported through the real pipeline.
func sealedCase(t *testing.T) string {
	t.Helper()
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// tamper runs SQL on a closed case's database, as someone with the file and
// sqlite3 would.
func tamper(t *testing.T, dir string, queries ...string) {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(dir, "case.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range queries {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func verifyWith(t *testing.T, dir string, opts casefile.VerifyOptions) casefile.VerifyReport {
	t.Helper()
	c := reopen2(t, dir)
	defer c.Close()
	rep, err := c.VerifyWith(t.Context(), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK != (len(rep.Problems) == 0) {
		t.Errorf("verify: OK=%v with problems %v", rep.OK, rep.Problems)
	}
	return rep
}

func TestEveryImportedRecordIsSealedAndAnUntouchedCaseVerifiesClean(t *testing.T) {
	dir := sealedCase(t)
	rep := verifyWith(t, dir, casefile.VerifyOptions{Deep: true})
	if !rep.OK {
		t.Fatalf("untouched case: %v", rep.Problems)
	}
	c := reopen2(t, dir)
	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var records int64
	for _, s := range srcs {
		records += s.Records
	}
	if rep.Sealed != len(srcs) || rep.Records != records || len(rep.Unsealed) != 0 {
		t.Errorf("sealed %d of %d sources, %d of %d records, unsealed %v", rep.Sealed, len(srcs), rep.Records, records, rep.Unsealed)
	}
	if rep.Deep == nil || rep.Deep.Records != records || rep.Deep.Sources != len(srcs) || len(rep.Deep.Notes) != 0 || rep.Deep.Indexed != records {
		t.Errorf("deep: %+v, want %d records of %d sources compared, as many index documents, and no notes", rep.Deep, records, len(srcs))
	}
}

// An index whose content drifted from the records, with the same number of
// documents and in step with the outbox, passes the plain verify's checks;
// --deep names each item. The edits are to what the index reads besides the
// sealed records (a note, an event's roster context), made with SQL so that
// nothing tells the index.
func TestDeepVerifyNamesItemsWhoseIndexedContentDrifted(t *testing.T) {
	dir := sealedCase(t)
	tamper(t, dir,
		`INSERT INTO notes (item, text, at) VALUES ('seg-3', 'written behind the index''s back', '2026-12-05T00:00:00Z')`,
		`UPDATE events SET person = 'Somebody Else' WHERE id = 2`)
	if rep := verifyWith(t, dir, casefile.VerifyOptions{}); !rep.OK {
		t.Fatalf("plain verify should not see the index's content: %v", rep.Problems)
	}
	rep := verifyWith(t, dir, casefile.VerifyOptions{Deep: true})
	var named []string
	for _, p := range rep.Problems {
		if item, what, _ := strings.Cut(p, ": "); strings.Contains(what, "the index holds content") {
			named = append(named, item)
		}
	}
	if strings.Join(named, " ") != "seg-3 evt-2" {
		t.Errorf("--deep named %v in the index, want seg-3 and evt-2; problems: %v", named, rep.Problems)
	}
	c := reopen2(t, dir)
	if err := c.Reindex(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if rep := verifyWith(t, dir, casefile.VerifyOptions{Deep: true}); !rep.OK {
		t.Errorf("after reindex: %v", rep.Problems)
	}
}

func TestLegitimateWorkAfterImportLeavesTheSealsIntact(t *testing.T) {
	dir := sealedCase(t)
	c := reopen2(t, dir)
	ctx := t.Context()
	if err := c.MergeSpeaker(ctx, "Wei Zhang", "Zhang Wei"); err != nil {
		t.Fatal(err)
	}
	seg := model.ItemID{Kind: model.ItemSegment, N: 2}
	if _, err := c.Tag(ctx, seg, "admission", casefile.TagOptions{Note: "standing access", Quote: "4:20"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddNote(ctx, model.ItemID{Kind: model.ItemEvent, N: 1}, "Beijing office, no approval", false); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if rep := verifyWith(t, dir, casefile.VerifyOptions{Deep: true}); !rep.OK {
		t.Errorf("after merges, tags and notes: %v", rep.Problems)
	}
}

func TestVerifyNamesEachKindOfEditToTheRecords(t *testing.T) {
	for _, tc := range []struct {
		name string
		sql  []string
		want []string // each must appear in the problems
	}{
		{"an event's country changed", []string{`UPDATE events SET country = 'US' WHERE id = 1`},
			[]string{"evt-1: was changed after the import"}},
		{"a segment's words rewritten", []string{`UPDATE segments SET text = 'nothing to see here' WHERE id = 3`},
			[]string{"seg-3: was changed after the import"}},
		{"an event deleted", []string{`DELETE FROM events WHERE id = 2`},
			[]string{"evt-2: was removed after the import"}},
		{"a segment inserted", []string{`INSERT INTO segments (id, source_id, seq, speaker, text, line, offset) VALUES (900, 1, 900, 'Mia Chen', 'An invented line.', 1, 0)`},
			[]string{"seg-900: was added after the import"}},
		{"two events' contents swapped", []string{
			`UPDATE events SET id = -1 WHERE id = 1`, `UPDATE events SET id = 1 WHERE id = 2`, `UPDATE events SET id = 2 WHERE id = -1`},
			[]string{"evt-1: was changed", "evt-2: was changed"}},
		{"the source's seal edited", []string{`UPDATE sources SET seal = '00' || substr(seal, 3) WHERE id = 2`},
			[]string{"src-2: its seal was edited"}},
		{"a source's title edited", []string{`UPDATE sources SET title = 'Routine sync' WHERE id = 1`},
			[]string{"src-1: its own fields"}},
		{"the audit entry holding the seal edited", []string{`DROP TRIGGER audit_no_update`,
			`UPDATE audit SET detail = replace(detail, '"records":', '"records": ') WHERE action = 'import' AND detail LIKE '%src-2%'`},
			[]string{"audit trail: entry", "altered"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := sealedCase(t)
			tamper(t, dir, tc.sql...)
			rep := verifyWith(t, dir, casefile.VerifyOptions{})
			p := strings.Join(rep.Problems, "\n")
			for _, w := range tc.want {
				if !strings.Contains(p, w) {
					t.Errorf("verify did not say %q:\n%s", w, p)
				}
			}
			if rep.OK {
				t.Errorf("verify passed a tampered case")
			}
		})
	}
}

func TestDeepVerifyNamesTheFieldWhenTheRowDigestWasForgedToo(t *testing.T) {
	dir := sealedCase(t)
	c := reopen2(t, dir)
	segs, err := c.Segments(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	// Forge: change the words and store the row digest the new words hash to.
	forged := segs[2]
	forged.Text = "nothing to see here"
	d := hex.EncodeToString(store.SegmentDigest(&forged)[:16])
	tamper(t, dir, `UPDATE segments SET text = 'nothing to see here', seal = x'`+d+`' WHERE id = 3`)
	quick := verifyWith(t, dir, casefile.VerifyOptions{})
	if !strings.Contains(strings.Join(quick.Problems, "\n"), "src-1: its records differ from the seal") {
		t.Errorf("a forged row digest went unnoticed: %v", quick.Problems)
	}
	deep := verifyWith(t, dir, casefile.VerifyOptions{Deep: true})
	p := strings.Join(deep.Problems, "\n")
	if !strings.Contains(p, `seg-3: text is "nothing to see here" in the case`) {
		t.Errorf("--deep did not name the field: %s", p)
	}
}

func TestDeepVerifyNotesEnrichmentFromTablesLoadedAfterTheImport(t *testing.T) {
	dir := sealedCase(t)
	c := reopen2(t, dir)
	ranges := writeFile(t, "ranges.csv", "first,last,country\n203.0.113.0,203.0.113.255,CN\n198.51.100.0,198.51.100.255,US\n192.0.2.0,192.0.2.255,SG\n")
	if _, err := c.ImportIPRanges(t.Context(), ranges); err != nil {
		t.Fatal(err)
	}
	c.Close()
	rep := verifyWith(t, dir, casefile.VerifyOptions{Deep: true})
	if !rep.OK || rep.Deep == nil || len(rep.Deep.Notes) != 1 || !strings.Contains(rep.Deep.Notes[0], "today's tables") {
		t.Errorf("ok=%v problems=%v deep=%+v", rep.OK, rep.Problems, rep.Deep)
	}
}
