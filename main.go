// Command casebook is an offline workbench for leak investigations: it
// imports meeting transcripts and data-access logs into a case folder,
// indexes them, and lets an investigator search, tag and report on them.
//
// With no subcommand (or "gui") it opens the window; otherwise it runs the
// command line (see "casebook help").
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

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
		os.Exit(ui.Run(dir))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
