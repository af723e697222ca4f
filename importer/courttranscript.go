package importer

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"casebook/model"
)

// Court reporters' transcripts, as their PDFs read as text: each page has a
// running header ("D. Pecker — Direct/Steinglass"), its number ("Page
// 1073", or the number alone), numbered lines 1–25 and a footer (the
// reporter's name); or, from other courts, no numbers at all and a running
// header such as SDNY's "O5TVGUO1 Le Zhou - Cross". Turns are colloquy
// ("THE COURT:", "MR. BLANCHE:") and examination: "Q."/"A." (or "Q"/"A"),
// the examiner named by "BY MR. X:" or by the running header, the witness
// by the line that calls them ("LE ZHOU, called as a witness …") or by the
// running header. Parenthesised remarks ("(Pause.)", "(Recess.)",
// "(whereupon, the following proceedings were held at sidebar)") are
// notes. Headers, footers, page numbers and line numbers are never part of
// a segment's text; each segment keeps the page and line it starts and
// ends on, so it is cited "1075:9–12".

func init() {
	Register(Format{
		Name:    "court-transcript",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "Court reporter's transcript (Page N, numbered lines, THE COURT:, Q./A.)",
		Detect:  detectCourt,
		Parse:   parseCourt,
	})
}

var (
	courtPage    = regexp.MustCompile(`^(?i:page)[ \t]+(\d{1,6})(?:[ \t]+of[ \t]+\d+)?$`)
	courtBare    = regexp.MustCompile(`^(\d{1,6})$`)
	courtSpeaker = regexp.MustCompile(`^(THE[ \t]+(?:COURT|WITNESS|CLERK|LAW CLERK|DEFENDANT|JUROR|INTERPRETER|REPORTER|COURT OFFICER|COURT REPORTER|MARSHAL|DEPUTY|BAILIFF|FOREPERSON)|` +
		`(?:MR|MS|MRS|DR|MISS)\.?[ \t]*\p{Lu}[\p{Lu}'’\- ]{0,40}?|\p{Lu}[\p{Lu}'’\-]+(?:[ \t]+\p{Lu}[\p{Lu}'’\-.]*){0,3})[ \t]*:[ \t]*(.*)$`)
	courtQA      = regexp.MustCompile(`^([QA])([.:])?(?:[ \t]+(.*))?$`)
	courtBy      = regexp.MustCompile(`^BY[ \t]+((?:MR|MS|MRS|DR|MISS)\.?[ \t]*\p{Lu}[\p{Lu}'’\- ]+?)[ \t]*:?$`)
	courtExam    = regexp.MustCompile(`^(?:(?:RE)?DIRECT|(?:RE)?CROSS|VOIR[ \t]+DIRE)[- \t]*EXAMINATION\b`)
	courtRunning = regexp.MustCompile(`^(.{2,60}?)[ \t]+[-–—]+[ \t]+(Direct|Cross|Redirect|Recross|Voir Dire)\b(?:[ \t]*/[ \t]*(.+?))?[ \t]*$`)
	sdnyCode     = regexp.MustCompile(`^([A-Z0-9]{7,9})(?:[ \t]+(.*))?$`)
)

// notCourtSpeaker are the capitals before a colon on a transcript's cover
// and index that name no one.
var notCourtSpeaker = map[string]bool{"BY": true, "APPEARANCES": true, "ALSO PRESENT": true, "PRESENT": true, "BEFORE": true,
	"INDEX": true, "EXHIBITS": true, "WITNESS": true, "WITNESSES": true, "CERTIFICATE": true, "ATTORNEYS": true, "NOTE": true}

// isCourtSpeaker rejects the capitals before a colon that name no one:
// the cover's "COUNTY OF NEW YORK: PART 99", "APPEARANCES:", "BY:".
func isCourtSpeaker(label string) bool {
	l := strings.Join(strings.Fields(label), " ")
	if notCourtSpeaker[l] {
		return false
	}
	for _, w := range strings.Fields(l) {
		switch w {
		case "OF", "COUNTY", "STATE", "DISTRICT", "PART", "CASE", "INDEX", "NO.":
			return false
		}
	}
	return true
}

// courtPageCode reports whether a line is SDNY's page code ("O5TVGUO1"
// alone or before the witness and examination): letters and digits mixed.
func courtPageCode(t string) (rest string, ok bool) {
	if len(t) < 7 || !(t[0] >= 'A' && t[0] <= 'Z' || startsDigit(t)) || !strings.ContainsAny(t[:min(len(t), 9)], "0123456789") {
		return "", false
	}
	m := sdnyCode.FindStringSubmatch(t)
	if m == nil {
		return "", false
	}
	letters, digits := 0, 0
	for _, r := range m[1] {
		if unicode.IsDigit(r) {
			digits++
		} else {
			letters++
		}
	}
	if digits == 0 || letters < 2 {
		return "", false
	}
	if m[2] != "" && !courtRunning.MatchString(m[2]) {
		return "", false
	}
	return m[2], true
}

// courtLayout is what a first look at the lines says: are they numbered on
// pages, and how many look like colloquy or examination.
type courtLayout struct {
	numbered           bool
	pageMarks, numLine int
	colloquy, qa, by   int
	court              bool // "THE COURT:" seen
}

func scanCourt(lines []string) courtLayout {
	var c courtLayout
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		switch {
		case startsPage(t) && courtPage.MatchString(t):
			c.pageMarks++
			continue
		case numberedOf(t) != nil:
			c.numLine++
			if m := numberedOf(t); m[2] != "" {
				t = m[2]
			}
		}
		switch {
		case strings.HasPrefix(t, "BY") && courtBy.MatchString(t):
			c.by++
		case strings.HasPrefix(t, "THE COURT:"):
			c.court = true
			c.colloquy++
		case courtSpeakerLine(t):
			c.colloquy++
		case strings.HasPrefix(t, "Q. ") || strings.HasPrefix(t, "A. "):
			c.qa++
		}
	}
	c.numbered = c.numLine >= 10 && c.pageMarks >= 1
	return c
}

func detectCourt(name string, head []byte) int {
	c := scanCourt(headLines(head, 600))
	switch {
	case c.numbered && c.colloquy+c.qa+c.by >= 2:
		return 85
	case (c.court || c.by > 0) && c.colloquy+c.qa+c.by >= 4:
		return 80
	}
	return 0
}

// squeezeOCR closes the spaces a scan puts before periods and colons
// ("MR . STE INGLASS : Sure .").
var ocrSpaces = strings.NewReplacer(" .", ".", " :", ":", "\t.", ".", "\t:", ":")

func squeezeOCR(s string) string { return ocrSpaces.Replace(s) }

// courtNames keeps one label per person of a court transcript: a label
// read again with the scan's stray spaces ("MR. STE INGLASS") is the one
// read before ("Mr. Steinglass").
type courtNames struct {
	byKey map[string]string
}

func letterKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

func (c *courtNames) label(written string) string {
	shown := NormalizeSpeaker(squeezeOCR(written))
	k := letterKey(shown)
	if l, ok := c.byKey[k]; ok {
		return l
	}
	if strings.Contains(written, " ") {
		// A split name is not the first spelling of anyone.
		if squeezed := NormalizeSpeaker(strings.Join(strings.Fields(squeezeOCR(written)), " ")); squeezed != "" {
			shown = squeezed
		}
	}
	c.byKey[k] = shown
	return shown
}

// bySurname finds the counsel whose label ends with surname ("Steinglass"
// → "Mr. Steinglass"), or the surname alone.
func (c *courtNames) bySurname(surname string) string {
	k := letterKey(surname)
	for _, prefix := range []string{"MR", "MS", "MRS", "DR", "MISS"} {
		if l, ok := c.byKey[prefix+k]; ok {
			return l
		}
	}
	return NormalizeSpeaker(surname)
}

// sameWitness reports whether two names are one witness ("Karin
// Maistrello" and "Maistrello"; "D. Pecker" and "David Pecker").
func sameWitness(a, b string) bool {
	fa, fb := strings.Fields(a), strings.Fields(b)
	return len(fa) > 0 && len(fb) > 0 && strings.EqualFold(fa[len(fa)-1], fb[len(fb)-1])
}

func parseCourt(ctx context.Context, in Input, sink Sink) (Meta, error) {
	lines, lr, err := readAllLines(ctx, in)
	if err != nil {
		return Meta{}, err
	}
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = l.Text
	}
	layout := scanCourt(texts)
	names := &courtNames{byKey: map[string]string{}}
	b := newPagedTurns(ctx, sink)
	var (
		page, lastNo      int
		witness, examiner string
		inExam            bool
		skipIntro         int
		front             []string
		date              string
	)
	called := calledWitnesses(lines)
	setWitness := func(n string) {
		n = NormalizeSpeaker(n)
		for _, full := range called {
			if sameWitness(full, n) {
				n = full // the name the witness was called by, not the running header's surname
			}
		}
		if n != "" && (witness == "" || !sameWitness(witness, n)) {
			witness = n
		}
	}
	// running reads a running header's witness and examiner.
	running := func(t string) {
		if m := courtRunning.FindStringSubmatch(t); m != nil {
			setWitness(m[1])
			if m[3] != "" {
				examiner = names.bySurname(m[3])
			}
			inExam = true
		}
	}
	nextIsPage := func(i int) bool {
		for j := i + 1; j < len(lines) && j <= i+3; j++ {
			t := strings.TrimSpace(lines[j].Text)
			if t == "" {
				continue
			}
			return startsPage(t) && courtPage.MatchString(t) || startsDigit(t) && courtBare.MatchString(t)
		}
		return false
	}
	for i, l := range lines {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		t := strings.TrimSpace(l.Text)
		if t == "" {
			if b.cur != nil && b.cur.Speaker == "" && !b.inNote && b.turns == 0 {
				if err := b.close(); err != nil {
					return Meta{}, err
				}
			}
			continue
		}
		pline := 0
		if layout.numbered {
			if m := pageOf(t); m != nil {
				page, _ = strconv.Atoi(m[1])
				lastNo = 0
				continue
			}
			if m := bareOf(t); m != nil {
				n, _ := strconv.Atoi(m[1])
				switch {
				case page > 0 && n == lastNo+1 && n <= 30:
					lastNo = n // a numbered line left empty
				case n > page:
					page, lastNo = n, 0
				}
				continue
			}
			if m := numberedOf(t); m != nil && page > 0 {
				if n, _ := strconv.Atoi(m[1]); n >= 1 && n <= 30 && n > lastNo {
					lastNo, pline, t = n, n, strings.TrimSpace(m[2])
				}
			}
			if pline == 0 && page > 0 {
				if lastNo == 0 || lastNo >= 20 || nextIsPage(i) {
					running(t) // the page's header or footer
					continue
				}
				pline = lastNo // a line the reporter left unnumbered goes with the one before
			}
			if t == "" {
				continue
			}
			if page == 0 && nextIsPage(i) {
				running(t) // the first page's header
				continue
			}
		} else if rest, ok := courtPageCode(t); ok {
			running(rest)
			continue
		}
		p := lineWhere(l, page, pline)
		if b.turns == 0 && date == "" {
			date = writtenDate(t)
		}
		if skipIntro > 0 {
			skipIntro--
			if strings.HasSuffix(t, "follows:") || strings.HasSuffix(t, "follows.") {
				skipIntro = 0
			}
			if b.cur != nil && b.cur.Speaker != "" {
				if err := b.close(); err != nil {
					return Meta{}, err
				}
			}
			continue
		}
		if b.inNote {
			b.add(t, p)
			if strings.Contains(t, ")") {
				if err := b.close(); err != nil {
					return Meta{}, err
				}
			}
			b.lastText = t
			continue
		}
		if strings.HasPrefix(t, "(") {
			if err := b.note(p, t); err != nil {
				return Meta{}, err
			}
			if strings.Contains(t, ")") {
				if err := b.close(); err != nil {
					return Meta{}, err
				}
			}
			continue
		}
		if m := byOf(t); m != nil {
			examiner, inExam = names.label(m[1]), true
			if err := b.close(); err != nil {
				return Meta{}, err
			}
			continue
		}
		if strings.Contains(t, "EXAMINATION") && courtExam.MatchString(t) {
			inExam = true
			if err := b.close(); err != nil {
				return Meta{}, err
			}
			continue
		}
		if name, ok := witnessCalled(lines, i); ok {
			{
				setWitness(name)
				skipIntro = 3
				if strings.HasSuffix(t, "follows:") {
					skipIntro = 0
				}
				if err := b.close(); err != nil {
					return Meta{}, err
				}
				continue
			}
		}
		if m := speakerOf(t); m != nil && isCourtSpeaker(m[1]) {
			label := names.label(m[1])
			if label == "The Witness" && witness != "" {
				label = witness
			}
			text := ""
			if c := strings.IndexByte(t, ':'); c >= 0 {
				text = t[c+1:]
			}
			if err := b.turn(label, p, -1, text); err != nil {
				return Meta{}, err
			}
			continue
		}
		if m := qaOf(t); m != nil && (m[2] != "" || m[3] == "" || (inExam && endsSentence(b.lastText))) {
			label := examiner
			if m[1] == "A" {
				label = witness
			}
			if label == "" {
				label = m[1]
			}
			inExam = true
			if err := b.turn(label, p, -1, m[3]); err != nil {
				return Meta{}, err
			}
			continue
		}
		if b.turns == 0 && len(front) < 3 {
			front = append(front, t)
		}
		b.add(t, p)
	}
	if err := b.close(); err != nil {
		return Meta{}, err
	}
	if b.turns == 0 {
		return Meta{}, Errorf(in.Name, 0, "not a court transcript: no speaker turns found")
	}
	if n := lr.Invalid(); n > 0 {
		sink.Warn(0, itoa(n)+" lines held bytes invalid in "+lr.Encoding())
	}
	title := ""
	if len(front) > 0 && len(front[0]) <= 200 {
		title = cleanText(front[0])
	}
	return transcriptMeta(in, lr.Encoding(), title, date), nil
}

// witnessCalled reads the line that calls a witness ("LE ZHOU," then
// "called as a witness by the Government,"), returning the name.
func witnessCalled(lines []Line, i int) (string, bool) {
	if strings.IndexByte(lines[i].Text, ',') < 0 {
		return "", false
	}
	t := strings.TrimSpace(lines[i].Text)
	if n := numberedOf(t); n != nil {
		t = strings.TrimSpace(n[2])
	}
	m := calledOf(t)
	if m == nil || upperShare(m[1]) <= 0.9 || len(strings.Fields(unspaceLetters(m[1]))) > 5 {
		return "", false
	}
	next := ""
	for j := i + 1; j < len(lines) && j <= i+3; j++ {
		if next = strings.TrimSpace(lines[j].Text); next != "" {
			break
		}
	}
	if m := numberedOf(next); m != nil && m[2] != "" {
		next = m[2]
	}
	if strings.Contains(t, "called") || strings.Contains(t, "having") || strings.HasPrefix(next, "called") ||
		strings.HasPrefix(next, "having") || strings.HasPrefix(next, "recalled") {
		return NormalizeSpeaker(unspaceLetters(m[1])), true
	}
	return "", false
}

// unspaceLetters closes a name written letter by letter ("P R I Y A  R A M
// A N" is "PRIYA RAMAN"); other names only get their spaces tidied.
func unspaceLetters(s string) string {
	f := strings.Fields(s)
	for _, w := range f {
		if len([]rune(w)) > 1 {
			return strings.Join(f, " ")
		}
	}
	var words []string
	for _, part := range wideSpace.Split(strings.TrimSpace(s), -1) {
		if w := strings.Join(strings.Fields(part), ""); w != "" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

var wideSpace = regexp.MustCompile(`[ \t]{2,}`)

// calledOf reads "NAME," or "NAME, called as a witness …" as a court
// reporter writes it: capitals, periods, apostrophes, hyphens and spaces before the
// first comma.
func calledOf(t string) []string {
	c := strings.IndexByte(t, ',')
	if c < 2 {
		return nil
	}
	name, rest := t[:c], strings.TrimSpace(t[c+1:])
	if rest != "" && !strings.HasPrefix(rest, "called") && !strings.HasPrefix(rest, "recalled") && !strings.HasPrefix(rest, "having") {
		return nil
	}
	n := 0
	for i, r := range name {
		n++
		if !(unicode.IsUpper(r) || i > 0 && strings.ContainsRune(".'’- ", r)) || n > 61 {
			return nil
		}
	}
	return []string{t, strings.TrimRight(name, " ")}
}

// calledWitnesses lists the names witnesses are called by in the whole
// transcript, so a running header's surname is read as the full name.
func calledWitnesses(lines []Line) []string {
	var out []string
	for i := range lines {
		if n, ok := witnessCalled(lines, i); ok {
			out = append(out, n)
		}
	}
	return out
}

// endsSentence reports whether a line ends where a new speaker may begin:
// after a full stop, a question, a colon, a closing quote or a dash.
func endsSentence(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return true
	}
	return strings.ContainsAny(s[len(s)-1:], ".?!:\")'") || strings.HasSuffix(s, "”") || strings.HasSuffix(s, "’") ||
		strings.HasSuffix(s, "—") || strings.HasSuffix(s, "--")
}

// courtSpeakerLine reports whether a line opens a colloquy turn.
func courtSpeakerLine(t string) bool {
	m := speakerOf(t)
	return m != nil && isCourtSpeaker(m[1])
}

// The regular expressions run only on lines that can match them: a court
// transcript has tens of thousands of lines.

func startsDigit(t string) bool { return t != "" && t[0] >= '0' && t[0] <= '9' }

func startsPage(t string) bool { return t != "" && (t[0] == 'P' || t[0] == 'p') }

func pageOf(t string) []string {
	if !startsPage(t) {
		return nil
	}
	return courtPage.FindStringSubmatch(t)
}

func bareOf(t string) []string {
	if !startsDigit(t) || len(t) > 6 {
		return nil
	}
	return courtBare.FindStringSubmatch(t)
}

// numberedOf splits a numbered line ("14 And it says") into the number and
// the words, (one or two digits, then a space).
func numberedOf(t string) []string {
	i := 0
	for i < len(t) && i < 3 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	switch {
	case i == 0 || i > 2:
		return nil
	case i == len(t):
		return []string{t, t, ""}
	case t[i] != ' ' && t[i] != '\t':
		return nil
	}
	return []string{t, t[:i], strings.TrimSpace(t[i:])}
}

func byOf(t string) []string {
	if !strings.HasPrefix(t, "BY") {
		return nil
	}
	return courtBy.FindStringSubmatch(squeezeOCR(t))
}

func speakerOf(t string) []string {
	if c := strings.IndexByte(t, ':'); c < 1 || c > 80 {
		return nil
	}
	return courtSpeaker.FindStringSubmatch(squeezeOCR(t))
}

func qaOf(t string) []string {
	if t == "" || (t[0] != 'Q' && t[0] != 'A') || len(t) > 1 && t[1] != '.' && t[1] != ':' && t[1] != ' ' && t[1] != '\t' {
		return nil
	}
	return courtQA.FindStringSubmatch(t)
}
