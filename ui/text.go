package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"casebook/model"
)

// sentence turns an error from the layers below into one line for people.
func sentence(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return "Cancelled."
	case errors.Is(err, model.ErrLocked):
		return firstLine(err) + ". Close it there first, or open it with File → Open case read-only… to read it as it stands."
	case errors.Is(err, model.ErrNotCase):
		return "This folder is not a Casebook case (" + firstLine(err) + ")."
	}
	return firstLine(err)
}

// firstLine is the first line of an error's text.
func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	s = strings.TrimSuffix(s, ": "+model.ErrLocked.Error())
	s = strings.TrimSuffix(s, ": "+model.ErrNotCase.Error())
	return s
}

// clock renders milliseconds as m:ss (or h:mm:ss); "—" when unknown.
func clock(ms int64) string {
	if ms < 0 {
		return "—"
	}
	s := ms / 1000
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// plural renders "1 segment" or "3 segments".
func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %s", n, pluralWord(word))
}

// pluralWord is a word's plural: entries, people, segments.
func pluralWord(word string) string {
	switch {
	case word == "person":
		return "people"
	case strings.HasSuffix(word, "y") && !strings.HasSuffix(word, "ay") && !strings.HasSuffix(word, "ey"):
		return strings.TrimSuffix(word, "y") + "ies"
	}
	return word + "s"
}

// countOf renders "1 event" or "50,040 events".
func countOf(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return thousands(n) + " " + pluralWord(word)
}

// oneLine folds newlines and runs of spaces so text fits a list row.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// highlight splits a snippet with «matches» into rich-text segments, the
// matches bold.
func highlight(snippet string) []widget.RichTextSegment {
	snippet = oneLine(snippet)
	var segs []widget.RichTextSegment
	add := func(text string, bold bool) {
		if text == "" {
			return
		}
		st := widget.RichTextStyleInline
		if bold {
			st = widget.RichTextStyleStrong
		}
		segs = append(segs, &widget.TextSegment{Text: text, Style: st})
	}
	for snippet != "" {
		before, rest, ok := strings.Cut(snippet, "«")
		add(before, false)
		if !ok {
			break
		}
		match, after, ok := strings.Cut(rest, "»")
		add(match, true)
		if !ok {
			break
		}
		snippet = after
	}
	if len(segs) == 0 {
		segs = append(segs, &widget.TextSegment{Text: "", Style: widget.RichTextStyleInline})
	}
	return segs
}

// kindTitle is the heading of a group of sources.
func kindTitle(k model.SourceKind) string {
	switch k {
	case model.KindTranscript:
		return "Transcripts"
	case model.KindAccessLog:
		return "Access logs"
	case model.KindRecording:
		return "Recordings"
	}
	return string(k)
}

// kindName names one source of a kind.
func kindName(k model.SourceKind) string {
	switch k {
	case model.KindTranscript:
		return "Transcript"
	case model.KindAccessLog:
		return "Access log"
	case model.KindRecording:
		return "Recording"
	}
	return string(k)
}

// recordWord is what one record of a kind of source is called.
func recordWord(k model.SourceKind) string {
	if k == model.KindTranscript {
		return "segment"
	}
	if k == model.KindRecording {
		return "typed segment"
	}
	return "event"
}

// stageTitle names a progress stage for people.
func stageTitle(stage string) string {
	switch stage {
	case "import":
		return "Importing"
	case "check":
		return "Checking"
	case "index":
		return "Indexing"
	case "rebuild":
		return "Rebuilding the search index"
	case "verify":
		return "Verifying"
	case "pack":
		return "Packing"
	case "unpack":
		return "Unpacking"
	case "":
		return "Working"
	}
	return stage
}

// truncLabel is a label that ends in an ellipsis when it does not fit.
func truncLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}
