package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// The exit codes of the command line; exitCodes explains them.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// exitCodes is the one table of exit codes, printed by "casebook help
// exit-codes" (and kept in step with Run and main by help_test.go).
var exitCodes = []struct {
	code    int
	meaning string
}{
	{exitOK, "success: the command did what was asked (help and --version included)"},
	{exitFailed, "the command failed or a check found a problem: a case that is missing, locked by another " +
		"Casebook or read-only, a file not imported, verify finding an altered original or a broken audit chain, " +
		"a batch term that is not a valid query. The reason is one line on standard error."},
	{exitUsage, "usage: an unknown command or flag, a missing or unexpected argument, a flag value of the wrong " +
		"form (say --date 2022-13-45); also \"casebook gui\" where there is no display to open the window on"},
	{exitInterrupted, "quit at once by a second Ctrl+C within two seconds of the first (the first cancels the job " +
		"cleanly: an import rolls back the file in hand, one line says it was cancelled, and the exit code is 1); " +
		"what was not committed is not in the case"},
}

// topics are the help pages that are not commands: casebook help TOPIC.
var topics = []struct {
	name, summary string
	write         func(w io.Writer)
}{
	{"exit-codes", "what casebook's exit codes mean", writeExitCodes},
	{"progress", "progress of long jobs on standard error, --quiet, --progress, Ctrl+C", writeProgressHelp},
	{"gui", "opening the window", func(w io.Writer) {
		fmt.Fprintln(w, "usage: casebook [gui [DIR]]")
		fmt.Fprintln(w)
		wrap(w, "", "Casebook with no command, or with gui, opens the window, on the case in DIR if one is given. "+
			"On Linux and other X11 or Wayland systems that needs DISPLAY or WAYLAND_DISPLAY; without one it exits 2 "+
			"and points to the command line.")
	}},
}

func topicNames() []string {
	var names []string
	for _, t := range topics {
		names = append(names, t.name)
	}
	return names
}

func writeExitCodes(w io.Writer) {
	fmt.Fprintln(w, "Exit codes of casebook:")
	fmt.Fprintln(w)
	for _, x := range exitCodes {
		wrap(w, fmt.Sprintf("  %d  ", x.code), x.meaning)
	}
}

// usage prints "casebook help": what Casebook is and its commands, grouped.
func usage(w io.Writer) {
	wrap(w, "", "Casebook is an offline workbench for leak investigations: it imports meeting transcripts and "+
		"data-access logs into a case folder, indexes them, and lets an investigator search, tag and report on "+
		"them. It never opens a network connection.")
	fmt.Fprintln(w, "\nUsage:")
	fmt.Fprintln(w, "  casebook                     open the window")
	fmt.Fprintln(w, "  casebook gui [DIR]           open the window on a case")
	fmt.Fprintln(w, "  casebook COMMAND [ARGUMENTS] run a command; flags may come anywhere after it")
	fmt.Fprintln(w, "  casebook --version           print the version, Go version and commit")
	fmt.Fprintln(w, "Every command also takes --quiet and --progress=plain (see casebook help progress).")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, g := range groups {
		fmt.Fprintf(tw, "\n%s:\n", g)
		for _, c := range commands {
			if c.group == g && !c.hidden {
				fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
			}
		}
	}
	fmt.Fprintln(tw, "\nTopics:")
	for _, t := range topics {
		fmt.Fprintf(tw, "  %s\t%s\n", t.name, t.summary)
	}
	tw.Flush()
	fmt.Fprintln(w)
	wrap(w, "", `Run "casebook help COMMAND" or "casebook COMMAND --help" for what a command does, its flags and `+
		`examples, and "casebook help TOPIC" for a topic.`)
}

// commandHelp prints what c does, its flags with their defaults and its
// examples.
func commandHelp(w io.Writer, c *command) {
	for i, u := range c.usage {
		lead := "usage: "
		if i > 0 {
			lead = "       "
		}
		fmt.Fprintf(w, "%scasebook %s\n", lead, u)
	}
	if c.doc != "" {
		fmt.Fprintln(w)
		wrap(w, "", c.doc)
	}
	for _, fl := range flagSections(c) {
		if fl.fs == nil {
			continue
		}
		n := 0
		fl.fs.VisitAll(func(*flag.Flag) { n++ })
		if n == 0 {
			continue
		}
		fmt.Fprintln(w)
		if fl.title == "" {
			fmt.Fprintln(w, "Flags:")
		} else {
			fmt.Fprintf(w, "Flags of %s:\n", fl.title)
		}
		writeFlags(w, fl.fs)
	}
	if len(c.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, ex := range c.examples {
			fmt.Fprintf(w, "  %s\n", ex)
		}
	}
}

// flagSection is one flag set of a command and which of its forms take it
// ("" when the command has one form, or all its forms share the flags).
type flagSection struct {
	title string
	fs    *flag.FlagSet
}

// flagSections returns the flag sets of c: one, or one per group of
// subcommands that share their flags (rules list and run; rules set).
func flagSections(c *command) []flagSection {
	if c.flags == nil {
		return nil
	}
	if len(c.subs) == 0 {
		return []flagSection{{"", c.flags("")}}
	}
	var out []flagSection
	var keys []string
	for _, sub := range c.subs {
		fs := c.flags(sub)
		key := strings.Join(flagNames(fs), " ")
		if i := slices.Index(keys, key); i >= 0 {
			out[i].title += " and " + c.name + " " + sub
			continue
		}
		keys = append(keys, key)
		out = append(out, flagSection{c.name + " " + sub, fs})
	}
	if len(out) == 1 {
		out[0].title = ""
	}
	return out
}

func flagNames(fs *flag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return names
}

// flagSpelling is how a flag is written: -o for one letter, --name else.
func flagSpelling(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// isBoolFlag reports whether f takes no value.
func isBoolFlag(f *flag.Flag) bool {
	bf, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && bf.IsBoolFlag()
}

// writeFlags lists the flags of fs in the manner of Go's tools: the flag
// and its value's name on one line, its meaning and any default below.
func writeFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, meaning := flag.UnquoteUsage(f)
		head := "  " + flagSpelling(f.Name)
		switch name {
		case "":
		case "string", "value":
			head += " " + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		case "int":
			head += " N"
		default:
			head += " " + strings.ToUpper(name)
		}
		fmt.Fprintln(w, head)
		if d := f.DefValue; d != "" && d != "0" && d != "false" && d != "[]" {
			meaning += fmt.Sprintf(" (default %s)", d)
		}
		wrap(w, "        ", meaning)
	})
}

// wrap prints text after lead, wrapped at 80 columns, with continuation
// lines indented to the width of lead.
func wrap(w io.Writer, lead, text string) {
	const width = 80
	indent := strings.Repeat(" ", len([]rune(lead)))
	line := lead
	empty := true
	for _, word := range strings.Fields(text) {
		if !empty && len([]rune(line))+1+len([]rune(word)) > width {
			fmt.Fprintln(w, line)
			line, empty = indent, true
		}
		if empty {
			line += word
			empty = false
		} else {
			line += " " + word
		}
	}
	fmt.Fprintln(w, line)
}

// cmdHelp is "casebook help [COMMAND|TOPIC]".
func cmdHelp(e *env, args []string) error {
	switch len(args) {
	case 0:
		usage(e.stdout)
		return nil
	case 1:
	default:
		return usagef("help explains one command or topic at a time")
	}
	if c := lookup(args[0]); c != nil && !c.hidden {
		commandHelp(e.stdout, c)
		return nil
	}
	for _, t := range topics {
		if t.name == args[0] {
			t.write(e.stdout)
			return nil
		}
	}
	return usagef("no command or topic %q (casebook help lists them)", args[0])
}
