// Package wine lets the Windows test binaries run under Wine, where make
// test-windows runs them: Detected reports whether the process runs under
// Wine, and, built with the wine build tag for Windows, the package switches
// Go's file deletion to the call Wine implements when it finds Wine.
//
// Go 1.26's os.RemoveAll on Windows deletes each entry with
// FileDispositionInformationEx (POSIX semantics), which Wine 8 does not
// implement (STATUS_NOT_IMPLEMENTED, "Invalid function"); Go falls back to
// the older FileDispositionInformation only for the refusals Windows gives.
// Every t.TempDir cleanup therefore fails under Wine although the test's
// assertions passed. Go keeps a switch for that fallback, meant for its own
// tests (internal/syscall/windows.TestDeleteatFallback); this package sets it
// under Wine only, so a test file that imports it for side effects makes the
// cleanup work there and changes nothing on Windows itself. Linking it needs
// -ldflags=-checklinkname=0, which make test-windows passes with -tags wine.
//
// Only test files import this package, and only in builds with the wine tag.
package wine
