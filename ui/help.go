package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// searchHelp is the in-app help for the query language (the README has the
// same table). Code spans are written with ^ in the source and turned into
// backquotes, which a Go raw string cannot hold.
var searchHelp = strings.ReplaceAll(searchHelpSource, "^", "`")

const searchHelpSource = `## Search syntax

Words are found in any form (*approve* finds *approved*); several words must all be there.

- ^"user data"^ — the exact phrase
- ^"seen china"~5^ — all the words, at most 5 other words apart
- ^master OR admin^ — either word
- ^data NOT test^, ^data -test^ — the first without the second
- ^(master OR admin) AND "user data"^ — grouping: NOT, then AND, then OR
- ^speaker:"Mia Chen"^, ^speaker:mia^ — a speaker (whole name, or one word of it)
- ^actor:zhang^, ^office:Beijing^, ^country:CN^ — who, where, which country
- ^kind:event^ (or ^accesslog^), ^kind:segment^ (or ^transcript^) — access events or transcript segments
- ^ip:203.0.113.7^, ^ip:203.0.113.0/24^, ^ip:2001:db8::/32^ — events carrying an IP address, or one in a CIDR range (IPv4 and IPv6); a bare address typed alone also finds them
- ^daclitan^, ^auth.log^ — every word of an event's raw line, and the parts of addresses, host names and paths
- ^approval:no^, ^category:phone^ — events without an approval id; a data category
- ^tag:foreign-access^, ^note:counsel^ — tagged items; items whose notes say it
- ^source:src-7^ — one source
- ^time:[2022-01-01 TO 2022-03-31]^ — a date range (whole days, both ends included)
- ^time:2022-03^, ^time:>=2022-02-01^ — a month; from a day on
- ^records:>1000^, ^records:[10 TO 100]^ — record counts
- ^acc*ss^, ^adm?n^ — wildcards
- ^admn~1^ — words one edit away
- ^/reg.x/^ — a regular expression (lower case)
- ^*^ — everything (with the filters below the bar)

A query that cannot be read is explained under the search bar, with the column where it went wrong.

Accents do not matter: ^angeles^ finds *Ángeles*, ^speaker:"jorg muller"^ finds *Jörg Müller*. A quoted phrase or a name typed with its accents (^"Los Ángeles"^) finds only that spelling.

Chinese, Japanese and Korean are searched as written.`

// onSearchHelp shows the query language.
func (g *gui) onSearchHelp() {
	text := widget.NewRichTextFromMarkdown(searchHelp)
	text.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(text)
	scroll.SetMinSize(fyne.NewSize(680, 480))
	dialog.ShowCustom("Search syntax", "Close", scroll, g.win)
}

// onShortcutsHelp lists every key of the window, from keyBindings.
func (g *gui) onShortcutsHelp() { g.showHelp("Keyboard shortcuts", shortcutsHelp()) }

// onFirstCaseHelp is the short guide to a first case.
func (g *gui) onFirstCaseHelp() { g.showHelp("Your first case", firstCaseHelp) }

// showHelp shows a page of help in Markdown, wrapped and scrolled.
func (g *gui) showHelp(title, markdown string) {
	text := widget.NewRichTextFromMarkdown(markdown)
	text.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(text)
	scroll.SetMinSize(fyne.NewSize(680, 480))
	dialog.ShowCustom(title, "Close", scroll, g.win)
}

// firstCaseHelp is Help → Your first case: the way through a case, from
// the first import to the report.
const firstCaseHelp = `## Your first case

1. **Make the case.** File → New case… asks for a title, your name and a folder. To look around first, open the demo case (File → Open the demo case): a fictional company's meetings and nine months of its access log.
2. **Bring the files in.** Drop transcripts and access logs on the window, or use Case → Import files…. Each original is kept byte for byte under its SHA-256; a log whose columns Casebook cannot place asks you to place them.
3. **Read the overview.** Opening a case shows what it holds — sources, meetings, the span of dates, events by country — and what waits for you, each with a button that takes you there.
4. **Run the rules.** Evidence → Run rules looks for protected data touched from abroad, access with no approval, bulk reads, off-hours work, impossible travel and more (Evidence → Edit rules… shows each). Their suggestions wait in the Review tab: A accepts, R rejects, J and K move. Accepted items become exhibits with their own numbers.
5. **Search.** Ctrl+F goes to the search bar; Help → Search syntax lists what it understands. Filters and the facets on the left narrow the hits; every hit traces to its file, line and byte.
6. **Tag and note.** Ctrl+T tags what the details show (a quote too); notes say what you noticed and what to check next.
7. **Hold statements to the evidence.** In the Statements tab, record what was claimed and link the items that support or contradict it.
8. **Report.** Ctrl+E exports the PDF: the exhibits, the statements, the sources with their SHA-256, and a manifest that Case → Verify a report against the case checks later.

Case → Verify case re-reads every original and record against its seal at any time.`

// onFormatsHelp lists the formats Casebook imports.
func (g *gui) onFormatsHelp() {
	text := widget.NewRichTextFromMarkdown(formatsHelp())
	text.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(text)
	scroll.SetMinSize(fyne.NewSize(680, 480))
	dialog.ShowCustom("Formats", "Close", scroll, g.win)
}

// formatsHelp is the list of formats, in Markdown.
func formatsHelp() string {
	var b strings.Builder
	b.WriteString("## Formats Casebook reads\n\nDrop files or folders on the window, or use Case → Import files…; " +
		"the format is recognised by itself. ZIP and gzip files are opened and each file in them imported.\n\n")
	for _, f := range casefile.Formats() {
		kind := "access log"
		if f.Kind == string(model.KindTranscript) {
			kind = "transcript"
		}
		fmt.Fprintf(&b, "- **%s** — %s (%s)\n", f.Title, kind, f.Name)
	}
	b.WriteString("\nAn access log whose columns Casebook cannot place opens the mapping dialog, to place them by hand.")
	return b.String()
}
