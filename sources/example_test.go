package sources_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sources"
)

// A context's end is one more event in the loop, with its cause.
func ExampleDone() {
	c := evchan.New()
	defer c.Close()

	ctx, cancel := context.WithCancelCause(context.Background())
	c.Add(sources.Done(ctx), "shutdown", 0)
	cancel(errors.New("the operator said so"))

	e := <-c.C
	fmt.Println(e.Reason, e.Data, e.Value)
	// Output: triggered shutdown the operator said so
}

// A channel's values are events.
func ExampleRecv() {
	c := evchan.New()
	defer c.Close()

	jobs := make(chan string)
	c.Add(sources.Recv(jobs).Persistent(), "jobs", 0)
	jobs <- "compress logs"

	e := <-c.C
	fmt.Println(e.Reason, e.Data, e.Value)
	// Output: triggered jobs compress logs
}

// A closed channel is the event's last delivery.
func ExampleRecv_closed() {
	c := evchan.New()
	defer c.Close()

	jobs := make(chan string)
	c.Add(sources.Recv(jobs).Persistent(), "jobs", 0)
	close(jobs)

	e := <-c.C
	fmt.Println(e.Err, c.Len())
	// Output: sources: channel closed 0
}

// The draft's letters and seconds translate one to one.
func ExampleParse() {
	for _, add := range []struct {
		letter string
		source any
	}{
		{"t", 2.5},
		{"T", 5},
		{"v", nil},
		{"V", true},
	} {
		spec, err := sources.Parse(add.letter, add.source)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(spec, spec.IsPersistent())
	}
	// Output:
	// t(2.5s) false
	// T(5s) true
	// v(false) false
	// V(true) true
}

// Letters the draft does not have are refused plainly, and so are sources
// of the wrong type or value.
func ExampleParse_refused() {
	_, err := sources.Parse("q", nil)
	fmt.Println(errors.Is(err, sources.ErrUnknownLetter), errors.Is(err, evchan.ErrInvalid))

	_, err = sources.Parse("t", -2.5)
	fmt.Println(errors.Is(err, evchan.ErrInvalid))
	// Output:
	// true true
	// true
}
