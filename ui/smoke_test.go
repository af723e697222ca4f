package ui

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"casebook/casefile"
)

// TestTheRealBinaryOpensACaseUnderXvfbAndClosesCleanlyOnSIGTERM builds the
// casebook binary, starts it on a virtual X display with a case, waits for
// its window, captures the screen, then sends SIGTERM and expects exit 0,
// the case's lock released and the window's size remembered. It is skipped
// where Xvfb, xdotool or ImageMagick's import are missing.
func TestTheRealBinaryOpensACaseUnderXvfbAndClosesCleanlyOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	if runtime.GOOS != "linux" {
		t.Skip("Xvfb is an X11 server: the smoke test runs on Linux")
	}
	tools := map[string]string{}
	for _, tool := range []string{"go", "Xvfb", "xdotool", "import"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s is not installed (apt-get install xvfb xdotool imagemagick): %v", tool, err)
		}
		tools[tool] = p
	}
	work := t.TempDir()

	// The binary, as make build makes it.
	bin := filepath.Join(work, "casebook")
	build := exec.Command(tools["go"], "build", "-tags", "migrated_fynedo", "-o", bin, "casebook")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// A small case to open.
	c, dir := newTestCase(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	// The virtual display: Xvfb picks a free display number and writes it on fd 3.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	xvfb := exec.Command(tools["Xvfb"], "-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp")
	xvfb.ExtraFiles = []*os.File{w}
	var xlog bytes.Buffer
	xvfb.Stderr = &xlog
	if err := xvfb.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() {
		_ = xvfb.Process.Signal(syscall.SIGTERM)
		_ = xvfb.Wait()
	})
	num := make(chan string, 1)
	go func() {
		buf := make([]byte, 16)
		n, _ := r.Read(buf)
		num <- strings.TrimSpace(string(buf[:n]))
	}()
	var display string
	select {
	case d := <-num:
		display = ":" + d
	case <-time.After(20 * time.Second):
		t.Fatalf("Xvfb did not start: %s", xlog.String())
	}
	if display == ":" {
		t.Fatalf("Xvfb gave no display number: %s", xlog.String())
	}

	home := filepath.Join(work, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "DISPLAY="+display, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"LIBGL_ALWAYS_SOFTWARE=1")
	app := exec.Command(bin, "gui", dir)
	app.Env = env
	var alog bytes.Buffer
	app.Stdout, app.Stderr = &alog, &alog
	if err := app.Start(); err != nil {
		t.Fatalf("start casebook: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	t.Cleanup(func() {
		if app.ProcessState == nil {
			_ = app.Process.Kill()
			<-exited
		}
	})

	// Wait for the case's window ("Casebook — case").
	title := "Casebook — " + filepath.Base(dir)
	deadline := time.Now().Add(60 * time.Second)
	var win string
	for time.Now().Before(deadline) && win == "" {
		select {
		case err := <-exited:
			t.Fatalf("casebook exited before its window showed: %v\n%s", err, alog.String())
		case <-time.After(300 * time.Millisecond):
		}
		out, _ := cmdEnv(env, tools["xdotool"], "search", "--name", "^Casebook").Output()
		for _, id := range strings.Fields(string(out)) {
			name, _ := cmdEnv(env, tools["xdotool"], "getwindowname", id).Output()
			if strings.TrimSpace(string(name)) == title {
				win = id
			}
		}
	}
	if win == "" {
		t.Fatalf("no window named %q within a minute\n%s", title, alog.String())
	}
	time.Sleep(3 * time.Second) // let the case load and paint, and the window's size be kept

	shot := filepath.Join(work, "smoke.png")
	if out, err := cmdEnv(env, tools["import"], "-window", "root", shot).CombinedOutput(); err != nil {
		t.Fatalf("capture the screen: %v\n%s", err, out)
	}
	if colours := distinctColours(t, shot); colours < 16 {
		t.Errorf("the screenshot has %d colours: the window did not paint", colours)
	}
	if dst := os.Getenv("CASEBOOK_SMOKE_SHOT"); dst != "" {
		if b, err := os.ReadFile(shot); err == nil {
			_ = os.WriteFile(dst, b, 0o644)
		}
	}

	// SIGTERM closes the window as its close button does.
	if err := app.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("casebook ended with %v after SIGTERM, want exit 0\n%s", err, alog.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("casebook did not exit within 30 s of SIGTERM\n%s", alog.String())
	}
	c2, err := casefile.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatalf("the case cannot be opened after the window closed (lock not released?): %v", err)
	}
	_ = c2.Close()
	prefs, err := os.ReadFile(filepath.Join(home, ".config", "fyne", AppID, "preferences.json"))
	if err != nil || !bytes.Contains(prefs, []byte(prefWidth)) || !bytes.Contains(prefs, []byte(prefRecent)) {
		t.Errorf("the preferences do not remember the window size and the case: %s (%v)\n%s", prefs, err, alog.String())
	}
}

// cmdEnv is a command with the given environment.
func cmdEnv(env []string, name string, args ...string) *exec.Cmd {
	c := exec.Command(name, args...)
	c.Env = env
	return c
}

// distinctColours counts the colours of a PNG, up to 1,000.
func distinctColours(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(seen) < 1000; y += 3 {
		for x := b.Min.X; x < b.Max.X && len(seen) < 1000; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}
