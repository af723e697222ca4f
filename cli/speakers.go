package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
)

// cmdSpeakers lists the case's speaker registry and merges labels into
// people: casebook speakers DIR [--merge LABEL=PERSON] [--unmerge LABEL]
// [--set NAME --role R --office O] [--json].
func cmdSpeakers(e *env, args []string) error {
	fs := flag.NewFlagSet("speakers", flag.ContinueOnError)
	merge := fs.String("merge", "", "LABEL=PERSON: the label is that person")
	unmerge := fs.String("unmerge", "", "make a merged label its own speaker again")
	set := fs.String("set", "", "a speaker whose --role and --office to record")
	role := fs.String("role", "", "the speaker's role (with --set)")
	office := fs.String("office", "", "the speaker's office (with --set)")
	jsonOut := fs.Bool("json", false, "print JSON")
	c, err := openCaseOnly(e, fs, args)
	if err != nil {
		return err
	}
	defer c.Close()
	switch {
	case *merge != "":
		label, person, ok := strings.Cut(*merge, "=")
		if !ok || strings.TrimSpace(label) == "" || strings.TrimSpace(person) == "" {
			return usagef("--merge wants LABEL=PERSON, not %q", *merge)
		}
		err = c.MergeSpeaker(e.ctx, label, person)
	case *unmerge != "":
		err = c.UnmergeSpeaker(e.ctx, *unmerge)
	case *set != "":
		err = c.SetSpeakerDetails(e.ctx, *set, *role, *office)
	case *role != "" || *office != "":
		return usagef("--role and --office go with --set NAME")
	}
	if err != nil {
		return err
	}
	sps, err := c.Speakers(e.ctx)
	if err != nil {
		return err
	}
	if *jsonOut {
		type speakerJSON struct {
			Name     string `json:"name"`
			AliasOf  string `json:"alias_of,omitempty"`
			Role     string `json:"role,omitempty"`
			Office   string `json:"office,omitempty"`
			Segments int    `json:"segments"`
		}
		out := []speakerJSON{}
		for _, s := range sps {
			out = append(out, speakerJSON{s.Name, s.AliasOf, s.Role, s.Office, s.Segments})
		}
		return writeJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SPEAKER\tSEGMENTS\tIS\tROLE\tOFFICE")
	for _, s := range sps {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", s.Name, s.Segments, s.AliasOf, s.Role, s.Office)
	}
	return tw.Flush()
}
