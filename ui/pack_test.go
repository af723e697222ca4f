package ui

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"fyne.io/fyne/v2/test"

	"casebook/casefile"
)

// packTheCase packs the open case through the pack dialog, to the age key
// of id, and returns the pack's path.
func packTheCase(t *testing.T, g *harness, cv *caseView, id *age.X25519Identity) string {
	t.Helper()
	cv.onPack()
	d := cv.packDialog
	if d == nil {
		t.Fatal("Pack case for hand-over… opened no dialog")
	}
	path := filepath.Join(t.TempDir(), "handover.zip")
	d.path.SetText(path)
	top := g.win.Canvas().Overlays().Top()

	// A passphrase must be long enough and typed twice alike.
	d.protect.SetSelected(protectPassphrase)
	d.pass.SetText("short")
	d.again.SetText("short")
	test.Tap(buttonLabelled(t, top, "Pack"))
	if !strings.Contains(d.status.Text, "at least 8 characters") {
		t.Errorf("a short passphrase: the status says %q", d.status.Text)
	}
	d.pass.SetText("correct horse battery")
	d.again.SetText("correct horse batterY")
	test.Tap(buttonLabelled(t, top, "Pack"))
	if !strings.Contains(d.status.Text, "differ") {
		t.Errorf("two different passphrases: the status says %q", d.status.Text)
	}
	d.again.SetText("correct horse battery")
	if _, opts, err := d.options(); err != nil || opts.Passphrase != "correct horse battery" {
		t.Errorf("matching passphrases give %+v, %v", opts, err)
	}

	// Keys: only age public keys are taken.
	d.protect.SetSelected(protectKeys)
	if !d.keysBox.Visible() || d.passBox.Visible() {
		t.Error("choosing age keys does not show the keys box alone")
	}
	d.recipients.SetText("not-a-key")
	test.Tap(buttonLabelled(t, top, "Pack"))
	if !strings.Contains(d.status.Text, "not age public keys") {
		t.Errorf("a bad key: the status says %q", d.status.Text)
	}
	d.recipients.SetText("# the receiving desk\n" + id.Recipient().String())
	test.Tap(buttonLabelled(t, top, "Pack"))
	g.settle(t)
	if d.summary == nil {
		t.Fatalf("no summary after packing; the status says %q", d.status.Text)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no pack written: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".pack-*")); len(left) != 0 {
		t.Errorf("packing left %v", left)
	}
	if prot, err := casefile.PackProtection(path); err != nil || prot != casefile.PackKeys {
		t.Errorf("the pack is %q (%v), want encrypted to keys", prot, err)
	}
	for _, want := range []string{"“Test case” is packed into " + path, "encrypted to the age keys", "Manifest SHA-256:"} {
		if !strings.Contains(d.summary.Text, want) {
			t.Errorf("the summary %q does not say %q", d.summary.Text, want)
		}
	}
	return path
}

func TestPackingTheCaseToAnAgeKeyAndUnpackingItWithTheIdentityOpensTheSameCase(t *testing.T) {
	g := newTestGUI(t)
	c, dir := newTestCase(t)
	cv := openTestCase(t, g, c, dir)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	pack := packTheCase(t, g, cv, id)
	want, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	// Unpack: the dialog sees the pack wants an identity file.
	menuItem(t, g, "Unpack a case…").Action()
	d := g.unpack
	d.pack.SetText(pack)
	g.settle(t)
	if !d.idBox.Visible() || d.passBox.Visible() {
		t.Error("a pack encrypted to keys does not ask for the identity file alone")
	}
	if want := filepath.Join(filepath.Dir(pack), "handover"); d.target.Text != want {
		t.Errorf("the dialog proposes %q, want %q beside the pack", d.target.Text, want)
	}
	target := filepath.Join(t.TempDir(), "received")
	d.target.SetText(target)
	top := g.win.Canvas().Overlays().Top()

	// A wrong identity is refused with what to do; the dialog comes back.
	other, _ := age.GenerateX25519Identity()
	d.identity.SetText(writeTemp(t, "other.txt", other.String()+"\n"))
	test.Tap(buttonLabelled(t, top, "Unpack and open"))
	g.settle(t)
	if !strings.Contains(d.status.Text, "does not open this pack") {
		t.Errorf("a wrong identity: the status says %q", d.status.Text)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a refused unpack left the target folder")
	}

	d.identity.SetText(writeTemp(t, "me.txt", "# my key\n"+id.String()+"\n"))
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Unpack and open"))
	g.settle(t)
	if g.cv == nil || g.cv.dir != target {
		t.Fatalf("the unpacked case is not open; the status says %q", d.status.Text)
	}
	t.Cleanup(func() { _ = g.closeCase() })
	got, err := g.cv.c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != want.ID || got.Sources != want.Sources || got.Segments != want.Segments || got.Events != want.Events {
		t.Errorf("the unpacked case is %+v, want %+v", got, want)
	}
	if d.result == nil || !strings.Contains(d.result.Text, "All") || !strings.Contains(d.result.Text, "the case verifies") {
		t.Errorf("the unpack says %v", d.result)
	}
	assertShows(t, g.win.Content(), "Test case\nTess Tester\n2 sources · 3 segments · 3 events")
}

// plainPack packs c without encryption, straight through casefile.
func plainPack(t *testing.T, c *casefile.Case) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := c.Pack(t.Context(), &buf, casefile.PackOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUnpackingWithAWrongPassphraseOrATamperedPackSaysSoAndLeavesNothing(t *testing.T) {
	g := newTestGUI(t)
	c, _ := newTestCase(t)
	plain := plainPack(t, c)

	// A passphrase pack (a light scrypt, to keep the test quick).
	r, err := age.NewScryptRecipient("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(10)
	var enc bytes.Buffer
	w, err := age.Encrypt(&enc, r)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(plain)
	w.Close()
	pack := filepath.Join(t.TempDir(), "case.zip")
	if err := os.WriteFile(pack, enc.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	g.onUnpack()
	d := g.unpack
	d.pack.SetText(pack)
	g.settle(t)
	if !d.passBox.Visible() || d.idBox.Visible() {
		t.Fatal("a passphrase pack does not ask for the passphrase alone")
	}
	target := filepath.Join(t.TempDir(), "received")
	d.target.SetText(target)
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Unpack and open"))
	if !strings.Contains(d.status.Text, "Type the pack's passphrase") {
		t.Errorf("no passphrase: the status says %q", d.status.Text)
	}
	d.pass.SetText("correct horse")
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Unpack and open"))
	g.settle(t)
	if !strings.HasPrefix(d.status.Text, "Wrong passphrase: it does not open this pack.") {
		t.Errorf("a wrong passphrase: the status says %q", d.status.Text)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a refused unpack left the target folder")
	}
	if g.cv != nil {
		t.Error("a case was opened after a refused unpack")
	}

	// A plain pack altered on the way: one byte of the database changed.
	zr, err := zip.NewReader(bytes.NewReader(plain), int64(len(plain)))
	if err != nil {
		t.Fatal(err)
	}
	var at int64 = -1
	for _, f := range zr.File {
		if f.Name == "case.db" {
			if at, err = f.DataOffset(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if at < 0 {
		t.Fatal("no case.db in the pack")
	}
	bad := bytes.Clone(plain)
	bad[at+40] ^= 0x55
	tampered := filepath.Join(t.TempDir(), "tampered.zip")
	if err := os.WriteFile(tampered, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	d.pack.SetText(tampered)
	g.settle(t)
	if d.passBox.Visible() || d.idBox.Visible() {
		t.Error("a plain pack still asks for a passphrase or identity")
	}
	d.target.SetText(target)
	test.Tap(buttonLabelled(t, g.win.Canvas().Overlays().Top(), "Unpack and open"))
	g.settle(t)
	if !strings.HasPrefix(d.status.Text, "The pack is damaged or was altered on the way, so nothing was unpacked") {
		t.Errorf("a tampered pack: the status says %q", d.status.Text)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a tampered pack left the target folder")
	}
}
