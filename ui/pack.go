package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casefile"
)

// packer is what packing needs from a case.
type packer interface {
	Pack(ctx context.Context, w io.Writer, opts casefile.PackOptions) (casefile.PackSummary, error)
	Info(ctx context.Context) (casefile.Info, error)
}

// The protections a pack can have, as the pack dialog offers them.
const (
	protectNone       = "None: anyone who gets the file can read the case"
	protectPassphrase = "A passphrase: tell it to the recipient another way"
	protectKeys       = "Age public keys: only the holders of the keys can open it"
)

// minPassphrase is the shortest passphrase a pack takes.
const minPassphrase = 8

// packDialog is File → Pack case for hand-over…: where to save the pack,
// and how to protect it.
type packDialog struct {
	v *caseView

	path        *dialogEntry
	protect     *widget.RadioGroup
	pass, again *widget.Entry
	recipients  *dialogEntry
	passBox     *fyne.Container
	keysBox     *fyne.Container
	status      *widget.Label
	dlg         *dialog.CustomDialog
	summary     *widget.Label // the result's text, for tests
}

// onPack opens the pack dialog.
func (v *caseView) onPack() {
	if !v.g.canStartJob() {
		return
	}
	d := &packDialog{v: v}
	d.path = newEntry()
	d.path.SetText(defaultPackPath(v.dir))
	choose := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), d.onChoose)
	d.pass = widget.NewPasswordEntry()
	d.pass.SetPlaceHolder(fmt.Sprintf("at least %d characters", minPassphrase))
	d.again = widget.NewPasswordEntry()
	d.again.SetPlaceHolder("the same again")
	d.passBox = container.New(layout.NewFormLayout(), widget.NewLabel("Passphrase"), d.pass, widget.NewLabel("Again"), d.again)
	d.recipients = newMultiLineEntry()
	d.recipients.SetPlaceHolder("age1… — one public key a line, as the recipients sent them")
	d.recipients.SetMinRowsVisible(3)
	loadKeys := widget.NewButtonWithIcon("Load a recipients file…", theme.FileIcon(), d.onLoadRecipients)
	d.keysBox = container.NewBorder(nil, container.NewHBox(loadKeys), nil, nil, d.recipients)
	d.protect = widget.NewRadioGroup([]string{protectNone, protectPassphrase, protectKeys}, d.onProtect)
	d.protect.Required = true
	d.status = widget.NewLabel("The pack holds the case database, every original and a manifest of their SHA-256 hashes; " +
		"the search index is rebuilt where it is unpacked.")
	d.status.Wrapping = fyne.TextWrapWord
	d.status.Importance = widget.LowImportance
	form := container.NewVBox(
		widget.NewLabelWithStyle("Save the pack as", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, nil, choose, d.path),
		widget.NewLabelWithStyle("Protect it with", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		d.protect, d.passBox, d.keysBox, d.status)
	packBtn := widget.NewButtonWithIcon("Pack", theme.DocumentSaveIcon(), d.onPack)
	packBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons("Pack the case for hand-over", form, v.g.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, packBtn})
	d.dlg.Resize(fyne.NewSize(640, 0))
	d.protect.SetSelected(protectPassphrase)
	v.packDialog = d
	d.dlg.Show()
}

// defaultPackPath is beside the case folder, named after it.
func defaultPackPath(caseDir string) string {
	if caseDir == "" {
		return ""
	}
	abs, err := filepath.Abs(caseDir)
	if err != nil {
		abs = caseDir
	}
	return filepath.Join(filepath.Dir(abs), filepath.Base(abs)+"-pack.zip")
}

// onProtect shows the fields of the protection chosen.
func (d *packDialog) onProtect(choice string) {
	d.passBox.Hide()
	d.keysBox.Hide()
	switch choice {
	case protectPassphrase:
		d.passBox.Show()
	case protectKeys:
		d.keysBox.Show()
	}
	d.dlg.Refresh()
}

// onChoose picks where to save the pack.
func (d *packDialog) onChoose() {
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		p := w.URI().Path()
		_ = w.Close()
		_ = os.Remove(p) // the dialog creates it; the pack is written whole or not at all
		if !strings.HasSuffix(strings.ToLower(p), ".zip") {
			p += ".zip"
		}
		d.path.SetText(p)
	}, d.v.g.win)
	fd.SetFileName(filepath.Base(d.path.Text))
	setLocation(fd, filepath.Dir(d.path.Text))
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

// onLoadRecipients adds the keys of a recipients file.
func (d *packDialog) onLoadRecipients() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		b, err := io.ReadAll(io.LimitReader(r, 1<<20))
		_ = r.Close()
		if err != nil {
			d.setStatus("Could not read the recipients file: "+sentence(err), true)
			return
		}
		text := strings.TrimSpace(d.recipients.Text)
		if text != "" {
			text += "\n"
		}
		d.recipients.SetText(text + strings.TrimSpace(string(b)))
	}, d.v.g.win)
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

func (d *packDialog) setStatus(msg string, bad bool) {
	d.status.Importance = widget.MediumImportance
	if bad {
		d.status.Importance = widget.DangerImportance
	}
	d.status.SetText(msg)
}

// options reads the dialog into the pack's options, or says what is wrong.
func (d *packDialog) options() (string, casefile.PackOptions, error) {
	var opts casefile.PackOptions
	path := strings.TrimSpace(d.path.Text)
	if path == "" {
		return "", opts, errors.New("choose where to save the pack")
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return "", opts, errors.New("the pack needs a file name, not a folder: add e.g. /case-pack.zip")
	}
	switch d.protect.Selected {
	case protectPassphrase:
		switch {
		case len([]rune(d.pass.Text)) < minPassphrase:
			return "", opts, fmt.Errorf("the passphrase needs at least %d characters", minPassphrase)
		case d.pass.Text != d.again.Text:
			return "", opts, errors.New("the two passphrases differ: type the same one twice")
		}
		opts.Passphrase = d.pass.Text
	case protectKeys:
		text := strings.TrimSpace(d.recipients.Text)
		if text == "" {
			return "", opts, errors.New("paste at least one age public key (age1…), or load a recipients file")
		}
		if _, err := casefile.ParseRecipients(text); err != nil {
			return "", opts, fmt.Errorf("the keys are not age public keys (%v): each line must be one age1… key", err)
		}
		opts.Recipients = []string{text}
	}
	return path, opts, nil
}

// onPack writes the pack as a job: to a private file beside the target,
// renamed into place when complete, so a failed or cancelled pack leaves
// nothing behind.
func (d *packDialog) onPack() {
	v := d.v
	path, opts, err := d.options()
	if err != nil {
		d.setStatus("Not packed yet: "+sentence(err)+".", true)
		return
	}
	if !v.g.canStartJob() {
		return
	}
	d.dlg.Hide()
	var sum casefile.PackSummary
	v.g.prog.start("Packing the case", func(ctx context.Context, p casefile.ProgressFunc) error {
		opts.Progress = p
		f, err := os.CreateTemp(filepath.Dir(path), ".pack-*.zip")
		if err != nil {
			return fmt.Errorf("cannot write the pack beside %s (%w): choose a folder you can write to", path, err)
		}
		defer os.Remove(f.Name())
		sum, err = v.c.Pack(ctx, f, opts)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return os.Rename(f.Name(), path)
	}, func(err error) {
		if err != nil {
			v.g.showError("The case was not packed", err)
			return
		}
		d.showPacked(path, opts, sum)
	})
}

// showPacked says what was packed, and gives the manifest's SHA-256 to
// read to the recipient out of band.
func (d *packDialog) showPacked(path string, opts casefile.PackOptions, sum casefile.PackSummary) {
	m := sum.Manifest
	how := "not encrypted: send it only over a channel you trust"
	switch {
	case opts.Passphrase != "":
		how = "encrypted with your passphrase: tell it to the recipient another way than the file"
	case len(opts.Recipients) > 0:
		how = "encrypted to the age keys given: only their holders can open it"
	}
	text := fmt.Sprintf("“%s” is packed into %s (%s).\n\n%s, %s, %s; %s, %s.\n\n"+
		"Manifest SHA-256:\n%s\nRead it to the recipient by phone or another channel: unpacking shows the same one when nothing was altered.\n\n"+
		"SHA-256 of the pack file:\n%s",
		m.Title, path, how, plural(int64(m.Sources), "source"), countOf(m.Segments, "segment"), countOf(m.Events, "event"),
		plural(int64(len(m.Files)), "file"), byteSize(sum.Bytes), sum.ManifestSHA256, sum.SHA256)
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapBreak
	l.Selectable = true
	d.summary = l
	info := dialog.NewCustom("Case packed", "Close", l, d.v.g.win)
	info.Resize(fyne.NewSize(640, 0))
	info.Show()
}

// byteSize renders a size as "812 bytes", "45.2 KB" or "1.3 GB".
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return plural(n, "byte")
	case n < 1e6:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	case n < 1e9:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}

// unpackDialog is File → Unpack a case…: the pack, the new folder, and the
// passphrase or identity file when the pack needs one. It stays filled in
// when an unpack fails, to correct and try again.
type unpackDialog struct {
	g *gui

	pack, target *dialogEntry
	pass         *widget.Entry
	identity     *dialogEntry
	passBox      *fyne.Container
	idBox        *fyne.Container
	protection   string // casefile.PackPlain, PackPassphrase or PackKeys; "" while unknown
	status       *widget.Label
	dlg          *dialog.CustomDialog
	targetEdited bool
	gen          int
	result       *widget.Label // the result's text, for tests
}

// onUnpack opens the unpack dialog.
func (g *gui) onUnpack() {
	if !g.canStartJob() {
		return
	}
	if g.unpack == nil {
		g.unpack = newUnpackDialog(g)
	}
	g.unpack.setStatus("Choose the pack file you were sent, and a new or empty folder for the case.", false)
	g.unpack.dlg.Show()
}

func newUnpackDialog(g *gui) *unpackDialog {
	d := &unpackDialog{g: g}
	d.pack = newEntry()
	d.pack.SetPlaceHolder("the .zip you were sent")
	d.pack.OnChanged = func(string) { d.packChanged() }
	choosePack := widget.NewButtonWithIcon("Choose…", theme.FileIcon(), d.onChoosePack)
	d.target = newEntry()
	d.target.SetPlaceHolder("a new folder, or an empty one")
	d.target.OnChanged = func(string) { d.targetEdited = true }
	chooseTarget := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), d.onChooseTarget)
	d.pass = widget.NewPasswordEntry()
	d.pass.SetPlaceHolder("the passphrase the sender told you")
	d.passBox = container.New(layout.NewFormLayout(), widget.NewLabel("Passphrase"), d.pass)
	d.passBox.Hide()
	d.identity = newEntry()
	d.identity.SetPlaceHolder("your age identity file (AGE-SECRET-KEY-1…)")
	chooseID := widget.NewButtonWithIcon("Choose…", theme.FileIcon(), d.onChooseIdentity)
	d.idBox = container.New(layout.NewFormLayout(), widget.NewLabel("Identity file"), container.NewBorder(nil, nil, nil, chooseID, d.identity))
	d.idBox.Hide()
	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	form := container.NewVBox(
		container.New(layout.NewFormLayout(),
			widget.NewLabel("Pack file"), container.NewBorder(nil, nil, nil, choosePack, d.pack),
			widget.NewLabel("Unpack into"), container.NewBorder(nil, nil, nil, chooseTarget, d.target)),
		d.passBox, d.idBox, d.status)
	unpack := widget.NewButtonWithIcon("Unpack and open", theme.FolderOpenIcon(), d.onUnpack)
	unpack.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons("Unpack a case", form, g.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, unpack})
	d.dlg.Resize(fyne.NewSize(680, 0))
	return d
}

func (d *unpackDialog) setStatus(msg string, bad bool) {
	d.status.Importance = widget.MediumImportance
	if bad {
		d.status.Importance = widget.DangerImportance
	}
	d.status.SetText(msg)
}

// onChoosePack picks the pack file.
func (d *unpackDialog) onChoosePack() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		d.pack.SetText(path)
	}, d.g.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".zip", ".age"}))
	if p := strings.TrimSpace(d.pack.Text); p != "" {
		setLocation(fd, filepath.Dir(p))
	}
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

// onChooseTarget picks the folder to unpack into: an empty folder as it
// is, any other a new folder inside it named after the pack.
func (d *unpackDialog) onChooseTarget() {
	fd := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		dir := u.Path()
		if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
			dir = filepath.Join(dir, packCaseName(d.pack.Text))
		}
		d.target.SetText(dir)
	}, d.g.win)
	if p := strings.TrimSpace(d.pack.Text); p != "" {
		setLocation(fd, filepath.Dir(p))
	}
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

// onChooseIdentity picks the age identity file.
func (d *unpackDialog) onChooseIdentity() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		d.identity.SetText(path)
	}, d.g.win)
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

// packCaseName is the folder name a pack unpacks into by default.
func packCaseName(pack string) string {
	name := filepath.Base(strings.TrimSpace(pack))
	for _, ext := range []string{".age", ".zip"} {
		name = strings.TrimSuffix(name, ext)
	}
	if name == "" || name == "." || name == string(filepath.Separator) {
		name = "unpacked-case"
	}
	return name
}

// packChanged proposes a folder beside the pack and finds out, in a
// goroutine, what the pack needs to be opened.
func (d *unpackDialog) packChanged() {
	path := strings.TrimSpace(d.pack.Text)
	d.gen++
	if path == "" {
		d.protection = ""
		d.passBox.Hide()
		d.idBox.Hide()
		return
	}
	if !d.targetEdited || strings.TrimSpace(d.target.Text) == "" {
		d.target.SetText(filepath.Join(filepath.Dir(path), packCaseName(path)))
		d.targetEdited = false
	}
	gen := d.gen
	d.protection = ""
	d.g.bg.spawn(func() {
		prot, err := casefile.PackProtection(path)
		d.g.bg.do(func() {
			if gen != d.gen {
				return
			}
			d.showProtection(prot, err)
		})
	})
}

// showProtection shows the field the pack needs, if any.
func (d *unpackDialog) showProtection(prot string, err error) {
	d.protection = prot
	d.passBox.Hide()
	d.idBox.Hide()
	switch {
	case err != nil:
		d.setStatus("Cannot read the pack: "+sentence(err), true)
	case prot == casefile.PackPassphrase:
		d.passBox.Show()
		d.setStatus("The pack is encrypted with a passphrase: type the one the sender told you.", false)
		d.g.win.Canvas().Focus(d.pass)
	case prot == casefile.PackKeys:
		d.idBox.Show()
		d.setStatus("The pack is encrypted to age keys: choose your identity file, the one holding the secret key the sender encrypted to.", false)
	default:
		d.setStatus("The pack is not encrypted: nothing more is needed.", false)
	}
	d.dlg.Refresh()
}

// onUnpack unpacks as a job, then opens the case; on failure the dialog
// comes back with what went wrong.
func (d *unpackDialog) onUnpack() {
	g := d.g
	pack, target := strings.TrimSpace(d.pack.Text), strings.TrimSpace(d.target.Text)
	switch {
	case pack == "":
		d.setStatus("Choose the pack file first.", true)
		return
	case target == "":
		d.setStatus("Choose a new or empty folder to unpack into.", true)
		return
	case d.protection == casefile.PackPassphrase && d.pass.Text == "":
		d.setStatus("Type the pack's passphrase.", true)
		return
	case d.protection == casefile.PackKeys && strings.TrimSpace(d.identity.Text) == "":
		d.setStatus("Choose your age identity file.", true)
		return
	}
	opts := casefile.UnpackOptions{}
	if d.protection == casefile.PackPassphrase {
		opts.Passphrase = d.pass.Text
	}
	if id := strings.TrimSpace(d.identity.Text); id != "" && d.protection == casefile.PackKeys {
		b, err := os.ReadFile(id)
		if err != nil {
			d.setStatus("Cannot read the identity file: "+sentence(err), true)
			return
		}
		if _, err := casefile.ParseIdentities(string(b)); err != nil {
			d.setStatus("That file holds no age identity (AGE-SECRET-KEY-1…): choose the identity file that goes with the key the sender used.", true)
			return
		}
		opts.Identities = []string{string(b)}
	}
	if !g.canStartJob() {
		return
	}
	d.dlg.Hide()
	var sum casefile.UnpackSummary
	g.prog.start("Unpacking "+filepath.Base(pack), func(ctx context.Context, p casefile.ProgressFunc) error {
		f, err := os.Open(pack)
		if err != nil {
			return err
		}
		defer f.Close()
		opts.Progress = p
		sum, err = casefile.Unpack(ctx, f, target, opts)
		return err
	}, func(err error) {
		if err != nil {
			d.setStatus(unpackAdvice(err), true)
			d.dlg.Show()
			return
		}
		g.unpack = nil // the next unpack starts afresh
		d.showUnpacked(sum)
		g.openCase(target)
	})
}

// showUnpacked says what was unpacked and gives the manifest's SHA-256 to
// compare with the sender's.
func (d *unpackDialog) showUnpacked(sum casefile.UnpackSummary) {
	in, m := sum.Info, sum.Manifest
	text := fmt.Sprintf("“%s” is unpacked into %s: %s, %s, %s. All %s match the manifest, and the case verifies.\n\n"+
		"Manifest SHA-256:\n%s\nCompare it with the one the sender read to you: the same one means nothing was altered on the way.",
		in.Title, sum.Dir, plural(int64(in.Sources), "source"), countOf(in.Segments, "segment"), countOf(in.Events, "event"),
		plural(int64(len(m.Files)), "file"), sum.ManifestSHA256)
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapBreak
	l.Selectable = true
	d.result = l
	info := dialog.NewCustom("Case unpacked", "Close", l, d.g.win)
	info.Resize(fyne.NewSize(640, 0))
	info.Show()
}

// unpackAdvice turns an unpack's failure into what happened and what to do.
func unpackAdvice(err error) string {
	if errors.Is(err, context.Canceled) {
		return "Unpacking was cancelled; nothing was left in the folder. Press Unpack and open to start again."
	}
	msg := err.Error()
	detail := msg
	if _, rest, ok := strings.Cut(msg, "unpack into "); ok {
		if _, after, ok := strings.Cut(rest, ": "); ok {
			detail = after
		}
	}
	low := strings.ToLower(msg)
	switch {
	case strings.Contains(low, "wrong passphrase"):
		return "Wrong passphrase: it does not open this pack. Type it again — capitals and spaces count."
	case strings.Contains(low, "encrypted with a passphrase"):
		return "The pack is encrypted with a passphrase: type the one the sender told you."
	case strings.Contains(low, "none of the identities"):
		return "Your identity file does not open this pack: it was encrypted to other age keys. Choose the identity file " +
			"whose public key you gave the sender."
	case strings.Contains(low, "encrypted to age keys"):
		return "The pack is encrypted to age keys: choose your identity file (AGE-SECRET-KEY-1…)."
	case strings.Contains(low, "not a casebook pack"), strings.Contains(low, "not a pack manifest"):
		return "This file is not a Casebook pack (" + detail + "). Choose the .zip that Pack case for hand-over… wrote."
	case strings.Contains(low, "not empty"), strings.Contains(low, "already exists"), strings.Contains(low, "in the way"):
		return "Choose another folder to unpack into: " + detail + "."
	case strings.Contains(low, "altered"), strings.Contains(low, "damaged"), strings.Contains(low, "fails verification"),
		strings.Contains(low, "refused"), strings.Contains(low, "does not hold"), strings.Contains(low, "lists"):
		return "The pack is damaged or was altered on the way, so nothing was unpacked (" + detail + "). " +
			"Ask the sender for a new copy, and compare the manifest SHA-256 they read to you."
	}
	return "The case was not unpacked: " + sentence(err) + "."
}
