//go:build unix && !darwin && !android

package sysopen

import "context"

// openFile asks the desktop to open path through xdg-open (xdg-utils), which
// hands it to the desktop environment's opener (gio, kde-open, …) or, failing
// that, to the MIME handlers configured for the file type.
func openFile(ctx context.Context, path string) error {
	return run(ctx, "xdg-open", path)
}
