package reports_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/reports"
)

var reportDate = time.Date(2022, 11, 1, 12, 0, 0, 0, time.UTC)

// sample builds a fictional report with every kind of exhibit.
func sample(rows int) reports.Report {
	r := reports.Report{
		Title:        "Lumora: US user data viewed from abroad",
		Investigator: "Alex Marlowe",
		CaseID:       "3fa9c2d1e0b84f6a",
		People:       []string{"Wei Zhang", "Mia Chen", "Li Na"},
		Summary: reports.Summary{Transcripts: 2, AccessLogs: 1, Segments: 120, Events: int64(rows),
			ExhibitsByTag:  []reports.Count{{"key-quote", 1}, {"foreign-access", 2}},
			ForeignByMonth: []reports.MonthCount{{"2022-01", "CN", 40}, {"2022-01", "SG", 5}, {"2022-02", "CN", 55}, {"2022-03", "CN", 31}, {"2022-03", "IE", 9}},
			TopActors:      []reports.Count{{"Wei Zhang (E1042)", 61}, {"Li Na (E1043)", 40}}},
		Rules: []reports.Rule{{Name: "foreign-access", Condition: "country NOT IN home AND category IN protected", Parameters: "home=US", Suggestions: 300}},
		Sources: []reports.Source{{ID: "src-1", Name: "2022-05-18_master-admin-call.txt", Size: 7243,
			SHA256: "9f2c3b7a1d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e", ImportedAt: reportDate.Add(-time.Hour),
			Importer: "casebook/plain-transcript@1", Encoding: "utf-8", Records: 110}},
		Methodology: []string{"Home jurisdiction: US. Protected categories: phone, email, device_id."},
		Audit:       []reports.AuditLine{{Seq: 1, At: reportDate.Add(-2 * time.Hour), Actor: "Alex Marlowe", Action: "import", Detail: `{"source":"src-1"}`}},
		Searches:    []reports.NamedQuery{{Name: "master admin", Query: `"master admin"`}},
	}
	quote := reports.Exhibit{Number: "EX-0001", Kind: reports.ExhibitQuote, Tag: "key-quote", Role: "contradicts",
		Speaker: "Wei Zhang", Meeting: "2022-05-18 master admin call", TimeCode: "00:12:31",
		Before: "Mia Chen: Who can see the US tables?", Text: "Honestly, the master admin in Beijing can see everything, 所有数据都能看到.",
		After: "Mia Chen: That is not what we told the committee.", Note: "Contradicts the hearing testimony.",
		Citation: reports.Citation{File: "2022-05-18_master-admin-call.txt", SHA256: "9f2c3b7a1d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e", Line: 57, Offset: 3120, TimeCode: "00:12:31"}}
	quote.Start = strings.Index(quote.Text, "the master admin")
	quote.End = strings.Index(quote.Text, "everything") + len("everything")
	event := reports.Exhibit{Number: "EX-0002", Kind: reports.ExhibitEvent, Tag: "foreign-access",
		Fields:   []reports.Field{{"Time", "2022-01-12 09:14:03 UTC"}, {"Actor", "Wei Zhang (E1042)"}, {"Office", "Beijing, CN"}, {"Resource", "us_users.phone"}, {"Records", "1204"}, {"Approval", "none"}},
		Citation: reports.Citation{File: "lumora_data_access_2022.csv", SHA256: "1111aaaa2222bbbb3333cccc4444dddd5555eeee6666ffff7777000088889999", Row: 812, Line: 813, Offset: 129931}}
	var tableRows [][]string
	for i := 0; i < rows; i++ {
		tableRows = append(tableRows, []string{fmt.Sprintf("2022-01-%02d 09:%02d", i%28+1, i%60), "Wei Zhang", "CN", "us_users.phone", fmt.Sprint(100 + i), ""})
	}
	many := reports.Exhibit{Number: "EX-0003", Kind: reports.ExhibitEvents, Tag: "foreign-access",
		Header: []string{"Time", "Actor", "Country", "Resource", "Records", "Approval"}, Rows: tableRows,
		Citation: reports.Citation{File: "lumora_data_access_2022.csv", SHA256: "1111aaaa2222bbbb3333cccc4444dddd5555eeee6666ffff7777000088889999", Row: 1}}
	r.Sections = []reports.Section{
		{Title: "Statement: \u201cEvery request is approved by our U.S.-based security team\u201d", Intro: []string{"Ms. Abernathy, 2022-04-12, at the hearing."}, Exhibits: []reports.Exhibit{quote}},
		{Title: "Tag: foreign-access", Exhibits: []reports.Exhibit{event, many}},
	}
	return r
}

func write(t testing.TB, r reports.Report, opts reports.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.Write(&buf, r, opts); err != nil {
		t.Fatalf("write report: %v", err)
	}
	return buf.Bytes()
}

// pdfText is the PDF's text laid out as on its pages, by pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	return pdftotext(t, pdf, "-layout")
}

// pdftotext runs poppler's pdftotext with args on the PDF and returns what
// it prints.
func pdftotext(t *testing.T, pdf []byte, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; make test installs it")
	}
	p := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", append(args, p, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestTheReportShowsQuotesExhibitsHashesPagesBatesAndChineseText(t *testing.T) {
	opts := reports.Options{Date: reportDate, Bates: "LUM", Marking: "CONFIDENTIAL — PREPARED FOR COUNSEL"}
	pdf := write(t, sample(200), opts)
	text := pdfText(t, pdf)
	pages := strings.Count(text, "\f")
	for _, want := range []string{
		"the master admin in Beijing", "所有数据都能看到", "EX-0001", "EX-0002", "EX-0003",
		"9f2c3b7a1d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e", // full hash in the chain of custody
		"Page 1 of " + fmt.Sprint(pages), fmt.Sprintf("Page %d of %d", pages, pages),
		"LUM-000001", fmt.Sprintf("LUM-%06d", pages), "CONFIDENTIAL", "row 812", "line 57",
		"Contents", "Appendix: Chain of custody", "\u201cEvery request",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
	if strings.Count(text, "Time") < 3 {
		t.Errorf("the events table header does not repeat on its pages")
	}
}

func TestRedactedAndPseudonymisedNamesDoNotAppearInTheText(t *testing.T) {
	pdf := write(t, sample(5), reports.Options{Date: reportDate, Redact: []string{"Beijing"}, Pseudonymise: true})
	text := pdfText(t, pdf)
	for _, gone := range []string{"Beijing", "Wei Zhang", "Mia Chen"} {
		if strings.Contains(text, gone) {
			t.Errorf("%q still appears", gone)
		}
	}
	for _, want := range []string{"[redacted]", "Employee C", "Employee B"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing", want)
		}
	}
}

func TestTheSameInputsGiveTheSameBytes(t *testing.T) {
	opts := reports.Options{Date: reportDate, Bates: "LUM", Paper: "Letter"}
	a := write(t, sample(50), opts)
	b := write(t, sample(50), opts)
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same report differ")
	}
	c := write(t, sample(51), opts)
	if bytes.Equal(a, c) {
		t.Fatal("different reports gave the same bytes")
	}
}

func TestAReportNeedsADate(t *testing.T) {
	if err := reports.Write(&bytes.Buffer{}, sample(1), reports.Options{}); err == nil {
		t.Fatal("a report without a date was written")
	}
}

// BenchmarkReport500Exhibits writes a report with 500 exhibits and 5,000 event rows.
func BenchmarkReport500Exhibits(b *testing.B) {
	r := sample(5000)
	base := r.Sections[0].Exhibits[0]
	for i := 0; i < 497; i++ {
		e := base
		e.Number = fmt.Sprintf("EX-%04d", i+4)
		r.Sections[0].Exhibits = append(r.Sections[0].Exhibits, e)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		write(b, r, reports.Options{Date: reportDate, Bates: "LUM"})
	}
}
