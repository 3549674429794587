package property_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/evchan/evchan/evchan"
	"pgregory.net/rapid"
)

// TestContainerMatchesModel runs random sequences of calls against a
// container and the model, each sequence in a synctest bubble of its own.
//
// rapid.SyncTest makes the bubbles. Each sequence starts on a fresh virtual
// clock, and since synctest.Test ends only when every goroutine of its
// bubble has ended, a container whose Close leaves one behind fails the
// very sequence that leaked it. rapid.SyncTest also hands failures inside
// the bubble back to rapid, which shrinks them; calling synctest.Test in
// the property ourselves would run the property on the bubble's goroutine,
// out of reach of rapid's failure capture. One bubble around rapid.Check
// would do for time (the model only needs relative times), but it would
// report a leak once, after all the sequences, without saying which.
//
// Every sequence runs on each of the two ways a loop over All waits when
// it has nothing to take: "handover", for the container's goroutines to
// hand it an event, and "inline", in the container's Waiter (package
// poll's poller waits in the kernel; here a fakeWaiter stands in). The
// inline run checks that loops did wait in the Waiter.
func TestContainerMatchesModel(t *testing.T) {
	for _, path := range []string{"handover", "inline"} {
		t.Run(path, func(t *testing.T) {
			var inlineWaits atomic.Int64
			rapid.Check(t, func(t *rapid.T) {
				rapid.SyncTest(t, func(t *rapid.T) {
					mc := newMachine(t, path)
					defer mc.c.Close()
					t.Repeat(mc.actions())
					mc.checkClosed(t)
					if mc.waiter != nil {
						calls, _ := mc.waiter.stats()
						inlineWaits.Add(int64(calls))
					}
				})
			})
			if path == "inline" && inlineWaits.Load() == 0 {
				t.Fatal("no loop waited in the Waiter in any sequence")
			}
		})
	}
}

// checkClosed closes the container, whatever state the sequence left it
// in, and checks R12: every method then fails, C is closed, and Close may
// be called again.
func (mc *machine) checkClosed(t *rapid.T) {
	if err := mc.c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := mc.c.Add(evchan.Virtual(true), nil, 0); !errors.Is(err, evchan.ErrClosed) {
		t.Fatalf("Add after Close: err = %v, want ErrClosed", err) // R12
	}
	if _, err := mc.c.Once(nil); !errors.Is(err, evchan.ErrClosed) {
		t.Fatalf("Once after Close: err = %v, want ErrClosed", err) // R12
	}
	for _, id := range append(mc.m.liveIDs(), mc.m.deadIDs()...) {
		if (mc.c.SetData(id, nil) == nil) || mc.c.Trigger(id) || mc.c.Del(id) {
			t.Fatalf("event %d answers Set/Trigger/Del after Close", id) // R12
		}
	}
	if n := mc.c.Len(); n != 0 {
		t.Fatalf("Len after Close = %d", n) // R12: Close is Clear plus more
	}
	for _, mode := range []evchan.Mode{evchan.Auto, evchan.Block, evchan.NoWait} {
		if e, ok := mc.c.Next(context.Background(), mode); ok {
			t.Fatalf("Next(%v) after Close returned %v", mode, describe(e)) // R12
		}
	}
	if e, open := <-mc.c.C; open {
		t.Fatalf("C still open after Close, delivered %v", describe(e)) // R12
	}
	mc.c.Stop()
	mc.c.Clear()
	if err := mc.c.Close(); err != nil {
		t.Fatalf("second Close: %v", err) // R12: idempotent
	}
}
