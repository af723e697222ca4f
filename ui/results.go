package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// hitSearcher is what the results view needs from a case.
type hitSearcher interface {
	Search(ctx context.Context, q casefile.Query) (casefile.Results, error)
}

// resultsPage is how many hits are fetched at a time; more pages are
// fetched as the list scrolls towards the end.
const resultsPage = 200

// resultsView is the search bar over a virtualised list of hits.
type resultsView struct {
	src hitSearcher
	bg  *runner

	entry   *searchEntry
	filters *filterBar
	facets  *facetPanel
	status  *widget.Label
	list    *itemList
	saveBtn *widget.Button // Save search…
	content fyne.CanvasObject

	// Touched on the UI goroutine only.
	query   casefile.Query
	hits    []casefile.Hit
	total   uint64
	gen     int
	cancel  context.CancelFunc
	loading bool
	fresh   bool // the running search is one the investigator asked for

	onSelected func(casefile.Hit)
	onFacets   func(map[string][]casefile.FacetCount) // after each search
	onSave     func()                                 // Save search… was tapped
	onOpen     func(casefile.Hit)                     // a hit was double-clicked or Enter pressed on it
	// onSearched runs after a search, fresh when the investigator asked for
	// it (not a search repeated after an import).
	onSearched func(fresh bool)
}

func newResultsView(src hitSearcher, bg *runner) *resultsView {
	v := &resultsView{src: src, bg: bg}
	v.entry = newSearchEntry(v)
	v.entry.SetPlaceHolder("Search transcripts and access logs (Ctrl+F)")
	v.entry.OnSubmitted = v.onSubmitted
	v.filters = newFilterBar()
	v.filters.onChanged = func() { v.onSubmitted(v.entry.Text) }
	v.facets = newFacetPanel()
	v.facets.onPick = v.filters.add
	searchBtn := widget.NewButtonWithIcon("", theme.SearchIcon(), func() { v.onSubmitted(v.entry.Text) })
	v.status = widget.NewLabel("Type a query and press Enter. An empty query lists everything.")
	v.status.Wrapping = fyne.TextWrapWord
	v.list = newItemList(v.length, v.createRow, v.updateRow)
	v.list.OnSelected = v.onListSelected
	v.list.onOpen = func(id widget.ListItemID) {
		if id < len(v.hits) && v.onOpen != nil {
			v.onOpen(v.hits[id])
		}
	}
	v.saveBtn = widget.NewButtonWithIcon("", theme.DocumentSaveIcon(), func() {
		if v.onSave != nil {
			v.onSave()
		}
	})
	sortBy := container.NewHBox(widget.NewLabel("Sort"), v.filters.sort, searchBtn, v.saveBtn)
	bar := container.NewBorder(nil, nil, nil, sortBy, v.entry)
	v.content = container.NewBorder(container.NewVBox(bar, v.filters.content, v.status), nil, nil, nil, v.list)
	return v
}

// onSubmitted runs the query in the search bar.
func (v *resultsView) onSubmitted(text string) {
	if msg := v.filters.dateError(); msg != "" {
		v.showError(msg)
		return
	}
	v.run(casefile.Query{Text: text, Filters: v.filters.filters(), Limit: resultsPage,
		ByTime: v.filters.byTime(), Facets: true})
	v.fresh = true
}

// rerun repeats the current search, if any (after an import or reindex).
func (v *resultsView) rerun() {
	if v.query.Limit > 0 {
		q := v.query
		q.Offset = 0
		v.run(q)
	}
}

// rerunOrListAll repeats the current search, or lists everything (which
// fills the facets and the filters' options) when none ran yet.
func (v *resultsView) rerunOrListAll() {
	if v.query.Limit > 0 {
		v.rerun()
		return
	}
	v.onSubmitted(v.entry.Text)
}

// showError shows what is wrong with the search under the bar, in the
// error colour, and empties the list.
func (v *resultsView) showError(msg string) {
	v.status.Importance = widget.DangerImportance
	v.status.SetText(msg)
}

// showStatus shows the line under the bar in the normal colour.
func (v *resultsView) showStatus(msg string) {
	v.status.Importance = widget.MediumImportance
	v.status.SetText(msg)
}

// run starts a new search, abandoning any still running. Call it on the UI
// goroutine; the result is applied in one call on the UI goroutine.
func (v *resultsView) run(q casefile.Query) {
	if v.cancel != nil {
		v.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	v.gen++
	gen := v.gen
	v.query, v.cancel, v.loading = q, cancel, true
	v.fresh = false
	v.showStatus("Searching…")
	v.bg.spawn(func() {
		res, err := v.src.Search(ctx, q)
		cancel()
		v.bg.do(func() {
			if gen != v.gen {
				return
			}
			v.loading, v.cancel = false, nil
			if err != nil {
				v.hits, v.total = nil, 0
				v.list.UnselectAll()
				v.list.Refresh()
				v.showError(searchError(err))
				v.searched()
				return
			}
			v.hits, v.total = res.Hits, res.Total
			v.showStatus(v.totalText())
			v.facets.set(res.Facets)
			v.filters.offer("country", facetTerms(res.Facets["country"]))
			v.filters.offer("tag", facetTerms(res.Facets["tag"]))
			if v.onFacets != nil {
				v.onFacets(res.Facets)
			}
			v.list.UnselectAll()
			v.list.Refresh()
			v.list.ScrollToTop()
			v.searched()
		})
	})
}

// searched tells the case view a search ended, and whether the
// investigator asked for it.
func (v *resultsView) searched() {
	fresh := v.fresh
	v.fresh = false
	if v.onSearched != nil {
		v.onSearched(fresh)
	}
}

// abandon cancels the running search and ignores its result.
func (v *resultsView) abandon() {
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
	v.gen++
}

// more fetches the next page of the current search.
func (v *resultsView) more() {
	if v.loading || uint64(len(v.hits)) >= v.total {
		return
	}
	q := v.query
	q.Offset = len(v.hits)
	q.Facets = false
	gen := v.gen
	v.loading = true
	v.bg.spawn(func() {
		res, err := v.src.Search(context.Background(), q)
		v.bg.do(func() {
			if gen != v.gen {
				return
			}
			v.loading = false
			if err != nil {
				v.showError("Could not load more hits: " + sentence(err))
				return
			}
			if len(res.Hits) == 0 {
				v.total = uint64(len(v.hits)) // the index shrank meanwhile
			}
			v.hits = append(v.hits, res.Hits...)
			v.list.Refresh()
		})
	})
}

// totalText is the line above the list, such as "3 hits".
func (v *resultsView) totalText() string {
	what := "everything"
	if v.query.Text != "" {
		what = queryAsTyped(v.query.Text)
	}
	if f := v.filters.describe(); f != "" {
		what += " (" + f + ")"
	}
	switch v.total {
	case 0:
		return "No hits for " + what + "."
	case 1:
		return "1 hit for " + what + "."
	}
	return fmt.Sprintf("%d hits for %s.", v.total, what)
}

// queryAsTyped is a query as the status line quotes it: as typed, in
// straight quotes when it has none (27 hits for "master admin"), alone when
// it is one quoted phrase, in curly quotes when quotes are inside
// (“speaker:"Mia Chen" data”) — never with Go's backslashes.
func queryAsTyped(q string) string {
	q = strings.TrimSpace(q)
	switch n := strings.Count(q, `"`); {
	case n == 0:
		return `"` + q + `"`
	case n == 2 && len(q) > 2 && q[0] == '"' && q[len(q)-1] == '"':
		return q
	}
	return "“" + q + "”"
}

// searchError turns a failed search into a sentence: a malformed query
// names the column where it went wrong.
func searchError(err error) string {
	msg := sentence(err)
	if strings.HasPrefix(msg, "query: ") {
		return "The query is not understood: " + strings.TrimPrefix(msg, "query: ") +
			". Quote phrases with \"…\" and write fields as field:value."
	}
	return "Search failed: " + msg
}

// facetTerms lists a facet's values.
func facetTerms(fc []casefile.FacetCount) []string {
	out := make([]string, 0, len(fc))
	for _, c := range fc {
		out = append(out, c.Term)
	}
	return out
}

func (v *resultsView) length() int { return len(v.hits) }

func (v *resultsView) createRow() fyne.CanvasObject {
	// Two lines beside the kind icon: when, who and where; then the snippet
	// across the whole width.
	meta := truncLabel("")
	meta.SizeName = theme.SizeNameCaptionText
	snippet := widget.NewRichText()
	snippet.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, widget.NewIcon(nil), nil, container.New(&tightColumn{}, meta, snippet))
}

func (v *resultsView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(v.hits) {
		return
	}
	if id >= len(v.hits)-resultsPage/4 {
		v.more()
	}
	h := v.hits[id]
	row := o.(*fyne.Container)
	lines := row.Objects[0].(*fyne.Container)
	row.Objects[1].(*widget.Icon).SetResource(kindIcon(hitKind(h)))
	lines.Objects[0].(*widget.Label).SetText(hitMeta(h))
	rt := lines.Objects[1].(*widget.RichText)
	rt.Segments = highlight(h.Snippet)
	rt.Refresh()
}

// hitMeta is the line above a hit's snippet: when, who, where, and the id.
func hitMeta(h casefile.Hit) string {
	var parts []string
	for _, s := range []string{hitWhen(h), h.Speaker, h.Actor, h.Country} {
		if s == "—" {
			continue
		}
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(append(parts, h.ID), " · ")
}

func (v *resultsView) onListSelected(id widget.ListItemID) {
	if id < len(v.hits) && v.onSelected != nil {
		v.onSelected(v.hits[id])
	}
}

// hitKind is the kind of source a hit comes from.
func hitKind(h casefile.Hit) model.SourceKind {
	if h.Kind == "segment" {
		return model.KindTranscript
	}
	return model.KindAccessLog
}

// hitWhen is an event's time or a segment's m:ss.
func hitWhen(h casefile.Hit) string {
	if h.Kind == "segment" {
		return clock(h.StartMS)
	}
	if h.Time.IsZero() {
		return "—"
	}
	return h.Time.UTC().Format("2006-01-02 15:04:05")
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
