//go:build !cgo

package store

// isSQLiteFull is false without cgo, where no database ever opens (see
// sqliteerr_nocgo.go).
func isSQLiteFull(error) bool { return false }
