//go:build linux && !android

package player

/*
#cgo pkg-config: alsa
#include <alsa/asoundlib.h>

static void casebookQuietALSA(const char *file, int line, const char *function, int err, const char *fmt, ...) {}

static void casebookSilenceALSA(void) { snd_lib_error_set_handler(casebookQuietALSA); }
*/
import "C"

// quietDevice stops ALSA's library from printing its own diagnostics on stderr (a machine with no sound card
// gets a dozen lines of them on the first play); oto still returns the reason, which ErrNoDevice's error
// carries.
func quietDevice() { C.casebookSilenceALSA() }
