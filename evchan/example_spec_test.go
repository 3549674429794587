package evchan_test

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/evchan/evchan/evchan"
)

// A Spec is a value: build it, make it persistent, look at it.
func ExampleSpec_Persistent() {
	tick := evchan.Timer(time.Second).Persistent()
	fmt.Println(tick, tick.IsPersistent(), tick.OneShot().Letter(), tick.Source())
	// Output: T(1s) true t 1s
}

// A source package shows users their own value as Event.Source, with the
// draft's letter, and refuses bad input through the Spec.
func ExampleSpec_WithSource() {
	spec := evchan.Custom(handing(nil)).WithSource("fd 7").WithLetter('r')
	fmt.Println(spec, spec.Err())
	bad := spec.WithErr(errors.New("fd 7 is closed"))
	fmt.Println(bad.Err())
	// Output:
	// r(fd 7) <nil>
	// fd 7 is closed
}

// A Handle reports what its source sees: Fire, Error (the event stays) and
// Fail (the event ends).
func ExampleHandle() {
	c := evchan.New()
	defer c.Close()
	handles := make(chan evchan.Handle, 1)
	c.Add(evchan.Custom(handing(handles)).Persistent(), "watched", 0)
	h := <-handles
	h.Fire(evchan.Readable, "data")
	e := <-c.C
	fmt.Println(e.ID == h.ID(), h.Persistent(), e.Reason, e.Value)
	h.Error(evchan.Readable, errors.New("reset"))
	fmt.Println((<-c.C).Err)
	h.Fail(evchan.Readable, io.ErrClosedPipe)
	fmt.Println((<-c.C).Err, c.Len())
	// Output:
	// true true readable data
	// reset
	// io: read/write on closed pipe 0
}

// handing is a source that hands its Handle to the example.
type handing chan evchan.Handle

func (s handing) Watch(h evchan.Handle) (evchan.Watcher, error) {
	s <- h
	return evchan.StopFunc(func() {}), nil
}

// Service keeps one value per container for all events of a source, such
// as a poller; Close closes it.
func ExampleHandle_Service() {
	c := evchan.New()
	handles := make(chan evchan.Handle, 2)
	c.Add(evchan.Custom(handing(handles)), nil, 0)
	c.Add(evchan.Custom(handing(handles)), nil, 0)
	start := func() (io.Closer, error) { return loud{}, nil }
	a, _ := (<-handles).Service("poller", start)
	b, _ := (<-handles).Service("poller", start)
	fmt.Println(a == b)
	c.Close()
	// Output:
	// true
	// service closed
}

type loud struct{}

func (loud) Close() error { fmt.Println("service closed"); return nil }

// StopFunc is the Watcher of a source that fires on its own schedule.
func ExampleStopFunc() {
	var w evchan.Watcher = evchan.StopFunc(func() { fmt.Println("stopped") })
	w.Rearm() // nothing: an edge source ignores it
	w.Stop()
	// Output: stopped
}

// Reasons, modes and events print as the draft and Go would write them.
func ExampleReason_String() {
	fmt.Println(evchan.Readable, evchan.Signaled, evchan.Within(1500*time.Millisecond), evchan.Auto)
	fmt.Println(evchan.Event{ID: 3, Reason: evchan.Timeout, Count: 2})
	// Output:
	// readable signaled Within(1.5s) Auto
	// event 3 timeout count=2
}
