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
	"fyne.io/fyne/v2/layout"
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

	roles    map[string]*widget.Select // role -> its column
	labels   map[string]*widget.Label  // role -> its label, coloured by how sure the guess is
	profiles []casefile.MappingProfile
	profile  *widget.Select
	saveAs   *widget.Entry
	dates    *widget.Select // how numeric dates read: dateOrderChoices
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
	d := &mappingDialog{win: win, pv: pv, roles: map[string]*widget.Select{}, labels: map[string]*widget.Label{}, profiles: profiles}
	columns := append([]string{noColumn}, pv.Header...)

	intro := widget.NewLabel(mappingIntro(pv))
	intro.Wrapping = fyne.TextWrapWord

	// Key roles first, then the rest in the importer's order.
	order := slices.Clone(casefile.KeyRoles)
	for _, r := range casefile.MappingRoles() {
		if !slices.Contains(order, r) {
			order = append(order, r)
		}
	}
	const perForm = 4
	var forms []fyne.CanvasObject
	var form *fyne.Container
	for i, role := range order {
		if i%perForm == 0 {
			form = container.New(layout.NewFormLayout())
			forms = append(forms, form)
		}
		sel := widget.NewSelect(columns, nil)
		if p, ok := pv.Placed[role]; ok && p.Column < len(pv.Header) {
			sel.SetSelected(pv.Header[p.Column])
		} else {
			sel.SetSelected(noColumn)
		}
		sel.OnChanged = func(string) { d.changed() }
		l := widget.NewLabel(role)
		l.Alignment = fyne.TextAlignTrailing
		l.TextStyle.Bold = slices.Contains(casefile.KeyRoles, role)
		d.roles[role], d.labels[role] = sel, l
		form.Add(l)
		form.Add(sel)
	}
	grid := container.NewGridWithColumns(len(forms), forms...)

	top := []fyne.CanvasObject{intro}
	if len(profiles) > 0 {
		var names []string
		for _, p := range profiles {
			names = append(names, p.Name)
		}
		d.profile = widget.NewSelect(names, d.applyProfile)
		d.profile.PlaceHolder = "Start from a saved mapping…"
		top = append(top, container.NewBorder(nil, nil, widget.NewLabel("Saved mapping"), nil, d.profile))
	}
	top = append(top, grid, widget.NewSeparator(),
		widget.NewLabelWithStyle(fmt.Sprintf("The first %s, with the role each column fills", plural(int64(len(pv.Rows)), "row")),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))

	d.table = d.newTable()
	d.saveAs = widget.NewEntry()
	d.saveAs.SetPlaceHolder("a name, to reuse this mapping for the next log from the same system (optional)")
	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	d.dates = widget.NewSelect(dateOrderChoices, nil)
	d.dates.SetSelectedIndex(0)
	bottom := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("Dates such as 05/10/2025"), nil, d.dates),
		container.NewBorder(nil, nil, widget.NewLabel("Save the mapping as"), nil, d.saveAs),
		d.status)
	content := container.NewBorder(container.NewVBox(top...), bottom, nil, nil, d.table)

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
	d.dlg.Resize(fyne.NewSize(1100, 760))
	d.changed()
	return d
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
	return why + " Choose the column that fills each role; time is needed, the others are filled when they have a column. " +
		"Roles in bold are the ones the rules use."
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
		if id.Col < 0 || id.Col >= len(d.pv.Header) {
			l.SetText("")
			return
		}
		if rs := d.rolesOf(id.Col); len(rs) > 0 {
			l.Importance = widget.HighImportance
			l.SetText(d.pv.Header[id.Col] + " → " + strings.Join(rs, ", "))
		} else {
			l.Importance = widget.LowImportance
			l.SetText(d.pv.Header[id.Col])
		}
	}
	for i, h := range d.pv.Header {
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
	if !ok || p.Column >= len(d.pv.Header) || d.roles[role].Selected != d.pv.Header[p.Column] {
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

// setRole points a role at a column by header name ("" or noColumn for
// none), as choosing it in the role's select does.
func (d *mappingDialog) setRole(role, column string) {
	if column == "" {
		column = noColumn
	}
	if s := d.roles[role]; s != nil {
		s.SetSelected(column)
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
				d.setRole(role, d.pv.Header[i])
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
