package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// startView is the screen shown while no case is open: new case, open case,
// the demo case, and the recent cases.
type startView struct {
	g *gui

	recentList *widget.List
	noRecent   *widget.Label
	content    fyne.CanvasObject

	recent []string
}

func newStartView(g *gui) *startView {
	v := &startView{g: g}
	title := widget.NewLabelWithStyle("Casebook", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabelWithStyle("An offline workbench for leak investigations: import transcripts and access logs, search them, follow each hit back to its original.",
		fyne.TextAlignCenter, fyne.TextStyle{})
	intro.Wrapping = fyne.TextWrapWord
	newBtn := widget.NewButtonWithIcon("New case…", theme.FolderNewIcon(), v.onNew)
	newBtn.Importance = widget.HighImportance
	openBtn := widget.NewButtonWithIcon("Open case…", theme.FolderOpenIcon(), g.onOpen)
	demoBtn := widget.NewButtonWithIcon("Open the demo case", theme.InfoIcon(), g.openDemo)
	v.recentList = widget.NewList(
		func() int { return len(v.recent) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, truncLabel(""))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			o.(*fyne.Container).Objects[0].(*widget.Label).SetText(v.recent[id])
		},
	)
	v.recentList.OnSelected = v.onRecentSelected
	v.noRecent = widget.NewLabel("No recent cases yet.")
	recentBox := container.NewBorder(
		widget.NewLabelWithStyle("Recent cases", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, container.NewStack(v.noRecent, v.recentList))
	buttons := container.NewGridWithColumns(3, newBtn, openBtn, demoBtn)
	card := container.NewBorder(container.NewVBox(title, intro, buttons, widget.NewSeparator()), nil, nil, nil, recentBox)
	// A fixed-width column in the middle of the window.
	v.content = container.NewBorder(nil, nil, nil, nil,
		container.NewPadded(container.New(&centreColumn{width: 720}, card)))
	return v
}

// refresh reloads the recent cases from the preferences.
func (v *startView) refresh() {
	v.recent = v.g.recent()
	if len(v.recent) == 0 {
		v.noRecent.Show()
		v.recentList.Hide()
	} else {
		v.noRecent.Hide()
		v.recentList.Show()
	}
	v.recentList.UnselectAll()
	v.recentList.Refresh()
}

func (v *startView) onRecentSelected(id widget.ListItemID) {
	v.recentList.Unselect(id)
	if id < len(v.recent) {
		v.g.openCase(v.recent[id])
	}
}

// onNew asks for the new case's title, investigator and folder, then
// creates it.
func (v *startView) onNew() {
	if !v.g.canStartJob() {
		return
	}
	titleEntry := newEntry()
	titleEntry.SetPlaceHolder("e.g. Payroll data leak 2024")
	who := newEntry()
	who.SetPlaceHolder("your name, recorded on every change")
	parent := newEntry()
	if home, err := os.UserHomeDir(); err == nil {
		parent.SetText(home)
	}
	name := newEntry()
	name.SetPlaceHolder("folder name for the case")
	nameEdited := false
	name.OnChanged = func(string) { nameEdited = true }
	titleEntry.OnChanged = func(s string) {
		if !nameEdited {
			name.SetText(folderName(s))
			nameEdited = false
		}
	}
	choose := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				parent.SetText(u.Path())
			}
		}, v.g.win)
		setLocation(d, parent.Text)
		d.Resize(fyne.NewSize(900, 600))
		d.Show()
	})
	items := []*widget.FormItem{
		widget.NewFormItem("Title", titleEntry),
		widget.NewFormItem("Investigator", who),
		widget.NewFormItem("In folder", container.NewBorder(nil, nil, nil, choose, parent)),
		widget.NewFormItem("Case folder", name),
	}
	d := dialog.NewForm("New case", "Create", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		n := strings.TrimSpace(name.Text)
		if n == "" {
			n = folderName(titleEntry.Text)
		}
		if n == "" || strings.TrimSpace(parent.Text) == "" {
			v.g.showError("Could not create the case", errors.New("give the case a title and a folder"))
			return
		}
		v.g.createCase(filepath.Join(parent.Text, n), casefile.CreateOptions{
			Title: strings.TrimSpace(titleEntry.Text), Investigator: strings.TrimSpace(who.Text)})
	}, v.g.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
	v.g.win.Canvas().Focus(titleEntry)
}

// folderName turns a case title into a folder name.
func folderName(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(title)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// centreColumn lays its objects out in a column of a fixed maximum width,
// centred horizontally and filling the height.
type centreColumn struct{ width float32 }

// Layout centres the objects.
func (c *centreColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(c.width, size.Width)
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
	}
}

// MinSize is the widest object's minimum size.
func (c *centreColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}
