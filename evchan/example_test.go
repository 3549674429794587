package evchan_test

import (
	"context"
	"fmt"
	"time"

	"github.com/evchan/evchan/evchan"
)

// The draft's first example, shortened: timers and a virtual event
// triggered from the loop.
func Example() {
	c := evchan.New()
	defer c.Close()

	c.Add(evchan.Timer(20*time.Millisecond), "one-shot timer expired", 0)
	tick, _ := c.Add(evchan.Timer(30*time.Millisecond).Persistent(), "periodic timer", 0)
	v, _ := c.Add(evchan.Virtual(false).Persistent(), "virtual event triggered", 0)

	ticks := 0
	for e := range c.All(evchan.Block) {
		fmt.Println(e.Reason, e.Data)
		if e.ID != tick {
			continue
		}
		if ticks++; ticks < 2 {
			c.Trigger(v)
			continue
		}
		c.Del(tick) // the container is empty now: the loop ends
		c.Del(v)
	}
	// Output:
	// timeout one-shot timer expired
	// timeout periodic timer
	// triggered virtual event triggered
	// timeout periodic timer
}

// Select on C next to a context, the way Go programs wait for several things.
func ExampleContainer_C() {
	c := evchan.New()
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	c.Once("hello from the container")
	for {
		select {
		case e := <-c.C:
			fmt.Println(e.Data)
			cancel()
		case <-ctx.Done():
			fmt.Println("done:", ctx.Err())
			return
		}
	}
	// Output:
	// hello from the container
	// done: context canceled
}

// Triggers coalesce while an event is pending; Count says how many came.
func ExampleContainer_Trigger() {
	c := evchan.New()
	defer c.Close()
	id, _ := c.Add(evchan.Virtual(false).Persistent(), nil, 0)
	c.Trigger(id)
	c.Trigger(id)
	c.Trigger(id)
	for e := range c.All(evchan.NoWait) {
		fmt.Println(e.Reason, e.Count)
	}
	// Output: triggered 3
}

// A timeout delivers an event that did not fire in time.
func ExampleContainer_Add_timeout() {
	c := evchan.New()
	defer c.Close()
	c.Add(evchan.Virtual(false), "a reply that never came", 10*time.Millisecond)
	for e := range c.All(evchan.Auto) { // Auto blocks: an event has a timeout
		fmt.Println(e.Reason, e.Data)
	}
	// Output: timeout a reply that never came
}

// SetData replaces an event's data: the draft's reader re-arms itself
// this way, with the next handler.
func ExampleContainer_SetData() {
	c := evchan.New()
	defer c.Close()
	id, _ := c.Add(evchan.Virtual(true).Persistent(), "first handler", 0)
	if err := c.SetData(id, "second handler"); err != nil {
		fmt.Println(err)
	}
	e, _ := c.Next(context.Background(), evchan.NoWait)
	fmt.Println(e.Data)
	// Output: second handler
}

// SetTimeout gives an event a new timeout, counted from now: a reader
// that got a request gives the client ten seconds more.
func ExampleContainer_SetTimeout() {
	c := evchan.New()
	defer c.Close()
	id, _ := c.Add(evchan.Virtual(false), "client", time.Millisecond)
	if err := c.SetTimeout(id, 2*time.Millisecond); err != nil {
		fmt.Println(err)
	}
	for e := range c.All(evchan.Auto) {
		fmt.Println(e.Reason, e.Data)
	}
	if err := c.SetTimeout(id, time.Second); err != nil {
		fmt.Println(err) // the one-shot event was delivered: it is gone
	}
	// Output:
	// timeout client
	// evchan: no event 1 in the container
}

// Once queues a call for the loop, the draft's ev:once.
func ExampleContainer_Once() {
	c := evchan.New()
	defer c.Close()
	c.Once(func() { fmt.Println("Hello world!") })
	for e := range c.All(evchan.NoWait) {
		e.Data.(func())()
	}
	// Output: Hello world!
}

// Stop ends the loop from its body; pending events wait for the next loop.
func ExampleContainer_Stop() {
	c := evchan.New()
	defer c.Close()
	c.Once("first")
	c.Once("second")
	for e := range c.All(evchan.Block) {
		fmt.Println("loop 1:", e.Data)
		c.Stop()
	}
	for e := range c.All(evchan.NoWait) {
		fmt.Println("loop 2:", e.Data)
	}
	// Output:
	// loop 1: first
	// loop 2: second
}

// Within waits a bounded time for each event.
func ExampleWithin() {
	c := evchan.New()
	defer c.Close()
	c.Add(evchan.Virtual(false), nil, 0) // never triggered
	n := 0
	for range c.All(evchan.Within(10 * time.Millisecond)) {
		n++
	}
	fmt.Println("events:", n)
	// Output: events: 0
}
