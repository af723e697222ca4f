package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// facetFields are the facets the panel shows, in order, with their titles.
var facetFields = []struct{ field, title string }{
	{"kind", "Kind"}, {"country", "Country"}, {"actor", "Actor"},
	{"speaker", "Speaker"}, {"tag", "Tag"}, {"ip", "IP"}, {"month", "Month"},
}

// facetSep separates a leaf's field from its value in a tree node id.
const facetSep = "\x00"

// facetPanel shows how the current hits split by kind, country, actor,
// speaker, tag, IP address and month. Tapping a value adds it as a filter.
type facetPanel struct {
	tree    *widget.Tree
	content fyne.CanvasObject

	// Touched on the UI goroutine only.
	facets map[string][]casefile.FacetCount

	onPick func(field, value string)
}

func newFacetPanel() *facetPanel {
	p := &facetPanel{facets: map[string][]casefile.FacetCount{}}
	p.tree = widget.NewTree(p.childUIDs, p.isBranch, p.createNode, p.updateNode)
	p.tree.OnSelected = p.onSelected
	title := widget.NewLabelWithStyle("Refine the search", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.content = container.NewBorder(title, nil, nil, nil, p.tree)
	for _, f := range facetFields[:2] {
		p.tree.OpenBranch(f.field)
	}
	return p
}

// set shows new counts.
func (p *facetPanel) set(f map[string][]casefile.FacetCount) {
	if f == nil {
		f = map[string][]casefile.FacetCount{}
	}
	p.facets = f
	p.tree.Refresh()
}

// counts returns the values of one facet, non-empty and with hits.
func (p *facetPanel) counts(field string) []casefile.FacetCount {
	var out []casefile.FacetCount
	for _, c := range p.facets[field] {
		if c.Term != "" && c.Count > 0 {
			out = append(out, c)
		}
	}
	return out
}

func (p *facetPanel) childUIDs(uid widget.TreeNodeID) []widget.TreeNodeID {
	if uid == "" {
		ids := make([]string, len(facetFields))
		for i, f := range facetFields {
			ids[i] = f.field
		}
		return ids
	}
	var ids []string
	for _, c := range p.counts(uid) {
		ids = append(ids, uid+facetSep+c.Term)
	}
	return ids
}

func (p *facetPanel) isBranch(uid widget.TreeNodeID) bool {
	return uid == "" || !strings.Contains(uid, facetSep)
}

func (p *facetPanel) createNode(bool) fyne.CanvasObject {
	count := widget.NewLabel("")
	count.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, nil, count, truncLabel(""))
}

func (p *facetPanel) updateNode(uid widget.TreeNodeID, branch bool, o fyne.CanvasObject) {
	row := o.(*fyne.Container)
	name, count := row.Objects[0].(*widget.Label), row.Objects[1].(*widget.Label)
	if branch {
		for _, f := range facetFields {
			if f.field == uid {
				name.SetText(f.title)
			}
		}
		name.TextStyle.Bold = true
		count.SetText(strconv.Itoa(len(p.counts(uid))))
		return
	}
	field, term, _ := strings.Cut(uid, facetSep)
	name.TextStyle.Bold = false
	name.SetText(term)
	for _, c := range p.facets[field] {
		if c.Term == term {
			count.SetText(strconv.Itoa(c.Count))
		}
	}
}

func (p *facetPanel) onSelected(uid widget.TreeNodeID) {
	p.tree.Unselect(uid)
	field, term, ok := strings.Cut(uid, facetSep)
	if !ok {
		p.tree.ToggleBranch(uid)
		return
	}
	if p.onPick != nil {
		p.onPick(field, term)
	}
}
