package importer

import (
	"bufio"
	"strings"
)

// peekInput is an Input whose first bytes have been looked at without
// consuming them.
type peekInput struct {
	in   Input
	head []byte
}

// newPeekInput buffers in's reader and peeks its first HeadSize bytes.
func newPeekInput(in Input) peekInput {
	br := bufio.NewReaderSize(in.R, HeadSize)
	head, _ := br.Peek(HeadSize)
	in.R = br
	return peekInput{in: in, head: head}
}

// logHeadLines returns up to n non-blank lines of the decoded head.
func logHeadLines(head []byte, n int) []string {
	var out []string
	for _, l := range headLines(head, n*4) {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
			if len(out) == n {
				break
			}
		}
	}
	return out
}
