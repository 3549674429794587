package faults_test

import (
	"context"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
)

// The suite runs on both of the paths an event takes to its consumer, which
// are different code paths of the container (evchan, "C or a loop"):
//
//   - "C": receives from c.C. The supervisor goroutine offers each event
//     on C and re-arms a persistent event right after the hand-over.
//   - "All": a loop over c.AllContext(ctx, evchan.Block), pulled one step
//     at a time (iter.Pull). The loop's goroutine takes pending events
//     itself, re-arms a persistent event when the next step is asked for,
//     and, when nothing is pending and the container has one poller, waits
//     in the kernel itself (epoll_wait or poll(2) in that goroutine).
//
// While a loop over All runs, between its steps too, the supervisor offers
// nothing on C: a test uses one path for each container, and ends the
// path's loop (receiver.stop) before it runs a loop of its own.

// A path is one way of taking a container's events.
type path struct {
	name string
	loop bool // a loop over All, else receives from C
}

// paths are the two paths, in the order the subtests run.
var paths = []path{{"C", false}, {"All", true}}

// open returns a receiver of c's events on p. The test's cleanup stops it.
func (p path) open(t *testing.T, c *evchan.Container) *receiver {
	r := &receiver{c: c, loop: p.loop}
	t.Cleanup(r.stop)
	return r
}

// forEachPath runs f as a subtest named by each path.
func forEachPath(t *testing.T, f func(t *testing.T, p path)) {
	t.Helper()
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) { f(t, p) })
	}
}

// What a receiver's take came to.
type outcome uint8

const (
	taken outcome = iota // an event
	// timedOut: nothing within the limit.
	timedOut
	// ended: C is closed; or the loop over All ended, and a new one ended
	// at once too: the container is closed or empty (R13).
	ended
)

// A receiver takes one container's events on one path. Its methods are
// called from one goroutine at a time, not necessarily the test's: take
// and stop never fail the test; receive and closed do, and only from the
// test's goroutine.
type receiver struct {
	c    *evchan.Container
	loop bool

	// The All path's loop, while one runs: next pulls its next step, end
	// ends it (re-arming the event it delivered last), cancel ends its
	// context.
	next   func() (evchan.Event, bool)
	end    func()
	cancel context.CancelFunc
}

// take takes the container's next event, waiting at most limit.
//
// On the All path, a loop that ends for a reason other than limit (Stop,
// which does not latch, R10; a limit of an earlier take that cancelled it
// as it delivered) is followed by a new one, as a program's loop would
// be; if that one ends at once too, the container is empty or closed, and
// take reports ended. The limit cancels the loop's context through
// time.AfterFunc, so a step waiting in the kernel is woken as a program's
// would be.
func (r *receiver) take(limit time.Duration) (evchan.Event, outcome) {
	if !r.loop {
		timer := time.NewTimer(limit)
		defer timer.Stop()
		select {
		case e, ok := <-r.c.C:
			if !ok {
				return evchan.Event{}, ended
			}
			return e, taken
		case <-timer.C:
			return evchan.Event{}, timedOut
		}
	}
	deadline := time.Now().Add(limit)
	for {
		fresh := r.next == nil
		if fresh {
			ctx, cancel := context.WithCancel(context.Background())
			r.next, r.end = iter.Pull(r.c.AllContext(ctx, evchan.Block))
			r.cancel = cancel
		}
		timer := time.AfterFunc(time.Until(deadline), r.cancel)
		e, ok := r.next()
		expired := !timer.Stop()
		if ok {
			// Taken, even if the limit cancelled the loop meanwhile: its
			// next step then ends it, and the next take starts another.
			return e, taken
		}
		r.stop()
		switch {
		case expired:
			return evchan.Event{}, timedOut
		case fresh:
			return evchan.Event{}, ended
		}
	}
}

// stop ends the All path's loop, if one runs: it re-arms the event the
// loop delivered last (evchan, "C or a loop") and its goroutine ends. A
// later take starts a new loop. On the C path it does nothing.
func (r *receiver) stop() {
	if r.end == nil {
		return
	}
	r.end()
	r.cancel()
	r.next, r.end, r.cancel = nil, nil, nil
}

// endedText says what an ended take means on the receiver's path.
func (r *receiver) endedText() string {
	if !r.loop {
		return "C closed"
	}
	return fmt.Sprintf("the loop over All ended, and a new one at once (the container is empty or closed; Len %d)", r.c.Len())
}

// receive takes the container's next event, waiting at most hangLimit, and
// fails the test if there is none.
func (r *receiver) receive(t *testing.T, waitingFor string) evchan.Event {
	t.Helper()
	e, o := r.take(hangLimit)
	switch o {
	case ended:
		t.Fatalf("%s while waiting for %s", r.endedText(), waitingFor)
	case timedOut:
		t.Fatalf("no event within %v while waiting for %s", hangLimit, waitingFor)
	}
	return e
}

// closed checks that the container, closed, delivers nothing more on the
// receiver's path (R12): C is closed; a loop's step, the one in progress
// and a new loop's first, reports false. when says when, for the
// messages.
func (r *receiver) closed(t *testing.T, when string) {
	t.Helper()
	e, o := r.take(hangLimit)
	switch {
	case o == taken && r.loop:
		t.Errorf("%v (context %v, Err %v) taken by a loop over All %s, want the loop ended", e, e.Data, e.Err, when)
	case o == taken:
		t.Errorf("%v (context %v, Err %v) received from C %s, want C closed", e, e.Data, e.Err, when)
	case o == timedOut && r.loop:
		t.Errorf("the loop over All's step has not ended within %v %s", hangLimit, when)
	case o == timedOut:
		t.Errorf("C not closed within %v %s", hangLimit, when)
	}
}
