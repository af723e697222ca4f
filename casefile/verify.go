package casefile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"casebook/model"
)

// VerifyReport is the outcome of Verify.
type VerifyReport struct {
	OK          bool
	Problems    []string // one line each, naming what was altered or missing
	Sources     int      // originals checked
	IPDatabases int      // IP database copies checked (ipdb/)
	Audit       int      // audit entries checked
	Sealed      int      // sources whose records were checked against their seal
	Records     int64    // records re-hashed against their seal
	Unsealed    []string // sources imported before records were sealed ("src-3"): their records cannot be checked
	Deep        *DeepReport
}

// VerifyOptions choose how much Verify does.
type VerifyOptions struct {
	// Deep also parses every original again and compares what it yields,
	// record by record and field by field, with what is stored.
	Deep bool
}

// Verify re-hashes every original, checks the audit chain, the database's
// integrity, every record against the seal its import wrote into the audit
// trail, each source's record count and that the index agrees with the
// database. It records the check in the audit trail.
func (c *Case) Verify(ctx context.Context, progress ProgressFunc) (VerifyReport, error) {
	return c.VerifyWith(ctx, VerifyOptions{}, progress)
}

// VerifyWith is Verify with options (--deep).
func (c *Case) VerifyWith(ctx context.Context, opts VerifyOptions, progress ProgressFunc) (VerifyReport, error) {
	var rep VerifyReport
	srcs, err := c.store.Sources(ctx)
	if err != nil {
		return rep, err
	}
	// The database's structure is checked (quick_check reads every page,
	// integrity_check also every index) on a connection of its own while
	// the originals are hashed and the records checked against their
	// seals (and, with --deep, parsed again): on two cores the check costs
	// little time of its own. Its findings are still listed where they
	// were, after the IP databases.
	ictx, stop := context.WithCancel(ctx)
	var checking sync.WaitGroup
	var integ []string
	var integErr error
	checking.Add(1)
	go func() {
		defer checking.Done()
		integ, integErr = c.store.Integrity(ictx, opts.Deep)
	}()
	defer func() {
		stop()
		checking.Wait()
	}()
	rep.Sources = len(srcs)
	for i, s := range srcs {
		progress.report(Progress{Stage: "verify", File: s.Name, Done: int64(i), Total: int64(len(srcs))})
		if p := c.checkOriginal(s); p != "" {
			rep.Problems = append(rep.Problems, p)
		}
	}
	audit, err := c.store.VerifyAudit(ctx)
	if err != nil {
		return rep, fmt.Errorf("verify audit trail: %w", err)
	}
	rep.Problems = append(rep.Problems, audit...)
	trail, err := c.store.AuditTrail(ctx)
	if err != nil {
		return rep, err
	}
	rep.Audit = len(trail)
	ipdb, n, err := c.checkIPDatabases(ctx, trail)
	if err != nil {
		return rep, fmt.Errorf("verify IP databases: %w", err)
	}
	rep.Problems, rep.IPDatabases = append(rep.Problems, ipdb...), n
	integAt := len(rep.Problems) // where the structure check's findings go
	var total int64
	for _, s := range srcs {
		total += s.Records
	}
	seals, err := c.store.VerifySeals(ctx, func(done int64) {
		progress.report(Progress{Stage: "verify records", Done: done, Total: total})
	})
	if err != nil {
		return rep, fmt.Errorf("verify records against their seals: %w", err)
	}
	rep.Sealed, rep.Records = seals.Sealed, seals.Records
	for _, u := range seals.Unsealed {
		rep.Unsealed = append(rep.Unsealed, u.String())
	}
	for _, f := range seals.Findings {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %s", f.Item, f.Problem))
	}
	switch {
	case opts.Deep && len(ipdb) > 0:
		// Parsing again enriches with the case's IP databases, which an import
		// refuses to use when a copy no longer matches its hash.
		rep.Problems = append(rep.Problems, "verify --deep did not parse the originals again: an IP database copy does not match the SHA-256 recorded when it was loaded (above)")
	case opts.Deep:
		deep, err := c.verifyDeep(ctx, srcs, progress)
		if err != nil {
			return rep, err
		}
		rep.Deep = &deep
		rep.Problems = append(rep.Problems, deep.Problems...)
	}
	checking.Wait()
	if integErr != nil {
		return rep, fmt.Errorf("check the database's structure: %w", integErr)
	}
	for i, m := range integ {
		integ[i] = "database: " + m
	}
	rep.Problems = slices.Insert(rep.Problems, integAt, integ...)
	counts, err := c.store.RecordCounts(ctx)
	if err != nil {
		return rep, err
	}
	for _, s := range srcs {
		if n := counts[s.ID]; n != s.Records {
			rep.Problems = append(rep.Problems, fmt.Sprintf("src-%d (%s): %d records stored, %d recorded at import", s.ID, s.Name, n, s.Records))
		}
	}
	switch p := c.checkIndex(ctx); {
	case p != "":
		rep.Problems = append(rep.Problems, p)
	case opts.Deep:
		// Content is compared only for an index in step: one behind
		// would differ for every change it has yet to apply.
		if rep.Deep == nil {
			rep.Deep = &DeepReport{}
		}
		n, problems, err := c.verifyIndexContent(ctx, progress)
		if err != nil {
			return rep, fmt.Errorf("verify the index's content: %w", err)
		}
		rep.Deep.Indexed = n
		rep.Deep.Problems = append(rep.Deep.Problems, problems...)
		rep.Problems = append(rep.Problems, problems...)
	}
	rep.OK = len(rep.Problems) == 0
	if err := c.store.Audit(ctx, c.Investigator(ctx), "verify", map[string]any{"ok": rep.OK, "problems": len(rep.Problems), "deep": opts.Deep}); err != nil && !errors.Is(err, context.Canceled) {
		// A read-only case can still be verified; the record of it is best effort.
		_ = err
	}
	return rep, nil
}

func (c *Case) checkOriginal(s model.Source) string {
	id := model.ItemID{Kind: model.ItemSource, N: s.ID}
	rel := originalPath(s.SHA256)
	f, err := os.Open(filepath.Join(c.dir, rel))
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Sprintf("%s (%s): original is missing (%s)", id, s.Name, rel)
	}
	if err != nil {
		return fmt.Sprintf("%s (%s): original cannot be read: %v", id, s.Name, cleanOSError(err))
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Sprintf("%s (%s): original cannot be read: %v", id, s.Name, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != s.SHA256 {
		return fmt.Sprintf("%s (%s): original was altered (%s: sha256 is now %s, recorded %s; %d bytes, recorded %d)",
			id, s.Name, rel, got, s.SHA256, n, s.Size)
	}
	return ""
}

func (c *Case) checkIndex(ctx context.Context) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx == nil {
		return "index: not open"
	}
	n, err := c.idx.DocCount()
	if err != nil {
		return "index: " + err.Error()
	}
	segs, evts, err := c.store.Counts(ctx)
	if err != nil {
		return "database: " + err.Error()
	}
	if int64(n) != segs+evts {
		return fmt.Sprintf("index: holds %d items, the database %d (run casebook reindex)", n, segs+evts)
	}
	pos, err := c.idx.Applied()
	if err != nil {
		return "index: " + err.Error()
	}
	head, err := c.store.OutboxHead(ctx)
	if err != nil {
		return "database: " + err.Error()
	}
	if pos.Seq != head {
		return fmt.Sprintf("index: applied change %d of %d (run casebook reindex)", pos.Seq, head)
	}
	return ""
}
