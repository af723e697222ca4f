package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// anyOption is the first option of each filter select: no filter.
const anyOption = "(any)"

// filterBar holds the search's filters: selects for kind, country, tag and
// approval, a From/To pair of dates, the sort order, and a row of chips that
// lists every active filter with a button to drop it. Facet clicks add
// filters through add.
type filterBar struct {
	kind, country, tag, approval *widget.Select
	from, to                     *widget.Entry
	sort                         *widget.Select
	chips                        *fyne.Container
	chipRow                      *container.Scroll
	content                      fyne.CanvasObject

	// Touched on the UI goroutine only.
	f     casefile.Filters
	quiet bool // set while the bar changes its own selects

	onChanged func() // a filter or the sort changed: search again
}

// sortRelevance and sortTime are the sort selector's options.
const (
	sortRelevance = "Relevance"
	sortTime      = "Time"
)

func newFilterBar() *filterBar {
	b := &filterBar{}
	mk := func(placeholder string, options []string, set func(*casefile.Filters, string)) *widget.Select {
		s := widget.NewSelect(append([]string{anyOption}, options...), nil)
		s.PlaceHolder = placeholder
		s.OnChanged = func(v string) {
			if b.quiet {
				return
			}
			if v == anyOption {
				v = ""
				b.quiet = true
				s.ClearSelected()
				b.quiet = false
			}
			set(&b.f, v)
			b.changed()
		}
		return s
	}
	b.kind = mk("Kind", []string{"segment", "event"}, func(f *casefile.Filters, v string) { f.Kind = v })
	b.country = mk("Country", nil, func(f *casefile.Filters, v string) { f.Country = v })
	b.tag = mk("Tag", nil, func(f *casefile.Filters, v string) { f.Tag = v })
	b.approval = mk("Approval", []string{"yes", "no"}, func(f *casefile.Filters, v string) { f.Approval = v })
	b.from = widget.NewEntry()
	b.from.SetPlaceHolder("From YYYY-MM-DD")
	b.to = widget.NewEntry()
	b.to.SetPlaceHolder("To YYYY-MM-DD")
	for _, e := range []*widget.Entry{b.from, b.to} {
		e.Validator = validDate
		e.OnSubmitted = func(string) { b.changed() }
	}
	b.sort = widget.NewSelect([]string{sortRelevance, sortTime}, func(string) {
		if !b.quiet {
			b.changed()
		}
	})
	b.quiet = true
	b.sort.SetSelected(sortRelevance)
	b.quiet = false
	b.chips = container.NewHBox()
	b.chipRow = container.NewHScroll(b.chips)
	b.chipRow.Hide()
	b.content = container.NewVBox(
		container.NewGridWithColumns(3, b.kind, b.country, b.tag),
		container.NewGridWithColumns(3, b.approval, b.from, b.to),
		b.chipRow,
	)
	return b
}

// validDate accepts what casefile.Filters.From and To take, or nothing.
func validDate(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01", "2006", time.RFC3339} {
		if _, err := time.Parse(layout, s); err == nil {
			return nil
		}
	}
	return fmt.Errorf("want a date as YYYY-MM-DD")
}

// filters returns the active filters, the dates as typed.
func (b *filterBar) filters() casefile.Filters {
	f := b.f
	f.From, f.To = strings.TrimSpace(b.from.Text), strings.TrimSpace(b.to.Text)
	return f
}

// dateError says what is wrong with the dates, or returns "".
func (b *filterBar) dateError() string {
	for _, e := range []struct {
		name  string
		entry *widget.Entry
	}{{"From", b.from}, {"To", b.to}} {
		if err := validDate(e.entry.Text); err != nil {
			return fmt.Sprintf("%s date %q: write it as YYYY-MM-DD (or YYYY-MM, YYYY).", e.name, e.entry.Text)
		}
	}
	return ""
}

// byTime reports whether hits are sorted by time.
func (b *filterBar) byTime() bool { return b.sort.Selected == sortTime }

// add sets one filter, as a facet click does, and searches again. The
// month facet sets both dates to that month.
func (b *filterBar) add(field, value string) {
	b.set(field, value)
	b.changed()
}

// set sets one filter without searching; value "" clears it.
func (b *filterBar) set(field, value string) {
	b.quiet = true
	defer func() { b.quiet = false }()
	choose := func(s *widget.Select) {
		if value == "" {
			s.ClearSelected()
			return
		}
		if !slices.Contains(s.Options, value) {
			s.SetOptions(append(s.Options, value))
		}
		s.SetSelected(value)
	}
	switch field {
	case "kind":
		b.f.Kind = value
		choose(b.kind)
	case "country":
		b.f.Country = value
		choose(b.country)
	case "tag":
		b.f.Tag = value
		choose(b.tag)
	case "approval":
		b.f.Approval = value
		choose(b.approval)
	case "speaker":
		b.f.Speaker = value
	case "actor":
		b.f.Actor = value
	case "source":
		b.f.Source = value
	case "office":
		b.f.Office = value
	case "category":
		b.f.Category = value
	case "ip":
		b.f.IP = value
	case "month", "from", "to":
		if field != "to" {
			b.from.SetText(value)
		}
		if field != "from" {
			b.to.SetText(value)
		}
	}
}

// changed redraws the chips and tells the results to search again.
func (b *filterBar) changed() {
	b.refreshChips()
	if b.onChanged != nil {
		b.onChanged()
	}
}

// active lists the active filters as field and value, in a fixed order.
func (b *filterBar) active() [][2]string {
	f := b.filters()
	var out [][2]string
	for _, p := range [][2]string{{"kind", f.Kind}, {"country", f.Country}, {"tag", f.Tag}, {"approval", f.Approval},
		{"speaker", f.Speaker}, {"actor", f.Actor}, {"source", f.Source}, {"office", f.Office},
		{"category", f.Category}, {"ip", f.IP}, {"from", f.From}, {"to", f.To}} {
		if p[1] != "" {
			out = append(out, p)
		}
	}
	return out
}

// describe sums the active filters up, such as "country CN, tag bulk".
func (b *filterBar) describe() string {
	var parts []string
	for _, p := range b.active() {
		parts = append(parts, p[0]+" "+p[1])
	}
	return strings.Join(parts, ", ")
}

// refreshChips shows one chip per active filter; tapping it drops the filter.
func (b *filterBar) refreshChips() {
	act := b.active()
	objs := make([]fyne.CanvasObject, 0, len(act)+1)
	for _, p := range act {
		field := p[0]
		chip := widget.NewButtonWithIcon(p[0]+": "+p[1], theme.CancelIcon(), func() {
			b.set(field, "")
			b.changed()
		})
		chip.IconPlacement = widget.ButtonIconTrailingText
		chip.Importance = widget.LowImportance
		objs = append(objs, chip)
	}
	if len(act) > 1 {
		clear := widget.NewButton("Clear all", func() {
			for _, p := range b.active() {
				b.set(p[0], "")
			}
			b.changed()
		})
		clear.Importance = widget.LowImportance
		objs = append(objs, clear)
	}
	b.chips.Objects = objs
	b.chips.Refresh()
	if len(objs) == 0 {
		b.chipRow.Hide()
	} else {
		b.chipRow.Show()
	}
}

// offer adds values the case holds to the selects' options: countries and
// tags seen in facets or in the case's tag list.
func (b *filterBar) offer(field string, values []string) {
	var s *widget.Select
	switch field {
	case "country":
		s = b.country
	case "tag":
		s = b.tag
	default:
		return
	}
	opts := slices.Clone(s.Options[1:])
	for _, v := range values {
		if v != "" && !slices.Contains(opts, v) {
			opts = append(opts, v)
		}
	}
	slices.Sort(opts)
	s.SetOptions(append([]string{anyOption}, opts...))
}
