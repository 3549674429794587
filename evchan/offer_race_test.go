package evchan

import (
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// These race a control call with a consumer taking the one delivery of a
// one-shot event that the supervisor is offering on C. Either the delivery
// comes first, and the call reports false, or the call does, and the
// delivery shows it. Real goroutines, many rounds: each failed within a few
// thousand before a call that settles an offer kept the supervisor from
// offering the event again, with its old state, until the call was done.

// R5, R3: every Trigger that reported true is in the delivery's Count.
func TestR5TriggerRacingTheDeliveryOfAOneShot(t *testing.T) {
	for round := range 5000 {
		c := New()
		id, _ := c.Once(nil)
		trues := 0
		var wg sync.WaitGroup
		wg.Go(func() {
			for c.Trigger(id) {
				trues++
			}
		})
		e := <-c.C
		wg.Wait()
		c.Close()
		if e.Count != 1+trues {
			t.Fatalf("round %d: Trigger reported true %d times, the delivery's Count is %d", round, trues, e.Count)
		}
	}
}

// R8: a Set that reported true is in the delivery's Context.
func TestR8SetRacingTheDeliveryOfAOneShot(t *testing.T) {
	for round := range 5000 {
		c := New()
		id, _ := c.Once(0)
		last := 0
		var wg sync.WaitGroup
		wg.Go(func() {
			for k := 1; c.SetData(id, k) == nil; k++ {
				last = k
			}
		})
		e := <-c.C
		wg.Wait()
		c.Close()
		if e.Data != last {
			t.Fatalf("round %d: the last Set that reported true gave %d, the delivery carries %v", round, last, e.Data)
		}
	}
}

// R9: a Del that reported true means no delivery.
func TestR9DelRacingTheDeliveryOfAOneShot(t *testing.T) {
	for round := range 5000 {
		c := New()
		id, _ := c.Once(nil)
		done := make(chan struct{})
		got := make(chan bool, 1)
		go func() {
			select {
			case <-c.C:
				got <- true
			case <-done:
				got <- false
			}
		}()
		runtime.Gosched()
		deleted := c.Del(id)
		close(done)
		delivered := <-got
		c.Close()
		if deleted && delivered {
			t.Fatalf("round %d: Del reported true and the event was delivered too", round)
		}
	}
}

// R15: a Source whose Watch returns a nil Watcher, while Clear runs during
// Watch, makes Add return, not panic.
func TestR15NilWatcherWithClearDuringWatch(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		if _, err := c.Add(Custom(nilWatcher{during: c.Clear}), nil, 0); err != nil {
			t.Fatal(err)
		}
	})
}

type nilWatcher struct{ during func() }

func (s nilWatcher) Watch(Handle) (Watcher, error) { s.during(); return nil, nil }

// R6: a persistent timer whose next tick lies beyond what int64
// nanoseconds hold does not tick again; the arithmetic of its fixed-rate
// schedule once wrapped into the past and ticked at once with Count 0.
func TestR6HugeIntervalDoesNotWrap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := New()
		defer c.Close()
		p := time.Duration(1<<62 + 1e9)
		id := mustAdd(t, c, Timer(p).Persistent(), nil, 0)
		time.Sleep(p)
		wantEvent(t, <-c.C, id, Timeout, 1)
		time.Sleep(time.Second)
		synctest.Wait()
		select {
		case e := <-c.C:
			t.Fatalf("a tick one second after the first, interval %v: %v", p, e)
		default:
		}
	})
}
