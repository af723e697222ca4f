package importer

import "testing"

// An approval column is placed by its name when its ids are shaped like
// tickets of several forms, even when most rows carry none (access without
// approval is what an investigator looks for).
func TestApprovalIDsOfSeveralShapesConfirmTheirColumn(t *testing.T) {
	header := []string{"timestamp", "employee_name", "office_country", "resource", "approval_id"}
	for _, ids := range [][]string{
		{"APR-2022-00031", "APR-2022-00168"},
		{"SEC-123", "SEC-9"},
		{"CHG0030001", "CHG0030417"},
	} {
		sample := [][]string{
			{"2022-01-03T01:11:46Z", "Kenji Morimoto", "SG", "us_users.phone", ""},
			{"2022-01-03T02:11:46Z", "Li Na", "CN", "us_users.email", ids[0]},
			{"2022-01-03T03:11:46Z", "Wei Zhang", "CN", "us_users.email", ""},
			{"2022-01-03T04:11:46Z", "Mia Chen", "US", "us_users.profile", ids[1]},
		}
		g, err := DetectRolesMapped(header, sample, nil)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := g.Placed["approval"]
		if !ok || p.Header != "approval_id" || p.Confidence < 0.5 {
			t.Errorf("ids like %s: approval placed as %+v (%v); unsure: %v", ids[0], p, ok, g.Unsure())
		}
	}
	for _, v := range []string{"US-EAST", "OK", "us_users.phone", "2022-01-03"} {
		if looksApproval(v) {
			t.Errorf("%q looks like an approval id", v)
		}
	}
}
