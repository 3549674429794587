package property_test

import (
	"fmt"
	"testing/synctest"
	"time"

	"github.com/evchan/evchan/evchan"
	"pgregory.net/rapid"
)

// machine drives one container and its model through the same calls. It
// runs inside a synctest bubble: after synctest.Wait the container's
// goroutine has done all it will do until the next call or the next instant,
// so what the container shows can be compared with the model exactly.
type machine struct {
	c      *evchan.Container
	m      *model
	start  time.Time   // the bubble's clock when the container was made
	waiter *fakeWaiter // the inline path's Waiter; nil on the hand-over path
	datas  int
}

// newMachine makes a container for one path: "handover", where a loop
// over All that has nothing to take waits for the container's goroutines,
// or "inline", where it waits in the container's one Waiter (fakeWaiter,
// declining every declineEvery-th wait, 0: never).
func newMachine(t *rapid.T, path string) *machine {
	mc := &machine{c: evchan.New(), m: newModel(), start: time.Now()}
	if path == "inline" {
		every := rapid.SampledFrom([]int{0, 0, 2, 3}).Draw(t, "decline every")
		mc.waiter = newFakeWaiter(every)
		if err := mc.waiter.install(mc.c); err != nil {
			t.Fatalf("installing the Waiter: %v", err)
		}
	}
	return mc
}

// actions is the map t.Repeat draws from; "" is the check after each step.
func (mc *machine) actions() map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"":           mc.check,
		"AddTimer":   mc.addTimer,
		"AddVirtual": mc.addVirtual,
		"AddInvalid": mc.addInvalid,
		"Once":       mc.once,
		"Trigger":    mc.trigger,
		"SetData":    mc.setData,
		"SetTimeout": mc.setTimeout,
		"Del":        mc.del,
		"Clear":      mc.clear,
		"Stop":       mc.stop,
		"Receive":    mc.receive,
		"ReceiveAct": mc.receiveAndAct,
		"NextNoWait": mc.nextNoWait,
		"WaitNext":   mc.waitNext,
		"WaitAll":    mc.waitAll,
		"WakeAll":    mc.wakeAll,
		"Sleep":      mc.sleep,
		"NoWaitLoop": mc.noWaitLoop,
		"AutoLoop":   mc.autoLoop,
		"StopInLoop": mc.stopInLoop,
		"AheadLoop":  mc.aheadLoop,
		"EndBlocked": mc.endBlocked,
	}
}

// newData returns a data value no other event has, so that a
// delivery carrying the wrong one is seen (R8).
func (mc *machine) newData() any {
	mc.datas++
	return fmt.Sprintf("data%d", mc.datas)
}

// check holds after every step: the container has as many events as the
// model (R1 one-shots gone once delivered, R9 Del, R11 Clear), and virtual
// time is where the model put it.
func (mc *machine) check(t *rapid.T) {
	synctest.Wait()
	if got, want := mc.c.Len(), len(mc.m.events); got != want {
		t.Fatalf("Len = %d, want %d", got, want) // R1, R9, R11
	}
	if got := time.Since(mc.start); got != mc.m.now {
		t.Fatalf("virtual clock at %v, model at %v", got, mc.m.now)
	}
	synctest.Wait() // Len may have made the container withdraw and re-offer
	if mc.waiter != nil {
		if _, overlaps := mc.waiter.stats(); overlaps > 0 {
			t.Fatalf("%d Waits began while another was under way", overlaps)
		}
	}
}

// issued checks a new ID: never zero, never seen before in this container,
// even after Del, Clear or delivery (R2).
func (mc *machine) issued(t *rapid.T, id evchan.ID) {
	if id == 0 || mc.m.issued[id] {
		t.Fatalf("new event got ID %d: zero or reused", id) // R2
	}
}

// expect checks a delivery, or its absence, against the model's next one,
// field by field, which is where most rules show. offered says the event
// was taken from an offer on C (model.deliver).
func (mc *machine) expect(t *rapid.T, what string, got evchan.Event, ok, offered bool) {
	want, wantOK := mc.m.deliver(offered, got.Count)
	switch {
	case ok != wantOK:
		// R3: a pending event is delivered; R9, R11: a deleted one never is;
		// R6, R7: nothing fires before its deadline.
		t.Fatalf("%s: got %v (ok=%v), want %v (ok=%v)", what, describe(got), ok, describe(want), wantOK)
	case ok && got != want:
		// R4: the ID is the first to have become pending; R3: Count is the
		// firings since the last delivery; R5, R6, R7: the Reason (a real
		// trigger beats a timeout); R8: the latest data; R1: a one-shot
		// is never delivered twice.
		t.Fatalf("%s: got %v, want %v", what, describe(got), describe(want))
	}
}

// describe shows every field of an event, Context and Source included.
func describe(e evchan.Event) string {
	return fmt.Sprintf("{%v data=%v source=%v value=%v}", e, e.Data, e.Source, e.Value)
}
