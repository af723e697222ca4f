//go:build cgo

package store

import (
	"errors"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// isSQLiteFull reports whether err is SQLite's SQLITE_FULL: "database or
// disk is full".
func isSQLiteFull(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrFull
}
