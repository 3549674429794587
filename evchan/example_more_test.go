package evchan_test

import (
	"context"
	"fmt"
	"time"

	"github.com/evchan/evchan/evchan"
)

// Del deletes an event: once it returns, the event is never delivered.
func ExampleContainer_Del() {
	c := evchan.New()
	defer c.Close()
	id, _ := c.Once("never seen")
	fmt.Println(c.Del(id), c.Del(id), c.Len())
	// Output: true false 0
}

// Clear deletes every event; the container stays usable.
func ExampleContainer_Clear() {
	c := evchan.New()
	defer c.Close()
	c.Once("a")
	c.Add(evchan.Timer(time.Hour), "b", 0)
	c.Clear()
	fmt.Println(c.Len())
	c.Once("after Clear")
	for e := range c.All(evchan.NoWait) {
		fmt.Println(e.Data)
	}
	// Output:
	// 0
	// after Clear
}

// Close ends the container: C is closed and Add refuses.
func ExampleContainer_Close() {
	c := evchan.New()
	c.Once("dropped")
	c.Close()
	_, open := <-c.C
	_, err := c.Once(nil)
	fmt.Println(open, err)
	// Output: false evchan: container closed
}

// Len counts the events a container holds.
func ExampleContainer_Len() {
	c := evchan.New()
	defer c.Close()
	c.Add(evchan.Virtual(false).Persistent(), nil, 0)
	c.Add(evchan.Timer(time.Hour), nil, 0)
	fmt.Println(c.Len())
	// Output: 2
}

// AllContext ends a blocking loop when its context is done.
func ExampleContainer_AllContext() {
	c := evchan.New()
	defer c.Close()
	c.Add(evchan.Timer(time.Hour), "far away", 0)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	n := 0
	for range c.AllContext(ctx, evchan.Block) {
		n++
	}
	fmt.Println(n, ctx.Err())
	// Output: 0 context deadline exceeded
}

// Next takes one event, waiting as its mode says.
func ExampleContainer_Next() {
	c := evchan.New()
	defer c.Close()
	c.Once("ready")
	e, ok := c.Next(context.Background(), evchan.NoWait)
	fmt.Println(e.Data, ok)
	_, ok = c.Next(context.Background(), evchan.NoWait)
	fmt.Println(ok)
	// Output:
	// ready true
	// false
}

// A periodic timer: Count says how many ticks a slow consumer missed.
func ExampleTimer() {
	c := evchan.New()
	defer c.Close()
	id, _ := c.Add(evchan.Timer(5*time.Millisecond).Persistent(), "tick", 0)
	e := <-c.C
	c.Del(id)
	fmt.Println(e.Reason, e.Data, e.Count >= 1, e.Source)
	// Output: timeout tick true 5ms
}

// A virtual event's source is its initial state.
func ExampleVirtual() {
	c := evchan.New()
	defer c.Close()
	c.Add(evchan.Virtual(true), "at once", 0)
	c.Add(evchan.Virtual(false), "on Trigger only", 0)
	for e := range c.All(evchan.NoWait) {
		fmt.Println(e.Reason, e.Data, e.Source)
	}
	// Output: triggered at once true
}

// ticks is a custom source: it fires every interval from a goroutine of
// its own, which its Watcher's Stop ends.
type ticks struct{ interval time.Duration }

func (s ticks) Watch(h evchan.Handle) (evchan.Watcher, error) {
	t := time.NewTicker(s.interval)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				h.Fire(evchan.Triggered, "tick")
			case <-done:
				return
			}
		}
	}()
	return evchan.StopFunc(func() { t.Stop(); close(done) }), nil
}

// Custom adds an event of a source written by the user.
func ExampleCustom() {
	c := evchan.New()
	defer c.Close()
	c.Add(evchan.Custom(ticks{time.Millisecond}), "my source", 0) // one-shot
	e := <-c.C
	fmt.Println(e.Reason, e.Value, e.Data, c.Len())
	// Output: triggered tick my source 0
}

// Letters and reasons have the draft's names.
func ExampleSpec_Letter() {
	fmt.Println(evchan.Timer(time.Second).Letter(), evchan.Timer(time.Second).Persistent().Letter(), evchan.Timeout)
	// Output: t T timeout
}

// New starts a container; Close ends it.
func ExampleNew() {
	c := evchan.New()
	defer c.Close()
	c.Once("hello")
	fmt.Println((<-c.C).Data)
	// Output: hello
}

// doorbell is a level source for the Hold example: it rings at Watch, and
// says when the container re-arms it.
type doorbell struct{ rearmed chan string }

func (d doorbell) Watch(h evchan.Handle) (evchan.Watcher, error) {
	h.Fire(evchan.Readable, nil)
	return bellWatch{d}, nil
}

type bellWatch struct{ d doorbell }

func (w bellWatch) Rearm() { w.d.rearmed <- "re-armed" }
func (w bellWatch) Stop()  {}

// Hold lets a loop hand an event to another goroutine: the event is re-armed
// when that goroutine releases it, once done with what the event announced,
// rather than at the loop's next step.
func ExampleContainer_Hold() {
	c := evchan.New()
	defer c.Close()
	bell := doorbell{make(chan string, 1)}
	c.Add(evchan.Custom(bell).Persistent(), "door", 0)
	handled := make(chan string)
	for e := range c.All(evchan.Block) {
		release := c.Hold(e.ID)
		go func() {
			defer release()
			handled <- fmt.Sprint("answered the ", e.Data)
		}()
		break
	}
	fmt.Println(<-handled) // before the release: the loop has not re-armed it
	fmt.Println(<-bell.rearmed)
	// Output:
	// answered the door
	// re-armed
}
