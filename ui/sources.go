package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
	"casebook/model"
)

// sourceLister is what the sources view needs from a case.
type sourceLister interface {
	Sources(ctx context.Context) ([]model.Source, error)
	SavedSearches(ctx context.Context) ([]casefile.SavedSearch, error)
	SaveSearch(ctx context.Context, name string, q casefile.Query) (casefile.SavedSearch, error)
	OpenSuggestionCounts(ctx context.Context) (map[string]int, error)
}

// The case tree's other branches, after the kinds of source.
const (
	branchTags       = "tags"
	branchSearches   = "searches"
	branchStatements = "statements"
	branchRules      = "rules"
)

// overviewBranches are the branches below the sources, in order.
var overviewBranches = []string{branchSpeakers, branchTags, branchSearches, branchStatements, branchRules}

// overview is what the case tree lists besides the sources: the speaker
// registry, tags with their counts, saved searches, statements, and rules
// with their open suggestions.
type overview struct {
	speakers   []casefile.Speaker
	tags       []casefile.TagInfo
	searches   []casefile.SavedSearch
	statements []casefile.Statement
	rules      []casefile.Rule
	open       map[string]int // open suggestions by rule id
}

// sourceKinds is the order the groups appear in.
var sourceKinds = []model.SourceKind{model.KindTranscript, model.KindAccessLog, model.KindRecording}

// sourcesView is the case tree: the sources grouped by kind, each with its
// record count and a badge counting its warnings; then the tags with their
// counts, the saved searches, the statements, and the rules with the
// suggestions they have waiting.
type sourcesView struct {
	tree *widget.Tree

	byKind map[model.SourceKind][]model.Source
	byID   map[string]model.Source // by "src-N"
	ov     overview

	onSelected  func(model.Source)
	onSpeaker   func(name string)
	onTag       func(name string)
	onSearch    func(casefile.SavedSearch)
	onStatement func(id int64)
	onRule      func(id string)
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
	for _, k := range sourceKinds {
		v.tree.OpenBranch(string(k))
	}
}

// setOverview replaces the tree's tags, searches, statements and rules.
func (v *sourcesView) setOverview(o overview) {
	var tags []casefile.TagInfo
	for _, t := range o.tags {
		if !t.Deleted && t.MergedInto == "" && t.Confirmed+t.Suggested > 0 {
			tags = append(tags, t)
		}
	}
	o.tags = tags
	var rules []casefile.Rule
	for _, r := range o.rules {
		if r.Enabled {
			rules = append(rules, r)
		}
	}
	o.rules = rules
	v.ov = o
	v.tree.Refresh()
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
		out := make([]string, 0, len(sourceKinds)+len(overviewBranches))
		for _, k := range sourceKinds {
			if k == model.KindRecording && len(v.byKind[k]) == 0 {
				continue // shown only in a case that has recordings
			}
			out = append(out, string(k))
		}
		return append(out, overviewBranches...)
	}
	var out []string
	switch uid {
	case branchSpeakers:
		for _, s := range v.ov.speakers {
			out = append(out, branchSpeakers+facetSep+s.Name)
		}
		return out
	case branchTags:
		for _, t := range v.ov.tags {
			out = append(out, branchTags+facetSep+t.Name)
		}
		return out
	case branchSearches:
		for _, s := range v.ov.searches {
			out = append(out, branchSearches+facetSep+s.Name)
		}
		return out
	case branchStatements:
		for _, s := range v.ov.statements {
			out = append(out, branchStatements+facetSep+strconv.FormatInt(s.ID, 10))
		}
		return out
	case branchRules:
		for _, r := range v.ov.rules {
			out = append(out, branchRules+facetSep+r.ID)
		}
		return out
	}
	for _, s := range v.byKind[model.SourceKind(uid)] {
		out = append(out, sourceUID(s))
	}
	return out
}

func (v *sourcesView) isBranch(uid widget.TreeNodeID) bool {
	return uid == "" || model.SourceKind(uid).Valid() || slices.Contains(overviewBranches, uid)
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
		o.(*widget.Label).SetText(v.branchText(uid))
		return
	}
	row := o.(*fyne.Container)
	lines, icon := row.Objects[0].(*fyne.Container), row.Objects[1].(*widget.Icon)
	name, second := lines.Objects[0].(*widget.Label), lines.Objects[1].(*fyne.Container)
	count, badge := second.Objects[0].(*widget.Label), second.Objects[1].(*widget.Label)
	if kind, key, ok := strings.Cut(uid, facetSep); ok {
		badge.Hide()
		v.updateOverviewNode(kind, key, name, count, icon)
		return
	}
	s := v.byID[uid]
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
func (v *sourcesView) branchText(uid string) string {
	switch uid {
	case branchSpeakers:
		return speakersBranchText(v.ov.speakers)
	case branchTags:
		return fmt.Sprintf("Tags (%d)", len(v.ov.tags))
	case branchSearches:
		return fmt.Sprintf("Saved searches (%d)", len(v.ov.searches))
	case branchStatements:
		return fmt.Sprintf("Statements (%d)", len(v.ov.statements))
	case branchRules:
		open := 0
		for _, n := range v.ov.open {
			open += n
		}
		return fmt.Sprintf("Rules (%d · %s to review)", len(v.ov.rules), thousands(int64(open)))
	}
	k := model.SourceKind(uid)
	return fmt.Sprintf("%s (%d)", kindTitle(k), len(v.byKind[k]))
}

// updateOverviewNode shows a tag, saved search, statement or rule.
func (v *sourcesView) updateOverviewNode(kind, key string, name, second *widget.Label, icon *widget.Icon) {
	switch kind {
	case branchSpeakers:
		icon.SetResource(theme.AccountIcon())
		for _, s := range v.ov.speakers {
			if s.Name == key {
				name.SetText(speakerTitle(s))
				second.SetText(speakerLine(v.ov.speakers, s))
			}
		}
	case branchTags:
		icon.SetResource(theme.ConfirmIcon())
		name.SetText(key)
		for _, t := range v.ov.tags {
			if t.Name == key {
				text := plural(int64(t.Confirmed), "exhibit")
				if t.Suggested > 0 {
					text += " · " + thousands(int64(t.Suggested)) + " suggested"
				}
				second.SetText(text)
			}
		}
	case branchSearches:
		icon.SetResource(theme.SearchIcon())
		name.SetText(key)
		for _, s := range v.ov.searches {
			if s.Name == key {
				second.SetText(firstNonEmpty(s.Query, "everything"))
			}
		}
	case branchStatements:
		icon.SetResource(theme.AccountIcon())
		for _, s := range v.ov.statements {
			if strconv.FormatInt(s.ID, 10) == key {
				name.SetText("“" + oneLine(s.Words) + "”")
				sup, con := linkCounts(s)
				second.SetText(fmt.Sprintf("%s · %d for · %d against", firstNonEmpty(s.Who, "?"), sup, con))
			}
		}
	case branchRules:
		icon.SetResource(theme.ListIcon())
		for _, r := range v.ov.rules {
			if r.ID == key {
				name.SetText(r.Name)
				second.SetText(fmt.Sprintf("%s to review", thousands(int64(v.ov.open[r.ID]))))
			}
		}
	}
}

// countText is a source's record count such as "42 segments".
func (v *sourcesView) countText(s model.Source) string {
	return countOf(s.Records, recordWord(s.Kind))
}

func (v *sourcesView) onTreeSelected(uid widget.TreeNodeID) {
	if kind, key, ok := strings.Cut(uid, facetSep); ok {
		v.tree.Unselect(uid)
		v.pickOverview(kind, key)
		return
	}
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
	if k == model.KindRecording {
		return theme.MediaMusicIcon()
	}
	return theme.StorageIcon()
}

// pickOverview acts on a tag, saved search, statement or rule picked in the
// tree.
func (v *sourcesView) pickOverview(kind, key string) {
	switch kind {
	case branchSpeakers:
		if v.onSpeaker != nil {
			v.onSpeaker(key)
		}
	case branchTags:
		if v.onTag != nil {
			v.onTag(key)
		}
	case branchSearches:
		for _, s := range v.ov.searches {
			if s.Name == key && v.onSearch != nil {
				v.onSearch(s)
			}
		}
	case branchStatements:
		if id, err := strconv.ParseInt(key, 10, 64); err == nil && v.onStatement != nil {
			v.onStatement(id)
		}
	case branchRules:
		if v.onRule != nil {
			v.onRule(key)
		}
	}
}

// recordingActions are the details pane's buttons for a transcript or a
// recording: pair it (Pair…), and for a recording type what a passage says.
func (v *caseView) recordingActions(s model.Source) []fyne.CanvasObject {
	if _, ok := v.c.(recordingsAPI); !ok || v.readOnly != "" {
		return nil
	}
	var out []fyne.CanvasObject
	switch s.Kind {
	case model.KindTranscript:
		if len(v.sources.byKind[model.KindRecording]) > 0 {
			out = append(out, widget.NewButtonWithIcon("Pair with a recording…", theme.MediaMusicIcon(), func() { v.openPairDialog(s) }))
		}
	case model.KindRecording:
		if len(v.sources.byKind[model.KindTranscript]) > 0 {
			out = append(out, widget.NewButtonWithIcon("Pair with a transcript…", theme.DocumentIcon(), func() { v.openPairDialog(s) }))
		}
		out = append(out, widget.NewButtonWithIcon("Transcribe a passage…", theme.DocumentCreateIcon(), func() { v.openTranscribeDialog(s, 0, 0) }))
	}
	return out
}
