package importer

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

func itoa(n int) string { return strconv.Itoa(n) }

// NormalizeSpeaker turns a speaker label into its display form: spaces
// collapsed, surrounding punctuation trimmed, and all-caps or all-lowercase
// labels title-cased ("SPEAKER 1" and "speaker 1" become "Speaker 1"), while
// titles such as "Dr." are kept.
func NormalizeSpeaker(s string) string {
	s = tidySpeaker(s)
	if s == "" {
		return ""
	}
	hasUpper, hasLower := false, false
	for _, r := range s {
		if unicode.IsUpper(r) {
			hasUpper = true
		}
		if unicode.IsLower(r) {
			hasLower = true
		}
	}
	if hasUpper != hasLower { // all one case: title-case each word
		words := strings.Fields(strings.ToLower(s))
		for i, w := range words {
			rs := []rune(w)
			rs[0] = unicode.ToUpper(rs[0])
			// Keep "McX" and "O'X" simple: only the first letter and letters after ' or -.
			for j := 1; j < len(rs); j++ {
				if rs[j-1] == '\'' || rs[j-1] == '-' || rs[j-1] == '’' {
					rs[j] = unicode.ToUpper(rs[j])
				}
			}
			words[i] = string(rs)
		}
		s = strings.Join(words, " ")
	}
	return s
}

// tidySpeaker collapses a speaker label's spaces and trims surrounding
// punctuation, keeping its letters as written: caption formats show labels
// exactly as the file does.
func tidySpeaker(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.Trim(s, " :-–—*_")
}

// captionSpeaker is the display form of a speaker label from a caption
// file: exactly as written, spaces tidied and surrounding punctuation
// trimmed. It never re-capitalises: an all-capitals "WEI ZHANG:" stays
// "WEI ZHANG" (search by speaker ignores case, so speaker:"Wei Zhang" still
// finds it), and "05 hard spaces between letters" stays as it is.
func captionSpeaker(s string) string {
	return tidySpeaker(s)
}

var (
	nameDateISO     = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[^0-9]|$)`)
	nameDateCompact = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d\d)(\d\d)(\d\d)(?:[^0-9]|$)`)
)

// DateFromName finds the date a file describes in its name: "2022-01-14",
// "20220114" or Zoom's "GMT20240124-202901". It returns "" when the name
// holds no valid date; it never invents one.
func DateFromName(name string) string {
	for _, re := range []*regexp.Regexp{nameDateISO, nameDateCompact} {
		for _, m := range re.FindAllStringSubmatch(name, -1) {
			d := m[1] + "-" + m[2] + "-" + m[3]
			if _, err := time.Parse("2006-01-02", d); err == nil {
				return d
			}
		}
	}
	return ""
}
