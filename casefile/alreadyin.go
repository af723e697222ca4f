package casefile

import (
	"context"
	"fmt"
	"os"

	"casebook/model"
)

// alreadyInCase is the error an import refuses a file with whose bytes are
// already the original of existing.
func alreadyInCase(display string, existing model.Source) error {
	return fmt.Errorf("%s: already in the case as src-%d (%s, sha256 %s…): %w",
		display, existing.ID, existing.Name, existing.SHA256[:min(12, len(existing.SHA256))], model.ErrDuplicate)
}

// AlreadyInCase finds the files among paths whose bytes are already a
// source of the case, before anything is read for an import: the window
// refuses them before asking how to read them. A file is hashed only when
// a source has its size, so new files cost a stat. It returns, by path,
// the error the import would refuse each with (wrapping model.ErrDuplicate);
// files that cannot be read are left for the import to report. progress
// gets one report per file hashed.
func (c *Case) AlreadyInCase(ctx context.Context, paths []string, progress ProgressFunc) (map[string]error, error) {
	srcs, err := c.store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	sizes := make(map[int64]bool, len(srcs))
	for _, s := range srcs {
		sizes[s.Size] = true
	}
	out := map[string]error{}
	for i, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, err := os.Stat(p)
		if err != nil || !st.Mode().IsRegular() || !sizes[st.Size()] {
			continue
		}
		progress.report(Progress{Stage: "check", File: p, Done: int64(i), Total: int64(len(paths))})
		sha, err := hashFile(p)
		if err != nil {
			continue
		}
		if existing, err := c.store.SourceBySHA(ctx, sha); err == nil {
			out[p] = alreadyInCase(p, existing)
		}
	}
	return out, nil
}
