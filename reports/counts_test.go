package reports_test

import (
	"regexp"
	"strings"
	"testing"

	"casebook/reports"
)

func TestCountsReadInTheSingularForOneAndWithThousandsGrouped(t *testing.T) {
	for _, c := range []struct {
		transcripts, logs int
		segments, events  int64
		size              int64
		want              []string
	}{
		{1, 1, 1, 1, 1, []string{
			"Sources 1 transcript, 1 access log",                                  // the cover
			"The case holds 1 transcript (1 segment) and 1 access log (1 event).", // the summary
			"Size 1 byte", // the chain of custody
		}},
		{10, 2, 867, 50040, 7867364, []string{
			"Sources 10 transcripts, 2 access logs",
			"The case holds 10 transcripts (867 segments) and 2 access logs (50,040 events).",
			"Size 7,867,364 bytes",
		}},
	} {
		r := sample(0)
		r.Summary.Transcripts, r.Summary.AccessLogs, r.Summary.Segments, r.Summary.Events = c.transcripts, c.logs, c.segments, c.events
		r.Sources[0].Size = c.size
		text := oneLine(pdfText(t, write(t, r, reports.Options{Date: reportDate})))
		for _, want := range c.want {
			if !strings.Contains(text, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
		if bad := regexp.MustCompile(`\b1 (transcripts|access logs|segments|events|bytes)\b`).FindAllString(text, -1); len(bad) > 0 {
			t.Errorf("counts of one in the plural: %q", bad)
		}
	}
}
