package demo

import (
	"bytes"
	"encoding/csv"
	"strings"
)

// RosterCSV is Lumora's staff as an HR export would list them: employee id,
// name, a work e-mail, office, country and role — the demo's roster
// (casebook roster). The e-mail addresses are under the reserved
// .example domain.
func RosterCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"employee_id", "name", "email", "office", "country", "team", "employer"})
	for _, e := range roster {
		_ = w.Write([]string{e.ID, e.Name, emailOf(e.Name), e.Office, e.country(), e.Role, "Lumora"})
	}
	w.Flush()
	return b.Bytes()
}

// emailOf is a demo employee's work address: first.last@lumora.example,
// letters folded to ASCII.
func emailOf(name string) string {
	r := strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ñ", "n", "ü", "u", "ö", "o", "ä", "a")
	parts := strings.Fields(strings.ToLower(r.Replace(name)))
	return strings.Join(parts, ".") + "@lumora.example"
}

// DataMapCSV is what Lumora's data stores hold (casebook datamap): each
// regional user table by the category of its column, the metrics tables as
// aggregates of any region. The demo's access log states categories itself,
// so the map fills nothing there; it shows the form for logs that do not.
func DataMapCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"field", "pattern", "category", "region"})
	for _, region := range regions {
		r := strings.ToLower(region)
		for _, c := range protectedCategories {
			_ = w.Write([]string{"resource", r + "_users." + c, c, region})
		}
		_ = w.Write([]string{"resource", r + "_users.profile", "profile_public", region})
	}
	_ = w.Write([]string{"resource", "*_metrics.*", "aggregate_metrics", "*"})
	w.Flush()
	return b.Bytes()
}
