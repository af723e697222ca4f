//go:build unix

package casefile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// tryLock takes an exclusive, non-blocking advisory lock (flock) on f. It
// reports false, with no error, when another process holds it. flock locks
// belong to the open file, so a second open in the same process is refused
// too.
func tryLock(f *os.File) (bool, error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EWOULDBLOCK) || errors.Is(err, syscall.EAGAIN):
			return false, nil
		case errors.Is(err, syscall.EINTR):
			continue
		default:
			return false, fmt.Errorf("flock: %w", err)
		}
	}
}

// unlock releases the lock tryLock took.
func unlock(f *os.File) error {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN); err != nil {
		return fmt.Errorf("flock unlock: %w", err)
	}
	return nil
}
