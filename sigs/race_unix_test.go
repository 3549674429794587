//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sigs

import (
	"fmt"
	"sync"
	"syscall"
	"testing"

	"github.com/evchan/evchan/evchan"
)

// A one-shot event added while the relay hands an arrival to another
// one-shot event either gets that arrival or waits for the next one: it is
// never dropped from the relay, which would leave it in the container with
// the signal no longer caught (R1, R9). Races Add with an arrival many
// times; it failed within a few hundred rounds when the relay released
// every one-shot it found, not only those it fired.
func TestOneShotAddedDuringAnArrival(t *testing.T) {
	hook := relayHook(t)
	for round := range 2000 {
		c := evchan.New()
		mustAdd(t, c, Signal(syscall.SIGUSR1), "first")
		var second evchan.ID
		var wg sync.WaitGroup
		wg.Go(func() { second = mustAdd(t, c, Signal(syscall.SIGUSR1), "second") })
		fire(t, hook, syscall.SIGUSR1, 1)
		wg.Wait()
		got := false
		for _, e := range drain(t, c) {
			got = got || e.ID == second
		}
		if !got { // second is still in the container: the next arrival is its
			fire(t, hook, syscall.SIGUSR1, 1) // fails if no relay is left for it
			if e := next(t, c, fmt.Sprintf("the second one-shot event (round %d)", round)); e.ID != second {
				t.Fatalf("round %d: got event %d, want %d", round, e.ID, second)
			}
		}
		c.Close()
	}
}

// R12: Close returns only once every relay goroutine has ended, including
// one that ended its relay itself, its last one-shot event having fired,
// and is still handing the arrival to the others.
func TestCloseWaitsForARelayEndingItself(t *testing.T) {
	for round := range 50 {
		c := evchan.New()
		for range 2000 {
			mustAdd(t, c, Signal(syscall.SIGUSR2), nil)
		}
		send(t, syscall.SIGUSR2)
		next(t, c, "a one-shot event")
		c.Close()
		if n := relayCount(); n != 0 {
			t.Fatalf("round %d: Close returned with %d relay goroutine(s) still running", round, n)
		}
	}
}
