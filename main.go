// Command casebook is an offline workbench for leak investigations: it
// imports meeting transcripts and data-access logs into a case folder,
// indexes them, and lets an investigator search, tag and report on them.
//
// With no subcommand (or "gui") it opens the window; otherwise it runs the
// command line (see "casebook help").
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"

	"casebook/cli"
	_ "casebook/internal/posixlocale" // before Fyne reads the locale
	"casebook/ui"
)

func main() {
	args := os.Args[1:]
	if len(args) == 0 || args[0] == "gui" {
		dir := ""
		if len(args) > 1 {
			dir = args[1]
		}
		if !hasDisplay() {
			fmt.Fprintln(os.Stderr, "casebook: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); run \"casebook help\" for the command line")
			os.Exit(2)
		}
		os.Exit(ui.Run(dir))
	}
	attachConsole()
	ctx, stop := cli.NotifyInterrupts(context.Background())
	// Fyne's window driver locks the main goroutine to the main thread from
	// its init; the command line runs on a goroutine of its own so that every
	// SQLite call and goroutine hand-off does not pay for that lock (an
	// import ran 3× slower on the main goroutine).
	done := make(chan int)
	go func() { done <- cli.Run(ctx, args, os.Stdout, os.Stderr) }()
	code := <-done
	stop()
	os.Exit(code)
}

// hasDisplay reports whether a window can be opened: on X11 and Wayland
// systems that needs DISPLAY or WAYLAND_DISPLAY; Windows and macOS always
// have a desktop.
func hasDisplay() bool {
	switch runtime.GOOS {
	case "windows", "darwin", "android", "ios":
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}
