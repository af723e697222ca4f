package importer

import (
	"context"
	"regexp"
	"strings"

	"casebook/model"
)

// Rev.com transcript export: a "Name (HH:MM:SS):" line (the time may be
// MM:SS; the words may follow on the same line), the words on the following
// lines, a blank line.

func init() {
	Register(Format{
		Name:    "rev",
		Kind:    model.KindTranscript,
		Version: 1,
		Title:   "Rev transcript (Name (HH:MM:SS):)",
		Detect:  detectRev,
		Parse:   parseRev,
	})
}

var (
	revHeader = regexp.MustCompile(`^[ \t]*([\p{L}\p{N}][^()\t]{0,79}?)[ \t]*\((\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\)[ \t]*:[ \t]*(.*)$`)
	revSpec   = turnSpec{what: "a Rev transcript", header: revTurn}
)

func revTurn(line string) (turnHeader, bool) {
	if i := strings.IndexByte(line, '('); i < 1 || i > 320 || !strings.Contains(line, "):") {
		return turnHeader{}, false
	}
	m := revHeader.FindStringSubmatch(line)
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
	return turnHeader{speaker: name, startMS: ms, text: m[3]}, true
}

func detectRev(name string, head []byte) int {
	hits, lines := countTurnHeaders(head, revSpec)
	if hits < 2 || hits*5 < lines {
		return 0
	}
	return 88
}

func parseRev(ctx context.Context, in Input, sink Sink) (Meta, error) {
	return parseTurns(ctx, in, sink, revSpec)
}
