//go:build unix && !darwin && !android

package sysopen

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeOpener puts an xdg-open shell script running body first on PATH and
// returns the file it may write to ($REC in body).
func fakeOpener(t *testing.T, body string) (record string) {
	t.Helper()
	bin := t.TempDir()
	record = filepath.Join(t.TempDir(), "args")
	script := "#!/bin/sh\nREC='" + record + "'\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return record
}

func pdf(t *testing.T, dir, name string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("%PDF-1.4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOpenHandsTheOpenerOneAbsolutePathWithSpacesAndNonASCIIIntact(t *testing.T) {
	record := fakeOpener(t, `printf '%s\n' "$#" "$1" > "$REC"`)
	dir := filepath.Join(t.TempDir(), "Fall Müller & Söhne", "案件 2022")
	p := pdf(t, dir, "report — final.pdf")
	t.Chdir(dir)
	if err := Open(t.Context(), "report — final.pdf"); err != nil {
		t.Fatalf("open: %v", err)
	}
	b, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("the opener did not run: %v", err)
	}
	if got, want := string(b), "1\n"+p+"\n"; got != want {
		t.Errorf("the opener got %q, want %q", got, want)
	}
}

func TestAFailingOpenerIsAnErrorCarryingWhatItSaid(t *testing.T) {
	fakeOpener(t, `echo "xdg-open: no method available for opening it" >&2; exit 3`)
	p := pdf(t, t.TempDir(), "r.pdf")
	err := Open(t.Context(), p)
	if err == nil {
		t.Fatal("open succeeded, want the opener's failure")
	}
	for _, want := range []string{p, "exit status 3", "no method available"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestAnOpenerStillRunningAfterAWhileCountsAsOpened(t *testing.T) {
	old := settle
	settle = 100 * time.Millisecond
	t.Cleanup(func() { settle = old })
	fakeOpener(t, `exec sleep 2`)
	began := time.Now()
	if err := Open(t.Context(), pdf(t, t.TempDir(), "r.pdf")); err != nil {
		t.Fatalf("open: %v", err)
	}
	if d := time.Since(began); d > time.Second {
		t.Errorf("Open waited %v for a viewer in the foreground", d)
	}
}

func TestNothingRunsForAMissingFileOrAFolder(t *testing.T) {
	record := fakeOpener(t, `echo ran > "$REC"`)
	dir := t.TempDir()
	for _, p := range []string{filepath.Join(dir, "missing.pdf"), dir} {
		if err := Open(t.Context(), p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("open %s: %v, want an error naming it", p, err)
		}
	}
	if _, err := os.Stat(record); err == nil {
		t.Error("the opener ran")
	}
}

func TestNoOpenerOnThePathIsAnErrorNamingIt(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := Open(t.Context(), pdf(t, t.TempDir(), "r.pdf"))
	if err == nil || !strings.Contains(err.Error(), "xdg-open") {
		t.Fatalf("open: %v, want an error naming xdg-open", err)
	}
}

func TestACancelledContextOpensNothing(t *testing.T) {
	record := fakeOpener(t, `echo ran > "$REC"`)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := Open(ctx, pdf(t, t.TempDir(), "r.pdf")); !errors.Is(err, context.Canceled) {
		t.Errorf("open: %v, want context.Canceled", err)
	}
	if _, err := os.Stat(record); err == nil {
		t.Error("the opener ran")
	}
}
