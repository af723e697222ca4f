package casefile_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"casebook/casefile"
	"casebook/model"
)

// A court reporter's transcript imported into a case is cited by page and
// line everywhere the case cites it: search hits, exhibits, the report; the
// seal and verify --deep keep the page and line; the dated hearing is on the
// timeline (issue 21).
func TestACourtTranscriptIsCitedByPageAndLine(t *testing.T) {
	c, _ := newCase(t)
	ctx := t.Context()
	importOK(t, c, casefile.ImportOptions{}, "../importer/testdata/hearings/lumora_court_pages.txt",
		"../importer/testdata/hearings/lumora_gpo_hearing.txt")
	res, err := c.Search(ctx, casefile.Query{Text: "hearsay"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].PageLine != "982:24–983:2" || res.Hits[0].Speaker != "Mr. Halvorsen" {
		t.Fatalf("hearsay: %+v", res.Hits)
	}
	if res, _ := c.Search(ctx, casefile.Query{Text: `"14 And"`}); res.Total != 0 {
		t.Errorf("a line number is searchable as part of the words: %+v", res.Hits)
	}
	hit := res.Hits[0]
	item, _ := model.ParseItemID(hit.ID)
	if _, err := c.Tag(ctx, item, "objection", casefile.TagOptions{Note: "hearsay objection sustained"}); err != nil {
		t.Fatal(err)
	}
	ev, err := c.Evidence(ctx)
	if err != nil || len(ev) != 1 || !strings.Contains(ev[0].Citation, "Tr. 982:24–983:2") {
		t.Fatalf("exhibits %+v, %v", ev, err)
	}
	var pdf bytes.Buffer
	if err := c.WriteReport(ctx, &pdf, casefile.ReportOptions{Date: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(pdfToText(t, pdf.Bytes())), " ")
	if !strings.Contains(flat, "Tr. 982:24–983:2") || !strings.Contains(flat, "lumora_court_pages.txt") {
		t.Errorf("the report's exhibit does not cite page and line:\n%s", flat)
	}
	rep, err := c.VerifyWith(ctx, casefile.VerifyOptions{Deep: true}, nil)
	if err != nil || !rep.OK || rep.Deep == nil || len(rep.Deep.Problems) != 0 {
		t.Fatalf("verify --deep: %+v, %v", rep, err)
	}
	tl, err := c.Timeline(ctx)
	if err != nil {
		t.Fatal(err)
	}
	days := map[string]bool{}
	for _, m := range tl.Meetings {
		days[m.Day] = true
	}
	if !days["2024-04-16"] || !days["2023-03-23"] {
		t.Errorf("the timeline's meetings %+v lack the trial day and the hearing", tl.Meetings)
	}
}

// A speaker's name typed in the search box finds what the person said as
// well as where the name is written; speaker:"Full Name" finds a hearing's
// label with the role and party after the name (issue 21).
func TestANameInTheSearchBoxFindsWhatThePersonSaid(t *testing.T) {
	c, _ := newCase(t)
	ctx := t.Context()
	importOK(t, c, casefile.ImportOptions{}, "../importer/testdata/hearings/lumora_court_pages.txt",
		"../importer/testdata/hearings/lumora_press_hearing.txt")
	res, err := c.Search(ctx, casefile.Query{Text: "halvorsen"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 {
		t.Fatalf("halvorsen (never in the words, the speaker of two turns): %d hits %+v", res.Total, res.Hits)
	}
	for _, h := range res.Hits {
		if h.Speaker != "Mr. Halvorsen" {
			t.Errorf("hit %+v", h)
		}
	}
	// "raman" is the witness (5 answers) and a word of two questions ("Ms. Raman").
	if res, _ := c.Search(ctx, casefile.Query{Text: "raman kind:segment"}); res.Total < 7 {
		t.Errorf("raman: %d hits, want her answers and the questions naming her", res.Total)
	}
	// A name and a word: what she said with the word in it.
	res, err = c.Search(ctx, casefile.Query{Text: `"priya raman" field`})
	if err != nil || res.Total != 1 || res.Hits[0].Speaker != "Priya Raman" || !strings.Contains(res.Hits[0].Text, "approval field") {
		t.Errorf(`"priya raman" field: %+v, %v`, res.Hits, err)
	}
	res, err = c.Search(ctx, casefile.Query{Text: `speaker:"Mira Voss"`})
	if err != nil || res.Total != 2 {
		t.Fatalf(`speaker:"Mira Voss": %d hits, %v`, res.Total, err)
	}
	if res.Hits[0].Speaker != "Mira Voss (Senator, R-Utah)" {
		t.Errorf("label %q", res.Hits[0].Speaker)
	}
}

// A witness's answer recorded as a statement carries its citation: the
// transcript, the page and line, the file and its SHA-256 (issue 21).
func TestAStatementFromATranscriptPassageCarriesItsCitation(t *testing.T) {
	c, _ := newCase(t)
	ctx := t.Context()
	importOK(t, c, casefile.ImportOptions{}, "../importer/testdata/hearings/lumora_court_pages.txt")
	res, err := c.Search(ctx, casefile.Query{Text: `"approval field"`})
	if err != nil || res.Total != 1 {
		t.Fatalf("%+v, %v", res.Hits, err)
	}
	item, _ := model.ParseItemID(res.Hits[0].ID)
	draft, err := c.StatementFrom(ctx, item)
	if err != nil {
		t.Fatal(err)
	}
	srcs, _ := c.Sources(ctx)
	if draft.Who != "Priya Raman" || draft.When != "2024-04-16" || !strings.HasPrefix(draft.Words, "Nobody did.") {
		t.Errorf("draft %+v", draft)
	}
	for _, want := range []string{"Tr. 982:22–23", "lumora_court_pages.txt", srcs[0].SHA256[:12], item.String()} {
		if !strings.Contains(draft.Where, want) {
			t.Errorf("where %q lacks %q", draft.Where, want)
		}
	}
	if _, err := c.StatementFrom(ctx, model.ItemID{Kind: model.ItemSource, N: srcs[0].ID}); err == nil {
		t.Error("a source made a statement draft")
	}
}
