package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"filippo.io/age"
)

// casebookEnv runs the binary with extra environment variables.
func casebookEnv(t *testing.T, env []string, args ...string) run {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run casebook %v: %v", args, err)
	}
	return run{code, out.String(), errb.String()}
}

// fixtureCase makes a case with both fixtures through the binary.
func fixtureCase(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "case")
	mustRun(t, "new", dir, "--title", "Lumora inquiry", "--investigator", "Tess Tester")
	mustRun(t, "import", dir, fixture("2022-01-14_sync.txt"), fixture("access.csv"))
	return dir
}

type searchJSON struct {
	Total int `json:"total"`
	Hits  []struct {
		ID string `json:"id"`
	} `json:"hits"`
}

func searchIDs(t *testing.T, dir, q string, flags ...string) string {
	t.Helper()
	var res searchJSON
	if err := json.Unmarshal([]byte(mustRun(t, append([]string{"search", dir, q, "--json"}, flags...)...).stdout), &res); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return strings.Join(ids, ",")
}

// mode is p's permission bits. On Windows they mean nothing (Go reports 0666
// or 0444 from the read-only attribute), and a file takes the access list of
// its folder: the owner-only checks are Unix's.
func mode(t *testing.T, p string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestPackAndUnpackCarryACaseThatVerifiesAndSearches(t *testing.T) {
	dir := fixtureCase(t)
	want := searchIDs(t, dir, `"master admin"`)
	pack := filepath.Join(t.TempDir(), "case.zip")
	r := mustRun(t, "pack", dir, "-o", pack, "--json")
	var p struct {
		ManifestSHA256 string `json:"manifest_sha256"`
		Files          int    `json:"files"`
		Sources        int    `json:"sources"`
		Encrypted      bool   `json:"encrypted"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil || p.Files != 3 || p.Sources != 2 || p.Encrypted {
		t.Fatalf("pack --json: %s (%v)", r.stdout, err)
	}
	if m := mode(t, pack); m != 0o600 && runtime.GOOS != "windows" {
		t.Errorf("the pack is %04o, want 0600", m)
	}
	target := filepath.Join(t.TempDir(), "received")
	r = mustRun(t, "unpack", pack, "-o", target)
	if !strings.Contains(r.stdout, "verify ok") || !strings.Contains(r.stdout, p.ManifestSHA256) {
		t.Errorf("unpack output: %s", r.stdout)
	}
	if got := searchIDs(t, target, `"master admin"`); got != want || got == "" {
		t.Errorf("search the unpacked case: %q, want %q", got, want)
	}
	mustRun(t, "verify", target)
	// Not into a folder that holds something.
	r = casebook(t, "unpack", pack, "-o", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "a case already exists") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("unpack over a case: exit %d, %q", r.code, r.stderr)
	}
	// A tampered pack names the file.
	b, _ := os.ReadFile(pack)
	i := bytes.Index(b, []byte("originals/"))
	bad := filepath.Join(t.TempDir(), "bad.zip")
	b[i+200] ^= 0x01
	os.WriteFile(bad, b, 0o600)
	r = casebook(t, "unpack", bad, "-o", filepath.Join(t.TempDir(), "x"))
	if r.code != 1 || !strings.Contains(r.stderr, "originals/") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("unpack a tampered pack: exit %d, %q", r.code, r.stderr)
	}
	// An export is owner-only too.
	exp := filepath.Join(t.TempDir(), "events.csv")
	mustRun(t, "export", dir, "--format", "csv", "--what", "events", "-o", exp)
	if m := mode(t, exp); m != 0o600 && runtime.GOOS != "windows" {
		t.Errorf("the export is %04o, want 0600", m)
	}
}

func TestAPassphraseNeverComesFromTheCommandLine(t *testing.T) {
	dir := fixtureCase(t)
	pack := filepath.Join(t.TempDir(), "case.zip")
	for _, args := range [][]string{
		{"pack", dir, "-o", pack, "--passphrase=hunter2"},
		{"pack", dir, "-o", pack, "--passphrase", "hunter2"},
	} {
		r := casebook(t, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "passphrase") {
			t.Errorf("%v: exit %d, %q", args, r.code, r.stderr)
		}
	}
	// No terminal, no variable, no file: refused with what to do.
	r := casebookEnv(t, []string{"CASEBOOK_PASSPHRASE="}, "pack", dir, "-o", pack, "--passphrase")
	if r.code != 1 || !strings.Contains(r.stderr, "CASEBOOK_PASSPHRASE") {
		t.Errorf("no passphrase: exit %d, %q", r.code, r.stderr)
	}
	if _, err := os.Stat(pack); err == nil {
		t.Errorf("a pack was written without a passphrase")
	}
}

func TestPassphraseAndAgeKeyPacksRoundTripThroughTheBinary(t *testing.T) {
	dir := fixtureCase(t)
	want := searchIDs(t, dir, `"master admin"`)
	tmp := t.TempDir()

	// A passphrase from the environment to pack, from a file to unpack.
	pack := filepath.Join(tmp, "pass.zip")
	mustRunEnv(t, []string{"CASEBOOK_PASSPHRASE=correct horse battery staple"}, "pack", dir, "-o", pack, "--passphrase")
	if b, _ := os.ReadFile(pack); !bytes.HasPrefix(b, []byte("age-encryption.org/v1")) {
		t.Fatalf("the pack is not age-encrypted")
	}
	wrong := filepath.Join(tmp, "wrong.txt")
	os.WriteFile(wrong, []byte("incorrect horse\n"), 0o600)
	r := casebook(t, "unpack", pack, "-o", filepath.Join(tmp, "w"), "--passphrase-file", wrong)
	if r.code != 1 || !strings.Contains(r.stderr, "wrong passphrase") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("wrong passphrase: exit %d, %q", r.code, r.stderr)
	}
	right := filepath.Join(tmp, "right.txt")
	os.WriteFile(right, []byte("correct horse battery staple\n"), 0o600)
	target := filepath.Join(tmp, "from-passphrase")
	mustRun(t, "unpack", pack, "-o", target, "--passphrase-file", right)
	if got := searchIDs(t, target, `"master admin"`); got != want {
		t.Errorf("passphrase round trip: %q, want %q", got, want)
	}

	// An age X25519 key: the recipient in a file, the identity in another.
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := age.GenerateX25519Identity()
	recips := filepath.Join(tmp, "recipients.txt")
	os.WriteFile(recips, []byte("# the receiving desk\n"+id.Recipient().String()+"\n"), 0o600)
	idFile, otherFile := filepath.Join(tmp, "key.txt"), filepath.Join(tmp, "other.txt")
	os.WriteFile(idFile, []byte(id.String()+"\n"), 0o600)
	os.WriteFile(otherFile, []byte(other.String()+"\n"), 0o600)
	keyPack := filepath.Join(tmp, "key.zip")
	mustRun(t, "pack", dir, "-o", keyPack, "--recipients-file", recips, "--recipient", other.Recipient().String())
	target = filepath.Join(tmp, "from-key")
	mustRun(t, "unpack", keyPack, "-o", target, "--identity", idFile)
	if got := searchIDs(t, target, `"master admin"`); got != want {
		t.Errorf("identity round trip: %q, want %q", got, want)
	}
	// Either recipient opens it; a stranger's key does not.
	mustRun(t, "unpack", keyPack, "-o", filepath.Join(tmp, "from-other"), "--identity", otherFile)
	stranger, _ := age.GenerateX25519Identity()
	strangerFile := filepath.Join(tmp, "stranger.txt")
	os.WriteFile(strangerFile, []byte(stranger.String()+"\n"), 0o600)
	r = casebook(t, "unpack", keyPack, "-o", filepath.Join(tmp, "s"), "--identity", strangerFile)
	if r.code != 1 || !strings.Contains(r.stderr, "none of the identities") {
		t.Errorf("a stranger's key: exit %d, %q", r.code, r.stderr)
	}
}

func mustRunEnv(t *testing.T, env []string, args ...string) run {
	t.Helper()
	r := casebookEnv(t, env, args...)
	if r.code != 0 {
		t.Fatalf("casebook %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}
