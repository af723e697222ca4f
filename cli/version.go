package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// buildInfo is what a casebook binary says about where it came from.
type buildInfo struct {
	Version  string `json:"version"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
	// Revision is the commit the binary was built from ("" when it was
	// built without version control information, as by go run or go test).
	Revision string `json:"revision"`
	Modified bool   `json:"modified"` // the tree had uncommitted changes
	Time     string `json:"commit_time,omitempty"`
}

// readBuildInfo reads the Go version and the vcs.revision, vcs.modified
// and vcs.time that go build stamps into a binary built in a Git tree.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: Version, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if bi.GoVersion != "" {
		b.Go = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "vcs.time":
			b.Time = s.Value
		}
	}
	return b
}

// cmdVersion is "casebook version [--json]" (and "casebook --version").
func cmdVersion(e *env, args []string) error {
	var o jsonFlags
	pos, err := parse(o.flagSet(), args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected %q", pos[0])
	}
	b := readBuildInfo()
	if o.json {
		return writeJSON(e.stdout, b)
	}
	fmt.Fprintf(e.stdout, "casebook %s\n", b.Version)
	fmt.Fprintf(e.stdout, "go:          %s %s\n", b.Go, b.Platform)
	switch {
	case b.Revision == "":
		fmt.Fprintln(e.stdout, "revision:    unknown (built without version control information)")
	case b.Modified:
		fmt.Fprintf(e.stdout, "revision:    %s+dirty (built with uncommitted changes)\n", b.Revision)
	default:
		fmt.Fprintf(e.stdout, "revision:    %s\n", b.Revision)
	}
	if b.Time != "" {
		fmt.Fprintf(e.stdout, "commit time: %s\n", b.Time)
	}
	return nil
}
