package casefile_test

import (
	"fmt"
	"strings"
	"testing"

	"casebook/casefile"
)

func TestTheDemoCaseImportsEveryFileAsTheManifestSays(t *testing.T) {
	c := demoCase(t)
	m := casefile.DemoManifest()
	srcs, err := c.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// The transcripts, the access log and one recording.
	if len(srcs) != len(m.Transcripts)+2 {
		t.Fatalf("%d sources, want %d", len(srcs), len(m.Transcripts)+2)
	}
	byName := map[string]int{}
	for i, s := range srcs {
		byName[s.Name] = i
	}
	for _, tr := range m.Transcripts {
		i, ok := byName[tr.Name]
		if !ok {
			t.Errorf("%s not imported", tr.Name)
			continue
		}
		s := srcs[i]
		if s.Format != tr.Format || s.Records != int64(tr.Segments) {
			t.Errorf("%s: format %s with %d segments, manifest says %s with %d", tr.Name, s.Format, s.Records, tr.Format, tr.Segments)
		}
		if s.Describes != tr.Date {
			t.Errorf("%s: describes %q, want %q", tr.Name, s.Describes, tr.Date)
		}
	}
	log := srcs[byName[m.AccessLog.Name]]
	if log.Records != int64(m.AccessLog.Rows) || log.Rejects != 0 {
		t.Errorf("access log: %d events, %d rejects; manifest says %d rows", log.Records, log.Rejects, m.AccessLog.Rows)
	}
	for _, q := range m.PlantedQuotes {
		res, err := c.Search(t.Context(), casefile.Query{Text: fmt.Sprintf("%q", q.Text), Limit: 50})
		if err != nil {
			t.Fatalf("search %q: %v", q.Text, err)
		}
		found := false
		for _, h := range res.Hits {
			if strings.Contains(h.Text, q.Text) && (q.Speaker == "" || h.Speaker == q.Speaker) {
				found = true
			}
		}
		if !found {
			t.Errorf("planted quote %q (%s) not found by a phrase search", q.Text, q.Speaker)
		}
	}
}
