//go:build linux

package main

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// check fails t unless d is a heap whose positions are right and whose root
// is the earliest of want, the deadlines d should hold.
func (d *deadlines) check(t *testing.T, want []time.Duration) {
	t.Helper()
	if len(d.heap) != len(want) || len(d.pos) != len(want) {
		t.Fatalf("%d entries, %d positions, want %d", len(d.heap), len(d.pos), len(want))
	}
	for i, e := range d.heap {
		if i > 0 && d.heap[(i-1)/2].at > e.at {
			t.Fatalf("entry %d (%v) is earlier than its parent (%v)", i, e.at, d.heap[(i-1)/2].at)
		}
		if d.pos[e.pair] != i {
			t.Fatalf("pair %d is at %d, pos says %d", e.pair, i, d.pos[e.pair])
		}
		if e.at != want[e.pair] {
			t.Fatalf("pair %d's deadline is %v, want %v", e.pair, e.at, want[e.pair])
		}
	}
	if m := d.min(); m.at != want[m.pair] || m.at != slicesMin(want) {
		t.Fatalf("min is pair %d at %v, want %v", m.pair, m.at, slicesMin(want))
	}
}

func slicesMin(ds []time.Duration) time.Duration {
	m := ds[0]
	for _, d := range ds[1:] {
		m = min(m, d)
	}
	return m
}

// TestDeadlines moves deadlines at random, earlier and later, and checks
// the heap after each move against a plain array.
func TestDeadlines(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 10, 100, 1000} {
		var d deadlines
		want := make([]time.Duration, n)
		for range 2 { // the second reset reuses the first's slices
			for i := range want {
				want[i] = time.Second
			}
			d.reset(n, time.Second)
			d.check(t, want)
			for range min(20*n, 2000) {
				pair := rng.IntN(n)
				want[pair] = time.Duration(rng.Int64N(int64(2 * time.Second)))
				d.move(pair, want[pair])
				d.check(t, want)
			}
		}
	}
}

// TestLoopTimeoutsWaitMsec checks epoll_wait's timeout: rounded up to the
// millisecond, never negative, at most what epoll_wait takes.
func TestLoopTimeoutsWaitMsec(t *testing.T) {
	for _, tc := range []struct {
		left time.Duration
		want int
	}{
		{-time.Second, 0},
		{0, 0},
		{1, 1},
		{time.Millisecond, 1},
		{time.Millisecond + 1, 2},
		{defaultTimeout, 10000},
		{math.MaxInt64 / 2, math.MaxInt32},
	} {
		tm := &loopTimeouts{now: time.Hour}
		tm.heap.reset(3, time.Hour+tc.left)
		if got := tm.waitMsec(); got != tc.want {
			t.Errorf("%v left: %d ms, want %d", tc.left, got, tc.want)
		}
	}
}

// TestLoopTimeoutsWoke fires the deadlines that passed, reschedules them as
// libevent reschedules a persistent event's, and moves a handled pair's.
func TestLoopTimeoutsWoke(t *testing.T) {
	const timeout = 10 * time.Minute
	tm := &loopTimeouts{timeout: timeout, base: time.Now().Add(-time.Hour)}
	tm.heap.reset(4, 2*time.Hour)
	tm.heap.move(0, 30*time.Minute)          // long past: rescheduled from now
	tm.heap.move(1, time.Hour-time.Second)   // just past: one timeout after it
	tm.heap.move(2, time.Hour-2*time.Second) // just past too
	err := tm.woke()
	if err == nil || !strings.Contains(err.Error(), "3 timeouts") || !strings.Contains(err.Error(), "pair 0's first") {
		t.Fatalf("woke: %v, want 3 timeouts, pair 0's first", err)
	}
	if tm.fired != 3 {
		t.Errorf("fired %d, want 3", tm.fired)
	}
	if tm.now < time.Hour || tm.now > 2*time.Hour {
		t.Fatalf("now %v, want about an hour", tm.now)
	}
	want := []time.Duration{tm.now + timeout, time.Hour - time.Second + timeout, time.Hour - 2*time.Second + timeout, 2 * time.Hour}
	tm.heap.check(t, want)

	if err := tm.woke(); err != nil {
		t.Errorf("woke again: %v", err)
	}
	tm.handled(3)
	want[3] = tm.now + timeout
	tm.heap.check(t, want)
}

// TestEpollLoopsTimeouts runs the raw loops with -t, which TestChain does
// not list: with 10 s no deadline fires, with 1 ns every one does and the
// run fails.
func TestEpollLoopsTimeouts(t *testing.T) {
	for _, impl := range []string{"epoll", "epoll-oneshot", "epoll-handoff"} {
		cfg := chainConfig{impl: impl, pairs: 10, active: 2, writes: 50, runs: 3, timeout: defaultTimeout}
		runs, err := measureChain(cfg)
		if err != nil {
			t.Fatalf("%s -t: %v", impl, err)
		}
		if len(runs) != cfg.runs {
			t.Errorf("%s -t: %d runs, want %d", impl, len(runs), cfg.runs)
		}
		t.Log(summarize(cfg, runs))

		cfg.timeout = time.Nanosecond
		if _, err := measureChain(cfg); err == nil || !strings.Contains(err.Error(), "timeouts of 1ns fired") {
			t.Errorf("%s with a timeout of 1ns: %v, want timeouts fired", impl, err)
		}
	}
}

// TestEpollChainMovesDeadlines checks that each read event moves its pair's
// deadline: after a run in which every pair got bytes, none is left where
// prepare put it.
func TestEpollChainMovesDeadlines(t *testing.T) {
	cfg := chainConfig{impl: "epoll", pairs: 10, active: 2, writes: 50, runs: 1, timeout: defaultTimeout}
	r, err := openEpollChain(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	x := r.(*epollChain)
	if err := x.prepare(); err != nil {
		t.Fatal(err)
	}
	restarted := x.timeouts.heap.min().at
	if _, err := x.run(); err != nil {
		t.Fatal(err)
	}
	for _, e := range x.timeouts.heap.heap {
		if e.at <= restarted {
			t.Errorf("pair %d's deadline is still %v", e.pair, e.at)
		}
	}
}
