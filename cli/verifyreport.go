package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"casebook/casefile"
)

// verifyReportFlags are verify-report's flags: how to open an encrypted pack.
type verifyReportFlags struct {
	packKeyFlags
	jsonFlags
}

func (o *verifyReportFlags) flagSet() *flag.FlagSet {
	fs := newFlagSet("verify-report")
	o.packKeyFlags.define(fs)
	o.jsonFlags.define(fs)
	return fs
}

// cmdVerifyReport checks a report against a case folder, or against a pack
// unpacked into a temporary folder that is removed afterwards.
func cmdVerifyReport(e *env, args []string) error {
	var o verifyReportFlags
	if err := refusePassphraseValue(args); err != nil {
		return err
	}
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("give the report and the case folder or pack")
	}
	reportPath, against := pos[0], pos[1]
	pdf, err := os.ReadFile(reportPath)
	if err != nil {
		return fmt.Errorf("%s: %w", reportPath, err)
	}
	dir := against
	if st, err := os.Stat(against); err == nil && !st.IsDir() {
		opts, err := o.packKeyFlags.options(e)
		if err != nil {
			return err
		}
		tmp, err := os.MkdirTemp("", "casebook-verify-report-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		f, err := os.Open(against)
		if err != nil {
			return fmt.Errorf("%s: %w", against, err)
		}
		dir = filepath.Join(tmp, "case")
		_, err = casefile.Unpack(e.ctx, f, dir, opts)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", against, err)
		}
	}
	c, err := casefile.OpenReadOnly(e.ctx, dir, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	rc, err := c.CheckReport(e.ctx, pdf)
	if err != nil {
		return fmt.Errorf("%s: %w", reportPath, err)
	}
	if o.json {
		if err := writeJSON(e.stdout, reportCheckJSON(rc)); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "report %s: manifest sha256 %s, written from case %s\n", filepath.Base(reportPath), rc.Manifest, rc.Case)
		for _, p := range rc.Problems {
			fmt.Fprintf(e.stdout, "  MISMATCH  %s\n", p)
		}
		for _, ex := range rc.Exhibits {
			verdict := "match"
			if !ex.OK {
				verdict = "MISMATCH"
			}
			fmt.Fprintf(e.stdout, "  %-8s  %s  %s\n", verdict, ex.Exhibit, ex.Item)
			for _, p := range ex.Problems {
				fmt.Fprintf(e.stdout, "            %s\n", p)
			}
			for _, n := range ex.Notes {
				fmt.Fprintf(e.stdout, "            note: %s\n", n)
			}
		}
		for _, n := range rc.Notes {
			fmt.Fprintf(e.stdout, "  note: %s\n", n)
		}
	}
	if !rc.OK {
		bad := len(rc.Problems)
		for _, ex := range rc.Exhibits {
			if !ex.OK {
				bad++
			}
		}
		return errors.New(plural(bad, "mismatch") + " found in " + reportPath)
	}
	if !o.json {
		fmt.Fprintf(e.stdout, "ok: all %d exhibits match the case\n", len(rc.Exhibits))
	}
	return nil
}

func reportCheckJSON(rc casefile.ReportCheck) map[string]any {
	exs := []map[string]any{}
	for _, ex := range rc.Exhibits {
		exs = append(exs, map[string]any{"exhibit": ex.Exhibit, "item": ex.Item, "ok": ex.OK,
			"problems": nonNilStrings(ex.Problems), "notes": nonNilStrings(ex.Notes)})
	}
	return map[string]any{"ok": rc.OK, "manifest_sha256": rc.Manifest, "case_id": rc.Case,
		"problems": nonNilStrings(rc.Problems), "notes": nonNilStrings(rc.Notes), "exhibits": exs}
}
