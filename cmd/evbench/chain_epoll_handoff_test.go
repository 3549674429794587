//go:build linux

package main

import (
	"testing"
	"time"
)

// TestHandoffCloseAfterFailedRun closes the hand-over baseline where a run
// that failed leaves it: the poller handing over one event, or waiting for
// the ack of one, with and without -t (whose prepare talks to the poller).
// Close must end the poller in every case (goleak, in TestMain, checks that
// it did).
func TestHandoffCloseAfterFailedRun(t *testing.T) {
	for _, timeout := range []time.Duration{0, defaultTimeout} {
		for _, taken := range []bool{false, true} {
			cfg := chainConfig{impl: "epoll-handoff", pairs: 4, active: 2, writes: 10, runs: 1, timeout: timeout}
			r, err := openHandoffChain(cfg)
			if err != nil {
				t.Fatal(err)
			}
			x := r.(*handoffChain)
			if err := x.prepare(); err != nil {
				t.Fatal(err)
			}
			if err := x.kickoff(); err != nil {
				t.Fatal(err)
			}
			if taken {
				<-x.events // and no ack: the poller now waits for it
			}
			if err := x.close(); err != nil {
				t.Errorf("t=%v taken=%v: close: %v", timeout, taken, err)
			}
			if _, ok := <-x.events; ok {
				t.Errorf("t=%v taken=%v: the poller still hands events over after close", timeout, taken)
			}
		}
	}
}

// TestHandoffPrepareAfterTimeout checks that prepare reports the poller's
// end, here a timeout that fired between runs, rather than wait for an
// answer that cannot come.
func TestHandoffPrepareAfterTimeout(t *testing.T) {
	cfg := chainConfig{impl: "epoll-handoff", pairs: 4, active: 1, writes: 0, runs: 1, timeout: time.Millisecond}
	r, err := openHandoffChain(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	// The poller's deadlines, set at open, pass in a millisecond: it wakes
	// at the first, or at prepare's request, fires them all and ends.
	time.Sleep(10 * time.Millisecond)
	if err := r.prepare(); err == nil {
		t.Fatal("prepare after the deadlines passed: no error")
	}
}
