package casefile

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The rule language is a small condition language over access events,
// compiled to a parameterised SQL WHERE over the events table:
//
//	country NOT IN home AND category IN protected AND region IN home
//	approval = '' OR records > 10000
//	NOT (resource LIKE 'backup%') AND time >= '2022-03-01'
//
// Comparisons are FIELD OP VALUE with OP one of = != <> < <= > >= LIKE,
// NOT LIKE, IN (list) and NOT IN (list); AND binds tighter than OR; NOT and
// parentheses as usual; keywords in any case. Values are 'quoted strings'
// (” for a quote), numbers, another field, or a policy name: the sets home,
// protected and offshore (resource patterns, for LIKE) and the values
// bulk_threshold and offshore_from. Text compares ignoring case; time takes
// YYYY-MM-DD or RFC 3339.

// RuleFields maps the rule language's field names to SQL over the events
// table. country, office, category and region are what the source said or,
// where it said nothing, what the roster (country, office) and the data map
// (category, region) say (model.EventContext); source_country and
// source_category are the source's alone. origin_country is where the access
// came from: the IP's country, else a country the log itself states.
var RuleFields = map[string]string{
	"country": effCountry, "office": effOffice, "actor": "actor", "actor_id": "actor_id", "ip": "ip",
	"action": "action", "system": "system", "resource": "resource", "category": effCategory, "region": effRegion,
	"records": "records", "approval": "approval", "approver": "approver", "approver_country": "approver_country",
	"purpose": "purpose", "time": "time_ns", "ip_country": "ip_country", "country_from": effCountryFrom,
	"flags": "flags", "source": "source_id", "row": "row",
	"source_country": "country", "source_category": "category", "origin_country": originCountry,
	"person": "person", "person_country": "person_country", "person_office": "person_office",
	"roster_row": "roster_row", "map_row": "map_row",
}

// The effective fields: the source's value, else the context's.
const (
	effCountry     = "(CASE WHEN country <> '' THEN country ELSE person_country END)"
	effOffice      = "(CASE WHEN office <> '' THEN office ELSE person_office END)"
	effCategory    = "(CASE WHEN category <> '' THEN category ELSE map_category END)"
	effRegion      = "(CASE WHEN region <> '' THEN region ELSE map_region END)"
	effCountryFrom = "(CASE WHEN country <> '' THEN country_from WHEN person_country <> '' THEN 'roster' ELSE '' END)"
	originCountry  = "(CASE WHEN ip_country <> '' THEN ip_country WHEN country_from IN ('source', 'ip') THEN country ELSE '' END)"
)

// numericFields compare as numbers; "time" compares as an instant.
var numericFields = map[string]bool{"records": true, "source": true, "row": true, "roster_row": true, "map_row": true}

// RuleError is a syntax or meaning error in a rule condition, with the
// 1-based column where it was found.
type RuleError struct {
	Col int
	Msg string
}

func (e *RuleError) Error() string { return fmt.Sprintf("rule condition: column %d: %s", e.Col, e.Msg) }

type rtok struct {
	kind string // word, str, num, op, "(", ")", ",", eof
	text string
	col  int
}

func lexRule(s string) ([]rtok, error) {
	var out []rtok
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		col := i + 1
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(' || r == ')' || r == ',':
			out = append(out, rtok{string(r), string(r), col})
			i++
		case r == '\'':
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(rs) {
					return nil, &RuleError{col, "unterminated string"}
				}
				if rs[j] == '\'' {
					if j+1 < len(rs) && rs[j+1] == '\'' {
						b.WriteRune('\'')
						j++
						continue
					}
					break
				}
				b.WriteRune(rs[j])
			}
			out = append(out, rtok{"str", b.String(), col})
			i = j + 1
		case strings.ContainsRune("=!<>", r):
			j := i + 1
			if j < len(rs) && (rs[j] == '=' || r == '<' && rs[j] == '>') {
				j++
			}
			op := string(rs[i:j])
			if op == "!" {
				return nil, &RuleError{col, "unexpected '!' (use != or NOT)"}
			}
			out = append(out, rtok{"op", op, col})
			i = j
		case unicode.IsDigit(r) || r == '-' && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			j := i + 1
			for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.' || rs[j] == '_') {
				j++
			}
			out = append(out, rtok{"num", strings.ReplaceAll(string(rs[i:j]), "_", ""), col})
			i = j
		case unicode.IsLetter(r) || r == '_':
			j := i + 1
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_') {
				j++
			}
			out = append(out, rtok{"word", string(rs[i:j]), col})
			i = j
		default:
			return nil, &RuleError{col, fmt.Sprintf("unexpected %q", r)}
		}
	}
	return append(out, rtok{"eof", "", len(rs) + 1}), nil
}

// ruleCompiler turns a condition into SQL with its arguments.
type ruleCompiler struct {
	toks []rtok
	i    int
	pol  Policy
	args []any
	used map[string]bool // fields the condition needs a value of (not only compared with '')
	set  map[string]bool // fields the condition asks to be set (compared <> '')
}

// RuleNeeds lists the fields a condition needs a value of to judge an
// event: every field it reads, except those it only compares with the empty
// string (approval = ” asks about an empty field, it does not need a
// value). scope lists the fields it only asks to be set (approval <> ”):
// events without them are outside the rule's question rather than beyond
// its judgement. A condition with OR, or NOT before a parenthesis, has no
// scope (the fields may not all be asked).
func RuleNeeds(cond string, pol Policy) (needs, scope []string, err error) {
	toks, err := lexRule(cond)
	if err != nil {
		return nil, nil, err
	}
	c := &ruleCompiler{toks: toks, pol: pol, used: map[string]bool{}, set: map[string]bool{}}
	if toks[0].kind != "eof" {
		if _, err := c.or(0); err != nil {
			return nil, nil, err
		}
	}
	// OR anywhere, or NOT before a parenthesis, and the set fields may not
	// all be asked; NOT before a field negates its test (NOT IN and NOT LIKE
	// are operators, and harmless).
	plain := true
	negated := map[string]bool{}
	for i, t := range toks {
		if t.kind != "word" {
			continue
		}
		switch {
		case strings.EqualFold(t.text, "OR"):
			plain = false
		case strings.EqualFold(t.text, "NOT") && i+1 < len(toks):
			if toks[i+1].kind == "(" {
				plain = false
			} else if toks[i+1].kind == "word" {
				negated[strings.ToLower(toks[i+1].text)] = true
			}
		}
	}
	for f := range c.set {
		if plain && !c.used[f] && !negated[f] {
			scope = append(scope, f)
		}
	}
	slices.Sort(scope)
	return slices.Sorted(maps.Keys(c.used)), scope, nil
}

// CompileRule compiles a condition against a policy into a WHERE clause over
// the events table and its arguments. An empty condition matches every event.
func CompileRule(cond string, pol Policy) (string, []any, error) {
	toks, err := lexRule(cond)
	if err != nil {
		return "", nil, err
	}
	c := &ruleCompiler{toks: toks, pol: pol}
	if toks[0].kind == "eof" {
		return "1 = 1", nil, nil
	}
	sql, err := c.or(0)
	if err != nil {
		return "", nil, err
	}
	if t := c.peek(); t.kind != "eof" {
		return "", nil, &RuleError{t.col, fmt.Sprintf("unexpected %q (missing AND or OR?)", t.text)}
	}
	return sql, c.args, nil
}

func (c *ruleCompiler) peek() rtok { return c.toks[c.i] }
func (c *ruleCompiler) next() rtok { t := c.toks[c.i]; c.i = min(c.i+1, len(c.toks)-1); return t }
func (c *ruleCompiler) isWord(w string) bool {
	t := c.peek()
	return t.kind == "word" && strings.EqualFold(t.text, w)
}

func (c *ruleCompiler) or(depth int) (string, error) {
	if depth > 100 {
		return "", &RuleError{c.peek().col, "nested too deeply"}
	}
	parts := []string{}
	for {
		s, err := c.and(depth)
		if err != nil {
			return "", err
		}
		parts = append(parts, s)
		if !c.isWord("OR") {
			break
		}
		c.next()
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", nil
}

func (c *ruleCompiler) and(depth int) (string, error) {
	parts := []string{}
	for {
		s, err := c.unary(depth)
		if err != nil {
			return "", err
		}
		parts = append(parts, s)
		if !c.isWord("AND") {
			break
		}
		c.next()
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return "(" + strings.Join(parts, " AND ") + ")", nil
}

func (c *ruleCompiler) unary(depth int) (string, error) {
	if c.isWord("NOT") {
		c.next()
		s, err := c.unary(depth + 1)
		if err != nil {
			return "", err
		}
		return "NOT coalesce(" + s + ", 0)", nil
	}
	if c.peek().kind == "(" {
		open := c.next()
		s, err := c.or(depth + 1)
		if err != nil {
			return "", err
		}
		if c.peek().kind != ")" {
			return "", &RuleError{c.peek().col, fmt.Sprintf("missing ) for the ( at column %d", open.col)}
		}
		c.next()
		return s, nil
	}
	return c.comparison()
}

func (c *ruleCompiler) comparison() (string, error) {
	ft := c.next()
	if ft.kind != "word" {
		return "", &RuleError{ft.col, fmt.Sprintf("expected a field name, found %s", describeTok(ft))}
	}
	field := strings.ToLower(ft.text)
	col, ok := RuleFields[field]
	if !ok {
		return "", &RuleError{ft.col, fmt.Sprintf("unknown field %q (fields: %s)", ft.text, fieldList())}
	}
	not := false
	if c.isWord("NOT") {
		c.next()
		not = true
	}
	opTok := c.next()
	op := strings.ToUpper(opTok.text)
	if c.used != nil {
		vt := c.peek()
		emptyTest := opTok.kind == "op" && vt.kind == "str" && vt.text == "" && op != "<" && op != ">" && op != "<=" && op != ">="
		if emptyTest && (op == "<>" || op == "!=") {
			c.set[field] = true
		}
		if !emptyTest {
			c.used[field] = true
			if vt.kind == "word" {
				if _, ok := RuleFields[strings.ToLower(vt.text)]; ok {
					c.used[strings.ToLower(vt.text)] = true
				}
			}
		}
	}
	switch {
	case opTok.kind == "op" && !not:
		if op == "<>" {
			op = "!="
		}
	case opTok.kind == "word" && (op == "IN" || op == "LIKE"):
	default:
		return "", &RuleError{opTok.col, fmt.Sprintf("expected an operator (= != < <= > >= LIKE IN) after %s, found %s", ft.text, describeTok(opTok))}
	}
	switch op {
	case "IN":
		set, err := c.setValue(field)
		if err != nil {
			return "", err
		}
		if len(set) == 0 {
			if not {
				return "1", nil
			}
			return "0", nil
		}
		var ph []string
		for _, v := range set {
			a, err := c.literal(field, v, opTok.col)
			if err != nil {
				return "", err
			}
			c.args = append(c.args, a)
			ph = append(ph, "?")
		}
		kw := "IN"
		if not {
			kw = "NOT IN"
		}
		return fmt.Sprintf("%s %s (%s)", colExpr(field, col), kw, strings.Join(ph, ", ")), nil
	case "LIKE":
		vt := c.peek()
		var pats []string
		if vt.kind == "word" && c.pol.set(strings.ToLower(vt.text)) != nil {
			c.next()
			pats = c.pol.set(strings.ToLower(vt.text))
		} else if vt.kind == "str" {
			c.next()
			pats = []string{vt.text}
		} else {
			return "", &RuleError{vt.col, fmt.Sprintf("LIKE wants a 'pattern' or a policy set, found %s", describeTok(vt))}
		}
		if len(pats) == 0 {
			if not {
				return "1", nil
			}
			return "0", nil
		}
		var ors []string
		for _, p := range pats {
			ors = append(ors, col+" LIKE ?")
			c.args = append(c.args, p)
		}
		s := "(" + strings.Join(ors, " OR ") + ")"
		if not {
			s = "NOT " + s
		}
		return s, nil
	}
	// A plain comparison with one value.
	vt := c.next()
	var rhs string
	switch vt.kind {
	case "str", "num":
		a, err := c.literal(field, vt.text, vt.col)
		if err != nil {
			return "", err
		}
		c.args = append(c.args, a)
		rhs = "?"
	case "word":
		w := strings.ToLower(vt.text)
		if other, ok := RuleFields[w]; ok {
			rhs = colExpr(w, other)
			break
		}
		v, ok := c.pol.scalar(w)
		if !ok {
			return "", &RuleError{vt.col, fmt.Sprintf("unknown value %q (a 'string', a number, a field or a policy value: %s)", vt.text, strings.Join(policyNames(), ", "))}
		}
		if v == "" {
			return "1", nil // an unset policy value does not narrow
		}
		a, err := c.literal(field, v, vt.col)
		if err != nil {
			return "", err
		}
		c.args = append(c.args, a)
		rhs = "?"
	default:
		return "", &RuleError{vt.col, fmt.Sprintf("expected a value after %s, found %s", opTok.text, describeTok(vt))}
	}
	lhs := colExpr(field, col)
	if !numericFields[field] && field != "time" {
		rhs += " COLLATE NOCASE"
	}
	return fmt.Sprintf("%s %s %s", lhs, op, rhs), nil
}

// colExpr is how a field reads in SQL; unknown numbers stay NULL so they
// never compare true.
func colExpr(field, col string) string { return col }

// setValue reads a parenthesised list or a policy set name.
func (c *ruleCompiler) setValue(field string) ([]string, error) {
	t := c.next()
	if t.kind == "word" {
		if s := c.pol.set(strings.ToLower(t.text)); s != nil {
			return s, nil
		}
		return nil, &RuleError{t.col, fmt.Sprintf("unknown set %q (home, protected, offshore, or a (list))", t.text)}
	}
	if t.kind != "(" {
		return nil, &RuleError{t.col, fmt.Sprintf("IN wants a (list) or a policy set, found %s", describeTok(t))}
	}
	var out []string
	for {
		v := c.next()
		if v.kind != "str" && v.kind != "num" {
			return nil, &RuleError{v.col, fmt.Sprintf("expected a value in the list, found %s", describeTok(v))}
		}
		out = append(out, v.text)
		sep := c.next()
		if sep.kind == ")" {
			return out, nil
		}
		if sep.kind != "," {
			return nil, &RuleError{sep.col, fmt.Sprintf("expected , or ) in the list, found %s", describeTok(sep))}
		}
	}
}

// literal converts a value for the field: numbers for numeric fields,
// nanoseconds for time, and the text (lower-cased sets compare with NOCASE).
func (c *ruleCompiler) literal(field, v string, col int) (any, error) {
	switch {
	case numericFields[field]:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, &RuleError{col, fmt.Sprintf("%s compares with numbers, not %q", field, v)}
		}
		return n, nil
	case field == "time":
		t, err := parseRuleTime(v)
		if err != nil {
			return nil, &RuleError{col, fmt.Sprintf("time compares with YYYY-MM-DD or RFC 3339, not %q", v)}
		}
		return t.UnixNano(), nil
	}
	return v, nil
}

func parseRuleTime(v string) (time.Time, error) {
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q", v)
}

func describeTok(t rtok) string {
	switch t.kind {
	case "eof":
		return "the end"
	case "str":
		return "'" + t.text + "'"
	}
	return fmt.Sprintf("%q", t.text)
}

func fieldList() string {
	names := make([]string, 0, len(RuleFields))
	for k := range RuleFields {
		names = append(names, k)
	}
	sortStrings(names)
	return strings.Join(names, ", ")
}
