package evchan

import (
	"testing"
	"time"
)

// R1: a one-shot event is deleted the moment it is delivered, whatever the
// reason; a persistent one stays.
func TestR1OneShotDeletedOnDelivery(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		v := mustAdd(t, c, Virtual(true), "v", 0)
		tm := mustAdd(t, c, Timer(time.Second), "t", 0)
		to := mustAdd(t, c, Virtual(false), "timed out", time.Second)
		keep := mustAdd(t, c, Virtual(true).Persistent(), "V", 0)

		wantEvent(t, take(t, c), v, Triggered, 1)
		if (c.SetData(v, "again") == nil) || c.Trigger(v) || c.Del(v) {
			t.Fatal("a delivered one-shot event still answers Set/Trigger/Del")
		}
		wantEvent(t, take(t, c), keep, Triggered, 1)

		time.Sleep(time.Second)
		wantEvent(t, take(t, c), tm, Timeout, 1)
		wantEvent(t, take(t, c), to, Timeout, 1) // R1: deleted by timeout too
		if c.Del(tm) || c.Del(to) {
			t.Fatal("one-shot events delivered by timeout were not deleted")
		}
		if got := c.Len(); got != 1 {
			t.Fatalf("Len = %d, want 1 (the persistent event)", got)
		}
		if !c.Trigger(keep) {
			t.Fatal("the persistent event was deleted by its delivery")
		}
		wantEvent(t, take(t, c), keep, Triggered, 1)
	})
}

// R1: a consumer that acts on a one-shot event right after receiving it
// sees it deleted, even if the supervisor has not run since the receive.
func TestR1DeletedAsSeenByTheReceiver(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		for i := range 100 {
			id := mustAdd(t, c, Virtual(true), i, 0)
			e := <-c.C
			if e.ID != id {
				t.Fatalf("got %v, want %d", e, id)
			}
			if c.Trigger(id) || (c.SetData(id, nil) == nil) || c.Del(id) {
				t.Fatalf("one-shot %d still alive right after its receive", id)
			}
		}
	})
}

// R2: IDs are unique, never reused, never zero; unknown IDs report false
// and change nothing.
func TestR2Identity(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		seen := map[ID]bool{}
		for range 50 {
			id := mustAdd(t, c, Virtual(false), nil, 0)
			if id == 0 || seen[id] {
				t.Fatalf("Add returned %d, zero or reused", id)
			}
			seen[id] = true
			c.Del(id)
		}
		c.Clear()
		id := mustAdd(t, c, Virtual(false), nil, 0)
		if seen[id] {
			t.Fatalf("ID %d reused after Clear", id)
		}
		for _, bad := range []ID{0, id + 1, 1 << 62} {
			if (c.SetData(bad, 1) == nil) || c.Trigger(bad) || c.Del(bad) {
				t.Fatalf("ID %d: Set/Trigger/Del reported success", bad)
			}
		}
		if c.Len() != 1 {
			t.Fatal("calls on unknown IDs changed the container")
		}
		none(t, c)
	})
}
