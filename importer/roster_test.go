package importer

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReadRosterReadsTheFirstSheetOfAWorkbook(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"Employee ID", "Full name", "Work email", "AWS ARN", "Location", "Country", "Department"},
		{"E-104", "Wei Lin", "wei.lin@lumora.example", "arn:aws:iam::111122223333:user/wlin", "Beijing", "China", "Data Platform"},
		{"E-105", "Ola Berg", "ola.berg@lumora.example | ola@lumora.example", "", "Oslo", "NO", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	people, err := ReadRoster(t.Context(), "staff.xlsx", bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 2 {
		t.Fatalf("%d people, want 2", len(people))
	}
	w := people[0]
	if w.Row != 1 || w.Name != "Wei Lin" || w.Office != "Beijing" || w.Country != "CN" || w.Team != "Data Platform" ||
		!slices.Equal(w.IDs, []string{"E-104", "wei.lin@lumora.example", "arn:aws:iam::111122223333:user/wlin"}) {
		t.Errorf("first person %+v", w)
	}
	if o := people[1]; !slices.Equal(o.IDs, []string{"E-105", "ola.berg@lumora.example", "ola@lumora.example"}) || o.Country != "NO" {
		t.Errorf("second person %+v", o)
	}
}
