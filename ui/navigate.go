package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// contextOpener is what opening an item in context needs from a case.
type contextOpener interface {
	Segment(ctx context.Context, id int64) (model.Segment, error)
	Event(ctx context.Context, id int64) (model.Event, error)
	AccessLogPosition(ctx context.Context, eventID int64) (sourceID int64, row int, err error)
}

// place is where the investigator was: a tab, and in the Reader or the
// Access log the source shown and the item selected there.
type place struct {
	tab    *container.TabItem
	source model.Source
	item   model.ItemID // the segment or event selected, zero when none
	marks  [][2]int     // the words marked in a segment
}

// maxHistory is how many places Back remembers.
const maxHistory = 100

// history is where Back and Forward go: the places left by opening items
// in context, and those left by going back.
type history struct {
	back, fwd []place
}

// here is the place the window shows now.
func (v *caseView) here() place {
	p := place{tab: v.tabs.Selected()}
	switch p.tab {
	case v.readerTab:
		p.source = v.reader.source
		if s, ok := v.reader.selectedSegment(); ok {
			p.item = model.ItemID{Kind: model.ItemSegment, N: s.ID}
			p.marks = v.reader.marks[s.ID]
		}
	case v.logTab:
		p.source = v.alog.source
		if e, ok := v.alog.selectedEvent(); ok {
			p.item = model.ItemID{Kind: model.ItemEvent, N: e.ID}
		}
	}
	return p
}

// openInContext shows an item where it stands: a segment selected in the
// Reader among its neighbours, marks (byte ranges of its text) marked; an
// event selected in its Access log table, its raw row in the details; a
// source shown as when picked on the left. Back returns to where the
// window was.
func (v *caseView) openInContext(item model.ItemID, marks [][2]int) {
	from := v.here()
	switch item.Kind {
	case model.ItemSource:
		s, ok := v.sources.source(item.String())
		if !ok {
			v.g.showError("Cannot open "+item.String(), errNotListed)
			return
		}
		v.remember(from)
		v.onSourceSelected(s)
		return
	case model.ItemSegment, model.ItemEvent:
	default:
		return
	}
	v.g.bg.spawn(func() {
		ctx := context.Background()
		var to place
		var err error
		var srcID int64
		if item.Kind == model.ItemSegment {
			var s model.Segment
			s, err = v.c.Segment(ctx, item.N)
			srcID = s.SourceID
			to = place{tab: v.readerTab, item: item, marks: marks}
		} else {
			srcID, _, err = v.c.AccessLogPosition(ctx, item.N)
			to = place{tab: v.logTab, item: item}
		}
		v.g.bg.do(func() {
			if v.g.cv != v {
				return
			}
			if err != nil {
				v.g.showError("Cannot open "+item.String(), err)
				return
			}
			to.source = v.sourceOf(srcID)
			v.remember(from)
			v.show(to)
		})
	})
}

// errNotListed says an item's source is not among the case's sources.
var errNotListed = errors.New("its source is not in the case's list of sources")

// sourceOf is a source of the case by id, as listed on the left (its id
// only while the list is loading).
func (v *caseView) sourceOf(id int64) model.Source {
	uid := model.ItemID{Kind: model.ItemSource, N: id}.String()
	if s, ok := v.sources.source(uid); ok {
		return s
	}
	return model.Source{ID: id, Name: uid}
}

// remember keeps a place for Back, unless it is where Back already goes,
// and forgets the places Forward would go to.
func (v *caseView) remember(p place) {
	if n := len(v.hist.back); n > 0 && samePlace(v.hist.back[n-1], p) {
		v.hist.fwd = nil
		return
	}
	v.hist.back = append(v.hist.back, p)
	if len(v.hist.back) > maxHistory {
		v.hist.back = v.hist.back[1:]
	}
	v.hist.fwd = nil
	v.updateNavButtons()
}

func samePlace(a, b place) bool {
	return a.tab == b.tab && a.source.ID == b.source.ID && a.item == b.item
}

// goBack returns to the place before the last item opened in context
// (Alt+←).
func (v *caseView) goBack() { v.retrace(&v.hist.back, &v.hist.fwd) }

// goForward goes where Back came from (Alt+→).
func (v *caseView) goForward() { v.retrace(&v.hist.fwd, &v.hist.back) }

// retrace shows the last place of from, keeping the place left in to.
func (v *caseView) retrace(from, to *[]place) {
	n := len(*from)
	if n == 0 {
		return
	}
	p := (*from)[n-1]
	*from = (*from)[:n-1]
	*to = append(*to, v.here())
	v.show(p)
	v.updateNavButtons()
}

// show brings a place back: its tab, and in the Reader or the Access log
// its source and item, selected; elsewhere the tab's own selection, shown
// in the details again.
func (v *caseView) show(p place) {
	switch p.tab {
	case v.readerTab:
		if p.item.N != 0 {
			v.reader.open(p.source, p.item.N, p.marks)
		} else if p.source.ID != 0 && p.source.ID != v.reader.source.ID {
			v.reader.load(p.source)
		}
	case v.logTab:
		if p.item.N != 0 {
			v.showLogEvent(p.source, p.item.N)
		} else if p.source.ID != 0 && p.source.ID != v.alog.source.ID {
			v.alog.load(p.source)
		}
	case v.searchTab:
		if i := v.results.list.selectedRow(); i >= 0 {
			v.onHitSelected(v.results.hits[i])
		}
	case v.reviewTab:
		if r, ok := v.review.current(); ok && !r.header() {
			v.onSuggestionSelected(r.t, v.review.ruleName(r.rule))
		}
	}
	if p.tab != nil && v.tabs.Selected() != p.tab {
		v.tabs.Select(p.tab)
	}
}

// showLogEvent selects an event in its access log's table, found by its
// row in the file's order.
func (v *caseView) showLogEvent(src model.Source, event int64) {
	v.g.bg.spawn(func() {
		_, row, err := v.c.AccessLogPosition(context.Background(), event)
		v.g.bg.do(func() {
			if v.g.cv != v {
				return
			}
			if err != nil {
				v.g.showError("Cannot open "+model.ItemID{Kind: model.ItemEvent, N: event}.String(), err)
				return
			}
			v.alog.open(src, row)
		})
	})
}

// updateNavButtons enables Back and Forward when they go somewhere.
func (v *caseView) updateNavButtons() {
	if v.backBtn == nil {
		return
	}
	for _, b := range []struct {
		btn *widget.Button
		on  bool
	}{{v.backBtn, len(v.hist.back) > 0}, {v.fwdBtn, len(v.hist.fwd) > 0}} {
		if b.on {
			b.btn.Enable()
		} else {
			b.btn.Disable()
		}
	}
}

// navButtons are the toolbar's Back and Forward.
func (v *caseView) navButtons() []fyne.CanvasObject {
	v.backBtn = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), v.goBack)
	v.fwdBtn = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), v.goForward)
	for _, b := range []*widget.Button{v.backBtn, v.fwdBtn} {
		b.Importance = widget.LowImportance
	}
	v.updateNavButtons()
	return []fyne.CanvasObject{v.backBtn, v.fwdBtn}
}

// openButton is the details' "Open in context" for an item shown outside
// its transcript or log.
func (v *caseView) openButton(item model.ItemID, marks [][2]int) fyne.CanvasObject {
	what := "Open in the Reader"
	if item.Kind == model.ItemEvent {
		what = "Open in the Access log"
	}
	// Short enough for a narrow Details pane; Help lists double-click and Enter.
	return widget.NewButtonWithIcon(what, theme.NavigateNextIcon(), func() { v.openInContext(item, marks) })
}

// openHit opens a search hit in context with its matches marked.
func (v *caseView) openHit(h casefile.Hit) {
	if id, err := model.ParseItemID(h.ID); err == nil {
		v.openInContext(id, h.Marks)
	}
}

// openExhibit opens an exhibit's item in context, its quote marked.
func (v *caseView) openExhibit(e casefile.Exhibit) {
	id, err := model.ParseItemID(e.Item)
	if err != nil {
		return
	}
	if id.Kind != model.ItemSegment || e.Quote == "" {
		v.openInContext(id, nil)
		return
	}
	v.g.bg.spawn(func() {
		s, err := v.c.Segment(context.Background(), id.N)
		v.g.bg.do(func() {
			var marks [][2]int
			if i := strings.Index(s.Text, e.Quote); err == nil && i >= 0 {
				marks = [][2]int{{i, i + len(e.Quote)}}
			}
			v.openInContext(id, marks)
		})
	})
}

// openLinked opens a statement's linked item in context.
func (v *caseView) openLinked(item string) {
	if id, err := model.ParseItemID(item); err == nil {
		v.openInContext(id, nil)
	}
}

// onEnter folds or unfolds the selected heading of the queue, or opens the
// selected suggestion's item in context (Enter, double-click).
func (v *reviewView) onEnter() {
	if r, ok := v.current(); ok && !r.header() {
		if v.onOpen != nil {
			v.onOpen(r.t)
		}
		return
	}
	v.toggle(v.selected)
}

// showRawRow adds an event's row as it stands in the original to the
// details showing it as a search hit.
func (v *caseView) showRawRow(item model.ItemID) {
	v.g.bg.spawn(func() {
		e, err := v.c.Event(context.Background(), item.N)
		v.g.bg.do(func() {
			if err == nil && v.g.cv == v && v.sel.item == item {
				v.details.setRaw(e)
			}
		})
	})
}

// onSearched keeps the details in step with a search the investigator
// ran: an item among its hits is selected again, any other segment or
// event leaves the details.
func (v *caseView) onSearched(fresh bool) {
	item := v.sel.item
	if !fresh || (item.Kind != model.ItemSegment && item.Kind != model.ItemEvent) {
		return
	}
	key := item.String()
	for i, h := range v.results.hits {
		if h.ID == key {
			v.results.list.Select(i)
			return
		}
	}
	v.details.clear()
	v.selectItem(selection{})
}
