package cli_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestTheWholeFlowWorksWithNoNetworkAtAll runs the real binary inside an
// empty network namespace (no interface but a downed loopback): creating a
// case, importing, searching, running the rules, reporting, packing and
// verifying must all work, because Casebook never opens a connection.
func TestTheWholeFlowWorksWithNoNetworkAtAll(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("network namespaces are Linux's")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare(1) is not installed")
	}
	if os.Geteuid() != 0 {
		t.Skip("an empty network namespace (unshare -n) needs root")
	}
	// The namespace really is empty: only lo, with nothing sent or received.
	out, err := exec.Command(unshare, "-n", "cat", "/proc/net/dev").CombinedOutput()
	if err != nil {
		t.Skipf("running as root, but unshare -n is not allowed here: %v: %s", err, out)
	}
	var ifaces []string
	for _, l := range strings.Split(string(out), "\n")[2:] {
		if name, _, ok := strings.Cut(strings.TrimSpace(l), ":"); ok {
			ifaces = append(ifaces, name)
		}
	}
	if strings.Join(ifaces, ",") != "lo" {
		t.Fatalf("the namespace has interfaces %v, want only lo", ifaces)
	}

	offline := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(unshare, append([]string{"-n", bin}, args...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("offline casebook %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return stdout.String()
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "case")
	offline("new", dir, "--title", "Offline inquiry", "--investigator", "Tess Tester")
	offline("import", dir, fixture("2022-01-14_sync.txt"), fixture("access.csv"), fixture("2022-02-01_lumora_zh.vtt"),
		fixture("mozilla_vttjs_chinese.vtt"))
	if s := offline("search", dir, `"master admin"`); !strings.Contains(s, "seg-2") {
		t.Errorf("offline search found nothing:\n%s", s)
	}
	offline("rules", "run", dir)
	offline("tag", dir, "seg-2", "master-admin")
	report := filepath.Join(tmp, "report.pdf")
	offline("report", dir, "-o", report, "--date", "2022-06-01")
	if b, err := os.ReadFile(report); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Errorf("offline report: %v", err)
	}
	offline("export", dir, "--format", "ftm", "-o", filepath.Join(tmp, "case.ftm.json"))
	offline("pack", dir, "-o", filepath.Join(tmp, "case.zip"))
	offline("unpack", filepath.Join(tmp, "case.zip"), "-o", filepath.Join(tmp, "received"))
	if s := offline("verify", dir); !strings.HasPrefix(s, "ok:") {
		t.Errorf("offline verify: %s", s)
	}
}
