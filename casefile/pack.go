package casefile

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"

	"casebook/store"
)

// A pack is one file that carries a whole case from one desk to another: a
// zip archive of the database (a consistent snapshot taken with SQLite's
// VACUUM INTO), every original and the case's other top-level files, with
// manifest.json listing the SHA-256 and size of each. The search index is
// left out: it is derived from the database, rebuilt when the unpacked case
// is first opened, and an index taken from a pack would be unverified input
// to Bleve. The whole zip may be encrypted with age, to a passphrase (scrypt)
// or to age public keys (X25519).

const (
	packFormat   = "casebook-pack/1"
	manifestName = "manifest.json"
	maxManifest  = 64 << 20 // bytes of manifest.json accepted on unpack
)

// scryptWorkFactor is the scrypt work factor (log2 N) for passphrase packs;
// 0 leaves age's default (18). Tests lower it.
var scryptWorkFactor = 0

// PackOptions are the choices for Pack.
type PackOptions struct {
	// Passphrase, when not empty, encrypts the pack with age's scrypt
	// (passphrase) recipient.
	Passphrase string
	// Recipients, when not empty, encrypts the pack to age public keys. Each
	// entry is a key ("age1…") or the text of a recipients file (a key a
	// line, # comments). It cannot be combined with Passphrase.
	Recipients []string
	// Progress, if not nil, receives Stage "pack" reports in bytes.
	Progress ProgressFunc
}

// PackManifest is manifest.json inside a pack.
type PackManifest struct {
	Format    string     `json:"format"` // "casebook-pack/1"
	CreatedAt string     `json:"created_at"`
	CaseID    string     `json:"case_id"`
	Title     string     `json:"title"`
	Sources   int        `json:"sources"`
	Segments  int64      `json:"segments"`
	Events    int64      `json:"events"`
	Files     []PackFile `json:"files"`
}

// PackFile is one file of a pack, as the manifest lists it.
type PackFile struct {
	Path   string `json:"path"` // slash-separated, relative to the case folder
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// PackSummary describes a pack that was written.
type PackSummary struct {
	Manifest       PackManifest
	ManifestSHA256 string // of manifest.json: compare it with the receiver's, out of band
	Encrypted      bool
	Bytes          int64  // bytes written
	SHA256         string // of the bytes written (the pack file as sent)
}

// Pack opens the case in dir (taking its lock) and writes it to w as a pack;
// see (*Case).Pack.
func Pack(ctx context.Context, dir string, w io.Writer, opts PackOptions) (PackSummary, error) {
	c, err := Open(ctx, dir, opts.Progress)
	if err != nil {
		return PackSummary{}, err
	}
	sum, err := c.Pack(ctx, w, opts)
	if cerr := c.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("pack %s: %w", dir, cerr)
	}
	return sum, err
}

// Pack writes the case to w as a pack: a consistent snapshot of the
// database, every original (each re-hashed on the way: an altered original
// stops the pack) and the case's other top-level files, with a manifest of
// their SHA-256 hashes; encrypted with age when opts say so. The packing is
// recorded in the audit trail (and so travels in the pack) unless the case
// is read-only. Cancelling ctx stops it; w then holds an incomplete pack.
func (c *Case) Pack(ctx context.Context, w io.Writer, opts PackOptions) (sum PackSummary, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("pack %s: %w", c.dir, err)
		}
	}()
	recips, err := packRecipients(opts)
	if err != nil {
		return sum, err
	}
	// The snapshot is the whole case in clear: it stays inside the case
	// folder (or, for a read-only case, a private temporary folder).
	parent := c.dir
	if c.readOnly != "" {
		parent = ""
	}
	tmp, err := os.MkdirTemp(parent, ".pack-*")
	if err != nil {
		return sum, err
	}
	defer os.RemoveAll(tmp)
	if c.readOnly == "" {
		detail := map[string]any{"encrypted": len(recips) > 0, "passphrase": opts.Passphrase != ""}
		if opts.Passphrase == "" {
			detail["recipients"] = len(recips)
		}
		if err := c.store.Audit(ctx, c.Investigator(ctx), "pack", detail); err != nil {
			return sum, err
		}
	}
	snap := filepath.Join(tmp, dbFile)
	if err := c.store.Snapshot(ctx, snap); err != nil {
		return sum, err
	}
	man, files, err := c.packContents(ctx, snap)
	if err != nil {
		return sum, err
	}
	var total int64
	for _, f := range files {
		total += f.size
	}

	out := &hashingWriter{w: w, h: sha256.New()}
	var dst io.Writer = out
	var enc io.WriteCloser
	if len(recips) > 0 {
		if enc, err = age.Encrypt(out, recips...); err != nil {
			return sum, fmt.Errorf("encrypt: %w", err)
		}
		dst = enc
	}
	zw := zip.NewWriter(dst)
	modified := time.Now().UTC()
	var done int64
	for _, f := range files {
		pf, err := packFile(ctx, zw, f, modified, func(n int64) {
			opts.Progress.report(Progress{Stage: "pack", File: f.rel, Done: done + n, Total: total})
		})
		if err != nil {
			return sum, err
		}
		done += pf.Size
		man.Files = append(man.Files, pf)
	}
	mb, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return sum, err
	}
	mb = append(mb, '\n')
	hdr := &zip.FileHeader{Name: manifestName, Method: zip.Deflate, Modified: modified}
	hdr.SetMode(0o600)
	mw, err := zw.CreateHeader(hdr)
	if err != nil {
		return sum, err
	}
	if _, err := mw.Write(mb); err != nil {
		return sum, err
	}
	if err := zw.Close(); err != nil {
		return sum, err
	}
	if enc != nil {
		if err := enc.Close(); err != nil {
			return sum, fmt.Errorf("encrypt: %w", err)
		}
	}
	ms := sha256.Sum256(mb)
	return PackSummary{Manifest: man, ManifestSHA256: hex.EncodeToString(ms[:]), Encrypted: enc != nil,
		Bytes: out.n, SHA256: hex.EncodeToString(out.h.Sum(nil))}, nil
}

// packRecipients turns the options into age recipients (none: no encryption).
func packRecipients(opts PackOptions) ([]age.Recipient, error) {
	if opts.Passphrase != "" && len(opts.Recipients) > 0 {
		return nil, errors.New("a pack is encrypted to a passphrase or to recipients, not both")
	}
	if opts.Passphrase != "" {
		r, err := age.NewScryptRecipient(opts.Passphrase)
		if err != nil {
			return nil, fmt.Errorf("passphrase: %w", err)
		}
		if scryptWorkFactor > 0 {
			r.SetWorkFactor(scryptWorkFactor)
		}
		return []age.Recipient{r}, nil
	}
	var out []age.Recipient
	for i, text := range opts.Recipients {
		rs, err := ParseRecipients(text)
		if err != nil {
			return nil, fmt.Errorf("recipient %d: %w", i+1, err)
		}
		out = append(out, rs...)
	}
	return out, nil
}

// ParseRecipients reads age public keys ("age1…", one a line, # comments)
// and returns them as recipients for a pack.
func ParseRecipients(text string) ([]age.Recipient, error) {
	rs, err := age.ParseRecipients(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("age recipients: %w", err)
	}
	return rs, nil
}

// ParseIdentities reads age secret keys ("AGE-SECRET-KEY-1…", one a line, #
// comments), as an identity file holds them.
func ParseIdentities(text string) ([]age.Identity, error) {
	ids, err := age.ParseIdentities(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("age identities: %w", err)
	}
	return ids, nil
}

// packSource is a file to put in a pack.
type packSource struct {
	rel  string // slash path in the pack and the case
	path string // where to read it
	size int64
	sha  string // the SHA-256 it must have ("" when unknown beforehand)
	what string // how to name it in an error
}

// packContents reads the snapshot (not the live case, which may change
// meanwhile) for the manifest's header and the list of originals, and lists
// the case's other top-level files.
func (c *Case) packContents(ctx context.Context, snap string) (PackManifest, []packSource, error) {
	man := PackManifest{Format: packFormat, CreatedAt: time.Now().UTC().Format(time.RFC3339)}
	st, err := store.OpenReadOnly(ctx, snap, "the pack's snapshot")
	if err != nil {
		return man, nil, err
	}
	defer st.Close()
	if man.CaseID, err = st.Meta(ctx, "case_id"); err != nil {
		return man, nil, err
	}
	if man.Title, err = st.Meta(ctx, "title"); err != nil {
		return man, nil, err
	}
	srcs, err := st.Sources(ctx)
	if err != nil {
		return man, nil, err
	}
	man.Sources = len(srcs)
	if man.Segments, man.Events, err = st.Counts(ctx); err != nil {
		return man, nil, err
	}
	fi, err := os.Stat(snap)
	if err != nil {
		return man, nil, err
	}
	files := []packSource{{rel: dbFile, path: snap, size: fi.Size(), what: dbFile}}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return man, nil, err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !packableTopLevel(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			return man, nil, err
		}
		files = append(files, packSource{rel: e.Name(), path: filepath.Join(c.dir, e.Name()), size: fi.Size(), what: e.Name()})
	}
	seen := map[string]bool{}
	var originals []packSource
	for _, s := range srcs {
		if seen[s.SHA256] {
			continue
		}
		seen[s.SHA256] = true
		rel := originalPath(s.SHA256)
		p := filepath.Join(c.dir, rel)
		fi, err := os.Stat(p)
		if err != nil {
			return man, nil, fmt.Errorf("src-%d (%s): original: %w (run casebook verify)", s.ID, s.Name, cleanOSError(err))
		}
		originals = append(originals, packSource{rel: filepath.ToSlash(rel), path: p, size: fi.Size(), sha: s.SHA256,
			what: fmt.Sprintf("src-%d (%s)", s.ID, s.Name)})
	}
	sort.Slice(originals, func(i, j int) bool { return originals[i].rel < originals[j].rel })
	ipdbs, err := st.IPDatabases(ctx) // the IP databases travel with the case (ipdb/), checked like originals
	if err != nil {
		return man, nil, err
	}
	for _, d := range ipdbs {
		p := filepath.Join(c.dir, filepath.FromSlash(d.Path))
		if !isIPDatabasePath(d.Path) {
			return man, nil, fmt.Errorf("%s (%s): recorded at %q, not ipdb/<sha256>.mmdb", d.IPDatabaseRef(), d.Name, d.Path)
		}
		originals = append(originals, packSource{rel: d.Path, path: p, size: d.Size, sha: d.SHA256,
			what: fmt.Sprintf("%s (%s)", d.IPDatabaseRef(), d.Name)})
	}
	return man, append(files, originals...), nil
}

// topLevelName is a file name a pack may carry beside case.db and originals/.
var topLevelName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// packableTopLevel reports whether a top-level file of a case travels in a
// pack: not the database (packed from its snapshot) or its journals, not the
// lock, nothing hidden (temporary files), nothing named like the manifest.
func packableTopLevel(name string) bool {
	switch name {
	case dbFile, dbFile + "-wal", dbFile + "-shm", dbFile + "-journal", lockFile, manifestName:
		return false
	}
	return topLevelName.MatchString(name)
}

// packFile copies one file into the zip, hashing it on the way.
func packFile(ctx context.Context, zw *zip.Writer, f packSource, modified time.Time, progress func(int64)) (PackFile, error) {
	in, err := os.Open(f.path)
	if err != nil {
		return PackFile{}, fmt.Errorf("%s: %w", f.what, cleanOSError(err))
	}
	defer in.Close()
	hdr := &zip.FileHeader{Name: f.rel, Method: zip.Deflate, Modified: modified}
	hdr.SetMode(0o600)
	zf, err := zw.CreateHeader(hdr)
	if err != nil {
		return PackFile{}, fmt.Errorf("%s: %w", f.what, err)
	}
	h := sha256.New()
	n, err := copyWithContext(ctx, io.MultiWriter(zf, h), in, progress)
	if err != nil {
		return PackFile{}, fmt.Errorf("%s: %w", f.what, err)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	if f.sha != "" && sha != f.sha {
		return PackFile{}, fmt.Errorf("%s: original was altered (sha256 is now %s, recorded %s); run casebook verify", f.what, sha, f.sha)
	}
	return PackFile{Path: f.rel, Size: n, SHA256: sha}, nil
}

// copyWithContext copies src to dst, stopping when ctx is cancelled and
// reporting the bytes copied so far about every MiB.
func copyWithContext(ctx context.Context, dst io.Writer, src io.Reader, progress func(int64)) (int64, error) {
	buf := make([]byte, 1<<20)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k, rerr := src.Read(buf)
		if k > 0 {
			if _, err := dst.Write(buf[:k]); err != nil {
				return n, err
			}
			n += int64(k)
			if progress != nil {
				progress(n)
			}
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

// hashingWriter counts and hashes what passes through it.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (hw *hashingWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

// checkPackPath refuses an entry name that could land outside the case
// folder (zip slip) or that is no part of a case.
func checkPackPath(name string) error {
	switch {
	case name == "":
		return errors.New("entry with an empty name")
	case strings.HasPrefix(name, "/") || strings.HasPrefix(name, `\`) || filepath.IsAbs(name) || (len(name) > 1 && name[1] == ':'):
		return fmt.Errorf("entry %q: absolute path refused", name)
	case strings.Contains(name, `\`):
		return fmt.Errorf("entry %q: backslash in a path refused", name)
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return fmt.Errorf("entry %q: path escapes the case folder, refused", name)
		}
	}
	if path.Clean(name) != name || !filepath.IsLocal(filepath.FromSlash(name)) {
		return fmt.Errorf("entry %q: not a plain relative path, refused", name)
	}
	if name == dbFile || name == manifestName {
		return nil
	}
	if dir, sha, ok := strings.Cut(strings.TrimPrefix(name, originalsDir+"/"), "/"); ok && strings.HasPrefix(name, originalsDir+"/") {
		if isSHA256Hex(sha) && dir == sha[:2] {
			return nil
		}
		return fmt.Errorf("entry %q: not an original's place (originals/<sha[:2]>/<sha256>), refused", name)
	}
	if strings.HasPrefix(name, ipdbDir+"/") {
		if isIPDatabasePath(name) {
			return nil
		}
		return fmt.Errorf("entry %q: not an IP database's place (ipdb/<sha256>.mmdb), refused", name)
	}
	if !strings.Contains(name, "/") && packableTopLevel(name) {
		return nil
	}
	return fmt.Errorf("entry %q: not part of a Casebook case, refused", name)
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// UnpackOptions are the choices for Unpack.
type UnpackOptions struct {
	// Passphrase opens a passphrase-encrypted pack.
	Passphrase string
	// AskPassphrase, when Passphrase is empty, is called for the passphrase
	// only if the pack turns out to be passphrase-encrypted.
	AskPassphrase func() (string, error)
	// Identities are the texts of age identity files ("AGE-SECRET-KEY-1…"
	// lines) for a pack encrypted to age public keys.
	Identities []string
	// Progress, if not nil, receives Stage "unpack" reports in bytes, then
	// those of the index build and verification.
	Progress ProgressFunc
}

// UnpackSummary describes a case that was unpacked.
type UnpackSummary struct {
	Dir            string
	Manifest       PackManifest
	ManifestSHA256 string // of manifest.json: compare it with the sender's, out of band
	Encrypted      bool
	Info           Info         // the unpacked case as opened
	Verify         VerifyReport // its verification (OK, or Unpack failed)
}

// Unpack reads a pack from r (decrypting it with age when it is encrypted)
// and writes the case into dir, which must not exist or be empty. Before
// anything appears in dir, every entry's name is checked (no path may leave
// the case folder; nothing that is no part of a case is accepted), every
// file is checked against the manifest's size and SHA-256 (and every
// original against its own name), all in a private staging folder beside
// dir (inside it, when it exists). Then the case is moved into place, opened (which builds its search
// index) and verified; a case that fails verification is removed again and
// the error lists the problems.
func Unpack(ctx context.Context, r io.Reader, dir string, opts UnpackOptions) (sum UnpackSummary, err error) {
	sum.Dir = dir
	defer func() {
		if err != nil {
			err = fmt.Errorf("unpack into %s: %w", dir, err)
		}
	}()
	if err := emptyTarget(dir); err != nil {
		return sum, err
	}
	var ids []age.Identity
	for i, text := range opts.Identities {
		got, err := ParseIdentities(text)
		if err != nil {
			return sum, fmt.Errorf("identity %d: %w", i+1, err)
		}
		ids = append(ids, got...)
	}
	// The staging folder sits where the case will be, so that putting the
	// case in place is a rename on the same file system: inside an existing
	// (empty) target, which may be a mount point, or beside a new one.
	_, statErr := os.Stat(dir)
	existed := statErr == nil
	stageIn := dir
	if !existed {
		stageIn = filepath.Dir(filepath.Clean(dir))
		if err := os.MkdirAll(stageIn, 0o700); err != nil {
			return sum, err
		}
	}
	staging, err := os.MkdirTemp(stageIn, ".casebook-unpack-*")
	if err != nil {
		return sum, err
	}
	defer os.RemoveAll(staging)
	ra, size, encrypted, err := openPackInput(ctx, r, staging, ids, opts)
	if err != nil {
		return sum, err
	}
	if f, ok := ra.(*os.File); ok && f != r {
		// The pack spooled into staging: closed before staging is removed,
		// which Windows refuses while the file is open.
		defer f.Close()
	}
	sum.Encrypted = encrypted
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		if encrypted {
			return sum, fmt.Errorf("the pack is damaged or was altered: %v", err)
		}
		return sum, fmt.Errorf("not a Casebook pack (not a zip archive: %v)", err)
	}
	man, manSHA, byName, err := readPackManifest(zr)
	if err != nil {
		return sum, err
	}
	sum.Manifest, sum.ManifestSHA256 = man, manSHA
	caseTmp := filepath.Join(staging, "case")
	if err := os.Mkdir(caseTmp, 0o700); err != nil {
		return sum, err
	}
	// A case with no sources yet packs no originals, but the next import writes there.
	if err := os.Mkdir(filepath.Join(caseTmp, originalsDir), 0o700); err != nil {
		return sum, err
	}
	var total, done int64
	for _, f := range man.Files {
		total += f.Size
	}
	for _, f := range man.Files {
		if err := unpackFile(ctx, byName[f.Path], f, caseTmp, func(n int64) {
			opts.Progress.report(Progress{Stage: "unpack", File: f.Path, Done: done + n, Total: total})
		}); err != nil {
			return sum, err
		}
		done += f.Size
	}
	// Every byte matched the manifest: put the case in place.
	if err := placeUnpacked(caseTmp, dir, existed, filepath.Base(staging)); err != nil {
		return sum, err
	}
	defer func() {
		if err != nil {
			removeUnpacked(dir, existed, filepath.Base(staging))
		}
	}()
	c, err := Open(ctx, dir, opts.Progress)
	if err != nil {
		return sum, err
	}
	defer func() {
		if c != nil {
			c.Close()
		}
	}()
	if c.id != man.CaseID {
		return sum, fmt.Errorf("the database belongs to case %s, the manifest says %s (the pack was altered)", c.id, man.CaseID)
	}
	if err := c.store.Audit(ctx, c.Investigator(ctx), "unpack", map[string]any{"manifest_sha256": manSHA,
		"packed_at": man.CreatedAt, "files": len(man.Files), "encrypted": encrypted}); err != nil {
		return sum, err
	}
	if sum.Info, err = c.Info(ctx); err != nil {
		return sum, err
	}
	if sum.Verify, err = c.Verify(ctx, opts.Progress); err != nil {
		return sum, err
	}
	problems := sum.Verify.Problems
	if sum.Info.Sources != man.Sources || sum.Info.Segments != man.Segments || sum.Info.Events != man.Events {
		problems = append(problems, fmt.Sprintf("the case holds %d sources, %d segments and %d events; the manifest says %d, %d and %d",
			sum.Info.Sources, sum.Info.Segments, sum.Info.Events, man.Sources, man.Segments, man.Events))
	}
	if len(problems) > 0 {
		return sum, fmt.Errorf("the unpacked case fails verification and was removed: %s", strings.Join(problems, "; "))
	}
	err = c.Close()
	c = nil
	return sum, err
}

// placeUnpacked moves the checked case from the staging folder into dir:
// the whole folder when dir did not exist, else its entries, into dir
// (which must still hold nothing but the staging folder).
func placeUnpacked(caseTmp, dir string, existed bool, staging string) error {
	if !existed {
		if _, err := os.Stat(dir); err == nil {
			return errors.New("the target folder appeared while unpacking")
		}
		return os.Rename(caseTmp, dir)
	}
	if err := emptyTarget(dir, staging); err != nil {
		return err
	}
	entries, err := os.ReadDir(caseTmp)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(caseTmp, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			removeUnpacked(dir, true, staging)
			return err
		}
	}
	return os.Chmod(dir, 0o700)
}

// removeUnpacked takes an unpacked case away again: the folder when Unpack
// made it, else everything in it but the staging folder (removed later).
func removeUnpacked(dir string, existed bool, staging string) {
	if !existed {
		os.RemoveAll(dir)
		return
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != staging {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// emptyTarget refuses a target that exists and is not an empty folder;
// an entry named ignore (the staging folder) does not count.
func emptyTarget(dir string, ignore ...string) error {
	st, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return errors.New("a file is in the way (the target must be a new or empty folder)")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	entries = slices.DeleteFunc(entries, func(e os.DirEntry) bool { return slices.Contains(ignore, e.Name()) })
	if len(entries) > 0 {
		if IsCase(dir) {
			return errors.New("a case already exists there (the target must be a new or empty folder)")
		}
		return errors.New("the folder is not empty (the target must be a new or empty folder)")
	}
	return nil
}

// ageIntro and armorIntro begin an age file, binary and armored.
const (
	ageIntro   = "age-encryption.org/"
	armorIntro = "-----BEGIN AGE ENCRYPTED FILE-----"
)

// openPackInput returns the pack's zip bytes as a ReaderAt: a plain pack file
// directly; an encrypted pack file decrypted chunk by chunk as the zip reader
// asks (nothing decrypted touches the disk); anything else (a pipe, an
// armored pack) copied or decrypted into the private staging folder first.
func openPackInput(ctx context.Context, r io.Reader, staging string, ids []age.Identity, opts UnpackOptions) (io.ReaderAt, int64, bool, error) {
	var file *os.File
	var fileSize int64
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			file, fileSize = f, st.Size()
		}
	}
	head := make([]byte, len(armorIntro))
	var hn int
	var rest io.Reader
	if file != nil {
		hn, _ = file.ReadAt(head, 0)
	} else {
		var err error
		hn, err = io.ReadFull(r, head)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return nil, 0, false, fmt.Errorf("read the pack: %w", err)
		}
		rest = io.MultiReader(strings.NewReader(string(head[:hn])), r)
	}
	head = head[:hn]
	binaryAge := strings.HasPrefix(string(head), ageIntro)
	armored := strings.HasPrefix(string(head), armorIntro)
	if !binaryAge && !armored {
		if file != nil {
			return file, fileSize, false, nil
		}
		f, n, err := spool(ctx, staging, rest)
		return f, n, false, err
	}
	ids = append(ids, &passphraseIdentity{pass: opts.Passphrase, ask: opts.AskPassphrase})
	if file != nil && binaryAge {
		ra, n, err := age.DecryptReaderAt(file, fileSize, ids...)
		if err != nil {
			return nil, 0, true, explainDecrypt(err, opts)
		}
		return ra, n, true, nil
	}
	var src io.Reader = rest
	if file != nil {
		src = io.NewSectionReader(file, 0, fileSize)
	}
	if armored {
		src = armor.NewReader(src)
	}
	dec, err := age.Decrypt(src, ids...)
	if err != nil {
		return nil, 0, true, explainDecrypt(err, opts)
	}
	f, n, err := spool(ctx, staging, dec)
	if err != nil {
		return nil, 0, true, fmt.Errorf("the pack is damaged or was altered: decryption failed (%v)", err)
	}
	return f, n, true, nil
}

// spool copies r into an owner-only file in the staging folder.
func spool(ctx context.Context, staging string, r io.Reader) (*os.File, int64, error) {
	f, err := os.OpenFile(filepath.Join(staging, "pack.zip"), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, 0, err
	}
	n, err := copyWithContext(ctx, f, r, nil)
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	// The file stays open for reading; the staging folder's removal takes it.
	return f, n, nil
}

// explainDecrypt turns age's refusal into one line saying what to give.
func explainDecrypt(err error, opts UnpackOptions) error {
	var ae *askError
	if errors.As(err, &ae) {
		return ae.err
	}
	var nm *age.NoIdentityMatchError
	if !errors.As(err, &nm) {
		return fmt.Errorf("the pack is damaged or was altered: decryption failed (%w)", err)
	}
	scrypt := false
	for _, t := range nm.StanzaTypes {
		scrypt = scrypt || t == "scrypt"
	}
	switch {
	case scrypt && (opts.Passphrase != "" || opts.AskPassphrase != nil):
		return errors.New("wrong passphrase: it does not open this pack")
	case scrypt:
		return errors.New("the pack is encrypted with a passphrase: give it")
	case len(opts.Identities) > 0:
		return errors.New("none of the identities given opens this pack (it was encrypted to other age keys)")
	default:
		return errors.New("the pack is encrypted to age keys: give an identity file that holds one of them")
	}
}

// askError is AskPassphrase failing (say, with no terminal to ask at).
type askError struct{ err error }

func (e *askError) Error() string { return e.err.Error() }
func (e *askError) Unwrap() error { return e.err }

// passphraseIdentity opens a passphrase-encrypted pack, asking for the
// passphrase only when the pack turns out to need one.
type passphraseIdentity struct {
	pass string
	ask  func() (string, error)
}

// Unwrap implements age.Identity.
func (p *passphraseIdentity) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	scrypt := false
	for _, s := range stanzas {
		scrypt = scrypt || s.Type == "scrypt"
	}
	if !scrypt {
		return nil, fmt.Errorf("%w: not passphrase-encrypted", age.ErrIncorrectIdentity)
	}
	if p.pass == "" && p.ask != nil {
		pass, err := p.ask()
		if err != nil {
			return nil, &askError{err}
		}
		p.pass = pass
	}
	if p.pass == "" {
		return nil, fmt.Errorf("%w: no passphrase", age.ErrIncorrectIdentity)
	}
	id, err := age.NewScryptIdentity(p.pass)
	if err != nil {
		return nil, err
	}
	return id.Unwrap(stanzas)
}

// readPackManifest checks every entry's name, reads the manifest and checks
// that it and the entries agree exactly, before anything is written.
func readPackManifest(zr *zip.Reader) (PackManifest, string, map[string]*zip.File, error) {
	var man PackManifest
	byName := map[string]*zip.File{}
	for _, f := range zr.File {
		if err := checkPackPath(f.Name); err != nil {
			return man, "", nil, err
		}
		if !f.Mode().IsRegular() {
			return man, "", nil, fmt.Errorf("entry %q: not a regular file (%s), refused", f.Name, f.Mode().Type())
		}
		if byName[f.Name] != nil {
			return man, "", nil, fmt.Errorf("entry %q: appears twice, refused", f.Name)
		}
		byName[f.Name] = f
	}
	mf := byName[manifestName]
	if mf == nil {
		return man, "", nil, fmt.Errorf("not a Casebook pack (no %s)", manifestName)
	}
	rc, err := mf.Open()
	if err != nil {
		return man, "", nil, fmt.Errorf("%s: %w", manifestName, err)
	}
	mb, err := io.ReadAll(io.LimitReader(rc, maxManifest+1))
	rc.Close()
	if err != nil {
		return man, "", nil, fmt.Errorf("%s: damaged: %w", manifestName, err)
	}
	if len(mb) > maxManifest {
		return man, "", nil, fmt.Errorf("%s: larger than %d MiB, refused", manifestName, maxManifest>>20)
	}
	if err := json.Unmarshal(mb, &man); err != nil {
		return man, "", nil, fmt.Errorf("%s: not a pack manifest: %w", manifestName, err)
	}
	if man.Format != packFormat {
		return man, "", nil, fmt.Errorf("%s: pack format %q is not one this Casebook reads (%s)", manifestName, man.Format, packFormat)
	}
	listed := map[string]bool{}
	for _, f := range man.Files {
		if err := checkPackPath(f.Path); err != nil {
			return man, "", nil, fmt.Errorf("%s lists an %w", manifestName, err)
		}
		if f.Path == manifestName || listed[f.Path] {
			return man, "", nil, fmt.Errorf("%s lists %q twice or lists itself", manifestName, f.Path)
		}
		listed[f.Path] = true
		if !isSHA256Hex(f.SHA256) || f.Size < 0 {
			return man, "", nil, fmt.Errorf("%s: bad size or SHA-256 for %q", manifestName, f.Path)
		}
		if strings.HasPrefix(f.Path, originalsDir+"/") && path.Base(f.Path) != f.SHA256 {
			return man, "", nil, fmt.Errorf("%s: %q is an original whose name is not its SHA-256 %s (the pack was altered)", manifestName, f.Path, f.SHA256)
		}
		if strings.HasPrefix(f.Path, ipdbDir+"/") && path.Base(f.Path) != f.SHA256+".mmdb" {
			return man, "", nil, fmt.Errorf("%s: %q is an IP database whose name is not its SHA-256 %s (the pack was altered)", manifestName, f.Path, f.SHA256)
		}
		zf := byName[f.Path]
		if zf == nil {
			return man, "", nil, fmt.Errorf("%s lists %q, which the pack does not hold", manifestName, f.Path)
		}
		if zf.UncompressedSize64 != uint64(f.Size) {
			return man, "", nil, fmt.Errorf("entry %q: %d bytes, the manifest says %d (the pack was altered or damaged)", f.Path, zf.UncompressedSize64, f.Size)
		}
	}
	if !listed[dbFile] {
		return man, "", nil, fmt.Errorf("%s lists no %s", manifestName, dbFile)
	}
	for name := range byName {
		if name != manifestName && !listed[name] {
			return man, "", nil, fmt.Errorf("entry %q: not in %s, refused", name, manifestName)
		}
	}
	sum := sha256.Sum256(mb)
	return man, hex.EncodeToString(sum[:]), byName, nil
}

// unpackFile writes one entry into the staging case folder, checking its
// size and SHA-256 against the manifest.
func unpackFile(ctx context.Context, zf *zip.File, want PackFile, root string, progress func(int64)) error {
	dst := filepath.Join(root, filepath.FromSlash(want.Path))
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	rc, err := zf.Open()
	if err != nil {
		return fmt.Errorf("entry %q: %w", want.Path, err)
	}
	defer rc.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := copyWithContext(ctx, io.MultiWriter(out, h), io.LimitReader(rc, want.Size+1), progress)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	switch {
	case errors.Is(err, zip.ErrChecksum):
		return fmt.Errorf("entry %q: damaged (its zip checksum does not match)", want.Path)
	case err != nil && ctx.Err() == nil && !isLocalWriteError(err):
		return fmt.Errorf("entry %q: damaged: %w", want.Path, err)
	case err != nil:
		return fmt.Errorf("entry %q: %w", want.Path, err)
	case n > want.Size:
		return fmt.Errorf("entry %q: longer than the manifest's %d bytes (the pack was altered or damaged)", want.Path, want.Size)
	case n < want.Size:
		return fmt.Errorf("entry %q: %d bytes, the manifest says %d (the pack was altered or damaged)", want.Path, n, want.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want.SHA256 {
		return fmt.Errorf("entry %q: SHA-256 is %s, the manifest says %s (the pack was altered or damaged)", want.Path, got, want.SHA256)
	}
	if strings.HasPrefix(want.Path, originalsDir+"/") || strings.HasPrefix(want.Path, ipdbDir+"/") {
		return os.Chmod(dst, 0o400)
	}
	return nil
}

// isLocalWriteError reports whether err came from writing the unpacked file
// (say, a full disk) rather than from reading the pack.
func isLocalWriteError(err error) bool {
	var pe *os.PathError
	return errors.As(err, &pe) || IsDiskFull(err)
}

// String summarises a manifest in one line.
func (m PackManifest) String() string {
	return fmt.Sprintf("%q (case %s): %d sources, %d segments, %d events, %d files, packed %s",
		m.Title, m.CaseID, m.Sources, m.Segments, m.Events, len(m.Files), m.CreatedAt)
}

// How a pack file is protected, as PackProtection tells it.
const (
	PackPlain      = "plain"      // a zip in clear
	PackPassphrase = "passphrase" // age, to a passphrase
	PackKeys       = "keys"       // age, to age public keys: an identity file opens it
)

// PackProtection reads the header of the pack file at path and tells how it
// is protected (PackPlain, PackPassphrase or PackKeys), so that a window can
// ask for just what Unpack will need. A file that is not age-encrypted is
// PackPlain; Unpack says whether it is a pack at all.
func PackProtection(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, cleanOSError(err))
	}
	defer f.Close()
	head := make([]byte, len(armorIntro))
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	var r io.Reader
	switch {
	case strings.HasPrefix(string(head), ageIntro):
		r = io.MultiReader(bytes.NewReader(head), f)
	case strings.HasPrefix(string(head), armorIntro):
		r = armor.NewReader(io.MultiReader(bytes.NewReader(head), f))
	default:
		return PackPlain, nil
	}
	// The header: the version line, then "-> TYPE args" stanzas, then "---".
	hdr, _ := io.ReadAll(io.LimitReader(r, 64<<10))
	scrypt, keys := false, false
	for _, line := range strings.Split(string(hdr), "\n") {
		if strings.HasPrefix(line, "---") {
			break
		}
		if typ, ok := strings.CutPrefix(line, "-> "); ok {
			typ, _, _ = strings.Cut(typ, " ")
			scrypt = scrypt || typ == "scrypt"
			keys = keys || typ != "scrypt"
		}
	}
	switch {
	case scrypt:
		return PackPassphrase, nil
	case keys:
		return PackKeys, nil
	}
	return "", fmt.Errorf("%s: an age-encrypted file whose header cannot be read (the pack is damaged or was altered)", path)
}
