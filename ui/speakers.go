package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// speakerKeeper is what the speaker registry needs from a case.
type speakerKeeper interface {
	Speakers(ctx context.Context) ([]casefile.Speaker, error)
	MergeSpeaker(ctx context.Context, label, person string) error
	UnmergeSpeaker(ctx context.Context, label string) error
	SetSpeakerDetails(ctx context.Context, name, role, office string) error
}

// branchSpeakers is the case tree's branch of the speaker registry.
const branchSpeakers = "speakers"

// speakerArrow joins a merged label and its person: "Speaker 2 → Wei Zhang".
const speakerArrow = " → "

// speakerTitle is how the tree names a registry entry: the label, and the
// person it was merged into.
func speakerTitle(s casefile.Speaker) string {
	if s.AliasOf != "" {
		return s.Name + speakerArrow + s.AliasOf
	}
	return s.Name
}

// speakerSegments counts the segments a speaker said: a person's own and
// those of every label merged into them.
func speakerSegments(all []casefile.Speaker, s casefile.Speaker) int {
	n := s.Segments
	if s.AliasOf == "" {
		for _, a := range all {
			if a.AliasOf == s.Name {
				n += a.Segments
			}
		}
	}
	return n
}

// speakerAliases lists the labels merged into a person.
func speakerAliases(all []casefile.Speaker, name string) []string {
	var out []string
	for _, a := range all {
		if a.AliasOf == name {
			out = append(out, a.Name)
		}
	}
	return out
}

// speakersBranchText heads the speakers: "Speakers (4 · 1 merged)".
func speakersBranchText(all []casefile.Speaker) string {
	people, merged := 0, 0
	for _, s := range all {
		if s.AliasOf == "" {
			people++
		} else {
			merged++
		}
	}
	if merged == 0 {
		return fmt.Sprintf("Speakers (%d)", people)
	}
	return fmt.Sprintf("Speakers (%d · %d merged)", people, merged)
}

// speakerLine is the second line of a speaker in the tree: "4 segments ·
// engineer, Beijing".
func speakerLine(all []casefile.Speaker, s casefile.Speaker) string {
	text := plural(int64(speakerSegments(all, s)), "segment")
	if about := strings.Join(slices.DeleteFunc([]string{s.Role, s.Office}, func(x string) bool { return x == "" }), ", "); about != "" {
		text += " · " + about
	}
	return text
}

// speaker finds a registry entry by name in the tree's overview.
func (v *caseView) speaker(name string) (casefile.Speaker, bool) {
	for _, s := range v.sources.ov.speakers {
		if s.Name == name {
			return s, true
		}
	}
	return casefile.Speaker{}, false
}

// onTreeSpeaker searches a speaker's lines and shows the speaker, with
// what can be done about them, in the details.
func (v *caseView) onTreeSpeaker(name string) {
	if name != v.shownSpeaker {
		v.speakerStatus = ""
	}
	f := v.results.filters
	f.set("speaker", name)
	f.changed()
	v.tabs.Select(v.searchTab)
	v.showSpeaker(name)
}

// showSpeaker shows a registry entry in the details with its actions:
// merge into a person (or unmerge), role and office, search their lines.
func (v *caseView) showSpeaker(name string) {
	s, ok := v.speaker(name)
	if !ok {
		return
	}
	all := v.sources.ov.speakers
	v.sel = selection{}
	v.stmts.updateButtons()
	v.shownSpeaker = name
	said := plural(int64(s.Segments), "segment") + " as written"
	if aliases := speakerAliases(all, s.Name); len(aliases) > 0 {
		said = fmt.Sprintf("%s with %s", plural(int64(speakerSegments(all, s)), "segment"), strings.Join(aliases, ", "))
	}
	fields := []field{
		{"Speaker", s.Name},
		{"Is", s.AliasOf},
		{"Said", said},
		{"Role", s.Role},
		{"Office", s.Office},
	}
	body := "A label as a transcript writes it. Merge it into the person it is: a search for the person then finds its lines, " +
		"which keep the label as written."
	if s.AliasOf != "" {
		body = fmt.Sprintf("Merged into %s: a search for %s finds these lines too. Unmerge to make %s its own speaker again.",
			s.AliasOf, s.AliasOf, s.Name)
	} else if len(speakerAliases(all, s.Name)) > 0 {
		body = "A person: a search for them also finds the lines of the labels merged into them."
	}
	if v.speakerStatus != "" {
		body = v.speakerStatus + "\n\n" + body
	}
	v.details.set(speakerTitle(s), fields, body)
	v.details.hideItemSection()

	search := widget.NewButtonWithIcon("Search their lines", theme.SearchIcon(), func() {
		v.results.entry.SetText("")
		v.onTreeSpeaker(name)
	})
	merge := widget.NewButtonWithIcon("Merge into a person…", theme.AccountIcon(), func() { v.onMergeSpeaker(name) })
	unmerge := widget.NewButtonWithIcon("Unmerge from "+s.AliasOf, theme.ContentUndoIcon(), func() { v.onUnmergeSpeaker(name) })
	details := widget.NewButtonWithIcon("Role and office…", theme.DocumentCreateIcon(), func() { v.onSpeakerDetails(name) })
	actions := []fyne.CanvasObject{search}
	if s.AliasOf == "" {
		actions = append(actions, merge)
	} else {
		actions = append(actions, unmerge)
	}
	actions = append(actions, details)
	if v.readOnly != "" {
		merge.Disable()
		unmerge.Disable()
		details.Disable()
	}
	v.details.setActions(actions...)
	v.speakerButtons = actions
}

// speakerForm is the Merge into a person… dialog, for tests.
type speakerForm struct {
	people       []string // the people the merge offers
	person       *dialogSelectEntry
	role, office *dialogEntry
	dlg          *dialog.FormDialog
}

// onMergeSpeaker asks which person a label is, from the registry or typed,
// and merges it.
func (v *caseView) onMergeSpeaker(label string) {
	if v.refuseChange() {
		return
	}
	var people []string
	for _, s := range v.sources.ov.speakers {
		if s.AliasOf == "" && s.Name != label {
			people = append(people, s.Name)
		}
	}
	f := &speakerForm{people: people, person: newSelectEntry(people)}
	f.person.SetPlaceHolder("Pick a person, or type their name")
	f.person.Validator = func(s string) error {
		switch strings.TrimSpace(s) {
		case "":
			return errors.New("pick or type the person")
		case label:
			return errors.New("pick someone else than the label itself")
		}
		return nil
	}
	item := widget.NewFormItem("Person", f.person)
	item.HintText = "Their lines keep “" + label + "” as written; a search for the person finds them too. Unmerge undoes it."
	f.dlg = dialog.NewForm("Merge “"+label+"” into a person", "Merge", "Cancel", []*widget.FormItem{item}, func(ok bool) {
		if !ok {
			return
		}
		person := strings.TrimSpace(f.person.Text)
		v.changeSpeakers("The merge was not saved", func(ctx context.Context) error {
			return v.c.MergeSpeaker(ctx, label, person)
		}, fmt.Sprintf("“%s” is now %s: a search for %s finds their lines too.", label, person, person))
	}, v.g.win)
	f.dlg.Resize(fyne.NewSize(520, 0))
	v.speakerForm = f
	f.dlg.Show()
	v.g.win.Canvas().Focus(f.person)
}

// onUnmergeSpeaker makes a merged label its own speaker again.
func (v *caseView) onUnmergeSpeaker(label string) {
	if v.refuseChange() {
		return
	}
	v.changeSpeakers("The label was not unmerged", func(ctx context.Context) error {
		return v.c.UnmergeSpeaker(ctx, label)
	}, fmt.Sprintf("“%s” is its own speaker again.", label))
}

// onSpeakerDetails asks for a speaker's role and office and records them.
func (v *caseView) onSpeakerDetails(name string) {
	if v.refuseChange() {
		return
	}
	s, _ := v.speaker(name)
	f := &speakerForm{role: newEntry(), office: newEntry()}
	f.role.SetPlaceHolder("e.g. security engineer")
	f.role.SetText(s.Role)
	f.office.SetPlaceHolder("e.g. Beijing")
	f.office.SetText(s.Office)
	f.dlg = dialog.NewForm("Role and office of "+name, "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Role", f.role),
		widget.NewFormItem("Office", f.office),
	}, func(ok bool) {
		if !ok {
			return
		}
		role, office := strings.TrimSpace(f.role.Text), strings.TrimSpace(f.office.Text)
		v.changeSpeakers("The role and office were not saved", func(ctx context.Context) error {
			return v.c.SetSpeakerDetails(ctx, name, role, office)
		}, "Saved the role and office of "+name+".")
	}, v.g.win)
	f.dlg.Resize(fyne.NewSize(460, 0))
	v.speakerForm = f
	f.dlg.Show()
	v.g.win.Canvas().Focus(f.role)
}

// changeSpeakers runs a change of the registry in a goroutine, then shows
// the registry and the search (its speaker facet) as they now are.
func (v *caseView) changeSpeakers(failTitle string, change func(ctx context.Context) error, done string) {
	v.g.bg.spawn(func() {
		err := change(context.Background())
		v.g.bg.do(func() {
			if v.g.cv != v {
				return
			}
			if err != nil {
				v.g.showError(failTitle, err)
				return
			}
			v.speakerStatus = done
			v.results.rerun()
			v.loadOverview()
		})
	})
}
