package ui

import (
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
)

// runner starts the window's background work and applies its results on
// the UI goroutine. In the app, do is fyne.Do; the tests swap it for a
// queue they drain on the test goroutine, as the real driver's event loop
// would, so results are never applied while the test is touching widgets.
//
// Once the background work has been quiet for a while, runner hands
// the memory it freed back to the operating system (release). Opening a
// case, a search or a report allocates in bursts; Go's heap keeps what the
// burst freed for reuse and returns it only slowly, so the idle window held
// about 24 MB more than it used (measured on the reference case under Xvfb:
// anonymous memory 111 → 87 MB fifteen seconds after opening).
type runner struct {
	do      func(func())
	release func()       // nil: keep the memory
	later   func(func()) // runs its function once the work has been quiet a while

	wg      sync.WaitGroup // for closing the window
	pending atomic.Int64   // for the tests and the release
	started atomic.Int64   // spawns so far: a release waits for no new one
}

// releaseAfter is how long the background work must have been quiet before
// the runner releases memory: long enough that a search typed key by key
// does not pay a collection between two keys.
const releaseAfter = 3 * time.Second

func newRunner() *runner {
	return &runner{do: fyne.Do, release: debug.FreeOSMemory,
		later: func(f func()) { time.AfterFunc(releaseAfter, f) }}
}

// spawn runs f in a goroutine that closing the window waits for. f applies
// its results with r.do.
func (r *runner) spawn(f func()) {
	r.wg.Add(1)
	r.pending.Add(1)
	r.started.Add(1)
	go func() {
		defer r.wg.Done()
		defer r.ended()
		f()
	}()
}

// ended counts a spawned goroutine out; the last one arms the release,
// which goes ahead only if nothing was spawned meanwhile.
func (r *runner) ended() {
	if r.pending.Add(-1) != 0 || r.release == nil {
		return
	}
	n := r.started.Load()
	r.later(func() {
		if r.started.Load() == n && r.pending.Load() == 0 {
			r.release()
		}
	})
}

// wait blocks until every spawned goroutine has ended.
func (r *runner) wait() { r.wg.Wait() }
