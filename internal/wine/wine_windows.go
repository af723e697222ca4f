//go:build windows

package wine

import "syscall"

// Detected reports whether the process runs under Wine: Wine's ntdll exports
// wine_get_version, which Windows' ntdll does not.
func Detected() bool {
	return syscall.NewLazyDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}
