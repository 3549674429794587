//go:build linux

package poll_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// R15, as a matrix: a descriptor closed or replaced while its event is
// registered. Whatever happened to the number, the container does not
// crash or spin, never delivers the readiness of another file that took
// the number as a plain event of the old one, and ends the event, at the
// latest by the poller's sweep: it is delivered once more with Err
// wrapping ErrClosedWhileRegistered and Last, and is gone from Len. What
// else is in the container (a bystander R on another pipe) goes on as
// before.
//
// Rows (what happens to the number):
//
//	closed       closed, nothing else holds the file, the number stays free.
//	             epoll drops the file silently: the sweep ends the event.
//	             poll(2) reports POLLNVAL.
//	closed+dup   closed while a dup keeps the file open, the number free.
//	             epoll goes on reporting the file under the number, so the
//	             old file's readiness may be delivered plain once, and the
//	             event ends at the next report (the repeat check) or the
//	             sweep; a one-shot may instead end by that one plain
//	             delivery (Last, Err nil). poll(2): POLLNVAL.
//	reused       dup3 of a new file onto the number: the old file goes, and
//	             the number names the new one at once, never free between.
//	             The new file is made ready for the kind, and none of its
//	             readiness may reach the old event plain. epoll: the sweep
//	             ends the event; poll(2): its identity check at the new
//	             file's first report, or the sweep.
//	reused+dup   the same while a dup keeps the old file open: as closed+dup
//	             for epoll (it watches the old file), as reused for poll(2)
//	             (it watches what the number names).
//
// Columns: r on a pipe's read end (made ready by a write to the pipe), w on
// a pipe's write end (made ready by emptying the pipe: a pipe with room is
// always writable, so w's "before a delivery" cases start with the pipe
// full, and after a delivery it is ready for good), x on an AF_UNIX stream
// socket (made ready by MSG_OOB from its peer, which Linux reports as
// priority data; drained by a MSG_OOB read).
//
// Timings: a one-shot event, or a persistent one, faulted before any
// delivery (events taken from C); and a persistent event faulted after a
// first delivery, inside the body of a loop over All that first takes what
// the delivery announced (the loop re-arms when the body is done, so no
// readiness of before the read is reported again; see
// TestR15NumberReplacedAfterADelivery). A one-shot has no "after" case: it
// is gone once delivered.
//
// In the dup rows the old file is made ready after the fault (ready), or
// only after the event ended (idle: the event must end without any report,
// and then the old file's readiness, which epoll still holds under a number
// no event watches, must neither reach anyone nor make the poller spin).
// Left out: idle for one-shots and after a delivery, which end the same way
// as the persistent idle case and would only add noSpin windows (300 ms
// each) to the run; w idle after a delivery cannot be made anyway, a pipe
// with room staying writable. In the rows without a dup there is no old
// file left to make ready. Every dup case ends with noSpin.
func TestFaultsClosedOrReplacedMatrix(t *testing.T) {
	defer poll.SetSweepPeriod(faultSweep)()
	type timing struct {
		name              string
		persistent, after bool
	}
	timings := []timing{
		{"oneshot", false, false},
		{"persistent", true, false},
		{"persistent-after-delivery", true, true},
	}
	var cases []faultCase
	for _, row := range faultRows {
		for _, tm := range timings {
			for _, k := range faultKinds {
				readies := []bool{false}
				if row.dup {
					readies = []bool{true}
					if tm.persistent && !tm.after {
						readies = []bool{true, false}
					}
				}
				for _, ready := range readies {
					cases = append(cases, faultCase{
						row: row, kind: k, persistent: tm.persistent, after: tm.after,
						oldReady: ready, timing: tm.name,
					})
				}
			}
		}
	}
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		for _, fc := range cases {
			t.Run(fc.name(), func(t *testing.T) { fc.run(t, b) })
		}
	})
}

// faultSweep is the poller's sweep period in these tests: the latest an
// event on a closed or replaced descriptor ends.
const faultSweep = 50 * time.Millisecond

// faultEndBound bounds the time from the fault to the end of the event.
// The poller ends it within a sweep period or two (faultSweep); the bound
// is 60 of them, so that only a poller that waits for its default sweep
// (10 s), or for nothing, fails it, not a loaded machine.
const faultEndBound = 60 * faultSweep

type faultRow struct {
	name       string
	dup, reuse bool
}

var faultRows = []faultRow{
	{"closed", false, false},
	{"closed+dup", true, false},
	{"reused", false, true},
	{"reused+dup", true, true},
}

// A faultKind makes descriptors to watch with one kind of event.
type faultKind struct {
	name   string
	reason evchan.Reason
	spec   func(b poll.Backend, fd int) evchan.Spec
	// subject makes the descriptor to watch. notReady says the event must
	// not fire before ready is called.
	subject func(t *testing.T, notReady bool) faultSubject
	// newFile makes a file ready for the kind, to take the number of a
	// watched one: its number, and what keeps it ready after it moved.
	newFile func(t *testing.T) (fd int, ready func())
}

// A faultSubject is a watched descriptor with what makes its file ready
// and takes the readiness.
type faultSubject struct {
	fd    int
	ready func() // through another descriptor: it works on the file whatever fd names now
	drain func() // through fd: before the fault only
}

var faultKinds = []faultKind{
	{
		name: "r", reason: evchan.Readable,
		spec: func(b poll.Backend, fd int) evchan.Spec { return b.Readable(fd) },
		subject: func(t *testing.T, _ bool) faultSubject {
			r, w := rawPipe(t)
			return faultSubject{fd: r,
				ready: func() { writeByte(t, w) },
				drain: func() { readAll(t, r) }}
		},
		newFile: func(t *testing.T) (int, func()) {
			r, w := rawPipe(t)
			return r, func() { writeByte(t, w) }
		},
	},
	{
		name: "w", reason: evchan.Writable,
		spec: func(b poll.Backend, fd int) evchan.Spec { return b.Writable(fd) },
		subject: func(t *testing.T, notReady bool) faultSubject {
			r, w := rawPipe(t)
			if notReady && fill(t, w) == 0 {
				t.Fatal("the pipe took no data")
			}
			return faultSubject{fd: w,
				ready: func() { readAll(t, r) }, // room: writable
				drain: func() {}}                // a pipe with room stays writable
		},
		newFile: func(t *testing.T) (int, func()) {
			_, w := rawPipe(t)
			return w, func() {} // an empty pipe is writable
		},
	},
	{
		name: "x", reason: evchan.Exception,
		spec: func(b poll.Backend, fd int) evchan.Spec { return b.Exception(fd) },
		subject: func(t *testing.T, _ bool) faultSubject {
			s, peer := socketpair(t)
			return faultSubject{fd: s,
				ready: func() { sendOOB(t, peer, '!') },
				drain: func() {
					if got := recvOOB(t, s); got != '!' {
						t.Fatalf("urgent byte %q, want '!'", got)
					}
				}}
		},
		newFile: func(t *testing.T) (int, func()) {
			s, peer := socketpair(t)
			return s, func() { sendOOB(t, peer, '?') }
		},
	},
}

// A faultCase is one cell of the matrix.
type faultCase struct {
	row        faultRow
	kind       faultKind
	persistent bool
	after      bool // faulted after a first delivery, in a loop over All
	oldReady   bool // dup rows: the old file is made ready after the fault
	timing     string
}

func (fc faultCase) name() string {
	n := fmt.Sprintf("%s/%s/%s", fc.row.name, fc.kind.name, fc.timing)
	if fc.row.dup {
		if fc.oldReady {
			n += "/old-ready"
		} else {
			n += "/old-idle"
		}
	}
	return n
}

// plainAllowed is how many plain deliveries the old event may get after
// the fault: the old file's real readiness, at most once, where epoll
// still watches it (a dup keeps it open) and it was made ready.
func (fc faultCase) plainAllowed(b poll.Backend) int {
	if b == poll.Default && fc.row.dup && fc.oldReady {
		return 1
	}
	return 0
}

func (fc faultCase) run(t *testing.T, b poll.Backend) {
	c := newContainer(t)
	// Everything is opened before the fault, so that a number closed by it
	// stays free (rows without reuse).
	rb, wb := rawPipe(t)
	bystander := add(t, c, b.Readable(rb).Persistent(), "bystander", 0)
	sub := fc.kind.subject(t, !fc.after)
	var dup int
	if fc.row.dup {
		var err error
		if dup, err = unix.Dup(sub.fd); err != nil {
			t.Fatalf("dup: %v", err)
		}
		closeAtEnd(t, dup)
	}
	var newFd int
	var newReady func()
	if fc.row.reuse {
		newFd, newReady = fc.kind.newFile(t)
	}
	p := newProbe(t, c, b)

	spec := fc.kind.spec(b, sub.fd)
	if fc.persistent {
		spec = spec.Persistent()
	}
	id := add(t, c, spec, "under test", 0)

	// fault closes or replaces the number, then makes ready what the case
	// says, and returns when it did.
	fault := func() time.Time {
		if fc.row.reuse {
			// dup3 closes the old file's descriptor and puts the new file
			// under its number in one step.
			if err := unix.Dup3(newFd, sub.fd, unix.O_CLOEXEC); err != nil {
				t.Fatalf("dup3: %v", err)
			}
			closeFd(t, newFd) // sub.fd names the new file, and is closed at the end
			newReady()
		} else {
			closeFd(t, sub.fd)
		}
		if fc.row.dup && fc.oldReady {
			sub.ready()
		}
		return time.Now()
	}

	var first evchan.Event
	var got, others []evchan.Event
	var start time.Time
	if !fc.after {
		if evs := p.settle(); len(evs) != 0 {
			t.Fatalf("got %s before the fault, want nothing: the descriptor is not ready", faultShow(evs))
		}
		start = fault()
		got, others = faultCollectFromC(t, c, id)
	} else {
		sub.ready()
		steps := 0
		limit := time.AfterFunc(hangLimit, c.Stop)
		for e := range c.All(evchan.Block) {
			if e.ID != id {
				others = append(others, e)
				continue
			}
			steps++
			if steps == 1 {
				first = e
				sub.drain()
				start = fault()
				continue
			}
			got = append(got, e)
			if e.Last {
				break
			}
		}
		if !limit.Stop() {
			t.Fatalf("no end of the event within %v after the fault: got %s, and %s (R15)", hangLimit, faultShow(got), faultShow(others))
		}
		want(t, first, id, fc.kind.reason)
		if first.Last {
			t.Fatalf("the first delivery of a persistent event is Last: %v", first)
		}
	}
	elapsed := time.Since(start)

	// R15: the event ends exactly once, after at most one plain delivery
	// of its old file's real readiness.
	if len(others) != 0 {
		t.Errorf("got %s before the old event ended: the bystander is not ready (R15: nothing else disturbed)", faultShow(others))
	}
	if len(got) == 0 {
		t.Fatal("the old event did not end (R15)")
	}
	end, plain := got[len(got)-1], got[:len(got)-1]
	for _, e := range plain {
		if e.Err != nil || e.Last || e.Reason != fc.kind.reason {
			t.Errorf("got %v Last=%v before the end, want only plain %v deliveries", e, e.Last, fc.kind.reason)
			break
		}
	}
	switch {
	case errors.Is(end.Err, poll.ErrClosedWhileRegistered) && end.Last && end.Reason == fc.kind.reason:
	case !fc.persistent && end.Err == nil && end.Last && end.Reason == fc.kind.reason:
		// A one-shot ended by a plain delivery, which only the old file's
		// own readiness may make (counted below).
		plain = got
	default:
		t.Errorf("the old event ended with %v Last=%v, want reason %v, Last, and Err wrapping ErrClosedWhileRegistered (R15)", end, end.Last, fc.kind.reason)
	}
	if len(plain) > fc.plainAllowed(b) {
		if fc.plainAllowed(b) == 0 {
			t.Errorf("got %s after the fault: plain deliveries of readiness the old event's file does not have, or of another file under its number (R15)", faultShow(plain))
		} else {
			t.Errorf("got %s after the fault: the old file's readiness delivered more than once (R15: at most once, then the end)", faultShow(plain))
		}
	}
	t.Logf("ended by %v Last=%v, %v after the fault, after %d plain deliveries", end, end.Last, elapsed.Round(time.Millisecond), len(got)-1)
	if elapsed > faultEndBound {
		t.Errorf("the event ended %v after the fault, want within a sweep or two (%v; bound %v) (R15)", elapsed, faultSweep, faultEndBound)
	}
	if n := c.Len(); n != 1 {
		t.Errorf("Len = %d after the end was delivered, want 1: the bystander alone (R15)", n)
	}
	if c.Del(id) {
		t.Error("Del of the ended event reported true, want it gone (R15)")
	}

	if fc.row.dup && !fc.oldReady {
		// The event ended with the old file idle; epoll still holds that
		// file under the number, which no event watches now.
		sub.ready()
	}

	// Nothing else is disturbed: the bystander fires, and nothing more of
	// the old event comes.
	writeByte(t, wb)
	e, before := until(t, c, bystander, "the bystander, after the old event ended")
	want(t, e, bystander, evchan.Readable)
	readAll(t, rb)
	if len(before) != 0 {
		t.Errorf("got %s before the bystander's event, want nothing (R15)", faultShow(before))
	}
	if evs := of(p.settle(), id); len(evs) != 0 {
		t.Errorf("got %s for the old event after its end (R15: exactly once)", faultShow(evs))
	}
	if fc.row.dup {
		noSpin(t, "with a file closed under its event and kept open by a dup")
	}
	if !c.Del(bystander) {
		t.Error("Del of the bystander reported false")
	}
	if n := c.Len(); n != 0 {
		t.Errorf("Len = %d at the end, want 0", n)
	}
}

// faultCollectFromC receives events from C until event id's last delivery,
// and returns id's deliveries and the others.
func faultCollectFromC(t *testing.T, c *evchan.Container, id evchan.ID) (got, others []evchan.Event) {
	t.Helper()
	for {
		e := next(t, c, "the end of the event whose descriptor was closed or replaced (R15)")
		if e.ID != id {
			others = append(others, e)
			continue
		}
		got = append(got, e)
		if e.Last {
			return got, others
		}
	}
}

// faultShow formats events for a failure message, the first few of many.
func faultShow(evs []evchan.Event) string {
	if len(evs) <= 4 {
		return fmt.Sprint(evs)
	}
	return fmt.Sprintf("%v... (%d events)", evs[:4], len(evs))
}

// R15, doc (a regular file is always ready, as poll(2) would report it):
// descriptors that no readiness mechanism can watch, a regular file and a
// directory, are accepted. r and w fire at once, one-shot and persistent
// (level: again after each delivery); x never fires, poll(2) reporting no
// priority data for them.
func TestFaultsNonPollableDescriptors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		files := []struct {
			name string
			open func(t *testing.T) int
		}{
			{"regular file", func(t *testing.T) int {
				fd, err := unix.Open(t.TempDir()+"/regular", unix.O_CREAT|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
				if err != nil {
					t.Fatal(err)
				}
				closeAtEnd(t, fd)
				if _, err := unix.Write(fd, []byte("data")); err != nil {
					t.Fatal(err)
				}
				return fd
			}},
			{"directory", func(t *testing.T) int {
				fd, err := unix.Open(t.TempDir(), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
				if err != nil {
					t.Fatal(err)
				}
				closeAtEnd(t, fd)
				return fd
			}},
		}
		for _, f := range files {
			t.Run(f.name, func(t *testing.T) {
				for _, k := range []struct {
					spec   func(fd any) evchan.Spec
					reason evchan.Reason
				}{{b.Readable, evchan.Readable}, {b.Writable, evchan.Writable}} {
					t.Run(k.reason.String(), func(t *testing.T) {
						c := newContainer(t)
						fd := f.open(t)
						id := add(t, c, k.spec(fd), "one-shot", 0)
						e := next(t, c, fmt.Sprintf("%v on a %s: always ready", k.reason, f.name))
						want(t, e, id, k.reason)
						if !e.Last {
							t.Errorf("one-shot delivery %v without Last (R1)", e)
						}
						id = add(t, c, k.spec(fd).Persistent(), "persistent", 0)
						for range 3 {
							e := next(t, c, fmt.Sprintf("persistent %v on a %s: ready again after each delivery", k.reason, f.name))
							want(t, e, id, k.reason)
						}
						if !c.Del(id) {
							t.Error("Del of the persistent event reported false")
						}
						if n := c.Len(); n != 0 {
							t.Errorf("Len = %d after Del, want 0", n)
						}
					})
				}
				t.Run("exception", func(t *testing.T) {
					c := newContainer(t)
					fd := f.open(t)
					x := add(t, c, b.Exception(fd), "x", 0)
					xp := add(t, c, b.Exception(fd).Persistent(), "X", 0)
					if evs := of(settle(t, c, b), x, xp); len(evs) != 0 {
						t.Errorf("got %s for x and X on a %s, want nothing: no priority data (poll(2) reports none)", faultShow(evs), f.name)
					}
					// Whatever came, the container holds what it should.
					if !c.Del(xp) {
						t.Error("Del of X reported false")
					}
					c.Del(x)
					if n := c.Len(); n != 0 {
						t.Errorf("Len = %d after Del, want 0", n)
					}
				})
			})
		}
	})
}

// R15: a number that can be no descriptor, -1 or beyond 32 bits, is
// refused when the Spec is built (Spec.Err), and by Add; a number in range
// that names no open file is refused by Add. Both with an error wrapping
// ErrBadDescriptor and evchan.ErrInvalid, Len unchanged, and the event
// already in the container goes on.
func TestFaultsInvalidDescriptors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		kept := add(t, c, b.Readable(r).Persistent(), "kept", 0)
		kinds := func(fd any) []evchan.Spec {
			return []evchan.Spec{
				b.Readable(fd), b.Readable(fd).Persistent(),
				b.Writable(fd), b.Writable(fd).Persistent(),
				b.Exception(fd), b.Exception(fd).Persistent(),
			}
		}
		isBad := func(err error) bool {
			return errors.Is(err, poll.ErrBadDescriptor) && errors.Is(err, evchan.ErrInvalid)
		}

		for _, fd := range []any{-1, int64(1) << 40} {
			for _, spec := range kinds(fd) {
				if err := spec.Err(); !isBad(err) {
					t.Errorf("%s(%v).Err() = %v, want an error wrapping ErrBadDescriptor and evchan.ErrInvalid", spec.Letter(), fd, err)
				}
				if id, err := c.Add(spec, "bad", 0); !isBad(err) {
					t.Errorf("Add(%s(%v)) = %d, %v, want an error wrapping ErrBadDescriptor and evchan.ErrInvalid", spec.Letter(), fd, id, err)
					if err == nil {
						c.Del(id)
					}
				}
			}
		}

		// Numbers in range that name nothing: one beyond the descriptor
		// limit, and one just closed (nothing is opened until the Adds).
		free, w2 := rawPipe(t)
		closeFd(t, w2)
		closeFd(t, free)
		for _, fd := range []int{1 << 20, free} {
			if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != unix.EBADF {
				t.Fatalf("fcntl(%d, F_GETFD): %v, want EBADF: the number is not free", fd, err)
			}
			for _, spec := range kinds(fd) {
				if err := spec.Err(); err != nil {
					t.Errorf("%s(%d).Err() = %v, want nil: only Add can tell whether a number is open", spec.Letter(), fd, err)
				}
				if id, err := c.Add(spec, "not open", 0); !isBad(err) {
					t.Errorf("Add(%s(%d)) of a number naming no file = %d, %v, want an error wrapping ErrBadDescriptor and evchan.ErrInvalid (R15)", spec.Letter(), fd, id, err)
					if err == nil {
						c.Del(id)
					}
				}
			}
		}

		if n := c.Len(); n != 1 {
			t.Errorf("Len = %d after the refused Adds, want 1 (R15)", n)
		}
		writeByte(t, w)
		e, before := until(t, c, kept, "the event added before the refused ones")
		want(t, e, kept, evchan.Readable)
		if len(before) != 0 {
			t.Errorf("got %v before it: refused Adds made events (R15)", before)
		}
	})
}
