package evchan

import (
	"testing"
	"testing/synctest"
)

// Hold keeps a loop from re-arming the event it delivered; the release,
// from any goroutine, re-arms it once (R3: the source reports nothing
// again before the holder consumed what the event announced).
func TestHoldDefersRearmToRelease(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		h.Fire(Readable, nil)
		keep := mustAdd(t, c, Virtual(false).Persistent(), nil, 0) // the loop waits, not ends
		var release func()
		done := make(chan struct{})
		go func() {
			defer close(done)
			for e := range c.All(Block) {
				wantEvent(t, e, id, Readable, 1)
				release = c.Hold(e.ID)
			}
		}()
		synctest.Wait() // the loop took the event, held it, and waits for the next
		if n := len(src.rearms); n != 0 {
			t.Fatalf("%d re-arms of a held event before its release", n)
		}
		go release() // from another goroutine
		synctest.Wait()
		if n := len(src.rearms); n != 1 {
			t.Fatalf("%d re-arms after the release, want 1", n)
		}
		release() // again: nothing
		synctest.Wait()
		if n := len(src.rearms); n != 1 {
			t.Fatalf("%d re-arms after a second release, want 1", n)
		}
		c.Stop()
		<-done
		c.Del(keep)
	})
}

// A release made before the loop's next step leaves the re-arm to that
// step: the event is re-armed once, not twice.
func TestHoldReleasedInTheBody(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		h.Fire(Readable, nil)
		for e := range c.All(Block) {
			wantEvent(t, e, id, Readable, 1)
			c.Hold(e.ID)()
			synctest.Wait()
			if n := len(src.rearms); n != 0 {
				t.Fatalf("%d re-arms before the loop's next step", n)
			}
			break
		}
		synctest.Wait()
		if n := len(src.rearms); n != 1 {
			t.Fatalf("%d re-arms, want 1", n)
		}
	})
}

// Hold changes nothing for what it cannot hold: an unknown or deleted ID,
// a one-shot event, an event with no source (R2: no panic, no error).
func TestHoldNothingToHold(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		oneShot := mustAdd(t, c, Virtual(false), nil, 0)
		virtual := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		for _, id := range []ID{0, 999, oneShot, virtual} {
			release := c.Hold(id)
			release()
			release()
		}
		c.Del(virtual)
		c.Hold(virtual)()
		if !c.Trigger(oneShot) {
			t.Fatal("the one-shot event was disturbed by Hold")
		}
		wantEvent(t, take(t, c), oneShot, Triggered, 1)
	})
}

// An event received from C was re-armed as it was received: holding it
// adds no re-arm, and neither does its release.
func TestHoldOfEventFromC(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		src := newWatchCounter()
		id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
		h := <-src.handles
		h.Fire(Readable, nil)
		e := take(t, c)
		wantEvent(t, e, id, Readable, 1)
		release := c.Hold(e.ID)
		synctest.Wait()
		release()
		synctest.Wait()
		if n := len(src.rearms); n != 1 {
			t.Fatalf("%d re-arms, want the 1 made when it was received", n)
		}
	})
}
