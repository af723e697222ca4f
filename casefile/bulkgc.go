package casefile

import (
	"os"
	"runtime/debug"
	"sync"
)

// bulkGCPercent is the garbage collector's target while the index takes in
// a large backlog. Bleve's analysis allocates heavily and keeps little
// (tokens, term maps, the interim segment), so the collector ran about a
// quarter of the CPU time of a catch-up at the default 100. Measured on the
// 1,000,000-row reference log: 135 s at 100, 114 s at 200 (peak RSS 331 →
// 374 MB); 400 with a 400 MiB memory limit was no faster and used more.
const bulkGCPercent = 200

// bulkBacklog is how many items make a catch-up "bulk": smaller ones keep the
// process's collector as it is.
const bulkBacklog = 20000

var bulkGC struct {
	sync.Mutex
	holders int
	saved   int
}

// relaxGC raises the collector's target for a bulk indexing job and returns
// the function that puts it back. Nested and concurrent jobs share one
// raise; the last to finish restores what was there. A GOGC the user set
// in the environment is left alone.
func relaxGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	bulkGC.Lock()
	defer bulkGC.Unlock()
	if bulkGC.holders == 0 {
		bulkGC.saved = debug.SetGCPercent(bulkGCPercent)
	}
	bulkGC.holders++
	var once sync.Once
	return func() {
		once.Do(func() {
			bulkGC.Lock()
			defer bulkGC.Unlock()
			if bulkGC.holders--; bulkGC.holders == 0 {
				debug.SetGCPercent(bulkGC.saved)
			}
		})
	}
}
