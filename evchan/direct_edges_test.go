package evchan

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// A NoWait loop (or Auto, with nothing timed) whose first event is already
// offered on C when it starts takes it as any step does: the loop, not the
// hand-over, re-arms it, after the body.
func TestAllNoWaitRearmsAfterTheBodyWhenOffered(t *testing.T) {
	for _, mode := range []Mode{NoWait, Auto} {
		bubble(t, func(t *testing.T, c *Container) {
			src := newWatchCounter()
			id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
			h := <-src.handles
			h.Fire(Readable, nil)
			synctest.Wait() // the supervisor offers it on C
			got := 0
			for e := range c.All(mode) {
				wantEvent(t, e, id, Readable, 1)
				got++
				synctest.Wait()
				if n := len(src.rearms); n != 0 {
					t.Fatalf("%v: %d re-arms while the body runs, want 0", mode, n)
				}
			}
			if got != 1 {
				t.Fatalf("%v: %d events, want 1", mode, got)
			}
			synctest.Wait()
			if n := len(src.rearms); n != 1 {
				t.Fatalf("%v: %d re-arms after the loop, want 1", mode, n)
			}
		})
	}
}

// So Hold defers that re-arm too.
func TestAllNoWaitHoldsWhatWasOffered(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		h.Fire(Readable, nil)
		synctest.Wait()
		var release func()
		for e := range c.All(NoWait) {
			release = c.Hold(e.ID)
		}
		synctest.Wait()
		if n := len(src.rearms); n != 0 {
			t.Fatalf("%d re-arms before the release, want 0", n)
		}
		release()
		if n := len(src.rearms); n != 1 {
			t.Fatalf("%d re-arms after the release, want 1", n)
		}
	})
}

// R10: a Stop that returns while a step re-arms (the source's Rearm is user
// code, run without the lock) ends the loop before its next event.
func TestR10StopDuringTheStepsRearm(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := &gatedRearm{handles: make(chan Handle, 1), inRearm: make(chan struct{}), goOn: make(chan struct{})}
		id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		other := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		h.Fire(Readable, nil)
		go func() {
			<-src.inRearm // the loop's second step re-arms id
			c.Stop()
			close(src.goOn)
		}()
		var got []ID
		for e := range c.All(Block) {
			got = append(got, e.ID)
			if e.ID == id {
				c.Trigger(other) // pending before Stop
			}
		}
		if len(got) != 1 {
			t.Fatalf("delivered %v; want only event %d, Stop having returned before the second", got, id)
		}
	})
}

// gatedRearm's Rearm waits for goOn, after saying it was called.
type gatedRearm struct {
	handles chan Handle
	inRearm chan struct{}
	goOn    chan struct{}
}

func (s *gatedRearm) Watch(h Handle) (Watcher, error) { s.handles <- h; return s, nil }
func (s *gatedRearm) Rearm()                          { s.inRearm <- struct{}{}; <-s.goOn }
func (s *gatedRearm) Stop()                           {}

// R1: a one-shot event a waiting loop received is stopped, never re-armed,
// even when the loop ends before the supervisor has recorded the hand-over.
// Real time: the race is between the loop's goroutine and the container's.
func TestR1AllBreakAfterWaitNeverRearmsAOneShot(t *testing.T) {
	c := New()
	defer c.Close()
	mustAdd(t, c, Virtual(false).Persistent(), nil, 0) // keeps the loop from ending for want of events
	src := &rearmCounter{handles: make(chan Handle, 1)}
	for i := 0; i < 2000 && src.rearms.Load() == 0; i++ {
		id := mustAdd(t, c, Custom(src), nil, 0)
		h := <-src.handles
		go func() { time.Sleep(10 * time.Microsecond); h.Fire(Readable, nil) }()
		for e := range c.All(Block) {
			if e.ID != id {
				t.Fatalf("got %v, want event %d", e, id)
			}
			break
		}
	}
	if n := src.rearms.Load(); n != 0 {
		t.Fatalf("Rearm called %d time(s) on one-shot events", n)
	}
}

// rearmCounter counts the re-arms of all its events.
type rearmCounter struct {
	handles chan Handle
	rearms  atomic.Int64
}

func (s *rearmCounter) Watch(h Handle) (Watcher, error) { s.handles <- h; return s, nil }
func (s *rearmCounter) Rearm()                          { s.rearms.Add(1) }
func (s *rearmCounter) Stop()                           {}

// R13, R14: Next called from a loop's body waits for the next event as it
// would anywhere: the container offers events while a step waits for one,
// even though a loop runs its body.
func TestR14NextInsideALoopsBody(t *testing.T) {
	for _, mode := range []Mode{Block, Within(time.Hour)} {
		bubble(t, func(t *testing.T, c *Container) {
			a := mustAdd(t, c, Virtual(true).Persistent(), "a", 0)
			b := mustAdd(t, c, Virtual(false).Persistent(), "b", 0)
			start := time.Now()
			for e := range c.All(Block) {
				if e.ID != a {
					t.Fatalf("got %v, want event %d", e, a)
				}
				c.Trigger(b)
				got, ok := c.Next(context.Background(), mode)
				if !ok || got.ID != b {
					t.Fatalf("%v: Next inside the body: %v %v, want event %d", mode, got, ok, b)
				}
				break
			}
			if waited := time.Since(start); waited != 0 {
				t.Fatalf("%v: Next waited %v for an event pending all along", mode, waited)
			}
		})
	}
}

// alwaysReady is a source whose condition always holds, as a regular
// file's readability does: it fires at Watch and again at each Rearm.
type alwaysReady struct{}

func (alwaysReady) Watch(h Handle) (Watcher, error) {
	h.Fire(Readable, nil)
	return refire{h}, nil
}

type refire struct{ h Handle }

func (r refire) Rearm() { r.h.Fire(Readable, nil) }
func (r refire) Stop()  {}

// R4 on one processor: a consumer that always has an event to take (an
// always-ready source) still lets the goroutines of other sources run,
// every probeEvery deliveries, so what they fire comes within a bounded
// number of deliveries rather than after the scheduler's preemption, some
// thousands of deliveries later. Both on C and in a loop over All.
func TestBusyConsumerLetsOtherGoroutinesRun(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, how := range []string{"C", "All"} {
		t.Run(how, func(t *testing.T) {
			c := New()
			defer c.Close()
			mustAdd(t, c, Custom(alwaysReady{}).Persistent(), nil, 0)
			id := mustAdd(t, c, Virtual(false), nil, 0)
			ready := make(chan struct{})
			go func() {
				<-ready
				c.Trigger(id)
			}()
			runtime.Gosched() // the goroutine waits for ready now
			close(ready)      // and runs when the consumer lets it
			const bound = 4 * probeEvery
			n := 0
			take := func(e Event) bool {
				n++
				if e.ID == id {
					return true
				}
				if n > bound {
					t.Fatalf("%d deliveries of the busy event, and the Trigger made in another goroutine still not delivered", n)
				}
				return false
			}
			if how == "C" {
				for !take(<-c.C) {
				}
				return
			}
			for e := range c.All(Block) {
				if take(e) {
					break
				}
			}
		})
	}
}

// R7: a loop over All that re-applies an event's timeout at every delivery
// does not wake the supervisor for it (its deadlines are the loop's while
// it runs), and once the loop ends the supervisor's timer takes the
// deadline over, so the timeout still fires for a receiver on C.
func TestR7LoopTimeoutsLeaveTheSupervisorAloneUntilTheLoopEnds(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, time.Minute)
		c.Trigger(id)
		var rounds uint64
		steps := 0
		for e := range c.All(Block) {
			wantEvent(t, e, id, Triggered, 1)
			steps++
			synctest.Wait() // the supervisor has done what it was woken for
			if steps == 1 {
				rounds = c.supervisorRounds()
			}
			if steps == 100 {
				if d := c.supervisorRounds() - rounds; d != 0 {
					t.Fatalf("the supervisor looked at the container %d times during 99 deliveries the loop took itself", d)
				}
				break
			}
			c.Trigger(id) // its timeout is re-applied at each delivery
		}
		start := time.Now()
		e := <-c.C
		wantEvent(t, e, id, Timeout, 1)
		if waited := time.Since(start); waited != time.Minute {
			t.Fatalf("the timeout came after %v, want 1m", waited)
		}
	})
}
