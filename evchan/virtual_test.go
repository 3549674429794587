package evchan

import (
	"testing"
	"testing/synctest"
)

// R5: the source of a virtual event is its initial state; Trigger makes it
// pending; Once adds one already triggered; Trigger refuses other kinds.
func TestR5Virtual(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		idle := mustAdd(t, c, Virtual(false), "idle", 0)
		ready := mustAdd(t, c, Virtual(true), "ready", 0)
		e := take(t, c)
		wantEvent(t, e, ready, Triggered, 1)
		if e.Source != true || e.Data != "ready" {
			t.Fatalf("Source, Context = %v, %v; want true, ready", e.Source, e.Data)
		}
		none(t, c)

		if !c.Trigger(idle) {
			t.Fatal("Trigger of a live virtual event reported false")
		}
		if e := take(t, c); e.ID != idle || e.Source != false {
			t.Fatalf("got %v with source %v", e, e.Source)
		}

		once, err := c.Once("hello")
		if err != nil {
			t.Fatal(err)
		}
		if e := take(t, c); e.ID != once || e.Data != "hello" {
			t.Fatalf("Once: got %v (%v)", e, e.Data)
		}
		if c.Del(once) {
			t.Fatal("the event of Once is one-shot")
		}

		timer := mustAdd(t, c, Timer(1), nil, 0)
		if c.Trigger(timer) {
			t.Fatal("Trigger of a timer reported true")
		}
	})
}

// R5: a trigger from another goroutine wakes a consumer already waiting.
func TestR5TriggerWakesWaitingConsumer(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(false).Persistent(), nil, 0)
		got := make(chan Event)
		go func() {
			e, _ := c.Next(t.Context(), Block)
			got <- e
		}()
		synctest.Wait() // the consumer is blocked now
		go c.Trigger(id)
		if e := <-got; e.ID != id {
			t.Fatalf("got %v", e)
		}
	})
}

// R5, R14: a Trigger that finds a consumer waiting on C, with nothing else
// pending, hands the event over itself: the supervisor is not woken. With
// another event pending first, the triggered one waits its turn (R4).
func TestR5TriggerHandsOverToAWaitingConsumer(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		id := mustAdd(t, c, Virtual(false).Persistent(), "data", 0)
		got := make(chan Event)
		receive := func() {
			go func() { got <- <-c.C }()
			synctest.Wait() // the consumer is blocked on C now
		}
		receive()
		before := c.supervisorRounds()
		if !c.Trigger(id) {
			t.Fatal("Trigger of a live event = false")
		}
		e := <-got
		wantEvent(t, e, id, Triggered, 1)
		if e.Data != "data" || e.Last {
			t.Fatalf("got %v (data %v, last %v)", e, e.Data, e.Last)
		}
		synctest.Wait()
		if d := c.supervisorRounds() - before; d != 0 {
			t.Fatalf("the supervisor woke %d times for a Trigger it had no part in", d)
		}
		// The event was delivered: idle again, and its next Trigger is a
		// new delivery of Count 1 (R3).
		receive()
		c.Trigger(id)
		wantEvent(t, <-got, id, Triggered, 1)

		// Something pending first: the Trigger queues behind it (R4).
		first := mustAdd(t, c, Virtual(true), nil, 0) // pending at once
		synctest.Wait()
		receive()
		c.Trigger(id)
		wantEvent(t, <-got, first, Triggered, 1)
		receive()
		wantEvent(t, <-got, id, Triggered, 1)

		// A one-shot event handed over is deleted with its delivery (R1).
		once := mustAdd(t, c, Virtual(false), nil, 0)
		receive()
		c.Trigger(once)
		wantEvent(t, <-got, once, Triggered, 1)
		if c.Trigger(once) {
			t.Fatal("a one-shot event handed over can be triggered again")
		}
	})
}
