package cli

import "flag"

// HelpCommand is what the tests of package cli_test see of a command: its
// name, examples, and each form's flag set, enumerated from the same
// definitions the command parses with.
type HelpCommand struct {
	Name     string
	Hidden   bool
	Summary  string
	Doc      string
	Examples []string
	Flags    map[string]*flag.FlagSet // by form ("" or the subcommand); nil for none
}

// HelpCommands lists every command in the order casebook help gives them.
func HelpCommands() []HelpCommand {
	var out []HelpCommand
	for _, c := range commands {
		h := HelpCommand{Name: c.name, Hidden: c.hidden, Summary: c.summary, Doc: c.doc, Examples: c.examples,
			Flags: map[string]*flag.FlagSet{}}
		subs := c.subs
		if len(subs) == 0 {
			subs = []string{""}
		}
		for _, sub := range subs {
			if c.flags != nil {
				h.Flags[sub] = c.flags(sub)
			}
		}
		out = append(out, h)
	}
	return out
}

// ExitCodes is the table casebook help exit-codes prints.
func ExitCodes() map[int]string {
	m := map[int]string{}
	for _, x := range exitCodes {
		m[x.code] = x.meaning
	}
	return m
}

// CompletionShells are the shells casebook completion has a script for.
var CompletionShells = shells
