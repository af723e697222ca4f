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
	title   *widget.Label
	form    *fyne.Container
	tags    *widget.Label
	tagBtn  *widget.Button
	body    *widget.Label
	content fyne.CanvasObject
}

// field is one labelled value in the details.
type field struct{ name, value string }

// newDetailsView builds the pane; onTag runs when Tag… is tapped.
func newDetailsView(onTag func()) *detailsView {
	v := &detailsView{}
	v.tags = widget.NewLabel("")
	v.tags.Wrapping = fyne.TextWrapWord
	v.tagBtn = widget.NewButtonWithIcon("Tag… (Ctrl+T)", theme.ContentAddIcon(), onTag)
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Wrapping = fyne.TextWrapWord
	v.form = container.New(layout.NewFormLayout())
	v.body = widget.NewLabel("")
	v.body.Wrapping = fyne.TextWrapWord
	v.body.Selectable = true
	tagsTitle := widget.NewLabelWithStyle("Tags", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.content = container.NewVScroll(container.NewVBox(v.title, v.form,
		container.NewBorder(nil, nil, tagsTitle, v.tagBtn), v.tags, widget.NewSeparator(), v.body))
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
	v.body.SetText(body)
	v.setTags("")
}

// setTags shows the item's tags, one a line; tagging needs an item.
func (v *detailsView) setTags(text string) {
	v.tags.SetText(text)
	if v.value("ID") == "" {
		v.tagBtn.Disable()
		if text == "" {
			v.tags.SetText("—")
		}
		return
	}
	v.tagBtn.Enable()
	if text == "" {
		v.tags.SetText("None yet.")
	}
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

// showHit shows a search hit's details; src is its source when known.
func (v *detailsView) showHit(h casefile.Hit, src model.Source) {
	fields := []field{
		{"ID", h.ID},
		{"Kind", kindName(hitKind(h))},
		{"When", hitWhen(h)},
		{"Speaker", h.Speaker},
		{"Actor", h.Actor},
		{"Country", h.Country},
		{"Score", strconv.FormatFloat(h.Score, 'f', 3, 64)},
		{"Source", sourceName(h.SourceID, src)},
		{"SHA-256", src.SHA256},
		{"Line", strconv.Itoa(h.Line)},
		{"Byte offset", strconv.FormatInt(h.Offset, 10)},
	}
	v.set(firstNonEmpty(h.Speaker, h.Actor, h.ID), fields, h.Text)
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
	}
	v.set(firstNonEmpty(s.Speaker, id), fields, s.Text)
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
