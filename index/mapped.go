package index

import (
	"fmt"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	zapx "github.com/blevesearch/zapx/v17"
)

// Bleve reads its segment files through read-only shared memory maps. The
// pages a merge or a segment's opening touches stay mapped into the process
// until the segment is closed, and on Linux 6.18 (ext4 with large folios,
// 8 MiB read-ahead) one touched byte maps the whole folio around it: during
// a 1M-row catch-up 6,000 page faults on segment files left 229 MB of them
// counted in the process's resident set (opening a segment reads each
// field's doc-value header, spread over the file), and ten times the rows
// left 1.7 GB. Those pages are the kernel's page cache of the index files,
// not memory Casebook allocated, but they count against the process, and
// an investigator's laptop shows them as Casebook's.
//
// releaseMapped gives them back: it asks the kernel to drop the process's
// mappings of every persisted segment's pages (madvise MADV_DONTNEED on a
// shared file mapping drops page-table entries only: the page cache keeps
// the data, and the next read of a page maps it again from there without
// reading the disk). The snapshot it works on holds a reference to each
// segment, so no mapping can be unmapped, and its addresses reused, while
// it is advised. Only Bleve's persisted zap segments are touched: their
// Data is the file mapping itself; in-memory segments live in Go's heap
// and are never advised.

// releaseEvery is how often a bulk run gives mapped pages back.
const releaseEvery = 2 * time.Second

// mappedRelease remembers when the pages were last given back.
type mappedRelease struct {
	mu   sync.Mutex
	last time.Time
}

// releaseMapped drops the process's mappings of the index's segment files
// (see above) and returns how many segments it advised. Where the platform
// cannot (dropMapped is a no-op there) it does nothing and says so by
// returning 0.
func (ix *Index) releaseMapped() (int, error) {
	if !canDropMapped {
		return 0, nil
	}
	adv, err := ix.idx.Advanced()
	if err != nil {
		return 0, fmt.Errorf("index: release mapped pages: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, fmt.Errorf("index: release mapped pages: %w", err)
	}
	defer func() { _ = r.Close() }()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, nil
	}
	n := 0
	for _, ss := range snap.Segments() {
		zs, ok := ss.Segment().(*zapx.Segment)
		if !ok {
			continue
		}
		if err := dropMapped(zs.Data()); err != nil {
			return n, fmt.Errorf("index: release mapped pages of %s: %w", zs.Path(), err)
		}
		n++
	}
	ix.released.mu.Lock()
	ix.released.last = time.Now()
	ix.released.mu.Unlock()
	return n, nil
}

// releaseMappedNow calls releaseMapped when it has not run for
// releaseEvery. Failing to give pages back loses nothing, so its error is
// dropped.
func (ix *Index) releaseMappedNow() {
	ix.released.mu.Lock()
	due := time.Since(ix.released.last) >= releaseEvery
	ix.released.mu.Unlock()
	if due {
		_, _ = ix.releaseMapped()
	}
}

// releasingWhile runs fn and gives mapped pages back every releaseEvery/4
// while it runs, and once after. For a long read of the whole index, such as
// counting the whole-case facets, which reads every document's doc values:
// at ten million events that mapped 1.4 GB of segment pages in 31 s.
func (ix *Index) releasingWhile(fn func() error) error {
	if !canDropMapped {
		return fn()
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(releaseEvery / 4)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				_, _ = ix.releaseMapped()
			}
		}
	}()
	err := fn()
	close(done)
	<-finished
	_, _ = ix.releaseMapped()
	return err
}
