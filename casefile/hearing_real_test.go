package casefile_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/casefile"
	"casebook/model"
)

// TestRealHearingAndCourtPagesInACase imports the govinfo text of the
// Senate Judiciary hearing of 31 January 2024 and five pages of a New York
// trial transcript (importer/testdata/hearings/SOURCES.md) into a case: a
// witness's name in the search box finds his answers, and a report exhibit
// from the court pages cites page and line.
func TestRealHearingAndCourtPagesInACase(t *testing.T) {
	root := os.Getenv("CASEBOOK_FETCHED_CORPUS")
	if root == "" {
		t.Skip("CASEBOOK_FETCHED_CORPUS is not set (see importer/testdata/hearings/SOURCES.md)")
	}
	dir := filepath.Join(root, "hearings")
	hearing := filepath.Join(dir, "CHRG-118shrg57444.txt")
	if _, err := os.Stat(hearing); err != nil {
		t.Skipf("fetched hearing: %v", err)
	}
	var pages []byte
	for i, n := range []string{"00136", "00137", "00138", "00139", "00140"} {
		b, err := os.ReadFile(filepath.Join(dir, "caughtlistening-240423", n+".txt"))
		if err != nil {
			t.Skipf("fetched court pages: %v", err)
		}
		if i > 0 {
			pages = append(pages, '\n')
		}
		pages = append(pages, b...)
	}
	court := filepath.Join(t.TempDir(), "people-v-trump-2024-04-23-pp1073-1077.txt")
	if err := os.WriteFile(court, pages, 0o600); err != nil {
		t.Fatal(err)
	}
	c, _ := newCase(t)
	ctx := t.Context()
	importOK(t, c, casefile.ImportOptions{}, hearing, court)

	// grep: 101 turns begin "    Mr. Chew." (SOURCES.md); his name is also in other speakers' words.
	res, err := c.Search(ctx, casefile.Query{Text: `speaker:"Shou Chew"`, Limit: 1})
	if err != nil || res.Total != 101 {
		t.Errorf(`speaker:"Shou Chew": %d hits, %v; grep counted 101 turns`, res.Total, err)
	}
	res, err = c.Search(ctx, casefile.Query{Text: "chew", Limit: 1})
	if err != nil || res.Total <= 101 {
		t.Errorf("chew in the box: %d hits, %v; want his 101 turns and the turns naming him", res.Total, err)
	}
	tl, _ := c.Timeline(ctx)
	if len(tl.Meetings) == 0 || tl.Meetings[0].Day != "2024-01-31" {
		t.Errorf("timeline meetings %+v", tl.Meetings)
	}

	res, err = c.Search(ctx, casefile.Query{Text: `"factual assertions being offered"`})
	if err != nil || res.Total != 1 || res.Hits[0].PageLine != "1073:24–1074:2" || res.Hits[0].Speaker != "Mr. Bove" {
		t.Fatalf("the objection: %+v, %v (awk: 1073:24-1074:2)", res.Hits, err)
	}
	item, _ := model.ParseItemID(res.Hits[0].ID)
	if _, err := c.Tag(ctx, item, "objection", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	if err := c.WriteReport(ctx, &pdf, casefile.ReportOptions{Date: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if flat := strings.Join(strings.Fields(pdfToText(t, pdf.Bytes())), " "); !strings.Contains(flat, "Tr. 1073:24–1074:2") {
		t.Errorf("the report's exhibit does not cite page and line")
	}
}
