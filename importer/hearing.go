package importer

import (
	"context"
	"regexp"
	"strings"

	"casebook/model"
)

// Hearing and court transcripts: a turn starts with an all-caps speaker,
// "MR. NAME.", "Ms. NAME.", "SENATOR NAME:", "CHAIRMAN NAME.", "THE
// CHAIRMAN." or "NAME:", usually followed by the words on the same line; the
// words may continue on the following lines and paragraphs. Text before the
// first turn (the caption of the hearing) is kept as unattributed segments,
// its first line as the title.

func init() {
	Register(Format{
		Name:    "hearing",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "Hearing or court transcript (MR. NAME. / SENATOR NAME:)",
		Detect:  detectHearing,
		Parse:   parseHearing,
	})
}

var (
	hearingHeader = regexp.MustCompile(`^[ \t]*((?i:mr|mrs|ms|dr|senator|sen|representative|rep|chairman|chairwoman|chair|judge|justice|the|secretary|commissioner|mayor|ambassador|general|admiral|councilmember)\.?[ \t]+)?` +
		`(\p{Lu}[\p{Lu}'’\-]+(?:[ \t]+\p{Lu}[\p{Lu}'’\-.]*){0,3})[ \t]*([.:])(?:[ \t]+(.*))?$`)
	hearingSpec = turnSpec{what: "a hearing transcript", header: hearingTurn, title: true}
)

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
	name := NormalizeSpeaker(strings.ToUpper(m[1] + m[2]))
	if name == "" {
		return turnHeader{}, false
	}
	return turnHeader{speaker: name, startMS: -1, text: m[4]}, true
}

func detectHearing(name string, head []byte) int {
	hits, lines := countTurnHeaders(head, hearingSpec)
	if hits < 2 || hits*10 < lines {
		return 0
	}
	return 75
}

func parseHearing(ctx context.Context, in Input, sink Sink) (Meta, error) {
	return parseTurns(ctx, in, sink, hearingSpec)
}
