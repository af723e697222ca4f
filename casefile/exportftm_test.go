package casefile_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"casebook/bench/gen"
	"casebook/casefile"
	"casebook/internal/ftmcheck"
	"casebook/model"
)

// loadFtmModel loads the vendored FtM model (testdata/ftm, see SOURCES.md).
func loadFtmModel(t testing.TB) *ftmcheck.Model {
	t.Helper()
	m, err := ftmcheck.Load(filepath.Join("..", "testdata", "ftm", "defaultModel.json"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// exportAll exports the whole case as FtM and returns the bytes.
func exportAll(t testing.TB, c *casefile.Case) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := c.Export(t.Context(), &buf, casefile.ExportOptions{Format: casefile.ExportFtM, What: "all"})
	if err != nil {
		t.Fatalf("export --what all: %v", err)
	}
	if lines := bytes.Count(buf.Bytes(), []byte("\n")); lines != n {
		t.Fatalf("export said %d entities, wrote %d lines", n, lines)
	}
	return buf.Bytes()
}

type ftmLine struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

// entities parses an export into its entities by id, and their lines.
func entities(t testing.TB, b []byte) (map[string]ftmLine, map[string]string) {
	t.Helper()
	byID, lines := map[string]ftmLine{}, map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e ftmLine
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		byID[e.ID], lines[e.ID] = e, sc.Text()
	}
	return byID, lines
}

// checkAgainstModel fails the test for every line the FtM model rejects.
func checkAgainstModel(t testing.TB, m *ftmcheck.Model, b []byte) ftmcheck.Result {
	t.Helper()
	got := m.Check(bytes.NewReader(b))
	for _, p := range got.Problems {
		t.Error(p)
	}
	return got
}

// TestFtMWholeDemoCase exports the demo case whole and checks every line
// against the FtM model, and that the whole case is there: a Document or
// Table per source, an Event per event, the roster's people with offices and
// employers, accounts with addresses, and the statements as Notes.
func TestFtMWholeDemoCase(t *testing.T) {
	c := demoCase(t)
	m := loadFtmModel(t)
	b := exportAll(t, c)
	got := checkAgainstModel(t, m, b)
	info, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var transcripts, logs, recordings int
	for _, s := range srcs {
		switch s.Kind {
		case model.KindAccessLog:
			logs++
		case model.KindRecording:
			recordings++
		default:
			transcripts++
		}
	}
	t.Logf("demo: %d entities %v", got.Entities, got.Schemata)
	if got.Schemata["Event"] != int(info.Events) || got.Schemata["Document"] != transcripts || got.Schemata["Table"] != logs ||
		got.Schemata["Audio"] != recordings || recordings != 1 {
		t.Errorf("events %d of %d, documents %d of %d, tables %d of %d, audio %d of %d", got.Schemata["Event"], info.Events,
			got.Schemata["Document"], transcripts, got.Schemata["Table"], logs, got.Schemata["Audio"], recordings)
	}
	for _, s := range []string{"Person", "UserAccount", "Address", "Organization", "Employment", "Mention", "Note"} {
		if got.Schemata[s] == 0 {
			t.Errorf("no %s in the demo's export", s)
		}
	}
	byID, _ := entities(t, b)
	// Every transcript's words are in its body: each segment's text.
	docs := map[string]ftmLine{}
	for _, e := range byID {
		if e.Schema == "Document" || e.Schema == "Audio" {
			docs[e.Properties["fileName"][0]] = e
		}
	}
	for _, s := range srcs {
		if s.Kind == model.KindAccessLog {
			continue
		}
		d, ok := docs[s.Name]
		if !ok {
			t.Errorf("%s: no Document", s.Name)
			continue
		}
		body := strings.Join(d.Properties["bodyText"], "\n")
		segs, err := c.Segments(t.Context(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, seg := range segs {
			if !strings.Contains(body, strings.ReplaceAll(seg.Text, "\n", " ")) {
				t.Errorf("%s: segment %d's words are not in the body", s.Name, seg.ID)
				break
			}
		}
		if len(d.Properties["contentHash"]) != 1 || d.Properties["mimeType"] == nil || d.Properties["fileSize"][0] != strconv.FormatInt(s.Size, 10) {
			t.Errorf("%s: %v", s.Name, d.Properties)
		}
		if s.Kind == model.KindRecording && (d.Schema != "Audio" || d.Properties["mimeType"][0] != "audio/mpeg" ||
			d.Properties["samplingRate"][0] != "16000" || len(d.Properties["duration"]) != 1) {
			t.Errorf("%s: the recording as %s %v", s.Name, d.Schema, d.Properties)
		}
	}
	// Every event names its person when the roster knows the actor.
	involved := 0
	for _, e := range byID {
		if e.Schema == "Event" && len(e.Properties["involved"]) > 0 {
			involved++
			if p := byID[e.Properties["involved"][0]]; p.Schema != "Person" {
				t.Errorf("event %s involves a %s", e.ID, p.Schema)
			}
		}
	}
	if involved == 0 {
		t.Error("no event names the person involved")
	}
	// The same case exported again is the same file, byte for byte.
	if again := exportAll(t, c); !bytes.Equal(again, b) {
		t.Error("a second export of the unchanged demo case differs")
	}
}

// ftmCase is a small case with a transcript, an access log, a roster, an
// exhibit of each kind, a note and a statement.
func ftmCase(t *testing.T) *casefile.Case {
	t.Helper()
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	ctx := t.Context()
	if _, err := c.ImportRoster(ctx, filepath.Join("testdata", "context", "lumora_roster.csv"), nil); err != nil {
		t.Fatal(err)
	}
	for _, it := range []struct {
		item model.ItemID
		tag  string
		opts casefile.TagOptions
	}{
		{model.ItemID{Kind: model.ItemEvent, N: 1}, "foreign-access", casefile.TagOptions{Note: "outside the home office"}},
		{model.ItemID{Kind: model.ItemSegment, N: 4}, "key-quote", casefile.TagOptions{Quote: "0:10"}},
		{model.ItemID{Kind: model.ItemSource, N: 2}, "key-quote", casefile.TagOptions{}},
	} {
		if _, err := c.Tag(ctx, it.item, it.tag, it.opts); err != nil {
			t.Fatalf("tag %s: %v", it.item, err)
		}
	}
	if _, err := c.AddNote(ctx, model.ItemID{Kind: model.ItemEvent, N: 2}, "ask IT who approved this", false); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddNote(ctx, model.ItemID{Kind: model.ItemEvent, N: 2}, "my hunch, not for the team", true); err != nil {
		t.Fatal(err)
	}
	st, err := c.AddStatement(ctx, "Wei Zhang", "2022-01-20", "I never exported customer data.", "interview")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LinkStatement(ctx, st.ID, model.ItemID{Kind: model.ItemEvent, N: 1}, "contradicts", "the export on the 14th"); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestFtMExportRoundTrip: export, tag one more event, export again. Every id
// is the same; the new exhibit's Note is new; the only entity that changed is
// the event that now carries the tag.
func TestFtMExportRoundTrip(t *testing.T) {
	c := ftmCase(t)
	m := loadFtmModel(t)
	before := exportAll(t, c)
	got := checkAgainstModel(t, m, before)
	if got.Schemata["Note"] != 5 { // three exhibits, one shared note (the private one left out), one statement
		t.Errorf("notes: %d, want 5 (%v)", got.Schemata["Note"], got.Schemata)
	}
	if bytes.Contains(before, []byte("not for the team")) {
		t.Error("a private note is in the export")
	}
	old, oldLines := entities(t, before)

	// The exhibits alone (--format ftm without --what all) are FtM too, with
	// the same ids for the same things.
	var exhibits bytes.Buffer
	if _, err := c.Export(t.Context(), &exhibits, casefile.ExportOptions{Format: casefile.ExportFtM}); err != nil {
		t.Fatal(err)
	}
	checkAgainstModel(t, m, exhibits.Bytes())
	few, _ := entities(t, exhibits.Bytes())
	for id, e := range few {
		// A log is a Document among the exhibits and a Table (a kind of
		// Document) in the whole case.
		if got := old[id].Schema; got != e.Schema && (got != "Table" || e.Schema != "Document") {
			t.Errorf("the exhibits' %s %s is a %q in the whole case's export", e.Schema, id, got)
		}
	}

	evt := model.ItemID{Kind: model.ItemEvent, N: 3}
	if _, err := c.Tag(t.Context(), evt, "foreign-access", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	after := exportAll(t, c)
	checkAgainstModel(t, m, after)
	now, nowLines := entities(t, after)

	var gone, added, changed []string
	for id := range old {
		if _, ok := now[id]; !ok {
			gone = append(gone, id)
		}
	}
	for id, e := range now {
		switch {
		case old[id].ID == "":
			added = append(added, e.Schema+" "+strings.Join(e.Properties["name"], ""))
		case oldLines[id] != nowLines[id]:
			changed = append(changed, e.Schema+" "+strings.Join(e.Properties["recordId"], ""))
		}
	}
	ev, err := c.Evidence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	newest := ev[len(ev)-1]
	if len(gone) != 0 {
		t.Errorf("entities gone after a tag: %v", gone)
	}
	if want := []string{"Note " + newest.Exhibit + " foreign-access"}; !slices.Equal(added, want) {
		t.Errorf("added %q, want %q", added, want)
	}
	e3, err := c.Event(t.Context(), evt.N)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Event " + strconv.Itoa(e3.Row)}; !slices.Equal(changed, want) {
		t.Errorf("changed %q, want %q", changed, want)
	}
	for id, e := range now {
		if e.Schema == "Event" && slices.Contains(e.Properties["recordId"], strconv.Itoa(e3.Row)) &&
			!slices.Contains(e.Properties["keywords"], "foreign-access") {
			t.Errorf("event %s does not carry its new tag: %v", id, e.Properties["keywords"])
		}
	}
}

// TestFtMExportGeneratedCase exports a generated case (the bench generator,
// a fiftieth of the reference size) whole and checks every line.
func TestFtMExportGeneratedCase(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports 20,000 log rows and 40 meetings")
	}
	data := t.TempDir()
	if err := gen.Write(data, gen.Config{Meetings: 40, Cues: 4000, LogRows: 20000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{DeferIndex: true}, filepath.Join(data, "access_logs.csv"), filepath.Join(data, "vtt"))
	got := checkAgainstModel(t, loadFtmModel(t), exportAll(t, c))
	if got.Schemata["Event"] != 20000 || got.Schemata["Document"] != 40 || got.Schemata["Table"] != 1 || got.Schemata["UserAccount"] == 0 {
		t.Errorf("generated case: %v", got.Schemata)
	}
}

// BenchmarkExportFtMAll exports a case of CASEBOOK_FTM_EVENTS log rows
// (default 200,000; the reference case is 1,000,000) whole, to a file, and
// reports entities/s and the process's peak RSS during the export alone
// (VmHWM, reset before the export on Linux).
func BenchmarkExportFtMAll(b *testing.B) {
	rows := 200000
	if v, err := strconv.Atoi(os.Getenv("CASEBOOK_FTM_EVENTS")); err == nil && v > 0 {
		rows = v
	}
	data := b.TempDir()
	if err := gen.Write(data, gen.Config{Meetings: 200, Cues: 20000, LogRows: rows, Seed: 42}); err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "case")
	c, err := casefile.Create(b.Context(), dir, casefile.CreateOptions{Title: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	res, err := c.Import(b.Context(), []string{filepath.Join(data, "access_logs.csv"), filepath.Join(data, "vtt")},
		casefile.ImportOptions{DeferIndex: true}, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	}
	out := filepath.Join(b.TempDir(), "case.ftm.json")
	debug.FreeOSMemory() // what the import held goes back, so the peak is the export's
	resetPeakRSS()
	b.ResetTimer()
	var n int
	began := time.Now()
	for i := 0; i < b.N; i++ {
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		if n, err = c.Export(b.Context(), f, casefile.ExportOptions{Format: casefile.ExportFtM, What: "all"}); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.StopTimer()
	b.ReportMetric(float64(n)*float64(b.N)/time.Since(began).Seconds(), "entities/s")
	b.ReportMetric(float64(n), "entities")
	if kb := peakRSSKB(); kb > 0 {
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
	}
	if st, err := os.Stat(out); err == nil {
		b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
	}
}

// resetPeakRSS resets the process's peak RSS (Linux: clear_refs 5).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSKB is the process's peak RSS in KiB since the last reset, 0 where
// /proc does not tell.
func peakRSSKB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
