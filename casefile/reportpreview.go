package casefile

import (
	"context"
	"fmt"
	"strings"

	"casebook/reports"
)

// ReportOutline is what a report with given options will hold, for a
// preview before it is written.
type ReportOutline struct {
	Sections  []OutlineSection
	Exhibits  int // exhibits in all the sections
	Sources   int
	Rules     int
	Audit     int      // audit trail entries in the appendix
	Searches  int      // saved searches listed
	ByTag     []string // "tag (n)" lines of the summary
	People    int      // people pseudonymised, when asked
	Redacted  int      // exhibits withheld by the redact tag
	Statement int      // statement sections
}

// OutlineSection is one findings section of a report.
type OutlineSection struct {
	Title    string
	Exhibits []string // "EX-0001 key-quote — speaker, meeting" or "events table (n rows)"
}

// ReportPreview outlines the report WriteReport would write with opts,
// without writing it.
func (c *Case) ReportPreview(ctx context.Context, opts ReportOptions) (ReportOutline, error) {
	r, err := c.buildReport(ctx, opts)
	if err != nil {
		return ReportOutline{}, fmt.Errorf("outline the report: %w", err)
	}
	out := ReportOutline{Sources: len(r.Sources), Rules: len(r.Rules), Audit: len(r.Audit), Searches: len(r.Searches),
		People: len(r.People)}
	for _, t := range r.Summary.ExhibitsByTag {
		out.ByTag = append(out.ByTag, fmt.Sprintf("%s (%d)", t.Label, t.N))
	}
	for _, s := range r.Sections {
		sec := OutlineSection{Title: s.Title}
		if strings.HasPrefix(s.Title, "Statement:") {
			out.Statement++
		}
		for _, e := range s.Exhibits {
			sec.Exhibits = append(sec.Exhibits, outlineExhibit(e))
			if e.Redacted {
				out.Redacted++
			}
			if e.Kind == reports.ExhibitEvents {
				out.Exhibits += len(e.Rows)
			} else {
				out.Exhibits++
			}
		}
		out.Sections = append(out.Sections, sec)
	}
	return out, nil
}

// outlineExhibit is one exhibit as a line of the preview.
func outlineExhibit(e reports.Exhibit) string {
	var b strings.Builder
	if e.Number != "" {
		b.WriteString(e.Number + " ")
	}
	if e.Role != "" {
		b.WriteString("(" + e.Role + ") ")
	}
	switch e.Kind {
	case reports.ExhibitEvents:
		fmt.Fprintf(&b, "table of %d events", len(e.Rows))
	case reports.ExhibitQuote:
		b.WriteString(strings.TrimSpace(e.Speaker + " " + e.TimeCode))
		if e.Meeting != "" {
			b.WriteString(", " + e.Meeting)
		}
	default:
		b.WriteString("event")
		if e.Citation.Row > 0 {
			fmt.Fprintf(&b, ", row %d", e.Citation.Row)
		}
	}
	if e.Citation.File != "" {
		b.WriteString(" — " + e.Citation.File)
	}
	if e.Redacted {
		b.WriteString(" [withheld]")
	}
	return b.String()
}
