//go:build !linux

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "luaevent: this command is built for Linux only")
	os.Exit(1)
}
