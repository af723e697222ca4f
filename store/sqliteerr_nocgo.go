//go:build !cgo

package store

// isUniqueViolation is false without cgo: go-sqlite3's stub driver opens no
// database, so no statement ever runs. This file exists so that store, and the
// packages above it, type-check for platforms whose C toolchain is not at hand
// (CGO_ENABLED=0 GOOS=darwin go vet; see "make darwin-check").
func isUniqueViolation(error) bool { return false }
