package ui

import (
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
)

// runner starts the window's background work and applies its results on
// the UI goroutine. In the app, do is fyne.Do; the tests swap it for a
// queue they drain on the test goroutine, as the real driver's event loop
// would, so results are never applied while the test is touching widgets.
type runner struct {
	do func(func())

	wg      sync.WaitGroup // for closing the window
	pending atomic.Int64   // for the tests
}

func newRunner() *runner { return &runner{do: fyne.Do} }

// spawn runs f in a goroutine that closing the window waits for. f applies
// its results with r.do.
func (r *runner) spawn(f func()) {
	r.wg.Add(1)
	r.pending.Add(1)
	go func() {
		defer r.wg.Done()
		defer r.pending.Add(-1)
		f()
	}()
}

// wait blocks until every spawned goroutine has ended.
func (r *runner) wait() { r.wg.Wait() }
