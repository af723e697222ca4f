package cli_test

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"casebook/cli"
)

// TestEveryCommandsHelpListsEachOfItsFlags reads the flag sets the commands
// parse with, so a flag added without help, or a command without a
// paragraph and an example, fails here.
func TestEveryCommandsHelpListsEachOfItsFlags(t *testing.T) {
	top := mustRun(t, "help")
	if again := mustRun(t, "--help"); again.stdout != top.stdout {
		t.Errorf("casebook --help differs from casebook help")
	}
	flags := 0
	for _, c := range cli.HelpCommands() {
		if c.Hidden {
			if strings.Contains(top.stdout, c.Name) {
				t.Errorf("casebook help lists the hidden %s", c.Name)
			}
			continue
		}
		if !strings.Contains(top.stdout, "  "+c.Name+" ") || !strings.Contains(top.stdout, c.Summary) || c.Summary == "" {
			t.Errorf("casebook help does not list %s with its summary %q", c.Name, c.Summary)
		}
		if c.Doc == "" || len(c.Examples) == 0 {
			t.Errorf("%s has no paragraph or no example", c.Name)
		}
		help := mustRun(t, "help", c.Name).stdout
		for _, h := range []string{"-h", "--help"} {
			if r := mustRun(t, c.Name, h); r.stdout != help {
				t.Errorf("casebook %s %s differs from casebook help %s:\n%s", c.Name, h, c.Name, r.stdout)
			}
		}
		if !strings.HasPrefix(help, "usage: casebook "+c.Name) {
			t.Errorf("casebook help %s does not start with its usage:\n%s", c.Name, help)
		}
		if !strings.Contains(oneSpaced(help), oneSpaced(c.Doc)) {
			t.Errorf("casebook help %s lacks its paragraph", c.Name)
		}
		for _, ex := range c.Examples {
			if !strings.Contains(help, "\n  "+ex+"\n") {
				t.Errorf("casebook help %s lacks the example %q", c.Name, ex)
			}
		}
		for form, fs := range c.Flags {
			fs.VisitAll(func(f *flag.Flag) {
				flags++
				spelling := "--" + f.Name
				if len(f.Name) == 1 {
					spelling = "-" + f.Name
				}
				_, meaning := flag.UnquoteUsage(f)
				if strings.TrimSpace(meaning) == "" {
					t.Errorf("%s %s: %s has no meaning", c.Name, form, spelling)
				}
				if !strings.Contains(help, "\n  "+spelling+"\n") && !strings.Contains(help, "\n  "+spelling+" ") {
					t.Errorf("casebook help %s does not list %s (%s)", c.Name, spelling, form)
				}
				if !strings.Contains(oneSpaced(help), oneSpaced(meaning)) {
					t.Errorf("casebook help %s does not explain %s: %q", c.Name, spelling, meaning)
				}
				if d := f.DefValue; d != "" && d != "0" && d != "false" && !strings.Contains(oneSpaced(help), "(default "+d+")") {
					t.Errorf("casebook help %s does not give the default of %s (%s)", c.Name, spelling, d)
				}
			})
		}
	}
	if flags < 80 {
		t.Errorf("only %d flags enumerated across the commands; the flag sets are not all reachable", flags)
	}
	// A -h among other arguments, after the subcommand, asks for help too.
	if r := mustRun(t, "rules", "set", "somecase", "-h"); !strings.Contains(r.stdout, "--condition") {
		t.Errorf("rules set -h:\n%s", r.stdout)
	}
	if r := casebook(t, "help", "no-such-thing"); r.code != 2 || !strings.Contains(r.stderr, "no-such-thing") {
		t.Errorf("help on an unknown name: exit %d, %q", r.code, r.stderr)
	}
}

// oneSpaced collapses runs of white space, so that wrapped help text can be
// compared with the one-line strings it was made from.
func oneSpaced(s string) string { return strings.Join(strings.Fields(s), " ") }

// helpFixtures are the files the examples name, fictional throughout.
var helpFixtures = map[string]string{
	"standup.txt": "Ines Moreau: Morning. The export job for the harbour customers ran again last night.\n" +
		"Tomas Berg: I pulled the US user tables through the master admin role, nobody approved it.\n" +
		"Speaker 2: Then we log a ticket today and ask for the approval afterwards.\n",
	"logins.csv": "when,user,country,table,ticket\n" +
		"2022-03-01T08:10:00Z,Tomas Berg,SE,us_users.phone,\n" +
		"2022-03-01T09:45:00Z,Ines Moreau,FR,eu_users.profile,TCK-17\n",
	"offices.csv": "name,country\nHarbour Office,NO\nRiverside,GB\n",
	"ranges.csv":  "first,last,country\n198.51.100.0,198.51.100.255,US\n203.0.113.0,203.0.113.255,CN\n",
	"terms.csv":   "term,label\napproval,approvals\n\"master admin\",admin role\n",
	"staff.csv":   "name,email,office,country\nTomas Berg,tomas.berg@harbour.example,Harbour Office,NO\n",
	"datamap.csv": "field,pattern,category,region\nresource,us_users.*,phone,US\n",
	// A transcript of standup.wav (package media's synthesised speech, copied in by the test).
	"standup.vtt": "WEBVTT\n\n00:00:00.000 --> 00:00:01.900\n<v Chair>Northwind Lumen weekly sync.\n\n" +
		"00:00:02.100 --> 00:00:04.500\n<v Dana Ferro>Oslo still has standing access.\n",
}

// TestEveryHelpExampleRuns runs each example of each command's help, in
// the order help lists them, as a shell would (bash, with the binary on
// PATH), in a folder holding a small case "mycase" and the files the
// examples name.
func TestEveryHelpExampleRuns(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash to run the examples with")
	}
	work := t.TempDir()
	for name, body := range helpFixtures {
		if err := os.WriteFile(filepath.Join(work, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wav, err := os.ReadFile(filepath.Join("..", "media", "testdata", "speech.wav"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "standup.wav"), wav, 0o644); err != nil {
		t.Fatal(err)
	}
	mycase := filepath.Join(work, "mycase")
	mustRun(t, "new", mycase, "--title", "Help examples (fictional)")
	mustRun(t, "import", mycase, fixture("2022-01-14_sync.txt"), fixture("access.csv"))
	path := filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH")
	ran := 0
	for _, c := range cli.HelpCommands() {
		for _, ex := range c.Examples {
			if !strings.Contains(ex, "casebook ") {
				t.Errorf("%s: the example %q does not run casebook", c.Name, ex)
			}
			cmd := exec.Command("bash", "-c", "set -o pipefail; "+ex)
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "PATH="+path, "CASEBOOK_PASSPHRASE=")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("%s example %q: %v\n%s", c.Name, ex, err, out)
				continue
			}
			ran++
		}
	}
	if ran < 40 {
		t.Errorf("only %d examples ran", ran)
	}
	// What the examples did is in the case: they ran, not just exited 0.
	r := mustRun(t, "verify", mycase)
	if !strings.HasPrefix(r.stdout, "ok:") {
		t.Errorf("verify after the examples: %s", r.stdout)
	}
	for _, f := range []string{"report.pdf", "evidence.csv", "mycase.zip", "sealed.zip", "restored/case.db", "othercase", "lumora-demo", "_casebook"} {
		if _, err := os.Stat(filepath.Join(work, f)); err != nil {
			t.Errorf("the examples did not leave %s: %v", f, err)
		}
	}
	if r := mustRun(t, "tags", mycase); !strings.Contains(r.stdout, "to-check") || !strings.Contains(r.stdout, "foreign-access/CN") {
		t.Errorf("the tags examples left:\n%s", r.stdout)
	}
}

// TestExitCodesAreTheOnesHelpLists checks each code of the table against a
// command that should end with it.
func TestExitCodesAreTheOnesHelpLists(t *testing.T) {
	table := cli.ExitCodes()
	text := mustRun(t, "help", "exit-codes").stdout
	for code, meaning := range table {
		if !strings.Contains(oneSpaced(text), oneSpaced(meaning)) {
			t.Errorf("help exit-codes lacks code %d: %q", code, meaning)
		}
	}
	missing := filepath.Join(t.TempDir(), "no-case-here")
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"help"}, 0, ""},
		{[]string{"version"}, 0, ""},
		{[]string{"import", "-h"}, 0, ""},
		{[]string{"sources", missing}, 1, ""},
		{[]string{"no-such-command"}, 2, ""},
		{[]string{"sources", missing, "--no-such-flag"}, 2, ""},
		{[]string{"import", missing, "x.csv", "--date", "2022-13-45"}, 2, ""},
		{[]string{"completion", "tcsh"}, 2, ""},
		{[]string{"untag", missing, "seg-x", "key-quote"}, 2, ""},
		{[]string{"note", missing, "12", "a note"}, 2, ""},
		{[]string{"version", "extra"}, 2, ""},
		{[]string{"pack", missing, "-o", missing + ".zip", "--recipients-file", missing + ".txt"}, 1, "--recipients-file " + missing + ".txt: "},
		{[]string{"pack", missing, "-o", missing + ".zip", "--recipient", "age1x", "--passphrase"}, 2, "recipients, not both"},
	} {
		r := casebook(t, tc.args...)
		if r.code != tc.code {
			t.Errorf("casebook %s: exit %d, want %d (%s)", strings.Join(tc.args, " "), r.code, tc.code, r.stderr)
		}
		if !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("casebook %s: stderr %q lacks %q", strings.Join(tc.args, " "), r.stderr, tc.stderr)
		}
		if _, ok := table[r.code]; !ok {
			t.Errorf("casebook %s: exit %d is not in the table", strings.Join(tc.args, " "), r.code)
		}
		if r.code != 0 && strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("casebook %s: stderr is not one line: %q", strings.Join(tc.args, " "), r.stderr)
		}
	}
}

// TestFlagsAreDeclaredOnlyWhereHelpFindsThem reads the package's source:
// a flag defined anywhere but a flagSet or define method (say, inline in a
// command, as they used to be) would be parsed but never shown by help or
// offered by completion.
func TestFlagsAreDeclaredOnlyWhereHelpFindsThem(t *testing.T) {
	defining := map[string]bool{"Bool": true, "BoolVar": true, "String": true, "StringVar": true, "Int": true,
		"IntVar": true, "Int64": true, "Int64Var": true, "Uint": true, "UintVar": true, "Float64": true,
		"Float64Var": true, "Duration": true, "DurationVar": true, "Var": true, "Func": true, "BoolFunc": true, "TextVar": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	methods := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			allowed := fn.Recv != nil && (fn.Name.Name == "flagSet" || fn.Name.Name == "define")
			if allowed {
				methods++
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				recv, ok := sel.X.(*ast.Ident)
				if ok && (recv.Name == "fs" || recv.Name == "flag") && defining[sel.Sel.Name] && !allowed {
					t.Errorf("%s: %s defines a flag with %s.%s outside a flagSet method, where help cannot list it",
						fset.Position(call.Pos()), fn.Name.Name, recv.Name, sel.Sel.Name)
				}
				return true
			})
		}
	}
	if methods < 15 {
		t.Errorf("only %d flagSet/define methods found", methods)
	}
}
