//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || windows

package sigs_test

import (
	"errors"
	"fmt"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sigs"
)

// Lookup turns a name or a number into a signal ready for Signal, and
// refuses what no event can watch.
func ExampleLookup() {
	sig, err := sigs.Lookup("term")
	fmt.Println(sig, err)
	spec := sigs.Signal(sig).Persistent()
	fmt.Println(spec, spec.Letter())

	_, err = sigs.Lookup("KILL")
	fmt.Println(errors.Is(err, evchan.ErrInvalid), err)
	// Output:
	// terminated <nil>
	// S(terminated) S
	// true sigs: SIGKILL cannot be caught
}
