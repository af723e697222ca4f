package importer

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"casebook/model"
)

// Hearing transcripts in the layouts they are published in:
//
//   - the GPO/govinfo text of a printed hearing (CHRG-…htm/txt): a turn
//     starts on an indented line "    Senator Blackburn. …", "    Mr. Chew.
//     …", "    The Chairman. …", "    Chair Durbin. …"; centred headings
//     ("STATEMENT OF MR. …") are not spoken, they name the witness;
//     bracketed remarks ("[The prepared statement of … follows:]", "[Video
//     is shown.]") are notes; "[[Page 12]]" markers give the page;
//   - a press service's transcript: a title block and a date/time line at
//     the top, then each turn as a speaker line alone ("Sen. Mike Lee
//     (R-Utah)") followed by its paragraphs;
//   - a committee video's captions: "[00:12:31] Name: words";
//   - the all-capitals form: "MR. NAME.", "SENATOR NAME:", "THE CHAIRMAN.",
//     "NAME:" followed by the words.
//
// Speakers are made one person per hearing (hearingnames.go). The caption
// before the first turn is kept as segments without a speaker; its title
// and the date it states ("TUESDAY, MARCH 23, 2023", "06/24/2025 02:30 PM
// EDT") become the source's title and the date it describes, so the
// timeline places the hearing. After "[Whereupon … adjourned.]" the text
// (the appendix, material for the record) is kept without speakers.

func init() {
	Register(Format{
		Name:    "hearing",
		Kind:    model.KindTranscript,
		Version: 2,
		Title:   "Hearing transcript (GPO/govinfo text, press-service transcript, committee captions, MR. NAME. / SENATOR NAME:)",
		Detect:  detectHearing,
		Parse:   parseHearing,
	})
}

var (
	hearingHeader = regexp.MustCompile(`^[ \t]*((?i:mr|mrs|ms|dr|senator|sen|representative|rep|chairman|chairwoman|chair|judge|justice|the|secretary|commissioner|mayor|ambassador|general|admiral|councilmember)\.?[ \t]+)?` +
		`(\p{Lu}[\p{Lu}'’\-]+(?:[ \t]+\p{Lu}[\p{Lu}'’\-.]*){0,3})[ \t]*([.:])(?:[ \t]+(.*))?$`)
	// gpoHeader is the printed hearing's turn: a title and a name in mixed
	// case, then a period ("Mr. Garcia of Illinois.", "Ms. Blunt Rochester.").
	gpoHeader = regexp.MustCompile(`^([ \t]*)(` + hearingTitle + `(?:[ \t]+\p{Lu}[\p{L}'’\-]*(?:[ \t]+\p{Lu}[\p{L}'’\-]*){0,2}(?:[ \t]+of[ \t]+\p{Lu}\p{L}+(?:[ \t]+\p{Lu}\p{L}+)?)?)?)\.(?:[ \t]+(.*))?$`)
	// captionHeader is a committee video's caption line.
	captionHeader = regexp.MustCompile(`^[ \t]*\[(\d{1,2}:\d{2}(?::\d{2})?)\][ \t]*([^:\[\]]{1,80}?)[ \t]*:[ \t]*(.*)$`)
	// pressSpeaker is a speaker line alone: a title, a name of up to four
	// words and a party and state ("Sen. Mike Lee (R-Utah)", "Shou Chew").
	pressSpeaker = regexp.MustCompile(`^[ \t]*((?:(?:Sen|Senator|Rep|Representative|Del|Delegate|Chairman|Chairwoman|Chair|Ranking Member|Dr|Mr|Ms|Mrs|Hon|Gov|Secretary|Judge|Commissioner)\.?[ \t]+)?` +
		`\p{Lu}[\p{L}.'’\-]*(?:[ \t]+\p{Lu}[\p{L}.'’\-]*){0,3})[ \t]*(\([RDI][ \t]*[-–—][ \t]*[\p{L}. ]{2,30}\))?[ \t]*:?[ \t]*$`)
	pressTitled = regexp.MustCompile(`^(?:Sen|Senator|Rep|Representative|Del|Delegate|Chairman|Chairwoman|Chair|Ranking Member|Dr|Mr|Ms|Mrs|Hon|Gov|Secretary|Judge|Commissioner)\.?[ \t]`)
	pageMarker  = regexp.MustCompile(`^[ \t]*\[\[Page[ \t]+[A-Z]?(\d{1,6})\]\][ \t]*$`)
	adjourned   = regexp.MustCompile(`(?i)^\[?whereupon\b.*\badjourn`)
	hearingSpec = turnSpec{what: "a hearing transcript", header: hearingTurn, title: true}
)

// hearingTurn recognises the all-capitals header of the first version,
// which detection still counts.
func hearingTurn(line string) (turnHeader, bool) {
	if i := strings.IndexAny(line, ".:"); i < 2 || i > 160 {
		return turnHeader{}, false
	}
	m := hearingHeader.FindStringSubmatch(line)
	if m == nil {
		return turnHeader{}, false
	}
	if m[1] == "" && m[3] != ":" {
		return turnHeader{}, false // "WORD." alone is a sentence, not a speaker
	}
	if r := strings.TrimSpace(m[1]); r != "" && r[0] >= 'a' && r[0] <= 'z' {
		return turnHeader{}, false // "the FTC." inside a sentence
	}
	name := NormalizeSpeaker(strings.ToUpper(m[1] + m[2]))
	if name == "" {
		return turnHeader{}, false
	}
	return turnHeader{speaker: m[1] + m[2], startMS: -1, text: m[4]}, true
}

// gpoTurn recognises a printed hearing's turn header. Without an indent it
// must follow a blank line, so a wrapped line that happens to begin with
// "Senator Graham." is not taken for one.
func gpoTurn(line string, afterBlank bool) (turnHeader, bool) {
	if len(line) < 4 || len(line) > 4000 || strings.IndexByte(line, '.') < 0 {
		return turnHeader{}, false
	}
	if t := strings.TrimLeft(line, " \t"); t == "" || t[0] < 'A' || t[0] > 'Z' {
		return turnHeader{}, false
	}
	m := gpoHeader.FindStringSubmatch(line)
	if m == nil || (len(m[1]) < 2 && !afterBlank) || len(m[1]) > 8 {
		return turnHeader{}, false
	}
	if f := strings.Fields(m[2]); len(f) == 2 && !strings.EqualFold(f[0], "The") {
		switch strings.ToLower(f[1]) { // "Mr. Chairman." is an address, not a speaker
		case "chairman", "chairwoman", "chair", "president", "speaker", "secretary":
			return turnHeader{}, false
		}
	}
	return turnHeader{speaker: m[2], startMS: -1, text: m[3]}, true
}

// captionTurn recognises "[00:12:31] Name: words".
func captionTurn(line string) (turnHeader, bool) {
	if t := strings.TrimLeft(line, " \t"); t == "" || t[0] != '[' {
		return turnHeader{}, false
	}
	m := captionHeader.FindStringSubmatch(line)
	if m == nil {
		return turnHeader{}, false
	}
	ms, ok := clockMS(m[1])
	if !ok || strings.TrimSpace(m[2]) == "" {
		return turnHeader{}, false
	}
	return turnHeader{speaker: m[2], startMS: ms, text: m[3]}, true
}

// clockMS reads "HH:MM:SS" or "MM:SS" as milliseconds.
func clockMS(s string) (int64, bool) {
	var ms int64
	for _, p := range strings.Split(s, ":") {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > 59 && ms > 0 {
			return 0, false
		}
		ms = ms*60 + int64(v)
	}
	return ms * 1000, true
}

// pressCandidates finds the press layout's speaker lines: a line alone
// with text after it, not a sentence, and
//   - with a party and state ("Sen. Mike Lee (R-Utah)"): wherever it is,
//     the services print them with or without blank lines around;
//   - else between a blank line and text, with a title or written the same
//     way at least twice;
//   - else after a finished sentence, written the same way at least twice
//     (a witness's name in a layout without blank lines).
func pressCandidates(lines []Line) map[int]bool {
	count := map[string]int{}
	type cand struct {
		i                    int
		party, blank, afterS bool
	}
	var cands []cand
	for i := 1; i+1 < len(lines); i++ {
		t := strings.TrimSpace(lines[i].Text)
		if t == "" || len(t) > 80 || strings.TrimSpace(lines[i+1].Text) == "" ||
			strings.ContainsAny(t[len(t)-1:], ".,;?!") || strings.ContainsAny(t, "0123456789[]") || upperShare(t) > 0.9 {
			continue
		}
		m := pressSpeaker.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		prev := strings.TrimSpace(lines[i-1].Text)
		cands = append(cands, cand{i: i, party: m[2] != "", blank: prev == "", afterS: endsSentence(prev) || writtenDate(prev) != ""})
		count[t]++
	}
	out := map[int]bool{}
	for _, c := range cands {
		t := strings.TrimSpace(lines[c.i].Text)
		switch {
		case c.party:
			out[c.i] = true
		case c.blank && (count[t] >= 2 || pressTitled.MatchString(t)):
			out[c.i] = true
		case c.afterS && count[t] >= 2:
			out[c.i] = true
		}
	}
	return out
}

// hearingFurniture reports a printed hearing's centred line: a heading in
// capitals or a rule, indented six spaces or more.
func hearingFurniture(line string) bool {
	indent := len(line) - len(strings.TrimLeft(line, " \t"))
	return indent >= 6 && upperShare(line) >= 0.8
}

// hearingTitleOf picks the title from the lines before the first turn: the
// first line (govinfo's "- TITLE" included), or, when that is a bracketed
// label ("[Senate Hearing 118-497]"), the capitals above "HEARING".
func hearingTitleOf(front []string) string {
	first := -1
	for i, t := range front {
		if strings.TrimSpace(t) != "" {
			first = i
			break
		}
	}
	if first < 0 {
		return ""
	}
	t := strings.TrimSpace(front[first])
	if !strings.HasPrefix(t, "[") {
		// The first line, and the lines of the same block up to a date: a
		// press service breaks its title over lines.
		parts := []string{strings.TrimSpace(strings.TrimLeft(t, "-#* "))}
		for _, l := range front[first+1:] {
			l = strings.TrimSpace(l)
			if l == "" || len(parts) == 4 || writtenDate(l) != "" || upperShare(l) != upperShare(parts[0]) && upperShare(l) > 0.9 {
				break
			}
			parts = append(parts, l)
		}
		t = strings.Join(parts, " ")
		if len(t) > 200 {
			return ""
		}
		return cleanText(t)
	}
	for i, l := range front {
		if strings.TrimSpace(l) != "HEARING" && strings.TrimSpace(l) != "HEARINGS" {
			continue
		}
		var parts []string
		j := i - 1
		for ; j >= 0 && (strings.TrimSpace(front[j]) == "" || strings.Trim(strings.TrimSpace(front[j]), "=_-") == ""); j-- {
		}
		for ; j >= 0 && strings.TrimSpace(front[j]) != "" && upperShare(front[j]) > 0.9; j-- {
			parts = append([]string{strings.TrimSpace(front[j])}, parts...)
		}
		if len(parts) > 0 {
			return cleanText(strings.Join(parts, " "))
		}
	}
	return cleanText(t)
}

func detectHearing(name string, head []byte) int {
	lines := headLines(head, 400)
	hits, caption, nonBlank := 0, 0, 0
	gpo := false
	prevBlank := true
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			prevBlank = true
			continue
		}
		nonBlank++
		if strings.Contains(t, "[From the U.S. Government Publishing Office]") || strings.Contains(t, "[From the U.S. Government Printing Office]") {
			gpo = true
		}
		if h, ok := captionTurn(l); ok {
			if titleSplit.MatchString(NormalizeSpeaker(h.speaker)) {
				caption++
			}
		} else if _, ok := hearingTurn(l); ok {
			hits++
		} else if _, ok := gpoTurn(l, prevBlank); ok {
			hits++
		}
		prevBlank = false
	}
	ls := make([]Line, len(lines))
	for i, l := range lines {
		ls[i] = Line{Text: l}
	}
	party, dated := 0, false
	for i := range pressCandidates(ls) {
		if pressTitled.MatchString(strings.TrimSpace(lines[i])) || strings.Contains(lines[i], "(") {
			hits++
		}
		if strings.Contains(lines[i], "(") {
			party++
		}
	}
	for i, seen := 0, 0; i < len(lines) && seen < 8; i++ {
		if t := strings.TrimSpace(lines[i]); t != "" {
			seen++
			dated = dated || slashDate.MatchString(t) || monthDate.MatchString(t)
		}
	}
	switch {
	case gpo && strings.Contains(string(head), "HEARING"):
		return 85
	case caption >= 2, party >= 2 && dated:
		// Captions of a hearing, or a press service's transcript: speaker
		// lines with party and state under a dated title.
		return 70
	case hits >= 2 && hits*10 >= nonBlank:
		return 75
	}
	return 0
}

func parseHearing(ctx context.Context, in Input, sink Sink) (Meta, error) {
	lines, lr, err := readAllLines(ctx, in)
	if err != nil {
		return Meta{}, err
	}
	press := pressCandidates(lines)
	people := newHearingPeople()
	b := newPagedTurns(ctx, sink)
	var (
		page      int
		closed    bool // after "[Whereupon … adjourned.]"
		noteEnd   = false
		firstTurn = -1
	)
	prevBlank := true
	for i, l := range lines {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return Meta{}, err
			}
		}
		if firstTurn < 0 && b.turns > 0 {
			firstTurn = i - 1
		}
		t := strings.TrimSpace(l.Text)
		p := lineWhere(l, page, 0)
		if b.turns == 0 && (i >= maxPreamble || l.Offset > maxPreambleBytes) {
			return Meta{}, Errorf(in.Name, l.No, "not a hearing transcript: no speaker turn in the first %d lines", maxPreamble)
		}
		blank := t == ""
		wasBlank := prevBlank
		prevBlank = blank
		if blank {
			// A paragraph break ends an unattributed paragraph and a note
			// left open; a speaker's turn goes on until the next speaker.
			if b.cur != nil && (b.cur.Speaker == "" || b.inNote) {
				if err := b.close(); err != nil {
					return Meta{}, err
				}
			}
			continue
		}
		if m := pageMarker.FindStringSubmatch(l.Text); m != nil {
			page, _ = strconv.Atoi(m[1])
			continue
		}
		if t == "Transcript" && b.turns > 0 {
			continue // a press service's page footer
		}
		// endNote closes a bracketed note at its "]"; after "[Whereupon …
		// adjourned.]" nothing more is a turn.
		endNote := func() error {
			if !strings.Contains(t, "]") {
				return nil
			}
			err := b.close()
			if noteEnd {
				closed, b.speaker = true, ""
			}
			return err
		}
		if b.inNote {
			b.add(t, p)
			if err := endNote(); err != nil {
				return Meta{}, err
			}
			continue
		}
		if strings.HasPrefix(t, "STATEMENT OF") || strings.HasPrefix(t, "OPENING STATEMENT OF") {
			people.learnStatementOf(t)
		}
		if !closed {
			if h, ok := captionTurn(l.Text); ok {
				if err := b.turn(people.label(h.speaker), p, h.startMS, h.text); err != nil {
					return Meta{}, err
				}
				continue
			}
		}
		if strings.HasPrefix(t, "[") && !strings.HasPrefix(t, "[[") {
			noteEnd = adjourned.MatchString(t)
			if err := b.note(p, t); err != nil {
				return Meta{}, err
			}
			if err := endNote(); err != nil {
				return Meta{}, err
			}
			continue
		}
		if !closed {
			if h, ok := gpoTurn(l.Text, wasBlank); ok {
				if err := b.turn(people.label(h.speaker), p, -1, h.text); err != nil {
					return Meta{}, err
				}
				continue
			}
			if h, ok := hearingTurn(l.Text); ok {
				if err := b.turn(people.label(h.speaker), p, -1, h.text); err != nil {
					return Meta{}, err
				}
				continue
			}
			if press[i] {
				if err := b.turn(people.label(t), p, -1, ""); err != nil {
					return Meta{}, err
				}
				continue
			}
			if b.turns > 0 && hearingFurniture(l.Text) {
				// A centred heading between turns: not spoken, and the end
				// of the turn before it.
				if err := b.close(); err != nil {
					return Meta{}, err
				}
				continue
			}
		}
		b.add(t, p)
	}
	if err := b.close(); err != nil {
		return Meta{}, err
	}
	if b.turns == 0 {
		return Meta{}, Errorf(in.Name, 0, "not %s: no speaker turns found", hearingSpec.what)
	}
	if firstTurn < 0 {
		firstTurn = len(lines) - 1
	}
	// The title and the date are the caption's: the lines before the first turn.
	front := make([]string, firstTurn)
	date := ""
	for i, l := range lines[:firstTurn] {
		front[i] = l.Text
		if date == "" {
			date = writtenDate(l.Text)
		}
	}
	if n := lr.Invalid(); n > 0 {
		sink.Warn(0, itoa(n)+" lines held bytes invalid in "+lr.Encoding())
	}
	return transcriptMeta(in, lr.Encoding(), hearingTitleOf(front), date), nil
}
