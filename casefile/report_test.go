package casefile_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
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
