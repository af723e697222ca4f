package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// previewRows is how many rows of a log the mapping dialog shows.
const previewRows = 20

// noColumn is the role select's option for "this role has no column".
const noColumn = "(no column)"

// mappingDialog shows the head of an access log whose columns Casebook
// could not place with confidence: a select per role naming the column
// that fills it (preset to Casebook's guess), the first rows as a table
// with each column's role above it, a saved mapping to start from, and a
// name to save the mapping under.
type mappingDialog struct {
	win fyne.Window
	pv  casefile.LogPreview

	columns  []string                 // what the selects call each column: columnLabels
	roles    map[string]*dialogSelect // role -> its column
	labels   map[string]*widget.Label // role -> its label, coloured by how sure the guess is
	profiles []casefile.MappingProfile
	profile  *dialogSelect
	saveAs   *widget.Entry
	dates    *dialogSelect // how numeric dates read: dateOrderChoices
	table    *widget.Table
	status   *widget.Label
	dlg      *dialog.CustomDialog

	onImport func(mapping map[string]string, saveAs string)
	onSkip   func()
	onCancel func()
}

// newMappingDialog builds the dialog for one log's preview; profiles are the
// case's saved mappings.
func newMappingDialog(win fyne.Window, pv casefile.LogPreview, profiles []casefile.MappingProfile) *mappingDialog {
	d := &mappingDialog{win: win, pv: pv, roles: map[string]*dialogSelect{}, labels: map[string]*widget.Label{}, profiles: profiles}
	d.columns = columnLabels(pv)
	options := append([]string{noColumn}, d.columns...)

	intro := widget.NewLabel(mappingIntro(pv))
	intro.Wrapping = fyne.TextWrapWord

	// Key roles first, then the rest in the importer's order.
	order := slices.Clone(casefile.KeyRoles)
	for _, r := range casefile.MappingRoles() {
		if !slices.Contains(order, r) {
			order = append(order, r)
		}
	}
	// Every role is a cell of the same size, as many to a row as fit: the
	// role's name, then a select wide enough to show any column's name.
	labelW, selectW := float32(0), float32(0)
	for _, r := range order {
		labelW = max(labelW, fyne.MeasureText(r, theme.TextSize(), fyne.TextStyle{Bold: true}).Width+2*theme.InnerPadding())
	}
	for _, c := range options {
		selectW = max(selectW, selectWidth(c))
	}
	selectW = min(selectW, maxSelectWidth)
	var cells []fyne.CanvasObject
	for _, role := range order {
		sel := newDialogSelect(options, nil)
		if p, ok := pv.Placed[role]; ok && p.Column < len(d.columns) {
			sel.SetSelected(d.columns[p.Column])
		} else {
			sel.SetSelected(noColumn)
		}
		sel.OnChanged = func(string) { d.changed() }
		l := widget.NewLabel(role)
		l.Alignment = fyne.TextAlignTrailing
		l.TextStyle.Bold = slices.Contains(casefile.KeyRoles, role)
		d.roles[role], d.labels[role] = sel, l
		cells = append(cells, container.New(columns{labelW}, l, sel))
	}
	cell := fyne.NewSize(labelW+theme.Padding()+selectW, widget.NewSelect(nil, nil).MinSize().Height)
	roles := container.NewVScroll(container.NewGridWrap(cell, cells...))

	top := []fyne.CanvasObject{intro}
	if len(profiles) > 0 {
		var names []string
		for _, p := range profiles {
			names = append(names, p.Name)
		}
		d.profile = newDialogSelect(names, d.applyProfile)
		d.profile.PlaceHolder = "Start from a saved mapping…"
		top = append(top, container.NewBorder(nil, nil, widget.NewLabel("Saved mapping"), nil, d.profile))
	}
	rowsTitle := widget.NewLabelWithStyle(fmt.Sprintf("The first %s, with the role each column fills", plural(int64(len(pv.Rows)), "row")),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})

	d.table = d.newTable()
	d.saveAs = widget.NewEntry()
	d.saveAs.SetPlaceHolder("a name, to reuse this mapping for the next log from the same system (optional)")
	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	d.dates = newDialogSelect(dateOrderChoices, nil)
	d.dates.SetSelectedIndex(0)
	bottom := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("Dates such as 05/10/2025"), nil, d.dates),
		container.NewBorder(nil, nil, widget.NewLabel("Save the mapping as"), nil, d.saveAs),
		d.status)
	// The roles above the rows, the line between them movable: both
	// scroll, so the dialog fits a small window.
	split := container.NewVSplit(roles, container.NewBorder(container.NewVBox(widget.NewSeparator(), rowsTitle), nil, nil, nil, d.table))
	split.SetOffset(0.5)
	content := container.NewBorder(container.NewVBox(top...), bottom, nil, nil, split)

	cancel := widget.NewButtonWithIcon("Cancel import", theme.CancelIcon(), func() {
		d.dlg.Hide()
		if d.onCancel != nil {
			d.onCancel()
		}
	})
	skip := widget.NewButtonWithIcon("Skip this file", theme.MediaSkipNextIcon(), func() {
		d.dlg.Hide()
		if d.onSkip != nil {
			d.onSkip()
		}
	})
	imp := widget.NewButtonWithIcon("Import with this mapping", theme.ConfirmIcon(), d.submit)
	imp.Importance = widget.HighImportance
	d.dlg = dialog.NewCustomWithoutButtons("Place the columns of "+filepath.Base(pv.File), content, win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, skip, imp})
	d.dlg.Resize(fitWindow(win, fyne.NewSize(1100, 760)))
	d.changed()
	return d
}

// maxSelectWidth bounds a role's select: a longer column name is cut.
const maxSelectWidth = 340

// selectWidth is how wide a select must be to show text whole: the text,
// the select's insets and its arrow, as Fyne lays a select out.
func selectWidth(text string) float32 {
	return fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{}).Width +
		theme.IconInlineSize() + 3*theme.InnerPadding() - theme.Padding() + 1
}

// mappingIntro says why the dialog shows and what to do.
func mappingIntro(pv casefile.LogPreview) string {
	var why string
	switch {
	case pv.Format == "":
		why = "Casebook does not recognise this log's columns."
	case len(pv.Unsure) > 0:
		why = "Casebook is not sure which columns hold: " + strings.Join(pv.Unsure, ", ") + "."
	default:
		why = "Check where Casebook placed this log's columns."
	}
	if pv.NoHeader {
		why += " Its first row is data, not column names: it is imported as row 1, and the columns are named by position."
	}
	return why + " Choose the column that fills each role; time is needed, the others are filled when they have a column. " +
		"Roles in bold are the ones the rules use."
}

// columnLabels names each column of a preview for people: by its header,
// or, when the file has none or the header is blank, by its position and
// a value from the first rows (Column 2 (e.g. vagrant)). Two columns with
// the same header are told apart by position.
func columnLabels(pv casefile.LogPreview) []string {
	out := make([]string, len(pv.Header))
	seen := map[string]int{}
	for i, h := range pv.Header {
		seen[foldHeader(h)]++
		if pv.NoHeader || strings.TrimSpace(h) == "" {
			out[i] = fmt.Sprintf("Column %d", i+1)
			for _, r := range pv.Rows {
				if i < len(r) && strings.TrimSpace(r[i]) != "" {
					out[i] += " (e.g. " + cutRunes(oneLine(r[i]), 32) + ")"
					break
				}
			}
			continue
		}
		out[i] = strings.TrimSpace(h)
	}
	for i, h := range pv.Header {
		if !pv.NoHeader && strings.TrimSpace(h) != "" && seen[foldHeader(h)] > 1 {
			out[i] = fmt.Sprintf("%s (column %d)", out[i], i+1)
		}
	}
	return out
}

// cutRunes shortens s to n runes, ending in an ellipsis when cut.
func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// newTable is the preview: a header row naming each column and its role,
// then the first rows.
func (d *mappingDialog) newTable() *widget.Table {
	t := widget.NewTable(
		func() (int, int) { return len(d.pv.Rows), len(d.pv.Header) },
		func() fyne.CanvasObject { return truncLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			text := ""
			if id.Row < len(d.pv.Rows) && id.Col < len(d.pv.Rows[id.Row]) {
				text = oneLine(d.pv.Rows[id.Row][id.Col])
			}
			o.(*widget.Label).SetText(text)
		})
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		l := truncLabel("")
		l.TextStyle.Bold = true
		return l
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		if id.Col < 0 || id.Col >= len(d.columns) {
			l.SetText("")
			return
		}
		name := d.columns[id.Col]
		if d.pv.NoHeader {
			name = fmt.Sprintf("Column %d", id.Col+1) // its values are right below
		}
		if rs := d.rolesOf(id.Col); len(rs) > 0 {
			l.Importance = widget.HighImportance
			l.SetText(name + " → " + strings.Join(rs, ", "))
		} else {
			l.Importance = widget.LowImportance
			l.SetText(name)
		}
	}
	for i, h := range d.columns {
		w := fyne.MeasureText(h+" → approver_country", theme.TextSize(), fyne.TextStyle{Bold: true}).Width
		for _, r := range d.pv.Rows {
			if i < len(r) {
				w = max(w, fyne.MeasureText(oneLine(r[i]), theme.TextSize(), fyne.TextStyle{}).Width)
			}
		}
		t.SetColumnWidth(i, min(w+4*theme.InnerPadding(), 300))
	}
	return t
}

// rolesOf lists the roles whose select names column col.
func (d *mappingDialog) rolesOf(col int) []string {
	var out []string
	for _, r := range casefile.MappingRoles() {
		if s := d.roles[r]; s != nil && s.SelectedIndex() == col+1 {
			out = append(out, r)
		}
	}
	return out
}

// changed recolours the role labels and the table header after a select
// changed.
func (d *mappingDialog) changed() {
	for role, l := range d.labels {
		sel := d.roles[role]
		imp := widget.MediumImportance
		switch {
		case sel.Selected == noColumn && slices.Contains(casefile.EssentialRoles, role):
			imp = widget.DangerImportance
		case sel.Selected == noColumn && slices.Contains(casefile.KeyRoles, role):
			imp = widget.WarningImportance
		case sel.Selected != noColumn && d.guessed(role):
			imp = widget.WarningImportance // still Casebook's unsure guess
		}
		if l.Importance != imp {
			l.Importance = imp
			l.Refresh()
		}
	}
	if d.table != nil {
		d.table.Refresh()
	}
	if d.roles["time"].Selected == noColumn {
		d.setStatus("Choose the column that holds the time: an access log cannot be imported without it.", true)
	} else {
		d.setStatus("", false)
	}
}

// guessed reports whether role still sits where Casebook placed it with
// less than full confidence.
func (d *mappingDialog) guessed(role string) bool {
	p, ok := d.pv.Placed[role]
	if !ok || d.roles[role].SelectedIndex()-1 != p.Column {
		return false
	}
	return slices.Contains(d.pv.Unsure, role)
}

func (d *mappingDialog) setStatus(msg string, bad bool) {
	d.status.Importance = widget.MediumImportance
	if bad {
		d.status.Importance = widget.DangerImportance
	}
	d.status.SetText(msg)
}

// setRole points a role at a column by its header, its label in the
// selects or its 1-based number ("" or noColumn for none), as choosing it
// in the role's select does.
func (d *mappingDialog) setRole(role, column string) {
	s := d.roles[role]
	if s == nil {
		return
	}
	if column == "" || column == noColumn {
		s.SetSelected(noColumn)
		return
	}
	i := slices.Index(d.columns, column)
	if i < 0 {
		i = d.columnIndex(column)
	}
	if i >= 0 {
		s.SetSelected(d.columns[i])
	}
}

// applyProfile sets the roles a saved mapping names.
func (d *mappingDialog) applyProfile(name string) {
	for _, p := range d.profiles {
		if p.Name != name {
			continue
		}
		for role, col := range p.Mapping {
			if i := d.columnIndex(col); i >= 0 {
				d.setRole(role, d.columns[i])
			}
		}
		if d.saveAs.Text == "" {
			d.saveAs.SetText(name)
		}
	}
}

// columnIndex finds a column by its header (ignoring case and punctuation,
// as the importer does) or its 1-based number; -1 when there is none.
func (d *mappingDialog) columnIndex(col string) int {
	for i, h := range d.pv.Header {
		if foldHeader(h) == foldHeader(col) && foldHeader(h) != "" {
			return i
		}
	}
	if n, err := strconv.Atoi(col); err == nil && n >= 1 && n <= len(d.pv.Header) {
		return n - 1
	}
	return -1
}

// mapping is the role=column mapping the selects show. A column is named by
// its header, or by its number when its header is empty or not unique.
func (d *mappingDialog) mapping() map[string]string {
	m := map[string]string{}
	for role, s := range d.roles {
		i := s.SelectedIndex() - 1
		if i < 0 || i >= len(d.pv.Header) {
			continue
		}
		name := d.pv.Header[i]
		unique := foldHeader(name) != ""
		for j, h := range d.pv.Header {
			if j != i && foldHeader(h) == foldHeader(name) {
				unique = false
			}
		}
		if !unique {
			name = strconv.Itoa(i + 1)
		}
		m[role] = name
	}
	return m
}

// dateOrderChoices are the date select's options, in the order of
// dateOrders: decide from the values, day first, month first.
var dateOrderChoices = []string{"decide from the column's values", "day first: 05/10/2025 is 5 October", "month first: 05/10/2025 is 10 May"}

// dateOrders are the --date-order values of dateOrderChoices.
var dateOrders = []string{"", "dmy", "mdy"}

// dateOrder is the day/month order chosen for numeric dates ("" to decide
// from the values, "dmy", "mdy"), as import --date-order takes it.
func (d *mappingDialog) dateOrder() string {
	if i := d.dates.SelectedIndex(); i > 0 && i < len(dateOrders) {
		return dateOrders[i]
	}
	return ""
}

// submit hands the mapping over, unless time has no column.
func (d *mappingDialog) submit() {
	if d.roles["time"].Selected == noColumn {
		d.setStatus("Choose the column that holds the time: an access log cannot be imported without it.", true)
		return
	}
	d.dlg.Hide()
	if d.onImport != nil {
		d.onImport(d.mapping(), strings.TrimSpace(d.saveAs.Text))
	}
}

// foldHeader folds a header as the importer matches names: lower case,
// letters, digits and dots only.
func foldHeader(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(h)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' {
			b.WriteRune(r)
		}
	}
	return strings.Trim(b.String(), ".")
}

// loadMappingProfiles fetches the saved mappings for the dialog; a failure
// only leaves the list empty.
func loadMappingProfiles(ctx context.Context, c interface {
	MappingProfiles(context.Context) ([]casefile.MappingProfile, error)
}) []casefile.MappingProfile {
	p, err := c.MappingProfiles(ctx)
	if err != nil {
		return nil
	}
	return p
}
