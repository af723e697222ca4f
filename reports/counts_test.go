package reports_test

import (
	"regexp"
	"strings"
	"testing"

	"casebook/reports"
)

func TestCountsOfOneReadInTheSingular(t *testing.T) {
	r := sample(0)
	r.Summary.Transcripts, r.Summary.AccessLogs, r.Summary.Segments, r.Summary.Events = 1, 1, 1, 1
	r.Sources[0].Size = 1
	text := oneLine(pdfText(t, write(t, r, reports.Options{Date: reportDate})))
	for _, want := range []string{
		"Sources 1 transcript, 1 access log",                                  // the cover
		"The case holds 1 transcript (1 segment) and 1 access log (1 event).", // the summary
		"Size 1 byte", // the chain of custody
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if bad := regexp.MustCompile(`\b1 (transcripts|access logs|segments|events|bytes)\b`).FindAllString(text, -1); len(bad) > 0 {
		t.Errorf("counts of one in the plural: %q", bad)
	}
}

func TestCountsOfManyReadInThePluralWithThousandsGrouped(t *testing.T) {
	r := sample(0)
	r.Summary.Transcripts, r.Summary.AccessLogs, r.Summary.Segments, r.Summary.Events = 10, 2, 867, 50040
	r.Sources[0].Size = 7867364
	text := oneLine(pdfText(t, write(t, r, reports.Options{Date: reportDate})))
	for _, want := range []string{
		"Sources 10 transcripts, 2 access logs",
		"The case holds 10 transcripts (867 segments) and 2 access logs (50,040 events).",
		"Size 7,867,364 bytes",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}
