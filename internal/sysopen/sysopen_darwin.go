//go:build darwin && !ios

package sysopen

import "context"

// openFile asks Launch Services to open path with the user's default
// application for its type, through /usr/bin/open.
func openFile(ctx context.Context, path string) error {
	return run(ctx, "/usr/bin/open", path)
}
