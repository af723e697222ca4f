//go:build unix

package casefile

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// canWrite asks the system whether path may be written, without writing:
// access(2) with W_OK, which reports EROFS for read-only storage (even to
// root) and EACCES when permissions refuse.
func canWrite(path string) error {
	if err := unix.Access(path, unix.W_OK); err != nil {
		return &fs.PathError{Op: "access", Path: path, Err: err}
	}
	return nil
}
