package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// chooserFolder makes a folder of fictional exports: two logs, a transcript
// in a subfolder, another folder with a log, and a hidden file.
func chooserFolder(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"lumora-badge.csv":        strings.ReplaceAll(fixtureAccessLog, "Wei Zhang", "Ines Park"),
		"lumora-vpn.csv":          strings.ReplaceAll(fixtureAccessLog, "Wei Zhang", "Tomas Reyes"),
		"meetings/2022-01-14.txt": strings.ReplaceAll(fixtureTranscript, "Mia Chen", "Ana Ruiz"),
		"archive/lumora-old.csv":  strings.ReplaceAll(fixtureAccessLog, "Wei Zhang", "Li Na"),
		".lumora-cache":           "x",
	}
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// chooserNames lists the names the chooser shows, folders with their
// separator.
func chooserNames(f *fileChooser) []string {
	var out []string
	for _, e := range f.entries {
		n := e.name
		if e.dir {
			n += string(filepath.Separator)
		}
		out = append(out, n)
	}
	return out
}

// tickRow ticks the box of the row showing name, as a click on it does.
func tickRow(t *testing.T, f *fileChooser, name string) {
	t.Helper()
	i := slices.Index(chooserNames(f), name)
	if i < 0 {
		t.Fatalf("%s is not listed: %q", name, chooserNames(f))
	}
	row := f.createRow()
	f.updateRow(i, row)
	test.Tap(rowOf(row).check)
}

// The chooser starts in the folder files were last added from, lists its
// folders then files (hidden ones left out), ticks several files and a
// folder across folders, takes a typed path with Tab completion, adds them
// all to the import at once, and remembers the folder for the next time.
func TestFileChooserTicksSeveralFilesAndFoldersAndRemembersTheFolder(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	root := chooserFolder(t)
	g.app.Preferences().SetString(prefImportFolder, root)

	p := &importPicker{v: cv}
	p.choose()
	f := p.chooser
	if f.dir != root {
		t.Fatalf("the chooser opened in %s, want the last folder %s", f.dir, root)
	}
	want := []string{"archive" + string(filepath.Separator), "meetings" + string(filepath.Separator), "lumora-badge.csv", "lumora-vpn.csv"}
	if got := chooserNames(f); !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
	relayoutWindow(g.win)
	capture(t, g.win, "file-chooser")

	// Two files and a folder here.
	tickRow(t, f, "lumora-badge.csv")
	f.onRowTapped(slices.Index(chooserNames(f), "lumora-vpn.csv")) // a tap on a file's name ticks it too
	tickRow(t, f, "meetings"+string(filepath.Separator))
	// Into archive/ by typing: the list follows, Tab completes the folder.
	f.path.SetText(filepath.Join(root, "arc"))
	if got := chooserNames(f); !slices.Equal(got, []string{"archive" + string(filepath.Separator)}) {
		t.Errorf("after typing …/arc the list shows %q", got)
	}
	f.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	if f.path.Text != withSep(filepath.Join(root, "archive")) || f.dir != filepath.Join(root, "archive") {
		t.Errorf("Tab made the path %q and listed %s, want the archive folder", f.path.Text, f.dir)
	}
	tickRow(t, f, "lumora-old.csv")
	if !strings.Contains(f.chosenL.Text, "lumora-badge.csv, lumora-vpn.csv, meetings/, lumora-old.csv") {
		t.Errorf("the chooser says %q", f.chosenL.Text)
	}
	add := buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Add 4")
	test.Tap(add)

	wantPaths := []string{filepath.Join(root, "lumora-badge.csv"), filepath.Join(root, "lumora-vpn.csv"),
		filepath.Join(root, "meetings"), filepath.Join(root, "archive", "lumora-old.csv")}
	if !slices.Equal(p.paths, wantPaths) {
		t.Fatalf("the import lists %q, want %q", p.paths, wantPaths)
	}
	if got := g.app.Preferences().String(prefImportFolder); got != filepath.Join(root, "archive") {
		t.Errorf("remembered %q, want the archive folder", got)
	}

	// The next chooser opens there; a typed file path and Enter adds it.
	p.choose()
	if p.chooser.dir != filepath.Join(root, "archive") {
		t.Errorf("the next chooser opened in %s", p.chooser.dir)
	}
	extra := writeTemp(t, "lumora-extra.csv", strings.ReplaceAll(fixtureAccessLog, "Wei Zhang", "Sara Lind"))
	p.chooser.path.SetText(extra)
	p.chooser.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(p.paths) != 5 || p.paths[4] != extra {
		t.Fatalf("after Enter on a typed file the import lists %q", p.paths)
	}

	// Import: every file ticked becomes a source.
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Import"))
	g.settle(t)
	for _, name := range []string{"lumora-badge.csv", "lumora-vpn.csv", "2022-01-14.txt", "lumora-old.csv", "lumora-extra.csv"} {
		sourceNamed(t, c, name)
	}
}

// With nothing remembered, the chooser starts in the home folder's
// Documents.
func TestFileChooserStartsInDocuments(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := os.Mkdir(filepath.Join(home, "Documents"), 0o700); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	f := newFileChooser(w, a.Preferences(), nil)
	if f.dir != filepath.Join(home, "Documents") {
		t.Errorf("started in %s, want %s", f.dir, filepath.Join(home, "Documents"))
	}
	// A remembered folder that is gone falls back the same way.
	a.Preferences().SetString(prefImportFolder, filepath.Join(home, "gone"))
	if f := newFileChooser(w, a.Preferences(), nil); f.dir != filepath.Join(home, "Documents") {
		t.Errorf("with the remembered folder gone, started in %s", f.dir)
	}
}
