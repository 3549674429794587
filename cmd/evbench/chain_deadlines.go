//go:build linux

package main

import (
	"fmt"
	"math"
	"time"
)

// deadlines is a min-heap of one deadline per pair, as libevent keeps its
// timeouts (min_heap.h): the earliest at the root, and pos[i] telling where
// pair i's entry is, so that moving one deadline costs O(log n).
type deadlines struct {
	heap []deadline // heap[0] is the earliest
	pos  []int      // pos[i]: the index of pair i's entry in heap
}

// deadline is one pair's entry: its deadline is kept in the heap itself, so
// that sifting compares neighbouring entries rather than chasing pairs.
type deadline struct {
	at   time.Duration // on the loop's clock (loopTimeouts.base)
	pair int
}

// reset gives all n pairs the same deadline. Equal deadlines are in heap
// order whatever their places, so pair i can take place i.
func (d *deadlines) reset(n int, at time.Duration) {
	d.heap, d.pos = d.heap[:0], d.pos[:0]
	for i := range n {
		d.heap = append(d.heap, deadline{at, i})
		d.pos = append(d.pos, i)
	}
}

// min is the earliest deadline; there must be one.
func (d *deadlines) min() deadline { return d.heap[0] }

// move sets pair's deadline to at and restores the heap order from its
// entry, up or down, as min_heap_adjust_ does.
func (d *deadlines) move(pair int, at time.Duration) {
	i := d.pos[pair]
	d.heap[i].at = at
	if i > 0 && at < d.heap[(i-1)/2].at {
		d.up(i)
	} else {
		d.down(i)
	}
}

// up moves the entry at i towards the root while it is earlier than its
// parent.
func (d *deadlines) up(i int) {
	e := d.heap[i]
	for i > 0 {
		parent := (i - 1) / 2
		if d.heap[parent].at <= e.at {
			break
		}
		d.set(i, d.heap[parent])
		i = parent
	}
	d.set(i, e)
}

// down moves the entry at i towards the leaves while a child is earlier.
func (d *deadlines) down(i int) {
	e := d.heap[i]
	n := len(d.heap)
	for {
		child := 2*i + 1
		if child >= n {
			break
		}
		if child+1 < n && d.heap[child+1].at < d.heap[child].at {
			child++
		}
		if e.at <= d.heap[child].at {
			break
		}
		d.set(i, d.heap[child])
		i = child
	}
	d.set(i, e)
}

func (d *deadlines) set(i int, e deadline) {
	d.heap[i] = e
	d.pos[e.pair] = i
}

// loopTimeouts is -t for the hand-written epoll loops: what a
// single-threaded loop pays for a timeout on every persistent read event,
// as libevent pays it. Only the goroutine that calls epoll_wait uses it.
//
// The clock is read once per wake-up, right after epoll_wait returns, and
// that reading serves the whole batch: it decides which deadlines passed,
// every read event handled in the batch moves its deadline from it, and the
// next epoll_wait's timeout is computed from it. libevent does the same (its
// time cache, refreshed after each dispatch), and a batch is handled in
// microseconds, nothing next to a 10 s timeout; a reading per event would
// add a clock read to every event, which libevent does not pay. The reading
// is time.Since(base): one monotonic clock read, where time.Now also reads
// the wall clock.
type loopTimeouts struct {
	timeout time.Duration
	base    time.Time     // the clock's origin: deadlines are durations since it
	now     time.Duration // the clock at the last wake-up, since base
	heap    deadlines
	fired   int // deadlines that passed, as chain_libevent.c's timeouts
}

// newLoopTimeouts is nil when cfg has no timeout: the loops then do no
// heap work at all.
func newLoopTimeouts(cfg chainConfig) *loopTimeouts {
	if cfg.timeout <= 0 {
		return nil
	}
	t := &loopTimeouts{timeout: cfg.timeout, base: time.Now()}
	t.restart(cfg.pairs)
	return t
}

// restart gives every one of the n pairs the deadline now+timeout, as
// bench.c's event_add for each event before each run.
func (t *loopTimeouts) restart(n int) {
	t.now = time.Since(t.base)
	t.heap.reset(n, t.now+t.timeout)
}

// started makes at, a clock reading already taken (the run's start), the
// cached now, so that the first wait of a run needs no reading of its own.
func (t *loopTimeouts) started(at time.Time) { t.now = at.Sub(t.base) }

// waitMsec is epoll_wait's timeout: the time until the earliest deadline,
// from the last wake-up's clock, in milliseconds rounded up, so that the
// wait never ends before the deadline (libevent's evutil_tv_to_msec_ rounds
// up too).
func (t *loopTimeouts) waitMsec() int {
	left := t.heap.min().at - t.now
	if left <= 0 {
		return 0
	}
	ms := (left + time.Millisecond - 1) / time.Millisecond
	return int(min(ms, math.MaxInt32))
}

// woke reads the clock after epoll_wait returned and fires every deadline
// that passed: it counts it and, the event being persistent, schedules the
// next one timeout later, from now if that is already past (libevent's
// event_persist_closure). With a 10 s timeout none should fire: a fired one
// means a read event was not delivered, and the run fails.
func (t *loopTimeouts) woke() error {
	t.now = time.Since(t.base)
	fired, first := 0, -1
	for e := t.heap.min(); e.at <= t.now; e = t.heap.min() {
		if first < 0 {
			first = e.pair
		}
		fired++
		next := e.at + t.timeout
		if next <= t.now {
			next = t.now + t.timeout
		}
		t.heap.move(e.pair, next)
	}
	if fired == 0 {
		return nil
	}
	t.fired += fired
	return fmt.Errorf("%d timeouts of %v fired, pair %d's first: a read event came late or never", fired, t.timeout, first)
}

// handled moves pair's deadline to a timeout after the last wake-up, once
// its read event was handled: a persistent event's timeout starts again at
// each delivery.
func (t *loopTimeouts) handled(pair int) { t.heap.move(pair, t.now+t.timeout) }
