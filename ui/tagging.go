package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// tagger is what tagging needs from a case.
type tagger interface {
	Tags(ctx context.Context) ([]casefile.TagInfo, error)
	Tag(ctx context.Context, item model.ItemID, tag string, opts casefile.TagOptions) (casefile.Tagging, error)
	Untag(ctx context.Context, item model.ItemID, tag string) error
	Evidence(ctx context.Context) ([]casefile.Exhibit, error)
}

// selection is the item the details show, which Tag… applies to.
type selection struct {
	item model.ItemID
	text string // a segment's text, for quotes; "" otherwise
}

// tagDialog is the small form that tags the selected item: a tag (one of
// the case's or a new one), a note, and for a segment an optional quote as
// character offsets.
type tagDialog struct {
	c   tagger
	bg  *runner
	win fyne.Window
	sel selection

	tags       []string // the case's tags the select offers
	tag        *dialogSelectEntry
	note       *dialogEntry
	quoteStart *dialogEntry
	quoteEnd   *dialogEntry
	quoted     *widget.Label // the words the offsets quote
	form       *dialog.FormDialog

	onTagged func(model.ItemID) // after the tagging is saved
}

// newTagDialog builds the form; tags are the case's tag names.
func newTagDialog(c tagger, bg *runner, win fyne.Window, sel selection, tags []string) *tagDialog {
	d := &tagDialog{c: c, bg: bg, win: win, sel: sel, tags: tags}
	d.tag = newSelectEntry(tags)
	d.tag.SetPlaceHolder("key-quote, or a new tag")
	d.tag.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("choose or type a tag")
		}
		return nil
	}
	d.note = newMultiLineEntry()
	d.note.Wrapping = fyne.TextWrapWord // a long note wraps, never scrolls sideways
	d.note.SetPlaceHolder("Why it matters (optional)")
	d.note.SetMinRowsVisible(2)
	items := []*widget.FormItem{
		widget.NewFormItem("Tag", d.tag),
		widget.NewFormItem("Note", d.note),
	}
	if sel.item.Kind == model.ItemSegment {
		n := len([]rune(sel.text))
		d.quoteStart = newEntry()
		d.quoteStart.SetPlaceHolder("0")
		d.quoteEnd = newEntry()
		d.quoteEnd.SetPlaceHolder(strconv.Itoa(n))
		start := widget.NewFormItem("Quote from", d.quoteStart)
		start.HintText = fmt.Sprintf("Character offsets in the segment (0 to %d), filled from the words selected in "+
			"the details; empty tags the whole segment.", n)
		d.quoted = widget.NewLabel("")
		d.quoted.Wrapping = fyne.TextWrapWord
		d.quoteStart.OnChanged = func(string) { d.showQuoted() }
		d.quoteEnd.OnChanged = func(string) { d.showQuoted() }
		d.showQuoted()
		items = append(items, start, widget.NewFormItem("Quote to", d.quoteEnd), widget.NewFormItem("Quote", d.quoted))
	}
	d.form = dialog.NewForm("Tag "+sel.item.String(), "Tag", "Cancel", items, func(ok bool) {
		if ok {
			d.submit()
		}
	}, win)
	d.form.Resize(fyne.NewSize(460, 0))
	return d
}

// setQuote fills the quote's offsets with a character range of the
// segment's text: the words selected in the details.
func (d *tagDialog) setQuote(start, end int) {
	if d.quoteStart == nil {
		return
	}
	d.quoteStart.SetText(strconv.Itoa(start))
	d.quoteEnd.SetText(strconv.Itoa(end))
}

// showQuoted shows the words the offsets quote as they are typed, or why
// they quote none.
func (d *tagDialog) showQuoted() {
	q, err := d.quote()
	rs := []rune(d.sel.text)
	switch {
	case err != nil:
		d.quoted.SetText(sentence(err))
	case q == "":
		d.quoted.SetText("The whole segment.")
	default:
		a, b, _ := casefile.ParseQuote(q)
		if b > len(rs) {
			d.quoted.SetText(fmt.Sprintf("The segment has %d characters: the quote must end by then.", len(rs)))
			return
		}
		d.quoted.SetText("“" + string(rs[a:b]) + "”")
	}
}

// quote returns the quote as "START:END", "" for the whole item.
func (d *tagDialog) quote() (string, error) {
	if d.quoteStart == nil {
		return "", nil
	}
	a, b := strings.TrimSpace(d.quoteStart.Text), strings.TrimSpace(d.quoteEnd.Text)
	if a == "" && b == "" {
		return "", nil
	}
	if a == "" {
		a = "0"
	}
	if b == "" {
		b = strconv.Itoa(len([]rune(d.sel.text)))
	}
	q := a + ":" + b
	if _, _, err := casefile.ParseQuote(q); err != nil {
		return "", fmt.Errorf("the quote needs a start below its end, both whole numbers")
	}
	return q, nil
}

// submit saves the tagging in a goroutine and reports the outcome.
func (d *tagDialog) submit() {
	q, err := d.quote()
	if err != nil {
		dialog.ShowInformation("Could not tag", sentence(err), d.win)
		return
	}
	tag, opts := strings.TrimSpace(d.tag.Text), casefile.TagOptions{Note: strings.TrimSpace(d.note.Text), Quote: q}
	item := d.sel.item
	d.bg.spawn(func() {
		_, err := d.c.Tag(context.Background(), item, tag, opts)
		d.bg.do(func() {
			if err != nil {
				dialog.ShowInformation("Could not tag", sentence(err), d.win)
				return
			}
			if d.onTagged != nil {
				d.onTagged(item)
			}
		})
	})
}

// onTag opens the tag form for the selected item (Ctrl+T).
func (v *caseView) onTag() {
	if v.refuseChange() {
		return
	}
	if v.sel.item.N == 0 {
		dialog.ShowInformation("Nothing selected", "Select a hit or a segment first, then tag it.", v.g.win)
		return
	}
	sel := v.sel
	qa, qb, quoted := v.details.quoteSelection() // the words selected in the details, quoted
	v.g.bg.spawn(func() {
		infos, err := v.c.Tags(context.Background())
		v.g.bg.do(func() {
			if v.g.cv != v || v.sel != sel {
				return
			}
			var names []string
			for _, t := range infos {
				if !t.Deleted && t.MergedInto == "" {
					names = append(names, t.Name)
				}
			}
			slices.Sort(names)
			if err != nil {
				v.g.showError("Could not list the tags", err)
			}
			d := newTagDialog(v.c, v.g.bg, v.g.win, sel, names)
			d.onTagged = v.onTagged
			if quoted {
				d.setQuote(qa, qb)
			}
			v.tagDialog = d
			d.form.Show()
			v.g.win.Canvas().Focus(d.tag)
		})
	})
}

// onTagged refreshes what shows tags after a tagging.
func (v *caseView) onTagged(item model.ItemID) {
	if v.sel.item == item {
		v.loadItemTags(item)
	}
	v.review.invalidate(v.tabs.Selected() == v.reviewTab)
	v.loadTagOptions()
}

// loadTagOptions offers the case's tags in the search's tag filter.
func (v *caseView) loadTagOptions() {
	v.g.bg.spawn(func() {
		infos, err := v.c.Tags(context.Background())
		v.g.bg.do(func() {
			if err != nil || v.g.cv != v {
				return
			}
			var names []string
			for _, t := range infos {
				if !t.Deleted && t.MergedInto == "" {
					names = append(names, t.Name)
				}
			}
			v.results.filters.offer("tag", names)
		})
	})
}

// loadItemTags shows the confirmed tags of item in the details, and its
// notes, statement links, related items and history, fetched in a
// goroutine.
func (v *caseView) loadItemTags(item model.ItemID) {
	key := item.String()
	v.g.bg.spawn(func() {
		ctx := context.Background()
		ex, err := v.c.Evidence(ctx)
		notes, _ := v.c.Notes(ctx, item, "")
		related, _ := v.c.Related(ctx, item)
		sts, _ := v.c.Statements(ctx)
		trail, _ := v.c.AuditTrail(ctx)
		v.g.bg.do(func() {
			if v.g.cv != v || v.sel.item != item {
				return
			}
			if err != nil {
				v.details.setTags("Could not read the tags: " + sentence(err))
				return
			}
			var tags, names []string
			for _, e := range ex {
				if e.Item == key {
					t := e.Tag + " (" + e.Exhibit + ")"
					if e.Quote != "" {
						t += ": “" + oneLine(e.Quote) + "”"
					}
					if e.Note != "" {
						t += " — " + oneLine(e.Note)
					}
					tags = append(tags, t)
					if !slices.Contains(names, e.Tag) {
						names = append(names, e.Tag)
					}
				}
			}
			v.details.setTags(strings.Join(tags, "\n"))
			if item.Kind == model.ItemSegment {
				v.reader.setMark(item.N, casefile.SegmentMark{Tags: len(tags), Notes: len(notes)})
				v.reader.reloadQuotes(item.N)
			}
			v.itemTags = names
			v.details.setUntaggable(len(names) > 0)
			v.details.setContext(itemContextOf(key, notes, related, sts, trail))
		})
	})
}

// itemContextOf gathers what the details show about an item besides its
// tags: notes, the statements it is linked to, related items, and the
// audit trail's entries that name it.
func itemContextOf(key string, notes []model.Note, related []string, sts []casefile.Statement, trail []model.AuditEntry) *itemContext {
	c := &itemContext{related: related}
	for _, n := range notes {
		line := oneLine(n.Text) + " — " + firstNonEmpty(n.By, "?") + ", " + n.At.UTC().Format("2006-01-02")
		if n.Private {
			line += " (private)"
		}
		c.notes = append(c.notes, line)
	}
	for _, s := range sts {
		for _, l := range s.Links {
			if l.Item == key {
				c.statements = append(c.statements, l.Relation+" “"+clipRunes(oneLine(s.Words), 80)+"” ("+s.Who+")")
			}
		}
	}
	quoted := `"` + key + `"`
	for _, a := range trail {
		if strings.Contains(a.Detail, quoted) {
			c.history = append(c.history, a.At.UTC().Format("2006-01-02 15:04")+" "+a.Action+" by "+firstNonEmpty(a.Actor, "?"))
		}
	}
	if len(c.history) > 20 {
		c.history = append(c.history[:20], fmt.Sprintf("… and %d more", len(c.history)-20))
	}
	return c
}

// onUntag asks which of the selected item's tags to take off, and takes it
// off (the tagging is kept in the record as removed).
func (v *caseView) onUntag() {
	item := v.sel.item
	if item.N == 0 || len(v.itemTags) == 0 || v.refuseChange() {
		return
	}
	pick := newDialogSelect(v.itemTags, nil)
	pick.SetSelected(v.itemTags[0])
	it := widget.NewFormItem("Tag", pick)
	it.HintText = "The exhibit is withdrawn; the audit trail keeps that it was tagged and untagged."
	d := dialog.NewForm("Untag "+item.String(), "Untag", "Cancel", []*widget.FormItem{it}, func(ok bool) {
		if !ok || pick.Selected == "" {
			return
		}
		tag := pick.Selected
		v.g.bg.spawn(func() {
			err := v.c.Untag(context.Background(), item, tag)
			v.g.bg.do(func() {
				if err != nil {
					v.g.showError("The tag was not taken off", err)
					return
				}
				if v.g.cv == v {
					v.onTagged(item)
					v.loadOverview()
				}
			})
		})
	}, v.g.win)
	d.Resize(fyne.NewSize(460, 0))
	v.untagDialog = d
	d.Show()
}
