package index

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// QueryError is a malformed query. Pos is the 1-based column (in runes)
// where the parser found the problem.
type QueryError struct {
	Pos int
	Msg string
}

func (e *QueryError) Error() string { return fmt.Sprintf("query: column %d: %s", e.Pos, e.Msg) }

// Fields the query language knows, and what kind of field each is.
const (
	fieldText    = "text"
	fieldKeyword = "keyword"
	fieldTime    = "time"
	fieldNumber  = "number"
)

var queryFields = map[string]string{
	"text": fieldText, "speaker": fieldKeyword, "actor": fieldKeyword, "country": fieldKeyword,
	"office": fieldKeyword, "tag": fieldKeyword, "source": fieldKeyword, "kind": fieldKeyword,
	"category": fieldKeyword, "approval": fieldKeyword, "time": fieldTime, "records": fieldNumber,
	"note": fieldText, "ip": fieldKeyword,
}

// Node is one node of a parsed query.
type Node interface {
	String() string
}

// And matches what all of its children match.
type And struct{ Children []Node }

// Or matches what any of its children matches.
type Or struct{ Children []Node }

// Not matches what its child does not.
type Not struct{ Child Node }

// All matches every document (a lone "*").
type All struct{}

// Term is a word. In the text field it is stemmed; in a keyword field it is
// the whole value.
type Term struct{ Field, Text string }

// Phrase is a quoted phrase; Slop >= 0 makes it a proximity search: the
// words within Slop other words of each other, in any order.
type Phrase struct {
	Field, Text string
	Slop        int
}

// Wildcard is a word with * (any run) or ? (any one character).
type Wildcard struct{ Field, Pattern string }

// Fuzzy is a word that may be up to Distance edits away.
type Fuzzy struct {
	Field, Text string
	Distance    int
}

// Regexp is a /regular expression/ matched against whole terms.
type Regexp struct{ Field, Pattern string }

// Range is field:[Lo TO Hi], {…} (exclusive) or field:>v, >=, <, <=. An
// empty bound or "*" is open.
type Range struct {
	Field          string
	Lo, Hi         string
	LoIncl, HiIncl bool
}

func joinNodes(op string, ns []Node) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.String()
	}
	return "(" + op + " " + strings.Join(parts, " ") + ")"
}

func prefixed(field, s string) string {
	if field == "" {
		return s
	}
	return field + ":" + s
}

func (n *And) String() string      { return joinNodes("AND", n.Children) }
func (n *Or) String() string       { return joinNodes("OR", n.Children) }
func (n *Not) String() string      { return "(NOT " + n.Child.String() + ")" }
func (n *All) String() string      { return "*" }
func (n *Term) String() string     { return prefixed(n.Field, n.Text) }
func (n *Wildcard) String() string { return prefixed(n.Field, "w/"+n.Pattern+"/") }
func (n *Regexp) String() string   { return prefixed(n.Field, "/"+n.Pattern+"/") }
func (n *Fuzzy) String() string {
	return prefixed(n.Field, n.Text+"~"+strconv.Itoa(n.Distance))
}
func (n *Phrase) String() string {
	s := strconv.Quote(n.Text)
	if n.Slop >= 0 {
		s += "~" + strconv.Itoa(n.Slop)
	}
	return prefixed(n.Field, s)
}
func (n *Range) String() string {
	l, r := "{", "}"
	if n.LoIncl {
		l = "["
	}
	if n.HiIncl {
		r = "]"
	}
	lo, hi := n.Lo, n.Hi
	if lo == "" {
		lo = "*"
	}
	if hi == "" {
		hi = "*"
	}
	return n.Field + ":" + l + lo + " TO " + hi + r
}

// token kinds
type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tPhrase
	tRegex
	tField // name followed by ':'; text is the name
	tLParen
	tRParen
	tLBracket
	tRBracket
	tLBrace
	tRBrace
	tAnd
	tOr
	tNot
	tPlus
	tMinus
	tTilde // text is the number after it, or ""
	tCmp   // >, >=, <, <=
)

type token struct {
	kind tokKind
	text string
	wild bool // a word with an unescaped * or ?
	pos  int  // 1-based rune column
}

func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of query"
	case tPhrase:
		return "phrase " + strconv.Quote(t.text)
	case tField:
		return strconv.Quote(t.text + ":")
	case tTilde:
		return strconv.Quote("~" + t.text)
	}
	return strconv.Quote(t.text)
}

// lex splits a query into tokens. Columns count runes from 1.
func lex(s string) ([]token, error) {
	var toks []token
	col := 1
	i := 0
	next := func() rune {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		col++
		return r
	}
	peek := func() rune {
		if i >= len(s) {
			return -1
		}
		r, _ := utf8.DecodeRuneInString(s[i:])
		return r
	}
	for i < len(s) {
		start := col
		r := peek()
		switch {
		case unicode.IsSpace(r):
			next()
			continue
		case r == '(' || r == ')' || r == '[' || r == ']' || r == '{' || r == '}':
			next()
			k := map[rune]tokKind{'(': tLParen, ')': tRParen, '[': tLBracket, ']': tRBracket, '{': tLBrace, '}': tRBrace}[r]
			toks = append(toks, token{kind: k, text: string(r), pos: start})
			continue
		case r == '"':
			next()
			var b strings.Builder
			closed := false
			for i < len(s) {
				c := next()
				if c == '\\' {
					if i >= len(s) {
						return nil, &QueryError{start, "unterminated quote"}
					}
					b.WriteRune(next())
					continue
				}
				if c == '"' {
					closed = true
					break
				}
				b.WriteRune(c)
			}
			if !closed {
				return nil, &QueryError{start, "unterminated quote"}
			}
			toks = append(toks, token{kind: tPhrase, text: b.String(), pos: start})
			continue
		case r == '/':
			next()
			var b strings.Builder
			closed := false
			for i < len(s) {
				c := next()
				if c == '\\' && peek() == '/' {
					b.WriteRune(next())
					continue
				}
				if c == '/' {
					closed = true
					break
				}
				b.WriteRune(c)
			}
			if !closed {
				return nil, &QueryError{start, "unterminated regular expression"}
			}
			toks = append(toks, token{kind: tRegex, text: b.String(), pos: start})
			continue
		case r == '~':
			next()
			j := i
			for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
				next()
			}
			toks = append(toks, token{kind: tTilde, text: s[j:i], pos: start})
			continue
		case r == '+':
			next()
			toks = append(toks, token{kind: tPlus, text: "+", pos: start})
			continue
		case r == '-':
			next()
			toks = append(toks, token{kind: tMinus, text: "-", pos: start})
			continue
		case r == '!':
			next()
			toks = append(toks, token{kind: tNot, text: "!", pos: start})
			continue
		case r == '&' && strings.HasPrefix(s[i:], "&&"):
			next()
			next()
			toks = append(toks, token{kind: tAnd, text: "&&", pos: start})
			continue
		case r == '|' && strings.HasPrefix(s[i:], "||"):
			next()
			next()
			toks = append(toks, token{kind: tOr, text: "||", pos: start})
			continue
		case r == '>' || r == '<':
			next()
			op := string(r)
			if peek() == '=' {
				next()
				op += "="
			}
			toks = append(toks, token{kind: tCmp, text: op, pos: start})
			continue
		}
		// An IPv6 address or prefix is one word, colons and all (else
		// "fe80::1" would read as the field "fe80").
		if n := ipLiteralLen(s[i:]); n > 0 {
			toks = append(toks, token{kind: tWord, text: s[i : i+n], pos: start})
			i += n
			col += n
			continue
		}
		// A word: up to whitespace or a character that ends words.
		var b strings.Builder
		wild := false
		for i < len(s) {
			c := peek()
			if unicode.IsSpace(c) || strings.ContainsRune(`()[]{}"~`, c) {
				break
			}
			if c == ':' && isFieldName(b.String()) {
				break
			}
			next()
			if c == '\\' {
				if i >= len(s) {
					return nil, &QueryError{col - 1, "nothing to escape after \\"}
				}
				b.WriteRune(next())
				continue
			}
			if c == '*' || c == '?' {
				wild = true
			}
			b.WriteRune(c)
		}
		w := b.String()
		if i < len(s) && peek() == ':' && isFieldName(w) {
			next()
			toks = append(toks, token{kind: tField, text: w, pos: start})
			continue
		}
		if w == "" {
			// A lone ':' or similar: take one character as a word so the
			// parser can report it.
			c := next()
			toks = append(toks, token{kind: tWord, text: string(c), pos: start})
			continue
		}
		kind := tWord
		switch w {
		case "AND":
			kind = tAnd
		case "OR":
			kind = tOr
		case "NOT":
			kind = tNot
		}
		toks = append(toks, token{kind: kind, text: w, wild: wild, pos: start})
	}
	toks = append(toks, token{kind: tEOF, pos: col})
	return toks, nil
}

// isFieldName reports whether w can be a field name: letters, digits and
// underscores, starting with a letter.
func isFieldName(w string) bool {
	for k, r := range w {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || k > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return w != ""
}

// maxDepth bounds nesting so a hostile query cannot exhaust the stack.
const maxDepth = 100

type parser struct {
	toks  []token
	i     int
	depth int
}

// ParseQuery parses Casebook's query language (see the README) into a tree.
// An empty query (or a lone "*") matches everything. A malformed query gives
// a *QueryError naming the column.
func ParseQuery(s string) (Node, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tEOF {
		return &All{}, nil
	}
	n, err := p.parseOr("")
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen {
			return nil, &QueryError{t.pos, "unmatched closing parenthesis"}
		}
		return nil, &QueryError{t.pos, "unexpected " + t.describe()}
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// parseOr: and ( OR and )*
func (p *parser) parseOr(field string) (Node, error) {
	first, err := p.parseAnd(field)
	if err != nil {
		return nil, err
	}
	kids := []Node{first}
	for p.peek().kind == tOr {
		op := p.next()
		if k := p.peek().kind; k == tEOF || k == tRParen || k == tOr || k == tAnd {
			return nil, &QueryError{op.pos, "OR needs something on its right"}
		}
		n, err := p.parseAnd(field)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &Or{Children: kids}, nil
}

// parseAnd: unary ( [AND] unary )*, where "a NOT b" is "a AND NOT b".
func (p *parser) parseAnd(field string) (Node, error) {
	var kids []Node
	for {
		t := p.peek()
		if t.kind == tEOF || t.kind == tRParen || t.kind == tOr {
			break
		}
		if t.kind == tAnd {
			if len(kids) == 0 {
				return nil, &QueryError{t.pos, t.text + " needs something on its left"}
			}
			p.next()
			if k := p.peek().kind; k == tEOF || k == tRParen || k == tOr || k == tAnd {
				return nil, &QueryError{t.pos, t.text + " needs something on its right"}
			}
			continue
		}
		n, err := p.parseUnary(field)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 0 {
		t := p.peek()
		if t.kind == tOr {
			return nil, &QueryError{t.pos, "OR needs something on its left"}
		}
		if t.kind == tRParen {
			return nil, &QueryError{t.pos, "empty parentheses"}
		}
		return nil, &QueryError{t.pos, "query expected"}
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	return &And{Children: kids}, nil
}

func (p *parser) parseUnary(field string) (Node, error) {
	t := p.peek()
	switch t.kind {
	case tNot, tMinus:
		p.next()
		if k := p.peek().kind; k == tEOF || k == tRParen || k == tOr || k == tAnd {
			return nil, &QueryError{t.pos, t.text + " needs something to negate"}
		}
		if err := p.enter(t); err != nil {
			return nil, err
		}
		n, err := p.parseUnary(field)
		p.depth--
		if err != nil {
			return nil, err
		}
		return &Not{Child: n}, nil
	case tPlus:
		p.next()
		if k := p.peek().kind; k == tEOF || k == tRParen || k == tOr || k == tAnd {
			return nil, &QueryError{t.pos, "+ needs a term"}
		}
		if err := p.enter(t); err != nil {
			return nil, err
		}
		n, err := p.parseUnary(field)
		p.depth--
		return n, err
	}
	return p.parsePrimary(field)
}

func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > maxDepth {
		return &QueryError{t.pos, "query nested too deeply"}
	}
	return nil
}

func (p *parser) parseGroup(field string) (Node, error) {
	open := p.next()
	if err := p.enter(open); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	if p.peek().kind == tRParen {
		return nil, &QueryError{p.peek().pos, "empty parentheses"}
	}
	n, err := p.parseOr(field)
	if err != nil {
		if qe, ok := err.(*QueryError); ok && p.peek().kind == tEOF && qe.Msg == "query expected" {
			return nil, &QueryError{open.pos, "unclosed parenthesis"}
		}
		return nil, err
	}
	if p.peek().kind != tRParen {
		if p.peek().kind == tEOF {
			return nil, &QueryError{open.pos, "unclosed parenthesis"}
		}
		return nil, &QueryError{p.peek().pos, "unexpected " + p.peek().describe()}
	}
	p.next()
	return n, nil
}

func (p *parser) parsePrimary(field string) (Node, error) {
	t := p.peek()
	switch t.kind {
	case tLParen:
		return p.parseGroup(field)
	case tField:
		if field != "" {
			return nil, &QueryError{t.pos, "a field inside " + field + ":( … ) is not allowed"}
		}
		p.next()
		name := strings.ToLower(t.text)
		kind, ok := queryFields[name]
		if !ok {
			return nil, &QueryError{t.pos, "unknown field " + strconv.Quote(t.text) + " (known: " + knownFields() + ")"}
		}
		v := p.peek()
		switch v.kind {
		case tLParen:
			if kind == fieldTime || kind == fieldNumber {
				return nil, &QueryError{v.pos, name + ": takes a value or a range, not a group"}
			}
			return p.parseGroup(name)
		case tLBracket, tLBrace:
			return p.parseRange(name, kind)
		case tCmp:
			p.next()
			b := p.next()
			if b.kind != tWord && b.kind != tPhrase {
				return nil, &QueryError{b.pos, "a value is needed after " + v.text}
			}
			r := &Range{Field: name}
			switch v.text {
			case ">":
				r.Lo = b.text
			case ">=":
				r.Lo, r.LoIncl = b.text, true
			case "<":
				r.Hi = b.text
			case "<=":
				r.Hi, r.HiIncl = b.text, true
			}
			if kind != fieldTime && kind != fieldNumber {
				return nil, &QueryError{v.pos, "comparisons need a time or number field, not " + name}
			}
			return r, p.checkRange(r, kind, b.pos)
		case tWord, tPhrase, tRegex:
			n, err := p.parseValue(name)
			if err != nil {
				return nil, err
			}
			if err := checkValue(name, n, v.pos); err != nil {
				return nil, err
			}
			if kind == fieldTime || kind == fieldNumber {
				switch n := n.(type) {
				case *Term:
					r := &Range{Field: name, Lo: n.Text, Hi: n.Text, LoIncl: true, HiIncl: true}
					return r, p.checkRange(r, kind, v.pos)
				case *Phrase:
					if n.Slop < 0 {
						r := &Range{Field: name, Lo: n.Text, Hi: n.Text, LoIncl: true, HiIncl: true}
						return r, p.checkRange(r, kind, v.pos)
					}
				case *All:
					return n, nil
				}
				return nil, &QueryError{v.pos, name + ": takes a value, a comparison or a range"}
			}
			return n, nil
		case tEOF:
			return nil, &QueryError{t.pos, "a value is needed after " + t.text + ":"}
		default:
			return nil, &QueryError{v.pos, "unexpected " + v.describe() + " after " + t.text + ":"}
		}
	case tWord, tPhrase, tRegex:
		n, err := p.parseValue(field)
		if err != nil {
			return nil, err
		}
		return n, checkValue(field, n, t.pos)
	case tRParen:
		return nil, &QueryError{t.pos, "unmatched closing parenthesis"}
	case tTilde:
		return nil, &QueryError{t.pos, "~ must follow a word or a phrase"}
	case tCmp:
		return nil, &QueryError{t.pos, t.text + " must follow a field, as in records:" + t.text + "100"}
	case tLBracket, tLBrace:
		return nil, &QueryError{t.pos, "a range must follow a field, as in time:[2022-01-01 TO 2022-03-31]"}
	case tRBracket, tRBrace:
		return nil, &QueryError{t.pos, "unexpected " + t.describe()}
	}
	return nil, &QueryError{t.pos, "unexpected " + t.describe()}
}

// checkValue refuses, with its column, a value that its field cannot hold:
// an ip: that is not an address or prefix, a kind: or approval: outside
// their few values.
func checkValue(field string, n Node, pos int) error {
	var v string
	switch n := n.(type) {
	case *Term:
		v = n.Text
	case *Phrase:
		if n.Slop >= 0 {
			return nil
		}
		v = strings.TrimSpace(n.Text)
	default:
		return nil
	}
	if field == fieldIP {
		if _, ok := ipQuery(v); !ok {
			return &QueryError{pos, ipValueError(v)}
		}
		return nil
	}
	if _, err := enumValue(field, v); err != nil {
		return &QueryError{pos, err.Error()}
	}
	return nil
}

func knownFields() string {
	return "text, note, speaker, actor, country, office, tag, source, kind, category, approval, ip, time, records"
}

// parseValue parses a word, phrase or regular expression with an optional
// ~ suffix, in field ("" is the text).
func (p *parser) parseValue(field string) (Node, error) {
	t := p.next()
	var n Node
	switch t.kind {
	case tRegex:
		if t.text == "" {
			return nil, &QueryError{t.pos, "empty regular expression"}
		}
		n = &Regexp{Field: field, Pattern: t.text}
	case tPhrase:
		if strings.TrimSpace(t.text) == "" {
			return nil, &QueryError{t.pos, "empty phrase"}
		}
		n = &Phrase{Field: field, Text: t.text, Slop: -1}
	case tWord:
		switch {
		case t.text == "*":
			n = &All{}
			if field != "" {
				n = &Wildcard{Field: field, Pattern: "*"}
			}
		case t.wild:
			n = &Wildcard{Field: field, Pattern: t.text}
		default:
			n = &Term{Field: field, Text: t.text}
		}
	}
	if p.peek().kind != tTilde {
		return n, nil
	}
	tl := p.next()
	num := -1
	if tl.text != "" {
		v, err := strconv.Atoi(tl.text)
		if err != nil || v < 0 {
			return nil, &QueryError{tl.pos, "~ needs a whole number, not " + strconv.Quote(tl.text)}
		}
		num = v
	}
	switch n := n.(type) {
	case *Phrase:
		if num < 0 {
			return nil, &QueryError{tl.pos, "proximity needs a distance, as in \"a b\"~5"}
		}
		if num > 1000 {
			return nil, &QueryError{tl.pos, "proximity distance too large (at most 1000)"}
		}
		n.Slop = num
		return n, nil
	case *Term:
		if num < 0 {
			num = 2
		}
		if num > 2 {
			return nil, &QueryError{tl.pos, "fuzzy distance can be 0, 1 or 2"}
		}
		return &Fuzzy{Field: n.Field, Text: n.Text, Distance: num}, nil
	}
	return nil, &QueryError{tl.pos, "~ must follow a word or a phrase"}
}

// parseRange parses [lo TO hi] with [ ] inclusive and { } exclusive ends.
func (p *parser) parseRange(field, kind string) (Node, error) {
	open := p.next()
	if kind != fieldTime && kind != fieldNumber {
		return nil, &QueryError{open.pos, "ranges need a time or number field, not " + field}
	}
	r := &Range{Field: field, LoIncl: open.kind == tLBracket}
	bound := func() (string, error) {
		b := p.next()
		switch b.kind {
		case tWord, tPhrase:
			if b.text == "*" {
				return "", nil
			}
			return b.text, nil
		case tEOF:
			return "", &QueryError{open.pos, "unclosed range"}
		}
		return "", &QueryError{b.pos, "a range bound is needed, not " + b.describe()}
	}
	var err error
	if r.Lo, err = bound(); err != nil {
		return nil, err
	}
	to := p.next()
	if to.kind != tWord || to.text != "TO" {
		if to.kind == tEOF {
			return nil, &QueryError{open.pos, "unclosed range"}
		}
		return nil, &QueryError{to.pos, "TO expected in the range, found " + to.describe()}
	}
	if r.Hi, err = bound(); err != nil {
		return nil, err
	}
	cl := p.next()
	switch cl.kind {
	case tRBracket:
		r.HiIncl = true
	case tRBrace:
	case tEOF:
		return nil, &QueryError{open.pos, "unclosed range"}
	default:
		return nil, &QueryError{cl.pos, "] or } expected to close the range, found " + cl.describe()}
	}
	return r, p.checkRange(r, kind, open.pos)
}

// checkRange validates a range's bounds for its field's kind.
func (p *parser) checkRange(r *Range, kind string, pos int) error {
	for _, v := range []string{r.Lo, r.Hi} {
		if v == "" {
			continue
		}
		switch kind {
		case fieldNumber:
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				return &QueryError{pos, r.Field + ": " + strconv.Quote(v) + " is not a number"}
			}
		case fieldTime:
			if _, _, err := parseTimeBound(v); err != nil {
				return &QueryError{pos, r.Field + ": " + err.Error()}
			}
		}
	}
	return nil
}
