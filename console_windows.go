//go:build windows

package main

import (
	"os"
	"syscall"
)

// attachConsole gives the command line somewhere to print when Casebook was
// packaged as a window program (fyne package builds the .exe for the
// Windows GUI subsystem, which starts without a console): it attaches to
// the console of the shell that started it, if any. A console build, or
// output already redirected to a file or pipe, is left alone.
func attachConsole() {
	if h, err := syscall.GetStdHandle(syscall.STD_OUTPUT_HANDLE); err == nil && h != 0 && h != syscall.InvalidHandle {
		return
	}
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return
	}
	if out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = out, out
	}
	if in, err := os.Open("CONIN$"); err == nil {
		os.Stdin = in
	}
}
