package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// detailsView shows everything known about the selected hit, segment or
// source: its fields, where it sits in the original, and the original's
// SHA-256.
type detailsView struct {
	title    *widget.Label
	form     *fyne.Container
	actions  *fyne.Container // buttons for what is shown (a speaker, a source)
	tagsRow  *fyne.Container // the Tags heading with Note… and Tag…
	tags     *widget.Label
	tagBtn   *widget.Button
	noteBtn  *widget.Button
	untagBtn *widget.Button // shown while the item has tags
	untagRow *fyne.Container
	// readOnly keeps Tag… and Note… disabled: the case refuses changes.
	readOnly bool
	context  *widget.RichText // notes, statements, related items, history
	rawHead  *widget.Label    // where an event's raw row stands in the original; hidden when none
	raw      *widget.Label    // the event's row as the original has it, under the title
	body     *widget.Label
	// quote holds a segment's words instead of body, to quote by selecting.
	quote     *quoteText
	quoteHint *widget.Label
	box       *fyne.Container
	scroll    *container.Scroll
	content   fyne.CanvasObject
}

// field is one labelled value in the details.
type field struct{ name, value string }

// newDetailsView builds the pane; onTag runs when Tag… is tapped, onNote
// when Note… is, onUntag when Untag… is.
func newDetailsView(onTag, onNote, onUntag func()) *detailsView {
	v := &detailsView{}
	v.untagBtn = widget.NewButtonWithIcon("Untag…", theme.ContentRemoveIcon(), onUntag)
	v.untagBtn.Importance = widget.LowImportance
	v.untagBtn.Disable()
	v.noteBtn = widget.NewButtonWithIcon("Note…", theme.DocumentCreateIcon(), onNote)
	v.noteBtn.Importance = widget.LowImportance
	v.context = widget.NewRichText()
	v.context.Wrapping = fyne.TextWrapWord
	v.tags = widget.NewLabel("")
	v.tags.Wrapping = fyne.TextWrapWord
	v.tagBtn = widget.NewButtonWithIcon("Tag…", theme.ContentAddIcon(), onTag) // Ctrl+T: Help lists the keys
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Wrapping = fyne.TextWrapWord
	v.form = container.New(layout.NewFormLayout())
	v.body = widget.NewLabel("")
	v.body.Wrapping = fyne.TextWrapWord
	v.body.Selectable = true
	v.quote = newQuoteText()
	v.quote.SetMinRowsVisible(4)
	v.quoteHint = widget.NewLabel("Select words here, then Tag… (Ctrl+T) quotes them.")
	v.quoteHint.Importance = widget.LowImportance
	v.quoteHint.Wrapping = fyne.TextWrapWord
	v.rawHead = widget.NewLabel("")
	v.rawHead.Importance = widget.LowImportance
	v.rawHead.Wrapping = fyne.TextWrapWord
	// Fixed width, wrapped at any character: a long row shows whole.
	v.raw = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	v.raw.Wrapping = fyne.TextWrapBreak
	v.raw.Selectable = true
	tagsTitle := widget.NewLabelWithStyle("Tags", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.actions = container.NewVBox()
	v.tagsRow = container.NewBorder(nil, nil, tagsTitle, container.NewHBox(v.noteBtn, v.tagBtn))
	v.untagRow = container.NewHBox(v.untagBtn)
	v.untagRow.Hide()
	v.box = container.NewVBox(v.title, v.rawHead, v.raw, v.form, v.actions, v.tagsRow, v.tags, v.untagRow, v.context,
		widget.NewSeparator(), v.body, v.quote, v.quoteHint)
	v.scroll = container.NewScroll(v.box) // a pane narrower than its buttons scrolls sideways too
	v.content = v.scroll
	v.clear()
	return v
}

// clear shows the hint for an empty selection.
func (v *detailsView) clear() {
	v.set("", nil, "Select a source, a hit or a segment to see where it comes from.")
}

// set replaces what the details show.
func (v *detailsView) set(title string, fields []field, body string) {
	v.title.SetText(title)
	objs := make([]fyne.CanvasObject, 0, 2*len(fields))
	for _, f := range fields {
		if f.value == "" {
			continue
		}
		name := widget.NewLabelWithStyle(f.name, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		value := widget.NewLabel(f.value)
		value.Wrapping = fyne.TextWrapBreak
		value.Selectable = true
		objs = append(objs, name, value)
	}
	v.form.Objects = objs
	v.form.Refresh()
	v.setActions()
	v.tagsRow.Show()
	v.tags.Show()
	v.body.SetText(body)
	v.body.Show()
	v.quote.set("")
	v.quote.Hide()
	v.quoteHint.Hide()
	v.setRaw(model.Event{})
	v.setTags("")
	v.setContext(nil)
	v.relayout()
}

// setRaw shows an event's row as it stands in the original under the
// title; an event without one hides it.
func (v *detailsView) setRaw(e model.Event) {
	v.raw.SetText(e.Raw)
	v.rawHead.SetText(rawHeading(e))
	if e.Raw == "" {
		v.rawHead.Hide()
		v.raw.Hide()
	} else {
		v.rawHead.Show()
		v.raw.Show()
	}
	if v.box != nil {
		v.box.Refresh()
	}
}

// rawHeading says where an event's raw row stands in the original.
func rawHeading(e model.Event) string {
	if e.Line > 0 {
		return fmt.Sprintf("Line %d as it stands in the original", e.Line)
	}
	return "As it stands in the original"
}

// relayout lays the pane out again after its parts changed size, and
// scrolls it to the top.
func (v *detailsView) relayout() {
	v.box.Refresh()
	v.scroll.Refresh()
	v.scroll.ScrollToTop()
}

// setTags shows the item's tags, one a line; tagging needs an item.
func (v *detailsView) setTags(text string) {
	v.tags.SetText(text)
	v.untagBtn.Disable()
	v.untagRow.Hide()
	if v.value("ID") == "" {
		v.tagBtn.Disable()
		v.noteBtn.Disable()
		v.setContext(nil)
		if text == "" {
			v.tags.SetText("—")
		}
		return
	}
	if v.readOnly {
		v.tagBtn.Disable()
		v.noteBtn.Disable()
	} else {
		v.tagBtn.Enable()
		v.noteBtn.Enable()
	}
	if text == "" {
		v.tags.SetText("None yet.")
	}
	if v.box != nil {
		v.box.Refresh()
	}
}

// setUntaggable shows Untag… under the tags while the item shown has some.
func (v *detailsView) setUntaggable(on bool) {
	if !on {
		v.untagBtn.Disable()
		v.untagRow.Hide()
		return
	}
	v.untagRow.Show()
	if v.readOnly {
		v.untagBtn.Disable()
	} else {
		v.untagBtn.Enable()
	}
	v.box.Refresh()
}

// setActions shows buttons for what the details show, under its fields;
// none hides the row.
func (v *detailsView) setActions(objs ...fyne.CanvasObject) {
	v.actions.Objects = objs
	v.actions.Refresh()
	if len(objs) == 0 {
		v.actions.Hide()
	} else {
		v.actions.Show()
	}
}

// hideItemSection hides the tags and notes, for what is not an item (a
// speaker).
func (v *detailsView) hideItemSection() {
	v.tagsRow.Hide()
	v.tags.Hide()
	v.untagRow.Hide()
	v.setContext(nil)
	v.box.Refresh()
}

// value returns the value shown for a field name, for tests.
func (v *detailsView) value(name string) string {
	for i := 0; i+1 < len(v.form.Objects); i += 2 {
		if v.form.Objects[i].(*widget.Label).Text == name {
			return v.form.Objects[i+1].(*widget.Label).Text
		}
	}
	return ""
}

// showSource shows a source's details.
func (v *detailsView) showSource(s model.Source, original string) {
	fields := []field{
		{"ID", sourceUID(s)},
		{"Kind", kindName(s.Kind)},
		{"Format", s.Format},
		{"Encoding", s.Encoding},
		{"Records", plural(s.Records, recordWord(s.Kind))},
		{"Rejected", nonZero(s.Rejects)},
		{"Warnings", nonZero(int64(warningCount(s)))},
		{"Describes", s.Describes},
		{"Time zone", s.TimeZone},
		{"Imported", s.ImportedAt.UTC().Format("2006-01-02 15:04:05Z")},
		{"By", s.Investigator},
		{"Importer", s.Importer},
		{"Size", plural(s.Size, "byte")},
		{"SHA-256", s.SHA256},
		{"Imported from", s.Path},
		{"Original", original},
	}
	body := ""
	if len(s.Warnings) > 0 {
		body = "Warnings:\n" + strings.Join(s.Warnings, "\n")
	}
	title := s.Name
	if s.Title != "" {
		title += " — " + s.Title
	}
	v.set(title, fields, body)
}

// hitScore is a hit's relevance as shown, "" (no row) for a search without
// words, whose hits all rank the same.
func hitScore(s float64) string {
	if s == 0 {
		return ""
	}
	return strconv.FormatFloat(s, 'f', 3, 64)
}

// showHit shows a search hit's details; src is its source when known.
func (v *detailsView) showHit(h casefile.Hit, src model.Source) {
	fields := []field{
		{"ID", h.ID},
		{"Kind", kindName(hitKind(h))},
		{"When", hitWhen(h)},
		{"Speaker", h.Speaker},
		{"Actor", h.Actor},
		{"Country", h.Country},
		{"Score", hitScore(h.Score)},
		{"Source", sourceName(h.SourceID, src)},
		{"SHA-256", src.SHA256},
		{"Line", strconv.Itoa(h.Line)},
		{"Byte offset", strconv.FormatInt(h.Offset, 10)},
		{"Page:line", trCite(h.PageLine)},
	}
	v.set(firstNonEmpty(h.Speaker, h.Actor, h.ID), fields, h.Text)
	if hitKind(h) == model.KindTranscript {
		v.quotable(h.Text)
	}
}

// showEvent shows an access event's details, its raw row in the body.
func (v *detailsView) showEvent(e model.Event, src model.Source) {
	id := model.ItemID{Kind: model.ItemEvent, N: e.ID}.String()
	when := e.TimeText
	if !e.Time.IsZero() {
		when = e.Time.UTC().Format("2006-01-02 15:04:05Z")
	}
	country := e.Country
	if e.CountryFrom != "" && country != "" {
		country += " (from the " + map[string]string{"source": "log", "place": "place table", "ip": "IP table"}[e.CountryFrom] + ")"
	}
	// What the roster and the data map say fills only what the log left
	// empty, and says where it came from.
	office, category, region := e.Office, e.DataCategory, e.SubjectRegion
	if country == "" && e.Context.PersonCountry != "" {
		country = e.Context.PersonCountry + fmt.Sprintf(" (from roster row %d)", e.Context.RosterRow)
	}
	if office == "" && e.Context.PersonOffice != "" {
		office = e.Context.PersonOffice + fmt.Sprintf(" (from roster row %d)", e.Context.RosterRow)
	}
	if category == "" && e.Context.MapCategory != "" {
		category = e.Context.MapCategory + fmt.Sprintf(" (from data map row %d)", e.Context.MapRow)
		if region == "" && e.Context.MapRegion != "" {
			region = e.Context.MapRegion + fmt.Sprintf(" (from data map row %d)", e.Context.MapRow)
		}
	}
	person := ""
	if e.Context.Person != "" {
		person = e.Context.Person + fmt.Sprintf(" (roster row %d)", e.Context.RosterRow)
	}
	records := ""
	if e.RecordCount >= 0 {
		records = thousands(e.RecordCount)
	}
	fields := []field{
		{"ID", id},
		{"When", when},
		{"Actor", e.ActorName},
		{"Actor ID", e.ActorID},
		{"Person", person},
		{"Office", office},
		{"Country", country},
		{"IP", e.IP},
		{"IP country", e.IPCountry},
		{"Action", e.Action},
		{"System", e.System},
		{"Resource", e.Resource},
		{"Category", category},
		{"Region", region},
		{"Records", records},
		{"Approval", firstNonEmpty(e.ApprovalID, "none")},
		{"Approver", e.Approver},
		{"Approver country", e.ApproverCountry},
		{"Purpose", e.Purpose},
		{"Flags", strings.Join(e.Flags, ", ")},
		{"Source", sourceName(sourceUID(src), src)},
		{"SHA-256", src.SHA256},
		{"Row", strconv.Itoa(e.Row)},
		{"Line", strconv.Itoa(e.Line)},
		{"Byte offset", strconv.FormatInt(e.Offset, 10)},
	}
	v.set(firstNonEmpty(e.ActorName, e.ActorID, id), fields, "")
	v.setRaw(e)
}

// showSegment shows a transcript segment's details.
func (v *detailsView) showSegment(s model.Segment, src model.Source) {
	id := model.ItemID{Kind: model.ItemSegment, N: s.ID}.String()
	when := clock(s.StartMS)
	if s.EndMS >= 0 {
		when += " – " + clock(s.EndMS)
	}
	fields := []field{
		{"ID", id},
		{"Segment", strconv.Itoa(s.Seq)},
		{"Speaker", s.Speaker},
		{"When", when},
		{"Source", sourceName(sourceUID(src), src)},
		{"SHA-256", src.SHA256},
		{"Line", strconv.Itoa(s.Line)},
		{"Byte offset", strconv.FormatInt(s.Offset, 10)},
		{"Length", nonZero(s.Length)},
		{"Page:line", trCite(s.PageCite())},
	}
	if s.ByHand {
		// Typed while listening: no place in a file, but who and when.
		fields = append(fields[:6], field{"Typed by hand", firstNonEmpty(s.TypedBy, "(no investigator named)") + ", " +
			s.TypedAt.UTC().Format("2006-01-02 15:04:05Z")})
	}
	v.set(firstNonEmpty(s.Speaker, id), fields, s.Text)
	v.quotable(s.Text)
}

// quotable shows a segment's words where they can be selected to quote
// them, in place of the plain body.
func (v *detailsView) quotable(text string) {
	v.body.Hide()
	v.quote.set(text)
	v.quote.Show()
	v.quoteHint.Show()
	v.relayout()
}

// quoteSelection is the words selected in a segment's text as a character
// range, ok false when the details show no segment or nothing is selected.
func (v *detailsView) quoteSelection() (start, end int, ok bool) {
	if !v.quote.Visible() {
		return 0, 0, false
	}
	return v.quote.selection()
}

// trCite renders a transcript's page and line as cited ("Tr. 982:3–7"), ""
// when the transcript has no pages (the field is then not shown).
func trCite(c string) string {
	if c == "" {
		return ""
	}
	return "Tr. " + c
}

// ipActions are the details' "Search this IP" buttons, one per address an
// event carries; search runs when one is tapped.
func ipActions(ips []string, search func(ip string)) []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, 0, len(ips))
	for _, ip := range ips {
		ip := ip
		out = append(out, widget.NewButtonWithIcon("Search this IP: "+ip, theme.SearchIcon(), func() { search(ip) }))
	}
	return out
}

func sourceName(id string, src model.Source) string {
	if src.Name == "" {
		return id
	}
	return fmt.Sprintf("%s (%s)", src.Name, id)
}

func nonZero(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// itemContext is what the details show below an item's tags.
type itemContext struct {
	notes      []string // "text — by, day"
	statements []string // "contradicts “words”"
	related    []string // item ids
	history    []string // "day time action by"
}

// setContext shows an item's notes, statement links, related items and
// history; nil clears them.
func (v *detailsView) setContext(c *itemContext) {
	var segs []widget.RichTextSegment
	if c != nil {
		section := func(title string, lines []string) {
			if len(lines) == 0 {
				return
			}
			segs = append(segs, &widget.TextSegment{Text: title, Style: widget.RichTextStyle{
				ColorName: theme.ColorNameForeground, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameText}})
			var items []widget.RichTextSegment
			for _, l := range lines {
				items = append(items, &widget.ParagraphSegment{Texts: []widget.RichTextSegment{
					&widget.TextSegment{Text: l, Style: widget.RichTextStyleInline}}})
			}
			segs = append(segs, &widget.ListSegment{Items: items})
		}
		section("Notes", c.notes)
		section("Statements", c.statements)
		section("Related items", c.related)
		section("History", c.history)
	}
	v.context.Segments = segs
	v.context.Refresh()
	if len(segs) == 0 {
		v.context.Hide()
	} else {
		v.context.Show()
	}
	if v.box != nil {
		v.box.Refresh()
	}
}
