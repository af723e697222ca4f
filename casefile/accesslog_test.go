package casefile_test

import (
	"testing"

	"casebook/model"
)

func TestSettingsTheInvestigatorAndTheAccessLogTableSortedByAColumn(t *testing.T) {
	c := evidenceCase(t)
	if err := c.SetInvestigator(t.Context(), "Ines Investigator"); err != nil {
		t.Fatal(err)
	}
	if got := c.Investigator(t.Context()); got != "Ines Investigator" {
		t.Errorf("investigator %q", got)
	}
	if err := c.SetInvestigator(t.Context(), " "); err == nil {
		t.Error("an empty name was accepted")
	}
	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var log model.Source
	for _, s := range srcs {
		if s.Kind == model.KindAccessLog {
			log = s
		}
	}
	evs, err := c.AccessLogEvents(t.Context(), log.ID, "records", true, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(evs)) != log.Records {
		t.Fatalf("%d events, the source has %d", len(evs), log.Records)
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].RecordCount > evs[i-1].RecordCount {
			t.Fatalf("records not descending at %d: %d after %d", i, evs[i].RecordCount, evs[i-1].RecordCount)
		}
	}
	page, err := c.AccessLogEvents(t.Context(), log.ID, "", false, 2, 2)
	if err != nil || len(page) != 2 || page[0].Row != 3 {
		t.Errorf("page 2 of the file order: %+v, %v", page, err)
	}
	if _, err := c.AccessLogEvents(t.Context(), log.ID, "raw; DROP TABLE events", false, 0, 1); err == nil {
		t.Error("an unknown sort column was accepted")
	}
	n, err := c.IPRangeCount(t.Context())
	if err != nil || n != 0 {
		t.Errorf("IP ranges %d, %v", n, err)
	}
}
