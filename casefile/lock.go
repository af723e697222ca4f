package casefile

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"casebook/model"
)

// caseLock is the lock a process holds on a case for as long as it has the
// case open. The lock file holds the holder's pid, for the error message.
// The lock itself is per platform: flock on Unix (lock_unix.go), LockFileEx on
// Windows (lock_windows.go); both are released by the system when the process
// ends, however it ends.
type caseLock struct{ f *os.File }

// acquireLock takes the case's lock without waiting. When another process
// holds it, the error says "case DIR is open in another Casebook (pid N)" and
// wraps model.ErrLocked.
func acquireLock(dir string) (*caseLock, error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock case %s: %w", dir, err)
	}
	ok, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock case %s: %w", dir, err)
	}
	if !ok {
		f.Close()
		return nil, lockedError(dir, path)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		_ = f.Sync()
	}
	return &caseLock{f: f}, nil
}

// lockedError is the error for a case another process holds: "case DIR is
// open in another Casebook (pid N)", with the pid read from the lock file
// ("unknown" when it holds none), wrapping model.ErrLocked.
func lockedError(dir, path string) error {
	return fmt.Errorf("case %s is open in another Casebook (pid %s): %w", dir, lockHolder(path), model.ErrLocked)
}

// lockHolder is the pid the lock file at path names, or "unknown".
func lockHolder(path string) string {
	b, _ := os.ReadFile(path)
	pid := strings.TrimSpace(string(b))
	if _, err := strconv.Atoi(pid); err != nil {
		return "unknown"
	}
	return pid
}

// release gives the lock up and empties the pid from the lock file.
func (l *caseLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
