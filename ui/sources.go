package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/model"
)

// sourceLister is what the sources view needs from a case.
type sourceLister interface {
	Sources(ctx context.Context) ([]model.Source, error)
}

// sourceKinds is the order the groups appear in.
var sourceKinds = []model.SourceKind{model.KindTranscript, model.KindAccessLog}

// sourcesView lists the case's sources grouped by kind, each with its record
// count and a badge counting its warnings.
type sourcesView struct {
	tree *widget.Tree

	byKind map[model.SourceKind][]model.Source
	byID   map[string]model.Source // by "src-N"

	onSelected func(model.Source)
}

func newSourcesView() *sourcesView {
	v := &sourcesView{byKind: map[model.SourceKind][]model.Source{}, byID: map[string]model.Source{}}
	v.tree = widget.NewTree(v.childUIDs, v.isBranch, v.createNode, v.updateNode)
	v.tree.OnSelected = v.onTreeSelected
	return v
}

// set replaces the listed sources. Call it on the UI goroutine.
func (v *sourcesView) set(srcs []model.Source) {
	v.byKind = map[model.SourceKind][]model.Source{}
	v.byID = map[string]model.Source{}
	for _, s := range srcs {
		v.byKind[s.Kind] = append(v.byKind[s.Kind], s)
		v.byID[sourceUID(s)] = s
	}
	v.tree.UnselectAll()
	v.tree.Refresh()
	v.tree.OpenAllBranches()
}

// source looks a source up by its item id ("src-7").
func (v *sourcesView) source(id string) (model.Source, bool) {
	s, ok := v.byID[id]
	return s, ok
}

// selectSource selects a source as if the investigator had clicked it.
func (v *sourcesView) selectSource(id string) { v.tree.Select(id) }

func sourceUID(s model.Source) string {
	return model.ItemID{Kind: model.ItemSource, N: s.ID}.String()
}

func (v *sourcesView) childUIDs(uid widget.TreeNodeID) []widget.TreeNodeID {
	if uid == "" {
		out := make([]string, len(sourceKinds))
		for i, k := range sourceKinds {
			out[i] = string(k)
		}
		return out
	}
	var out []string
	for _, s := range v.byKind[model.SourceKind(uid)] {
		out = append(out, sourceUID(s))
	}
	return out
}

func (v *sourcesView) isBranch(uid widget.TreeNodeID) bool {
	return uid == "" || model.SourceKind(uid).Valid()
}

func (v *sourcesView) createNode(branch bool) fyne.CanvasObject {
	if branch {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	// Two lines: the file name, then its record count and warning badge.
	count := widget.NewLabel("")
	count.SizeName = theme.SizeNameCaptionText
	badge := widget.NewLabel("")
	badge.SizeName = theme.SizeNameCaptionText
	badge.Importance = widget.WarningImportance
	lines := container.New(&tightColumn{}, truncLabel(""), container.NewHBox(count, badge))
	return container.NewBorder(nil, nil, widget.NewIcon(nil), nil, lines)
}

func (v *sourcesView) updateNode(uid widget.TreeNodeID, branch bool, o fyne.CanvasObject) {
	if branch {
		o.(*widget.Label).SetText(v.branchText(model.SourceKind(uid)))
		return
	}
	s := v.byID[uid]
	row := o.(*fyne.Container)
	lines, icon := row.Objects[0].(*fyne.Container), row.Objects[1].(*widget.Icon)
	name, second := lines.Objects[0].(*widget.Label), lines.Objects[1].(*fyne.Container)
	count, badge := second.Objects[0].(*widget.Label), second.Objects[1].(*widget.Label)
	name.SetText(s.Name)
	icon.SetResource(kindIcon(s.Kind))
	count.SetText(v.countText(s))
	if n := warningCount(s); n > 0 {
		badge.SetText("⚠ " + strconv.Itoa(n))
		badge.Show()
	} else {
		badge.Hide()
	}
}

// branchText is a group heading such as "Transcripts (2)".
func (v *sourcesView) branchText(k model.SourceKind) string {
	return fmt.Sprintf("%s (%d)", kindTitle(k), len(v.byKind[k]))
}

// countText is a source's record count such as "42 segments".
func (v *sourcesView) countText(s model.Source) string {
	return plural(s.Records, recordWord(s.Kind))
}

func (v *sourcesView) onTreeSelected(uid widget.TreeNodeID) {
	s, ok := v.byID[uid]
	if !ok {
		v.tree.ToggleBranch(uid)
		v.tree.Unselect(uid)
		return
	}
	if v.onSelected != nil {
		v.onSelected(s)
	}
}

// warningCount counts a source's warnings, including those summarised as
// "… and N more warnings".
func warningCount(s model.Source) int {
	n := len(s.Warnings)
	if n == 0 {
		return 0
	}
	var more int
	if last := s.Warnings[n-1]; strings.HasPrefix(last, "… and ") {
		if _, err := fmt.Sscanf(strings.TrimPrefix(last, "… and "), "%d", &more); err == nil {
			return n - 1 + more
		}
	}
	return n
}

// kindIcon is the icon of a kind of source or hit.
func kindIcon(k model.SourceKind) fyne.Resource {
	if k == model.KindTranscript {
		return theme.DocumentIcon()
	}
	return theme.StorageIcon()
}
