package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
)

// speakersFlags are the flags of casebook speakers.
type speakersFlags struct {
	merge, unmerge, set, role, office string
	jsonFlags
}

func (o *speakersFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("speakers")
	fs.StringVar(&o.merge, "merge", "", "say that a label is a person, `LABEL=PERSON`")
	fs.StringVar(&o.unmerge, "unmerge", "", "make a merged `label` its own speaker again")
	fs.StringVar(&o.set, "set", "", "the `speaker` whose --role and --office to record")
	fs.StringVar(&o.role, "role", "", "the speaker's role (with --set)")
	fs.StringVar(&o.office, "office", "", "the speaker's office (with --set)")
	o.jsonFlags.define(fs)
	return fs
}

// cmdSpeakers lists the case's speaker registry and merges labels into
// people: casebook speakers DIR [--merge LABEL=PERSON] [--unmerge LABEL]
// [--set NAME --role R --office O] [--json].
func cmdSpeakers(e *env, args []string) error {
	var o speakersFlags
	c, err := openCaseOnly(e, o.flagSet(), args)
	if err != nil {
		return err
	}
	defer c.Close()
	switch {
	case o.merge != "":
		label, person, ok := strings.Cut(o.merge, "=")
		if !ok || strings.TrimSpace(label) == "" || strings.TrimSpace(person) == "" {
			return usagef("--merge wants LABEL=PERSON, not %q", o.merge)
		}
		err = c.MergeSpeaker(e.ctx, label, person)
	case o.unmerge != "":
		err = c.UnmergeSpeaker(e.ctx, o.unmerge)
	case o.set != "":
		err = c.SetSpeakerDetails(e.ctx, o.set, o.role, o.office)
	case o.role != "" || o.office != "":
		return usagef("--role and --office go with --set NAME")
	}
	if err != nil {
		return err
	}
	sps, err := c.Speakers(e.ctx)
	if err != nil {
		return err
	}
	if o.json {
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
