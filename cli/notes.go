package cli

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"casebook/model"
)

// notesFlags are the flags of casebook notes.
type notesFlags struct {
	contains string
	jsonFlags
}

func (o *notesFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("notes")
	fs.StringVar(&o.contains, "contains", "", "only notes containing this `text`")
	o.jsonFlags.define(fs)
	return fs
}

// cmdNotes lists notes, on one item or all, optionally those containing a word.
func cmdNotes(e *env, args []string) error {
	var o notesFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	var item model.ItemID
	if rest := afterDir(pos); len(rest) > 0 {
		if item, err = model.ParseItemID(rest[0]); err != nil {
			return usagef("%q is not an item id like seg-12", rest[0])
		}
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	notes, err := c.Notes(e.ctx, item, o.contains)
	if err != nil {
		return err
	}
	if o.json {
		type noteJSON struct {
			ID      int64  `json:"id"`
			Item    string `json:"item"`
			Text    string `json:"text"`
			By      string `json:"by"`
			At      string `json:"at"`
			Private bool   `json:"private"`
		}
		out := []noteJSON{}
		for _, n := range notes {
			out = append(out, noteJSON{n.ID, n.Item.String(), n.Text, n.By, n.At.Format(time.RFC3339), n.Private})
		}
		return writeJSON(e.stdout, out)
	}
	for _, n := range notes {
		private := ""
		if n.Private {
			private = " (private)"
		}
		fmt.Fprintf(e.stdout, "%s  %s  %s%s: %s\n", n.Item, n.At.Format("2006-01-02 15:04"), n.By, private, n.Text)
	}
	return nil
}

// cmdRelated lists the items a rule linked to an item (correlation).
func cmdRelated(e *env, args []string) error {
	var o jsonFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	rest := afterDir(pos)
	if len(rest) != 1 {
		return usagef("one item id is needed")
	}
	item, err := model.ParseItemID(rest[0])
	if err != nil {
		return usagef("%q is not an item id like evt-12", rest[0])
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	rel, err := c.Related(e.ctx, item)
	if err != nil {
		return err
	}
	if o.json {
		if rel == nil {
			rel = []string{}
		}
		return writeJSON(e.stdout, rel)
	}
	for _, r := range rel {
		fmt.Fprintln(e.stdout, r)
	}
	return nil
}

// ruleSetFlags are the flags of casebook rules set.
type ruleSetFlags struct{ cond, expl, enabled string }

func (o *ruleSetFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("rules set")
	fs.StringVar(&o.cond, "condition", "", "the new condition, in the rule language")
	fs.StringVar(&o.expl, "explanation", "", "the new explanation `template`, e.g. {actor} read {resource}")
	fs.StringVar(&o.enabled, "enabled", "", "whether the rule runs, `true|false`")
	return fs
}

// setRule changes one rule's condition, explanation or whether it runs.
func setRule(e *env, args []string) error {
	var o ruleSetFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	rest := afterDir(pos)
	if len(rest) != 1 {
		return usagef("one rule id is needed (see casebook rules list)")
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	rules, err := c.Rules(e.ctx)
	if err != nil {
		return err
	}
	for _, r := range rules {
		if r.ID != rest[0] {
			continue
		}
		if o.cond != "" {
			r.Condition = o.cond
		}
		if o.expl != "" {
			r.Explanation = o.expl
		}
		if o.enabled != "" {
			if r.Enabled, err = strconv.ParseBool(o.enabled); err != nil {
				return usagef("--enabled must be true or false")
			}
		}
		if err := c.SaveRule(e.ctx, r); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "rule %s saved\n", r.ID)
		return nil
	}
	return fmt.Errorf("no rule %q (see casebook rules list): %w", rest[0], model.ErrNotFound)
}
