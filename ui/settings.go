package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// settingsKeeper is what the settings dialog needs from a case.
type settingsKeeper interface {
	Info(ctx context.Context) (casefile.Info, error)
	SetInvestigator(ctx context.Context, name string) error
	Policy(ctx context.Context) (casefile.Policy, error)
	SetPolicy(ctx context.Context, p casefile.Policy) error
	Places(ctx context.Context) (map[string]string, error)
	SetPlaces(ctx context.Context, places map[string]string) error
	ImportPlaces(ctx context.Context, path string) (int, error)
	IPRangeCount(ctx context.Context) (int, error)
	ImportIPRanges(ctx context.Context, path string) (int, error)
	IPDatabases(ctx context.Context) ([]casefile.IPDatabase, error)
	LoadIPDatabase(ctx context.Context, path string) (casefile.IPDatabase, error)
}

// Theme choices, kept in the preferences.
const (
	prefTheme    = "theme"
	themeSystem  = "System"
	themeLight   = "Light"
	themeDark    = "Dark"
	settingsDays = "MonTueWedThuFriSatSun"
)

// settingsDialog edits the case's settings: the investigator's name, the
// policy (home jurisdictions, protected categories, approval, working hours
// per office, offshore storage, bulk threshold), the place table, the
// IP-range table, and the window's theme.
type settingsDialog struct {
	c       settingsKeeper
	g       *gui
	context *contextTables // the roster and data-map tab

	investigator                *dialogEntry
	home, protected             *dialogEntry
	approval                    *dialogCheck
	zone, start, end            *dialogEntry
	days                        *widget.CheckGroup
	offices                     *dialogEntry // NAME=ZONE@HH:MM-HH:MM, one a line
	offshore, offshoreFrom      *dialogEntry
	bulk                        *dialogEntry
	placeName, placeCountry     *dialogEntry
	placeList                   *widget.List
	placesTitle, ipStatus       *widget.Label
	themeChoice                 *widget.RadioGroup
	status                      *widget.Label
	tabs                        *container.AppTabs
	dlg                         *dialog.CustomDialog
	policy                      casefile.Policy  // as loaded, for what the form does not show
	places                      [][2]string      // name, country; sorted
	onSaved                     func()           // after Save stored everything
	changeButtons               []*widget.Button // Save, Add and the imports: disabled in a read-only case
	investigatorAtLoad, loadErr string
}

// onSettings opens the settings dialog once the case's settings are read.
func (v *caseView) onSettings() {
	d := newSettingsDialog(v.c, v.g)
	d.onSaved = v.reload
	v.settings = d
	d.load(func() {
		if v.readOnly != "" {
			// The settings are shown as they are; the theme is the window's.
			for _, b := range d.changeButtons {
				b.Disable()
			}
			d.setStatus(readOnlyText(v.readOnly)+": the settings are shown, not saved. The theme still applies.", true)
		}
		d.dlg.Show()
	})
}

func newSettingsDialog(c settingsKeeper, g *gui) *settingsDialog {
	d := &settingsDialog{c: c, g: g}
	d.investigator = newEntry()
	d.investigator.SetPlaceHolder("your name, recorded on every change from now on")
	d.home = newEntry()
	d.home.SetPlaceHolder("US, CA")
	d.protected = newEntry()
	d.protected.SetPlaceHolder("phone, email, precise_location")
	d.approval = newDialogCheck("Protected data needs an approval id", nil)
	d.zone = newEntry()
	d.zone.SetPlaceHolder("the office's own zone when empty")
	d.start = newEntry()
	d.start.SetPlaceHolder("08:00")
	d.end = newEntry()
	d.end.SetPlaceHolder("19:00")
	d.days = widget.NewCheckGroup(weekdayNames(), nil)
	d.days.Horizontal = true
	d.offices = newMultiLineEntry()
	d.offices.SetPlaceHolder("Beijing=Asia/Shanghai@09:00-18:00\nDublin=Europe/Dublin")
	d.offices.SetMinRowsVisible(3)
	d.offshore = newEntry()
	d.offshore.SetPlaceHolder("resource patterns, e.g. cn-bucket-%")
	d.offshoreFrom = newEntry()
	d.offshoreFrom.SetPlaceHolder("YYYY-MM-DD")
	d.bulk = newEntry()

	people := widget.NewForm(widget.NewFormItem("Investigator", d.investigator))
	hours := container.NewGridWithColumns(3, d.start, d.end, d.zone)
	policy := widget.NewForm(
		widget.NewFormItem("Home jurisdictions", d.home),
		widget.NewFormItem("Protected categories", d.protected),
		widget.NewFormItem("Approval", d.approval),
		widget.NewFormItem("Working hours", hours),
		widget.NewFormItem("Working days", d.days),
		widget.NewFormItem("Offices", d.offices),
		widget.NewFormItem("Offshore storage", d.offshore),
		widget.NewFormItem("Offshore from", d.offshoreFrom),
		widget.NewFormItem("Bulk threshold", d.bulk),
	)
	policy.Items[0].HintText = "Two-letter country codes, comma-separated."
	policy.Items[3].HintText = "Start, end (HH:MM) and a time zone for offices without their own."
	policy.Items[5].HintText = "One office a line: NAME=ZONE, optionally @HH:MM-HH:MM."
	policy.Items[8].HintText = "Records in one event that count as bulk."

	// Places.
	d.placesTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.placeList = widget.NewList(func() int { return len(d.places) },
		func() fyne.CanvasObject { return container.New(columns{260}, truncLabel(""), truncLabel("")) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(d.places) {
				return
			}
			objs := o.(*fyne.Container).Objects
			objs[0].(*widget.Label).SetText(d.places[id][0])
			objs[1].(*widget.Label).SetText(d.places[id][1])
		})
	d.placeName = newEntry()
	d.placeName.SetPlaceHolder("office or city, e.g. Zhongguancun")
	d.placeCountry = newEntry()
	d.placeCountry.SetPlaceHolder("country, e.g. CN")
	addPlace := widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), d.onAddPlace)
	importPlaces := widget.NewButtonWithIcon("Import a CSV of name,country…", theme.FolderOpenIcon(), func() {
		d.pickCSV(d.importPlaces)
	})
	placeHint := widget.NewLabel("An event's country comes from the log; failing that from its office or city through this table " +
		"(country names and several hundred cities are built in); failing that from its IP address.")
	placeHint.Wrapping = fyne.TextWrapWord
	placeHint.Importance = widget.LowImportance
	placesTop := container.NewVBox(placeHint,
		container.NewBorder(nil, nil, nil, container.NewHBox(addPlace, importPlaces),
			container.NewGridWithColumns(2, d.placeName, d.placeCountry)),
		d.placesTitle)
	places := container.NewBorder(placesTop, nil, nil, nil, d.placeList)

	// IP ranges.
	d.ipStatus = widget.NewLabel("")
	d.ipStatus.Wrapping = fyne.TextWrapWord
	ipHint := widget.NewLabel("Load first,last,country ranges — the free DB-IP or IP2Location “lite” country CSV, which replaces " +
		"the case's table — or a MaxMind DB .mmdb database (GeoLite2 or GeoIP2 Country or City, DB-IP lite), which is copied " +
		"into the case with its SHA-256 and build date, to give events without a country one from their IP address. " +
		"An address is looked up in the ranges first, then in the databases, the most recently loaded first. " +
		"Events imported from now on use them; nothing is looked up on a network.")
	ipHint.Wrapping = fyne.TextWrapWord
	ipHint.Importance = widget.LowImportance
	importIPs := widget.NewButtonWithIcon("Import IP ranges or a .mmdb database…", theme.FolderOpenIcon(), func() { d.pickCSV(d.importIPRanges) })
	ip := container.NewVBox(ipHint, d.ipStatus, container.NewHBox(importIPs))

	// Appearance.
	d.themeChoice = widget.NewRadioGroup([]string{themeSystem, themeLight, themeDark}, nil)
	d.themeChoice.Horizontal = true
	d.themeChoice.SetSelected(g.app.Preferences().StringWithFallback(prefTheme, themeSystem))
	d.themeChoice.OnChanged = func(s string) {
		if s != "" {
			g.setTheme(s)
		}
	}
	look := widget.NewForm(widget.NewFormItem("Theme", d.themeChoice))

	d.tabs = container.NewAppTabs(
		container.NewTabItem("Investigator", container.NewVBox(people, look)),
		container.NewTabItem("Policy", container.NewVScroll(policy)),
		container.NewTabItem("Places", places),
		container.NewTabItem("IP ranges", ip),
	)
	d.context = newContextTables(d)
	d.tabs.Append(container.NewTabItem("Roster and data map", d.context.content))
	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	save := widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), d.onSave)
	save.Importance = widget.HighImportance
	closeBtn := widget.NewButtonWithIcon("Close", theme.CancelIcon(), func() { d.dlg.Hide() })
	d.changeButtons = []*widget.Button{save, addPlace, importPlaces, importIPs, d.context.loadRoster, d.context.loadMap}
	d.dlg = dialog.NewCustomWithoutButtons("Settings", container.NewBorder(nil, d.status, nil, nil, d.tabs), g.win)
	d.dlg.SetButtons([]fyne.CanvasObject{closeBtn, save})
	d.dlg.Resize(fitWindow(g.win, fyne.NewSize(880, 720)))
	return d
}

// load reads the case's settings in a goroutine, fills the form, then runs
// then on the UI goroutine.
func (d *settingsDialog) load(then func()) {
	d.g.bg.spawn(func() {
		ctx := context.Background()
		info, ierr := d.c.Info(ctx)
		pol, perr := d.c.Policy(ctx)
		places, lerr := d.c.Places(ctx)
		ips, rerr := d.c.IPRangeCount(ctx)
		dbs, derr := d.c.IPDatabases(ctx)
		rerr = firstErr(rerr, derr)
		d.g.bg.do(func() {
			if err := firstErr(ierr, perr, lerr); err != nil {
				d.setStatus("Could not read the settings: "+sentence(err)+" Close the dialog and try again.", true)
			}
			d.investigatorAtLoad = info.Investigator
			d.investigator.SetText(info.Investigator)
			d.fillPolicy(pol)
			d.setPlaces(places)
			if rerr != nil {
				d.ipStatus.SetText("Could not count the IP ranges: " + sentence(rerr))
			} else {
				d.ipStatus.SetText(ipRangeText(ips, dbs))
			}
			if then != nil {
				then()
			}
		})
	})
	if ck, ok := d.c.(contextKeeper); ok {
		d.context.load(ck)
	}
}

func ipRangeText(n int, dbs []casefile.IPDatabase) string {
	if n == 0 && len(dbs) == 0 {
		return "No IP ranges or IP databases loaded: events without a country get none from their IP address."
	}
	text := "No IP ranges loaded."
	if n > 0 {
		text = plural(int64(n), "IP range") + " loaded."
	}
	for i, db := range dbs {
		if i == 0 {
			text += " IP databases, in the order they are looked up:"
		}
		t := db.Type
		if t == "" {
			t = "no type given"
		}
		text += fmt.Sprintf("\n%s  %s, built %s, from %s (SHA-256 %s…)", db.IPDatabaseRef(), t, db.Built.Format("2006-01-02"), db.Name, db.SHA256[:16])
	}
	return text
}

// fillPolicy shows a policy in the form.
func (d *settingsDialog) fillPolicy(p casefile.Policy) {
	d.policy = p
	d.home.SetText(strings.Join(p.Home, ", "))
	d.protected.SetText(strings.Join(p.Protected, ", "))
	d.approval.SetChecked(p.ApprovalRequired)
	d.zone.SetText(p.DefaultHours.Zone)
	d.start.SetText(p.DefaultHours.Start)
	d.end.SetText(p.DefaultHours.End)
	var days []string
	for _, wd := range p.DefaultHours.Days {
		days = append(days, weekdayName(wd))
	}
	d.days.SetSelected(days)
	var names []string
	for n := range p.Offices {
		names = append(names, n)
	}
	sort.Strings(names)
	var lines []string
	for _, n := range names {
		h := p.Offices[n]
		line := n + "=" + h.Zone
		if h.Start != "" {
			line += "@" + h.Start + "-" + h.End
		}
		lines = append(lines, line)
	}
	d.offices.SetText(strings.Join(lines, "\n"))
	d.offshore.SetText(strings.Join(p.Offshore, ", "))
	d.offshoreFrom.SetText(p.OffshoreFrom)
	d.bulk.SetText(strconv.FormatInt(p.BulkThreshold, 10))
}

// readPolicy reads the form into a policy, or says what is wrong.
func (d *settingsDialog) readPolicy() (casefile.Policy, error) {
	p := d.policy
	p.Home = splitList(d.home.Text)
	if len(p.Home) == 0 {
		return p, errors.New("name at least one home jurisdiction, e.g. US")
	}
	p.Protected = splitList(d.protected.Text)
	p.ApprovalRequired = d.approval.Checked
	p.DefaultHours.Zone = strings.TrimSpace(d.zone.Text)
	p.DefaultHours.Start = strings.TrimSpace(d.start.Text)
	p.DefaultHours.End = strings.TrimSpace(d.end.Text)
	p.DefaultHours.Days = nil
	for _, s := range d.days.Selected {
		p.DefaultHours.Days = append(p.DefaultHours.Days, weekdayOf(s))
	}
	slices.Sort(p.DefaultHours.Days)
	if p.DefaultHours.Zone != "" {
		if _, err := time.LoadLocation(p.DefaultHours.Zone); err != nil {
			return p, fmt.Errorf("the time zone %q is not known: write it as Area/City, e.g. Europe/Dublin", p.DefaultHours.Zone)
		}
	}
	p.Offices = map[string]casefile.Hours{}
	for i, line := range strings.Split(d.offices.Text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, spec, ok := strings.Cut(line, "=")
		zone, hours, _ := strings.Cut(spec, "@")
		name, zone = strings.TrimSpace(name), strings.TrimSpace(zone)
		if !ok || name == "" {
			return p, fmt.Errorf("office line %d %q: write it as NAME=ZONE or NAME=ZONE@HH:MM-HH:MM", i+1, line)
		}
		h := casefile.Hours{Zone: zone, Start: p.DefaultHours.Start, End: p.DefaultHours.End, Days: p.DefaultHours.Days}
		if hours != "" {
			s, e, ok := strings.Cut(hours, "-")
			if !ok {
				return p, fmt.Errorf("office line %d %q: write the hours as HH:MM-HH:MM", i+1, line)
			}
			h.Start, h.End = strings.TrimSpace(s), strings.TrimSpace(e)
		}
		p.Offices[name] = h
	}
	p.Offshore = splitList(d.offshore.Text)
	p.OffshoreFrom = strings.TrimSpace(d.offshoreFrom.Text)
	n, err := strconv.ParseInt(strings.TrimSpace(strings.ReplaceAll(d.bulk.Text, ",", "")), 10, 64)
	if err != nil || n <= 0 {
		return p, fmt.Errorf("the bulk threshold %q must be a whole number of records above 0", d.bulk.Text)
	}
	p.BulkThreshold = n
	return p, nil
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	out := []string{}
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// onSave stores the investigator and the policy in a goroutine.
func (d *settingsDialog) onSave() {
	p, err := d.readPolicy()
	if err != nil {
		d.tabs.SelectIndex(1)
		d.setStatus("The policy was not saved: "+sentence(err)+".", true)
		return
	}
	name := strings.TrimSpace(d.investigator.Text)
	if name == "" {
		d.tabs.SelectIndex(0)
		d.setStatus("Write the investigator's name: it is recorded on every change.", true)
		return
	}
	changed := name != d.investigatorAtLoad
	d.setStatus("Saving…", false)
	d.g.bg.spawn(func() {
		ctx := context.Background()
		var err error
		if changed {
			err = d.c.SetInvestigator(ctx, name)
		}
		if err == nil {
			err = d.c.SetPolicy(ctx, p)
		}
		saved, _ := d.c.Policy(ctx)
		d.g.bg.do(func() {
			if err != nil {
				d.setStatus("The settings were not saved: "+sentence(err)+". Correct it and press Save again.", true)
				return
			}
			d.investigatorAtLoad = name
			d.fillPolicy(saved)
			d.setStatus("Saved. Run the rules again to apply the policy to the evidence.", false)
			if d.onSaved != nil {
				d.onSaved()
			}
		})
	})
}

// setPlaces shows the case's place table.
func (d *settingsDialog) setPlaces(m map[string]string) {
	d.places = d.places[:0]
	for n, cc := range m {
		d.places = append(d.places, [2]string{n, cc})
	}
	sort.Slice(d.places, func(i, j int) bool { return strings.ToLower(d.places[i][0]) < strings.ToLower(d.places[j][0]) })
	if len(d.places) == 0 {
		d.placesTitle.SetText("The case has no places of its own yet.")
	} else {
		d.placesTitle.SetText(fmt.Sprintf("The case's own places (%d)", len(d.places)))
	}
	d.placeList.Refresh()
}

// onAddPlace adds one name → country row to the place table.
func (d *settingsDialog) onAddPlace() {
	name, cc := strings.TrimSpace(d.placeName.Text), strings.TrimSpace(d.placeCountry.Text)
	if name == "" || cc == "" {
		d.setStatus("Write a place and its country, e.g. Zhongguancun and CN.", true)
		return
	}
	d.g.bg.spawn(func() {
		ctx := context.Background()
		err := d.c.SetPlaces(ctx, map[string]string{name: cc})
		places, lerr := d.c.Places(ctx)
		d.g.bg.do(func() {
			if err != nil {
				d.setStatus("The place was not added: "+sentence(err)+". Write the country as a code (CN) or a name (China).", true)
				return
			}
			d.placeName.SetText("")
			d.placeCountry.SetText("")
			if lerr == nil {
				d.setPlaces(places)
			}
			d.setStatus("Added "+name+". Events imported from now on use it.", false)
		})
	})
}

// pickCSV asks for a CSV file and hands its path to then.
func (d *settingsDialog) pickCSV(then func(path string)) {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		then(path)
	}, d.g.win)
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

// importPlaces reads a CSV of name,country rows into the place table.
func (d *settingsDialog) importPlaces(path string) {
	d.setStatus("Reading "+path+"…", false)
	d.g.bg.spawn(func() {
		ctx := context.Background()
		n, err := d.c.ImportPlaces(ctx, path)
		places, lerr := d.c.Places(ctx)
		d.g.bg.do(func() {
			if err != nil {
				d.setStatus("No places were added: "+sentence(err)+". The file needs name,country rows.", true)
				return
			}
			if lerr == nil {
				d.setPlaces(places)
			}
			d.setStatus(fmt.Sprintf("Added %s from %s.", plural(int64(n), "place"), path), false)
		})
	})
}

// importIPRanges replaces the IP-range table from a CSV, or adds a MaxMind
// DB (.mmdb, told by its content) to the case's IP databases, as a job.
func (d *settingsDialog) importIPRanges(path string) {
	if !d.g.canStartJob() {
		return
	}
	var n int
	var isDB bool
	var db casefile.IPDatabase
	var dbs []casefile.IPDatabase
	d.setStatus("Loading IP ranges from "+path+"…", false)
	d.g.prog.start("Loading IP ranges", func(ctx context.Context, _ casefile.ProgressFunc) error {
		var err error
		if isDB = casefile.IsIPDatabaseFile(path); isDB {
			db, err = d.c.LoadIPDatabase(ctx, path)
		} else {
			_, err = d.c.ImportIPRanges(ctx, path)
		}
		if err != nil {
			return err
		}
		if n, err = d.c.IPRangeCount(ctx); err != nil {
			return err
		}
		dbs, err = d.c.IPDatabases(ctx)
		return err
	}, func(err error) {
		switch {
		case err != nil && isDB:
			d.setStatus("The IP database was not loaded: "+sentence(err), true)
		case err != nil:
			d.setStatus("The IP ranges were not loaded: "+sentence(err)+". The file needs first,last,country rows, or is a .mmdb database.", true)
		case isDB:
			d.ipStatus.SetText(ipRangeText(n, dbs))
			d.setStatus(fmt.Sprintf("Loaded %s (%s, built %s) into the case. Events imported from now on use it.",
				db.Name, db.Type, db.Built.Format("2006-01-02")), false)
		default:
			d.ipStatus.SetText(ipRangeText(n, dbs))
			d.setStatus(fmt.Sprintf("Loaded %s. Events imported from now on use them.", plural(int64(n), "IP range")), false)
		}
	})
}

func (d *settingsDialog) setStatus(msg string, bad bool) {
	d.status.Importance = widget.MediumImportance
	if bad {
		d.status.Importance = widget.DangerImportance
	}
	d.status.SetText(msg)
}

// weekdayNames are the working-day choices, Monday first.
func weekdayNames() []string {
	out := make([]string, 7)
	for i := range out {
		out[i] = settingsDays[i*3 : i*3+3]
	}
	return out
}

// weekdayName is a day's three-letter name.
func weekdayName(d time.Weekday) string {
	i := (int(d) + 6) % 7 // Monday = 0
	return settingsDays[i*3 : i*3+3]
}

// weekdayOf is the day named by weekdayName.
func weekdayOf(s string) time.Weekday {
	i := strings.Index(settingsDays, s) / 3
	return time.Weekday((i + 1) % 7)
}

// variantTheme is the default theme in one variant, whatever the system
// prefers.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

// Color returns the colour of the forced variant.
func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// setTheme applies and remembers the theme choice.
func (g *gui) setTheme(choice string) {
	g.app.Preferences().SetString(prefTheme, choice)
	g.applyTheme()
}

// applyTheme applies the remembered theme choice.
func (g *gui) applyTheme() {
	switch g.app.Preferences().StringWithFallback(prefTheme, themeSystem) {
	case themeLight:
		g.app.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	case themeDark:
		g.app.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantDark})
	default:
		g.app.Settings().SetTheme(theme.DefaultTheme())
	}
}
