package cli

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"casebook/casefile"
	"casebook/model"
)

// openCase opens the case named first among pos and returns the rest.
func openCase(e *env, pos []string) (*casefile.Case, []string, error) {
	dir, rest, err := needDir(pos)
	if err != nil {
		return nil, nil, err
	}
	c, err := casefile.Open(e.ctx, dir, e.progress())
	if err != nil {
		return nil, nil, err
	}
	return c, rest, nil
}

// openCaseToRead opens the case like openCase, for a command that only
// reads it (search, export, report, sources, rejects). When another
// Casebook holds the case — an import running in another terminal, the
// window — the case is read beside it instead of refused: the database as
// its writer last committed it, the index as far as the writer has got,
// which a line on standard error states.
func openCaseToRead(e *env, pos []string) (*casefile.Case, []string, error) {
	dir, rest, err := needDir(pos)
	if err != nil {
		return nil, nil, err
	}
	c, err := casefile.Open(e.ctx, dir, e.progress())
	if errors.Is(err, model.ErrLocked) {
		c, err = casefile.OpenReadOnly(e.ctx, dir, e.progress())
		if err == nil && c.ReadingBeside() {
			msg := "the index holds every record"
			if n, berr := c.IndexBehind(e.ctx); berr == nil && n > 0 {
				msg = fmt.Sprintf("%d records or changes are not in the index yet, and searches do not see them", n)
			}
			_, why := c.ReadOnly()
			fmt.Fprintf(e.stderr, "casebook: %s is %s; reading it as it stands, read-only (%s)\n", dir, why, msg)
		}
	}
	if err != nil {
		return nil, nil, err
	}
	return c, rest, nil
}

// openCaseOnly parses a command's flags, opens the case named by the only
// argument left, and refuses any other argument.
func openCaseOnly(e *env, fs *flag.FlagSet, args []string) (*casefile.Case, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	c, rest, err := openCase(e, pos)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		c.Close()
		return nil, usagef("unexpected %q", rest[0])
	}
	return c, nil
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// policyFlags are the flags of casebook policy; each one given changes
// that part of the policy.
type policyFlags struct {
	home, protected, approval, offshore, offFrom, office, signin string
	bulk                                                         int64
	jsonFlags
}

func (o *policyFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("policy")
	fs.StringVar(&o.home, "home", "", "home jurisdictions, country `codes` such as US,CA")
	fs.StringVar(&o.protected, "protected", "", "protected data `categories`, comma-separated")
	fs.StringVar(&o.approval, "approval-required", "", "whether protected data needs an approval id, `true|false`")
	fs.StringVar(&o.offshore, "offshore", "", "resource `patterns` (SQL LIKE, comma-separated) of storage abroad")
	fs.StringVar(&o.offFrom, "offshore-from", "", "the day offshore storage began, `YYYY-MM-DD`")
	fs.Int64Var(&o.bulk, "bulk-threshold", 0, "records in one event above which it is bulk (0: leave as it is)")
	fs.StringVar(&o.office, "office", "", "an office's time zone and working hours, `NAME=ZONE[@HH:MM-HH:MM]`")
	fs.StringVar(&o.signin, "signin", "", "actions that are sign-ins or sessions: `patterns` (SQL LIKE, comma-separated) for the foreign-signin rule")
	o.jsonFlags.define(fs)
	return fs
}

func cmdPolicy(e *env, args []string) error {
	var o policyFlags
	fs := o.flagSet()
	c, err := openCaseOnly(e, fs, args)
	if err != nil {
		return err
	}
	defer c.Close()
	p, err := c.Policy(e.ctx)
	if err != nil {
		return err
	}
	changed := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "json" {
			changed = true
		}
	})
	if changed {
		if o.home != "" {
			p.Home = splitList(o.home)
		}
		if o.protected != "" {
			p.Protected = splitList(o.protected)
		}
		switch strings.ToLower(o.approval) {
		case "":
		case "true", "yes":
			p.ApprovalRequired = true
		case "false", "no":
			p.ApprovalRequired = false
		default:
			return usagef("--approval-required wants true or false, not %q", o.approval)
		}
		if o.offshore != "" {
			p.Offshore = splitList(o.offshore)
		}
		if o.offFrom != "" {
			p.OffshoreFrom = o.offFrom
		}
		if o.signin != "" {
			p.SignIn = splitList(o.signin)
		}
		if o.bulk > 0 {
			p.BulkThreshold = o.bulk
		}
		if o.office != "" {
			name, spec, ok := strings.Cut(o.office, "=")
			zone, hours, _ := strings.Cut(spec, "@")
			h := casefile.Hours{Zone: zone}
			if hours != "" {
				h.Start, h.End, _ = strings.Cut(hours, "-")
			}
			if !ok || name == "" {
				return usagef("--office wants NAME=ZONE[@HH:MM-HH:MM], not %q", o.office)
			}
			p.Offices[name] = h
		}
		if err := c.SetPolicy(e.ctx, p); err != nil {
			return err
		}
		if p, err = c.Policy(e.ctx); err != nil {
			return err
		}
	}
	if o.json {
		return writeJSON(e.stdout, p)
	}
	fmt.Fprintf(e.stdout, "home jurisdictions:  %s\n", strings.Join(p.Home, ", "))
	fmt.Fprintf(e.stdout, "protected data:      %s\n", strings.Join(p.Protected, ", "))
	fmt.Fprintf(e.stdout, "approval required:   %v\n", p.ApprovalRequired)
	fmt.Fprintf(e.stdout, "working hours:       %s–%s (office's own time zone)\n", p.DefaultHours.Start, p.DefaultHours.End)
	for name, h := range p.Offices {
		fmt.Fprintf(e.stdout, "  %s: %s %s–%s\n", name, h.Zone, h.Start, h.End)
	}
	fmt.Fprintf(e.stdout, "offshore storage:    %s (from %s)\n", strings.Join(p.Offshore, ", "), p.OffshoreFrom)
	fmt.Fprintf(e.stdout, "bulk threshold:      %d records; a day above %.0f× the actor's median\n", p.BulkThreshold, p.DailyFactor)
	fmt.Fprintf(e.stdout, "sign-in actions:     %s\n", strings.Join(p.SignIn, ", "))
	return nil
}

// taggingJSON is the stable JSON shape of a tagging or suggestion.
type taggingJSON struct {
	ID          int64   `json:"id"`
	Rule        string  `json:"rule"`
	Item        string  `json:"item"`
	Tag         string  `json:"tag"`
	Status      string  `json:"status"`
	Explanation string  `json:"explanation"`
	Confidence  float64 `json:"confidence"`
	Note        string  `json:"note,omitempty"`
	Quote       string  `json:"quote,omitempty"`
	Related     string  `json:"related,omitempty"`
	Exhibit     string  `json:"exhibit,omitempty"`
	By          string  `json:"by,omitempty"`
	At          string  `json:"at"`
}

func toTaggingJSON(t casefile.Tagging) taggingJSON {
	j := taggingJSON{ID: t.ID, Rule: t.Origin, Item: t.Item.String(), Tag: t.Tag, Status: t.Status,
		Explanation: t.Explanation, Confidence: t.Confidence, Note: t.Note, Related: t.Related, By: t.By,
		At: t.At.UTC().Format("2006-01-02T15:04:05Z")}
	if t.QuoteStart >= 0 {
		j.Quote = fmt.Sprintf("%d:%d", t.QuoteStart, t.QuoteEnd)
	}
	if t.Exhibit > 0 {
		j.Exhibit = fmt.Sprintf("EX-%04d", t.Exhibit)
	}
	return j
}

// tagFlags are the flags of casebook tag.
type tagFlags struct {
	note, quote, search string
	jsonFlags
}

func (o *tagFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("tag")
	fs.StringVar(&o.note, "note", "", "a note on the tagging")
	fs.StringVar(&o.quote, "quote", "", "the quoted character range inside a segment, `START:END`")
	fs.StringVar(&o.search, "search", "", "tag every hit of this `query` instead of one item")
	o.jsonFlags.define(fs)
	return fs
}

func cmdTag(e *env, args []string) error {
	var o tagFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	want := 2
	if o.search != "" {
		want = 1
	}
	if len(pos) != want+1 {
		return usagef("want DIR ITEM TAG (or DIR TAG --search QUERY)")
	}
	c, rest, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	opts := casefile.TagOptions{Note: o.note, Quote: o.quote}
	var ts []casefile.Tagging
	if o.search != "" {
		if ts, err = c.TagSearch(e.ctx, casefile.Query{Text: o.search}, rest[0], opts); err != nil {
			return err
		}
	} else {
		item, err := parseItem(rest[0])
		if err != nil {
			return err
		}
		t, err := c.Tag(e.ctx, item, rest[1], opts)
		if err != nil {
			return err
		}
		ts = append(ts, t)
	}
	if o.json {
		out := make([]taggingJSON, 0, len(ts))
		for _, t := range ts {
			out = append(out, toTaggingJSON(t))
		}
		return writeJSON(e.stdout, out)
	}
	for _, t := range ts {
		fmt.Fprintf(e.stdout, "tagged %s %s (exhibit %s)\n", t.Item, t.Tag, toTaggingJSON(t).Exhibit)
	}
	if o.search != "" {
		fmt.Fprintf(e.stdout, "%s tagged\n", plural(len(ts), "item"))
	}
	return nil
}

func cmdUntag(e *env, args []string) error {
	fs := newFlagSet("untag") // no flags
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 3 {
		return usagef("want DIR ITEM TAG")
	}
	item, err := parseItem(pos[1])
	if err != nil {
		return err
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Untag(e.ctx, item, pos[2]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "untagged %s %s (kept in the record as removed)\n", item, pos[2])
	return nil
}

// tagsFlags are the flags of casebook tags.
type tagsFlags struct {
	create, color, desc, rename, merge, del string
	jsonFlags
}

func (o *tagsFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("tags")
	fs.StringVar(&o.create, "create", "", "create a tag with this `name` (nested: parent/child)")
	fs.StringVar(&o.color, "color", "", "the colour of the tag --create makes, e.g. #d94f3d")
	fs.StringVar(&o.desc, "description", "", "the description of the tag --create makes")
	fs.StringVar(&o.rename, "rename", "", "rename a tag and its children, `OLD=NEW`")
	fs.StringVar(&o.merge, "merge", "", "move every tagging of one tag onto another, `FROM=INTO`")
	fs.StringVar(&o.del, "delete", "", "delete the tag with this `name` (its taggings are kept, marked removed)")
	o.jsonFlags.define(fs)
	return fs
}

func cmdTags(e *env, args []string) error {
	var o tagsFlags
	c, err := openCaseOnly(e, o.flagSet(), args)
	if err != nil {
		return err
	}
	defer c.Close()
	pair := func(flagName, v string) (string, string, error) {
		a, b, ok := strings.Cut(v, "=")
		if !ok || a == "" || b == "" {
			return "", "", usagef("--%s wants A=B, not %q", flagName, v)
		}
		return a, b, nil
	}
	switch {
	case o.create != "":
		_, err = c.CreateTag(e.ctx, o.create, o.color, o.desc)
	case o.rename != "":
		var a, b string
		if a, b, err = pair("rename", o.rename); err == nil {
			err = c.RenameTag(e.ctx, a, b)
		}
	case o.merge != "":
		var a, b string
		if a, b, err = pair("merge", o.merge); err == nil {
			err = c.MergeTag(e.ctx, a, b)
		}
	case o.del != "":
		err = c.DeleteTag(e.ctx, o.del)
	}
	if err != nil {
		return err
	}
	tags, err := c.Tags(e.ctx)
	if err != nil {
		return err
	}
	if o.json {
		type tagJSON struct {
			Name        string `json:"name"`
			Color       string `json:"color"`
			Description string `json:"description"`
			Confirmed   int    `json:"confirmed"`
			Suggested   int    `json:"suggested"`
			Deleted     bool   `json:"deleted"`
			MergedInto  string `json:"merged_into,omitempty"`
		}
		out := []tagJSON{}
		for _, t := range tags {
			out = append(out, tagJSON{t.Name, t.Color, t.Description, t.Confirmed, t.Suggested, t.Deleted, t.MergedInto})
		}
		return writeJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TAG\tCONFIRMED\tSUGGESTED\tDESCRIPTION")
	for _, t := range tags {
		name := t.Name
		if t.Deleted {
			name += " (deleted"
			if t.MergedInto != "" {
				name += ", merged into " + t.MergedInto
			}
			name += ")"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", name, t.Confirmed, t.Suggested, t.Description)
	}
	return tw.Flush()
}

// noteFlags are the flags of casebook note.
type noteFlags struct {
	private bool
	jsonFlags
}

func (o *noteFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("note")
	fs.BoolVar(&o.private, "private", false, "a private note, never printed in a report")
	o.jsonFlags.define(fs)
	return fs
}

func cmdNote(e *env, args []string) error {
	var o noteFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if len(pos) != 3 {
		return usagef("want DIR ITEM TEXT")
	}
	item, err := parseItem(pos[1])
	if err != nil {
		return err
	}
	c, _, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	n, err := c.AddNote(e.ctx, item, pos[2], o.private)
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, map[string]any{"id": n.ID, "item": n.Item.String(), "private": n.Private})
	}
	fmt.Fprintf(e.stdout, "note %d on %s\n", n.ID, n.Item)
	return nil
}

func parseIDs(vals []string) ([]int64, error) {
	var out []int64
	for _, v := range vals {
		for _, s := range splitList(v) {
			n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimPrefix(s, "st-"), "sg-"), 10, 64)
			if err != nil || n <= 0 {
				return nil, usagef("bad id %q", s)
			}
			out = append(out, n)
		}
	}
	return out, nil
}
