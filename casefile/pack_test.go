package casefile_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"filippo.io/age"

	"casebook/casefile"
	"casebook/model"
)

// packedCase makes a case with both fixtures and a tagged quote, and packs
// it (with opts) to a file. It returns the case folder (closed) and the pack.
func packedCase(t *testing.T, opts casefile.PackOptions) (dir, pack string, sum casefile.PackSummary) {
	t.Helper()
	c, dir := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	if _, err := c.Tag(t.Context(), model.ItemID{Kind: model.ItemSegment, N: 2}, "master-admin", casefile.TagOptions{Note: "the admin role"}); err != nil {
		t.Fatalf("tag: %v", err)
	}
	pack = filepath.Join(t.TempDir(), "case.zip")
	f, err := os.Create(pack)
	if err != nil {
		t.Fatal(err)
	}
	sum, err = c.Pack(t.Context(), f, opts)
	if err != nil {
		t.Fatalf("pack: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, pack, sum
}

func unpackFile(t *testing.T, pack, dir string, opts casefile.UnpackOptions) (casefile.UnpackSummary, error) {
	t.Helper()
	f, err := os.Open(pack)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return casefile.Unpack(t.Context(), f, dir, opts)
}

// caseFacts is what must survive a pack and unpack.
type caseFacts struct {
	ID, Title                 string
	Sources                   int
	Segments, Events          int64
	SourceSHAs                []string
	AdminHits, TagHits, Total uint64
	HitIDs                    []string
}

func facts(t *testing.T, dir string) caseFacts {
	t.Helper()
	c, err := casefile.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	defer c.Close()
	info, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	f := caseFacts{ID: info.ID, Title: info.Title, Sources: info.Sources, Segments: info.Segments, Events: info.Events}
	srcs, _ := c.Sources(t.Context())
	for _, s := range srcs {
		f.SourceSHAs = append(f.SourceSHAs, s.Name+"="+s.SHA256)
	}
	search := func(q string) casefile.Results {
		r, err := c.Search(t.Context(), casefile.Query{Text: q, Limit: 100})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return r
	}
	admin := search(`"master admin"`)
	f.AdminHits, f.TagHits, f.Total = admin.Total, search("tag:master-admin").Total, search("").Total
	for _, h := range admin.Hits {
		f.HitIDs = append(f.HitIDs, h.ID)
	}
	return f
}

func TestPackAndUnpackGiveBackTheSameCaseVerifiedAndSearchable(t *testing.T) {
	dir, pack, sum := packedCase(t, casefile.PackOptions{})
	before := facts(t, dir)
	if before.AdminHits == 0 || before.TagHits != 1 {
		t.Fatalf("fixture case: %d hits for \"master admin\", %d for the tag", before.AdminHits, before.TagHits)
	}
	if sum.Encrypted || sum.Manifest.Sources != 2 || sum.Manifest.CaseID != before.ID {
		t.Errorf("summary %+v", sum)
	}

	// The pack is a zip of case.db, the originals and the manifest: no index,
	// no lock, no journals.
	zr, err := zip.OpenReader(pack)
	if err != nil {
		t.Fatalf("the pack is not a zip: %v", err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	zr.Close()
	sort.Strings(names)
	if len(names) != 4 || names[0] != "case.db" || names[1] != "manifest.json" ||
		!strings.HasPrefix(names[2], "originals/") || !strings.HasPrefix(names[3], "originals/") {
		t.Errorf("pack entries %v, want case.db, manifest.json and two originals", names)
	}
	// The manifest hashes every file, and its digest is what Pack reported.
	mb := readZipEntry(t, pack, "manifest.json")
	if got := sha256.Sum256(mb); hex.EncodeToString(got[:]) != sum.ManifestSHA256 {
		t.Errorf("manifest digest %x, Pack said %s", got, sum.ManifestSHA256)
	}
	var man casefile.PackManifest
	if err := json.Unmarshal(mb, &man); err != nil || len(man.Files) != 3 {
		t.Fatalf("manifest: %v, %d files", err, len(man.Files))
	}
	for _, f := range man.Files {
		got := sha256.Sum256(readZipEntry(t, pack, f.Path))
		if hex.EncodeToString(got[:]) != f.SHA256 {
			t.Errorf("manifest sha256 of %s is wrong", f.Path)
		}
	}

	target := filepath.Join(t.TempDir(), "received case ü")
	var stages = map[string]bool{}
	got, err := unpackFile(t, pack, target, casefile.UnpackOptions{Progress: func(p casefile.Progress) { stages[p.Stage] = true }})
	if err != nil {
		t.Fatalf("unpack: %v", err)
	}
	if !got.Verify.OK || got.ManifestSHA256 != sum.ManifestSHA256 || got.Encrypted {
		t.Errorf("unpack summary: %+v", got)
	}
	for _, s := range []string{"unpack", "rebuild", "verify"} {
		if !stages[s] {
			t.Errorf("no %q progress (got %v)", s, stages)
		}
	}
	after := facts(t, target)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("unpacked case differs:\n before %+v\n after  %+v", before, after)
	}
	c := reopen2(t, target)
	if p := verifyProblems(t, c); len(p) != 0 {
		t.Errorf("verify the unpacked case: %v", p)
	}
	trail, _ := c.AuditTrail(t.Context())
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action)
	}
	if j := strings.Join(actions, " "); !strings.Contains(j, "pack") || !strings.Contains(j, "unpack") {
		t.Errorf("audit trail does not record the pack and the unpack: %s", j)
	}
	c.Close()
	// No staging folder is left beside the target.
	entries, _ := os.ReadDir(filepath.Dir(target))
	if len(entries) != 1 {
		t.Errorf("beside the unpacked case: %v", entries)
	}

	// The package-level Pack opens a closed case folder itself; a pack read
	// from a stream (not a file) unpacks as well.
	var buf bytes.Buffer
	if _, err := casefile.Pack(t.Context(), target, &buf, casefile.PackOptions{}); err != nil {
		t.Fatalf("pack the unpacked case: %v", err)
	}
	again := filepath.Join(t.TempDir(), "again")
	if _, err := casefile.Unpack(t.Context(), io.MultiReader(&buf), again, casefile.UnpackOptions{}); err != nil {
		t.Fatalf("unpack from a stream: %v", err)
	}
	if f := facts(t, again); f.Total != before.Total || f.AdminHits != before.AdminHits {
		t.Errorf("second round trip: %+v", f)
	}
}

func readZipEntry(t *testing.T, pack, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(pack)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("%s: no entry %s", pack, name)
	return nil
}

// rewriteZip copies a zip, letting edit change (or drop, returning nil) each
// entry's bytes; names may be renamed through rename.
func rewriteZip(t *testing.T, src string, edit func(name string, b []byte) (string, []byte)) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := filepath.Join(t.TempDir(), "edited.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		rc, _ := e.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		name, nb := edit(e.Name, b)
		if nb == nil {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(nb)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return out
}

// assertNothingUnpacked checks that a refused unpack left no case and no
// staging folder.
func assertNothingUnpacked(t *testing.T, target string) {
	t.Helper()
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists after a refused unpack", target)
	}
	entries, _ := os.ReadDir(filepath.Dir(target))
	for _, e := range entries {
		t.Errorf("left beside the target: %s", e.Name())
	}
}

func TestUnpackRefusesATamperedPackNamingTheFile(t *testing.T) {
	_, pack, _ := packedCase(t, casefile.PackOptions{})
	zr, err := zip.OpenReader(pack)
	if err != nil {
		t.Fatal(err)
	}
	var original string
	var dataAt int64
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "originals/") {
			original = f.Name
			if dataAt, err = f.DataOffset(); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	zr.Close()

	flipped := filepath.Join(t.TempDir(), "flipped.zip")
	b, _ := os.ReadFile(pack)
	b[dataAt+5] ^= 0x01 // inside the original's compressed bytes
	os.WriteFile(flipped, b, 0o600)

	// A changed byte with the zip's own checksum fixed up: only the
	// manifest's SHA-256 can tell.
	reDB := rewriteZip(t, pack, func(name string, b []byte) (string, []byte) {
		if name == "case.db" {
			b[len(b)/2] ^= 0x01
		}
		return name, b
	})
	// An original swapped for other bytes under the same name, the manifest
	// rewritten to match them: its name (its SHA-256) gives it away.
	var manifest casefile.PackManifest
	json.Unmarshal(readZipEntry(t, pack, "manifest.json"), &manifest)
	swapped := rewriteZip(t, pack, func(name string, b []byte) (string, []byte) {
		switch {
		case name == original:
			return name, []byte("Mia Chen: nothing to see here.\n")
		case name == "manifest.json":
			for i, f := range manifest.Files {
				if f.Path == original {
					s := sha256.Sum256([]byte("Mia Chen: nothing to see here.\n"))
					manifest.Files[i].SHA256, manifest.Files[i].Size = hex.EncodeToString(s[:]), 31
				}
			}
			nb, _ := json.Marshal(manifest)
			return name, nb
		}
		return name, b
	})
	dropped := rewriteZip(t, pack, func(name string, b []byte) (string, []byte) {
		if name == original {
			return name, nil
		}
		return name, b
	})
	// An original left out of the pack and of its manifest: every entry
	// matches, but the case it makes fails verification, and is removed.
	unlisted := rewriteZip(t, pack, func(name string, b []byte) (string, []byte) {
		switch name {
		case original:
			return name, nil
		case "manifest.json":
			var m casefile.PackManifest
			json.Unmarshal(b, &m)
			var keep []casefile.PackFile
			for _, f := range m.Files {
				if f.Path != original {
					keep = append(keep, f)
				}
			}
			m.Files = keep
			nb, _ := json.Marshal(m)
			return name, nb
		}
		return name, b
	})
	for _, tc := range []struct {
		name, pack string
		want       []string
	}{
		{"an original left out with its manifest line", unlisted, []string{"fails verification", "original is missing"}},
		{"a flipped byte", flipped, []string{original, "damaged"}},
		{"a changed byte with a fixed zip checksum", reDB, []string{`"case.db"`, "SHA-256", "manifest"}},
		{"an original replaced along with its manifest line", swapped, []string{original, "not its SHA-256"}},
		{"an original missing", dropped, []string{original, "does not hold"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := filepath.Join(t.TempDir(), "case")
			_, err := unpackFile(t, tc.pack, target, casefile.UnpackOptions{})
			if err == nil {
				t.Fatal("a tampered pack was unpacked")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
			t.Logf("refused: %s", msg)
			assertNothingUnpacked(t, target)
		})
	}
}

// hostileZip writes a pack-shaped zip whose manifest lists the entries given
// (with their true hashes) beside a real case.db.
func hostileZip(t *testing.T, pack string, extra map[string]string) string {
	t.Helper()
	var manifest casefile.PackManifest
	json.Unmarshal(readZipEntry(t, pack, "manifest.json"), &manifest)
	db := readZipEntry(t, pack, "case.db")
	out := filepath.Join(t.TempDir(), "hostile.zip")
	f, _ := os.Create(out)
	zw := zip.NewWriter(f)
	add := func(name string, b []byte) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	add("case.db", db)
	files := []casefile.PackFile{}
	for _, f := range manifest.Files {
		if f.Path == "case.db" {
			files = append(files, f)
		}
	}
	for name, body := range extra {
		add(name, []byte(body))
		s := sha256.Sum256([]byte(body))
		files = append(files, casefile.PackFile{Path: name, Size: int64(len(body)), SHA256: hex.EncodeToString(s[:])})
	}
	manifest.Files = files
	mb, _ := json.Marshal(manifest)
	add("manifest.json", mb)
	zw.Close()
	f.Close()
	return out
}

func TestUnpackRefusesEntriesThatWouldLeaveTheCaseFolder(t *testing.T) {
	_, pack, _ := packedCase(t, casefile.PackOptions{})
	for _, tc := range []struct{ entry, want string }{
		{"../evil.txt", "escapes the case folder"},
		{"originals/../../evil.txt", "escapes the case folder"},
		{"/tmp/casebook-evil.txt", "absolute path"},
		{`..\evil.txt`, "backslash"},
		{"index/store/root.bolt", "not part of a Casebook case"},
		{"originals/ab/not-a-hash", "not an original's place"},
	} {
		t.Run(tc.entry, func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "inner", "case")
			_, err := unpackFile(t, hostileZip(t, pack, map[string]string{tc.entry: "owned\n"}), target, casefile.UnpackOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), strconv.Quote(tc.entry)) {
				t.Fatalf("entry %q: error %v, want one naming it and saying %q", tc.entry, err, tc.want)
			}
			filepath.WalkDir(parent, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					t.Errorf("a refused unpack wrote %s", p)
				}
				return nil
			})
			if _, err := os.Stat("/tmp/casebook-evil.txt"); err == nil {
				t.Errorf("an absolute entry was written")
			}
		})
	}
}

func TestUnpackRefusesATargetThatIsNotEmpty(t *testing.T) {
	dir, pack, _ := packedCase(t, casefile.PackOptions{})
	busy := t.TempDir()
	os.WriteFile(filepath.Join(busy, "notes.txt"), []byte("mine\n"), 0o600)
	for target, want := range map[string]string{busy: "not empty", dir: "a case already exists"} {
		_, err := unpackFile(t, pack, target, casefile.UnpackOptions{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("unpack into %s: %v, want %q", target, err, want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(busy, "notes.txt")); string(b) != "mine\n" {
		t.Errorf("the existing folder was touched")
	}
	// An empty folder is fine; a refused unpack leaves it empty.
	empty := t.TempDir()
	if _, err := unpackFile(t, hostileZip(t, pack, map[string]string{"../evil.txt": "x"}), empty, casefile.UnpackOptions{}); err == nil {
		t.Errorf("a hostile pack was unpacked")
	}
	if left, err := os.ReadDir(empty); err != nil || len(left) != 0 {
		t.Errorf("a refused unpack left %v in the empty target (%v)", left, err)
	}
	if _, err := unpackFile(t, pack, empty, casefile.UnpackOptions{}); err != nil {
		t.Errorf("unpack into an empty folder: %v", err)
	}
}

func TestAPassphrasePackRoundTripsAndAWrongPassphraseIsRefused(t *testing.T) {
	defer casefile.SetScryptWorkFactorForTest(10)()
	const pass = "correct horse battery staple"
	dir, pack, sum := packedCase(t, casefile.PackOptions{Passphrase: pass})
	want := facts(t, dir)
	b, _ := os.ReadFile(pack)
	if !sum.Encrypted || !bytes.HasPrefix(b, []byte("age-encryption.org/v1\n")) || bytes.Contains(b, []byte("manifest.json")) {
		t.Fatalf("the pack is not an age file hiding its contents")
	}
	for _, tc := range []struct {
		name string
		opts casefile.UnpackOptions
		want string
	}{
		{"wrong passphrase", casefile.UnpackOptions{Passphrase: "incorrect horse"}, "wrong passphrase"},
		{"no passphrase", casefile.UnpackOptions{}, "encrypted with a passphrase"},
		{"an identity instead", casefile.UnpackOptions{Identities: []string{newIdentity(t).String()}}, "encrypted with a passphrase"},
	} {
		target := filepath.Join(t.TempDir(), "case")
		_, err := unpackFile(t, pack, target, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
		assertNothingUnpacked(t, target)
	}
	// A flipped byte of ciphertext fails age's authentication.
	flipped := filepath.Join(t.TempDir(), "flipped.zip")
	nb := append([]byte(nil), b...)
	nb[len(nb)-100] ^= 0x01
	os.WriteFile(flipped, nb, 0o600)
	target := filepath.Join(t.TempDir(), "case")
	if _, err := unpackFile(t, flipped, target, casefile.UnpackOptions{Passphrase: pass}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("flipped ciphertext: %v, want a damaged pack", err)
	}
	assertNothingUnpacked(t, target)

	// The right passphrase, asked for only when needed.
	asked := 0
	target = filepath.Join(t.TempDir(), "case")
	got, err := unpackFile(t, pack, target, casefile.UnpackOptions{AskPassphrase: func() (string, error) { asked++; return pass, nil }})
	if err != nil {
		t.Fatalf("unpack with the passphrase: %v", err)
	}
	if asked != 1 || !got.Encrypted || !got.Verify.OK {
		t.Errorf("asked %d times, summary %+v", asked, got)
	}
	if f := facts(t, target); !reflect.DeepEqual(f, want) {
		t.Errorf("decrypted case differs:\n want %+v\n got  %+v", want, f)
	}
}

func newIdentity(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAPackForAnAgeRecipientOpensOnlyWithItsIdentity(t *testing.T) {
	alice, bob := newIdentity(t), newIdentity(t)
	dir, pack, _ := packedCase(t, casefile.PackOptions{Recipients: []string{"# the receiving desk\n" + alice.Recipient().String() + "\n"}})
	want := facts(t, dir)
	target := filepath.Join(t.TempDir(), "case")
	if _, err := unpackFile(t, pack, target, casefile.UnpackOptions{Identities: []string{bob.String()}}); err == nil ||
		!strings.Contains(err.Error(), "none of the identities") {
		t.Errorf("the wrong identity: %v", err)
	}
	if _, err := unpackFile(t, pack, target, casefile.UnpackOptions{Passphrase: "guess"}); err == nil ||
		!strings.Contains(err.Error(), "encrypted to age keys") {
		t.Errorf("a passphrase for a recipient pack: %v", err)
	}
	assertNothingUnpacked(t, target)
	// From a stream, so the decrypted zip goes through the staging folder.
	b, _ := os.ReadFile(pack)
	got, err := casefile.Unpack(t.Context(), bytes.NewReader(b), target,
		casefile.UnpackOptions{Identities: []string{bob.String() + "\n" + alice.String() + "\n"}})
	if err != nil {
		t.Fatalf("unpack with the identity: %v", err)
	}
	if !got.Encrypted || !got.Verify.OK {
		t.Errorf("summary %+v", got)
	}
	if f := facts(t, target); !reflect.DeepEqual(f, want) {
		t.Errorf("decrypted case differs:\n want %+v\n got  %+v", want, f)
	}
	if _, err := casefile.Pack(t.Context(), dir, io.Discard, casefile.PackOptions{Passphrase: "x", Recipients: []string{alice.Recipient().String()}}); err == nil {
		t.Errorf("a passphrase and recipients together were accepted")
	}
}

func TestPackRefusesAnAlteredOriginalAndStopsWhenCancelled(t *testing.T) {
	c, _ := newCase(t)
	importOK(t, c, casefile.ImportOptions{}, transcriptFixture, accessFixture)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Pack(ctx, io.Discard, casefile.PackOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled pack: %v", err)
	}
	srcs, _ := c.Sources(t.Context())
	p := c.OriginalPath(srcs[1])
	os.Chmod(p, 0o600)
	b, _ := os.ReadFile(p)
	b[20] ^= 0x20
	os.WriteFile(p, b, 0o600)
	_, err := c.Pack(t.Context(), io.Discard, casefile.PackOptions{})
	if err == nil || !strings.Contains(err.Error(), "src-2 (access.csv): original was altered") {
		t.Errorf("pack with an altered original: %v", err)
	}
}
