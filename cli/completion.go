package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"casebook/casefile"
	"casebook/model"
)

// completionInstall says how to install each shell's script.
const completionInstall = "Bash: add `source <(casebook completion bash)` to ~/.bashrc. " +
	"Zsh: write it to a file named _casebook in a folder on $fpath (compinit must be loaded). " +
	"Fish: casebook completion fish > ~/.config/fish/completions/casebook.fish. " +
	"PowerShell: add `casebook completion powershell | Out-String | Invoke-Expression` to $PROFILE. " +
	"The scripts ask the hidden command casebook __complete for candidates, so they follow the binary's own " +
	"commands and flags, and read tag, rule and source names from the case folder typed (opened read-only; " +
	"none while another Casebook has the case open). With " + completeDebugEnv + "=1 set, casebook __complete " +
	"says on standard error why a case gave no names."

// completionScripts are the scripts "casebook completion SHELL" prints.
// Each one passes the words typed after "casebook", the one being
// completed last, to "casebook __complete", offers what it prints (one
// candidate a line), and falls back to file names when it prints nothing.
var completionScripts = map[string]string{
	"bash": `# bash completion for casebook, printed by "casebook completion bash".
# Bash splits --flag=value at the "=": the words are joined again for
# casebook, and the candidates' "--flag=" cut off again for bash.
_casebook() {
    local -a words=()
    local i w cand cut=""
    for ((i = 1; i <= COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if ((${#words[@]})) && [[ ${words[-1]} == -* && ($w == "=" || ${words[-1]} == *=) ]]; then
            words[-1]+=$w
        else
            words+=("$w")
        fi
    done
    [[ ${words[-1]} == -*=* ]] && cut=${words[-1]%%=*}=
    COMPREPLY=()
    while IFS= read -r cand; do
        COMPREPLY+=("$(printf '%q' "${cand#"$cut"}")")
    done < <("${COMP_WORDS[0]}" __complete "${words[@]}" 2>/dev/null)
}
complete -o default -F _casebook casebook
`,
	"zsh": `#compdef casebook
# zsh completion for casebook, printed by "casebook completion zsh".
_casebook() {
    local -a cands
    cands=("${(@f)$(${words[1]} __complete "${(@Q)words[2,CURRENT]}" 2>/dev/null)}")
    cands=(${cands:#})
    if (( ${#cands} )); then
        compadd -- "${cands[@]}"
    else
        _files
    fi
}
if [[ "${funcstack[1]}" == "_casebook" ]]; then
    _casebook "$@"
else
    compdef _casebook casebook
fi
`,
	"fish": `# fish completion for casebook, printed by "casebook completion fish".
function __casebook_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l cands ($words[1] __complete $words[2..-1] "$cur" 2>/dev/null)
    if test (count $cands) -gt 0
        printf '%s\n' $cands
    else
        __fish_complete_path "$cur"
    end
end
complete -c casebook -f -a '(__casebook_complete)'
`,
	"powershell": `# PowerShell completion for casebook, printed by "casebook completion powershell".
Register-ArgumentCompleter -Native -CommandName 'casebook', 'casebook.exe' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $elements = @($commandAst.CommandElements | Where-Object { $_.Extent.StartOffset -lt $cursorPosition })
    $exe = $elements[0].Extent.Text
    $words = @($elements | Select-Object -Skip 1 | ForEach-Object {
        if ($_ -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $_.Value } else { $_.Extent.Text }
    })
    if ($wordToComplete -eq '') { $words += '""' }
    & $exe __complete @words 2>$null | ForEach-Object {
        $text = $_
        if ($text -match '\s') { $text = "'" + ($text -replace "'", "''") + "'" }
        [System.Management.Automation.CompletionResult]::new($text, $_, 'ParameterValue', $_)
    }
}
`,
}

// shells are the shells completion knows, in the order help lists them.
var shells = []string{"bash", "zsh", "fish", "powershell"}

// cmdCompletion is "casebook completion SHELL".
func cmdCompletion(e *env, args []string) error {
	pos, err := parse(newFlagSet("completion"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one shell: %s", strings.Join(shells, ", "))
	}
	script, ok := completionScripts[pos[0]]
	if !ok {
		return usagef("no completion for %q (shells: %s)", pos[0], strings.Join(shells, ", "))
	}
	_, err = fmt.Fprint(e.stdout, script)
	return err
}

// cmdComplete is the hidden "casebook __complete WORD...": it prints the
// candidates for the last word, one a line, given the words before it. It
// never fails loudly: whatever goes wrong, it prints fewer candidates.
func cmdComplete(e *env, args []string) error {
	for _, c := range complete(e.ctx, args) {
		fmt.Fprintln(e.stdout, c)
	}
	return nil
}

// valueCompleters give the candidates for a flag's value, by "command
// --flag" (or "command sub --flag"); dir is the case folder typed, if any.
// A flag with none gets file names from the shell.
var valueCompleters = map[string]func(ctx context.Context, dir string) []string{
	"import --format":            func(context.Context, string) []string { return formatNames() },
	"import --kind":              fixed("transcript", "accesslog", "recording"),
	"search --kind":              fixed("segment", "event", "transcript", "accesslog"),
	"search --sort":              fixed("score", "time"),
	"search --approval":          fixed("yes", "no"),
	"search --tag":               fromCase(caseTags),
	"search --source":            fromCase(caseSources),
	"search --speaker":           fromCase(caseSpeakers),
	"searches --delete":          fromCase(caseSearches),
	"policy --approval-required": fixed("true", "false"),
	"rules set --enabled":        fixed("true", "false"),
	"suggestions --rule":         fromCase(caseRules),
	"suggestions --status":       fixed("suggested", "confirmed", "rejected"),
	"tags --delete":              fromCase(caseTags),
	"tags --rename":              fromCase(caseTags),
	"tags --merge":               fromCase(caseTags),
	"speakers --unmerge":         fromCase(caseSpeakers),
	"speakers --set":             fromCase(caseSpeakers),
	"speakers --merge":           fromCase(caseSpeakers),
	"report --tags":              fromCase(caseTags),
	"report --paper":             fixed("A4", "Letter"),
	"export --format":            fixed(exportFormats...),
	"export --what":              fixed("evidence", "events", "search", "all"),
}

// positionalCompleters give the candidates for the n-th argument after
// the case folder (n counts from 1), by command (or "command sub"); flags
// are the flags given so far.
var positionalCompleters = map[string]func(n int, flags map[string]bool) func(context.Context, string) []string{
	"rejects": func(n int, _ map[string]bool) func(context.Context, string) []string {
		return onlyAt(n, 1, fromCase(caseSources))
	},
	"tag": func(n int, flags map[string]bool) func(context.Context, string) []string {
		if flags["search"] {
			return onlyAt(n, 1, fromCase(caseTags)) // tag DIR TAG --search QUERY
		}
		return onlyAt(n, 2, fromCase(caseTags)) // tag DIR ITEM TAG
	},
	"untag": func(n int, _ map[string]bool) func(context.Context, string) []string {
		return onlyAt(n, 2, fromCase(caseTags))
	},
	"rules run": func(int, map[string]bool) func(context.Context, string) []string { return fromCase(caseRules) },
	"pair": func(n int, _ map[string]bool) func(context.Context, string) []string {
		switch n {
		case 1:
			return fromCase(caseSourcesOf(model.KindTranscript))
		case 2:
			return fromCase(caseSourcesOf(model.KindRecording))
		}
		return nil
	},
	"unpair": func(n int, _ map[string]bool) func(context.Context, string) []string {
		return onlyAt(n, 1, fromCase(casePairedTranscripts))
	},
	"transcribe": func(n int, _ map[string]bool) func(context.Context, string) []string {
		return onlyAt(n, 1, fromCase(caseSourcesOf(model.KindRecording)))
	},
	"rules set": func(n int, _ map[string]bool) func(context.Context, string) []string {
		return onlyAt(n, 1, fromCase(caseRules))
	},
}

func fixed(vals ...string) func(context.Context, string) []string {
	return func(context.Context, string) []string { return vals }
}

func onlyAt(n, want int, f func(context.Context, string) []string) func(context.Context, string) []string {
	if n != want {
		return nil
	}
	return f
}

func formatNames() []string {
	var names []string
	for _, f := range casefile.Formats() {
		names = append(names, f.Name)
	}
	return names
}

// complete returns the candidates for the last of words, the words typed
// after "casebook".
func complete(ctx context.Context, words []string) []string {
	if len(words) == 0 {
		words = []string{""}
	}
	cur := words[len(words)-1]
	if cur == `""` || cur == "''" { // an empty word, as PowerShell passes it
		cur = ""
	}
	before := words[:len(words)-1]
	if len(before) == 0 {
		names := []string{"gui", "--help", "--version"}
		for _, c := range commands {
			if !c.hidden {
				names = append(names, c.name)
			}
		}
		return withPrefix(names, cur)
	}
	c := lookup(before[0])
	if c == nil || c.hidden {
		return nil
	}
	rest := before[1:]
	switch c.name {
	case "help":
		if len(rest) > 0 {
			return nil
		}
		names := topicNames()
		for _, c := range commands {
			if !c.hidden {
				names = append(names, c.name)
			}
		}
		return withPrefix(names, cur)
	case "completion":
		if len(rest) > 0 {
			return nil
		}
		return withPrefix(shells, cur)
	}
	key, sub := c.name, ""
	if len(c.subs) > 0 {
		if len(rest) == 0 {
			return withPrefix(c.subs, cur)
		}
		sub, rest = rest[0], rest[1:]
		if !slices.Contains(c.subs, sub) {
			return nil
		}
		key += " " + sub
	}
	fs := newFlagSet(key)
	if c.flags != nil {
		fs = c.flags(sub)
	}
	// Walk the words typed: the positional arguments, the flags given, and
	// whether the last one is a flag still wanting its value.
	var pos []string
	given := map[string]bool{}
	var pending *flag.Flag
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if pending != nil {
			pending = nil
			continue
		}
		if a == "--" {
			pos = append(pos, rest[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		given[name] = true
		if f := fs.Lookup(name); f != nil && !hasValue && !isBoolFlag(f) {
			pending = f
		}
	}
	dir := ""
	if len(pos) > 0 && c.name != "unpack" {
		dir = shellPath(pos[0])
	}
	if pending != nil {
		return withPrefix(run(ctx, valueCompleters[key+" --"+pending.Name], dir), cur)
	}
	if strings.HasPrefix(cur, "-") {
		if name, _, ok := strings.Cut(strings.TrimLeft(cur, "-"), "="); ok {
			prefix := cur[:strings.Index(cur, "=")+1]
			var out []string
			for _, v := range run(ctx, valueCompleters[key+" --"+name], dir) {
				out = append(out, prefix+v)
			}
			return withPrefix(out, cur)
		}
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, flagSpelling(f.Name)) })
		new(progressFlags).flagSet().VisitAll(func(f *flag.Flag) { names = append(names, flagSpelling(f.Name)) })
		return withPrefix(append(names, "--help"), cur)
	}
	if len(pos) == 0 {
		return nil // the case folder (or pack file): the shell's file names
	}
	if pc := positionalCompleters[key]; pc != nil {
		return withPrefix(run(ctx, pc(len(pos), given), dir), cur)
	}
	return nil
}

func run(ctx context.Context, f func(context.Context, string) []string, dir string) []string {
	if f == nil {
		return nil
	}
	return f(ctx, dir)
}

func withPrefix(cands []string, prefix string) []string {
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// shellPath undoes what a shell leaves in a word it has not expanded yet:
// quotes, backslash escapes and a leading ~/. On Windows a backslash
// separates folders (PowerShell escapes with a backtick), so it is kept:
// C:\cases\one must not become C:casesone.
func shellPath(w string) string {
	var b strings.Builder
	var quote rune
	esc := false
	backslashEscapes := filepath.Separator != '\\'
	for _, r := range w {
		switch {
		case esc:
			b.WriteRune(r)
			esc = false
		case r == '\\' && quote != '\'' && backslashEscapes:
			esc = true
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '\'' || r == '"'):
			quote = r
		default:
			b.WriteRune(r)
		}
	}
	p := b.String()
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, p[2:])
		}
	}
	return p
}

// completeDebugEnv names the environment variable that makes __complete
// say on standard error why a case gave no names (the scripts discard it).
const completeDebugEnv = "CASEBOOK_COMPLETE_DEBUG"

// completionTimeout bounds how long a completion may spend in a case: a
// shell waits for it at every Tab.
const completionTimeout = 2 * time.Second

// fromCase returns a completer that opens the case in dir read-only (it
// writes nothing, not even the lock's pid) and lists names from it, or
// nothing when dir is not a case, is locked by a running Casebook, or takes
// too long.
func fromCase(list func(ctx context.Context, c *casefile.Case) []string) func(context.Context, string) []string {
	return func(ctx context.Context, dir string) []string {
		if dir == "" || !casefile.IsCase(dir) {
			return nil
		}
		ctx, cancel := context.WithTimeout(ctx, completionTimeout)
		defer cancel()
		c, err := casefile.OpenReadOnly(ctx, dir, nil)
		if err != nil {
			if os.Getenv(completeDebugEnv) != "" {
				fmt.Fprintf(os.Stderr, "casebook __complete: %s\n", oneLine(err))
			}
			return nil
		}
		defer c.Close()
		return list(ctx, c)
	}
}

func caseTags(ctx context.Context, c *casefile.Case) []string {
	tags, _ := c.Tags(ctx)
	var out []string
	for _, t := range tags {
		if !t.Deleted {
			out = append(out, t.Name)
		}
	}
	return out
}

func caseRules(ctx context.Context, c *casefile.Case) []string {
	rules, _ := c.Rules(ctx)
	var out []string
	for _, r := range rules {
		out = append(out, r.ID)
	}
	return out
}

func caseSources(ctx context.Context, c *casefile.Case) []string {
	srcs, _ := c.Sources(ctx)
	var out []string
	for _, s := range srcs {
		out = append(out, fmt.Sprintf("src-%d", s.ID))
	}
	return out
}

// caseSourcesOf gives the ids of the case's sources of one kind.
func caseSourcesOf(kind model.SourceKind) func(ctx context.Context, c *casefile.Case) []string {
	return func(ctx context.Context, c *casefile.Case) []string {
		srcs, _ := c.Sources(ctx)
		var out []string
		for _, s := range srcs {
			if s.Kind == kind {
				out = append(out, fmt.Sprintf("src-%d", s.ID))
			}
		}
		return out
	}
}

// casePairedTranscripts gives the ids of the transcripts paired with a recording.
func casePairedTranscripts(ctx context.Context, c *casefile.Case) []string {
	ps, _ := c.Pairings(ctx)
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("src-%d", p.TranscriptID))
	}
	return out
}

func caseSpeakers(ctx context.Context, c *casefile.Case) []string {
	sps, _ := c.Speakers(ctx)
	var out []string
	for _, s := range sps {
		out = append(out, s.Name)
	}
	return out
}

func caseSearches(ctx context.Context, c *casefile.Case) []string {
	list, _ := c.SavedSearches(ctx)
	var out []string
	for _, s := range list {
		out = append(out, s.Name)
	}
	return out
}
