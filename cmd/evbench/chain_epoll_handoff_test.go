//go:build linux

package main

import "testing"

// TestHandoffCloseAfterFailedRun closes the hand-over baseline where a run
// that failed leaves it: the poller handing over one event, or waiting for
// the ack of one. Close must end the poller in both cases (goleak, in
// TestMain, checks that it did).
func TestHandoffCloseAfterFailedRun(t *testing.T) {
	for _, taken := range []bool{false, true} {
		cfg := chainConfig{impl: "epoll-handoff", pairs: 4, active: 2, writes: 10, runs: 1}
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
			t.Errorf("taken=%v: close: %v", taken, err)
		}
		if _, ok := <-x.events; ok {
			t.Errorf("taken=%v: the poller still hands events over after close", taken)
		}
	}
}
