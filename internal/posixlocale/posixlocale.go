// Package posixlocale maps the POSIX locales "C" and "POSIX" (common on
// servers and in CI) to en_US.UTF-8 before Fyne reads the locale, so the
// window and the command line do not log "Error parsing user locale C".
//
// It must be imported by package main; Go initialises packages in import-path
// order once their dependencies are ready, and "casebook/…" sorts before
// "fyne.io/…", so this runs before Fyne's lang package.
package posixlocale

import (
	"os"
	"strings"
)

func init() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(k)
		base, _, _ := strings.Cut(v, ".")
		if base == "C" || base == "POSIX" {
			os.Setenv(k, "en_US.UTF-8")
		}
	}
}
