package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// prefImportFolder is the preference holding the folder files were last
// added from.
const prefImportFolder = "importFolder"

// fileChooser is the Add files dialog: Fyne's file dialog picks one file
// at a time and takes no typed path, so this one lists a folder's files
// and folders with a box to tick each (several at once, in any folders),
// takes a typed or pasted path (Tab completes it from the folder's
// entries), and starts where files were last added from.
type fileChooser struct {
	win   fyne.Window
	prefs fyne.Preferences

	path    *pathEntry
	up      *widget.Button
	list    *widget.List
	status  *widget.Label
	chosenL *widget.Label
	addBtn  *widget.Button
	dlg     *dialog.CustomDialog

	// Touched on the UI goroutine only.
	dir     string     // the folder listed
	entries []dirEntry // its entries shown: folders first, then files, by name
	filter  string     // the start of the names shown, typed after the folder
	chosen  []string   // the paths ticked, in the order ticked
	now     func() time.Time

	onChosen func(paths []string) // the paths ticked, when Add is tapped
}

// dirEntry is one file or folder of the folder listed.
type dirEntry struct {
	name string
	dir  bool
	size int64
	mod  time.Time
}

// newFileChooser builds the dialog over win, listing the folder files
// were last added from (or the home folder's Documents).
func newFileChooser(win fyne.Window, prefs fyne.Preferences, onChosen func([]string)) *fileChooser {
	f := &fileChooser{win: win, prefs: prefs, onChosen: onChosen, now: time.Now}
	f.path = newPathEntry(f)
	f.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { f.open(filepath.Dir(f.dir)) })
	home := widget.NewButtonWithIcon("", theme.HomeIcon(), func() { f.open(homeFolder()) })
	f.list = widget.NewList(func() int { return len(f.entries) }, f.createRow, f.updateRow)
	f.list.OnSelected = f.onRowTapped
	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapWord
	f.status.Importance = widget.LowImportance
	f.chosenL = widget.NewLabel("")
	f.chosenL.Wrapping = fyne.TextWrapWord
	all := widget.NewButtonWithIcon("Tick every file here", theme.CheckButtonCheckedIcon(), f.tickAllFiles)
	f.addBtn = widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), f.submit)
	f.addBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { f.dlg.Hide() })

	hint := widget.NewLabel("Tick files and folders, here and in other folders; a folder is imported with everything in it. " +
		"Tap a folder's name to open it. Type or paste a path above: Tab completes it, Enter opens a folder or adds a file.")
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	top := container.NewVBox(container.NewBorder(nil, nil, container.NewHBox(f.up, home), nil, f.path), hint)
	bottom := container.NewVBox(f.status, f.chosenL)
	content := container.NewBorder(top, bottom, nil, nil, f.list)
	f.dlg = dialog.NewCustomWithoutButtons("Add files or folders to import", content, win)
	f.dlg.SetButtons([]fyne.CanvasObject{all, cancel, f.addBtn})
	f.dlg.Resize(fitWindow(win, fyne.NewSize(860, 600)))
	f.open(startFolder(prefs))
	f.showChosen()
	return f
}

// show shows the dialog with the path field focused.
func (f *fileChooser) show() {
	f.dlg.Show()
	f.win.Canvas().Focus(f.path)
}

// startFolder is where the chooser opens: the folder files were last added
// from, else the home folder's Documents, else the home folder.
func startFolder(prefs fyne.Preferences) string {
	if d := prefs.String(prefImportFolder); d != "" && isDir(d) {
		return d
	}
	home := homeFolder()
	if docs := filepath.Join(home, "Documents"); isDir(docs) {
		return docs
	}
	return home
}

// homeFolder is the investigator's home folder, or the root when unknown.
func homeFolder() string {
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return string(filepath.Separator)
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// open lists the folder dir with no filter and shows its path in the field.
func (f *fileChooser) open(dir string) {
	f.list.UnselectAll()
	if err := f.listFolder(dir, ""); err != nil {
		f.status.SetText(sentence(err))
		return
	}
	f.path.setQuietly(withSep(dir))
}

// listFolder lists dir's entries whose names start with prefix; hidden
// entries show only when the prefix starts with a dot.
func (f *fileChooser) listFolder(dir, prefix string) error {
	des, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	var out []dirEntry
	for _, de := range des {
		name := de.Name()
		if strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".") {
			continue
		}
		if !strings.HasPrefix(strings.ToLower(name), strings.ToLower(prefix)) {
			continue
		}
		e := dirEntry{name: name}
		info, err := os.Stat(filepath.Join(dir, name)) // a link is what it points at
		if err != nil {
			continue
		}
		e.dir, e.size, e.mod = info.IsDir(), info.Size(), info.ModTime()
		if !e.dir && !info.Mode().IsRegular() {
			continue
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].dir != out[j].dir {
			return out[i].dir
		}
		return strings.ToLower(out[i].name) < strings.ToLower(out[j].name)
	})
	f.dir, f.entries, f.filter = dir, out, prefix
	f.up.Enable()
	if filepath.Dir(dir) == dir {
		f.up.Disable()
	}
	f.list.Refresh()
	f.list.ScrollToTop()
	f.status.SetText(f.describe())
	return nil
}

// describe says what the list shows.
func (f *fileChooser) describe() string {
	var dirs, files int
	for _, e := range f.entries {
		if e.dir {
			dirs++
		} else {
			files++
		}
	}
	what := fmt.Sprintf("%s and %s", plural(int64(files), "file"), plural(int64(dirs), "folder"))
	if f.filter != "" {
		return fmt.Sprintf("%s in %s starting with “%s”.", what, f.dir, f.filter)
	}
	return fmt.Sprintf("%s in %s.", what, f.dir)
}

// typed follows the path field: a folder ending in a separator is listed;
// otherwise the folder before the last separator is listed, filtered by
// what follows it.
func (f *fileChooser) typed(text string) {
	p := expandHome(strings.TrimSpace(text))
	if p == "" {
		return
	}
	dir, prefix := filepath.Dir(p), filepath.Base(p)
	if strings.HasSuffix(p, string(filepath.Separator)) || strings.HasSuffix(p, "/") {
		dir, prefix = filepath.Clean(p), ""
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(f.dir, dir)
	}
	if !isDir(dir) {
		f.status.SetText("No folder " + dir + ".")
		return
	}
	if err := f.listFolder(dir, prefix); err != nil {
		f.status.SetText(sentence(err))
	}
}

// submitted runs when Enter is pressed in the path field: a folder opens,
// a file is ticked and everything ticked is added.
func (f *fileChooser) submitted(text string) {
	p := f.resolve(text)
	st, err := os.Stat(p)
	switch {
	case err != nil:
		f.status.SetText("No file or folder " + p + ".")
	case st.IsDir():
		f.open(p)
	default:
		f.tick(p, true)
		f.submit()
	}
}

// resolve turns what was typed into an absolute path.
func (f *fileChooser) resolve(text string) string {
	p := expandHome(strings.TrimSpace(text))
	if !filepath.IsAbs(p) {
		p = filepath.Join(f.dir, p)
	}
	return filepath.Clean(p)
}

// complete extends the typed path by what every listed entry's name shares
// beyond it; one folder left gets its separator, so its entries list.
func (f *fileChooser) complete() {
	if len(f.entries) == 0 {
		return
	}
	common := f.entries[0].name
	for _, e := range f.entries[1:] {
		common = commonPrefix(common, e.name)
	}
	if len(common) < len(f.filter) {
		return
	}
	p := filepath.Join(f.dir, common)
	if len(f.entries) == 1 && f.entries[0].dir {
		p = withSep(p)
	}
	f.path.SetText(p)
	f.path.CursorColumn = len([]rune(p))
	f.path.Refresh()
}

// commonPrefix is the longest start a and b share, ignoring case as the
// filter does; a's spelling is kept.
func commonPrefix(a, b string) string {
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && strings.EqualFold(string(ra[n]), string(rb[n])) {
		n++
	}
	return string(ra[:n])
}

// withSep ends a folder's path with the separator.
func withSep(dir string) string {
	if strings.HasSuffix(dir, string(filepath.Separator)) {
		return dir
	}
	return dir + string(filepath.Separator)
}

// expandHome turns a leading ~ into the home folder.
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, "~"+string(filepath.Separator)) {
		return filepath.Join(homeFolder(), p[1:])
	}
	return p
}

// chooserRow is a row of the list: a box to tick, an icon, the name, the
// size and the time it was changed.
type chooserRow struct {
	check *widget.Check
	icon  *widget.Icon
	name  *widget.Label
	size  *widget.Label
	mod   *widget.Label
}

func (f *fileChooser) createRow() fyne.CanvasObject {
	r := &chooserRow{check: widget.NewCheck("", nil), icon: widget.NewIcon(theme.FileIcon()), name: truncLabel(""),
		size: widget.NewLabel(""), mod: widget.NewLabel("")}
	r.size.Alignment = fyne.TextAlignTrailing
	r.mod.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, container.NewHBox(r.check, r.icon), container.NewHBox(r.size, r.mod), r.name)
}

// rowOf finds the parts of a row built by createRow: a border container
// holds its centre (the name) first, then its left and right sides.
func rowOf(o fyne.CanvasObject) chooserRow {
	objs := o.(*fyne.Container).Objects
	left, right := objs[1].(*fyne.Container).Objects, objs[2].(*fyne.Container).Objects
	return chooserRow{check: left[0].(*widget.Check), icon: left[1].(*widget.Icon), name: objs[0].(*widget.Label),
		size: right[0].(*widget.Label), mod: right[1].(*widget.Label)}
}

func (f *fileChooser) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(f.entries) {
		return
	}
	e := f.entries[id]
	r := rowOf(o)
	full := filepath.Join(f.dir, e.name)
	r.check.OnChanged = nil
	r.check.SetChecked(slices.Contains(f.chosen, full))
	r.check.OnChanged = func(on bool) { f.tick(full, on) }
	if e.dir {
		r.icon.SetResource(theme.FolderIcon())
		r.name.SetText(e.name + string(filepath.Separator))
		r.size.SetText("")
	} else {
		r.icon.SetResource(theme.FileIcon())
		r.name.SetText(e.name)
		r.size.SetText(byteSize(e.size))
	}
	r.mod.SetText(e.mod.Format("2006-01-02 15:04"))
}

// onRowTapped opens a folder, or ticks (or unticks) a file.
func (f *fileChooser) onRowTapped(id widget.ListItemID) {
	f.list.UnselectAll()
	if id >= len(f.entries) {
		return
	}
	e := f.entries[id]
	full := filepath.Join(f.dir, e.name)
	if e.dir {
		f.open(full)
		return
	}
	f.tick(full, !slices.Contains(f.chosen, full))
}

// tick adds a path to the chosen ones or takes it off.
func (f *fileChooser) tick(path string, on bool) {
	i := slices.Index(f.chosen, path)
	switch {
	case on && i < 0:
		f.chosen = append(f.chosen, path)
	case !on && i >= 0:
		f.chosen = slices.Delete(f.chosen, i, i+1)
	default:
		return
	}
	f.list.Refresh()
	f.showChosen()
}

// tickAllFiles ticks every file listed.
func (f *fileChooser) tickAllFiles() {
	for _, e := range f.entries {
		if full := filepath.Join(f.dir, e.name); !e.dir && !slices.Contains(f.chosen, full) {
			f.chosen = append(f.chosen, full)
		}
	}
	f.list.Refresh()
	f.showChosen()
}

// showChosen says what is ticked and sets the Add button's label.
func (f *fileChooser) showChosen() {
	if len(f.chosen) == 0 {
		f.chosenL.SetText("Nothing ticked yet.")
		f.addBtn.SetText("Add")
		f.addBtn.Disable()
		return
	}
	names := make([]string, 0, len(f.chosen))
	for _, p := range f.chosen {
		n := filepath.Base(p)
		if isDir(p) {
			n += string(filepath.Separator)
		}
		names = append(names, n)
	}
	const shown = 6
	text := strings.Join(names[:min(len(names), shown)], ", ")
	if len(names) > shown {
		text += fmt.Sprintf(" and %d more", len(names)-shown)
	}
	f.chosenL.SetText("Ticked: " + text + ".")
	f.addBtn.SetText(fmt.Sprintf("Add %d", len(f.chosen)))
	f.addBtn.Enable()
}

// submit hands the ticked paths over and remembers the folder.
func (f *fileChooser) submit() {
	if len(f.chosen) == 0 {
		return
	}
	f.prefs.SetString(prefImportFolder, f.dir)
	f.dlg.Hide()
	if f.onChosen != nil {
		f.onChosen(slices.Clone(f.chosen))
	}
}

// pathEntry is the chooser's path field: typing lists what matches, Tab
// completes, Enter opens or adds, Esc cancels the dialog.
type pathEntry struct {
	widget.Entry
	f     *fileChooser
	quiet bool // the text is being set by the chooser, not typed
}

func newPathEntry(f *fileChooser) *pathEntry {
	e := &pathEntry{f: f}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetPlaceHolder("a folder or file, e.g. ~/Documents/lumora/")
	e.OnChanged = func(s string) {
		if !e.quiet {
			f.typed(s)
		}
	}
	e.OnSubmitted = f.submitted
	return e
}

// setQuietly shows a path without listing it again.
func (e *pathEntry) setQuietly(s string) {
	e.quiet = true
	e.SetText(s)
	e.CursorColumn = len([]rune(s))
	e.Refresh()
	e.quiet = false
}

// AcceptsTab keeps Tab in the field, for completion.
func (e *pathEntry) AcceptsTab() bool { return true }

// TypedKey completes on Tab and passes Esc to the dialog.
func (e *pathEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyTab:
		e.f.complete()
		return
	case fyne.KeyEscape:
		e.f.dlg.Hide()
		return
	}
	e.Entry.TypedKey(k)
}
