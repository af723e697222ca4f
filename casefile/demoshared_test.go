package casefile_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"casebook/casefile"
)

// The demo case takes minutes to build under the race detector, so the tests
// that only read it share one, built once per test binary and opened once
// (the case lock allows one holder). TestMain removes it.
var (
	demoOnce sync.Once
	demoDir  string
	demoC    *casefile.Case
	demoErr  error
	demoRuns []casefile.RuleResult
)

func TestMain(m *testing.M) {
	code := m.Run()
	if demoC != nil {
		demoC.Close()
	}
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

// demoCase is the shared demo case with its rules run once. Tests given it
// must not change it.
func demoCase(t *testing.T) *casefile.Case {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the demo case")
	}
	demoOnce.Do(func() {
		demoDir, demoErr = os.MkdirTemp("", "casebook-demo-")
		if demoErr != nil {
			return
		}
		demoC, demoErr = casefile.BuildDemo(context.Background(), filepath.Join(demoDir, "demo"), nil)
		if demoErr == nil {
			demoRuns, demoErr = demoC.RunRules(context.Background())
		}
	})
	if demoErr != nil {
		t.Fatalf("demo case: %v", demoErr)
	}
	return demoC
}
