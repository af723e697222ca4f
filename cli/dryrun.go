package cli

import (
	"fmt"
	"text/tabwriter"

	"casebook/casefile"
)

// dryRunShow is how many records and rejections import --dry-run shows per file.
const dryRunShow = 5

// dryRunJSON is one file of import --dry-run --json.
type dryRunJSON struct {
	File         string         `json:"file"`
	SHA256       string         `json:"sha256,omitempty"`
	Kind         string         `json:"kind,omitempty"`
	Format       string         `json:"format,omitempty"`
	Encoding     string         `json:"encoding,omitempty"`
	Records      int64          `json:"records"`
	Rejects      int64          `json:"rejects"`
	Warnings     []string       `json:"warnings"`
	FirstRecords []string       `json:"first_records"`
	FirstRejects []rejectedJSON `json:"first_rejects"`
	DuplicateOf  string         `json:"duplicate_of,omitempty"`
	Error        string         `json:"error,omitempty"`
}

// rejectedJSON is one rejected row a dry run shows.
type rejectedJSON struct {
	Line   int    `json:"line"`
	Row    int    `json:"row,omitempty"`
	Reason string `json:"reason"`
	Raw    string `json:"raw"`
}

// dryRunImport is import --dry-run: what each file would give, nothing stored.
func dryRunImport(e *env, pos []string, opts casefile.ImportOptions, asJSON bool) error {
	c, files, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	results, err := c.DryRunImport(e.ctx, files, opts, dryRunShow)
	if err != nil && len(results) == 0 {
		return err
	}
	failed := 0
	out := make([]dryRunJSON, 0, len(results))
	for _, r := range results {
		j := dryRunJSON{File: r.File, SHA256: r.SHA256, Kind: r.Kind, Format: r.Format, Encoding: r.Encoding, Records: r.Records,
			Rejects: r.Rejects, Warnings: r.Warnings, FirstRecords: r.First, DuplicateOf: r.Duplicate, FirstRejects: []rejectedJSON{}}
		for _, rj := range r.FirstRej {
			j.FirstRejects = append(j.FirstRejects, rejectedJSON{Line: rj.Line, Row: rj.Row, Reason: rj.Reason, Raw: rj.Raw})
		}
		if j.Warnings == nil {
			j.Warnings = []string{}
		}
		if j.FirstRecords == nil {
			j.FirstRecords = []string{}
		}
		if r.Err != nil || r.Duplicate != "" {
			failed++
		}
		if r.Err != nil {
			j.Error = oneLine(r.Err)
		} else if r.Duplicate != "" {
			j.Error = fmt.Sprintf("already in the case as %s", r.Duplicate)
		}
		out = append(out, j)
	}
	if asJSON {
		if werr := writeJSON(e.stdout, out); werr != nil {
			return werr
		}
	} else {
		fmt.Fprintln(e.stdout, "Dry run: nothing was stored.")
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "FILE\tFORMAT\tRECORDS\tREJECTS\tWARNINGS")
		for _, j := range out {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\n", j.File, dash(j.Format), j.Records, j.Rejects, len(j.Warnings))
		}
		tw.Flush()
		for _, j := range out {
			fmt.Fprintf(e.stdout, "\n%s\n", j.File)
			if j.Error != "" {
				fmt.Fprintf(e.stdout, "  would not be imported: %s\n", j.Error)
			}
			if len(j.FirstRecords) > 0 {
				fmt.Fprintf(e.stdout, "  first records:\n")
				for _, l := range j.FirstRecords {
					fmt.Fprintf(e.stdout, "    %s\n", l)
				}
			}
			if len(j.FirstRejects) > 0 {
				fmt.Fprintf(e.stdout, "  first rejected:\n")
				for _, rj := range j.FirstRejects {
					where := fmt.Sprintf("line %d", rj.Line)
					if rj.Row > 0 {
						where = fmt.Sprintf("row %d", rj.Row)
					}
					fmt.Fprintf(e.stdout, "    %s: %s\n", where, rj.Reason)
				}
			}
			for _, w := range j.Warnings {
				fmt.Fprintf(e.stdout, "  warning: %s\n", w)
			}
		}
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files would not be imported", failed, len(results))
	}
	return nil
}

// dash is s, or "-" when s is empty.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
