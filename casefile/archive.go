package casefile

import (
	"io"

	"casebook/importer"
)

// archiveEntry is one file inside an archive.
type archiveEntry struct {
	name string
	open func() (io.ReadCloser, error)
}

// isArchive reports whether a file is a zip archive of files to import (a
// DOCX is a zip too, but is one transcript).
func isArchive(name string, head []byte) bool { return importer.IsArchive(name, head) }

// archiveEntries lists an archive's importable entries, refusing path
// escapes and enforcing the importer's size, count and ratio limits.
func archiveEntries(name string, r io.ReaderAt, size int64) ([]archiveEntry, error) {
	entries, err := importer.ArchiveEntries(name, r, size, importer.DefaultArchiveLimits())
	if err != nil {
		return nil, err
	}
	out := make([]archiveEntry, len(entries))
	for i, e := range entries {
		out[i] = archiveEntry{name: e.Name, open: e.Open}
	}
	return out, nil
}
