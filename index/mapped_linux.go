package index

import "golang.org/x/sys/unix"

// canDropMapped says dropMapped gives pages back on this platform.
const canDropMapped = true

// dropMapped drops the process's page-table entries for a read-only shared
// file mapping; the page cache keeps the pages.
func dropMapped(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	return unix.Madvise(b, unix.MADV_DONTNEED)
}
