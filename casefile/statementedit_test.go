package casefile_test

import (
	"slices"
	"testing"

	"casebook/model"
)

func TestAStatementCanBeEditedAndALinkRemovedWithTheHistoryKept(t *testing.T) {
	c := evidenceCase(t)
	st, err := c.AddStatement(t.Context(), "Spokesperson", "2022-03-01", "No data left the country.", "")
	if err != nil {
		t.Fatal(err)
	}
	l, err := c.LinkStatement(t.Context(), st.ID, model.ItemID{Kind: model.ItemEvent, N: 1}, "contradicts", "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.UpdateStatement(t.Context(), st.ID, "Chief spokesperson", "2022-03-02", "No US data left the country.", "Hearing")
	if err != nil {
		t.Fatal(err)
	}
	if got.Who != "Chief spokesperson" || got.When != "2022-03-02" || got.Where != "Hearing" || len(got.Links) != 1 {
		t.Errorf("updated statement %+v", got)
	}
	if _, err := c.UpdateStatement(t.Context(), st.ID, "", "", "words", ""); err == nil {
		t.Error("a statement without who was accepted")
	}
	if _, err := c.UpdateStatement(t.Context(), st.ID, "x", "March", "words", ""); err == nil {
		t.Error("a date that is not YYYY-MM-DD was accepted")
	}
	if err := c.UnlinkStatement(t.Context(), l.ID); err != nil {
		t.Fatal(err)
	}
	all, err := c.Statements(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(all[0].Links) != 0 {
		t.Errorf("the removed link is still listed: %+v", all[0].Links)
	}
	acts := auditActions(t, c)
	if !slices.Contains(acts, "statement-edit") || !slices.Contains(acts, "unlink") {
		t.Errorf("audit actions %v lack statement-edit and unlink", acts)
	}
}
