//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sigs

import (
	"errors"
	"os"
	"syscall"
	"testing"

	"github.com/evchan/evchan/evchan"
	"go.uber.org/goleak"
)

// A one-shot event is delivered once, with the signal as Source and Value,
// and deleted; its relay ends with it (R1, R9).
func TestOneShot(t *testing.T) {
	hook := relayHook(t)
	c := evchan.New()
	defer c.Close()
	spec := Signal(syscall.SIGUSR1)
	if spec.Letter() != "s" || spec.String() != "s(user defined signal 1)" {
		t.Errorf("Letter %q, String %q", spec.Letter(), spec.String())
	}
	id := mustAdd(t, c, spec, "usr1")
	wantRelays(t, 1)
	fire(t, hook, syscall.SIGUSR1, 1)
	e := next(t, c, "the one-shot event")
	wantSignal(t, e, id, syscall.SIGUSR1, 1)
	if e.Data != "usr1" {
		t.Errorf("Context %v, want usr1", e.Data)
	}
	if n := c.Len(); n != 0 { // R1
		t.Fatalf("Len = %d after the one-shot event was delivered, want 0", n)
	}
	if c.Del(id) || (c.SetData(id, nil) == nil) { // R2
		t.Error("Del or Set of a delivered one-shot event reported true")
	}
	wantRelays(t, 0) // the signal is no longer caught for it (R9)
}

// A persistent event fires for every arrival and stays (R1).
func TestPersistentRepeats(t *testing.T) {
	hook := relayHook(t)
	c := evchan.New()
	defer c.Close()
	id := mustAdd(t, c, Signal(syscall.SIGUSR1).Persistent(), "usr1")
	for range 3 {
		fire(t, hook, syscall.SIGUSR1, 1)
		wantSignal(t, next(t, c, "a persistent event"), id, syscall.SIGUSR1, 1)
		if n := c.Len(); n != 1 {
			t.Fatalf("Len = %d after a persistent event was delivered, want 1 (R1)", n)
		}
	}
	if !c.Del(id) {
		t.Fatal("Del of the persistent event reported false")
	}
	wantRelays(t, 0)
}

// Arrivals while the event is pending are delivered once, and Count says
// how many there were (R3).
func TestCoalescing(t *testing.T) {
	hook := relayHook(t)
	c := evchan.New()
	defer c.Close()
	id := mustAdd(t, c, Signal(syscall.SIGUSR2).Persistent(), nil)
	for range 5 {
		fire(t, hook, syscall.SIGUSR2, 1)
	}
	wantSignal(t, next(t, c, "five coalesced arrivals"), id, syscall.SIGUSR2, 5)
	none(t, c, "five arrivals before a receive make one delivery (R3)")
	fire(t, hook, syscall.SIGUSR2, 1)
	wantSignal(t, next(t, c, "one more arrival"), id, syscall.SIGUSR2, 1)
}

// Two events of one container for the same signal each get every arrival,
// through one relay (R14).
func TestTwoEventsOneContainer(t *testing.T) {
	hook := relayHook(t)
	c := evchan.New()
	defer c.Close()
	a := mustAdd(t, c, Signal(syscall.SIGUSR2).Persistent(), "a")
	b := mustAdd(t, c, Signal(syscall.SIGUSR2), "b")
	wantRelays(t, 1)
	fire(t, hook, syscall.SIGUSR2, 1)
	got := map[evchan.ID]int{}
	for _, e := range drain(t, c) {
		got[e.ID] += e.Count
	}
	if got[a] != 1 || got[b] != 1 || len(got) != 2 {
		t.Fatalf("arrivals per event: %v, want one for %d and for %d", got, a, b)
	}
	fire(t, hook, syscall.SIGUSR2, 1) // b, one-shot, is gone
	wantSignal(t, next(t, c, "the persistent event"), a, syscall.SIGUSR2, 1)
	none(t, c, "the one-shot event was delivered already (R1)")
	wantRelays(t, 1)
}

// Two containers watching the same signal each get it, and deleting the
// event of one leaves the other watching (R9, R14).
func TestTwoContainers(t *testing.T) {
	hook := relayHook(t)
	c1, c2 := evchan.New(), evchan.New()
	defer c1.Close()
	defer c2.Close()
	id1 := mustAdd(t, c1, Signal(syscall.SIGHUP).Persistent(), "c1")
	id2 := mustAdd(t, c2, Signal(syscall.SIGHUP).Persistent(), "c2")
	wantRelays(t, 2)
	fire(t, hook, syscall.SIGHUP, 2)
	wantSignal(t, next(t, c1, "c1's event"), id1, syscall.SIGHUP, 1)
	wantSignal(t, next(t, c2, "c2's event"), id2, syscall.SIGHUP, 1)

	c1.Del(id1)
	wantRelays(t, 1)
	fire(t, hook, syscall.SIGHUP, 1)
	wantSignal(t, next(t, c2, "c2's event after Del in c1"), id2, syscall.SIGHUP, 1)
	none(t, c1, "c1's event was deleted (R9)")
}

// Once Del returns, the event is never delivered, whether it was idle or
// pending (R9): another event of the same signal proves the arrival went
// through, and a sentinel that nothing of the deleted one was left.
func TestDel(t *testing.T) {
	hook := relayHook(t)
	c := evchan.New()
	defer c.Close()
	idle := mustAdd(t, c, Signal(syscall.SIGUSR1).Persistent(), "idle")
	pending := mustAdd(t, c, Signal(syscall.SIGUSR1).Persistent(), "pending")
	witness := mustAdd(t, c, Signal(syscall.SIGUSR1).Persistent(), "witness")
	fire(t, hook, syscall.SIGUSR1, 1) // all three pending now
	if !c.Del(pending) {
		t.Fatal("Del of a pending event reported false")
	}
	got := map[evchan.ID]int{}
	for _, e := range drain(t, c) {
		got[e.ID] += e.Count
	}
	if got[pending] != 0 || got[idle] != 1 || got[witness] != 1 {
		t.Fatalf("arrivals per event %v: want none for the event deleted while pending (R9), one for the others", got)
	}
	if !c.Del(idle) || c.Del(idle) { // idle now
		t.Fatal("Del reported false for a live event, or true twice (R2)")
	}
	fire(t, hook, syscall.SIGUSR1, 1)
	wantSignal(t, next(t, c, "the witness"), witness, syscall.SIGUSR1, 1)
	none(t, c, "the events were deleted before the arrival (R9)")
	c.Del(witness)
	wantRelays(t, 0)
}

// Clear deletes every event and stops the relays; signal events can be
// added again at once (R11).
func TestClear(t *testing.T) {
	hook := relayHook(t)
	c := evchan.New()
	defer c.Close()
	mustAdd(t, c, Signal(syscall.SIGUSR1).Persistent(), "cleared")
	mustAdd(t, c, Signal(syscall.SIGUSR2), "cleared")
	fire(t, hook, syscall.SIGUSR1, 1) // one of them pending
	c.Clear()
	wantRelays(t, 0)
	id := mustAdd(t, c, Signal(syscall.SIGUSR1), "after Clear")
	fire(t, hook, syscall.SIGUSR1, 1)
	wantSignal(t, next(t, c, "the event added after Clear"), id, syscall.SIGUSR1, 1)
	none(t, c, "Clear deleted the others (R11)")
}

// Close ends every relay and the hub; nothing is left (R12), and Add then
// fails with ErrClosed.
func TestClose(t *testing.T) {
	hook := relayHook(t)
	before := goleak.IgnoreCurrent()
	c := evchan.New()
	for _, s := range testSignals {
		mustAdd(t, c, Signal(s).Persistent(), "persistent")
		mustAdd(t, c, Signal(s), "one-shot")
	}
	wantRelays(t, len(testSignals))
	fire(t, hook, syscall.SIGUSR1, 1) // pending when Close comes
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, ok := <-c.C; ok {
		t.Fatal("an event was delivered after Close, want C closed (R12)")
	}
	goleak.VerifyNone(t, before)
	if _, err := c.Add(Signal(syscall.SIGUSR1), nil, 0); !errors.Is(err, evchan.ErrClosed) {
		t.Fatalf("Add after Close = %v, want ErrClosed (R12)", err)
	}
}

// A signal the platform cannot relay, or that cannot be caught, is refused
// and disturbs nothing: the event already there still fires (R15).
func TestAddRefuses(t *testing.T) {
	hook := relayHook(t)
	c := evchan.New()
	defer c.Close()
	id := mustAdd(t, c, Signal(syscall.SIGUSR1).Persistent(), "kept")
	for _, tc := range []struct {
		sig os.Signal
		is  error
	}{
		{nil, evchan.ErrInvalid},
		{syscall.SIGKILL, ErrUncatchable},
		{syscall.SIGSTOP, ErrUncatchable},
		{syscall.Signal(0), evchan.ErrInvalid},
		{syscall.Signal(65), evchan.ErrInvalid},
		{syscall.SIGPROF, errors.ErrUnsupported},
	} {
		if _, err := c.Add(Signal(tc.sig).Persistent(), nil, 0); !errors.Is(err, tc.is) {
			t.Errorf("Add(Signal(%v)) = %v, want an error wrapping %v", tc.sig, err, tc.is)
		}
		if err := Signal(tc.sig).Err(); !errors.Is(err, tc.is) {
			t.Errorf("Signal(%v).Err() = %v, want the refusal before Add", tc.sig, err)
		}
	}
	if n := c.Len(); n != 1 {
		t.Fatalf("Len = %d after refused Adds, want 1 (R15)", n)
	}
	fire(t, hook, syscall.SIGUSR1, 1)
	wantSignal(t, next(t, c, "the event added before the refusals"), id, syscall.SIGUSR1, 1)
	wantRelays(t, 1)
}

// Lookup takes names in any case, with or without SIG, and numbers, as a
// parser of the draft's letters needs (R16); it refuses what cannot be
// relayed (R15).
func TestLookupUnix(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want syscall.Signal
	}{
		{"SIGUSR1", syscall.SIGUSR1},
		{"USR1", syscall.SIGUSR1},
		{"usr2", syscall.SIGUSR2},
		{"sigwinch", syscall.SIGWINCH},
		{" Hup ", syscall.SIGHUP},
		{int(syscall.SIGUSR1), syscall.SIGUSR1},
		{uint(syscall.SIGUSR2), syscall.SIGUSR2},
		{syscall.SIGWINCH, syscall.SIGWINCH},
	} {
		if got, err := Lookup(tc.in); err != nil || got != tc.want {
			t.Errorf("Lookup(%#v) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []any{"PROF", syscall.SIGPROF, int(syscall.SIGPROF)} {
		if _, err := Lookup(in); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("Lookup(%#v) = %v, want errors.ErrUnsupported", in, err)
		}
	}
}
