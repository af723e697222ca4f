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

// markerEnv, when set, makes the test binary a stand-in viewer: it writes the
// path it was started from to the file the variable names and exits.
const markerEnv = "CASEBOOK_SYSOPEN_MARKER"

func TestMain(m *testing.M) {
	if marker := os.Getenv(markerEnv); marker != "" {
		exe, err := os.Executable()
		if err == nil {
			err = os.WriteFile(marker, []byte(exe), 0o600)
		}
		if err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// A path with spaces, "&", "%" and non-ASCII letters reaches the program
// ShellExecuteW starts intact: no command interpreter splits or expands it.
// The "file" opened is a copy of this test binary, which, started by the shell
// with markerEnv set, writes its own path to the marker.
func TestOpenHandsShellExecuteAPathUnquoted(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "Öffnen & prüfen 100% 报告")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	viewer := filepath.Join(dir, "Bericht & Anhang %PATH% ü.exe")
	if err := os.WriteFile(viewer, data, 0o700); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(t.TempDir(), "marker")
	t.Setenv(markerEnv, marker)
	if err := Open(context.Background(), viewer); err != nil {
		t.Fatalf("Open(%s): %v", viewer, err)
	}
	var got []byte
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if got, err = os.ReadFile(marker); err == nil && len(got) > 0 {
			break
		}
	}
	if !strings.EqualFold(string(got), viewer) {
		t.Fatalf("the program ShellExecuteW started says it is %q, want %q", got, viewer)
	}
}

// A file no application is associated with fails with the shell's reason in
// words, not a bare code.
func TestOpenSaysWhenNoApplicationIsAssociated(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Beweis & Notiz ü.casebook-no-such-type")
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Open(context.Background(), p)
	if err == nil || !strings.Contains(err.Error(), "no application is associated with this file type") {
		t.Fatalf("Open(%s) = %v, want the shell's no-association refusal", p, err)
	}
	if !strings.Contains(err.Error(), p) {
		t.Errorf("the error does not name the file: %v", err)
	}
}

// A context that has ended stops Open before it asks the shell.
func TestOpenHonoursAnEndedContext(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(p, []byte("%PDF-1.4"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Open(ctx, p); !errors.Is(err, context.Canceled) {
		t.Fatalf("Open with a cancelled context = %v, want context.Canceled", err)
	}
}
