package dispatch_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/evchan/evchan/dispatch"
	"github.com/evchan/evchan/evchan"
)

// The draft's dispatcher: each event's context is the function to call.
func ExampleRun() {
	c := evchan.New()
	defer c.Close()
	c.Once(func(evchan.Event) { fmt.Println("Hello world!") })
	c.Add(evchan.Timer(10*time.Millisecond), func(e evchan.Event) { fmt.Println("timer:", e.Reason) }, 0)
	// One-shot events only: Run returns when the container is empty (R13).
	err := dispatch.Run(context.Background(), c)
	fmt.Println("done:", err)
	// Output:
	// Hello world!
	// timer: timeout
	// done: <nil>
}

// Each event runs on a goroutine of its own, at most 3 at once; a persistent
// event's handler never runs twice at once.
func ExampleGoroutines() {
	c := evchan.New()
	defer c.Close()
	var mu sync.Mutex
	var got []string
	for i := range 5 {
		c.Once(func(evchan.Event) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, fmt.Sprint("job ", i))
		})
	}
	err := dispatch.Goroutines(context.Background(), c, 3)
	slices.Sort(got) // they ran concurrently, in no set order
	fmt.Println(got, err)
	// Output: [job 0 job 1 job 2 job 3 job 4] <nil>
}

// Two workers take the events; a persistent event is handled one delivery
// at a time, so its handler needs no lock. It triggers its event again from
// the worker, and deletes it the third time, which leaves the container
// empty and ends the loop (R13).
func ExamplePool() {
	c := evchan.New()
	defer c.Close()
	rounds := 0
	id, _ := c.Add(evchan.Virtual(true).Persistent(), func(e evchan.Event) {
		rounds++ // no lock: one ID is never handled twice at once
		if rounds < 3 {
			c.Trigger(e.ID) // once more, from a worker
		} else {
			c.Del(e.ID) // the container is empty: Pool returns
		}
	}, 0)
	err := dispatch.Pool(context.Background(), c, 2)
	fmt.Println(id, rounds, err)
	// Output: 1 3 <nil>
}

// A value with a Handle method is a handler too, as the draft's reader
// object is; other contexts go to the fallback.
func ExampleFallback() {
	c := evchan.New()
	defer c.Close()
	c.Once("not a handler")
	c.Once(dispatch.HandlerFunc(func(evchan.Event) { fmt.Println("handled") }))
	dispatch.Run(context.Background(), c, dispatch.Fallback(func(e evchan.Event) {
		fmt.Println("fallback:", e.Data)
	}))
	// Output:
	// fallback: not a handler
	// handled
}

// A panicking handler is reported and the loop goes on.
func ExampleOnPanic() {
	c := evchan.New()
	defer c.Close()
	c.Once(func(evchan.Event) { panic("oops") })
	c.Once(func(evchan.Event) { fmt.Println("still running") })
	dispatch.Run(context.Background(), c, dispatch.OnPanic(func(e evchan.Event, r any) {
		fmt.Printf("event %d panicked: %v\n", e.ID, r)
	}))
	// Output:
	// event 1 panicked: oops
	// still running
}

// HandlerFunc turns a function into a Handler.
func ExampleHandlerFunc() {
	var h dispatch.Handler = dispatch.HandlerFunc(func(e evchan.Event) { fmt.Println("got", e.Reason) })
	c := evchan.New()
	defer c.Close()
	c.Once(h)
	dispatch.Run(context.Background(), c)
	// Output: got triggered
}
