//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || windows

package sigs

import (
	"errors"
	"os"
	"syscall"
	"testing"

	"github.com/evchan/evchan/evchan"
)

// Bad input is refused with a clear error, on every platform (R15).
func TestLookupPortable(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want os.Signal
		is   error
	}{
		{os.Interrupt, os.Interrupt, nil},
		{syscall.SIGTERM, syscall.SIGTERM, nil},
		{"INT", syscall.SIGINT, nil},
		{"sigint", syscall.SIGINT, nil},
		{"SigTerm", syscall.SIGTERM, nil},
		{2, syscall.SIGINT, nil},
		{int64(15), syscall.SIGTERM, nil},
		{uint8(15), syscall.SIGTERM, nil},
		{nil, nil, evchan.ErrInvalid},
		{os.Signal(nil), nil, evchan.ErrInvalid},
		{"", nil, evchan.ErrInvalid},
		{"NOSUCHSIGNAL", nil, evchan.ErrInvalid},
		{0, nil, evchan.ErrInvalid},
		{-1, nil, evchan.ErrInvalid},
		{65, nil, evchan.ErrInvalid},
		{uint64(1 << 40), nil, evchan.ErrInvalid},
		{2.0, nil, evchan.ErrInvalid},
		{[]int{2}, nil, evchan.ErrInvalid},
		{fakeSignal("SIGUSR1"), nil, evchan.ErrInvalid},
		{syscall.SIGKILL, nil, ErrUncatchable},
		{"KILL", nil, ErrUncatchable},
		{9, nil, ErrUncatchable},
		{"sigstop", nil, ErrUncatchable},
	} {
		got, err := Lookup(tc.in)
		if tc.is == nil {
			if err != nil || got != tc.want {
				t.Errorf("Lookup(%#v) = %v, %v; want %v, nil", tc.in, got, err, tc.want)
			}
			continue
		}
		if !errors.Is(err, tc.is) || !errors.Is(err, evchan.ErrInvalid) || got != nil {
			t.Errorf("Lookup(%#v) = %v, %v; want an error wrapping %v (R15)", tc.in, got, err, tc.is)
		}
	}
}

// A refused signal makes Add fail and disturbs nothing (R15).
func TestAddRefusesPortable(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	keep, err := c.Once("kept")
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []os.Signal{nil, syscall.SIGKILL, fakeSignal("x")} {
		spec := Signal(sig)
		if spec.Letter() != "s" || spec.Persistent().Letter() != "S" {
			t.Errorf("Signal(%v): letters %q, %q, want s, S (R16)", sig, spec.Letter(), spec.Persistent().Letter())
		}
		if _, err := c.Add(spec, nil, 0); !errors.Is(err, evchan.ErrInvalid) {
			t.Errorf("Add(Signal(%v)) = %v, want an error wrapping ErrInvalid (R15)", sig, err)
		}
	}
	if n := c.Len(); n != 1 {
		t.Fatalf("Len = %d after refused Adds, want 1 (R15)", n)
	}
	if e := <-c.C; e.ID != keep {
		t.Fatalf("got %v, want the event added before the refusals", e)
	}
}

// fakeSignal is an os.Signal that os/signal does not know.
type fakeSignal string

func (s fakeSignal) String() string { return string(s) }
func (fakeSignal) Signal()          {}
