//go:build !linux

package index

// canDropMapped says dropMapped gives pages back on this platform: not
// here. macOS and Windows keep a file mapping's clean pages as
// reclaimable cache on their own terms.
const canDropMapped = false

// dropMapped does nothing on this platform.
func dropMapped([]byte) error { return nil }
