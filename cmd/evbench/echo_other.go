//go:build !unix

package main

import (
	"fmt"
	"io"
)

// echoMain refuses: package poll watches descriptors only on Unix systems.
func echoMain(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "evbench echo: needs a Unix system (package poll watches descriptors only there)")
	return 1
}
