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
