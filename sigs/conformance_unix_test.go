//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sigs

import (
	"syscall"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/evchantest"
)

// Signal events keep every rule of the conformance suite, with a Fire that
// returns once the arrival has been handed to every event (Synchronous):
// the suite's exact checks of R3 and R7 apply.
func TestConformance(t *testing.T) {
	evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
		hook := relayHook(t)
		return evchantest.Subject{
			Spec:        Signal(syscall.SIGUSR2),
			Fire:        func() { fire(t, hook, syscall.SIGUSR2, 1) },
			Reason:      evchan.Signal,
			Synchronous: true,
		}
	})
}

// The same with a Fire that a user outside the package can write: it waits
// only until os/signal has relayed the signal (an observer channel got it),
// so that two sends are two arrivals, not one merged by the system.
func TestConformanceObserved(t *testing.T) {
	evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
		return evchantest.Subject{
			Spec:   Signal(syscall.SIGUSR2),
			Fire:   func() { send(t, syscall.SIGUSR2) },
			Reason: evchan.Signal,
		}
	})
}
