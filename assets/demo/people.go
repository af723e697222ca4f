package demo

import "fmt"

// All names below are invented for the demo case. None is meant to refer to
// a real person.

// office is one Lumora office. Workstation addresses come from a documentation
// range (RFC 5737), split per office: never a real public range.
type office struct {
	Name    string
	Country string // ISO 3166 alpha-2
	Net     string // first three octets, e.g. "198.51.100"
	Lo, Hi  int    // host range within Net
	UTCWork int    // UTC hour the local working day starts
}

var offices = map[string]office{
	"Austin":    {"Austin", "US", "198.51.100", 10, 120, 14},
	"Toronto":   {"Toronto", "CA", "198.51.100", 140, 250, 13},
	"Beijing":   {"Beijing", "CN", "203.0.113", 10, 120, 1},
	"Shanghai":  {"Shanghai", "CN", "203.0.113", 140, 250, 1},
	"Singapore": {"Singapore", "SG", "192.0.2", 10, 120, 1},
	"Dublin":    {"Dublin", "IE", "192.0.2", 140, 250, 8},
}

// employee is one fictional Lumora employee.
type employee struct {
	ID       string
	Name     string
	Office   string
	Role     string
	Approver bool // may approve access requests for their office's region
}

// roster is Lumora's staff in the demo: 40 people in six offices.
var roster = []employee{
	// Austin (US headquarters)
	{"E1003", "Claire Abernathy", "Austin", "VP Public Policy", false},
	{"E1007", "Daniel Okafor", "Austin", "US Counsel", false},
	{"E1015", "Jordan Pike", "Austin", "Security Engineering Manager", true},
	{"E1021", "Rosa Delgado", "Austin", "Privacy Program Manager", true},
	{"E1033", "Ethan Brooks", "Austin", "Data Analyst", false},
	{"E1042", "Mia Chen", "Austin", "Trust & Safety Lead", false},
	{"E1048", "Hannah Lowry", "Austin", "Support Operations", false},
	{"E1056", "Marcus Bell", "Austin", "Trust & Safety Analyst", false},
	{"E1061", "Nadia Haddad", "Austin", "Data Scientist", false},
	{"E1064", "Tyler Grant", "Austin", "Site Reliability Engineer", false},
	{"E1070", "Grace Whitfield", "Austin", "Moderation Lead", false},
	{"E1077", "Owen Parrish", "Austin", "Risk Analyst", false},
	{"E1082", "Samira Patel", "Austin", "Incident Response Lead", false},
	{"E1089", "Victor Hale", "Austin", "Chief Security Officer", true},
	// Toronto (CA)
	{"E5003", "Aisha Karim", "Toronto", "Canada Operations Lead", true},
	{"E5009", "Tomás Reyes", "Toronto", "Data Analyst", false},
	{"E5014", "Julie Tremblay", "Toronto", "Support Specialist", false},
	{"E5020", "Ben Okonkwo", "Toronto", "Data Engineer", false},
	// Beijing (CN)
	{"E2004", "Li Na", "Beijing", "Platform Operations Lead (master admin)", true},
	{"E2011", "Wei Zhang", "Beijing", "Data Engineer", false},
	{"E2019", "Gao Shuang", "Beijing", "Engineering Manager", true},
	{"E2023", "Feng Rui", "Beijing", "Recommendation Engineer", false},
	{"E2027", "Tang Jiahui", "Beijing", "Data Engineer", false},
	{"E2031", "Qian Bo", "Beijing", "Backend Engineer", false},
	{"E2036", "Han Yue", "Beijing", "Machine Learning Engineer", false},
	{"E2040", "Du Xiaoyan", "Beijing", "QA Engineer", false},
	// Shanghai (CN)
	{"E2105", "Peng Lu", "Shanghai", "Data Engineer", false},
	{"E2112", "Lu Chen", "Shanghai", "Growth Analyst", false},
	{"E2118", "Yan Kai", "Shanghai", "Backend Engineer", false},
	{"E2124", "Bai Ting", "Shanghai", "Machine Learning Engineer", false},
	// Singapore (SG)
	{"E3008", "Priya Raman", "Singapore", "Data Governance Lead", true},
	{"E3014", "Arjun Nair", "Singapore", "Data Engineer", false},
	{"E3019", "Tan Hui Min", "Singapore", "Trust & Safety Manager", true},
	{"E3025", "Farah Ismail", "Singapore", "Analyst", false},
	{"E3031", "Kenji Morimoto", "Singapore", "Site Reliability Engineer", false},
	// Dublin (IE)
	{"E4006", "Conor Walsh", "Dublin", "EU Privacy Engineering Lead", true},
	{"E4012", "Siobhan Keane", "Dublin", "Data Protection Office", true},
	{"E4017", "Eoin Murphy", "Dublin", "Data Engineer", false},
	{"E4023", "Niamh Brennan", "Dublin", "Analyst", false},
	{"E4029", "Lukas Weber", "Dublin", "Trust & Safety Specialist", false},
}

// outsiders are the fictional people who appear in transcripts but do not
// work for Lumora: the committee and the outside auditor.
var outsiders = []string{
	"Senator Ruth Halvorsen",
	"Senator Tobias Whitcombe",
	"Senator Dana Merriweather",
	"Helen Marchetti", // outside auditor, Marchetti & Vance LLP (fictional)
	investigator,
}

// hearingLabels maps the hearing transcript's speaker labels (as the importer
// shows them) to the person.
var hearingLabels = map[string]string{
	"The Chair":         "Senator Dana Merriweather",
	"Senator Halvorsen": "Senator Ruth Halvorsen",
	"Senator Whitcombe": "Senator Tobias Whitcombe",
	"Ms. Abernathy":     "Claire Abernathy",
	"Mr. Okafor":        "Daniel Okafor",
}

var byName = func() map[string]employee {
	m := map[string]employee{}
	for _, e := range roster {
		m[e.Name] = e
	}
	return m
}()

// person returns the employee called name; it panics on a name that is not on
// the roster, which keeps the scripts honest.
func person(name string) employee {
	e, ok := byName[name]
	if !ok {
		panic(fmt.Sprintf("demo: %q is not on the roster", name))
	}
	return e
}

// knownName reports whether s is one of the demo's fictional people (or a
// hearing label for one).
func knownName(s string) bool {
	if _, ok := byName[s]; ok {
		return true
	}
	if _, ok := hearingLabels[s]; ok {
		return true
	}
	for _, o := range outsiders {
		if o == s {
			return true
		}
	}
	return false
}

// country returns the office country of e.
func (e employee) country() string { return offices[e.Office].Country }
