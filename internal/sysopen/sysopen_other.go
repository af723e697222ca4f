//go:build (!unix && !windows) || android || ios

package sysopen

import "context"

// openFile has no system viewer to call on this platform.
func openFile(context.Context, string) error { return ErrUnsupported }
