package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"casebook/cli"
)

// completionCase is a small case to complete tag, rule and source names
// from, with a tag of its own.
func completionCase(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "case one")
	mustRun(t, "new", dir)
	mustRun(t, "import", dir, fixture("2022-01-14_sync.txt"), fixture("access.csv"))
	mustRun(t, "tags", dir, "--create", "harbour-ledger")
	return dir
}

// candidates runs casebook __complete and returns its lines.
func candidates(t *testing.T, words ...string) []string {
	t.Helper()
	r := casebook(t, append([]string{"__complete"}, words...)...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("__complete %q: exit %d, %q", words, r.code, r.stderr)
	}
	var out []string
	for _, l := range strings.Split(r.stdout, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestCompleteOffersCommandsFlagsFormatsTagsAndRules(t *testing.T) {
	dir := completionCase(t)
	has := func(got []string, want ...string) bool {
		for _, w := range want {
			if !slices.Contains(got, w) {
				return false
			}
		}
		return true
	}
	for _, tc := range []struct {
		words []string
		want  []string
	}{
		{[]string{""}, []string{"import", "search", "completion", "--version"}},
		{[]string{"im"}, []string{"import"}},
		{[]string{"import", dir, "--"}, []string{"--format", "--kind", "--map", "--json", "--help"}},
		{[]string{"import", dir, "--format", ""}, []string{"vtt", "csv-accesslog", "syslog"}},
		{[]string{"import", dir, "--format=cs"}, []string{"--format=csv-accesslog"}},
		{[]string{"export", dir, "--format", ""}, []string{"csv", "jsonl", "ftm"}},
		{[]string{"export", dir, "--what", ""}, []string{"evidence", "events", "search", "all"}},
		{[]string{"rules", ""}, []string{"list", "run", "set"}},
		{[]string{"rules", "run", dir, ""}, []string{"foreign-access", "phrase-approval"}},
		{[]string{"rules", "set", dir, "--"}, []string{"--condition", "--enabled"}},
		{[]string{"tag", dir, "seg-1", ""}, []string{"harbour-ledger", "key-quote"}},
		{[]string{"tag", dir, "--search", "approval", "har"}, []string{"harbour-ledger"}},
		{[]string{"search", dir, "x", "--tag", ""}, []string{"harbour-ledger"}},
		{[]string{"suggestions", dir, "--rule", "no-"}, []string{"no-approval"}},
		{[]string{"rejects", dir, ""}, []string{"src-1", "src-2"}},
		{[]string{"completion", ""}, cli.CompletionShells},
		{[]string{"help", "exit"}, []string{"exit-codes"}},
	} {
		got := candidates(t, tc.words...)
		if !has(got, tc.want...) {
			t.Errorf("__complete %q: %q, want %q among them", tc.words, got, tc.want)
		}
		cur := tc.words[len(tc.words)-1]
		for _, g := range got {
			if !strings.HasPrefix(g, cur) {
				t.Errorf("__complete %q offers %q", tc.words, g)
			}
		}
	}
	// Where a file name goes, and where the case is not a case, nothing is
	// offered (the shell lists files) and nothing fails.
	for _, words := range [][]string{
		{"import", ""},
		{"import", dir, ""},
		{"tag", filepath.Join(t.TempDir(), "nowhere"), "seg-1", ""},
		{"no-such-command", ""},
	} {
		if got := candidates(t, words...); len(got) != 0 {
			t.Errorf("__complete %q: %q, want nothing", words, got)
		}
	}
	if got := candidates(t, ""); slices.Contains(got, "__complete") {
		t.Errorf("the hidden __complete is offered: %q", got)
	}
	// Completing read the case without changing it: no lock pid, nothing new.
	if r := mustRun(t, "verify", dir); !strings.HasPrefix(r.stdout, "ok:") {
		t.Errorf("verify after completion: %s", r.stdout)
	}
}

// TestCompletionScriptsLoadInTheirShells sources the bash script and asks
// bash what completes casebook, has zsh and fish parse theirs, and runs
// completions through bash and fish as a user's Tab would.
func TestCompletionScriptsLoadInTheirShells(t *testing.T) {
	path := filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH")
	shell := func(t *testing.T, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), "PATH="+path)
		cmd.Dir = t.TempDir()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %q: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	dir := completionCase(t)
	for _, sh := range cli.CompletionShells {
		t.Run(sh, func(t *testing.T) {
			script := mustRun(t, "completion", sh).stdout
			f := filepath.Join(t.TempDir(), "casebook."+sh)
			if err := os.WriteFile(f, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
			switch sh {
			case "bash":
				if _, err := exec.LookPath("bash"); err != nil {
					t.Skip("no bash")
				}
				out := shell(t, "bash", "-c", "source <(casebook completion bash); complete -p casebook")
				if !strings.Contains(out, "-F _casebook") {
					t.Errorf("complete -p casebook: %q", out)
				}
				out = shell(t, "bash", "-c", `source `+f+`
COMP_WORDS=(casebook tag "${1// /\\ }" seg-1 harb); COMP_CWORD=4; _casebook; printf '%s\n' "${COMPREPLY[@]}"
COMP_WORDS=(casebook import "$1" --format ""); COMP_CWORD=4; _casebook; printf '%s\n' "${COMPREPLY[@]}"
COMP_WORDS=(casebook search "$1" x --sort = ti); COMP_CWORD=6; _casebook; printf 'eq:%s\n' "${COMPREPLY[@]}"`, "bash", dir)
				// --sort=ti is three words to bash; the candidate replaces "ti" alone.
				if !strings.Contains(out, "harbour-ledger\n") || !strings.Contains(out, "whisper-json\n") || !strings.Contains(out, "eq:time\n") {
					t.Errorf("bash completion offered:\n%s", out)
				}
			case "zsh":
				if _, err := exec.LookPath("zsh"); err != nil {
					t.Skip("no zsh")
				}
				shell(t, "zsh", "-n", f)
				// Loaded as compinit would autoload it, and called by hand.
				out := shell(t, "zsh", "-c", `autoload -Uz compinit && compinit -u -D; source `+f+`; whence -w _casebook`)
				if !strings.Contains(out, "_casebook: function") {
					t.Errorf("zsh: %q", out)
				}
			case "fish":
				if _, err := exec.LookPath("fish"); err != nil {
					t.Skip("no fish")
				}
				shell(t, "fish", "-n", f)
				out := shell(t, "fish", "-c", `source `+f+`; complete -C"casebook rules run '`+dir+`' phrase-a"; complete -C"casebook comp"`)
				if !strings.Contains(out, "phrase-approval") || !strings.Contains(out, "completion") {
					t.Errorf("fish completion offered:\n%s", out)
				}
			case "powershell":
				if _, err := exec.LookPath("pwsh"); err != nil {
					t.Skip("no pwsh")
				}
				shell(t, "pwsh", "-NoProfile", "-NonInteractive", "-Command",
					"$null = [System.Management.Automation.Language.Parser]::ParseFile('"+f+"', [ref]$null, [ref]$e); if ($e) { $e; exit 1 }; . '"+f+"'")
			}
		})
	}
}
