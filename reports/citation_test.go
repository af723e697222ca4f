package reports_test

import (
	"regexp"
	"strings"
	"testing"

	"casebook/reports"
)

// oneLine folds the text's line breaks and runs of spaces, as a citation
// wraps where the page does.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestACitationGivesNoByteItDoesNotKnow(t *testing.T) {
	const sha = "1111aaaa2222bbbb3333cccc4444dddd5555eeee6666ffff7777000088889999"
	event := func(n string, c reports.Citation) reports.Exhibit {
		c.SHA256 = sha
		return reports.Exhibit{Number: n, Kind: reports.ExhibitEvent, Tag: "foreign-access",
			Fields: []reports.Field{{Name: "Actor", Value: "Wei Zhang (E2011)"}, {Name: "Office", Value: "Singapore"}}, Citation: c}
	}
	quote := func(n string, c reports.Citation) reports.Exhibit {
		c.SHA256 = sha
		return reports.Exhibit{Number: n, Kind: reports.ExhibitQuote, Tag: "key-quote", Speaker: "Mia Chen",
			Text: "Lumora's Singapore team reads the US tables every day.", Citation: c}
	}
	r := sample(0)
	r.Sections = []reports.Section{{Title: "Tag: citations", Exhibits: []reports.Exhibit{
		// A workbook row: a zip has no byte positions.
		event("EX-0101", reports.Citation{File: "lumora_access_2022.xlsx", Row: 41, Line: 42, NoOffset: true}),
		// A row whose importer gave no offset: it cannot start at byte 0 on line 58.
		event("EX-0102", reports.Citation{File: "lumora_access_export.csv", Row: 57, Line: 58}),
		// A Word paragraph, the first: still no byte of a zip.
		quote("EX-0103", reports.Citation{File: "lumora_board_call.docx", Line: 1, NoOffset: true}),
		// The first line of a plain file does start at byte 0.
		quote("EX-0104", reports.Citation{File: "lumora_standup.txt", Line: 1}),
		event("EX-0105", reports.Citation{File: "lumora_access_full.csv", Row: 812, Line: 813, Offset: 129931}),
		// Many rows: each has its number in the table, the table no byte.
		{Number: "EX-0106 – EX-0107", Kind: reports.ExhibitEvents, Tag: "foreign-access",
			Header: []string{"Exhibit", "Office", "Row"}, Rows: [][]string{{"EX-0106", "Singapore", "4190"}, {"EX-0107", "Queenstown", "4211"}},
			Citation: reports.Citation{File: "lumora_access_sg.csv", SHA256: sha}},
	}}}
	text := oneLine(pdfText(t, write(t, r, reports.Options{Date: reportDate})))
	cite := func(file string) string {
		m := regexp.MustCompile(`Source: ` + regexp.QuoteMeta(file) + `, sha256 [0-9a-f]+…((, (row|line|byte) \d+)*)`).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("no citation of %s in %s", file, text)
		}
		return m[1]
	}
	for file, want := range map[string]string{
		"lumora_access_2022.xlsx":  ", row 41, line 42",
		"lumora_access_export.csv": ", row 57, line 58",
		"lumora_board_call.docx":   ", line 1",
		"lumora_standup.txt":       ", line 1, byte 0",
		"lumora_access_full.csv":   ", row 812, line 813, byte 129931",
		"lumora_access_sg.csv":     "",
	} {
		if got := cite(file); got != want {
			t.Errorf("%s is cited as %q, want %q", file, got, want)
		}
	}
	if !strings.Contains(text, "lumora_access_sg.csv, sha256 1111aaaa2222bbbb…, rows as numbered in the table's Row column") {
		t.Errorf("the events table does not say where its rows' places are")
	}
	if n := len(regexp.MustCompile(`byte 0\b`).FindAllString(text, -1)); n != 1 {
		t.Errorf(`"byte 0" is printed %d times, want once (line 1 of a plain file)`, n)
	}
}
