// First is the README's first program: a container holding a persistent
// timer and a virtual event that another goroutine triggers, received from
// C in a select beside a context's end. It ends by itself after half a
// second.
//
//	go run ./examples/first
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/evchan/evchan/evchan"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "first:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	c := evchan.New()
	defer c.Close()

	// A persistent timer fires every 200 ms until it is deleted
	// (a timer's reason is Timeout, as in the draft).
	if _, err := c.Add(evchan.Timer(200*time.Millisecond).Persistent(), "tick", 0); err != nil {
		return err
	}
	// A one-shot virtual event fires when Trigger is called, from any goroutine.
	done, err := c.Add(evchan.Virtual(false), "work done", 0)
	if err != nil {
		return err
	}
	go func() {
		time.Sleep(500 * time.Millisecond) // some work
		c.Trigger(done)
	}()

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	for {
		select {
		case e := <-c.C:
			at := time.Since(start).Round(100 * time.Millisecond)
			fmt.Fprintf(w, "%v  %-9v  %v\n", at, e.Reason, e.Data)
			if e.ID == done {
				return nil // Close, deferred, deletes the timer
			}
		case <-ctx.Done():
			return ctx.Err() // the work took too long
		}
	}
}
