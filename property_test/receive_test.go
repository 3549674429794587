package property_test

import (
	"context"
	"fmt"
	"testing/synctest"

	"github.com/evchan/evchan/evchan"
	"pgregory.net/rapid"
)

// The receives that never wait: each must deliver exactly the model's next
// event, or nothing when the model has none pending.

// receive is one non-blocking receive on C, the select way of consuming.
func (mc *machine) receive(t *rapid.T) {
	synctest.Wait()
	var got evchan.Event
	var ok bool
	select {
	case e, open := <-mc.c.C:
		if !open {
			t.Fatal("C closed before Close") // R10, R12
		}
		got, ok = e, true
	default:
	}
	mc.expect(t, "receive on C", got, ok, true)
}

// receiveAndAct receives on C and at once, before the container's goroutine
// has run again, makes a call on the event it got. The call must see the
// delivery done: a one-shot event is gone (R1), a persistent one is idle,
// so a Trigger makes it pending anew (R5) and a Set gives its next delivery
// the new data (R8).
func (mc *machine) receiveAndAct(t *rapid.T) {
	if len(mc.m.queue) == 0 {
		t.Skip("nothing to receive")
	}
	act := rapid.SampledFrom([]string{"Trigger", "Set", "Del", "Len"}).Draw(t, "then")
	data, timeout := mc.newData(), timeouts.Draw(t, "timeout")
	synctest.Wait() // the event is offered on C: this receive completes the offer
	var got evchan.Event
	var ok bool
	select {
	case got, ok = <-mc.c.C:
	default:
	}
	mc.expect(t, "receive on C", got, ok, true)
	id := got.ID
	switch act {
	case "Trigger":
		if res, want := mc.c.Trigger(id), mc.m.trigger(id); res != want {
			t.Fatalf("Trigger(%d) right after its delivery = %v, want %v", id, res, want) // R1, R5
		}
	case "Set":
		// R1, R8: right after the delivery
		wantErr(t, fmt.Sprintf("SetData(%d)", id), mc.c.SetData(id, data), mc.m.setData(id, data))
		wantErr(t, fmt.Sprintf("SetTimeout(%d)", id), mc.c.SetTimeout(id, timeout), mc.m.setTimeout(id, timeout))
	case "Del":
		if res, want := mc.c.Del(id), mc.m.del(id); res != want {
			t.Fatalf("Del(%d) right after its delivery = %v, want %v", id, res, want) // R1, R9
		}
	case "Len":
		if n, want := mc.c.Len(), len(mc.m.events); n != want {
			t.Fatalf("Len right after a delivery = %d, want %d", n, want) // R1
		}
	}
}

// nextNoWait is one step of a NoWait loop (R13).
func (mc *machine) nextNoWait(t *rapid.T) {
	got, ok := mc.c.Next(context.Background(), evchan.NoWait)
	mc.expect(t, "Next(NoWait)", got, ok, false)
}
