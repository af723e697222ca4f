package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"

	"casebook/model"
)

// Rosters and data maps are small tables the investigator writes or gets
// from HR and IT (CSV, any encoding Casebook reads, or the first sheet of an
// .xlsx workbook) that say who the actors are and what the resources hold.
// They are read whole; a bad row is an error naming the file and row, since a
// roster silently missing a person would turn "on the roster" into a lie.

// tableMaxRows bounds a roster or data map.
const tableMaxRows = 1_000_000

// tableRow is one row of a roster or data-map file: its cells and the line
// (CSV) or sheet row (.xlsx) it starts on.
type tableRow struct {
	line  int
	cells []string
}

// readTable reads every non-empty row of a CSV or .xlsx file.
func readTable(ctx context.Context, name string, r io.Reader, size int64) ([]tableRow, error) {
	pi := newPeekInput(Input{Name: name, R: r, Size: size})
	br := pi.in.R
	var out []tableRow
	if isXLSX(name, pi.head) {
		f, err := openXLSX(pi.in, false)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, Errorf(name, 0, "the workbook has no sheet")
		}
		err = xlsxSheetRows(ctx, name, f, sheets[0], func(x xlsxRow) error {
			if len(out) >= tableMaxRows {
				return Errorf(name, x.n, "more than %d rows", tableMaxRows)
			}
			out = append(out, tableRow{line: x.n, cells: x.cells})
			return nil
		})
		return out, err
	}
	dec, _, err := DecodedReader(br)
	if err != nil {
		return nil, Errorf(name, 0, "%v", err)
	}
	cr := csv.NewReader(dec)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	for {
		if len(out)%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, Errorf(name, pe.StartLine, "%v", pe.Err)
			}
			return nil, Errorf(name, line, "%v", err)
		}
		if len(out) >= tableMaxRows {
			return nil, Errorf(name, line, "more than %d rows", tableMaxRows)
		}
		blank := true
		for i, c := range rec {
			rec[i] = strings.TrimSpace(c)
			if rec[i] != "" {
				blank = false
			}
		}
		if !blank {
			out = append(out, tableRow{line: line, cells: rec})
		}
	}
	return out, nil
}

// rosterRoles are the header names of a roster's columns, by role (compared
// lower-case with spaces, dashes and underscores removed).
var rosterRoles = map[string][]string{
	"id":       {"id", "ids", "employeeid", "empid", "staffid", "personnelnumber", "badge", "identifiers", "aliases", "accounts"},
	"email":    {"email", "emailaddress", "mail", "upn", "userprincipalname", "workemail", "login email"},
	"user":     {"user", "username", "login", "account", "samaccountname", "handle", "userid", "uid"},
	"arn":      {"arn", "principal", "principalarn", "iamuser", "iamarn", "awsarn", "principalid", "serviceaccount"},
	"name":     {"name", "displayname", "fullname", "person", "employee", "employeename"},
	"office":   {"office", "location", "site", "city", "workplace", "base"},
	"country":  {"country", "countrycode", "officecountry", "basedin"},
	"team":     {"team", "department", "dept", "group", "division", "unit"},
	"employer": {"employer", "company", "organisation", "organization", "org", "entity", "vendor", "legalentity"},
}

func rosterKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '_', '.', '/':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

// ReadRoster reads a roster: a header row naming its columns (any of employee
// id, e-mail, user name, ARN or principal, display name, office, country,
// team, employer, in any order), then one person a row. An identifier cell
// may hold several identifiers separated by ";" or "|". Every person needs a
// name or at least one identifier; a country must be one Casebook knows.
func ReadRoster(ctx context.Context, name string, r io.Reader, size int64) ([]model.RosterEntry, error) {
	rows, err := readTable(ctx, name, r, size)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, Errorf(name, 0, "the roster is empty")
	}
	cols := map[string][]int{}
	for i, h := range rows[0].cells {
		k := rosterKey(h)
		for role, names := range rosterRoles {
			for _, n := range names {
				if k == rosterKey(n) {
					cols[role] = append(cols[role], i)
				}
			}
		}
	}
	if len(cols["name"])+len(cols["id"])+len(cols["email"])+len(cols["user"])+len(cols["arn"]) == 0 {
		return nil, Errorf(name, rows[0].line, "no roster header: want columns such as name, email, user, arn, employee id, "+
			"office, country, team, employer (found %q)", strings.Join(rows[0].cells, ", "))
	}
	cell := func(rec []string, role string) string {
		for _, i := range cols[role] {
			if i < len(rec) && rec[i] != "" {
				return rec[i]
			}
		}
		return ""
	}
	var out []model.RosterEntry
	for n, row := range rows[1:] {
		e := model.RosterEntry{Row: n + 1, Name: cell(row.cells, "name"), Office: cell(row.cells, "office"),
			Team: cell(row.cells, "team"), Employer: cell(row.cells, "employer")}
		for _, role := range []string{"id", "email", "user", "arn"} {
			for _, i := range cols[role] {
				if i >= len(row.cells) {
					continue
				}
				for _, id := range strings.FieldsFunc(row.cells[i], func(r rune) bool { return r == ';' || r == '|' }) {
					if id = strings.TrimSpace(id); id != "" {
						e.IDs = append(e.IDs, id)
					}
				}
			}
		}
		if c := cell(row.cells, "country"); c != "" {
			code, ok := CountryCode(c)
			if !ok {
				return nil, Errorf(name, row.line, "row %d: country %q is not an ISO code or a country name Casebook knows", e.Row, c)
			}
			e.Country = code
		}
		if e.Name == "" && len(e.IDs) == 0 {
			return nil, Errorf(name, row.line, "row %d: no name and no identifier", e.Row)
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, Errorf(name, rows[0].line, "the roster has a header but no people")
	}
	return out, nil
}

// DataMapFields are the event fields a data-map entry may match.
var DataMapFields = []string{"resource", "action", "system", "actor", "actor_id", "office", "ip", "purpose"}

// ReadDataMap reads a data map: rows of field, pattern, category, subject
// region (an optional header row naming them is skipped; a region is a
// country, EU or EEA). The pattern is a
// glob (* any run of characters, ? one) or "re:" and a regular expression,
// matched against the whole field ignoring case; region "*" or empty means
// any region. The first matching row of the file wins.
func ReadDataMap(ctx context.Context, name string, r io.Reader, size int64) ([]model.DataMapEntry, error) {
	rows, err := readTable(ctx, name, r, size)
	if err != nil {
		return nil, err
	}
	var out []model.DataMapEntry
	for i, row := range rows {
		c := row.cells
		if i == 0 && len(c) > 0 && rosterKey(c[0]) == "field" {
			continue
		}
		if len(c) < 3 {
			return nil, Errorf(name, row.line, "want field, pattern, category, region (got %d cells)", len(c))
		}
		e := model.DataMapEntry{Row: len(out) + 1, Field: strings.ToLower(c[0]), Pattern: c[1], Category: strings.ToLower(c[2])}
		if !slices.Contains(DataMapFields, e.Field) {
			return nil, Errorf(name, row.line, "field %q: want one of %s", c[0], strings.Join(DataMapFields, ", "))
		}
		if e.Pattern == "" || e.Category == "" {
			return nil, Errorf(name, row.line, "a pattern and a category are needed")
		}
		if _, err := CompilePattern(e.Pattern); err != nil {
			return nil, Errorf(name, row.line, "pattern %q: %v", e.Pattern, err)
		}
		if len(c) > 3 && c[3] != "" && c[3] != "*" {
			code, ok := CountryCode(c[3])
			if u := strings.ToUpper(c[3]); u == "EU" || u == "EEA" {
				code, ok = u, true // the regions data-protection law draws beside countries
			}
			if !ok {
				return nil, Errorf(name, row.line, "region %q is not an ISO code, EU, EEA or a country name Casebook knows (or * for any)", c[3])
			}
			e.Region = code
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, Errorf(name, 0, "the data map has no entries")
	}
	return out, nil
}

// CompilePattern compiles a data-map pattern (a glob, or "re:" and a regular
// expression) into a case-insensitive regular expression over the whole value.
func CompilePattern(p string) (*regexp.Regexp, error) {
	if re, ok := strings.CutPrefix(p, "re:"); ok {
		return regexp.Compile(`(?is)^(?:` + re + `)$`)
	}
	var b strings.Builder
	b.WriteString(`(?is)^`)
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.Compile(b.String())
}
