//go:build !unix

package main

import (
	"fmt"
	"io"
)

// chainMain refuses: the chain workload needs Unix socket pairs.
func chainMain(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "evbench chain: needs a Unix system (socket pairs and a readiness mechanism)")
	return 1
}
