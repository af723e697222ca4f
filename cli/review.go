package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"casebook/casefile"
	"casebook/model"
)

// listFlag collects a flag given several times or with commas.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func cmdStatement(e *env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		return usagef("want statement add|list DIR")
	}
	fs := flag.NewFlagSet("statement", flag.ContinueOnError)
	who := fs.String("who", "", "who made the claim")
	when := fs.String("when", "", "YYYY-MM-DD")
	text := fs.String("text", "", "the words")
	where := fs.String("where", "", "the setting")
	jsonOut := fs.Bool("json", false, "print JSON")
	c, err := openCaseOnly(e, fs, args[1:])
	if err != nil {
		return err
	}
	defer c.Close()
	if args[0] == "add" {
		st, err := c.AddStatement(e.ctx, *who, *when, *text, *where)
		if err != nil {
			return err
		}
		if *jsonOut {
			return writeJSON(e.stdout, map[string]any{"id": st.ID, "who": st.Who, "when": st.When, "text": st.Words})
		}
		fmt.Fprintf(e.stdout, "statement %d recorded\n", st.ID)
		return nil
	}
	sts, err := c.Statements(e.ctx)
	if err != nil {
		return err
	}
	if *jsonOut {
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

func cmdLink(e *env, args []string) error {
	fs := flag.NewFlagSet("link", flag.ContinueOnError)
	sup := fs.Bool("supports", false, "the item supports the statement")
	con := fs.Bool("contradicts", false, "the item contradicts the statement")
	note := fs.String("note", "", "why")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 3 || *sup == *con {
		return usagef("want DIR STATEMENT ITEM and one of --supports or --contradicts")
	}
	ids, err := parseIDs(pos[1:2])
	if err != nil {
		return err
	}
	item, err := model.ParseItemID(pos[2])
	if err != nil {
		return err
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	rel := "supports"
	if *con {
		rel = "contradicts"
	}
	if _, err := c.LinkStatement(e.ctx, ids[0], item, rel, *note); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s %s statement %d\n", item, rel, ids[0])
	return nil
}

func cmdRules(e *env, args []string) error {
	if len(args) > 0 && args[0] == "set" {
		return setRule(e, args[1:])
	}
	if len(args) == 0 || (args[0] != "list" && args[0] != "run") {
		return usagef("want rules list|run|set DIR")
	}
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args[1:])
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
		if *jsonOut {
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
	res, err := c.RunRules(e.ctx, rest...)
	if err != nil {
		return err
	}
	if *jsonOut {
		type resJSON struct {
			Rule    string  `json:"rule"`
			Matched int     `json:"matched"`
			Added   int     `json:"added"`
			Seconds float64 `json:"seconds"`
		}
		out := []resJSON{}
		for _, r := range res {
			out = append(out, resJSON{r.Rule, r.Matched, r.Added, r.Seconds})
		}
		return writeJSON(e.stdout, out)
	}
	total := 0
	for _, r := range res {
		fmt.Fprintf(e.stdout, "%-22s %6d found, %6d new (%.2fs)\n", r.Rule, r.Matched, r.Added, r.Seconds)
		total += r.Added
	}
	fmt.Fprintf(e.stdout, "%s added; review them with casebook suggestions\n", plural(total, "suggestion"))
	return nil
}

func cmdSuggestions(e *env, args []string) error {
	fs := flag.NewFlagSet("suggestions", flag.ContinueOnError)
	rule := fs.String("rule", "", "only this rule's suggestions")
	status := fs.String("status", "", "suggested, confirmed or rejected (default: all)")
	var accept, reject listFlag
	fs.Var(&accept, "accept", "suggestion ids to accept")
	fs.Var(&reject, "reject", "suggestion ids to reject")
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
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
		case len(accept) > 0 && len(reject) == 0:
			accept = append(accept, rest...)
		case len(reject) > 0 && len(accept) == 0:
			reject = append(reject, rest...)
		default:
			return usagef("unexpected %q", rest[0])
		}
	}
	acc, err := parseIDs(accept)
	if err != nil {
		return err
	}
	rej, err := parseIDs(reject)
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
		if list, err = c.Suggestions(e.ctx, *rule, *status); err != nil {
			return err
		}
	}
	if *jsonOut {
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
	fs := flag.NewFlagSet("evidence", flag.ContinueOnError)
	jsonOut := fs.Bool("json", false, "print JSON")
	c, err := openCaseOnly(e, fs, args)
	if err != nil {
		return err
	}
	defer c.Close()
	ev, err := c.Evidence(e.ctx)
	if err != nil {
		return err
	}
	if *jsonOut {
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
