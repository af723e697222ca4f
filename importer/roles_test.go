package importer

import (
	"strings"
	"testing"
	"time"
)

func TestDetectRolesPlacesByNameAndByValueShape(t *testing.T) {
	header := []string{"Event TS", "emp", "src", "cc", "ticket_ref", "userIdentity.arn", "client.geographicalContext.city"}
	sample := [][]string{
		{"2024-03-01T10:00:00Z", "Mia", "192.0.2.1", "US", "APR-1", "arn:a", "Los Angeles"},
		{"2024-03-01T11:00:00Z", "Dan", "2001:db8::1", "PH", "APR-22", "arn:b", "Manila"},
	}
	g := DetectRoles(header, sample)
	want := map[string]string{"time": "Event TS", "ip": "src", "country": "cc", "approval": "ticket_ref",
		"actor": "userIdentity.arn", "office": "client.geographicalContext.city"}
	for role, h := range want {
		p, ok := g.Placed[role]
		if !ok || p.Header != h || p.Confidence <= 0 || p.Confidence > 1 {
			t.Errorf("%s placed at %+v, want %s", role, p, h)
		}
	}
	if g.Placed["ip"].By != "values" || g.Placed["time"].By != "name" || g.Placed["time"].Confidence < 0.95 {
		t.Errorf("ip %+v, time %+v", g.Placed["ip"], g.Placed["time"])
	}
	if strings.Contains(strings.Join(g.Unplaced, ","), "time") || !strings.Contains(strings.Join(g.Unplaced, ","), "resource") {
		t.Errorf("unplaced %v", g.Unplaced)
	}
}

func TestDetectRolesAdviceNamesTheRolesToMap(t *testing.T) {
	g := DetectRoles([]string{"timestamp", "resource", "approval_id", "note"}, [][]string{{"2024-03-01T10:00:00Z", "x", "APR-1", "hello"}})
	if a := g.Advice(); a != "no column placed for: actor, country — map with --map actor=COLUMN,country=COLUMN" {
		t.Errorf("advice %q", a)
	}
	// A time column whose values are no times is unsure.
	g = DetectRoles([]string{"time", "user", "country", "resource", "approval"}, [][]string{{"soon", "Mia", "US", "x", "A-1"}})
	if p := g.Placed["time"]; p.Confidence >= 0.5 || !strings.HasPrefix(g.Advice(), "no column placed for: time") {
		t.Errorf("time %+v, advice %q", p, g.Advice())
	}
	if _, err := DetectRolesMapped([]string{"a"}, nil, map[string]string{"colour": "a"}); err == nil {
		t.Error("an unknown role was accepted")
	}
	g, err := DetectRolesMapped([]string{"a", "b"}, nil, map[string]string{"time": "2"})
	if err != nil || g.Col("time") != 1 || g.Placed["time"].By != "map" {
		t.Errorf("%+v %v", g, err)
	}
}

func TestParseTimeReadsEveryWrittenForm(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	for _, c := range []struct {
		in   string
		loc  *time.Location
		want string
	}{
		{"2024-03-01T10:00:00Z", nil, "2024-03-01T10:00:00Z"},
		{"2024-03-01T10:00:00.123456789+02:00", nil, "2024-03-01T08:00:00.123456789Z"},
		{"2024-03-01 10:00:00", ny, "2024-03-01T15:00:00Z"},
		{"2024-03-01T10:00:00", time.UTC, "2024-03-01T10:00:00Z"},
		{"1709287200", nil, "2024-03-01T10:00:00Z"},
		{"1709287200123", nil, "2024-03-01T10:00:00.123Z"},
		{"1709287200123456", nil, "2024-03-01T10:00:00.123456Z"},
		{"1709287200123456789", nil, "2024-03-01T10:00:00.123456789Z"},
		{"01/Mar/2024:10:00:00 -0500", nil, "2024-03-01T15:00:00Z"},
		{"2015-08-12 16:13:43.810 EDT", nil, "2015-08-12T20:13:43.81Z"},
		{"2015-08-12 16:13:43 UTC", nil, "2015-08-12T16:13:43Z"},
		{"Fri, 01 Mar 2024 10:00:00 GMT", nil, "2024-03-01T10:00:00Z"},
		{"03/01/2024 10:00 PM", nil, "2024-03-01T22:00:00Z"},
	} {
		got, err := ParseTime(c.in, c.loc)
		if err != nil || !got.Equal(utc(c.want)) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2015-08-12 16:13:43 XYZT", "13/13/2024"} {
		if _, err := ParseTime(bad, nil); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
}

func TestTimeParserSettlesDayMonthOrderFromTheColumn(t *testing.T) {
	var warns []string
	warn := func(_ int, m string) { warns = append(warns, m) }
	eu := NewTimeParser([]string{"03/04/2024 10:00", "25/04/2024 10:00"}, true, nil, warn)
	if got, _ := eu.Parse("03/04/2024 10:00", 2); !eu.DayFirst() || !got.Equal(utc("2024-04-03T10:00:00Z")) || len(warns) != 0 {
		t.Errorf("European: %v day-first %v %v", got, eu.DayFirst(), warns)
	}
	us := NewTimeParser([]string{"03/04/2024", "04/25/2024"}, true, nil, warn)
	if got, _ := us.Parse("03/04/2024", 2); us.DayFirst() || !got.Equal(utc("2024-03-04T00:00:00Z")) {
		t.Errorf("US: %v", got)
	}
	// Nothing tells: a '/' date that reads both ways is refused, naming --date-order.
	amb := NewTimeParser([]string{"03/04/2024", "05/06/2024"}, true, nil, warn)
	amb.Settled()
	if _, err := amb.Parse("03/04/2024", 2); err == nil || !strings.Contains(err.Error(), "--date-order") || len(warns) != 0 {
		t.Errorf("ambiguous: %v %v", err, warns)
	}
	// the first later value that tells settles the order for the rest
	got, err := amb.Parse("25/06/2024", 9)
	got2, err2 := amb.Parse("05/06/2024", 10)
	if err != nil || err2 != nil || !got.Equal(utc("2024-06-25T00:00:00Z")) || !got2.Equal(utc("2024-06-05T00:00:00Z")) {
		t.Errorf("settled by a later value: %v %v, %v %v", got, err, got2, err2)
	}
	// after that, a value that reads only the other way is refused, not flipped
	if _, err := amb.Parse("06/25/2024", 11); err == nil || !strings.Contains(err.Error(), "day first") {
		t.Errorf("contradiction: %v", err)
	}
	dots := NewTimeParser([]string{"03.04.2024"}, true, nil, warn)
	dots.Settled()
	if !dots.DayFirst() || len(warns) != 1 || !strings.Contains(warns[0], "by custom") {
		t.Errorf("dotted dates are European by custom: %v", warns)
	}
	xl := NewTimeParser([]string{"44562.5", "44563"}, true, nil, nil)
	if got, _ := xl.Parse("44562.5", 2); !xl.Excel() || !got.Equal(utc("2022-01-01T12:00:00Z")) {
		t.Errorf("Excel serial: %v", got)
	}
	if NewTimeParser([]string{"44562.5"}, false, nil, nil).Excel() {
		t.Error("numbers in a column not named as a time were taken for Excel serials")
	}
}

func TestCountryCodesFromCodesAndEnglishNames(t *testing.T) {
	for in, want := range map[string]string{"United States": "US", "us": "US", "USA": "US", "Philippines": "PH",
		"Korea, Republic of": "KR", "South Korea": "KR", "Côte d'Ivoire": "CI", "cote divoire": "CI", "UK": "GB",
		"United Kingdom": "GB", "Türkiye": "TR", "Viet Nam": "VN", "Singapore": "SG", "MEX": "MX"} {
		if got, ok := CountryCode(in); !ok || got != want {
			t.Errorf("CountryCode(%q) = %q %v, want %s", in, got, ok, want)
		}
	}
	if len(isoCountries) != 249 {
		t.Errorf("%d countries in the table, ISO 3166-1 has 249", len(isoCountries))
	}
	if _, ok := CountryCode("Atlantis"); ok {
		t.Error("Atlantis is a country")
	}
	if normCountry("Atlantis") != "Atlantis" || normCountry("  fr ") != "FR" {
		t.Error("normCountry")
	}
}

func TestSyslogYearComesFromOptionsOrIsAssumedAloud(t *testing.T) {
	data := []byte("Dec 31 23:59:59 h sshd[1]: Accepted password for mia from 192.0.2.1 port 1 ssh2\n" +
		"Jan  1 00:00:01 h sshd[1]: Accepted password for mia from 192.0.2.1 port 1 ssh2\n")
	s := mustParseLog(t, "syslog", "auth.log", data, Options{Year: 2023})
	if !s.events[0].Time.Equal(utc("2023-12-31T23:59:59Z")) || !s.events[1].Time.Equal(utc("2024-01-01T00:00:01Z")) || len(s.warns) != 0 {
		t.Errorf("%v %v %v", s.events[0].Time, s.events[1].Time, s.warns)
	}
	s = mustParseLog(t, "syslog", "auth.log", data, Options{})
	if len(s.warns) != 1 || !strings.Contains(s.warns[0], "assumed "+itoa(time.Now().Year())) {
		t.Errorf("warnings %v", s.warns)
	}
}
