package importer

import (
	"context"
	"regexp"
	"strings"

	"casebook/model"
)

// Otter.ai plain-text export: a "Speaker Name  M:SS" (or H:MM:SS) line, the
// words on the following lines, a blank line. A Markdown variant writes the
// name in bold ("**Name** 0:05"); hand-edited Markdown transcripts put the
// whole turn on one line, the time in brackets: "**Name** [0:05] words…"
// (or "**Name:** (0:05) words…"). The trailer "Transcribed by
// https://otter.ai" is not a segment.

func init() {
	Register(Format{
		Name:    "otter",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "Otter.ai transcript export (Name  M:SS)",
		Detect:  detectOtter,
		Parse:   parseOtter,
	})
}

var (
	otterHeader = regexp.MustCompile(`^[ \t]*([\p{Lu}\p{N}][^\t]{0,79}?)(?:[ \t]{2,}|\t)(\d{1,3}:\d{2}(?::\d{2})?)[ \t]*$`)
	otterBold   = regexp.MustCompile(`^[ \t]*\*\*([^*]{1,80})\*\*[ \t]*:?[ \t]+\(?(\d{1,3}:\d{2}(?::\d{2})?)\)?[ \t]*$`)
	// otterInline is the one-line Markdown turn; the brackets around the time
	// are required, so a bold word followed by a number in prose is not a turn.
	otterInline = regexp.MustCompile(`^[ \t]*\*\*([^*]{1,80}?)[ \t]*:?\*\*[ \t]*:?[ \t]*(?:\[(\d{1,3}:\d{2}(?::\d{2})?)\]|\((\d{1,3}:\d{2}(?::\d{2})?)\))(?:[ \t]+(.*))?$`)
	otterSpec   = turnSpec{what: "an Otter.ai transcript", header: otterTurn, skip: otterTrailer, title: true}
)

func otterTurn(line string) (turnHeader, bool) {
	if m := otterInline.FindStringSubmatch(line); m != nil {
		clock := m[2] + m[3] // one of the two is empty
		ms, ok := parseClock(clock)
		name := NormalizeSpeaker(m[1])
		if !ok || name == "" {
			return turnHeader{}, false
		}
		return turnHeader{speaker: name, startMS: ms, text: strings.TrimSpace(m[4])}, true
	}
	t := strings.TrimRight(line, " \t")
	if len(t) > 400 || len(t) < 5 || !(t[len(t)-1] >= '0' && t[len(t)-1] <= '9' || t[len(t)-1] == ')') {
		return turnHeader{}, false
	}
	m := otterHeader.FindStringSubmatch(line)
	if m == nil {
		m = otterBold.FindStringSubmatch(line)
	}
	if m == nil {
		return turnHeader{}, false
	}
	ms, ok := parseClock(m[2])
	if !ok {
		return turnHeader{}, false
	}
	name := NormalizeSpeaker(m[1])
	if name == "" {
		return turnHeader{}, false
	}
	return turnHeader{speaker: name, startMS: ms}, true
}

func otterTrailer(line string) bool {
	l := strings.ToLower(line)
	return strings.HasPrefix(l, "transcribed by https://otter.ai") || strings.HasPrefix(l, "transcribed by otter.ai") ||
		strings.HasPrefix(l, "transcribed by http://otter.ai")
}

func detectOtter(name string, head []byte) int {
	hits, lines := countTurnHeaders(head, otterSpec)
	if hits < 2 || hits*5 < lines {
		return 0
	}
	score := 85
	if strings.Contains(strings.ToLower(string(head)), "otter.ai") {
		score += 5
	}
	return score
}

func parseOtter(ctx context.Context, in Input, sink Sink) (Meta, error) {
	return parseTurns(ctx, in, sink, otterSpec)
}
