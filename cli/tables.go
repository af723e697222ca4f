package cli

import (
	"fmt"
	"text/tabwriter"

	"casebook/casefile"
	"casebook/model"
)

func cmdRejects(e *env, args []string) error {
	var o jsonFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	var src int64
	if rest := afterDir(pos); len(rest) > 0 {
		id, err := model.ParseItemID(rest[0])
		if err != nil || id.Kind != model.ItemSource {
			return usagef("%q is not a source id like src-3", rest[0])
		}
		src = id.N
	}
	c, _, err := openCaseToRead(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	rs, err := c.Rejects(e.ctx, src)
	if err != nil {
		return err
	}
	if o.json {
		type rj struct {
			SourceID string `json:"source_id"`
			Line     int    `json:"line"`
			Row      int    `json:"row,omitempty"`
			Reason   string `json:"reason"`
			Raw      string `json:"raw"`
		}
		out := []rj{}
		for _, r := range rs {
			out = append(out, rj{model.ItemID{Kind: model.ItemSource, N: r.SourceID}.String(), r.Line, r.Row, r.Reason, r.Raw})
		}
		return writeJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tLINE\tROW\tREASON\tRAW")
	for _, r := range rs {
		fmt.Fprintf(tw, "src-%d\t%d\t%d\t%s\t%s\n", r.SourceID, r.Line, r.Row, r.Reason, trunc(r.Raw, 80))
	}
	return tw.Flush()
}

func cmdPlaces(e *env, args []string) error {
	return tableImport(e, args, "places", func(c *casefile.Case, path string) (int, error) { return c.ImportPlaces(e.ctx, path) })
}

func tableImport(e *env, args []string, name string, load func(*casefile.Case, string) (int, error)) error {
	fs := newFlagSet(name) // no flags
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if rest := afterDir(pos); len(rest) != 1 {
		return usagef("one CSV file is needed")
	}
	c, rest, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	n, err := load(c, rest[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d entries loaded into the case; they apply to imports from now on\n", rest[0], n)
	return nil
}
