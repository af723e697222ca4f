package cli_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestVersionNamesTheGoVersionAndTheRevision checks casebook version and
// --version on the shared test binary (built as go build does by default
// here, perhaps without version control information), then on a binary
// built with -buildvcs=true, whose revision must be a commit of this tree.
func TestVersionNamesTheGoVersionAndTheRevision(t *testing.T) {
	r := mustRun(t, "version")
	if again := mustRun(t, "--version"); again.stdout != r.stdout {
		t.Errorf("--version differs from version:\n%s\n%s", again.stdout, r.stdout)
	}
	if !strings.HasPrefix(r.stdout, "casebook ") || !strings.Contains(r.stdout, runtime.Version()) {
		t.Errorf("version lacks the version or %s:\n%s", runtime.Version(), r.stdout)
	}
	if !regexp.MustCompile(`(?m)^revision: +(unknown|[0-9a-f]{40})`).MatchString(r.stdout) {
		t.Errorf("version has no revision line:\n%s", r.stdout)
	}

	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git to stamp a revision with")
	}
	stamped := filepath.Join(t.TempDir(), "casebook")
	build := exec.Command("go", "build", "-buildvcs=true", "-tags", "migrated_fynedo", "-o", stamped, "casebook")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -buildvcs=true: %v\n%s", err, out)
	}
	out, err := exec.Command(stamped, "version", "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Version, Go, Platform, Revision string
		Modified                        bool
		CommitTime                      string `json:"commit_time"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("version --json: %v\n%s", err, out)
	}
	if v.Go != runtime.Version() || v.Platform != runtime.GOOS+"/"+runtime.GOARCH || v.Version == "" || v.CommitTime == "" {
		t.Errorf("version --json: %+v", v)
	}
	// Others may commit meanwhile: the revision need only be a commit here.
	if err := exec.Command("git", "cat-file", "-e", v.Revision+"^{commit}").Run(); err != nil {
		t.Errorf("revision %q is not a commit of this tree: %v", v.Revision, err)
	}
	text, err := exec.Command(stamped, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "revision:    " + v.Revision
	if v.Modified {
		want += "+dirty"
	}
	if !strings.Contains(string(text), want+"\n") && !strings.Contains(string(text), want+" ") {
		t.Errorf("version does not say %q:\n%s", want, text)
	}
}
