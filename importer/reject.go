package importer

import (
	"strings"
	"unicode/utf8"
)

// maxRejectRaw is how much of a refused row is kept.
const maxRejectRaw = 4096

// validRaw returns b as valid UTF-8 without its line end, cut to maxRejectRaw bytes.
func validRaw(b []byte) string {
	if len(b) > maxRejectRaw {
		b = b[:maxRejectRaw]
		for len(b) > 0 && !utf8.RuneStart(b[len(b)-1]) {
			b = b[:len(b)-1]
		}
	}
	return strings.ToValidUTF8(strings.TrimRight(string(b), "\r\n"), "\uFFFD")
}
