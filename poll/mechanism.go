package poll

// interest is what a registration watches a descriptor for.
type interest uint8

const (
	wantRead interest = 1 << iota
	wantWrite
	wantPriority
)

// readiness is one descriptor's state as a kernel mechanism reports it.
type readiness struct {
	fd    int
	gen   uint32 // the registration generation the mechanism was given
	flags readyFlags
}

type readyFlags uint8

const (
	readyRead     readyFlags = 1 << iota
	readyWrite               // writable
	readyPriority            // out-of-band or priority data
	readyHangup              // the peer hung up: readable (EOF) and writable (EPIPE)
	readyError               // an error is pending on the descriptor
	readyInvalid             // the descriptor is not open (poll's POLLNVAL)
)

// mechanism is one kernel readiness interface: epoll, kqueue, poll(2) or
// WSAPoll. Its methods may be called from any goroutine, and while a
// waiter blocks; wake makes a blocked waiter return.
type mechanism interface {
	// watch starts watching fd, or changes what it is watched for. added
	// says whether the mechanism is watching fd already; gen is returned
	// with its readiness so that stale reports can be told apart. With
	// added set, an error wrapping errStale says that the number no longer
	// names the file it was watched for.
	watch(fd int, gen uint32, want interest, added bool) error
	// unwatch stops watching fd. An error for a descriptor closed meanwhile
	// is expected and ignored by the caller.
	unwatch(fd int) error
	// verify returns an errStale if fd, watched for want under gen, no
	// longer names the file it was watched for: closed, or closed and its
	// number reused (R15). It costs a system call, so the poller makes it
	// only where a report looks suspicious, and in its sweeps (check.go).
	verify(fd int, gen uint32, want interest) error
	// newWaiter returns a waiter with buffers of its own. The poller's
	// goroutine has one and its inline polls another, and the two may poll
	// at once. Only a woken waiter returns for wake, and takes the
	// wake-up: one that polls beside it must leave it, or the woken one,
	// blocked, could miss it.
	// quiet has the mechanism report, of what fd is watched for (want),
	// only what is not in off, from the next poll on (a poll under way may
	// still report the rest): when off is all of want, nothing at all, not
	// even a hang-up or an error, though epoll may report one of those
	// once more. off empty watches for all of want again. watch undoes it.
	// It is how the poller stops watching a held event's descriptor
	// (hold.go). With off empty, an error wrapping errStale says that the
	// number no longer names the file it was watched for, where the
	// mechanism can tell at no extra cost.
	quiet(fd int, gen uint32, want, off interest) error
	newWaiter(woken bool) waiter
	wake() error
	close() error
}

// waiter polls a mechanism with buffers of its own.
type waiter interface {
	// poll waits up to timeout milliseconds (-1: until something is ready
	// or wake is called; 0: not at all) and appends what is ready to buf.
	// more reports that the kernel may hold more ready descriptors than
	// one call returns, so that the caller polls again at once.
	poll(buf []readiness, timeout int) (ready []readiness, more bool, err error)
}

// errStale is returned by watch and verify when the mechanism had lost fd:
// the descriptor it knew under that number was closed (R15).
type errStale struct{ err error }

func (e errStale) Error() string { return "poll: stale descriptor: " + e.err.Error() }
func (e errStale) Unwrap() error { return e.err }

// watched is one descriptor a rebuilt mechanism must watch.
type watched struct {
	fd    int
	gen   uint32
	want  interest
	muted interest // as quiet was told
}

// rebuilder is a mechanism that can start afresh with a given set: epoll,
// whose set can keep a file that was closed under its number while another
// descriptor still holds it open, out of reach of every epoll_ctl. rebuild
// returns the numbers it left out, which no longer name the file they were
// watched for. No waiter may poll while it runs.
type rebuilder interface{ rebuild([]watched) (gone []int) }
