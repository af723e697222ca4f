package casefile_test

import (
	"archive/zip"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/index"
	"casebook/model"
)

const (
	transcriptFixture = "testdata/2022-01-14_sync.txt"
	accessFixture     = "testdata/access.csv"
)

// newCase creates a case in a temp dir and closes it when the test ends.
func newCase(t *testing.T) (*casefile.Case, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "case")
	c, err := casefile.Create(t.Context(), dir, casefile.CreateOptions{Title: "Test case", Investigator: "Tess Tester"})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c, dir
}

func importOK(t *testing.T, c *casefile.Case, opts casefile.ImportOptions, paths ...string) []casefile.ImportResult {
	t.Helper()
	res, err := c.Import(t.Context(), paths, opts, nil)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("import %s: %v", r.File, r.Err)
		}
	}
	return res
}

// countLines counts the lines of a file that start a record: speaker lines
// for the transcript, data rows for the CSV.
func countLines(t *testing.T, path string, pred func(string) bool) int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, l := range strings.Split(string(b), "\n") {
		if pred(l) {
			n++
		}
	}
	return n
}

func isSpeakerLine(l string) bool { return l != "" && l[0] != ' ' && strings.Contains(l, ": ") }
func isDataRow(l string) bool     { return strings.HasPrefix(l, "20") }

func TestImportStoresOriginalsRecordsAndMakesThemSearchable(t *testing.T) {
	c, dir := newCase(t)
	res := importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	if len(res) != 2 {
		t.Fatalf("got %d results, want 2", len(res))
	}
	wantSegs := countLines(t, transcriptFixture, isSpeakerLine)
	wantEvts := countLines(t, accessFixture, isDataRow)
	if res[0].Format != "plain-transcript" || res[0].Records != wantSegs {
		t.Errorf("transcript: format %s records %d, want plain-transcript %d", res[0].Format, res[0].Records, wantSegs)
	}
	if res[1].Format != "csv-accesslog" || res[1].Records != wantEvts {
		t.Errorf("access log: format %s records %d, want csv-accesslog %d", res[1].Format, res[1].Records, wantEvts)
	}
	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		orig := c.OriginalPath(s)
		b, err := os.ReadFile(orig)
		if err != nil {
			t.Fatalf("original of %s: %v", s.Name, err)
		}
		want, _ := os.ReadFile(filepath.Join("testdata", s.Name))
		if string(b) != string(want) {
			t.Errorf("original of %s differs from the file imported", s.Name)
		}
		if !strings.HasPrefix(orig, dir) {
			t.Errorf("original %s is outside the case %s", orig, dir)
		}
		if st, _ := os.Stat(orig); st.Mode().Perm()&0o222 != 0 {
			t.Errorf("original %s is writable: %v", orig, st.Mode())
		}
	}
	all, err := c.Search(t.Context(), casefile.Query{Text: "", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != uint64(wantSegs+wantEvts) {
		t.Errorf("index holds %d items, want %d", all.Total, wantSegs+wantEvts)
	}
	hits, err := c.Search(t.Context(), casefile.Query{Text: `"master admin"`})
	if err != nil {
		t.Fatal(err)
	}
	if hits.Total != 2 {
		t.Fatalf(`"master admin": %d hits, want 2`, hits.Total)
	}
	for _, h := range hits.Hits {
		if h.Kind != "segment" || !strings.Contains(strings.ToLower(h.Text), "master admin") || !strings.Contains(h.Snippet, "«") {
			t.Errorf("hit %+v does not show the match", h)
		}
	}
	evts, err := c.Search(t.Context(), casefile.Query{Text: "country:CN"})
	if err != nil {
		t.Fatal(err)
	}
	if want := countLines(t, accessFixture, func(l string) bool { return strings.Contains(l, ",CN,") && isDataRow(l) }); evts.Total != uint64(want) {
		t.Errorf("country:CN: %d hits, want %d", evts.Total, want)
	}
}

func TestSegmentsKeepTheirPlaceInTheOriginal(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture)
	srcs, _ := c.Sources(t.Context())
	segs, err := c.Segments(t.Context(), srcs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile(c.OriginalPath(srcs[0]))
	for _, s := range segs {
		at := string(orig[s.Offset:])
		if !strings.HasPrefix(at, s.Speaker+":") {
			t.Errorf("segment %d: offset %d points at %q, not at its speaker %q", s.Seq, s.Offset, at[:min(20, len(at))], s.Speaker)
		}
		line := strings.Count(string(orig[:s.Offset]), "\n") + 1
		if line != s.Line {
			t.Errorf("segment %d: line %d, but offset %d is on line %d", s.Seq, s.Line, s.Offset, line)
		}
	}
	if got := segs[4].Text; !strings.HasSuffix(got, "checked against the logs.") {
		t.Errorf("continuation line not joined: %q", got)
	}
}

func TestImportingTheSameFileTwiceIsRefusedNamingTheExistingSource(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, accessFixture)
	copyPath := filepath.Join(t.TempDir(), "renamed.csv")
	b, _ := os.ReadFile(accessFixture)
	os.WriteFile(copyPath, b, 0o600)
	res, err := c.Import(t.Context(), []string{copyPath}, casefile.ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err == nil || !errors.Is(res[0].Err, model.ErrDuplicate) || !strings.Contains(res[0].Err.Error(), "src-1 (access.csv") {
		t.Fatalf("duplicate import: err = %v, want a duplicate error naming src-1 (access.csv)", res[0].Err)
	}
	srcs, _ := c.Sources(t.Context())
	if len(srcs) != 1 {
		t.Errorf("case has %d sources after a refused duplicate, want 1", len(srcs))
	}
}

// snapshot is what must not change when an import fails.
type snapshot struct {
	sources, segs, evts int
	originals           int
	audit               int
}

func snap(t *testing.T, c *casefile.Case, dir string) snapshot {
	t.Helper()
	info, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	trail, _ := c.AuditTrail(t.Context())
	n := 0
	filepath.WalkDir(filepath.Join(dir, "originals"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return snapshot{info.Sources, int(info.Segments), int(info.Events), n, len(trail)}
}

func TestBadInputGetsAOneLineErrorNamingTheFileAndLeavesTheCaseUnchanged(t *testing.T) {
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture)
	before := snap(t, c, dir)
	tmp := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	emptyDir := filepath.Join(tmp, "nothing-here")
	os.Mkdir(emptyDir, 0o700)
	longLine := "Mia Chen: " + strings.Repeat("x", 5000) + "\n"
	badRow := "timestamp,employee_id,office_country,resource\n2022-01-01T00:00:00Z,E1,US,a\n2022-01-01T00:00:00Z,\"E2,US,b\n"
	// The system's own words for a missing file ("no such file or directory" on
	// Unix, "The system cannot find the file specified." on Windows).
	_, missing := os.Stat(filepath.Join(tmp, "no-such.txt"))
	cases := []struct {
		name    string
		path    string
		opts    casefile.ImportOptions
		wantErr []string
	}{
		{"missing file", filepath.Join(tmp, "no-such.txt"), casefile.ImportOptions{}, []string{"no-such.txt", errors.Unwrap(missing).Error()}},
		{"folder of nothing importable", emptyDir, casefile.ImportOptions{}, []string{"nothing-here", "no files"}},
		{"empty file", write("empty.txt", nil), casefile.ImportOptions{}, []string{"empty.txt", "empty"}},
		{"binary file", write("photo.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01")), casefile.ImportOptions{}, []string{"photo.jpg", "binary"}},
		{"line over the limit", write("2022-02-02_long.txt", []byte("Wei Zhang: hello there\n"+longLine)), casefile.ImportOptions{MaxLine: 1024}, []string{"2022-02-02_long.txt:2", "limit"}},
		{"text that is no transcript", write("notes.txt", []byte("just some words\nwithout any speakers at all\n")), casefile.ImportOptions{}, []string{"notes.txt"}},
		{"csv with an unterminated quote, strict", write("broken.csv", []byte(badRow)), casefile.ImportOptions{Strict: true}, []string{"broken.csv:3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Import(t.Context(), []string{tc.path}, tc.opts, nil)
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if len(res) != 1 || res[0].Err == nil {
				t.Fatalf("import %s: no error (%+v)", tc.path, res)
			}
			msg := res[0].Err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
			if after := snap(t, c, dir); after != before {
				t.Errorf("case changed: before %+v, after %+v", before, after)
			}
		})
	}
}

func TestAFolderThatIsNotACaseIsRefused(t *testing.T) {
	_, err := casefile.Open(t.Context(), t.TempDir(), nil)
	if !errors.Is(err, model.ErrNotCase) {
		t.Fatalf("open a plain folder: %v, want ErrNotCase", err)
	}
}

func TestASecondOpenOfTheSameCaseFailsAtOnceNamingThePid(t *testing.T) {
	_, dir := newCase(t)
	_, err := casefile.Open(t.Context(), dir, nil)
	if !errors.Is(err, model.ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "pid "+itoa(os.Getpid())) {
		t.Errorf("lock error %q does not name this pid", err)
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func reopen(t *testing.T, c *casefile.Case, dir string) *casefile.Case {
	t.Helper()
	if err := c.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	c2, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { c2.Close() })
	return c2
}

func verifyProblems(t *testing.T, c *casefile.Case) []string {
	t.Helper()
	rep, err := c.Verify(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK != (len(rep.Problems) == 0) {
		t.Errorf("verify: OK=%v with problems %v", rep.OK, rep.Problems)
	}
	return rep.Problems
}

func TestVerifyPassesOnAnIntactCaseAndNamesAlteredOrMissingOriginals(t *testing.T) {
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	if p := verifyProblems(t, c); len(p) != 0 {
		t.Fatalf("intact case: %v", p)
	}
	srcs, _ := c.Sources(t.Context())
	altered, missing := c.OriginalPath(srcs[0]), c.OriginalPath(srcs[1])
	os.Chmod(altered, 0o600)
	b, _ := os.ReadFile(altered)
	b[10] ^= 0x20
	os.WriteFile(altered, b, 0o600)
	os.Remove(missing)
	c = reopen(t, c, dir)
	p := strings.Join(verifyProblems(t, c), "\n")
	if !strings.Contains(p, "src-1 ("+srcs[0].Name+"): original was altered") {
		t.Errorf("altered original not named: %s", p)
	}
	if !strings.Contains(p, "src-2 ("+srcs[1].Name+"): original is missing") {
		t.Errorf("missing original not named: %s", p)
	}
}

func TestVerifyCatchesAHandEditedAuditTrail(t *testing.T) {
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	c.Close()
	db, err := sql.Open("sqlite3", filepath.Join(dir, "case.db"))
	if err != nil {
		t.Fatal(err)
	}
	// The trail refuses edits through SQL; a hand editor has to drop the guard first.
	if _, err := db.Exec(`UPDATE audit SET actor = 'Someone Else' WHERE seq = 2`); err == nil {
		t.Fatal("the audit trail accepted an UPDATE")
	}
	for _, q := range []string{`DROP TRIGGER audit_no_update`, `UPDATE audit SET actor = 'Someone Else' WHERE seq = 2`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	c2, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	p := strings.Join(verifyProblems(t, c2), "\n")
	if !strings.Contains(p, "audit trail: entry 2") || !strings.Contains(p, "altered") {
		t.Errorf("edited audit entry not named: %q", p)
	}
}

func TestVerifyCatchesAuditEntriesDeletedFromTheEnd(t *testing.T) {
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	c.Close()
	db, _ := sql.Open("sqlite3", filepath.Join(dir, "case.db"))
	for _, q := range []string{`DROP TRIGGER audit_no_delete`, `DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	c2, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if p := strings.Join(verifyProblems(t, c2), "\n"); !strings.Contains(p, "removed") {
		t.Errorf("truncated audit trail not noticed: %q", p)
	}
}

// TestVerifyNamesADamagedDatabasePageBesideTheSeals: the database's
// structure is checked while the records are checked against their seals
// (on another connection); a damaged page of an index is still reported, and
// the records are still all checked.
func TestVerifyNamesADamagedDatabasePageBesideTheSeals(t *testing.T) {
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	intact, err := c.Verify(t.Context(), nil)
	if err != nil || !intact.OK {
		t.Fatalf("intact case: %v, %v", intact.Problems, err)
	}
	c.Close()
	path := filepath.Join(dir, "case.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = 'events_country'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// The first byte of a b-tree page is its type; 0 is none of them.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{0}, (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
	f.Close()
	c2, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	rep, err := c2.Verify(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var damaged []string
	for _, p := range rep.Problems {
		if strings.HasPrefix(p, "database: ") {
			damaged = append(damaged, p)
		}
	}
	if rep.OK || len(damaged) == 0 {
		t.Errorf("a damaged index page was not reported: OK=%v, problems %q", rep.OK, rep.Problems)
	}
	if len(damaged) != len(rep.Problems) {
		t.Errorf("problems beyond the damaged page: %q", rep.Problems)
	}
	if rep.Records != intact.Records || rep.Sealed != intact.Sealed {
		t.Errorf("records checked against their seals: %d of %d sources, want %d of %d", rep.Records, rep.Sealed, intact.Records, intact.Sealed)
	}
}

func searchTotal(t *testing.T, c *casefile.Case) uint64 {
	t.Helper()
	r, err := c.Search(t.Context(), casefile.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return r.Total
}

func TestAMissingOrCorruptIndexIsRebuiltOnOpen(t *testing.T) {
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	want := searchTotal(t, c)
	c.Close()
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	c = reopen2(t, dir)
	if got := searchTotal(t, c); got != want {
		t.Errorf("after deleting the index: %d items, want %d", got, want)
	}
	c.Close()
	// Corrupt: overwrite every file of the index with garbage.
	filepath.WalkDir(filepath.Join(dir, "index"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.WriteFile(p, []byte("garbage"), 0o600)
		}
		return nil
	})
	c = reopen2(t, dir)
	if got := searchTotal(t, c); got != want {
		t.Errorf("after corrupting the index: %d items, want %d", got, want)
	}
	if p := verifyProblems(t, c); len(p) != 0 {
		t.Errorf("verify after rebuild: %v", p)
	}
}

func reopen2(t *testing.T, dir string) *casefile.Case {
	t.Helper()
	c, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestAnIndexBehindTheOutboxCatchesUpOnOpen(t *testing.T) {
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	want := searchTotal(t, c)
	c.Close()
	// Roll the index's position back as if it had crashed before applying anything.
	ix, err := index.Open(filepath.Join(dir, "index"), caseID(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(context.Background(), nil, nil, index.Position{}); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	var stages []string
	c2, err := casefile.Open(t.Context(), dir, func(p casefile.Progress) { stages = append(stages, p.Stage) })
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if len(stages) == 0 || stages[0] != "index" {
		t.Errorf("open did not catch up (progress stages %v)", stages)
	}
	if got := searchTotal(t, c2); got != want {
		t.Errorf("after catch-up: %d items, want %d", got, want)
	}
	if p := verifyProblems(t, c2); len(p) != 0 {
		t.Errorf("verify after catch-up: %v", p)
	}
}

func caseID(t *testing.T, dir string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "case.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id string
	if err := db.QueryRow(`SELECT value FROM meta WHERE key = 'case_id'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestACaseFolderCopiedElsewhereStillOpens(t *testing.T) {
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	want := searchTotal(t, c)
	c.Close()
	moved := filepath.Join(t.TempDir(), "moved case ünïcode")
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	c2 := reopen2(t, moved)
	if got := searchTotal(t, c2); got != want {
		t.Errorf("moved case: %d items, want %d", got, want)
	}
	if p := verifyProblems(t, c2); len(p) != 0 {
		t.Errorf("verify moved case: %v", p)
	}
}

func writeZip(t *testing.T, files map[string]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "leak.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[n]))
	}
	zw.Close()
	f.Close()
	return p
}

func TestAZipImportsEachEntryAsItsOwnSource(t *testing.T) {
	c, _ := newCase(t)
	tr, _ := os.ReadFile(transcriptFixture)
	lg, _ := os.ReadFile(accessFixture)
	z := writeZip(t, map[string]string{"meetings/2022-01-14_sync.txt": string(tr), "logs/access.csv": string(lg), "__MACOSX/._junk": "x"})
	res := importOK(t, c, casefile.ImportOptions{}, z)
	if len(res) != 2 {
		t.Fatalf("%d results, want one per entry: %+v", len(res), res)
	}
	srcs, _ := c.Sources(t.Context())
	names := []string{srcs[0].Name, srcs[1].Name}
	sort.Strings(names)
	if names[0] != "logs/access.csv" || names[1] != "meetings/2022-01-14_sync.txt" {
		t.Errorf("sources named %v", names)
	}
	for _, s := range srcs {
		if s.Name == "meetings/2022-01-14_sync.txt" && s.Describes != "2022-01-14" {
			t.Errorf("date from the entry name: %q", s.Describes)
		}
	}
}

func TestAZipWithAnEscapingPathIsRefusedWhole(t *testing.T) {
	c, dir := newCase(t)
	before := snap(t, c, dir)
	tr, _ := os.ReadFile(transcriptFixture)
	z := writeZip(t, map[string]string{"ok.txt": string(tr), "../../evil.txt": string(tr)})
	res, err := c.Import(t.Context(), []string{z}, casefile.ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "evil.txt") {
		t.Fatalf("escaping zip: %+v", res)
	}
	if after := snap(t, c, dir); after != before {
		t.Errorf("case changed: %+v -> %+v", before, after)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "evil.txt")); err == nil {
		t.Error("an entry was written outside the case")
	}
}
