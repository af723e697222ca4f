package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"casebook/model"
)

// Version is the program's version, printed by "casebook version".
var Version = "0.1.0"

// env is what a command runs with.
type env struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
}

type command struct {
	name  string
	usage string
	run   func(e *env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"new", "new DIR [--title T] [--investigator NAME]", cmdNew},
		{"import", "import DIR FILE|FOLDER... [--kind transcript|accesslog] [--format F] [--tz ZONE] [--date YYYY-MM-DD] [--map ROLE=COLUMN,...] [--profile NAME] [--save-profile NAME] [--strict] [--year YYYY] [--defer-index] [--json]", cmdImport},
		{"rejects", "rejects DIR [src-N] [--json]", cmdRejects},
		{"places", "places DIR FILE.csv (name,country rows: the case's own office and city table)", cmdPlaces},
		{"ipranges", "ipranges DIR FILE.csv (first,last,country rows, e.g. a DB-IP or IP2Location lite file)", cmdIPRanges},
		{"sources", "sources DIR [--json]", cmdSources},
		{"search", "search DIR QUERY [--kind K] [--source src-N] [--speaker S] [--actor A] [--country CC] [--office O] [--tag T] [--category C] [--approval yes|no] [--from D] [--to D] [--sort score|time] [--limit N] [--offset N] [--facets] [--all] [--json] [--save NAME] | search DIR --batch terms.csv [--json]", cmdSearch},
		{"searches", "searches DIR [--delete NAME] [--json]", cmdSearches},
		{"policy", "policy DIR [--home CC,...] [--protected CATEGORY,...] [--approval-required=true|false] [--offshore PATTERN,...] [--offshore-from YYYY-MM-DD] [--bulk-threshold N] [--office NAME=ZONE[@HH:MM-HH:MM]] [--json]", cmdPolicy},
		{"tag", "tag DIR ITEM TAG [--note N] [--quote START:END] | tag DIR TAG --search QUERY [--note N] [--json]", cmdTag},
		{"untag", "untag DIR ITEM TAG", cmdUntag},
		{"speakers", "speakers DIR [--merge LABEL=PERSON] [--unmerge LABEL] [--set NAME --role R --office O] [--json]", cmdSpeakers},
		{"tags", "tags DIR [--create NAME [--color C] [--description D]] [--rename OLD=NEW] [--merge FROM=INTO] [--delete NAME] [--json]", cmdTags},
		{"note", "note DIR ITEM TEXT [--private] [--json]", cmdNote},
		{"notes", "notes DIR [ITEM] [--contains TEXT] [--json]", cmdNotes},
		{"related", "related DIR ITEM [--json]", cmdRelated},
		{"statement", "statement add DIR --who W --when YYYY-MM-DD --text T [--where P] | statement list DIR [--json]", cmdStatement},
		{"link", "link DIR STATEMENT ITEM --supports|--contradicts [--note N]", cmdLink},
		{"rules", "rules list|run DIR [RULE...] [--json] | rules set DIR RULE [--condition C] [--explanation T] [--enabled true|false]", cmdRules},
		{"suggestions", "suggestions DIR [--rule R] [--status suggested|confirmed|rejected] [--accept ID,...] [--reject ID,...] [--json]", cmdSuggestions},
		{"evidence", "evidence DIR [--json]", cmdEvidence},
		{"report", "report DIR -o FILE.pdf [--tags T,...] [--statements S,...] [--marking M] [--bates PREFIX] [--redact W,...] [--pseudonymise] [--paper A4|Letter] [--date YYYY-MM-DD]", cmdReport},
		{"export", "export DIR --format csv|jsonl|ftm [--what evidence|events|search --query Q] -o FILE", cmdExport},
		{"verify", "verify DIR [--json]", cmdVerify},
		{"reindex", "reindex DIR", cmdReindex},
		{"pack", "pack DIR -o FILE.zip [--passphrase] [--passphrase-file F] [--recipient age1…]... [--recipients-file F]... [--json] (passphrase from $CASEBOOK_PASSPHRASE, the file, or asked)", cmdPack},
		{"unpack", "unpack FILE.zip -o DIR [--identity FILE]... [--passphrase] [--passphrase-file F] [--json]", cmdUnpack},
		{"demo", "demo DIR", cmdDemo},
		{"formats", "formats [--json]", cmdFormats},
		{"version", "version", func(e *env, _ []string) error { fmt.Fprintln(e.stdout, "casebook", Version); return nil }},
	}
}

// IsCommand reports whether name is a subcommand of the command line (as
// opposed to "gui" or nothing, which start the window).
func IsCommand(name string) bool {
	if name == "help" || name == "-h" || name == "--help" {
		return true
	}
	for _, c := range commands {
		if c.name == name {
			return true
		}
	}
	return false
}

// Run runs one command line (without the program name) and returns the exit
// code: 0 on success, 1 when the command failed, 2 for a usage error.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		if err := c.run(e, args[1:]); err != nil {
			var ue usageError
			if errors.As(err, &ue) {
				fmt.Fprintf(stderr, "casebook %s: %v (usage: casebook %s)\n", c.name, ue.msg, c.usage)
				return 2
			}
			fmt.Fprintf(stderr, "casebook %s: %s\n", c.name, oneLine(err))
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "casebook: unknown command %q (try casebook help)\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Casebook — an offline workbench for leak investigations.")
	fmt.Fprintln(w, "\nUsage:\n  casebook                 open the window\n  casebook gui [DIR]       open the window on a case")
	for _, c := range commands {
		fmt.Fprintf(w, "  casebook %s\n", c.usage)
	}
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// oneLine renders an error as a single line for stderr.
func oneLine(err error) string {
	s := err.Error()
	if errors.Is(err, model.ErrLocked) {
		s = strings.TrimSuffix(s, ": "+model.ErrLocked.Error())
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// parse parses flags given anywhere among the arguments and returns the
// positional arguments in order.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			return nil, usagef("unknown flag %s", a)
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			continue
		}
		if i+1 >= len(args) {
			return nil, usagef("flag %s needs a value", a)
		}
		i++
		flags = append(flags, args[i])
	}
	if err := fs.Parse(flags); err != nil {
		return nil, usagef("%v", err)
	}
	return pos, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
