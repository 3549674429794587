package evchantest_test

import (
	"fmt"
	"sync"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/evchantest"
)

// A doorbell is an edge source: each ring is one firing, which it tells
// every event watching it with one Handle.Fire before ring returns.
type doorbell struct {
	mu     sync.Mutex
	events map[*bellEvent]bool
}

// A bellEvent is one event watching a doorbell.
type bellEvent struct{ h evchan.Handle }

func (b *doorbell) Watch(h evchan.Handle) (evchan.Watcher, error) {
	e := &bellEvent{h}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.events == nil {
		b.events = make(map[*bellEvent]bool)
	}
	b.events[e] = true
	// An edge source ignores Rearm; Stop ends this event's watching only.
	return evchan.StopFunc(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.events, e)
	}), nil
}

// ring makes one firing: exactly one Handle.Fire per event.
func (b *doorbell) ring() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for e := range b.events {
		e.h.Fire(evchan.Triggered, "ding")
	}
}

// A Subject tells TestSource how to make a source fire: each call of Fire
// is one firing, told to each event with one Handle.Fire, so that Counts
// count the calls (R3). The doorbell tells its events before ring returns,
// so it is Synchronous. Here the Subject is used as the suite uses it.
func ExampleSubject() {
	b := new(doorbell)
	s := evchantest.Subject{
		Spec:        evchan.Custom(b),
		Fire:        b.ring,
		Reason:      evchan.Triggered,
		Synchronous: true,
	}

	c := evchan.New()
	defer c.Close()
	c.Add(s.Spec.Persistent(), "front door", 0)
	s.Fire()
	s.Fire()
	e := <-c.C // two Fire calls before a receive: one delivery, Count 2
	fmt.Println(e.Data, e.Reason, e.Count, e.Value)
	// Output: front door triggered 2 ding
}
