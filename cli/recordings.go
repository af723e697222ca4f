package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"casebook/casefile"
	"casebook/model"
)

// parseClock reads a time in a recording or an offset (casefile.ParseClock).
func parseClock(s string) (int64, error) { return casefile.ParseClock(s) }

// clockValue is a flag holding a time in milliseconds, set or not.
type clockValue struct {
	ms  int64
	set bool
}

func (c *clockValue) String() string {
	if c == nil || !c.set {
		return ""
	}
	return casefile.FormatMS(c.ms)
}

func (c *clockValue) Set(s string) error {
	ms, err := parseClock(s)
	if err != nil {
		return err
	}
	c.ms, c.set = ms, true
	return nil
}

// findSource resolves a source named by id (src-3) or by its file name.
func findSource(ctx context.Context, c *casefile.Case, arg string) (model.Source, error) {
	if strings.HasPrefix(arg, "src-") {
		id, err := parseItem(arg)
		if err != nil {
			return model.Source{}, err
		}
		if id.Kind != model.ItemSource {
			return model.Source{}, usagef("%q is not a source (src-N or a file name)", arg)
		}
		return c.Source(ctx, id.N)
	}
	srcs, err := c.Sources(ctx)
	if err != nil {
		return model.Source{}, err
	}
	var found []model.Source
	for _, s := range srcs {
		if s.Name == arg {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return model.Source{}, fmt.Errorf("no source is named %q (casebook sources lists them): %w", arg, model.ErrNotFound)
	case 1:
		return found[0], nil
	}
	return model.Source{}, fmt.Errorf("%d sources are named %q: give one by its id (src-%d, src-%d…)", len(found), arg, found[0].ID, found[1].ID)
}

// findSegment resolves a segment named seg-N, or SOURCE#N (the N-th segment
// of a source named by id or file name).
func findSegment(ctx context.Context, c *casefile.Case, arg string) (model.Segment, error) {
	if name, n, ok := strings.Cut(arg, "#"); ok {
		seq, err := strconv.Atoi(n)
		if err != nil || seq < 1 {
			return model.Segment{}, usagef("%q: the number after # is a segment's place in its source, from 1", arg)
		}
		src, err := findSource(ctx, c, name)
		if err != nil {
			return model.Segment{}, err
		}
		segs, err := c.Segments(ctx, src.ID)
		if err != nil {
			return model.Segment{}, err
		}
		for _, g := range segs {
			if g.Seq == seq {
				return g, nil
			}
		}
		return model.Segment{}, fmt.Errorf("src-%d (%s) has no segment %d: %w", src.ID, src.Name, seq, model.ErrNotFound)
	}
	id, err := parseItem(arg)
	if err != nil {
		return model.Segment{}, err
	}
	if id.Kind != model.ItemSegment {
		return model.Segment{}, usagef("%q is not a segment (seg-N, or SOURCE#N)", arg)
	}
	return c.Segment(ctx, id.N)
}

// pairFlags are the flags of casebook pair.
type pairFlags struct {
	offset clockValue
	list   bool
	jsonFlags
}

func (o *pairFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("pair")
	fs.Var(&o.offset, "offset", "where the transcript starts in the recording, `TIME` (12.3s, 1:02.5, -2s)")
	fs.BoolVar(&o.list, "list", false, "list the pairings")
	o.jsonFlags.define(fs)
	return fs
}

// pairingJSON is the stable JSON shape of a pairing.
type pairingJSON struct {
	Transcript string `json:"transcript"`
	Recording  string `json:"recording"`
	OffsetMS   int64  `json:"offset_ms"`
	How        string `json:"how"`
}

// cmdPair pairs a transcript with its recording, changes the offset, or
// lists the pairings: casebook pair DIR TRANSCRIPT RECORDING [--offset T],
// casebook pair DIR TRANSCRIPT --offset T, casebook pair DIR --list.
func cmdPair(e *env, args []string) error {
	var o pairFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	c, rest, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	switch {
	case o.list && len(rest) > 0:
		return usagef("--list takes no source")
	case o.list:
	case len(rest) == 0:
		return usagef("name the transcript and the recording, or give --list")
	case len(rest) > 2:
		return usagef("unexpected %q", rest[2])
	case len(rest) == 1 && !o.offset.set:
		return usagef("name the recording too, or give --offset to change the pairing's offset")
	default:
		t, err := findSource(e.ctx, c, rest[0])
		if err != nil {
			return err
		}
		if len(rest) == 1 {
			err = c.SetOffset(e.ctx, t.ID, o.offset.ms)
		} else {
			r, ferr := findSource(e.ctx, c, rest[1])
			if ferr != nil {
				return ferr
			}
			err = c.Pair(e.ctx, t.ID, r.ID, o.offset.ms)
		}
		if err != nil {
			return err
		}
		o.list = true
	}
	ps, err := c.Pairings(e.ctx)
	if err != nil {
		return err
	}
	if o.json {
		out := []pairingJSON{}
		for _, p := range ps {
			out = append(out, pairingJSON{fmt.Sprintf("src-%d", p.TranscriptID), fmt.Sprintf("src-%d", p.RecordingID), p.OffsetMS, p.How})
		}
		return writeJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TRANSCRIPT\tRECORDING\tOFFSET\tPAIRED BY")
	for _, p := range ps {
		tn, rn := sourceLabel(e.ctx, c, p.TranscriptID), sourceLabel(e.ctx, c, p.RecordingID)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", tn, rn, casefile.FormatMS(p.OffsetMS), p.How)
	}
	return tw.Flush()
}

func sourceLabel(ctx context.Context, c *casefile.Case, id int64) string {
	if s, err := c.Source(ctx, id); err == nil {
		return fmt.Sprintf("src-%d (%s)", id, s.Name)
	}
	return fmt.Sprintf("src-%d", id)
}

// cmdUnpair removes a transcript's pairing: casebook unpair DIR TRANSCRIPT.
func cmdUnpair(e *env, args []string) error {
	pos, err := parse(newFlagSet("unpair"), args)
	if err != nil {
		return err
	}
	c, rest, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	name, err := oneArg(rest, "name the transcript")
	if err != nil {
		return err
	}
	t, err := findSource(e.ctx, c, name)
	if err != nil {
		return err
	}
	if err := c.Unpair(e.ctx, t.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "unpaired src-%d (%s)\n", t.ID, t.Name)
	return nil
}

// clipFlags are the flags of casebook clip.
type clipFlags struct {
	out string
	jsonFlags
}

func (o *clipFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("clip")
	fs.StringVar(&o.out, "o", "", "the WAV `file` to write, - for standard output (required)")
	o.jsonFlags.define(fs)
	return fs
}

// cmdClip writes a segment's exact span of its recording as a WAV:
// casebook clip DIR SEGMENT -o FILE.
func cmdClip(e *env, args []string) error {
	var o clipFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if o.out == "" {
		return usagef("-o FILE is required")
	}
	if o.json && o.out == "-" {
		return usagef("--json and -o - both want standard output")
	}
	c, rest, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	name, err := oneArg(rest, "name the segment (seg-N, or SOURCE#N)")
	if err != nil {
		return err
	}
	g, err := findSegment(e.ctx, c, name)
	if err != nil {
		return err
	}
	sp, err := c.SpanOf(e.ctx, g)
	if err != nil {
		return err
	}
	var frames int64
	var rec model.Source
	if o.out == "-" {
		frames, rec, err = c.Clip(e.ctx, g.ID, e.stdout)
		return err
	}
	tmp, err := os.CreateTemp(dirOf(o.out), ".clip-*.wav")
	if err != nil {
		return fmt.Errorf("write %s: %w", o.out, err)
	}
	defer os.Remove(tmp.Name())
	frames, rec, err = c.Clip(e.ctx, g.ID, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), o.out); err != nil {
		return fmt.Errorf("write %s: %w", o.out, err)
	}
	if o.json {
		return writeJSON(e.stdout, map[string]any{"file": o.out, "segment": fmt.Sprintf("seg-%d", g.ID),
			"recording": fmt.Sprintf("src-%d", rec.ID), "sha256": rec.SHA256, "start_ms": sp.StartMS, "end_ms": sp.EndMS, "frames": frames})
	}
	fmt.Fprintf(e.stdout, "wrote %s: seg-%d, %s–%s of src-%d (%s, sha256 %s…), %d frames\n", o.out, g.ID,
		casefile.FormatMS(sp.StartMS), casefile.FormatMS(sp.EndMS), rec.ID, rec.Name, rec.SHA256[:12], frames)
	return nil
}

// dirOf is the folder a file is written in.
func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}

// transcribeFlags are the flags of casebook transcribe.
type transcribeFlags struct {
	start, end clockValue
	speaker    string
	jsonFlags
}

func (o *transcribeFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("transcribe")
	fs.Var(&o.start, "start", "where the passage starts in the recording, `TIME` (1:02.5, 62.5, 62.5s; required)")
	fs.Var(&o.end, "end", "where the passage ends in the recording, `TIME` (required)")
	fs.StringVar(&o.speaker, "speaker", "", "who speaks, a `name`")
	o.jsonFlags.define(fs)
	return fs
}

// cmdTranscribe stores a passage of a recording typed by hand:
// casebook transcribe DIR RECORDING --start T --end T [--speaker NAME] TEXT.
func cmdTranscribe(e *env, args []string) error {
	var o transcribeFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if !o.start.set || !o.end.set {
		return usagef("--start and --end are required")
	}
	c, rest, err := openCase(e, pos)
	if err != nil {
		return err
	}
	defer c.Close()
	switch {
	case len(rest) < 2:
		return usagef("name the recording and give the words said")
	case len(rest) > 2:
		return usagef("unexpected %q (quote the words said as one argument)", rest[2])
	}
	r, err := findSource(e.ctx, c, rest[0])
	if err != nil {
		return err
	}
	g, err := c.TranscribeSegment(e.ctx, r.ID, o.start.ms, o.end.ms, o.speaker, rest[1])
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, map[string]any{"segment": fmt.Sprintf("seg-%d", g.ID), "recording": fmt.Sprintf("src-%d", r.ID),
			"start_ms": g.StartMS, "end_ms": g.EndMS, "speaker": g.Speaker, "text": g.Text, "by": g.TypedBy,
			"at": g.TypedAt.Format(time.RFC3339)})
	}
	fmt.Fprintf(e.stdout, "seg-%d: %s–%s of src-%d (%s), typed by hand by %s\n", g.ID, casefile.FormatMS(g.StartMS),
		casefile.FormatMS(g.EndMS), r.ID, r.Name, nonEmpty(g.TypedBy, "(no investigator named)"))
	return nil
}

func nonEmpty(s, or string) string {
	if s == "" {
		return or
	}
	return s
}

// oneArg is the one argument a command takes after the case folder, or a
// usage error: missing says what to name when there is none.
func oneArg(rest []string, missing string) (string, error) {
	switch len(rest) {
	case 1:
		return rest[0], nil
	case 0:
		return "", usagef("%s", missing)
	}
	return "", usagef("unexpected %q", rest[1])
}
