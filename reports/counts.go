package reports

import (
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// countOf says how many of something there are, in the singular for one and
// with thousands grouped: "1 access log", "50,040 events". Every count the
// report writes in words goes through it.
func countOf(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return english.Sprintf("%d %s", n, many)
}

// english prints numbers as the report's English text does: 50,040.
var english = message.NewPrinter(language.English)
