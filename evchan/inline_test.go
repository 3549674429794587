package evchan

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// fakeWaiter is a Waiter service with no kernel: Wait blocks on channels
// and a timer, so a loop waiting in it is durably blocked in a synctest
// bubble. Its one source is ready: a Handle sent there is fired by the
// Wait under way (or the next), in the waiting goroutine, as a poller's
// Wait fires what the kernel reported.
type fakeWaiter struct {
	wake  chan struct{} // capacity 1: a Wake is kept for the next Wait
	ready chan Handle
	// decline makes Wait report false at once; panicMsg makes it panic.
	decline  bool
	panicMsg string

	mu       sync.Mutex
	timeouts []time.Duration // of each Wait that waited
	waiting  bool
	wakes    int
	releases int
	fired    int // Handles fired by a Wait
	overlaps int // Waits that began while another was under way
}

func newFakeWaiter() *fakeWaiter {
	return &fakeWaiter{wake: make(chan struct{}, 1), ready: make(chan Handle, 16)}
}

// install makes w a service of c, as a source's Watch would.
func (w *fakeWaiter) install(t *testing.T, c *Container, key any) {
	t.Helper()
	if _, err := c.Service(key, func() (io.Closer, error) { return w, nil }); err != nil {
		t.Fatal(err)
	}
}

func (w *fakeWaiter) Probe() {}

func (w *fakeWaiter) Wait(timeout time.Duration) (fired int, waited bool) {
	if w.panicMsg != "" {
		panic(w.panicMsg)
	}
	if w.decline {
		return 0, false
	}
	w.mu.Lock()
	if w.waiting {
		w.overlaps++
	}
	w.waiting = true
	w.timeouts = append(w.timeouts, timeout)
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.waiting = false
		w.mu.Unlock()
	}()
	var expired <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case <-w.wake:
	case <-expired:
	case h := <-w.ready:
		h.Fire(Readable, nil)
		w.mu.Lock()
		w.fired++
		w.mu.Unlock()
		fired = 1
	}
	return fired, true
}

func (w *fakeWaiter) Wake() {
	w.mu.Lock()
	w.wakes++
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *fakeWaiter) Release() {
	w.mu.Lock()
	w.releases++
	w.mu.Unlock()
}

func (w *fakeWaiter) Close() error { return nil }

// snapshot returns what w recorded.
func (w *fakeWaiter) snapshot() (timeouts []time.Duration, wakes, releases, fired, overlaps int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.timeouts...), w.wakes, w.releases, w.fired, w.overlaps
}

type waiterKey struct{ n int }

// A loop over All with nothing to take waits in the container's Waiter,
// with no limit when nothing is timed; a Trigger from another goroutine
// wakes it (R5), and it takes the event itself. The waiting is given back
// (Release) when the loop ends.
func TestLoopWaitsInTheWaiter(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		w := newFakeWaiter()
		w.install(t, c, waiterKey{})
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		go func() {
			time.Sleep(time.Second)
			c.Trigger(id)
		}()
		start := time.Now()
		for e := range c.All(Block) {
			wantEvent(t, e, id, Triggered, 1)
			if waited := time.Since(start); waited != time.Second {
				t.Fatalf("delivered after %v, want 1s", waited)
			}
			timeouts, wakes, releases, _, _ := w.snapshot()
			if len(timeouts) == 0 || timeouts[0] != -1 {
				t.Fatalf("Wait timeouts %v, want a first wait with no limit (-1)", timeouts)
			}
			if wakes == 0 {
				t.Fatal("the Trigger did not wake the Waiter")
			}
			if releases != 0 {
				t.Fatalf("%d Releases while the loop runs", releases)
			}
			break
		}
		if _, _, releases, _, _ := w.snapshot(); releases != 1 {
			t.Fatalf("%d Releases after the loop ended, want 1", releases)
		}
	})
}

// A loop waiting in the Waiter waits no longer than the earliest deadline,
// and delivers the timer at its time (R6) and a timeout at its time (R7).
func TestLoopWaitsInTheWaiterUntilTheDeadline(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		w := newFakeWaiter()
		w.install(t, c, waiterKey{})
		timer := mustAdd(t, c, Timer(5*time.Second), nil, 0)
		quiet := mustAdd(t, c, Virtual(false), nil, 3*time.Second)
		start := time.Now()
		var got []string
		for e := range c.All(Block) {
			got = append(got, e.String()+" at "+time.Since(start).String())
		}
		want := []string{
			Event{ID: quiet, Reason: Timeout, Count: 1}.String() + " at 3s",
			Event{ID: timer, Reason: Timeout, Count: 1}.String() + " at 5s",
		}
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Fatalf("got %v, want %v", got, want)
		}
		timeouts, _, _, _, _ := w.snapshot()
		if len(timeouts) < 2 || timeouts[0] != 3*time.Second || timeouts[len(timeouts)-1] != 2*time.Second {
			t.Fatalf("Wait timeouts %v, want 3s first and 2s last", timeouts)
		}
	})
}

// What a Wait fires is taken by the loop that waited, with no hand-over by
// the supervisor, and re-armed once the body is done, as any event a loop
// takes.
func TestWhatTheWaiterFiresIsTakenByTheLoop(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		w := newFakeWaiter()
		w.install(t, c, waiterKey{})
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		synctest.Wait()
		rounds := c.supervisorRounds()
		w.ready <- h // ready: the loop's first Wait fires it
		steps := 0
		for e := range c.All(Block) {
			wantEvent(t, e, id, Readable, 1)
			if len(src.rearms) != steps {
				t.Fatalf("step %d: %d re-arms while the body runs", steps, len(src.rearms))
			}
			if steps++; steps == 3 {
				// Counted while the loop runs: its end may wake the
				// supervisor, for what it leaves pending.
				synctest.Wait()
				if d := c.supervisorRounds() - rounds; d != 0 {
					t.Fatalf("the supervisor looked at the container %d times for events the loop took itself", d)
				}
				break
			}
			w.ready <- h // ready again: the next Wait fires it
		}
		if _, _, _, fired, _ := w.snapshot(); fired != 3 {
			t.Fatalf("the Waiter fired %d times, want 3", fired)
		}
	})
}

// A Waiter that declines (what it reported waits to be taken) leaves the
// loop to wait for the signal, which a Trigger gives: no event is lost,
// and the loop does not spin on Wait.
func TestLoopWaitsForTheSignalWhenTheWaiterDeclines(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		w := newFakeWaiter()
		w.decline = true
		w.install(t, c, waiterKey{})
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		go func() {
			for range 3 {
				time.Sleep(time.Second)
				c.Trigger(id)
			}
		}()
		start, n := time.Now(), 0
		for e := range c.All(Block) {
			wantEvent(t, e, id, Triggered, 1)
			n++
			if d := time.Since(start); d != time.Duration(n)*time.Second {
				t.Fatalf("event %d delivered at %v, want %ds", n, d, n)
			}
			if n == 3 {
				break
			}
		}
	})
}

// A Wait that panics is recovered: Close returns ErrPanicked with the
// panic's value, the loop goes on with the signal, and the Waiter is not
// called again.
func TestWaiterPanics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := New()
		w := newFakeWaiter()
		w.panicMsg = "wait broke"
		w.install(t, c, waiterKey{})
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		go func() {
			for range 2 {
				time.Sleep(time.Second)
				c.Trigger(id)
			}
		}()
		n := 0
		for e := range c.All(Block) {
			wantEvent(t, e, id, Triggered, 1)
			if n++; n == 2 {
				break
			}
		}
		err := c.Close()
		if !errors.Is(err, ErrPanicked) || !strings.Contains(err.Error(), "wait broke") {
			t.Fatalf("Close = %v, want an error wrapping ErrPanicked with the panic's value", err)
		}
	})
}

// With two Waiters, a loop waits in neither (it cannot wait in both): it
// waits for the signal, and gets every event.
func TestTwoWaitersNoInlineWait(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		w1, w2 := newFakeWaiter(), newFakeWaiter()
		w1.install(t, c, waiterKey{1})
		w2.install(t, c, waiterKey{2})
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		go func() {
			time.Sleep(time.Second)
			c.Trigger(id)
		}()
		for e := range c.All(Block) {
			wantEvent(t, e, id, Triggered, 1)
			break
		}
		for _, w := range []*fakeWaiter{w1, w2} {
			if timeouts, _, _, _, _ := w.snapshot(); len(timeouts) != 0 {
				t.Fatalf("a Waiter of two waited %d times", len(timeouts))
			}
		}
	})
}

// Stop, the loop's context, Clear and Close each end a loop waiting in the
// Waiter at once (R10, R11, R12, R13), with no time passing.
func TestWhatEndsALoopWaitingInTheWaiter(t *testing.T) {
	for _, how := range []string{"Stop", "cancel", "Clear", "Close"} {
		t.Run(how, func(t *testing.T) {
			bubble(t, func(t *testing.T, c *Container) {
				w := newFakeWaiter()
				w.install(t, c, waiterKey{})
				mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				done := make(chan int)
				go func() {
					n := 0
					for range c.AllContext(ctx, Block) {
						n++
					}
					done <- n
				}()
				synctest.Wait()
				if timeouts, _, _, _, _ := w.snapshot(); len(timeouts) == 0 {
					t.Fatal("the loop does not wait in the Waiter")
				}
				start := time.Now()
				switch how {
				case "Stop":
					c.Stop()
				case "cancel":
					cancel()
				case "Clear":
					c.Clear()
				case "Close":
					c.Close()
				}
				if n := <-done; n != 0 {
					t.Fatalf("the loop took %d events", n)
				}
				if d := time.Since(start); d != 0 {
					t.Fatalf("the loop ended %v after %s", d, how)
				}
			})
		})
	}
}

// A step of Next waiting on C beside a loop waiting in the Waiter is served
// by the supervisor: the loop leaves the kernel to it, and neither waits
// for the other (R14). Each event goes to one of them, once (R1, R3).
func TestNextBesideALoopInTheWaiter(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		w := newFakeWaiter()
		w.install(t, c, waiterKey{})
		a := mustAdd(t, c, Virtual(false), nil, 0)
		b := mustAdd(t, c, Virtual(false), nil, 0)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		got := make(chan ID, 2)
		go func() {
			for e := range c.AllContext(ctx, Block) {
				got <- e.ID
			}
		}()
		synctest.Wait()
		go func() {
			if e, ok := c.Next(ctx, Block); ok {
				got <- e.ID
			}
		}()
		synctest.Wait()
		c.Trigger(a)
		c.Trigger(b)
		seen := map[ID]int{}
		for range 2 {
			seen[<-got]++
		}
		if seen[a] != 1 || seen[b] != 1 {
			t.Fatalf("deliveries %v, want each of %d and %d once", seen, a, b)
		}
		if _, _, _, _, overlaps := w.snapshot(); overlaps != 0 {
			t.Fatalf("%d Waits overlapped", overlaps)
		}
	})
}

// A loop whose waits in the kernel are ended by calls from other
// goroutines, with nothing fired by the Waiter, waits for its signal
// instead after callsTolerated of them, and gives the kernel back to the
// Waiter's goroutine (Release), since such a wake-up costs a thread
// wake-up; every event still comes, at its time.
func TestLoopWokenByCallsLeavesTheKernel(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		w := newFakeWaiter()
		w.install(t, c, waiterKey{})
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		const n = 20
		go func() {
			for range n {
				time.Sleep(time.Second)
				c.Trigger(id)
			}
		}()
		start, got := time.Now(), 0
		for e := range c.All(Block) {
			wantEvent(t, e, id, Triggered, 1)
			if got++; time.Since(start) != time.Duration(got)*time.Second {
				t.Fatalf("event %d at %v", got, time.Since(start))
			}
			if got == n {
				break
			}
		}
		timeouts, _, releases, _, _ := w.snapshot()
		if len(timeouts) != callsTolerated {
			t.Fatalf("%d waits in the Waiter, want %d, then the signal", len(timeouts), callsTolerated)
		}
		if releases != 1 {
			t.Fatalf("%d Releases, want 1: when the loop left the kernel", releases)
		}
	})
}
