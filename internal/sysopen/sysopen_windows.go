//go:build windows

package sysopen

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"unsafe"
)

// shell32.dll and ole32.dll are KnownDLLs: Windows loads them from System32
// whatever the search path, so these lazy loads cannot be hijacked.
var (
	procShellExecuteW  = syscall.NewLazyDLL("shell32.dll").NewProc("ShellExecuteW")
	procCoInitializeEx = syscall.NewLazyDLL("ole32.dll").NewProc("CoInitializeEx")
	procCoUninitialize = syscall.NewLazyDLL("ole32.dll").NewProc("CoUninitialize")
)

const (
	coinitApartmentThreaded = 0x2
	coinitDisableOLE1DDE    = 0x4
	swShowNormal            = 1
)

// openFile asks the shell to open path with its default application
// (ShellExecuteW with the "open" verb): no command interpreter, so spaces,
// "&", "%" and non-ASCII letters in the path need no quoting. The shell may
// call COM extensions, so the call runs on its own OS thread with COM
// initialised, as the ShellExecute documentation asks.
func openFile(ctx context.Context, path string) error {
	verb, err := syscall.UTF16PtrFromString("open")
	if err != nil {
		return err
	}
	file, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return fmt.Errorf("path: %w", err)
	}
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if hr, _, _ := procCoInitializeEx.Call(0, coinitApartmentThreaded|coinitDisableOLE1DDE); int32(hr) >= 0 {
			defer procCoUninitialize.Call()
		}
		r, _, _ := procShellExecuteW.Call(0,
			uintptr(unsafe.Pointer(verb)), uintptr(unsafe.Pointer(file)), 0, 0, swShowNormal)
		if r > 32 {
			done <- nil
			return
		}
		done <- fmt.Errorf("ShellExecuteW: %s (code %d)", shellExecuteReason(r), r)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// shellExecuteReason says in words what ShellExecuteW's return value
// (32 or less: failure) means.
func shellExecuteReason(r uintptr) string {
	switch r {
	case 0, 8:
		return "out of memory or resources"
	case 2:
		return "file not found"
	case 3:
		return "path not found"
	case 5:
		return "access denied"
	case 11:
		return "bad executable format"
	case 26:
		return "sharing violation"
	case 27, 31:
		return "no application is associated with this file type"
	case 28, 29, 30:
		return "the application did not answer (DDE)"
	case 32:
		return "a DLL was not found"
	}
	return "failed"
}
