//go:build linux

package poll_test

import (
	"errors"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// R15, R3: a registered number closed while a dup keeps its file open,
// and at once reused for another file (dup3), then the old file made
// readable. epoll keeps reporting the old file under the number, which
// now reads from the new one, so the old readiness can never be drained:
// the poller, seeing the same descriptor reported again at its next poll,
// checks it, and ends the event with ErrClosedWhileRegistered, Last,
// after at most one plain delivery of the old file's readiness. poll(2)
// watches what the number names now, and reports nothing. Either way
// nothing spins.
func TestR15NumberReplacedWhileItsFileLivesOn(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		rA, wA := rawPipe(t)
		dupA, err := unix.Dup(rA)
		if err != nil {
			t.Fatal(err)
		}
		closeAtEnd(t, dupA)
		id := add(t, c, b.Readable(rA).Persistent(), "old pipe", 0)
		p := newProbe(t, c, b)
		rB, _ := rawPipe(t)
		if err := unix.Dup3(rB, rA, unix.O_CLOEXEC); err != nil { // rA names the new pipe now
			t.Fatal(err)
		}
		writeByte(t, wA) // the old pipe, open through dupA, is readable for good
		if b == poll.Default {
			e, before := until(t, c, id, "the old event's failure")
			if e.Err == nil {
				before = append(before, e)
				e, _ = until(t, c, id, "the old event's failure, after one plain delivery")
			}
			if len(before) > 1 {
				t.Errorf("the old file's readiness was delivered %d times before the failure, want at most once", len(before))
			}
			if !errors.Is(e.Err, poll.ErrClosedWhileRegistered) || !e.Last {
				t.Fatalf("got %v Last=%v, want ErrClosedWhileRegistered and Last", e, e.Last)
			}
		} else {
			if evs := of(p.settle(), id); len(evs) != 0 {
				t.Errorf("poll(2) delivered %v for a number that names an empty pipe now", evs)
			}
		}
		noSpin(t, "with a replaced number whose old file stays readable")
	})
}

// R15: a loop over All whose body reads what its event announced, then
// replaces the event's number with a new pipe and writes to that pipe,
// never gets a plain delivery for the new pipe: poll(2) compares the file
// it finds with the one it watched and ends the event with
// ErrClosedWhileRegistered at its next look; epoll, whose registration
// went with the old file, reports nothing, and the sweep ends the event
// the same way. (Taken from C instead, the event may be reported once
// more for data the body had not read yet when the container re-armed it
// at the hand-over: see "C or a loop" in evchan's documentation.)
func TestR15NumberReplacedAfterADelivery(t *testing.T) {
	defer poll.SetSweepPeriod(50 * time.Millisecond)()
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		rA, wA := rawPipe(t)
		id := add(t, c, b.Readable(rA).Persistent(), "old pipe", 0)
		writeByte(t, wA)
		steps := 0
		var got []evchan.Event
		limit := time.AfterFunc(hangLimit, c.Stop)
		defer limit.Stop()
		for e := range c.All(evchan.Block) {
			steps++
			got = append(got, e)
			if steps == 1 {
				readAll(t, rA)
				wB := reuseNumber(t, rA)
				writeByte(t, wB)
				continue
			}
			break
		}
		if len(got) != 2 {
			t.Fatalf("got %v: want the first delivery and then the old event's end", got)
		}
		e := got[1]
		if e.ID != id || !errors.Is(e.Err, poll.ErrClosedWhileRegistered) || !e.Last {
			t.Fatalf("after the replacement got %v Last=%v, want ErrClosedWhileRegistered and Last", e, e.Last)
		}
		if c.Len() != 0 {
			t.Fatalf("Len = %d, want the failed event gone", c.Len())
		}
	})
}

// R15: a descriptor closed while registered, and never reported again
// (epoll drops it silently), does not stay in the container unnoticed: the
// poller's sweep finds it closed and ends its event with
// ErrClosedWhileRegistered. So does a number closed and reused by a file
// that never becomes ready, on both backends.
func TestR15SweepFindsClosedDescriptors(t *testing.T) {
	defer poll.SetSweepPeriod(50 * time.Millisecond)()
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r1, _ := rawPipe(t)
		r2, _ := rawPipe(t)
		closedID := add(t, c, b.Readable(r1).Persistent(), "closed", 0)
		reusedID := add(t, c, b.Writable(r2), "reused", 0)
		closeFd(t, r1)
		reuseNumber(t, r2) // the read end of a new pipe: never writable
		for range 2 {
			e := next(t, c, "the sweep's failures")
			if e.ID != closedID && e.ID != reusedID || !errors.Is(e.Err, poll.ErrClosedWhileRegistered) || !e.Last {
				t.Fatalf("got %v Last=%v, want the closed or the reused descriptor's failure", e, e.Last)
			}
		}
		if c.Len() != 0 {
			t.Fatalf("Len = %d after the sweep", c.Len())
		}
	})
}
