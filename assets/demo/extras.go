package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
	_ "time/tzdata" // the offices' zones, on any machine
)

// The offshore backup: a copy of US user tables kept in Singapore.
const (
	offshorePattern = "%_backup_sg.%"
	offshoreFrom    = "2022-03-01"
	offshoreRows    = 12 // planted reads on or after offshoreFrom
	offshoreDecoys  = 4  // reads of the same backup before it (not evidence)
	offHoursRows    = 16
	bulkDayRows     = 8
)

// extras adds the planted off-hours rows, the offshore-copy reads (and
// decoys before the cut-off), and one day of unusual volume. They draw from
// their own generator, so the rest of the log is unchanged by them.
func (g *logGen) extras() {
	r := rand.New(rand.NewPCG(20220301, 0x6f6666))
	// Off-hours: staff reading their own region's protected data, approved,
	// late at night or at the weekend in their office's time.
	type who struct{ name, region string }
	staff := []who{{"Ethan Brooks", "US"}, {"Marcus Bell", "US"}, {"Owen Parrish", "US"}, {"Eoin Murphy", "EU"},
		{"Niamh Brennan", "EU"}, {"Farah Ismail", "SG"}, {"Kenji Morimoto", "SG"}, {"Ben Okonkwo", "CA"}}
	for i := range offHoursRows {
		w := staff[i%len(staff)]
		emp := person(w.name)
		loc, err := time.LoadLocation(OfficeZones[emp.Office])
		if err != nil {
			panic(err) // the zone table is constant
		}
		day := logStart.AddDate(0, 0, 7+r.IntN(logDays-21))
		var local time.Time
		if i%4 == 3 { // a Saturday afternoon
			for day.Weekday() != time.Saturday {
				day = day.AddDate(0, 0, 1)
			}
			local = time.Date(day.Year(), day.Month(), day.Day(), 13+r.IntN(4), r.IntN(60), r.IntN(60), 0, loc)
		} else { // a weeknight, 21:00–04:59
			for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
				day = day.AddDate(0, 0, 1)
			}
			h := (21 + r.IntN(8)) % 24
			local = time.Date(day.Year(), day.Month(), day.Day(), h, r.IntN(60), r.IntN(60), 0, loc)
		}
		e := &event{emp: emp, t: local.UTC(), region: w.region, category: oneOf(r, protectedCategories...)}
		e.purpose = oneOf(r, "late escalation", "overnight check", "weekend follow-up", "")
		g.accessWith(r, e)
		e.approver = approverWith(r, emp, w.region)
		e.kinds = []string{KindOffHours}
		e.why = []string{fmt.Sprintf("%s (%s) read %s users' %s at %s local time, outside working hours.",
			emp.Name, emp.Office, w.region, categoryWords[e.category], local.Format("Mon 15:04"))}
		g.add(e)
	}
	// Offshore copy: Austin staff reading the Singapore backup of US tables.
	cut, _ := time.Parse("2006-01-02", offshoreFrom)
	austin := []string{"Tyler Grant", "Samira Patel", "Nadia Haddad", "Grace Whitfield"}
	for i := range offshoreRows + offshoreDecoys {
		emp := person(austin[i%len(austin)])
		var day time.Time
		if i < offshoreRows {
			day = cut.AddDate(0, 0, r.IntN(180))
		} else {
			day = logStart.AddDate(0, 0, 7+r.IntN(int(cut.Sub(logStart).Hours()/24)-10))
		}
		for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			day = day.AddDate(0, 0, 1)
		}
		e := &event{emp: emp, region: "US", category: oneOf(r, protectedCategories...)}
		e.t = day.Add(time.Duration(offices[emp.Office].UTCWork)*time.Hour + time.Duration(r.IntN(8*3600))*time.Second)
		e.system, e.action, e.records = "UserVault-Backup", "read", 1+r.IntN(400)
		e.resource = "us_users_backup_sg." + e.category
		e.purpose = oneOf(r, "restore check", "backup verification", "table comparison")
		e.approver = approverWith(r, emp, "US")
		if i < offshoreRows {
			e.kinds = []string{KindOffshoreCopy}
			e.why = []string{fmt.Sprintf("%s read US users' %s from the Singapore backup (%s) after %s.",
				emp.Name, categoryWords[e.category], e.resource, offshoreFrom)}
		}
		g.add(e)
	}
	// One day of unusual volume: many exports, each below the threshold, on
	// a day the security chief (who rarely touches data) has no other rows.
	emp := person("Victor Hale")
	busy := map[string]bool{}
	for _, e := range g.evts {
		if e.emp.ID == emp.ID {
			busy[e.t.Format(time.DateOnly)] = true
		}
	}
	day := time.Date(2022, 5, 16, 0, 0, 0, 0, time.UTC)
	for busy[day.Format(time.DateOnly)] || day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	if day.Month() > time.September {
		panic("demo: no free day for the bulk day") // the generator is deterministic: a programming error
	}
	for i := range bulkDayRows {
		e := &event{emp: emp, region: "US", category: "precise_location", system: "Aurora-Analytics", action: "export",
			resource: "us_users.precise_location", records: 7000 + r.IntN(2900), purpose: "location heatmap, full history"}
		e.t = day.Add(time.Duration(offices[emp.Office].UTCWork)*time.Hour + time.Duration(i*55+r.IntN(40))*time.Minute)
		e.approver = "Rosa Delgado"
		e.kinds = []string{KindBulk}
		e.why = []string{fmt.Sprintf("%s exported %d US precise locations, one of %d exports on %s, far above his usual day.",
			emp.Name, e.records, bulkDayRows, day.Format(time.DateOnly))}
		g.add(e)
	}
}

// accessWith is access drawing from r, keeping records at or below the
// bulk threshold.
func (g *logGen) accessWith(r *rand.Rand, e *event) {
	saved := g.r
	g.r = r
	g.access(e)
	g.r = saved
}

// approverWith picks an approver for region from r, never e itself.
func approverWith(r *rand.Rand, e employee, region string) string {
	for {
		a := oneOf(r, regionApprovers[region]...)
		if a != e.Name {
			return a
		}
	}
}
