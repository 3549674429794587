//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sigs

import (
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
)

// A storm of signals while the consumers are slow, or not receiving at
// all, keeps memory bounded (os/signal drops what a full channel cannot
// take, and the container coalesces the rest, R3), loses no event, and
// counts no more arrivals than were sent.
func TestStorm(t *testing.T) {
	const sent = 100_000
	const sig = syscall.SIGWINCH
	idle, slow := evchan.New(), evchan.New() // idle receives nothing during the storm
	defer idle.Close()
	defer slow.Close()
	a := mustAdd(t, idle, Signal(sig).Persistent(), "a")
	b := mustAdd(t, idle, Signal(sig).Persistent(), "b")
	d := mustAdd(t, slow, Signal(sig).Persistent(), "d")
	counts := map[any]int{} // by context: IDs are per container
	got := func(e evchan.Event) {
		if e.Reason != evchan.Signal || e.Value != sig {
			t.Errorf("got %v value=%v during the storm", e, e.Value)
		}
		counts[e.Data] += e.Count
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	// The slow consumer takes an event every millisecond.
	stormOver := make(chan struct{})
	slowDone := make(chan []evchan.Event)
	go func() {
		var seen []evchan.Event
		defer func() { slowDone <- seen }()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stormOver:
				return
			case <-tick.C:
			}
			select {
			case e := <-slow.C:
				seen = append(seen, e)
			case <-stormOver:
				return
			}
		}
	}()

	start := time.Now()
	pid := os.Getpid()
	for range sent {
		if err := syscall.Kill(pid, sig); err != nil {
			t.Fatalf("kill: %v", err)
		}
	}
	took := time.Since(start)
	close(stormOver)
	slowSeen := <-slowDone
	for _, e := range slowSeen {
		got(e)
	}

	runtime.GC()
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d signals sent in %v; the heap grew by %d bytes; the slow consumer took %d deliveries", sent, took, grew, len(slowSeen))
	if grew > 4<<20 {
		t.Errorf("the heap grew by %d bytes during the storm, want it bounded (R3)", grew)
	}
	if idle.Len() != 2 || slow.Len() != 1 {
		t.Fatalf("Len = %d, %d after the storm, want 2, 1", idle.Len(), slow.Len())
	}
	wantRelays(t, 2)

	// No event was lost: after one more signal, each is delivered.
	send(t, sig)
	for c, ids := range map[*evchan.Container][]evchan.ID{idle: {a, b}, slow: {d}} {
		seen := map[evchan.ID]bool{}
		for len(seen) < len(ids) {
			e := next(t, c, "every event after the storm")
			got(e)
			seen[e.ID] = true
		}
	}
	// What is still on its way is dropped by Close (R12), so the Counts
	// are final.
	idle.Close()
	slow.Close()
	for _, name := range []string{"a", "b", "d"} {
		if n := counts[name]; n < 1 || n > sent+1 {
			t.Errorf("event %s counted %d arrivals, want between 1 and the %d sent (R3)", name, n, sent+1)
		}
	}
	t.Logf("arrivals counted per event: %v", counts)
}
