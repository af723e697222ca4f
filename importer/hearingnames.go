package importer

import (
	"regexp"
	"strings"
	"unicode"
)

// One person, however a hearing writes them: "Sen. Mike Lee (R-Utah)" on a
// press service's speaker line, "Senator Lee." in the printed hearing,
// "Mr. Lee" in passing. The label a person's turns get is decided at their
// first turn and kept for the whole hearing:
//
//   - the full name when the hearing gives it (a press speaker line, a
//     "STATEMENT OF MR. MARK ZUCKERBERG" heading, a witness line), with the
//     role and the party and state in parentheses when known:
//     "Mike Lee (Senator, R-Utah)", "Richard J. Durbin (Chair)",
//     "Mark Zuckerberg";
//   - else the title and name as the header wrote them: "Senator Blackburn",
//     "Ms. Chen", "The Chairman".
//
// A later header naming the same surname ("Senator Lee.", "Mr. Lee.") gets
// the same label; "The Chairman." gets the chair's label once a named chair
// ("Chair Durbin.") has spoken.

// hearingTitle is the title part of a header: roles and honorifics.
const hearingTitle = `(?:The\s+)?(?:Chair(?:man|woman|person)?|Vice\s+Chair(?:man|woman)?|Ranking\s+Member|Senator|Sen\.|Representative|Rep\.|Delegate|Del\.|Mr\.|Ms\.|Mrs\.|Miss|Dr\.|Hon\.|Judge|Justice|General|Admiral|Secretary|Commissioner|Ambassador|Governor|Gov\.|Mayor|Director|Clerk|Witness|Voices?)`

var (
	titleSplit = regexp.MustCompile(`^(` + hearingTitle + `)(?:\s+(.*))?$`)
	partyState = regexp.MustCompile(`\s*\(\s*([RDI])\s*[-–—]\s*([\p{L}. ]{2,30})\)\s*$`)
	ofState    = regexp.MustCompile(`\s+of\s+(\p{Lu}\p{L}+(?:\s+\p{Lu}\p{L}+)?)$`)
)

// hearingPerson is what the hearing says about one person.
type hearingPerson struct {
	full  string // "Mike Lee", "" when the hearing never gives it
	role  string // "Senator", "Chair", "Representative", … ("" for Mr./Ms.)
	party string // "R-Utah"
	label string // decided at the first turn
}

// hearingPeople maps the ways a hearing names its speakers to one label each.
type hearingPeople struct {
	byKey map[string]*hearingPerson // lower-case surname (with "of State" when written)
	chair *hearingPerson
}

func newHearingPeople() *hearingPeople { return &hearingPeople{byKey: map[string]*hearingPerson{}} }

// roleOf turns a title into a role: "" for honorifics.
func roleOf(title string) string {
	t := strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(strings.TrimPrefix(title, "The "), "THE ")), " "))
	switch strings.TrimSuffix(t, ".") {
	case "sen", "senator":
		return "Senator"
	case "rep", "representative":
		return "Representative"
	case "del", "delegate":
		return "Delegate"
	case "chair", "chairman", "chairwoman", "chairperson":
		return "Chair"
	case "vice chair", "vice chairman", "vice chairwoman":
		return "Vice Chair"
	case "ranking member":
		return "Ranking Member"
	case "mr", "ms", "mrs", "miss", "dr", "hon":
		return ""
	}
	return NormalizeSpeaker(title)
}

// personKey is the key a name is known by: its surname, lower-cased, with
// "of State" when the header disambiguates that way ("Mr. Garcia of
// Illinois").
func personKey(name string) string {
	name = strings.TrimSpace(name)
	of := ""
	if m := ofState.FindStringSubmatchIndex(name); m != nil {
		of = " of " + strings.ToLower(name[m[2]:m[3]])
		name = name[:m[0]]
	}
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	last := strings.Trim(f[len(f)-1], ".,")
	if len(f) > 1 && isSuffix(last) {
		last = strings.Trim(f[len(f)-2], ".,")
	}
	return strings.ToLower(last) + of
}

func isSuffix(s string) bool {
	switch strings.ToLower(strings.TrimSuffix(s, ".")) {
	case "jr", "sr", "ii", "iii", "iv":
		return true
	}
	return false
}

// learn records a full name the hearing gives (a press speaker line, a
// STATEMENT OF heading), with the role and party when written.
func (h *hearingPeople) learn(full, role, party string) *hearingPerson {
	full = NormalizeSpeaker(full)
	k := personKey(full)
	if k == "" {
		return nil
	}
	p := h.byKey[k]
	if p == nil || (p.full != "" && !strings.EqualFold(p.full, full) && p.label != "") {
		// A second person of that surname: the newest is meant from now on.
		p = &hearingPerson{}
		h.byKey[k] = p
	}
	if p.full == "" {
		p.full = full
	}
	if p.role == "" {
		p.role = role
	}
	if p.party == "" {
		p.party = party
	}
	return p
}

// label returns the label of a header as written ("Senator Lee", "Sen. Mike
// Lee (R-Utah)", "The Chairman", "MS. CHEN").
func (h *hearingPeople) label(written string) string {
	written = strings.Join(strings.Fields(written), " ")
	party := ""
	if m := partyState.FindStringSubmatch(written); m != nil {
		party = strings.ToUpper(m[1]) + "-" + strings.TrimSpace(m[2])
		written = strings.TrimSpace(written[:len(written)-len(m[0])])
	}
	shown := NormalizeSpeaker(written)
	title, name := "", shown
	if m := titleSplit.FindStringSubmatch(shown); m != nil {
		title, name = m[1], strings.TrimSpace(m[2])
	}
	role := roleOf(title)
	if name == "" {
		// "The Chairman.", "The Clerk.", "Voices.": the chair when named before.
		if role == "Chair" && h.chair != nil && h.chair.label != "" {
			return h.chair.label
		}
		return shown
	}
	k := personKey(name)
	p := h.byKey[k]
	full := strings.Contains(name, " ") && !ofState.MatchString(name)
	switch {
	case p == nil && (full || party != ""):
		p = h.learn(name, role, party)
	case p == nil:
		p = &hearingPerson{role: role}
		h.byKey[k] = p
	case full && p.full != "" && !strings.EqualFold(p.full, name) && p.label != "":
		p = h.learn(name, role, party) // another person of the same surname
	default:
		if full && p.full == "" && p.label == "" {
			p.full = name
		}
		if role != "" && p.label == "" {
			p.role = role // the title of the first turn decides, not a heading's "A U.S. SENATOR"
		}
		if p.party == "" {
			p.party = party
		}
	}
	if p.label == "" {
		p.label = p.render(shown)
	}
	if role == "Chair" {
		h.chair = p
	}
	return p.label
}

// render decides a person's label at their first turn.
func (p *hearingPerson) render(shown string) string {
	if p.full == "" {
		return shown
	}
	var attrs []string
	if p.role != "" {
		attrs = append(attrs, p.role)
	}
	if p.party != "" {
		attrs = append(attrs, p.party)
	}
	if len(attrs) == 0 {
		return p.full
	}
	return p.full + " (" + strings.Join(attrs, ", ") + ")"
}

// statementOf reads the name in a GPO heading "STATEMENT OF HON. RICHARD J.
// DURBIN, A U.S. SENATOR …" or "STATEMENT OF MR. MARK ZUCKERBERG, FOUNDER …".
var statementOf = regexp.MustCompile(`^(?:OPENING\s+|PREPARED\s+|ORAL\s+)?STATEMENT\s+OF\s+(?:(?:THE\s+)?HON(?:ORABLE|\.)\s+|MR\.\s+|MS\.\s+|MRS\.\s+|DR\.\s+|SENATOR\s+|REPRESENTATIVE\s+)?([A-Z][A-Z.'’\- ]+?)\s*(?:,|$)`)

// learnStatementOf learns the full name and role of a GPO statement heading.
func (h *hearingPeople) learnStatementOf(heading string) {
	m := statementOf.FindStringSubmatch(strings.Join(strings.Fields(heading), " "))
	if m == nil {
		return
	}
	role := ""
	switch up := strings.ToUpper(heading); {
	case strings.Contains(up, "SENATOR"):
		role = "Senator"
	case strings.Contains(up, "REPRESENTATIVE"):
		role = "Representative"
	}
	h.learn(strings.TrimSpace(m[1]), role, "")
}

// upperShare is the share of letters of s that are upper-case (1 without letters).
func upperShare(s string) float64 {
	up, all := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			all++
			if unicode.IsUpper(r) {
				up++
			}
		}
	}
	if all == 0 {
		return 1
	}
	return float64(up) / float64(all)
}
