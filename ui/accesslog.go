package ui

import (
	"context"
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/model"
)

// eventPager is what the access-log table needs from a case.
type eventPager interface {
	AccessLogEvents(ctx context.Context, sourceID int64, column string, desc bool, offset, limit int) ([]model.Event, error)
}

// logPage is how many events the table fetches at a time.
const logPage = 500

// logMaxPages is how many pages the table keeps; scrolling further drops
// the others.
const logMaxPages = 40

// logColumn is one column of the access-log table.
type logColumn struct {
	title, sort string // sort: the casefile column it sorts by
	width       float32
	value       func(model.Event) string
}

// logColumns are the table's columns, in order.
var logColumns = []logColumn{
	{"Row", "row", 64, func(e model.Event) string { return strconv.Itoa(e.Row) }},
	{"Time (UTC)", "time", 170, func(e model.Event) string {
		if e.Time.IsZero() {
			return e.TimeText
		}
		return e.Time.UTC().Format("2006-01-02 15:04:05")
	}},
	{"Actor", "actor", 140, func(e model.Event) string { return firstNonEmpty(e.ActorName, e.ActorID) }},
	{"Country", "country", 84, eventCountry},
	{"Records", "records", 96, func(e model.Event) string {
		if e.RecordCount < 0 {
			return ""
		}
		return thousands(e.RecordCount)
	}},
	{"Approval", "approval", 150, func(e model.Event) string {
		if e.ApprovalID == "" {
			return "none"
		}
		return e.ApprovalID
	}},
	{"Category", "category", 130, func(e model.Event) string { return e.DataCategory }},
	{"Region", "region", 76, func(e model.Event) string { return e.SubjectRegion }},
	{"Office", "office", 120, func(e model.Event) string { return e.Office }},
	{"Action", "action", 90, func(e model.Event) string { return e.Action }},
	{"Resource", "resource", 190, func(e model.Event) string { return e.Resource }},
	{"IP", "ip", 130, func(e model.Event) string { return e.IP }},
}

// eventCountry is an event's country, with the IP's when they disagree.
func eventCountry(e model.Event) string {
	if e.IPCountry != "" && e.Country != "" && e.IPCountry != e.Country {
		return e.Country + " ≠ " + e.IPCountry
	}
	return e.Country
}

// accessLogView is the access-log tab: one log's events in a virtualised
// table, fetched a page at a time in the order of the column whose header
// was tapped, with the selected row's event in the details.
type accessLogView struct {
	src eventPager
	bg  *runner

	title   *widget.Label
	table   *widget.Table
	content fyne.CanvasObject

	// Touched on the UI goroutine only.
	source  model.Source
	sortBy  string
	desc    bool
	pages   map[int][]model.Event
	loading map[int]bool
	gen     int
	err     string
	sel     int // the selected row, -1 when none
	selCol  int // the column of the selected cell
	want    int // the row to select once its page is there, -1 when none

	onSelected func(model.Event, model.Source)
}

func newAccessLogView(src eventPager, bg *runner) *accessLogView {
	v := &accessLogView{src: src, bg: bg, pages: map[int][]model.Event{}, loading: map[int]bool{}, sel: -1, want: -1}
	v.title = widget.NewLabelWithStyle("Select an access log on the left to see its rows.", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.table = widget.NewTable(v.size, v.createCell, v.updateCell)
	v.table.ShowHeaderRow = true
	v.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		b.IconPlacement = widget.ButtonIconTrailingText
		return b
	}
	v.table.UpdateHeader = v.updateHeader
	v.table.OnSelected = v.onCellSelected
	for i, c := range logColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	hint := widget.NewLabel("Tap a column's heading to sort by it; tap again to reverse. Select a row to see it in full.")
	hint.Importance = widget.LowImportance
	hint.Truncation = fyne.TextTruncateEllipsis // a narrow window cuts it instead of widening
	v.content = container.NewBorder(container.NewVBox(v.title, hint), nil, nil, nil, v.table)
	return v
}

// load shows a log's events in the file's order.
func (v *accessLogView) load(s model.Source) {
	v.source = s
	v.sortBy, v.desc = "", false
	v.reset()
}

// sort orders the table by a column; the same column again reverses it.
func (v *accessLogView) sort(column string) {
	if v.source.ID == 0 {
		return
	}
	if v.sortBy == column {
		v.desc = !v.desc
	} else {
		v.sortBy, v.desc = column, false
	}
	v.reset()
}

// reset drops the fetched pages and shows the table from the top.
func (v *accessLogView) reset() {
	v.gen++
	v.pages = map[int][]model.Event{}
	v.loading = map[int]bool{}
	v.err = ""
	v.sel, v.want = -1, -1
	v.setTitle()
	v.table.UnselectAll()
	v.table.Refresh()
	v.table.ScrollToTop()
	v.fetch(0)
}

func (v *accessLogView) setTitle() {
	if v.source.ID == 0 {
		return
	}
	t := fmt.Sprintf("%s — %s events", v.source.Name, thousands(v.source.Records))
	if v.sortBy != "" {
		dir := "ascending"
		if v.desc {
			dir = "descending"
		}
		t += fmt.Sprintf(", by %s %s", v.sortBy, dir)
	}
	if v.err != "" {
		t += " — " + v.err
	}
	v.title.SetText(t)
}

// fetch loads a page in a goroutine, once.
func (v *accessLogView) fetch(page int) {
	if v.source.ID == 0 || v.loading[page] || v.pages[page] != nil {
		return
	}
	v.loading[page] = true
	gen, src, col, desc := v.gen, v.source.ID, v.sortBy, v.desc
	v.bg.spawn(func() {
		evs, err := v.src.AccessLogEvents(context.Background(), src, col, desc, page*logPage, logPage)
		v.bg.do(func() {
			if gen != v.gen {
				return
			}
			delete(v.loading, page)
			if err != nil {
				v.err = "could not read the rows: " + sentence(err)
				v.setTitle()
				return
			}
			if len(v.pages) >= logMaxPages {
				v.pages = map[int][]model.Event{}
			}
			if evs == nil {
				evs = []model.Event{}
			}
			v.pages[page] = evs
			v.table.Refresh()
			v.showWanted()
		})
	})
}

// event returns the event at row, fetching its page when it is missing.
func (v *accessLogView) event(row int) (model.Event, bool) {
	page := row / logPage
	evs, ok := v.pages[page]
	if !ok {
		v.fetch(page)
		return model.Event{}, false
	}
	if i := row % logPage; i < len(evs) {
		return evs[i], true
	}
	return model.Event{}, false
}

func (v *accessLogView) size() (int, int) {
	if v.source.ID == 0 {
		return 0, len(logColumns)
	}
	return int(v.source.Records), len(logColumns)
}

func (v *accessLogView) createCell() fyne.CanvasObject { return truncLabel("") }

func (v *accessLogView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	e, ok := v.event(id.Row)
	if !ok {
		l.Importance = widget.LowImportance
		l.TextStyle.Bold = false
		l.SetText("…")
		return
	}
	text := logColumns[id.Col].value(e)
	imp := widget.MediumImportance
	switch logColumns[id.Col].sort {
	case "approval":
		if e.ApprovalID == "" {
			imp = widget.WarningImportance
		}
	case "country":
		if e.IPCountry != "" && e.Country != "" && e.IPCountry != e.Country {
			imp = widget.DangerImportance
		}
	}
	l.Importance = imp
	// The selected row reads as one, not only its tapped cell.
	l.TextStyle.Bold = id.Row == v.sel
	l.SetText(text)
}

func (v *accessLogView) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	if id.Col < 0 || id.Col >= len(logColumns) {
		b.SetText("")
		b.SetIcon(nil)
		b.OnTapped = nil
		return
	}
	c := logColumns[id.Col]
	b.SetText(c.title)
	switch {
	case v.sortBy == c.sort && v.desc:
		b.SetIcon(theme.MoveDownIcon())
	case v.sortBy == c.sort:
		b.SetIcon(theme.MoveUpIcon())
	default:
		b.SetIcon(nil)
	}
	col := c.sort
	b.OnTapped = func() { v.sort(col) }
}

func (v *accessLogView) onCellSelected(id widget.TableCellID) {
	if v.sel != id.Row {
		v.sel, v.selCol = id.Row, id.Col
		v.table.Refresh()
	}
	v.selCol = id.Col
	if e, ok := v.event(id.Row); ok && v.onSelected != nil {
		v.onSelected(e, v.source)
	}
}

// open selects row (its place in the file's order) of log s with the rows
// around it in view, the table showing s in the file's order first.
func (v *accessLogView) open(s model.Source, row int) {
	if v.source.ID != s.ID || v.sortBy != "" {
		v.load(s)
	}
	v.want = row
	v.showWanted()
}

// showWanted selects the row open asked for once its page is there.
func (v *accessLogView) showWanted() {
	row := v.want
	if row < 0 {
		return
	}
	if _, ok := v.event(row); !ok {
		return // its page is on its way
	}
	v.want = -1
	again := v.sel == row && v.selCol == 0
	v.table.Select(widget.TableCellID{Row: row, Col: 0})
	n, k := int(v.source.Records), halfView(v.table.Size().Height, v.createCell().MinSize().Height+theme.Padding())
	v.table.ScrollTo(widget.TableCellID{Row: min(row+k, n-1), Col: 0})
	v.table.ScrollTo(widget.TableCellID{Row: max(row-k, 0), Col: 0})
	if again {
		v.onCellSelected(widget.TableCellID{Row: row, Col: 0})
	}
}

// selectedEvent is the event of the selected row, ok false when none (or
// its page is not there).
func (v *accessLogView) selectedEvent() (model.Event, bool) {
	if v.sel < 0 {
		return model.Event{}, false
	}
	return v.event(v.sel)
}
