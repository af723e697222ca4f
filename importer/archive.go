package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// Entry is one file inside an archive.
type Entry struct {
	Name string                        // slash-separated path inside the archive
	Size int64                         // declared uncompressed size in bytes
	Open func() (io.ReadCloser, error) // a reader that refuses to go past Size
}

// ArchiveLimits bound what an archive may unpack to.
type ArchiveLimits struct {
	MaxEntries   int   // most importable entries
	MaxEntrySize int64 // largest uncompressed entry in bytes
	MaxTotal     int64 // all entries together, uncompressed, in bytes
	MaxRatio     int64 // largest uncompressed/compressed ratio of an entry over 1 MiB
}

// ratioFloor is the size under which an entry's compression ratio is not
// checked: small text compresses very well and harms nobody.
const ratioFloor = 1 << 20

// DefaultArchiveLimits returns limits suited to an investigator's zip of
// transcripts and logs: 10,000 entries, 1 GiB each, 4 GiB in all, ratio 200.
func DefaultArchiveLimits() ArchiveLimits {
	return ArchiveLimits{MaxEntries: 10000, MaxEntrySize: 1 << 30, MaxTotal: 4 << 30, MaxRatio: 200}
}

// IsArchive reports whether a file is a plain zip archive (not a DOCX).
func IsArchive(name string, head []byte) bool {
	if !bytes.HasPrefix(head, zipMagic) {
		return false
	}
	if nameHas(name, ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub", ".jar", ".apk") {
		return false
	}
	// Office Open XML and OpenDocument packages start with their manifest.
	for _, marker := range []string{"[Content_Types].xml", "word/", "mimetypeapplication/vnd.oasis"} {
		if bytes.Contains(head[:min(len(head), 4096)], []byte(marker)) {
			return false
		}
	}
	return true
}

// ArchiveEntries lists the importable entries of a zip: directories,
// __MACOSX, dot-files skipped; names with `..`, absolute paths, backslash
// escapes or symlinks refused with an error naming the entry; count/size/
// compression-ratio limits enforced (Open returns a reader that errors once
// the entry exceeds its declared size or the limit).
func ArchiveEntries(name string, r io.ReaderAt, size int64, lim ArchiveLimits) ([]Entry, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, Errorf(name, 0, "not a zip archive: %v", err)
	}
	var out []Entry
	var total int64
	for _, f := range zr.File {
		n := f.Name
		if f.Mode()&os.ModeSymlink != 0 {
			return nil, Errorf(name, 0, "entry %q is a symbolic link", n)
		}
		if err := checkEntryName(n); err != nil {
			return nil, Errorf(name, 0, "entry %q: %v", n, err)
		}
		if f.FileInfo().IsDir() || strings.HasSuffix(n, "/") {
			continue
		}
		if skipEntry(n) {
			continue
		}
		if lim.MaxEntries > 0 && len(out) >= lim.MaxEntries {
			return nil, Errorf(name, 0, "more than %d entries", lim.MaxEntries)
		}
		usize := f.UncompressedSize64
		if usize > 1<<62 {
			return nil, Errorf(name, 0, "entry %q: impossible size", n)
		}
		if lim.MaxEntrySize > 0 && int64(usize) > lim.MaxEntrySize {
			return nil, Errorf(name, 0, "entry %q: %d bytes uncompressed, over the %d-byte limit", n, usize, lim.MaxEntrySize)
		}
		total += int64(usize)
		if lim.MaxTotal > 0 && total > lim.MaxTotal {
			return nil, Errorf(name, 0, "entries add up to more than the %d-byte limit (at %q)", lim.MaxTotal, n)
		}
		if lim.MaxRatio > 0 && usize > ratioFloor && usize/max(f.CompressedSize64, 1) > uint64(lim.MaxRatio) {
			return nil, Errorf(name, 0, "entry %q: compression ratio over %d (%d bytes from %d): possible zip bomb",
				n, lim.MaxRatio, usize, f.CompressedSize64)
		}
		f := f
		limit := int64(usize)
		out = append(out, Entry{Name: n, Size: int64(usize), Open: func() (io.ReadCloser, error) {
			rc, err := f.Open()
			if err != nil {
				return nil, fmt.Errorf("%s: entry %q: %w", name, f.Name, err)
			}
			return &boundedReader{rc: rc, left: limit, what: fmt.Sprintf("%s: entry %q", name, f.Name)}, nil
		}})
	}
	return out, nil
}

// checkEntryName refuses paths that could escape the folder they are
// unpacked into.
func checkEntryName(n string) error {
	switch {
	case n == "":
		return errors.New("empty name")
	case strings.Contains(n, "\\"):
		return errors.New("backslash in the name")
	case strings.HasPrefix(n, "/"):
		return errors.New("absolute path")
	case len(n) >= 2 && n[1] == ':':
		return errors.New("drive-letter path")
	case strings.ContainsRune(n, 0):
		return errors.New("NUL in the name")
	}
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return errors.New("path climbs out of the archive (..)")
		}
	}
	return nil
}

// skipEntry reports whether an entry is clutter: __MACOSX resource forks
// and dot-files (.DS_Store, ._x) anywhere in the path.
func skipEntry(n string) bool {
	for _, part := range strings.Split(path.Clean(n), "/") {
		if part == "__MACOSX" || strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// boundedReader errors once more than the declared bytes come out.
type boundedReader struct {
	rc   io.ReadCloser
	left int64
	what string
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errors.New(b.what + ": more data than its declared size")
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n + int(b.left), errors.New(b.what + ": more data than its declared size")
	}
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%s: %w", b.what, err)
	}
	return n, err
}

func (b *boundedReader) Close() error { return b.rc.Close() }
