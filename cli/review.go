package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"casebook/casefile"
)

// listFlag collects a flag given several times or with commas.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// statementFlags are the flags of casebook statement add and list (the
// claim's flags are for add).
type statementFlags struct {
	who, when, text, where string
	jsonFlags
}

func (o *statementFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("statement")
	fs.StringVar(&o.who, "who", "", "who made the claim (add)")
	fs.StringVar(&o.when, "when", "", "the day it was made, `YYYY-MM-DD` (add)")
	fs.StringVar(&o.text, "text", "", "the words (add)")
	fs.StringVar(&o.where, "where", "", "the setting, e.g. a hearing (add)")
	o.jsonFlags.define(fs)
	return fs
}

func cmdStatement(e *env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		return usagef("want statement add|list DIR")
	}
	var o statementFlags
	c, err := openCaseOnly(e, o.flagSet(), args[1:])
	if err != nil {
		return err
	}
	defer c.Close()
	if args[0] == "add" {
		st, err := c.AddStatement(e.ctx, o.who, o.when, o.text, o.where)
		if err != nil {
			return err
		}
		if o.json {
			return writeJSON(e.stdout, map[string]any{"id": st.ID, "who": st.Who, "when": st.When, "text": st.Words})
		}
		fmt.Fprintf(e.stdout, "statement %d recorded\n", st.ID)
		return nil
	}
	sts, err := c.Statements(e.ctx)
	if err != nil {
		return err
	}
	if o.json {
		type linkJSON struct {
			Item     string `json:"item"`
			Relation string `json:"relation"`
			Note     string `json:"note,omitempty"`
		}
		type stJSON struct {
			ID    int64      `json:"id"`
			Who   string     `json:"who"`
			When  string     `json:"when"`
			Where string     `json:"where,omitempty"`
			Text  string     `json:"text"`
			Links []linkJSON `json:"links"`
		}
		out := []stJSON{}
		for _, s := range sts {
			j := stJSON{ID: s.ID, Who: s.Who, When: s.When, Where: s.Where, Text: s.Words, Links: []linkJSON{}}
			for _, l := range s.Links {
				j.Links = append(j.Links, linkJSON{l.Item, l.Relation, l.Note})
			}
			out = append(out, j)
		}
		return writeJSON(e.stdout, out)
	}
	for _, s := range sts {
		fmt.Fprintf(e.stdout, "%d. %s, %s: “%s”\n", s.ID, s.Who, s.When, s.Words)
		for _, l := range s.Links {
			fmt.Fprintf(e.stdout, "     %s %s\n", l.Relation, l.Item)
		}
	}
	return nil
}

// linkFlags are the flags of casebook link.
type linkFlags struct {
	sup, con bool
	note     string
}

func (o *linkFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("link")
	fs.BoolVar(&o.sup, "supports", false, "the item supports the statement")
	fs.BoolVar(&o.con, "contradicts", false, "the item contradicts the statement")
	fs.StringVar(&o.note, "note", "", "why, in a few words")
	return fs
}

func cmdLink(e *env, args []string) error {
	var o linkFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if len(pos) != 3 || o.sup == o.con {
		return usagef("want DIR STATEMENT ITEM and one of --supports or --contradicts")
	}
	ids, err := parseIDs(pos[1:2])
	if err != nil {
		return err
	}
	item, err := parseItem(pos[2])
	if err != nil {
		return err
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	rel := "supports"
	if o.con {
		rel = "contradicts"
	}
	if _, err := c.LinkStatement(e.ctx, ids[0], item, rel, o.note); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s %s statement %d\n", item, rel, ids[0])
	return nil
}

// rulesFlagSet is the flag set of casebook rules sub: --json for list and
// run, the rule's parts for set.
func rulesFlagSet(sub string) *flag.FlagSet {
	if sub == "set" {
		return (&ruleSetFlags{}).flagSet()
	}
	return (&jsonFlags{}).flagSet()
}

func cmdRules(e *env, args []string) error {
	if len(args) > 0 && args[0] == "set" {
		return setRule(e, args[1:])
	}
	if len(args) == 0 || (args[0] != "list" && args[0] != "run") {
		return usagef("want rules list|run|set DIR")
	}
	var o jsonFlags
	pos, err := parse(o.flagSet(), args[1:])
	if err != nil {
		return err
	}
	c, rest, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	if args[0] == "list" {
		rules, err := c.Rules(e.ctx)
		if err != nil {
			return err
		}
		if o.json {
			type ruleJSON struct {
				ID          string `json:"id"`
				Name        string `json:"name"`
				Kind        string `json:"kind"`
				Condition   string `json:"condition"`
				Params      string `json:"params"`
				Enabled     bool   `json:"enabled"`
				Tag         string `json:"tag"`
				Explanation string `json:"explanation"`
			}
			out := []ruleJSON{}
			for _, r := range rules {
				out = append(out, ruleJSON{r.ID, r.Name, r.Kind, r.Condition, r.Params, r.Enabled, r.Tag, r.Explanation})
			}
			return writeJSON(e.stdout, out)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tKIND\tON\tCONDITION / PARAMETERS")
		for _, r := range rules {
			fmt.Fprintf(tw, "%s\t%s\t%v\t%s\n", r.ID, r.Kind, r.Enabled, strings.TrimSpace(r.Condition+" "+r.Params))
		}
		return tw.Flush()
	}
	res, err := c.RunRulesProgress(e.ctx, e.progress(), rest...)
	if err != nil {
		return err
	}
	if o.json {
		type coverageJSON struct {
			Items     int64  `json:"items"`
			Unit      string `json:"unit"`
			Evaluable int64  `json:"evaluable"`
			Reason    string `json:"reason,omitempty"`
		}
		type resJSON struct {
			Rule     string       `json:"rule"`
			Matched  int          `json:"matched"`
			Added    int          `json:"added"`
			Seconds  float64      `json:"seconds"`
			Coverage coverageJSON `json:"coverage"`
		}
		out := []resJSON{}
		for _, r := range res {
			v := r.Coverage
			out = append(out, resJSON{r.Rule, r.Matched, r.Added, r.Seconds, coverageJSON{v.Items, v.Unit, v.Evaluable, v.Reason}})
		}
		return writeJSON(e.stdout, out)
	}
	total := 0
	for _, r := range res {
		// What the rule could judge beside what it found: "0 found" on
		// events the rule cannot judge is not "nothing happened".
		fmt.Fprintf(e.stdout, "%-22s %6d found, %6d new (%.2fs)  %s\n", r.Rule, r.Matched, r.Added, r.Seconds, r.Coverage)
		total += r.Added
	}
	fmt.Fprintf(e.stdout, "%s added; review them with casebook suggestions\n", plural(total, "suggestion"))
	return nil
}

// suggestionsFlags are the flags of casebook suggestions.
type suggestionsFlags struct {
	rule, status   string
	accept, reject listFlag
	jsonFlags
}

func (o *suggestionsFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("suggestions")
	fs.StringVar(&o.rule, "rule", "", "only this rule's suggestions")
	fs.StringVar(&o.status, "status", "", "only suggested, confirmed or rejected ones (default: all)")
	fs.Var(&o.accept, "accept", "accept these suggestion `ids` (comma-separated, repeatable)")
	fs.Var(&o.reject, "reject", "reject these suggestion `ids` (comma-separated, repeatable)")
	o.jsonFlags.define(fs)
	return fs
}

func cmdSuggestions(e *env, args []string) error {
	var o suggestionsFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	dir, rest, err := needDir(pos)
	if err != nil {
		return err
	}
	// Bare ids after the folder belong to the one of --accept/--reject given.
	if len(rest) > 0 {
		switch {
		case len(o.accept) > 0 && len(o.reject) == 0:
			o.accept = append(o.accept, rest...)
		case len(o.reject) > 0 && len(o.accept) == 0:
			o.reject = append(o.reject, rest...)
		default:
			return usagef("unexpected %q", rest[0])
		}
	}
	acc, err := parseIDs(o.accept)
	if err != nil {
		return err
	}
	rej, err := parseIDs(o.reject)
	if err != nil {
		return err
	}
	c, _, err := openCase(e, []string{dir})
	if err != nil {
		return err
	}
	defer c.Close()
	var changed []casefile.Tagging
	for _, step := range []struct {
		ids    []int64
		accept bool
	}{{acc, true}, {rej, false}} {
		if len(step.ids) == 0 {
			continue
		}
		ts, err := c.Review(e.ctx, step.ids, step.accept)
		if err != nil {
			return err
		}
		changed = append(changed, ts...)
	}
	list := changed
	if len(acc)+len(rej) == 0 {
		if list, err = c.Suggestions(e.ctx, o.rule, o.status); err != nil {
			return err
		}
	}
	if o.json {
		out := make([]taggingJSON, 0, len(list))
		for _, t := range list {
			out = append(out, toTaggingJSON(t))
		}
		return writeJSON(e.stdout, out)
	}
	for _, t := range list {
		j := toTaggingJSON(t)
		mark := t.Status
		if j.Exhibit != "" {
			mark += " " + j.Exhibit
		}
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Origin, t.Item, mark, t.Explanation)
	}
	if len(acc)+len(rej) > 0 {
		fmt.Fprintf(e.stdout, "%d accepted, %d rejected\n", len(acc), len(rej))
	}
	return nil
}

func cmdEvidence(e *env, args []string) error {
	var o jsonFlags
	c, err := openCaseOnly(e, o.flagSet(), args)
	if err != nil {
		return err
	}
	defer c.Close()
	ev, err := c.Evidence(e.ctx)
	if err != nil {
		return err
	}
	if o.json {
		type exJSON struct {
			Exhibit     string `json:"exhibit"`
			Item        string `json:"item"`
			Tag         string `json:"tag"`
			Quote       string `json:"quote"`
			Note        string `json:"note"`
			Citation    string `json:"citation"`
			Explanation string `json:"explanation,omitempty"`
		}
		out := []exJSON{}
		for _, x := range ev {
			out = append(out, exJSON{x.Exhibit, x.Item, x.Tag, x.Quote, x.Note, x.Citation, x.Explanation})
		}
		return writeJSON(e.stdout, out)
	}
	for _, x := range ev {
		fmt.Fprintf(e.stdout, "%s  %s  [%s]  %s\n", x.Exhibit, x.Item, x.Tag, x.Citation)
		if x.Quote != "" {
			fmt.Fprintf(e.stdout, "         “%s”\n", x.Quote)
		}
		if x.Note != "" {
			fmt.Fprintf(e.stdout, "         note: %s\n", x.Note)
		}
		if x.Explanation != "" {
			fmt.Fprintf(e.stdout, "         %s\n", x.Explanation)
		}
	}
	if len(ev) == 0 {
		fmt.Fprintln(e.stdout, "no confirmed evidence yet")
	}
	return nil
}
