package reports_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"casebook/reports"
)

// pdfWord is one word as pdftotext -tsv places it on its page (in points).
type pdfWord struct {
	page                     int
	left, top, width, height float64
	text                     string
}

// pdfWords reads every word of the PDF back with its position.
func pdfWords(t *testing.T, pdf []byte) []pdfWord {
	t.Helper()
	var out []pdfWord
	for _, line := range strings.Split(pdftotext(t, pdf, "-tsv"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 12 || f[0] != "5" {
			continue // the header line, and the page, flow and line records
		}
		num := func(i int) float64 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				t.Fatalf("pdftotext -tsv: %q: %v", line, err)
			}
			return v
		}
		out = append(out, pdfWord{page: int(num(1)), left: num(6), top: num(7), width: num(8), height: num(9), text: f[11]})
	}
	if len(out) == 0 {
		t.Fatal("pdftotext -tsv read no words")
	}
	return out
}

// eventsHeader and eventsWeights are the events table as casefile builds it.
var (
	eventsHeader  = []string{"Exhibit", "Time (UTC)", "Actor", "Office", "Country", "Resource", "Records", "Approval", "Row"}
	eventsWeights = []float64{1.1, 1.7, 1.4, 1, 0.8, 2.4, 0.9, 1.5, 0.7}
)

// longApproval is wider than any column may grow: it has to break, and may
// only break after one of its hyphens.
const longApproval = "LUMORA-APPROVAL-QUEENSTOWN-REGIONAL-TICKET-000168-REVISION-FINAL-ARCHIVE"

// tablesReport is a fictional report whose tables have narrow columns,
// headings wider than their share of the page, and words that only just fit.
func tablesReport() reports.Report {
	r := sample(0)
	r.Rules = []reports.Rule{
		{Name: "Protected home-user data touched from outside the home jurisdictions", Condition: "country NOT IN home AND category IN protected",
			Parameters: `{"phrases":["master admin","see everything"],"needs_approval_required":true}`, Suggestions: 1, Coverage: "50,040 of 50,040 events"},
		{Name: "phrase-us-data", Condition: "phrase", Parameters: "{}", Suggestions: 19, Coverage: "867 of 867 segments"},
	}
	offices := []string{"Singapore", "Johannesburg", "Kuala Lumpur", "Queenstown"}
	approvals := []string{"APR-2022-00168", "APR-2022-001-68", "none", longApproval}
	var rows [][]string
	for i := 0; i < 24; i++ {
		rows = append(rows, []string{"EX-" + strconv.Itoa(1000+i), "2022-01-06 01:45:09",
			"Marisol Etxeberria", offices[i%len(offices)], "SG", "us_users.precise_location", strconv.Itoa(1319 + i),
			approvals[i%len(approvals)], strconv.Itoa(724 + 61*i)})
	}
	table := reports.Exhibit{Number: "EX-1000 – EX-1023", Kind: reports.ExhibitEvents, Tag: "foreign-access",
		Header: eventsHeader, Weights: eventsWeights, Rows: rows,
		Citation: reports.Citation{File: "lumora_data_access_2022.csv", SHA256: "1111aaaa2222bbbb3333cccc4444dddd5555eeee6666ffff7777000088889999"}}
	r.Sections = []reports.Section{{Title: "Tag: foreign-access", Exhibits: []reports.Exhibit{table}}}
	return r
}

func TestTableCellsBreakAtSpacesAndNeverInsideAWord(t *testing.T) {
	r := tablesReport()
	words := pdfWords(t, write(t, r, reports.Options{Date: reportDate}))
	printed := map[string]bool{}
	for _, w := range words {
		printed[w.text] = true
	}
	var cells []string
	for _, row := range r.Sections[0].Exhibits[0].Rows {
		cells = append(cells, row...)
	}
	for _, ru := range r.Rules {
		cells = append(cells, ru.Name, ru.Condition)
	}
	for _, cell := range cells {
		if cell == longApproval {
			continue
		}
		for _, word := range strings.Fields(cell) {
			if !printed[word] {
				t.Errorf("%q of the cell %q is not printed whole", word, cell)
			}
		}
	}
	// The id wider than its column breaks after hyphens only: each of its
	// parts is printed whole, and it does break.
	parts := map[string]bool{}
	broken := false
	for _, w := range words {
		for _, p := range strings.Split(w.text, "-") {
			parts[p] = true
		}
		if strings.HasSuffix(w.text, "-") && strings.HasPrefix(longApproval, w.text) {
			broken = true
		}
	}
	for _, p := range strings.Split(longApproval, "-") {
		if !parts[p] {
			t.Errorf("%q of %s is cut inside", p, longApproval)
		}
	}
	if !broken || printed[longApproval] {
		t.Errorf("%s does not break after a hyphen", longApproval)
	}
}

func TestEveryTableHasAHeadingOverEachColumn(t *testing.T) {
	words := pdfWords(t, write(t, tablesReport(), reports.Options{Date: reportDate}))
	for _, header := range [][]string{
		eventsHeader,
		{"Rule", "Condition", "Parameters", "Suggestions", "Could judge"},
		{"Tag", "Exhibits"},
		{"Actor", "Foreign accesses"},
		{"Name", "Query"},
		{"#", "At", "By", "Action", "Detail"},
	} {
		checkHeadingRow(t, words, header)
	}
}

// checkHeadingRow finds the table whose heading row starts with header's
// first two headings and checks that every heading is printed whole at the
// top of its column, the columns left to right.
func checkHeadingRow(t *testing.T, words []pdfWord, header []string) {
	t.Helper()
	first := strings.Fields(header[0])[0]
	second := strings.Fields(header[1])[0]
	var row pdfWord
	found := false
	for _, w := range words {
		if w.text != first {
			continue
		}
		for _, v := range words {
			if v.page == w.page && v.text == second && math.Abs(v.top-w.top) < 1 && v.left > w.left {
				row, found = w, true
			}
		}
		if found {
			break
		}
	}
	if !found {
		t.Errorf("no heading row %q", header)
		return
	}
	lastLeft := -1.0
	for _, h := range header {
		hw := strings.Fields(h)
		// The heading's first word is on the row's first line; its other
		// words (a heading may wrap) within the next two.
		var at *pdfWord
		for i, w := range words {
			if w.page == row.page && w.text == hw[0] && math.Abs(w.top-row.top) < 1 && w.left > lastLeft {
				at = &words[i]
				break
			}
		}
		if at == nil {
			t.Errorf("table %q: the heading %q is missing", header, h)
			continue
		}
		lastLeft = at.left
		for _, word := range hw[1:] {
			ok := false
			for _, w := range words {
				if w.page == row.page && w.text == word && w.top > row.top-1 && w.top < row.top+3*row.height {
					ok = true
				}
			}
			if !ok {
				t.Errorf("table %q: the heading %q lacks %q", header, h, word)
			}
		}
	}
}
