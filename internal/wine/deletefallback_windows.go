//go:build windows && wine

package wine

import (
	_ "unsafe" // for go:linkname
)

// deleteatFallback is Go's own switch that makes internal/syscall/windows.Deleteat
// (under os.Remove of an entry in os.RemoveAll) delete with
// FileDispositionInformation, which Wine implements, instead of
// FileDispositionInformationEx, which Wine 8 does not.
//
//go:linkname deleteatFallback internal/syscall/windows.TestDeleteatFallback
var deleteatFallback bool

func init() {
	if Detected() {
		deleteatFallback = true
	}
}
