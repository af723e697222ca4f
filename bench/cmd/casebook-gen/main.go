// Command casebook-gen writes the deterministic, fictional benchmark case
// (see package casebook/bench/gen).
//
//	go run ./bench/cmd/casebook-gen -out /tmp/bigcase            # the reference size
//	go run ./bench/cmd/casebook-gen -out /tmp/bigcase2 -scale 2  # twice as much, for growth
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
	seed := flag.Uint64("seed", 42, "random seed")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "casebook-gen: -out is required")
		os.Exit(2)
	}
	c := gen.Reference
	c.Meetings *= *scale
	c.Cues *= *scale
	c.LogRows *= *scale
	c.Seed = *seed
	if err := gen.Write(*out, c); err != nil {
		fmt.Fprintln(os.Stderr, "casebook-gen:", err)
		os.Exit(1)
	}
}
