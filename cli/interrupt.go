package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"casebook/casefile"
)

// exitInterrupted is the exit code of a second Ctrl+C (128 + SIGINT, as
// shells report a program killed by it).
const exitInterrupted = 130

// quitWithin is how soon after the first a second interrupt quits at once.
const quitWithin = 2 * time.Second

// NotifyInterrupts returns a context that the first Ctrl+C (SIGINT) or
// SIGTERM cancels: the command's job stops cleanly through it (an import
// rolls back the file in hand) and Run says in one line that it was
// cancelled. A second Ctrl+C within two seconds of the first exits at
// once, with code 130; a transaction not yet committed is then simply not
// in the case (SQLite rolls it back), and an original stored for it is
// swept when the case is next opened. stop releases the signals.
func NotifyInterrupts(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		var first time.Time
		for {
			select {
			case <-done:
				return
			case <-ch:
				now := time.Now()
				if !first.IsZero() && now.Sub(first) <= quitWithin {
					fmt.Fprintln(os.Stderr, "\ncasebook: quit at once (a second Ctrl+C); what was not committed is not in the case")
					os.Exit(exitInterrupted)
				}
				first = now
				cancel()
			}
		}
	}()
	var once bool
	return ctx, func() {
		if !once {
			once = true
			signal.Stop(ch)
			close(done)
			cancel()
		}
	}
}

// cancelled is the error of a command stopped by an interrupt: one line
// saying so, and what became of the work.
type cancelled struct{ msg string }

func (c cancelled) Error() string { return c.msg }

// cancelledError returns the error Run reports for a command whose context
// was cancelled: the command's own account when it gave one, else a
// general one.
func cancelledError(err error) error {
	var c cancelled
	if errors.As(err, &c) {
		return err
	}
	return cancelled{"cancelled (interrupted) before it finished"}
}

// importCancelled is the one line of an import stopped by an interrupt:
// the file in hand rolled back, the files after it not started, the files
// before it kept; or, when every file was stored, that indexing stopped.
func importCancelled(results []casefile.ImportResult, err error) error {
	var stopped []string
	kept := 0
	for _, r := range results {
		switch {
		case r.Err == nil:
			kept++
		case isCancel(r.Err):
			stopped = append(stopped, r.File)
		}
	}
	var msg string
	switch {
	case len(stopped) > 0:
		msg = fmt.Sprintf("cancelled: %s rolled back, nothing of it is in the case", stopped[0])
		if n := len(stopped) - 1; n > 0 {
			msg += fmt.Sprintf("; %s not started", plural(n, "more file"))
		}
	case err != nil:
		msg = "cancelled while indexing: the records are stored and the index catches up when the case is next opened"
	default:
		msg = "cancelled"
	}
	if kept > 0 {
		msg += fmt.Sprintf("; %s imported before it kept", plural(kept, "file"))
	}
	return cancelled{msg}
}

// isCancel reports whether err is a job's stop by its cancelled context
// (some layers pass on only its message).
func isCancel(err error) bool {
	return err != nil && (errors.Is(err, context.Canceled) || strings.Contains(err.Error(), context.Canceled.Error()))
}
