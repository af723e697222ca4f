//go:build !linux || android

package player

// quietDevice does nothing: only ALSA prints on its own.
func quietDevice() {}
