package casefile

import (
	"runtime/debug"
	"testing"
)

// TestRelaxGC: nested raises share one; the last restore puts back the
// target that was there, and a GOGC from the environment is left alone.
func TestRelaxGC(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(137)
	defer debug.SetGCPercent(before)
	r1 := relaxGC()
	r2 := relaxGC()
	if got := currentGCPercent(); got != bulkGCPercent {
		t.Fatalf("during a bulk job the target is %d, want %d", got, bulkGCPercent)
	}
	r1()
	r1() // a second call of the same restore changes nothing
	if got := currentGCPercent(); got != bulkGCPercent {
		t.Fatalf("with one job still running the target is %d, want %d", got, bulkGCPercent)
	}
	r2()
	if got := currentGCPercent(); got != 137 {
		t.Fatalf("after both jobs the target is %d, want 137", got)
	}
	t.Setenv("GOGC", "150")
	relaxGC()()
	if got := currentGCPercent(); got != 137 {
		t.Fatalf("with GOGC set the target became %d", got)
	}
}

// currentGCPercent reads the collector's target.
func currentGCPercent() int {
	v := debug.SetGCPercent(100)
	debug.SetGCPercent(v)
	return v
}
