package evchan_test

import (
	"fmt"
	"time"

	"github.com/evchan/evchan/evchan"
)

// Add adds an event and returns its ID; the data given comes back with
// every delivery. A Spec is one-shot unless Persistent.
func ExampleContainer_Add() {
	c := evchan.New()
	defer c.Close()
	id, err := c.Add(evchan.Virtual(true), "ready at once", 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	e := <-c.C
	fmt.Println(e.ID == id, e.Reason, e.Data, e.Last)
	// Output: true triggered ready at once true
}

// A loop over All is the draft's `for id, reason, src, ctx in ev(true)`.
// In Block mode it waits for each event, and ends when the container is
// empty: here once the last one-shot event is delivered.
func ExampleContainer_All() {
	c := evchan.New()
	defer c.Close()
	c.Add(evchan.Timer(2*time.Millisecond), "second", 0)
	c.Add(evchan.Timer(time.Millisecond), "first", 0)
	for e := range c.All(evchan.Block) {
		fmt.Println(e.Reason, e.Data)
	}
	fmt.Println("empty:", c.Len() == 0)
	// Output:
	// timeout first
	// timeout second
	// empty: true
}

// NoWait takes what is pending when the loop starts, and ends: the draft's
// ev(false). An event triggered from the body waits for the next loop.
func ExampleNoWait() {
	c := evchan.New()
	defer c.Close()
	a, _ := c.Add(evchan.Virtual(true).Persistent(), "a", 0)
	c.Add(evchan.Virtual(true), "b", 0)
	for e := range c.All(evchan.NoWait) {
		fmt.Println(e.Data)
		c.Trigger(a) // pending again: for the next loop
	}
	fmt.Println("again:", c.Len())
	// Output:
	// a
	// b
	// again: 1
}

// Auto, the draft's ev() with no argument, blocks while something is sure
// to fire (a timer, or an event with a timeout), and is NoWait otherwise.
func ExampleAuto() {
	c := evchan.New()
	defer c.Close()
	c.Add(evchan.Virtual(false), "never triggered", 0)
	c.Add(evchan.Timer(time.Millisecond), "the timer", 0)
	for e := range c.All(evchan.Auto) {
		fmt.Println(e.Data) // blocks for the timer, then ends: nothing else can fire
	}
	// Output: the timer
}

// Block waits for the next event; Stop, from the body or any goroutine,
// ends the loop and leaves what is pending for the next one.
func ExampleBlock() {
	c := evchan.New()
	defer c.Close()
	tick, _ := c.Add(evchan.Timer(time.Millisecond).Persistent(), "tick", 0)
	n := 0
	for e := range c.All(evchan.Block) {
		if e.ID == tick {
			n++
		}
		if n == 3 {
			c.Stop()
		}
	}
	fmt.Println("ticks:", n)
	// Output: ticks: 3
}
