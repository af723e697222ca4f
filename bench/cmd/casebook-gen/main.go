// Command casebook-gen writes the deterministic, fictional benchmark case
// (see package casebook/bench/gen).
//
//	go run ./bench/cmd/casebook-gen -out /tmp/bigcase                  # the reference size
//	go run ./bench/cmd/casebook-gen -out /tmp/bigcase2 -scale 2        # twice as much, for growth
//	go run ./bench/cmd/casebook-gen -out /tmp/small -fraction 0.1      # a tenth, for developing the harness
package main

import (
	"flag"
	"fmt"
	"os"

	"casebook/bench/gen"
)

func main() {
	out := flag.String("out", "", "output folder")
	scale := flag.Int("scale", 1, "multiple of the reference size")
	fraction := flag.Float64("fraction", 1, "part of that size to write (0.1: a tenth, for trying the harness quickly)")
	seed := flag.Uint64("seed", 42, "random seed")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "casebook-gen: -out is required")
		os.Exit(2)
	}
	if *scale < 1 || *fraction <= 0 || *fraction > 1 {
		fmt.Fprintln(os.Stderr, "casebook-gen: -scale must be at least 1 and -fraction in (0, 1]")
		os.Exit(2)
	}
	c := gen.Reference
	size := func(n int) int { return max(1, int(float64(n**scale)**fraction+0.5)) }
	c.Meetings, c.Cues, c.LogRows = size(c.Meetings), size(c.Cues), size(c.LogRows)
	c.Seed = *seed
	if err := gen.Write(*out, c); err != nil {
		fmt.Fprintln(os.Stderr, "casebook-gen:", err)
		os.Exit(1)
	}
}
