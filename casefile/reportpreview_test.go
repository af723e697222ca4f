package casefile_test

import (
	"strings"
	"testing"

	"casebook/casefile"
	"casebook/model"
)

func TestTheReportPreviewListsTheSectionsAndExhibitsTheReportWillHold(t *testing.T) {
	c := evidenceCase(t)
	if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemEvent, N: 1}, "foreign-access", casefile.TagOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := c.AddStatement(t.Context(), "Spokesperson", "2022-03-01", "No data left the country.", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LinkStatement(t.Context(), st.ID, model.ItemID{Kind: model.ItemEvent, N: 1}, "contradicts", ""); err != nil {
		t.Fatal(err)
	}
	out, err := c.ReportPreview(t.Context(), casefile.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Sections) != 2 || out.Statement != 1 || !strings.HasPrefix(out.Sections[1].Title, "Tag: foreign-access") {
		t.Fatalf("sections %+v", out.Sections)
	}
	if !strings.HasPrefix(out.Sections[0].Exhibits[0], "EX-0001 (contradicts) event") {
		t.Errorf("the statement's exhibit reads %q", out.Sections[0].Exhibits[0])
	}
	if out.Sources != 2 || out.Exhibits != 2 || len(out.ByTag) != 1 {
		t.Errorf("outline %+v", out)
	}
	none, err := c.ReportPreview(t.Context(), casefile.ReportOptions{Tags: []string{"key-quote"}, Statements: []int64{-1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(none.Sections) != 0 {
		t.Errorf("with no matching tags or statements the outline has %+v", none.Sections)
	}
}
