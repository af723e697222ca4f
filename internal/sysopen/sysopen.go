// Package sysopen opens a file with the application the operating system
// associates with it: a report's PDF in the investigator's PDF viewer. It uses
// what each platform provides — xdg-open on Linux and the BSDs, open on macOS,
// ShellExecuteW on Windows — with the standard library only. It never touches
// the network itself; what the viewer does is the viewer's business.
package sysopen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ErrUnsupported is wrapped by Open's error on a platform that has no way to
// open a file with its default application.
var ErrUnsupported = errors.New("opening files with the system viewer is not supported on this platform")

// settle is how long Open waits for an opener command to fail before taking
// its silence as success. Some openers (xdg-open without a desktop
// environment, for example) run the viewer in the foreground and only return
// when it closes; Open must not wait for that.
var settle = 3 * time.Second

// Open opens the file at path with the system's default application for it
// and returns once the viewer has been asked to open it. path may be relative;
// it must name an existing regular file. When ctx ends before the opener has
// answered, Open returns ctx's error without stopping the viewer.
func Open(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("open %s with the system viewer: %w", path, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return fmt.Errorf("open %s with the system viewer: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("open %s with the system viewer: not a regular file", path)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("open %s with the system viewer: %w", path, err)
	}
	if err := openFile(ctx, abs); err != nil {
		return fmt.Errorf("open %s with the system viewer: %w", path, err)
	}
	return nil
}

// run starts name with args, the absolute file path last, and waits until it
// exits or settle passes. A non-zero exit within that time is an error
// carrying what the opener wrote to stderr; still running after it is success
// (the opener is then reaped in the background).
func run(ctx context.Context, name string, args ...string) error {
	prog, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("find %s: %w", name, err)
	}
	cmd := exec.Command(prog, args...) // not CommandContext: ending ctx must not kill the viewer
	var stderr limitedBuffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(settle)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			if msg := strings.TrimSpace(stderr.String()); msg != "" {
				return fmt.Errorf("%s: %w: %s", name, err, msg)
			}
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// limitedBuffer keeps the first 4 KiB written to it: enough of an opener's
// complaint for an error message. It is safe for the one writer exec gives it
// and a reader after Wait.
type limitedBuffer struct{ b bytes.Buffer }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 4096 - l.b.Len(); room > 0 {
		if len(p) < room {
			room = len(p)
		}
		l.b.Write(p[:room])
	}
	return len(p), nil
}

func (l *limitedBuffer) String() string { return l.b.String() }
