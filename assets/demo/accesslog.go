package demo

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// logColumns is the access log's header, exactly.
var logColumns = []string{
	"timestamp", "employee_id", "employee_name", "office", "office_country", "source_ip",
	"action", "system", "resource", "data_category", "subject_region", "record_count",
	"approval_id", "approver", "approver_country", "purpose",
}

// Row counts of the access log.
const (
	logRows           = 50000 // before the extras (off-hours, offshore, bulk day)
	plantedForeign    = 300   // CN/SG/IE staff on protected US data
	plantedForeignNoA = 120   // ... of which without an approval id
	plantedForeignCN  = 80    // ... of which approved by an approver in CN
	plantedUSNoA      = 200   // US staff on protected data without approval
)

// protectedCategories need an approval whatever the region; the others
// (profile_public, aggregate_metrics) do not.
var protectedCategories = []string{"phone", "email", "birthday", "precise_location", "device_id", "contacts", "messages"}

func isProtected(cat string) bool { return slices.Contains(protectedCategories, cat) }

var (
	logStart = time.Date(2022, 1, 3, 0, 0, 0, 0, time.UTC)
	logDays  = int(time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC).Sub(logStart).Hours() / 24)
)

// event is one generated row before it is written.
type event struct {
	t        time.Time
	emp      employee
	ip       string
	action   string
	system   string
	resource string
	category string
	region   string
	records  int
	approver string // approver's name; "" when none
	purpose  string
	kinds    []string
	why      []string // one sentence per kind
	seq      int      // generation order, the tie-breaker of the sort
	ticket   string
}

type logGen struct {
	r    *rand.Rand
	ips  map[string][]string // employee id -> workstation addresses
	evts []*event
}

// accessLog generates the access log and its planted rows.
func accessLog() ([]byte, LogFile, []PlantedRow, error) {
	g := &logGen{r: rand.New(rand.NewPCG(20220103, 0x6c756d6f7261)), ips: map[string][]string{}}
	for _, e := range roster {
		o := offices[e.Office]
		for range 2 {
			g.ips[e.ID] = append(g.ips[e.ID], fmt.Sprintf("%s.%d", o.Net, o.Lo+g.r.IntN(o.Hi-o.Lo+1)))
		}
	}
	g.planted()
	for len(g.evts) < logRows {
		g.normal()
	}
	g.extras()
	slices.SortStableFunc(g.evts, func(a, b *event) int {
		return cmp.Or(a.t.Compare(b.t), cmp.Compare(a.seq, b.seq))
	})
	g.tickets()

	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(logColumns); err != nil {
		return nil, LogFile{}, nil, err
	}
	var planted []PlantedRow
	for i, e := range g.evts {
		apCountry := ""
		if e.approver != "" {
			apCountry = person(e.approver).country()
		}
		rec := []string{
			e.t.Format(time.RFC3339), e.emp.ID, e.emp.Name, e.emp.Office, e.emp.country(), e.ip,
			e.action, e.system, e.resource, e.category, e.region, strconv.Itoa(e.records),
			e.ticket, e.approver, apCountry, e.purpose,
		}
		if err := w.Write(rec); err != nil {
			return nil, LogFile{}, nil, err
		}
		if isProtected(e.category) && e.records > DemoBulkThreshold {
			e.kinds = append(e.kinds, KindBulk)
			e.why = append(e.why, fmt.Sprintf("%s took %d records of protected data in one %s.", e.emp.Name, e.records, e.action))
		}
		for k, kind := range e.kinds {
			planted = append(planted, PlantedRow{
				File: accessLogName, Row: i + 1, Kind: kind,
				ActorID: e.emp.ID, Country: e.emp.country(), Why: e.why[k],
			})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, LogFile{}, nil, err
	}
	lf := LogFile{Name: accessLogName, Rows: len(g.evts), Columns: slices.Clone(logColumns)}
	return buf.Bytes(), lf, planted, nil
}

// pick returns one of items, chosen with the given weights.
func pick[T any](r *rand.Rand, items []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return items[i]
		}
		n -= w
	}
	return items[len(items)-1]
}

// oneOf returns a uniformly chosen item.
func oneOf[T any](r *rand.Rand, items ...T) T { return items[r.IntN(len(items))] }

// when picks a time during e's working day; months weights the month
// (January first), nil for uniform.
func (g *logGen) when(e employee, months []int) time.Time {
	var day time.Time
	for {
		if months == nil {
			day = logStart.AddDate(0, 0, g.r.IntN(logDays))
		} else {
			m := pick(g.r, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}, months)
			day = time.Date(2022, time.Month(m), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
			if day.Before(logStart) {
				continue
			}
		}
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday || g.r.IntN(30) == 0 {
			break
		}
	}
	o := offices[e.Office]
	// Only the planted off-hours rows fall outside the working week: a
	// weekend draw moves to the Friday before (without drawing again, so
	// the rest of the log stays as it was).
	switch day.Weekday() {
	case time.Saturday:
		day = day.AddDate(0, 0, -1)
	case time.Sunday:
		day = day.AddDate(0, 0, -2)
	}
	return day.Add(time.Duration(o.UTCWork)*time.Hour + time.Duration(g.r.IntN(9*3600+59*60))*time.Second)
}

func (g *logGen) add(e *event) {
	e.seq = len(g.evts)
	ips := g.ips[e.emp.ID]
	e.ip = ips[0]
	if g.r.IntN(10) == 0 {
		e.ip = ips[1]
	}
	g.evts = append(g.evts, e)
}

// access fills system, action, resource and record count for a category.
func (g *logGen) access(e *event) {
	r := strings.ToLower(e.region)
	switch e.category {
	case "aggregate_metrics":
		e.system = "Aurora-Analytics"
		e.action = pick(g.r, []string{"query", "export"}, []int{8, 2})
		e.resource = r + "_metrics." + oneOf(g.r, "daily_active", "retention", "watch_time", "creator_growth")
		e.records = 10 + g.r.IntN(4991)
		return
	case "profile_public":
		e.resource = r + "_users.profile"
	default:
		e.resource = r + "_users." + e.category
	}
	switch {
	case e.category == "device_id" || e.category == "precise_location":
		e.system = pick(g.r, []string{"Aurora-Analytics", "UserVault"}, []int{6, 4})
	case e.category == "messages" || e.category == "phone" || e.category == "email":
		e.system = pick(g.r, []string{"TrustDesk", "UserVault"}, []int{5, 5})
	default:
		e.system = "UserVault"
	}
	switch e.system {
	case "TrustDesk":
		e.action, e.records = "read", 1+g.r.IntN(3)
	case "Aurora-Analytics":
		e.action = pick(g.r, []string{"query", "export"}, []int{7, 3})
		e.records = 10 + g.r.IntN(4991)
	default:
		e.action = pick(g.r, []string{"read", "export", "download"}, []int{7, 2, 1})
		e.records = 1 + g.r.IntN(20)
		if e.action != "read" {
			e.records = 50 + g.r.IntN(4951)
		}
	}
}

var (
	regionApprovers = map[string][]string{
		"US": {"Jordan Pike", "Rosa Delgado", "Victor Hale"},
		"CA": {"Aisha Karim", "Rosa Delgado"},
		"EU": {"Conor Walsh", "Siobhan Keane"},
		"SG": {"Priya Raman", "Tan Hui Min"},
	}
	homeRegion = map[string]string{"Austin": "US", "Toronto": "CA", "Dublin": "EU", "Singapore": "SG"}
	regions    = []string{"US", "EU", "SG", "CA"}

	purposeProtected = []string{
		"user report review", "account recovery request", "content moderation appeal", "fraud investigation",
		"law enforcement request review", "age verification check", "spam ring investigation",
		"chargeback dispute", "impersonation report", "safety escalation",
	}
	purposeRare = []string{
		"appeal review, escalated to tier 2", `re-check of "trusted creator" list`,
		"data subject request, deadline Friday",
	}
	purposeAggregate = []string{
		"weekly metrics", "dashboard refresh", "A/B test readout", "quarterly business review",
		"capacity planning", "retention analysis", "creator fund forecast",
	}
	purposeProfile = []string{"creator verification", "bug reproduction", "support ticket", "brand safety review"}
)

// approverFor picks an approver for region, never e itself.
func (g *logGen) approverFor(e employee, region string) string {
	for {
		a := oneOf(g.r, regionApprovers[region]...)
		if a != e.Name {
			return a
		}
	}
}

// normal adds one unremarkable row: staff touching their own region's
// protected data with an approval, or public profiles and aggregates.
func (g *logGen) normal() {
	weights := make([]int, len(roster))
	for i, e := range roster {
		weights[i] = 10
		switch e.Name {
		case "Claire Abernathy", "Daniel Okafor", "Victor Hale":
			weights[i] = 1
		}
	}
	emp := pick(g.r, roster, weights)
	e := &event{emp: emp, t: g.when(emp, nil)}
	home, ok := homeRegion[emp.Office]
	roll := g.r.IntN(100)
	switch {
	case ok && roll < 50:
		e.region = home
		e.category = oneOf(g.r, protectedCategories...)
		e.approver = g.approverFor(emp, home)
		e.purpose = oneOf(g.r, purposeProtected...)
		if g.r.IntN(400) == 0 {
			e.purpose = oneOf(g.r, purposeRare...)
		}
	case ok && roll < 68, !ok && roll < 15:
		e.region = home
		if !ok {
			e.region = oneOf(g.r, regions...)
		}
		e.category = "profile_public"
		e.purpose = oneOf(g.r, purposeProfile...)
	default:
		e.region = pick(g.r, regions, []int{5, 2, 2, 1})
		e.category = "aggregate_metrics"
		e.purpose = oneOf(g.r, purposeAggregate...)
	}
	g.access(e)
	if e.category == "aggregate_metrics" && e.action == "export" && g.r.IntN(1500) == 0 {
		e.records = 50000 + g.r.IntN(150000)
	}
	g.add(e)
}

var categoryWords = map[string]string{
	"phone": "phone numbers", "email": "email addresses", "birthday": "birthdays",
	"precise_location": "precise locations", "device_id": "device identifiers",
	"contacts": "contact lists", "messages": "private messages",
}

// planted adds the rows the investigation should find.
func (g *logGen) planted() {
	actors := []string{"Wei Zhang", "Feng Rui", "Tang Jiahui", "Han Yue", "Qian Bo", "Peng Lu", "Lu Chen",
		"Arjun Nair", "Farah Ismail", "Eoin Murphy", "Lukas Weber"}
	actorW := []int{12, 4, 4, 2, 2, 4, 2, 3, 2, 2, 2}
	cnActors, cnW := actors[:7], actorW[:7]
	months := []int{1, 2, 3, 3, 4, 4, 3, 2, 2}
	catW := []int{4, 2, 2, 3, 4, 3, 1}

	// The export the July incident review talks about.
	fixed := &event{
		emp: person("Wei Zhang"), t: time.Date(2022, 6, 29, 3, 12, 44, 0, time.UTC),
		region: "US", category: "device_id", system: "Aurora-Analytics", action: "export",
		resource: "us_users.device_id", records: 58213, purpose: "ranking test backfill",
	}
	g.foreign(fixed, "")
	for i := 1; i < plantedForeign; i++ {
		var e *event
		approver := ""
		switch {
		case i < plantedForeignNoA:
			e = &event{emp: person(pick(g.r, actors, actorW))}
			e.purpose = oneOf(g.r, "ranking experiment", "", "debugging", "data pull for HQ",
				`pull for "project Sandglass"`, "model training sample", "")
		case i == plantedForeignNoA:
			// The Singapore re-run the June chat mentions, approved from Beijing.
			e = &event{
				emp: person("Arjun Nair"), t: time.Date(2022, 4, 27, 6, 41, 9, 0, time.UTC),
				region: "US", category: "contacts", system: "UserVault", action: "export",
				resource: "us_users.contacts", records: 4800, purpose: "re-run for Beijing, approver per Li Na",
			}
			g.foreign(e, "Li Na")
			continue
		case i < plantedForeignNoA+plantedForeignCN:
			e = &event{emp: person(pick(g.r, cnActors, cnW))}
			approver = pick(g.r, []string{"Li Na", "Gao Shuang"}, []int{3, 1})
			e.purpose = oneOf(g.r, "ticket follow-up, per Li Na", "HQ request", "recommendation tuning",
				"algorithm quality review", "per master admin, urgent")
		default:
			e = &event{emp: person(pick(g.r, actors, actorW))}
			approver = oneOf(g.r, "Jordan Pike", "Rosa Delgado")
			e.purpose = oneOf(g.r, "cross-team support", "engineering support", "migration validation")
		}
		e.t = g.when(e.emp, months)
		e.region = "US"
		e.category = pick(g.r, protectedCategories, catW)
		g.access(e)
		if i < plantedForeignNoA && i%40 == 7 { // a few bulk exports
			e.system, e.action, e.records = "Aurora-Analytics", "export", 50000+g.r.IntN(60000)
		}
		g.foreign(e, approver)
	}

	var usStaff []string
	for _, e := range roster {
		if e.Office == "Austin" && !e.Approver && e.Name != "Claire Abernathy" && e.Name != "Daniel Okafor" {
			usStaff = append(usStaff, e.Name)
		}
	}
	for range plantedUSNoA {
		e := &event{emp: person(oneOf(g.r, usStaff...)), region: "US"}
		e.t = g.when(e.emp, nil)
		e.category = oneOf(g.r, protectedCategories...)
		e.purpose = oneOf(g.r, "quick look", "", "customer escalation", "VIP complaint, urgent", "spot check")
		g.access(e)
		e.kinds = []string{KindNoApproval}
		e.why = []string{fmt.Sprintf("%s read US users' %s (%s) without an approval id.",
			e.emp.Name, categoryWords[e.category], e.resource)}
		g.add(e)
	}
}

// foreign completes and adds a planted foreign-access row.
func (g *logGen) foreign(e *event, approver string) {
	o := offices[e.emp.Office]
	e.approver = approver
	e.kinds = []string{KindForeignAccess}
	e.why = []string{fmt.Sprintf("%s in %s (%s) accessed US users' %s (%s), protected US data.",
		e.emp.Name, o.Name, o.Country, categoryWords[e.category], e.resource)}
	switch {
	case approver == "":
		e.kinds = append(e.kinds, KindNoApproval)
		e.why = append(e.why, "The access to protected US data carries no approval id.")
	case person(approver).country() != "US":
		a := person(approver)
		e.kinds = append(e.kinds, KindForeignApprover)
		e.why = append(e.why, fmt.Sprintf("The access was approved by %s in %s, not by the US security team.",
			a.Name, a.Office))
	}
	g.add(e)
}

// tickets gives approved rows approval ids in time order; a person reusing the
// same resource with the same approver within five days reuses the ticket.
func (g *logGen) tickets() {
	type open struct {
		id   string
		last time.Time
	}
	byKey := map[string]*open{}
	n := 0
	for _, e := range g.evts {
		if e.approver == "" {
			continue
		}
		key := e.emp.ID + "|" + e.resource + "|" + e.approver
		o := byKey[key]
		if o == nil || e.t.Sub(o.last) > 5*24*time.Hour {
			n++
			o = &open{id: fmt.Sprintf("APR-2022-%05d", n)}
			byKey[key] = o
		}
		o.last = e.t
		e.ticket = o.id
	}
}
