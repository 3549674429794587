package evchan

import (
	"errors"
	"io"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// R9: once Del returns, the event is never delivered, even if it was pending
// and being offered on C at that moment, and its timer is stopped.
func TestR9Del(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		offered := mustAdd(t, c, Virtual(true).Persistent(), "offered", 0)
		queued := mustAdd(t, c, Virtual(true), "queued", 0)
		timer := mustAdd(t, c, Timer(time.Second).Persistent(), "timer", 0)
		synctest.Wait() // offered is being offered on C, queued waits behind it
		if !c.Del(offered) || !c.Del(queued) || !c.Del(timer) {
			t.Fatal("Del of a live event reported false")
		}
		if c.Del(offered) {
			t.Fatal("second Del reported true")
		}
		time.Sleep(time.Hour)
		none(t, c)
		if c.Len() != 0 {
			t.Fatalf("Len = %d after deleting everything", c.Len())
		}
	})
}

// R9: Del from another goroutine while a consumer waits on C, the supervisor
// offering the event to it: the consumer gets the event at most once (the
// delivery then counts as made before Del returned), and nothing is left.
func TestR9DelRacingAConsumer(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		for i := range 200 {
			id := mustAdd(t, c, Virtual(true).Persistent(), i, 0)
			got := make(chan Event, 2)
			go func() {
				for e := range c.All(Within(time.Second)) {
					got <- e
				}
				close(got)
			}()
			synctest.Wait() // the consumer waits, the supervisor offers
			c.Del(id)
			n := 0
			for e := range got {
				if n++; e.ID != id || n > 1 {
					t.Fatalf("delivery %d: %v", n, e)
				}
			}
			if c.Len() != 0 {
				t.Fatal("the event survived Del")
			}
		}
	})
}

// watchCounter is a custom source that records the protocol calls it gets.
type watchCounter struct {
	handles chan Handle
	rearms  chan ID
	stops   chan ID
	err     error // returned by Watch
}

func newWatchCounter() *watchCounter {
	return &watchCounter{handles: make(chan Handle, 100), rearms: make(chan ID, 100), stops: make(chan ID, 100)}
}

func (s *watchCounter) Watch(h Handle) (Watcher, error) {
	if s.err != nil {
		return nil, s.err
	}
	s.handles <- h
	return counted{s, h.ID()}, nil
}

type counted struct {
	s  *watchCounter
	id ID
}

func (w counted) Rearm() { w.s.rearms <- w.id }
func (w counted) Stop()  { w.s.stops <- w.id }

// R9: Del stops the source's Watcher before it returns, and a firing that
// races with Del is dropped.
func TestR9DelStopsTheSource(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		c.Del(id)
		select {
		case got := <-src.stops:
			if got != id {
				t.Fatalf("stopped %d", got)
			}
		default:
			t.Fatal("Del returned before stopping the Watcher")
		}
		h.Fire(Triggered, "late") // a source slow to notice
		none(t, c)
	})
}

// R11: Clear deletes everything, pending events included, stops every
// source, and leaves the container usable at once.
func TestR11Clear(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		mustAdd(t, c, Virtual(true), nil, 0)
		mustAdd(t, c, Virtual(true).Persistent(), nil, 0)
		mustAdd(t, c, Timer(time.Second), nil, 0)
		mustAdd(t, c, Custom(src), nil, 0)
		synctest.Wait()
		c.Clear()
		if c.Len() != 0 || len(src.stops) != 1 {
			t.Fatalf("after Clear: Len %d, %d watchers stopped", c.Len(), len(src.stops))
		}
		time.Sleep(time.Hour)
		none(t, c)
		id := mustAdd(t, c, Virtual(true), "after", 0)
		if e := take(t, c); e.ID != id {
			t.Fatalf("got %v after Clear", e)
		}
	})
}

// R12: Close deletes everything, stops sources, closes services and C, and
// every later call fails; Close is idempotent. TestMain's goleak check
// holds the rest: no goroutine outlives its container.
func TestR12Close(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := New()
		src := newWatchCounter()
		id := mustAdd(t, c, Virtual(true).Persistent(), nil, 0)
		mustAdd(t, c, Custom(src), nil, time.Second)
		h := <-src.handles
		closed := false
		svc, err := h.Service("key", func() (io.Closer, error) { return closerFunc(func() error { closed = true; return nil }), nil })
		if err != nil || svc == nil {
			t.Fatalf("Service: %v", err)
		}
		synctest.Wait()
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if !closed || len(src.stops) != 1 {
			t.Fatal("Close did not close the service or stop the source")
		}
		if _, ok := <-c.C; ok {
			t.Fatal("C delivered after Close")
		}
		if _, err := c.Add(Virtual(false), nil, 0); !errors.Is(err, ErrClosed) {
			t.Fatalf("Add after Close: %v", err)
		}
		if _, err := c.Once(nil); !errors.Is(err, ErrClosed) {
			t.Fatalf("Once after Close: %v", err)
		}
		if c.Trigger(id) || (c.SetData(id, nil) == nil) || c.Del(id) || c.Len() != 0 {
			t.Fatal("a method reported success after Close")
		}
		if _, err := h.Service("other", nil); !errors.Is(err, ErrClosed) {
			t.Fatalf("Service after Close: %v", err)
		}
		c.Clear()
		c.Stop()
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Next(t.Context(), Block); ok {
			t.Fatal("Next after Close returned an event")
		}
	})
}

// R12: Close from many goroutines at once, while a consumer waits.
func TestR12CloseConcurrently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := New()
		mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		go func() {
			for range c.All(Block) {
			}
		}()
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() { c.Close() })
		}
		wg.Wait()
	})
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }
