package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"casebook/casefile"
)

// cmdIPRanges loads the case's IP geography: a CSV of first,last,country
// rows (replacing the range table) or a MaxMind DB .mmdb file (added to the
// case's IP databases), told apart by content; with no file it lists both.
func cmdIPRanges(e *env, args []string) error {
	var o jsonFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if rest := afterDir(pos); len(rest) > 1 {
		return usagef("one file is needed: a CSV of first,last,country rows or a .mmdb database (none lists what is loaded)")
	}
	c, rest, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	if len(rest) == 0 {
		return listIPGeography(e, c, o.json)
	}
	file := rest[0]
	if casefile.IsIPDatabaseFile(file) {
		d, err := c.LoadIPDatabase(e.ctx, file)
		if err != nil {
			return err
		}
		if o.json {
			return writeJSON(e.stdout, ipDatabaseJSON(d))
		}
		fmt.Fprintf(e.stdout, "%s: loaded as %s (%s, built %s, SHA-256 %s); it is consulted after the IP-range table and "+
			"before the databases loaded earlier, for imports from now on\n", file, d.IPDatabaseRef(), typeOr(d.Type),
			d.Built.Format("2006-01-02"), d.SHA256)
		return nil
	}
	n, err := c.ImportIPRanges(e.ctx, file)
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, map[string]any{"file": file, "ranges": n})
	}
	fmt.Fprintf(e.stdout, "%s: %d entries loaded into the case; they apply to imports from now on\n", file, n)
	return nil
}

type ipdbJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Built    string `json:"built"`
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	Path     string `json:"path"`
	LoadedAt string `json:"loaded_at"`
}

func ipDatabaseJSON(d casefile.IPDatabase) ipdbJSON {
	return ipdbJSON{d.IPDatabaseRef(), d.Name, d.Type, d.Built.Format(time.RFC3339), d.SHA256, d.Size, d.Path, d.LoadedAt.Format(time.RFC3339)}
}

func typeOr(t string) string {
	if t == "" {
		return "no type given"
	}
	return t
}

// listIPGeography prints the range table and the databases in the order an
// address is looked up in them.
func listIPGeography(e *env, c *casefile.Case, asJSON bool) error {
	t, err := c.IPRanges(e.ctx)
	if err != nil {
		return err
	}
	dbs, err := c.IPDatabases(e.ctx)
	if err != nil {
		return err
	}
	if asJSON {
		out := struct {
			Ranges    int64      `json:"ranges"`
			File      string     `json:"ranges_file"`
			Databases []ipdbJSON `json:"databases"`
		}{t.Ranges, t.File, []ipdbJSON{}}
		for _, d := range dbs {
			out.Databases = append(out.Databases, ipDatabaseJSON(d))
		}
		return writeJSON(e.stdout, out)
	}
	if t.Ranges == 0 && len(dbs) == 0 {
		fmt.Fprintln(e.stdout, "no IP ranges or IP databases loaded: events get a country from their IP only once one is (casebook ipranges DIR FILE)")
		return nil
	}
	fmt.Fprintln(e.stdout, "An address is looked up in this order; the first that knows it gives the IP country.")
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ORDER\tID\tTYPE\tBUILT\tFILE\tSHA-256")
	n := 1
	if t.Ranges > 0 {
		fmt.Fprintf(tw, "%d\tranges\t%d CSV ranges\t-\t%s\t-\n", n, t.Ranges, t.File)
		n++
	}
	for _, d := range dbs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", n, d.IPDatabaseRef(), typeOr(d.Type), d.Built.Format("2006-01-02"), d.Name, d.SHA256)
		n++
	}
	return tw.Flush()
}
