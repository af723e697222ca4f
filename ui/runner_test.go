package ui

import (
	"runtime"
	"sync"
	"testing"
)

// The runner hands memory back once its work has ended and nothing new
// started in the quiet time after: never while a job runs, not when
// another job started in between, and once for the whole burst.
func TestRunnerReleasesMemoryOnceTheWorkIsQuiet(t *testing.T) {
	var mu sync.Mutex
	var armed []func() // what the quiet time would run, in order
	released := 0
	r := &runner{do: func(f func()) { f() }, release: func() { released++ }}
	r.later = func(f func()) { mu.Lock(); armed = append(armed, f); mu.Unlock() }
	quietEnds := func() {
		mu.Lock()
		fs := armed
		armed = nil
		mu.Unlock()
		for _, f := range fs {
			f()
		}
	}

	a, b := make(chan struct{}), make(chan struct{})
	r.spawn(func() { <-a })
	r.spawn(func() { <-b })
	close(a)
	for r.pending.Load() != 1 {
		runtime.Gosched()
	}
	quietEnds()
	if released != 0 {
		t.Fatalf("%d releases while a job runs", released)
	}
	close(b)
	r.wait()
	// The burst is over, but a job starts before its quiet time is out.
	c := make(chan struct{})
	r.spawn(func() { <-c })
	quietEnds()
	if released != 0 {
		t.Fatalf("%d releases with a new job running", released)
	}
	close(c)
	r.wait()
	quietEnds()
	if released != 1 {
		t.Errorf("%d releases after the work went quiet, want 1", released)
	}
	quietEnds()
	if released != 1 {
		t.Errorf("%d releases with nothing new done, want still 1", released)
	}
}
