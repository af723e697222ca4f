package cli

import (
	"cmp"
	"fmt"
	"strings"
	"text/tabwriter"

	"casebook/casefile"
)

// cmdRoster loads a roster (casebook roster DIR FILE) or, with no file,
// lists the case's roster.
func cmdRoster(e *env, args []string) error {
	return contextTable(e, args, "roster", func(c *casefile.Case, path string) (casefile.ContextResult, error) {
		return c.ImportRoster(e.ctx, path, e.progress())
	}, func(c *casefile.Case, asJSON bool) error {
		people, err := c.Roster(e.ctx)
		if err != nil || asJSON {
			return jsonOr(e, people, err)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ROW\tNAME\tOFFICE\tCOUNTRY\tTEAM\tEMPLOYER\tIDENTIFIERS")
		for _, p := range people {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Row, p.Name, p.Office, p.Country, p.Team, p.Employer, strings.Join(p.IDs, "; "))
		}
		return tw.Flush()
	})
}

// cmdDataMap loads a data map or, with no file, lists the case's.
func cmdDataMap(e *env, args []string) error {
	return contextTable(e, args, "datamap", func(c *casefile.Case, path string) (casefile.ContextResult, error) {
		return c.ImportDataMap(e.ctx, path, e.progress())
	}, func(c *casefile.Case, asJSON bool) error {
		dm, err := c.DataMap(e.ctx)
		if err != nil || asJSON {
			return jsonOr(e, dm, err)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ROW\tFIELD\tPATTERN\tCATEGORY\tREGION")
		for _, d := range dm {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", d.Row, d.Field, d.Pattern, d.Category, cmp.Or(d.Region, "*"))
		}
		return tw.Flush()
	})
}

func contextTable(e *env, args []string, name string, load func(*casefile.Case, string) (casefile.ContextResult, error),
	list func(c *casefile.Case, asJSON bool) error) error {
	var o jsonFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	rest := afterDir(pos)
	if len(rest) > 1 {
		return usagef("one file is needed (or none, to list the case's %s)", name)
	}
	c, rest, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	if len(rest) == 0 {
		return list(c, o.json)
	}
	res, err := load(c, rest[0])
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, map[string]any{"file": res.File, "sha256": res.SHA256, "entries": res.Entries,
			"events": res.Events, "changed": res.Changed, "matched": res.Matched, "ambiguous": nonNilStrings(res.Ambiguous)})
	}
	what := map[string]string{"roster": "people", "datamap": "entries"}[name]
	hit := map[string]string{"roster": "have a person", "datamap": "have a mapped category"}[name]
	fmt.Fprintf(e.stdout, "%s: %d %s loaded (SHA-256 %s); %s of %s events %s, %s changed\n", rest[0], res.Entries, what,
		res.SHA256[:16], casefile.Commas(res.Matched), casefile.Commas(res.Events), hit, casefile.Commas(res.Changed))
	if len(res.Ambiguous) > 0 {
		fmt.Fprintf(e.stdout, "%d identifiers name two people and match neither: %s\n", len(res.Ambiguous),
			strings.Join(res.Ambiguous[:min(len(res.Ambiguous), 10)], ", "))
	}
	return nil
}

// jsonOr writes v as JSON (an empty list as []), or returns err.
func jsonOr[T any](e *env, v []T, err error) error {
	if err != nil {
		return err
	}
	if v == nil {
		v = []T{}
	}
	return writeJSON(e.stdout, v)
}
