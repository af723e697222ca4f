package casefile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"casebook/assets/demo"
)

// DemoManifestFile is written into the demo case folder: the planted
// evidence, for the investigator's (and the tests') reference.
const DemoManifestFile = "demo-manifest.json"

// BuildDemo creates the built-in, fictional demo case in dir and imports its
// transcripts and access log through the same pipeline as any file.
func BuildDemo(ctx context.Context, dir string, progress ProgressFunc) (*Case, error) {
	m := demo.Load()
	files, err := demo.Files()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	c, err := Create(ctx, dir, CreateOptions{Title: m.Title, Investigator: m.Investigator})
	if err != nil {
		return nil, err
	}
	// Who the actors are and what the tables hold, in the forms an
	// investigator loads with casebook roster and casebook datamap; kept
	// beside the case as files too, to show the form. Loaded before the
	// import, which applies them as it stores each event: loaded after, they
	// would change every event and index the whole log a second time.
	for _, t := range []struct {
		name string
		body []byte
		load func(context.Context, string, ProgressFunc) (ContextResult, error)
	}{{"roster.csv", demo.RosterCSV(), c.ImportRoster}, {"datamap.csv", demo.DataMapCSV(), c.ImportDataMap}} {
		p := filepath.Join(dir, "demo-"+t.name)
		if err := os.WriteFile(p, t.body, 0o600); err != nil {
			c.Close()
			return nil, err
		}
		if _, err := t.load(ctx, p, progress); err != nil {
			c.Close()
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	staging, err := os.MkdirTemp("", "casebook-demo-*")
	if err != nil {
		c.Close()
		return nil, err
	}
	defer os.RemoveAll(staging)
	names := make([]string, 0, len(files))
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(staging, name), b, 0o600); err != nil {
			c.Close()
			return nil, err
		}
		names = append(names, filepath.Join(staging, name))
	}
	sort.Strings(names)
	results, err := c.Import(ctx, names, ImportOptions{}, progress)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("demo: %w", err)
	}
	for _, r := range results {
		if r.Err != nil {
			c.Close()
			return nil, fmt.Errorf("demo: %w", r.Err)
		}
	}
	// The recording of one meeting, imported after the rest (the sources
	// keep their ids) and paired with its transcript by their names.
	recName, rec := demo.Recording()
	recPath := filepath.Join(staging, recName)
	if err := os.WriteFile(recPath, rec, 0o600); err != nil {
		c.Close()
		return nil, err
	}
	recResults, err := c.Import(ctx, []string{recPath}, ImportOptions{}, progress)
	if err == nil && recResults[0].Err != nil {
		err = recResults[0].Err
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := demo.WriteManifest(filepath.Join(dir, DemoManifestFile), m); err != nil {
		c.Close()
		return nil, err
	}
	// The demo's policy (its offshore backup and cut-off) and the company's
	// public claims are part of the story the investigator starts from.
	pol := DefaultPolicy()
	pol.Offshore, pol.OffshoreFrom = append([]string(nil), m.Policy.Offshore...), m.Policy.OffshoreFrom
	if err := c.SetPolicy(ctx, pol); err != nil {
		c.Close()
		return nil, fmt.Errorf("demo: %w", err)
	}
	for _, st := range m.Statements {
		if _, err := c.AddStatement(ctx, st.Who, st.Date, st.Words, st.Where); err != nil {
			c.Close()
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	return c, nil
}

// DemoManifest returns the demo case's planted evidence.
func DemoManifest() demo.Manifest { return demo.Load() }
