package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"casebook/casefile"
)

// passphraseEnv names the environment variable a pack's passphrase may come
// from, so that it never has to be a command-line value (visible in ps).
const passphraseEnv = "CASEBOOK_PASSPHRASE"

// stringList is a flag that may be given several times.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// refusePassphraseValue catches --passphrase=VALUE: a passphrase on the
// command line would be visible to every user of the machine.
func refusePassphraseValue(args []string) error {
	for _, a := range args {
		name, v, ok := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if ok && name == "passphrase" && v != "true" && v != "false" && strings.HasPrefix(a, "-") {
			return usagef("--passphrase takes no value (a passphrase on the command line is visible to others): set %s, give --passphrase-file FILE, or type it when asked", passphraseEnv)
		}
	}
	return nil
}

// packFlags are the flags of casebook pack.
type packFlags struct {
	out, passFile              string
	usePass                    bool
	recipients, recipientFiles stringList
	jsonFlags
}

func (o *packFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("pack")
	fs.StringVar(&o.out, "o", "", "the pack `file` to write (- for standard output)")
	fs.BoolVar(&o.usePass, "passphrase", false, "encrypt with a passphrase (from $"+passphraseEnv+", --passphrase-file, or asked); takes no value")
	fs.StringVar(&o.passFile, "passphrase-file", "", "read the passphrase from this `file` (its first line)")
	fs.Var(&o.recipients, "recipient", "encrypt to this age public `key` (age1…); repeatable")
	fs.Var(&o.recipientFiles, "recipients-file", "encrypt to the age public keys in this `file`; repeatable")
	o.jsonFlags.define(fs)
	return fs
}

func cmdPack(e *env, args []string) error {
	var o packFlags
	if err := refusePassphraseValue(args); err != nil {
		return err
	}
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	dir, rest, err := needDir(pos)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected %q (--passphrase takes no value)", rest[0])
	}
	if o.out == "" {
		return usagef("-o FILE is required (- for standard output)")
	}
	withPass := o.usePass || o.passFile != ""
	if withPass && len(o.recipients)+len(o.recipientFiles) > 0 {
		return usagef("encrypt to a passphrase or to recipients, not both")
	}
	opts := casefile.PackOptions{}
	for _, r := range o.recipients {
		if _, err := casefile.ParseRecipients(r); err != nil {
			return usagef("--recipient %q: %v", r, err)
		}
		opts.Recipients = append(opts.Recipients, r)
	}
	for _, f := range o.recipientFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("--recipients-file %s: %w", f, err)
		}
		if _, err := casefile.ParseRecipients(string(b)); err != nil {
			return fmt.Errorf("--recipients-file %s: %w", f, err)
		}
		opts.Recipients = append(opts.Recipients, string(b))
	}
	if withPass {
		if opts.Passphrase, err = passphrase(e, o.passFile, true); err != nil {
			return err
		}
	}
	if !casefile.IsCase(dir) {
		// Before creating the output file, for a clearer message.
		_, err := casefile.Open(e.ctx, dir, nil)
		return err
	}
	var sum casefile.PackSummary
	opts.Progress = e.progress()
	if o.out == "-" {
		opts.Progress = e.progressBeside()
		if sum, err = casefile.Pack(e.ctx, dir, e.stdout, opts); err != nil {
			return err
		}
	} else {
		// Written beside the target, owner-only, and renamed into place when
		// complete: a failed pack leaves nothing behind.
		f, err := os.CreateTemp(filepath.Dir(o.out), ".pack-*.zip")
		if err != nil {
			return fmt.Errorf("pack %s: %w", dir, err)
		}
		defer os.Remove(f.Name())
		sum, err = casefile.Pack(e.ctx, dir, f, opts)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if err := os.Rename(f.Name(), o.out); err != nil {
			return fmt.Errorf("pack %s: %w", dir, err)
		}
	}
	enc := "not encrypted"
	switch {
	case withPass:
		enc = "encrypted with a passphrase"
	case len(opts.Recipients) > 0:
		enc = "encrypted to age recipients"
	}
	m := sum.Manifest
	report := e.stdout
	if o.out == "-" {
		report = e.stderr
	}
	if o.json {
		return writeJSON(report, map[string]any{"file": o.out, "bytes": sum.Bytes, "sha256": sum.SHA256,
			"manifest_sha256": sum.ManifestSHA256, "encrypted": sum.Encrypted, "files": len(m.Files), "case_id": m.CaseID,
			"title": m.Title, "sources": m.Sources, "segments": m.Segments, "events": m.Events})
	}
	fmt.Fprintf(report, "packed case %q into %s (%s): %d sources, %d segments, %d events; %d files, %d bytes\n",
		m.Title, o.out, enc, m.Sources, m.Segments, m.Events, len(m.Files), sum.Bytes)
	fmt.Fprintf(report, "  pack sha256:     %s\n  manifest sha256: %s (unpack prints it too: compare them out of band)\n",
		sum.SHA256, sum.ManifestSHA256)
	return nil
}

// unpackFlags are the flags of casebook unpack.
type unpackFlags struct {
	out string
	packKeyFlags
	jsonFlags
}

func (o *unpackFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("unpack")
	fs.StringVar(&o.out, "o", "", "the new (or empty) case `folder` to write")
	o.packKeyFlags.define(fs)
	o.jsonFlags.define(fs)
	return fs
}

// packKeyFlags are how an encrypted pack is opened: a passphrase or age identities.
type packKeyFlags struct {
	passFile   string
	usePass    bool
	identities stringList
}

func (o *packKeyFlags) define(fs *flag.FlagSet) {
	fs.BoolVar(&o.usePass, "passphrase", false, "the pack is passphrase-encrypted (from $"+passphraseEnv+", --passphrase-file, or asked); takes no value")
	fs.StringVar(&o.passFile, "passphrase-file", "", "read the passphrase from this `file` (its first line)")
	fs.Var(&o.identities, "identity", "an age identity `file` (AGE-SECRET-KEY-1…) to decrypt with; repeatable")
}

// options turns the flags into unpack options; the passphrase is asked for
// only if the pack turns out to be passphrase-encrypted.
func (o *packKeyFlags) options(e *env) (casefile.UnpackOptions, error) {
	opts := casefile.UnpackOptions{}
	for _, f := range o.identities {
		b, err := os.ReadFile(f)
		if err != nil {
			return opts, fmt.Errorf("--identity %s: %w", f, err)
		}
		if _, err := casefile.ParseIdentities(string(b)); err != nil {
			return opts, fmt.Errorf("--identity %s: %w", f, err)
		}
		opts.Identities = append(opts.Identities, string(b))
	}
	if o.passFile != "" {
		p, err := passphrase(e, o.passFile, false)
		if err != nil {
			return opts, err
		}
		opts.Passphrase = p
	} else if o.usePass || len(o.identities) == 0 {
		opts.AskPassphrase = func() (string, error) { return passphrase(e, "", false) }
	}
	return opts, nil
}

func cmdUnpack(e *env, args []string) error {
	var o unpackFlags
	if err := refusePassphraseValue(args); err != nil {
		return err
	}
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one pack file (- for standard input)")
	}
	if o.out == "" {
		return usagef("-o DIR is required")
	}
	packPath := pos[0]
	opts, err := o.packKeyFlags.options(e)
	if err != nil {
		return err
	}
	var in io.Reader = os.Stdin
	if packPath != "-" {
		f, err := os.Open(packPath)
		if err != nil {
			return fmt.Errorf("unpack %s: %w", packPath, err)
		}
		defer f.Close()
		in = f
	}
	opts.Progress = e.progress()
	sum, err := casefile.Unpack(e.ctx, in, o.out, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", packPath, err)
	}
	m, info := sum.Manifest, sum.Info
	if o.json {
		return writeJSON(e.stdout, map[string]any{"dir": sum.Dir, "case_id": info.ID, "title": info.Title,
			"sources": info.Sources, "segments": info.Segments, "events": info.Events, "files": len(m.Files),
			"manifest_sha256": sum.ManifestSHA256, "encrypted": sum.Encrypted, "packed_at": m.CreatedAt, "verify_ok": sum.Verify.OK})
	}
	fmt.Fprintf(e.stdout, "unpacked case %q into %s: %d sources, %d segments, %d events; all %d files match the manifest; verify ok\n",
		info.Title, sum.Dir, info.Sources, info.Segments, info.Events, len(m.Files))
	fmt.Fprintf(e.stdout, "  manifest sha256: %s (packed %s)\n", sum.ManifestSHA256, m.CreatedAt)
	return nil
}

// passphrase gets a pack's passphrase: from the file named (its first
// line), else from $CASEBOOK_PASSPHRASE, else typed at the terminal without
// echo (twice when confirm is set). It never comes from a command-line
// value.
func passphrase(e *env, file string, confirm bool) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--passphrase-file %s: %w", file, err)
		}
		p, _, _ := strings.Cut(string(b), "\n")
		p = strings.TrimSuffix(p, "\r")
		if p == "" {
			return "", fmt.Errorf("--passphrase-file %s: the first line is empty", file)
		}
		return p, nil
	}
	if p := os.Getenv(passphraseEnv); p != "" {
		return p, nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", fmt.Errorf("no passphrase: set %s, give --passphrase-file FILE, or run in a terminal to type it", passphraseEnv)
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(e.stderr, prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read the passphrase: %w", err)
		}
		return string(b), nil
	}
	p, err := ask("Passphrase: ")
	if err != nil {
		return "", err
	}
	if p == "" {
		return "", errors.New("the passphrase is empty")
	}
	if confirm {
		again, err := ask("Passphrase again: ")
		if err != nil {
			return "", err
		}
		if again != p {
			return "", errors.New("the two passphrases differ")
		}
	}
	return p, nil
}
