package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"casebook/model"
)

// Version is the program's version, printed by "casebook version" together
// with the Go version and the commit the binary was built from.
var Version = "0.1.0"

// env is what a command runs with.
type env struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	prog   *progressView // progress of long jobs on stderr (progress.go)
}

// command is one subcommand: what "casebook help" says about it, the flags
// it takes (so that help and shell completion can enumerate them), and the
// function that runs it.
type command struct {
	name     string
	group    string   // the heading "casebook help" lists it under
	usage    []string // synopses after "casebook ", one per form
	summary  string   // one line for the list in "casebook help"
	doc      string   // what the command does: a short paragraph
	examples []string // shell lines run by the tests against a case "mycase"
	// subs are the words that must come first (statement add|list);
	// flags(sub) builds the flag set of that form ("" when subs is empty).
	// A nil flags means the command takes no flags.
	subs   []string
	flags  func(sub string) *flag.FlagSet
	run    func(e *env, args []string) error
	hidden bool // left out of help and completion (__complete)
}

// flagSetter is a command's flag values, bound to a new flag set by
// flagSet. Every command with flags has one, so the same definitions serve
// the command, its help and shell completion.
type flagSetter interface{ flagSet() *flag.FlagSet }

// flagsOf returns the flags function of a command whose flag values are a
// T: a fresh T bound to a fresh flag set, for help and completion.
func flagsOf[T any, PT interface {
	*T
	flagSetter
}]() func(string) *flag.FlagSet {
	return func(string) *flag.FlagSet { return PT(new(T)).flagSet() }
}

// newFlagSet is the flag set every command parses with: errors are returned
// (and reported by Run), never printed by the flag package.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// jsonFlags are the flags of the commands whose only flag is --json, and
// part of the flags of many others.
type jsonFlags struct{ json bool }

func (o *jsonFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("json")
	o.define(fs)
	return fs
}

func (o *jsonFlags) define(fs *flag.FlagSet) {
	fs.BoolVar(&o.json, "json", false, "print JSON, a stable shape for scripts, instead of text")
}

// Command groups, in the order "casebook help" lists them.
const (
	groupCase      = "Cases"
	groupImport    = "Importing"
	groupSearch    = "Searching"
	groupEvidence  = "Tagging and reviewing"
	groupClaims    = "Statements"
	groupOutput    = "Reports and exports"
	groupIntegrity = "Integrity and sharing"
	groupProgram   = "The program"
)

var groups = []string{groupCase, groupImport, groupSearch, groupEvidence, groupClaims, groupOutput, groupIntegrity, groupProgram}

var commands []command

func init() {
	commands = commandTable()
}

// lookup returns the command named name, or nil.
func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// IsCommand reports whether name is a subcommand of the command line (as
// opposed to "gui" or nothing, which start the window).
func IsCommand(name string) bool {
	return isHelpFlag(name) || name == "--version" || lookup(name) != nil
}

// isHelpFlag reports whether a is a request for help: -h, -help or --help.
func isHelpFlag(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// errHelp is returned by parse for -h or --help among a command's
// arguments: Run then prints the command's help.
var errHelp = errors.New("help requested")

// Run runs one command line (without the program name) and returns the exit
// code, one of those in exitCodes: 0 on success, 1 when the command failed
// (a check such as verify that found a problem included), 2 for a usage
// error.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdout: stdout, stderr: stderr}
	args = progressFlagsAfterCommand(args)
	if len(args) == 0 || isHelpFlag(args[0]) {
		usage(stdout)
		return exitOK
	}
	if args[0] == "--version" {
		args = []string{"version"}
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(stderr, "casebook: unknown command %q (try casebook help)\n", args[0])
		return exitUsage
	}
	if len(args) > 1 && isHelpFlag(args[1]) && !c.hidden {
		commandHelp(stdout, c)
		return exitOK
	}
	rest := args[1:]
	if c.name != "__complete" {
		var o progressFlags
		var json bool
		var err error
		if rest, o, json, err = takeProgressFlags(rest); err != nil {
			fmt.Fprintf(stderr, "casebook %s: %v\n", c.name, err)
			return exitUsage
		}
		e.prog = newProgressView(ctx, stderr, o, json)
		e.stdout, e.stderr = endsProgress{stdout, e.prog}, endsProgress{stderr, e.prog}
	}
	err := c.run(e, rest)
	if e.prog != nil {
		e.prog.end(err == nil)
	}
	if err != nil && ctx.Err() != nil {
		err = cancelledError(err)
	}
	if err != nil {
		if errors.Is(err, errHelp) {
			commandHelp(stdout, c)
			return exitOK
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "casebook %s: %v (usage: casebook %s; see casebook help %s)\n", c.name, ue.msg,
				strings.Join(c.usage, " | casebook "), c.name)
			return exitUsage
		}
		fmt.Fprintf(stderr, "casebook %s: %s\n", c.name, oneLine(err))
		return exitFailed
	}
	return exitOK
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// parseItem reads an item id argument (seg-12, evt-3, src-1); a malformed
// one is a usage error, as every command treats it.
func parseItem(s string) (model.ItemID, error) {
	id, err := model.ParseItemID(s)
	if err != nil {
		return id, usagef("%q is not an item id like seg-12, evt-3 or src-1", s)
	}
	return id, nil
}

// oneLine renders an error as a single line for stderr.
func oneLine(err error) string {
	s := err.Error()
	if errors.Is(err, model.ErrLocked) {
		s = strings.TrimSuffix(s, ": "+model.ErrLocked.Error())
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// parse parses flags given anywhere among the arguments and returns the
// positional arguments in order.
// -h, -help or --help (unless the command has such a flag) returns errHelp.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		if isHelpFlag(a) && fs.Lookup(name) == nil {
			return nil, errHelp
		}
		flags = append(flags, a)
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			return nil, usagef("unknown flag %s", a)
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			continue
		}
		if i+1 >= len(args) {
			return nil, usagef("flag %s needs a value", a)
		}
		i++
		flags = append(flags, args[i])
	}
	if err := fs.Parse(flags); err != nil {
		return nil, usagef("%v", err)
	}
	return pos, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// commandTable is every command with its help. The examples are run by the
// tests (help_test.go), in this order, against a small case named "mycase"
// and the files standup.txt, logins.csv, offices.csv, ranges.csv and
// terms.csv beside it.
//
// A new flag is a field in the command's flags struct and one line in its
// flagSet method (searchFlags, say); help, completion and the tests find
// it there. A new command is an entry here, with a flags struct of its own
// if it takes flags.
func commandTable() []command {
	return []command{
		{name: "new", group: groupCase, usage: []string{"new DIR [flags]"}, flags: flagsOf[newFlags](), run: cmdNew,
			summary: "create an empty case folder",
			doc: "New creates a case folder: the database that is the case's record, the folder for the originals " +
				"and the search index. The folder must not exist or be empty.",
			examples: []string{`casebook new othercase --title "Harbor Freight inquiry" --investigator "Tess Tester"`}},
		{name: "demo", group: groupCase, usage: []string{"demo DIR"}, run: cmdDemo,
			summary: "build the fictional demo case to try things on",
			doc: "Demo builds a complete fictional case (Lumora, a made-up company) in a new folder: ten meeting " +
				"transcripts in ten formats and a year of access logs, with policy, rules and statements set up.",
			examples: []string{`casebook demo lumora-demo`}},

		{name: "import", group: groupImport, usage: []string{"import DIR FILE|FOLDER... [flags]"}, flags: flagsOf[importFlags](), run: cmdImport,
			summary: "import transcripts and access logs",
			doc: "Import copies each file into the case, recognises its format (see casebook formats), stores its " +
				"records and indexes them. A folder is imported file by file. Bad rows are kept as rejects (see " +
				"casebook rejects) unless --strict refuses the whole file. An access log whose columns are not " +
				"recognised is mapped with --map, and the mapping can be saved as a profile for the next file. " +
				"--dry-run reads the files as the import would and shows what would be stored and rejected, storing nothing; " +
				"--date-order dmy|mdy says how dates such as 05/10/2025 read when no value of the column tells.",
			examples: []string{
				`casebook import mycase standup.txt --date 2022-03-01 --tz Europe/Berlin`,
				`casebook import mycase logins.csv --kind accesslog --map time=when,actor=user,country=country,resource=table,approval=ticket --save-profile logins`,
			}},
		{name: "rejects", group: groupImport, usage: []string{"rejects DIR [src-N] [flags]"}, flags: flagsOf[jsonFlags](), run: cmdRejects,
			summary:  "list the rows an import could not read",
			doc:      "Rejects lists the lines or rows of imported files that could not be read, with the reason and the raw text, for all sources or one.",
			examples: []string{`casebook rejects mycase src-2`}},
		{name: "places", group: groupImport, usage: []string{"places DIR FILE.csv"}, run: cmdPlaces,
			summary: "load the case's office and city table",
			doc: "Places loads a CSV of name,country rows (a header row is skipped): the case's own table of offices " +
				"and cities, used to give events a country when their log names only a place. It applies to imports from now on.",
			examples: []string{`casebook places mycase offices.csv`}},
		{name: "ipranges", group: groupImport, usage: []string{"ipranges DIR [FILE.csv|FILE.mmdb] [flags]"}, flags: flagsOf[jsonFlags](),
			run: cmdIPRanges, summary: "load the case's IP-to-country table or IP database (.mmdb)",
			doc: "Ipranges gives events a country from their IP. A CSV of first,last,country rows (the layout of the free " +
				"DB-IP and IP2Location lite country files) replaces the case's IP-range table. A MaxMind DB file (.mmdb: " +
				"GeoLite2 or GeoIP2 Country or City, DB-IP lite country or city; told by its content) is checked whole, copied " +
				"into the case folder (ipdb/) and recorded with its SHA-256, type and build date, which the report's methodology " +
				"states; casebook verify re-hashes the copy. An address is looked up in the range table first, then in the " +
				"databases, the most recently loaded first; the first that knows it answers. Loading applies to imports from " +
				"now on; events already imported keep their country. Without a file it lists what is loaded, in that order. " +
				"Nothing is ever looked up on a network.",
			examples: []string{`casebook ipranges mycase ranges.csv`, `casebook ipranges mycase GeoLite2-Country.mmdb`, `casebook ipranges mycase`}},
		{name: "roster", group: groupImport, usage: []string{"roster DIR [FILE.csv|FILE.xlsx] [flags]"}, flags: flagsOf[jsonFlags](),
			run: cmdRoster, summary: "load who the actors are (people, identifiers, office, country)",
			doc: "Roster replaces the case's roster with a CSV or .xlsx of people: a header row naming any of employee id, " +
				"email, user, arn (or principal), name, office, country, team, employer; several identifiers in a cell are " +
				"separated by ';'. Events whose actor matches an identifier (any case; an e-mail's local part, an ARN's user " +
				"or session name and DOMAIN\\user count too) get that person, and the office and country the log left empty. " +
				"Every event is re-matched at once; the source records are not changed. Without a file it lists the roster.",
			examples: []string{`casebook roster mycase staff.csv`, `casebook roster mycase`}},
		{name: "datamap", group: groupImport, usage: []string{"datamap DIR [FILE.csv|FILE.xlsx] [flags]"}, flags: flagsOf[jsonFlags](),
			run: cmdDataMap, summary: "load what the resources hold (data category, subject region)",
			doc: "Datamap replaces the case's data map with rows of field, pattern, category, region: events whose field " +
				"(resource, action, system, actor, actor_id, office, ip, purpose) matches the pattern (a glob with * and ?, or " +
				"re:REGEX; any case) get that data category and subject region where the log gave none; region * means any. " +
				"The first matching row wins. Every event is re-mapped at once. Without a file it lists the map.",
			examples: []string{`casebook datamap mycase datamap.csv`, `casebook datamap mycase`}},
		{name: "sources", group: groupImport, usage: []string{"sources DIR [flags]"}, flags: flagsOf[jsonFlags](), run: cmdSources,
			summary:  "list the imported files",
			doc:      "Sources lists the case's imported files: id, name, kind, format, encoding, record count, warnings, when and SHA-256.",
			examples: []string{`casebook sources mycase --json`}},
		{name: "formats", group: groupImport, usage: []string{"formats [flags]"}, flags: flagsOf[jsonFlags](), run: cmdFormats,
			summary:  "list the file formats import reads",
			doc:      "Formats lists the transcript and access-log formats import recognises; a name can be forced with import --format.",
			examples: []string{`casebook formats`}},

		{name: "search", group: groupSearch, usage: []string{"search DIR QUERY [flags]", "search DIR --batch FILE [flags]"},
			flags: flagsOf[searchFlags](), run: cmdSearch,
			summary: "search transcripts and events",
			doc: "Search finds transcript segments and log events matching the query (words, \"a phrase\", AND, OR, " +
				"NOT, field:value), narrowed by the filters, best first or by time. --all streams every hit; " +
				"--save keeps the search by name (see casebook searches); --batch counts the hits of each term in a file.",
			examples: []string{
				`casebook search mycase approval --kind segment --limit 5`,
				`casebook search mycase "master admin" --from 2022-01-01 --to 2022-12-31 --facets --save admin-role`,
				`casebook search mycase --batch terms.csv`,
			}},
		{name: "searches", group: groupSearch, usage: []string{"searches DIR [flags]"}, flags: flagsOf[searchesFlags](), run: cmdSearches,
			summary:  "list or delete saved searches",
			doc:      "Searches lists the searches saved with search --save, or deletes one.",
			examples: []string{`casebook searches mycase --json`, `casebook searches mycase --delete admin-role`}},
		{name: "related", group: groupSearch, usage: []string{"related DIR ITEM [flags]"}, flags: flagsOf[jsonFlags](), run: cmdRelated,
			summary:  "list the items a rule linked to an item",
			doc:      "Related lists the items the correlation rule linked to an item (say, the meetings around an access event).",
			examples: []string{`casebook related mycase evt-1`}},

		{name: "policy", group: groupEvidence, usage: []string{"policy DIR [flags]"}, flags: flagsOf[policyFlags](), run: cmdPolicy,
			summary: "show or change the policy the rules check against",
			doc: "Policy prints the case's policy (home jurisdictions, protected data, approvals, working hours, " +
				"offshore storage, bulk threshold), or changes the parts given as flags.",
			examples: []string{`casebook policy mycase --home US,CA --protected phone,device_id`,
				`casebook policy mycase --office "Beijing=Asia/Shanghai@09:00-18:00"`}},
		{name: "rules", group: groupEvidence, usage: []string{"rules list DIR [flags]", "rules run DIR [RULE...] [flags]", "rules set DIR RULE [flags]"},
			subs: []string{"list", "run", "set"}, flags: rulesFlagSet, run: cmdRules,
			summary: "list, run or change the rules that suggest tags",
			doc: "Rules lists the case's rules, runs them (all, or those named) to add suggestions for review, " +
				"or changes one rule's condition, explanation or whether it runs.",
			examples: []string{`casebook rules list mycase`, `casebook rules run mycase foreign-access no-approval`,
				`casebook rules set mycase off-hours --enabled false`}},
		{name: "suggestions", group: groupEvidence, usage: []string{"suggestions DIR [ID...] [flags]"}, flags: flagsOf[suggestionsFlags](), run: cmdSuggestions,
			summary: "review the rules' suggestions",
			doc: "Suggestions lists what the rules suggested, and accepts (the item becomes an exhibit) or rejects " +
				"suggestions by id. Ids after the folder go with the one of --accept or --reject given.",
			examples: []string{`casebook suggestions mycase --status suggested`, `casebook suggestions mycase --accept 1`}},
		{name: "tag", group: groupEvidence, usage: []string{"tag DIR ITEM TAG [flags]", "tag DIR TAG --search QUERY [flags]"},
			flags: flagsOf[tagFlags](), run: cmdTag,
			summary: "tag an item, or every hit of a search",
			doc: "Tag confirms a tag on an item (seg-N, evt-N), which makes it an exhibit, optionally on a quoted " +
				"character range and with a note; with --search it tags every hit of the query.",
			examples: []string{`casebook tag mycase seg-4 key-quote --note "says nobody approved it"`,
				`casebook tag mycase follow-up --search "master admin"`}},
		{name: "untag", group: groupEvidence, usage: []string{"untag DIR ITEM TAG"}, run: cmdUntag,
			summary:  "remove a tag from an item",
			doc:      "Untag removes a tag from an item. The tagging stays in the case's record, marked removed.",
			examples: []string{`casebook untag mycase seg-4 key-quote`}},
		{name: "tags", group: groupEvidence, usage: []string{"tags DIR [flags]"}, flags: flagsOf[tagsFlags](), run: cmdTags,
			summary: "list, create, rename, merge or delete tags",
			doc:     "Tags lists the case's tags with their counts, or changes one: nested tags use a slash (foreign-access/CN).",
			examples: []string{`casebook tags mycase --create foreign-access/CN --description "seen from China"`,
				`casebook tags mycase --rename follow-up=to-check`}},
		{name: "speakers", group: groupEvidence, usage: []string{"speakers DIR [flags]"}, flags: flagsOf[speakersFlags](), run: cmdSpeakers,
			summary: "list speakers, merge labels into people",
			doc: "Speakers lists the transcripts' speakers, says that a label is a person (\"Speaker 2\" is Wei Zhang), " +
				"undoes that, or records a speaker's role and office.",
			examples: []string{`casebook speakers mycase --merge "Speaker 2=Tomas Berg"`,
				`casebook speakers mycase --set "Wei Zhang" --role Engineer --office Beijing`}},
		{name: "note", group: groupEvidence, usage: []string{"note DIR ITEM TEXT [flags]"}, flags: flagsOf[noteFlags](), run: cmdNote,
			summary:  "write a note on an item",
			doc:      "Note adds a note to an item. A private note is never printed in a report.",
			examples: []string{`casebook note mycase seg-2 "ask who granted the role"`}},
		{name: "notes", group: groupEvidence, usage: []string{"notes DIR [ITEM] [flags]"}, flags: flagsOf[notesFlags](), run: cmdNotes,
			summary:  "list notes",
			doc:      "Notes lists the notes on one item or on all, optionally only those containing some text.",
			examples: []string{`casebook notes mycase --contains role`}},

		{name: "pair", group: groupEvidence, usage: []string{"pair DIR TRANSCRIPT RECORDING [flags]", "pair DIR TRANSCRIPT --offset TIME", "pair DIR --list [flags]"},
			flags: flagsOf[pairFlags](), run: cmdPair,
			summary: "pair a transcript with the recording it was made from",
			doc: "Pair ties a transcript to its recording (each named by id, src-3, or file name), so its segments can be " +
				"heard, clipped and cited with the sound. --offset says where the transcript starts in the recording (12.3s, " +
				"1:02.5, -2s): a time t in the transcript is t + offset in the recording. Import pairs by name on its own " +
				"(meeting.m4a with meeting.vtt; Zoom's GMT… files; Teams' Meeting Recording with Meeting Transcript). Every " +
				"change is in the audit trail. --list prints the pairings.",
			examples: []string{`casebook import mycase standup.wav standup.vtt`, `casebook pair mycase standup.vtt standup.wav --offset 0.4s`,
				`casebook pair mycase --list`}},
		{name: "clip", group: groupEvidence, usage: []string{"clip DIR SEGMENT -o FILE.wav [flags]"}, flags: flagsOf[clipFlags](), run: cmdClip,
			summary: "write a segment's exact span of its recording as a WAV",
			doc: "Clip writes the span of a segment (seg-N, or SOURCE#N for a source's N-th segment) in the recording its " +
				"transcript is paired with, offset applied, as a 16-bit PCM WAV at the recording's rate, to the sample; for " +
				"counsel or to publish. The clip is recorded in the audit trail with the recording's SHA-256 and the span.",
			examples: []string{`casebook clip mycase "standup.vtt#2" -o clip.wav`}},
		{name: "transcribe", group: groupEvidence, usage: []string{"transcribe DIR RECORDING --start TIME --end TIME [flags] TEXT"},
			flags: flagsOf[transcribeFlags](), run: cmdTranscribe,
			summary: "type what is said in a passage of a recording",
			doc: "Transcribe stores what was said between --start and --end of a recording (1:02.5, 62.5 or 62.5s) as a " +
				"segment of it, marked as typed by hand, with who and when in the audit trail; it is sealed, searchable, " +
				"taggable and cited in reports like any segment.",
			examples: []string{`casebook transcribe mycase standup.wav --start 0:01.9 --end 0:05.2 --speaker "Dana Ferro" "Oslo still has standing access."`}},
		{name: "unpair", group: groupEvidence, usage: []string{"unpair DIR TRANSCRIPT"}, run: cmdUnpair,
			summary:  "remove a transcript's pairing with its recording",
			doc:      "Unpair removes the pairing of a transcript (src-N or file name) with its recording; the audit trail keeps both.",
			examples: []string{`casebook unpair mycase standup.vtt`}},

		{name: "statement", group: groupClaims, usage: []string{"statement add DIR --who W --when YYYY-MM-DD --text T [flags]", "statement list DIR [flags]"},
			subs: []string{"add", "list"}, flags: flagsOf[statementFlags](), run: cmdStatement,
			summary: "record or list public statements to check",
			doc:     "Statement records a public claim (who said what, when and where) to check the evidence against, or lists them with their links.",
			examples: []string{`casebook statement add mycase --who "Daniel Okafor" --when 2022-04-12 --text "Every access needs an approval ticket."`,
				`casebook statement list mycase`}},
		{name: "link", group: groupClaims, usage: []string{"link DIR STATEMENT ITEM --supports|--contradicts [flags]"}, flags: flagsOf[linkFlags](), run: cmdLink,
			summary:  "link an item to a statement it supports or contradicts",
			doc:      "Link records that an item supports or contradicts a statement (see casebook statement), with an optional note.",
			examples: []string{`casebook link mycase 1 seg-4 --contradicts --note "nobody approved it"`}},

		{name: "evidence", group: groupOutput, usage: []string{"evidence DIR [flags]"}, flags: flagsOf[jsonFlags](), run: cmdEvidence,
			summary:  "list the exhibits",
			doc:      "Evidence lists the confirmed taggings as numbered exhibits, each with its citation, quote and note.",
			examples: []string{`casebook evidence mycase`}},
		{name: "report", group: groupOutput, usage: []string{"report DIR -o FILE.pdf [flags]"}, flags: flagsOf[reportFlags](), run: cmdReport,
			summary: "write the PDF report",
			doc: "Report writes the case's report as a PDF: the statements, the exhibits that bear on them and the " +
				"sources, optionally limited to some tags or statements, marked, Bates-stamped, redacted or pseudonymised. " +
				"An existing file is never replaced unless --force says so; the refusal names a free dated name.",
			examples: []string{`casebook report mycase -o report.pdf --marking CONFIDENTIAL --date 2022-06-01`}},
		{name: "export", group: groupOutput, usage: []string{"export DIR -o FILE [flags]"}, flags: flagsOf[exportFlags](), run: cmdExport,
			summary: "export evidence, events or a search as CSV, JSON Lines or FollowTheMoney",
			doc: "Export writes the exhibits, all events or a search's hits to a file (or - for standard output). " +
				"--format ftm --what all streams the whole case as FollowTheMoney entities for Aleph " +
				"(alephclient write-entities). An existing file is never replaced unless --force says so.",
			examples: []string{`casebook export mycase -o evidence.csv`,
				`casebook export mycase --format jsonl --what search --query approval -o -`,
				`casebook export mycase --format ftm --what all -o mycase.ftm.json`}},

		{name: "verify", group: groupIntegrity, usage: []string{"verify DIR [flags]"}, flags: flagsOf[verifyFlags](), run: cmdVerify,
			summary: "check originals, records, audit chain and index",
			doc: "Verify checks that every original still matches its SHA-256, that every record is the one its import " +
				"sealed (naming each record changed, removed or added since), that the audit log's hash chain is " +
				"whole and that the index is in step with the database. --deep also parses every original again and " +
				"compares each record field by field. It exits 1 when it finds a problem, each on a line of its own.",
			examples: []string{`casebook verify mycase`, `casebook verify mycase --deep`}},
		{name: "verify-report", group: groupIntegrity, usage: []string{"verify-report REPORT.pdf DIR|PACK.zip [flags]"}, flags: flagsOf[verifyReportFlags](), run: cmdVerifyReport,
			summary: "check a PDF report's exhibits against the case or its pack",
			doc: "Verify-report reads the manifest a Casebook report carries and checks, exhibit by exhibit, that the " +
				"record is still the one the report quoted and its import sealed, that the original still has its SHA-256 " +
				"and holds the record's words at the cited offset, and that the pages print what the manifest records. " +
				"A recipient with the pack can check a report without trusting whoever wrote it. Exits 1 on any mismatch.",
			examples: []string{`casebook report mycase -o checked.pdf && casebook verify-report checked.pdf mycase`,
				`casebook pack mycase -o handover.zip && casebook verify-report checked.pdf handover.zip`}},
		{name: "reindex", group: groupIntegrity, usage: []string{"reindex DIR"}, run: cmdReindex,
			summary:  "rebuild the search index from the database",
			doc:      "Reindex rebuilds the search index from the database, which is the case's record.",
			examples: []string{`casebook reindex mycase`}},
		{name: "pack", group: groupIntegrity, usage: []string{"pack DIR -o FILE.zip [flags]"}, flags: flagsOf[packFlags](), run: cmdPack,
			summary: "pack a case into one file to hand over",
			doc: "Pack writes the whole case into one zip with a manifest of SHA-256 sums, optionally encrypted with " +
				"a passphrase (from $" + passphraseEnv + ", a file, or asked; never a flag value) or to age recipients.",
			examples: []string{`casebook pack mycase -o mycase.zip`,
				`CASEBOOK_PASSPHRASE='correct horse battery' casebook pack mycase -o sealed.zip --passphrase`}},
		{name: "unpack", group: groupIntegrity, usage: []string{"unpack FILE.zip -o DIR [flags]"}, flags: flagsOf[unpackFlags](), run: cmdUnpack,
			summary: "unpack a pack into a new case folder and verify it",
			doc:     "Unpack checks a pack against its manifest, writes it into a new case folder and verifies the case.",
			examples: []string{`casebook unpack mycase.zip -o restored`,
				`CASEBOOK_PASSPHRASE='correct horse battery' casebook unpack sealed.zip -o unsealed`}},

		{name: "help", group: groupProgram, usage: []string{"help [COMMAND|TOPIC]"}, run: cmdHelp,
			summary:  "explain the command line, a command, or a topic",
			doc:      "Help lists the commands, or explains one command (so does COMMAND -h or --help). Topics: " + strings.Join(topicNames(), ", ") + ".",
			examples: []string{`casebook help import`, `casebook help exit-codes`}},
		{name: "version", group: groupProgram, usage: []string{"version [flags]", "--version"}, flags: flagsOf[jsonFlags](), run: cmdVersion,
			summary:  "print the version, Go version and commit",
			doc:      "Version prints Casebook's version, the Go version it was built with and the commit it was built from (with \"modified\" when the tree had uncommitted changes).",
			examples: []string{`casebook version`, `casebook --version`}},
		{name: "completion", group: groupProgram, usage: []string{"completion bash|zsh|fish|powershell"}, run: cmdCompletion,
			summary: "print a shell completion script",
			doc: "Completion prints a script that completes casebook's commands, flags, format names and the tag and " +
				"rule names of the case typed. " + completionInstall,
			examples: []string{`source <(casebook completion bash)`, `casebook completion zsh > _casebook`}},
		{name: "__complete", group: groupProgram, usage: []string{"__complete WORD..."}, run: cmdComplete, hidden: true,
			summary: "the completion scripts' helper: candidates for the last word"},
	}
}
