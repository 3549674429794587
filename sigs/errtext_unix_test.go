//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sigs_test

import (
	"errors"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sigs"
)

// Lookup's refusals read as one sentence with the one prefix "sigs: ",
// naming the signal, and wrap the sentinel a caller tests.
func TestLookupErrorTexts(t *testing.T) {
	for _, tc := range []struct {
		v     any
		want  string
		wraps error
	}{
		{nil, "sigs: nil is not a signal", evchan.ErrInvalid},
		{"KILL", "sigs: SIGKILL cannot be caught", sigs.ErrUncatchable},
		{syscall.SIGSTOP, "sigs: SIGSTOP cannot be caught", sigs.ErrUncatchable},
		{"nope", `sigs: no signal is named "nope" on ` + runtime.GOOS, evchan.ErrInvalid},
		{70, "sigs: no signal has number 70", evchan.ErrInvalid},
		{uint64(1) << 40, "sigs: no signal has number 1099511627776", evchan.ErrInvalid},
		{2.0, "sigs: a signal is an os.Signal, a name or a number, not float64", evchan.ErrInvalid},
		{syscall.SIGPROF, "sigs: SIGPROF is kept by the Go runtime for profiling and never relayed", errors.ErrUnsupported},
	} {
		_, err := sigs.Lookup(tc.v)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Lookup(%v) = %v, want %q", tc.v, err, tc.want)
		} else if !errors.Is(err, tc.wraps) {
			t.Errorf("Lookup(%v) = %q, not wrapping %q", tc.v, err, tc.wraps)
		}
		if err != nil && (strings.Count(err.Error(), "sigs: ") != 1 || strings.Contains(err.Error(), "evchan: ")) {
			t.Errorf("Lookup(%v) = %q: not one package prefix", tc.v, err)
		}
	}
	if !errors.Is(sigs.ErrUncatchable, evchan.ErrInvalid) {
		t.Error("ErrUncatchable is not a kind of evchan.ErrInvalid")
	}
}
