package casefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrOutputExists is returned, wrapped with the file's name and a free
// name to use instead, when a report or export would replace a file.
var ErrOutputExists = errors.New("the file exists")

// CheckNewOutput refuses a report's or an export's path when a file is
// already there, naming a dated name beside it that is free (see
// DatedName). Reports and exports never replace a file silently: the
// faces ask, or take --force.
func CheckNewOutput(path string, day time.Time) error {
	if _, err := os.Lstat(path); err != nil {
		return nil
	}
	return fmt.Errorf("%s: %w; write to a new name such as %s", path, ErrOutputExists, DatedName(path, day))
}

// DatedName is a name beside path that no file has: the day inserted before
// the extension (case-report.pdf → case-report-2024-05-01.pdf), with -2,
// -3 … after it while those are taken too. A name that already ends with
// that day is numbered instead of dated twice.
func DatedName(path string, day time.Time) string {
	dir, base := filepath.Split(path)
	ext := filepath.Ext(base)
	if strings.HasSuffix(strings.ToLower(base), ".ftm.json") {
		ext = base[len(base)-len(".ftm.json"):]
	}
	stem := strings.TrimSuffix(base, ext)
	date := day.Format(time.DateOnly)
	if !strings.HasSuffix(stem, "-"+date) {
		stem += "-" + date
	}
	for i := 1; ; i++ {
		name := stem + ext
		if i > 1 {
			name = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); err != nil {
			return p
		}
	}
}
