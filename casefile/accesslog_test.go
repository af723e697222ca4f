package casefile_test

import (
	"errors"
	"testing"

	"casebook/casefile"
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

// Opening an event in context finds its row in the access-log table: its
// place in the file's order, counted in a log imported after another (its
// ids do not start at 1) and with rows the import skipped.
func TestAnEventsPositionIsItsRowInTheTableInTheFilesOrder(t *testing.T) {
	c := evidenceCase(t)
	importOK(t, c, casefile.ImportOptions{}, "testdata/search_sshd_auth.log")
	for _, name := range []string{"access.csv", "search_sshd_auth.log"} {
		var log model.Source
		srcs, err := c.Sources(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range srcs {
			if s.Name == name {
				log = s
			}
		}
		evs, err := c.AccessLogEvents(t.Context(), log.ID, "", false, 0, 10000)
		if err != nil || len(evs) < 2 {
			t.Fatalf("%s: %d events, %v", name, len(evs), err)
		}
		for i, e := range evs {
			src, row, err := c.AccessLogPosition(t.Context(), e.ID)
			if err != nil || src != log.ID || row != i {
				t.Errorf("%s: evt-%d (row %d) is at %d of src-%d (%v), want %d of src-%d", name, e.ID, e.Row, row, src, err, i, log.ID)
			}
		}
	}
	if _, _, err := c.AccessLogPosition(t.Context(), 1<<40); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("an event that is not there: %v", err)
	}
}
