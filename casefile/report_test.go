package casefile_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"casebook/casefile"
	"casebook/model"
)

func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; make test installs it")
	}
	p := filepath.Join(t.TempDir(), "r.pdf")
	os.WriteFile(p, pdf, 0o600)
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestTheReportCitesTaggedEvidenceAndIsReproducible(t *testing.T) {
	c, _ := newCase(t)
	ctx := t.Context()
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	srcs, _ := c.Sources(ctx)
	segs, _ := c.Segments(ctx, srcs[0].ID)
	quoteSeg := segs[3] // "Nobody approved it. It was never required for the master admin."
	start := strings.Index(quoteSeg.Text, "It was never required")
	quote := model.ItemID{Kind: model.ItemSegment, N: quoteSeg.ID}
	if _, err := c.Tag(ctx, quote, "key-quote", casefile.TagOptions{Quote: itoa(start) + ":" + itoa(len([]rune(quoteSeg.Text))), Note: "No approval for the master admin."}); err != nil {
		t.Fatal(err)
	}
	evts, _ := c.Events(ctx, srcs[1].ID, 0, 10)
	for _, e := range evts {
		if e.Country != "US" {
			if _, err := c.Tag(ctx, model.ItemID{Kind: model.ItemEvent, N: e.ID}, "foreign-access", casefile.TagOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	st, err := c.AddStatement(ctx, "Lumora Inc.", "2022-04-12", "Every access needs an approval ticket.", "hearing")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LinkStatement(ctx, st.ID, quote, "contradicts", ""); err != nil {
		t.Fatal(err)
	}
	opts := casefile.ReportOptions{Date: time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC), Bates: "LUM", Marking: "CONFIDENTIAL"}
	var a, b bytes.Buffer
	if err := c.WriteReport(ctx, &a, opts); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteReport(ctx, &b, opts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two reports of the same case state differ")
	}
	text := pdfToText(t, a.Bytes())
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"It was never required for the master admin", "EX-0001", "EX-0002", "contradicts",
		srcs[0].SHA256, srcs[1].SHA256, "line 4", "Every access needs an approval ticket", "LUM-000001", "Chain of custody",
		"2022-01-14_sync.txt", "access.csv"} {
		if !strings.Contains(flat, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	var redacted bytes.Buffer
	if err := c.WriteReport(ctx, &redacted, casefile.ReportOptions{Date: opts.Date, Redact: []string{"master admin"}, Pseudonymise: true}); err != nil {
		t.Fatal(err)
	}
	rt := pdfToText(t, redacted.Bytes())
	for _, gone := range []string{"master admin", "Wei Zhang", "Mia Chen"} {
		if strings.Contains(rt, gone) {
			t.Errorf("redacted/pseudonymised report still shows %q", gone)
		}
	}
	trail, _ := c.AuditTrail(ctx)
	if trail[len(trail)-1].Action != "report" {
		t.Errorf("the last audit entry is %q, want report", trail[len(trail)-1].Action)
	}
}

func TestNotesAreSearchableWithNoteColon(t *testing.T) {
	c, _ := newCase(t)
	ctx := t.Context()
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	item := model.ItemID{Kind: model.ItemEvent, N: 2}
	if _, err := c.AddNote(ctx, item, "Ask counsel about the Austin review ticket", true); err != nil {
		t.Fatal(err)
	}
	res, err := c.Search(ctx, casefile.Query{Text: "note:counsel"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ID != item.String() {
		t.Fatalf("note:counsel: %d hits %+v, want %s", res.Total, res.Hits, item)
	}
	if res, _ := c.Search(ctx, casefile.Query{Text: `note:"review ticket" AND country:US`}); res.Total != 1 {
		t.Errorf("a note phrase with a filter: %d hits", res.Total)
	}
	if res, _ := c.Search(ctx, casefile.Query{Text: "counsel"}); res.Total != 0 {
		t.Errorf("a plain word matched a note: %d hits (notes are searched with note:)", res.Total)
	}
}

// A note written when tagging is a note like any other: note:WORD finds the
// item at once, after a rebuild, and no longer once the tag is taken off;
// verify --deep agrees with what the index holds.
func TestATaggingsNoteIsSearchableWithNoteColon(t *testing.T) {
	c, _ := newCase(t)
	ctx := t.Context()
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	item := model.ItemID{Kind: model.ItemEvent, N: 3}
	other := model.ItemID{Kind: model.ItemEvent, N: 4}
	if _, err := c.AddNote(ctx, item, "Seen in the Lumora ticket queue", false); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tag(ctx, item, "follow-up", casefile.TagOptions{Note: "Ask the auditor who approved this"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tag(ctx, other, "follow-up", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	ids := func(q string) []string {
		t.Helper()
		res, err := c.Search(ctx, casefile.Query{Text: q})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	want := []string{item.String()}
	for _, q := range []string{"note:auditor", `note:"who approved"`, "note:ticket", "note:auditor AND tag:follow-up"} {
		if got := ids(q); !slices.Equal(got, want) {
			t.Errorf("%s finds %v, want %v", q, got, want)
		}
	}
	if got := ids("auditor"); len(got) != 0 {
		t.Errorf("a plain word matched a tagging's note: %v", got)
	}
	if err := c.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := ids("note:auditor"); !slices.Equal(got, want) {
		t.Errorf("after a rebuild note:auditor finds %v, want %v", got, want)
	}
	rep, err := c.VerifyWith(ctx, casefile.VerifyOptions{Deep: true}, nil)
	if err != nil || rep.Deep == nil || len(rep.Deep.Problems) != 0 {
		t.Fatalf("verify --deep: %v %+v", err, rep.Deep)
	}
	if err := c.Untag(ctx, item, "follow-up"); err != nil {
		t.Fatal(err)
	}
	if got := ids("note:auditor"); len(got) != 0 {
		t.Errorf("after untagging, note:auditor still finds %v", got)
	}
	if got := ids("note:ticket"); !slices.Equal(got, want) {
		t.Errorf("after untagging, the item's own note: note:ticket finds %v, want %v", got, want)
	}
}

func TestAnItemMarkedForRedactionIsWithheldButStillCited(t *testing.T) {
	c, _ := newCase(t)
	ctx := t.Context()
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture)
	srcs, _ := c.Sources(ctx)
	segs, _ := c.Segments(ctx, srcs[0].ID)
	quote := model.ItemID{Kind: model.ItemSegment, N: segs[1].ID}     // "The Beijing team still has read access …"
	neighbour := model.ItemID{Kind: model.ItemSegment, N: segs[2].ID} // "Who approved that?", the context after it
	if _, err := c.Tag(ctx, quote, "key-quote", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, it := range []model.ItemID{quote, neighbour} {
		if _, err := c.Tag(ctx, it, casefile.RedactTag, casefile.TagOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := c.WriteReport(ctx, &buf, casefile.ReportOptions{Date: time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdfToText(t, buf.Bytes())), " ")
	for _, gone := range []string{"still has read access", "Who approved that?", "Tag: redact"} {
		if strings.Contains(text, gone) {
			t.Errorf("a withheld item shows: %q", gone)
		}
	}
	for _, want := range []string{"EX-0001", "[redacted]", "marked for redaction", "line 2", srcs[0].SHA256[:16]} {
		if !strings.Contains(text, want) {
			t.Errorf("the withheld exhibit lacks %q", want)
		}
	}
}

func TestTheTimelineCountsEventsPerDayAndListsDatedMeetings(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	tl, err := c.Timeline(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	perDay := map[string]int64{}
	for _, d := range tl.Days {
		total += d.N
		perDay[d.Day] += d.N
	}
	if want := countLines(t, accessFixture, isDataRow); total != want {
		t.Errorf("timeline counts %d events, want %d", total, want)
	}
	if perDay["2022-01-12"] != 2 || perDay["2022-01-13"] != 2 {
		t.Errorf("events per day: %v", perDay)
	}
	if len(tl.Meetings) != 1 || tl.Meetings[0].Day != "2022-01-14" {
		t.Errorf("meetings: %+v", tl.Meetings)
	}
}

// TestTheTimelinePutsEachEventOnItsUTCDay: days are counted as whole days
// since 1970 in SQL; times on both sides of midnight and of 1970 must land
// on the day their UTC date names (compared with Go's own formatting).
func TestTheTimelinePutsEachEventOnItsUTCDay(t *testing.T) {
	c, _ := newCase(t)
	times := []string{"1969-12-30T23:59:59Z", "1969-12-31T00:00:00Z", "1969-12-31T23:59:59.999Z",
		"1970-01-01T00:00:00Z", "1970-01-01T23:59:59Z", "2022-03-01T00:00:00Z", "2022-03-01T23:59:59Z", "2022-03-02T00:00:01Z"}
	csv := "timestamp,employee,country,resource\n"
	want := map[string]int64{}
	for i, ts := range times {
		tm, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			t.Fatal(err)
		}
		csv += fmt.Sprintf("%s,E%03d,SG,us_users.profile\n", ts, i)
		want[tm.UTC().Format("2006-01-02")]++
	}
	path := filepath.Join(t.TempDir(), "edges.csv")
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	importOK(t, c, casefile.ImportOptions{}, path)
	tl, err := c.Timeline(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, d := range tl.Days {
		if d.Country != "SG" {
			t.Errorf("day %s has country %q, want SG", d.Day, d.Country)
		}
		got[d.Day] += d.N
	}
	if len(got) != len(want) {
		t.Fatalf("timeline days %v, want %v", got, want)
	}
	for day, n := range want {
		if got[day] != n {
			t.Errorf("day %s: %d events, want %d (all: %v)", day, got[day], n, got)
		}
	}
}
